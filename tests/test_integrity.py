"""The integrity scanner flags code that tampers with grading, and nothing in a model answer."""

import nbformat
import pytest

from autograder.grading import integrity
from autograder.grading.submissions import integrity_flags


def notebook_bytes(*sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    return nbformat.writes(nb).encode()


def flags_of(tmp_path, *sources):
    path = tmp_path / "submission.ipynb"
    path.write_bytes(notebook_bytes(*sources))
    return integrity.describe(integrity.scan_notebook(path))


@pytest.mark.parametrize(("source", "reason"), [
    ("import aecourse.checks as c\nc._fail = lambda *a: None", "rebinds aecourse.checks._fail"),
    ("from aecourse import checks\nchecks.check_close = print",
     "rebinds aecourse.checks.check_close"),
    ("import numpy as np\nnp.allclose = lambda *a, **k: True", "rebinds numpy.allclose"),
    ("import numpy as np\nnp.testing.assert_allclose = print",
     "rebinds numpy.testing.assert_allclose"),
    ("import numpy as np\nsetattr(np, 'allclose', print)", "setattr on numpy"),
    ("import builtins\nbuiltins.float = int", "rebinds builtins.float"),
    ("__builtins__ = {}", "rebinds __builtins__"),
    ("import sys\nsys.modules['aecourse.checks'] = None", "rebinds sys.modules[]"),
    ("get_ipython().showtraceback = lambda *a, **k: None", "rebinds get_ipython.showtraceback"),
    ("ip = get_ipython()\nip.showtraceback = print", "rebinds get_ipython.showtraceback"),
    ("get_ipython().events.register('post_run_cell', print)", "changes the kernel"),
    ("from aecourse.checks import check_close as cc\ncc.__code__ = print.__code__",
     "rebinds aecourse.checks.check_close.__code__"),
    ("import os\nos._exit(1)", "calls os._exit()"),
    ("import sys\nsys.exit()", "calls sys.exit()"),
    ("import subprocess\nsubprocess.run(['ls'])", "starts a process (subprocess.run)"),
    ("import os\nos.system('ls')", "starts a process (os.system)"),
    ("import os\nos.fork()", "starts a process (os.fork)"),
    ("!ls /", "starts a process (get_ipython.system)"),
    ("%%bash\nls", "starts a process (%bash)"),
    ("open('/etc/passwd').read()", "open() outside the notebook's folder"),
    ("open('../../../source/x.ipynb').read()", "open() outside the notebook's folder"),
    ("from pathlib import Path\nPath('~/.ssh/id_rsa').read_text()",
     "outside the notebook's folder"),
    ("import socket\nsocket.create_connection(('127.0.0.1', 80))", "imports socket (network"),
    # dynamic code
    ("exec('x = 1')", "runs or decodes code at run time (exec)"),
    ("f = eval\nf('1')", "runs or decodes code at run time (eval)"),
    ("code = compile('1', 'x', 'eval')", "(compile)"),
    ("np = __import__('numpy')", "(__import__)"),
    ("import importlib\nimportlib.import_module('numpy')", "imports importlib"),
    ("import base64\nbase64.b64decode(b'eA==')", "(base64.b64decode)"),
    ("import types\ntypes.FunctionType(print.__code__, {})", "(types.FunctionType)"),
    ("name = 'all' + 'close'\nsetattr(obj, name, print)", "setattr() with a name computed"),
    ("getattr(module, 'all' + 'close')", "getattr() with a name computed"),
    ("globals()['kl_term'] = print", "globals() with a name computed"),
    # frames and sources
    ("import sys\nsys._getframe(1).f_locals", "reads ._getframe"),
    ("from sys import _getframe", "imports sys._getframe"),
    ("import inspect\ninspect.stack()", "imports inspect"),
    ("import linecache\nlinecache.getlines('cell')", "imports linecache"),
    ("import gc\ngc.get_objects()", "imports gc"),
    ("def f():\n    return f.__globals__", "reads .__globals__"),
    # IPython hooks
    ("get_ipython().input_transformers_cleanup.append(str)",
     "changes the kernel (get_ipython().input_transformers_cleanup)"),
    ("ip = get_ipython()\nip.ast_transformers.append(None)",
     "changes the kernel (get_ipython().ast_transformers)"),
    ("get_ipython().set_custom_exc((Exception,), print)",
     "changes the kernel (get_ipython().set_custom_exc)"),
    ("import sys\nsys.displayhook(2)", "changes the interpreter (sys.displayhook)"),
    ("get_ipython().displayhook(2)", "changes the kernel (get_ipython().displayhook)"),
    # sys.modules
    ("import sys\nsys.modules.update({'aecourse': None})", "writes to sys.modules"),
    ("import sys\nsys.modules.pop('aecourse.checks')", "writes to sys.modules"),
])
def test_tampering_is_flagged(tmp_path, source, reason):
    assert reason in flags_of(tmp_path, source)


def test_flags_name_the_cell(tmp_path):
    assert flags_of(tmp_path, "x = 1", "import os\nos._exit(0)").startswith("cell 2: ")


@pytest.mark.parametrize("source", [
    "import numpy as np\nx = np.zeros(3)\nx[0] = 1.0\nnp.random.default_rng(0)",
    "from aecourse import checks\nchecks.passed('Exercise 1')",
    "with open('results.txt', 'w') as handle:\n    handle.write('local files are fine')",
    "import keras\nmodel = keras.Sequential()\nmodel.trainable = False",
    "def f(x):\n    return x ** 2",
    "this is not python (",
])
def test_ordinary_code_is_not_flagged(tmp_path, source):
    assert flags_of(tmp_path, source) == ""


def test_the_grader_flags_each_notebook_of_many_at_once():
    # The grader scans submissions on several threads: every one keeps its own flags.
    from concurrent.futures import ThreadPoolExecutor

    tampering = {"a.ipynb": notebook_bytes("import numpy\nnumpy.allclose = print")}
    clean = {"a.ipynb": notebook_bytes("x = 1")}
    with ThreadPoolExecutor(8) as pool:
        flags = list(pool.map(integrity_flags, [tampering, clean] * 40))
    assert flags == ["a.ipynb: cell 1: rebinds numpy.allclose", ""] * 40


def test_a_scan_that_fails_is_a_flag(monkeypatch):
    def broken(nb):
        raise RecursionError("too deep")

    monkeypatch.setattr(integrity, "scan", broken)
    assert integrity_flags({"a.ipynb": notebook_bytes("x = 1")}) == (
        "a.ipynb: the integrity scan failed (RecursionError: too deep)")


def test_no_model_or_alternative_answer_is_flagged():
    from autograder import notebooks, settings
    from autograder.qa.alternatives import ALTERNATIVES

    for assignment in notebooks.assignments():
        for folder in (settings.SOURCE, settings.RELEASE):
            nb = nbformat.read(str(folder / assignment / f"{assignment}.ipynb"), 4)
            assert integrity.scan(nb) == [], f"{folder.name}/{assignment}"
        for answer_id, answers in ALTERNATIVES[assignment].items():
            for label, code in answers:
                nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
                assert integrity.scan(nb) == [], f"{assignment} {answer_id}: {label}"
