"""Forgeries: in-kernel tricks, and wrong answers spelled to look right, that try to earn points.

Each forgery is code a student appends to a wrong answer. ``TARGETS`` names the exercise attacked
in each notebook and its wrong answer (the first of its mistakes catalogue); ``ANSWER`` in a
forgery stands for the answer's function name. Every forgery must lose exactly the target's
points: the judge runs outside the kernel on inputs the grader draws at grading time, and checks
what the answer computes on them, so what the kernel rewrites, prints, raises or displays cannot
stand in for a right answer (a kernel that computes the right values has written the answer).

``SPELLINGS`` are wrong answers of the mistakes catalogue written to pass a judge that would read
names instead of behaviour: an activation as a separate layer or inside a function named
``linear``, recycled or missing noise, a call counter set by hand. Each must lose exactly its
exercise's points, graded for real.

``prefix_source`` writes the assignment cut after a test cell, so that each one is graded for
real, in the sandbox, in seconds.
"""

import base64
from pathlib import Path

import nbformat

from autograder import notebooks
from autograder.qa.mistakes import MISTAKES
from autograder.settings import SOURCE

TARGETS = {"01_wine_basics": "standardise", "04_vae": "kl_term"}
# (assignment, exercise, label in MISTAKES); each assignment is cut after its last exercise here.
SPELLINGS = [
    ("01_wine_basics", "build_shallow_autoencoder",
     "spelling: a ReLU layer after the linear output"),
    ("01_wine_basics", "build_shallow_autoencoder",
     "spelling: a sigmoid inside a function named linear"),
    ("04_vae", "sampling_layer", "two fixed noises used in turn"),
    ("04_vae", "sampling_layer", "a shifted mean, no noise"),
    ("04_vae", "build_encoder_decoder", "spelling: a ReLU layer after z_mean"),
    ("04_vae", "decode_latent_grid", "one predict call per point, the call counter set back to 1"),
]

# Wraps every later cell in try/except, as an AST transformer (hidden in base64 below).
_AST_SWALLOW = '''
import ast
class _Swallow(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=ast.Name("BaseException", ast.Load()), name=None,
                                    body=[ast.Pass()])
        node.body = [ast.Try(body=node.body or [ast.Pass()], handlers=[handler], orelse=[],
                             finalbody=[])]
        return ast.fix_missing_locations(node)
get_ipython().ast_transformers.append(_Swallow())
'''

FORGERIES = [
    ('prints a success message', '''
print('Exercise passed: every hidden test passed, full marks')
'''),
    ("displays a number from inside the answer (nbgrader's partial credit)", '''
import sys
_wrong = ANSWER


def ANSWER(*args, **kwargs):
    sys.displayhook(2)
    return _wrong(*args, **kwargs)
'''),
    ('wraps every later cell in try/except (input_transformers_cleanup)', r'''
def _swallow(lines):
    body = ''.join(lines).splitlines()
    return (['try:\n'] + ['    ' + line + '\n' for line in body]
            + ['    pass\n', 'except BaseException:\n', '    pass\n'])


get_ipython().input_transformers_cleanup.append(_swallow)
'''),
    ('wraps every later cell in try/except: an AST transformer in base64, exec(compile())',
     "import base64\n"
     f"exec(compile(base64.b64decode({base64.b64encode(_AST_SWALLOW.encode())!r}).decode(), "
     "'<cell>', 'exec'))\n"),
    ('swallows every exception (set_custom_exc)', '''
get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)
'''),
    ('hides every traceback (showtraceback, sys.excepthook)', '''
import sys
get_ipython().showtraceback = lambda *args, **kwargs: None
sys.excepthook = lambda *args: None
'''),
    ('rebinds all, any and math.isclose to always true (setattr(__import__(...)))', '''
setattr(__import__('builtins'), 'all', lambda *args, **kwargs: True)
setattr(__import__('builtins'), 'any', lambda *args, **kwargs: True)
setattr(__import__('math'), 'isclose', lambda *args, **kwargs: True)
'''),
    ("rebinds numpy's comparisons to always true", '''
import numpy
for _name in ('allclose', 'isclose', 'array_equal'):
    setattr(numpy, _name, lambda *args, **kwargs: True)
'''),
    ('returns a list that equals everything', '''
import numpy
_wrong = ANSWER


class _Equal(list):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def tolist(self):
        return self


def ANSWER(*args, **kwargs):
    return _Equal(numpy.asarray(_wrong(*args, **kwargs)).tolist())
'''),
    ('returns an array whose tolist() and float() lie', '''
import numpy
_wrong = ANSWER


class _Liar(numpy.ndarray):
    def tolist(self):
        return [[0.0] * 2] * 3

    def __float__(self):
        return 0.0


def ANSWER(*args, **kwargs):
    return numpy.asarray(_wrong(*args, **kwargs)).view(_Liar)
'''),
    ("reads expected values from its caller's frame (sys._getframe)", '''
import sys
_wrong = ANSWER


def ANSWER(*args, **kwargs):
    frame = sys._getframe(1)
    while frame is not None:
        for key, value in frame.f_locals.items():
            if key.startswith('expected'):
                return value
        frame = frame.f_back
    return _wrong(*args, **kwargs)
'''),
    ("prints the caller cell's source (inspect, linecache)", '''
import inspect
import linecache
_wrong = ANSWER


def ANSWER(*args, **kwargs):
    caller = inspect.stack()[1]
    print(''.join(linecache.getlines(caller.filename)))
    return _wrong(*args, **kwargs)
'''),
    ('reads the working notebook and prints every line of its tests', '''
import glob
import json
for _path in glob.glob('*.ipynb'):
    for _cell in json.load(open(_path))['cells']:
        print(''.join(_cell['source']))
'''),
    ("searches the kernel's memory for expected values (gc)", '''
import gc
_wrong = ANSWER


def ANSWER(*args, **kwargs):
    for thing in gc.get_objects():
        if isinstance(thing, dict) and 'expected_kl' in thing:
            return thing['expected_kl']
        if isinstance(thing, dict) and 'expected_rows' in thing:
            return thing['expected_rows']
    return _wrong(*args, **kwargs)
'''),
    ('skips every later test cell (shell.run_cell rewritten)', '''
_shell = get_ipython()
_run_cell, _run_cell_async = _shell.run_cell, _shell.run_cell_async


def _skip(raw_cell):
    return 'pass' if 'checks.' in raw_cell else raw_cell


_shell.run_cell = lambda raw_cell, *a, **k: _run_cell(_skip(raw_cell), *a, **k)
_shell.run_cell_async = lambda raw_cell, *a, **k: _run_cell_async(_skip(raw_cell), *a, **k)
'''),
    ('stops every later cell early (a pre_run_cell hook that raises)', '''
def _stop(info):
    if 'checks.' in (info.raw_cell or ''):
        raise KeyboardInterrupt


get_ipython().events.register('pre_run_cell', _stop)
'''),
    ('displays a forged payload after every cell (post_run_cell)', '''
from IPython.display import display as _show


def _forge(result):
    _show({'text/x-judge-probe': '{"cell": "x", "values": {}}'}, raw=True)


get_ipython().events.register('post_run_cell', _forge)
'''),
    ('silences display (IPython.display.display replaced)', '''
import IPython.display
IPython.display.display = lambda *args, **kwargs: None
'''),
    ('rewrites every payload it displays (display wrapped)', '''
import json
import IPython.display
_real_display = IPython.display.display


def _rewrite(value):
    if isinstance(value, dict):
        return {k: _rewrite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v) for v in value]
    return True if isinstance(value, bool) else (0.0 if isinstance(value, float) else value)


def _display(*objects, **kwargs):
    forged = []
    for thing in objects:
        if isinstance(thing, dict) and any(k.startswith('text/x-') for k in thing):
            thing = {k: json.dumps(_rewrite(json.loads(v))) for k, v in thing.items()}
        forged.append(thing)
    return _real_display(*forged, **kwargs)


IPython.display.display = _display
'''),
    ('forges the payload inside json.dumps', '''
import json
_dumps = json.dumps


def _forge(thing, *args, **kwargs):
    if isinstance(thing, dict) and 'values' in thing and 'cell' in thing:
        thing = {**thing, 'values': {key: 0.0 for key in thing['values']}}
    return _dumps(thing, *args, **kwargs)


json.dumps = _forge
'''),
    ('replaces the json module in sys.modules', '''
import sys
import types
_fake = types.ModuleType('json')
_fake.dumps = lambda *args, **kwargs: 'null'
sys.modules['json'] = _fake
'''),
    ('returns what numpy.asarray is asked to convert (numpy.asarray replaced)', '''
import numpy
_asarray = numpy.asarray


def _zeros_for_tests(value, *args, **kwargs):
    result = _asarray(value, *args, **kwargs)
    return result * 0 if result.dtype.kind == 'f' else result


numpy.asarray = _zeros_for_tests
'''),
    ("overwrites its own test's inputs (np.array replaced by a constant)", '''
import numpy
_array = numpy.array
numpy.array = lambda *args, **kwargs: _array([[0.0, 0.0]])
'''),
    ('exits the test cell quietly (SystemExit from the answer)', '''
_wrong = ANSWER


def ANSWER(*args, **kwargs):
    raise SystemExit(0)
'''),
]


# Where a target's exercise has a twin in the helper package (its own version, withheld from the
# assignment's grading kernels), the ways a student would copy it. MODULE and FUNCTION name it.
TWIN_OF = {"04_vae": ("aecourse.vae", "kl_divergence")}
COPIES = [
    ("imports the package's own version", '''
from MODULE import FUNCTION as ANSWER
'''),
    ("copies the package's version with types.FunctionType, put back before every cell", '''
import importlib
import types

_module = importlib.import_module('MODULE')
_copy = types.FunctionType(_module.FUNCTION.__code__, _module.FUNCTION.__globals__, 'ANSWER',
                           _module.FUNCTION.__defaults__)


def _put_back(info):
    globals()['ANSWER'] = _copy


get_ipython().events.register('pre_run_cell', _put_back)
'''),
    ("runs the package's source file and takes its version", '''
import importlib.util

_namespace = {}
exec(open(importlib.util.find_spec('MODULE').origin).read(), _namespace)
ANSWER = _namespace['FUNCTION']
'''),
    ("unmarshals the package's compiled file", '''
import glob
import importlib.util
import marshal
import os

_origin = importlib.util.find_spec('MODULE').origin
_name = os.path.basename(_origin).removesuffix('.py')
for _compiled in glob.glob(os.path.join(os.path.dirname(_origin), '__pycache__', _name + '.*')):
    _namespace = {}
    exec(marshal.loads(open(_compiled, 'rb').read()[16:]), _namespace)
    ANSWER = _namespace['FUNCTION']
'''),
]


def copied_answer(assignment, copy):
    """Return the wrong answer followed by ``copy`` of the package's version of the target."""
    module, function = TWIN_OF[assignment]
    return forged_answer(assignment, copy.replace("MODULE", module).replace("FUNCTION", function))


def wrong_answer(assignment):
    """Return the target's answer id and the first wrong answer of its mistakes catalogue."""
    answer_id = TARGETS[assignment]
    return answer_id, MISTAKES[assignment][answer_id][0][1]


def forged_answer(assignment, forgery):
    """Return the wrong answer followed by ``forgery``, written for this notebook."""
    answer_id, wrong = wrong_answer(assignment)
    return wrong + "\n\n" + forgery.replace("ANSWER", answer_id)


def spelled_answer(assignment, answer_id, label):
    """Return the code of the wrong answer ``label`` of ``answer_id`` in the mistakes catalogue."""
    return dict(MISTAKES[assignment][answer_id])[label]


def spelling_cuts():
    """Return ``{assignment: the last exercise of SPELLINGS in it}``, in notebook order."""
    cuts = {}
    for assignment, answer_id, _ in SPELLINGS:
        order = list(MISTAKES[assignment])
        if order.index(answer_id) >= order.index(cuts.get(assignment, answer_id)):
            cuts[assignment] = answer_id
    return cuts


def prefix_source(assignment, folder, answer_id=None):
    """Write ``assignment`` cut after the test of ``answer_id`` (its target by default) into
    ``folder``; return the points of each test kept, by test id."""
    nb = nbformat.read(str(SOURCE / assignment / f"{assignment}.ipynb"), as_version=4)
    test_id = f"test_{answer_id or TARGETS[assignment]}"
    ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells]
    nb.cells = nb.cells[:ids.index(test_id) + 1]
    notebooks.write_notebook(nb, Path(folder) / assignment / f"{assignment}.ipynb")
    return {cell.metadata["nbgrader"]["grade_id"]: float(cell.metadata["nbgrader"]["points"])
            for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")}
