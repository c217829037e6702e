"""Hostile submissions, graded for real: each is recorded with its reason, nothing else is touched.

One class of the probe assignment (``probe_course.py``) holds a model answer and every kind of
hostile or malformed submission the grader must survive. It is graded once, in parallel, in the
bubblewrap sandbox with small limits; the tests then read what came back and what was left.
"""

import csv
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from nbgrader.api import Gradebook

from autograder import sandbox, settings
from autograder.grading import grade_class
from autograder.grading.gradebook import deferred_interrupt
from autograder.grading.outcomes import STATE
from autograder.qa.probe import MODEL_ANSWER, PROBE, release, submission, write_source

pytestmark = pytest.mark.skipif(not sandbox.bwrap_path(), reason="bubblewrap is not installed")

# 20 s per cell: the memory hog must reach its limit before the cell's timeout, even on a busy
# CI machine (two pytest workers, two kernels each); with 5 s, then 10 s, a CI run once
# recorded the hog as stopped by the timeout instead.
LIMITS = settings.Limits(memory_gib=1.5, processes=16, output_mib=0.5, image_mib=1, file_mib=1,
                         disk_mib=8, files=300, cell_seconds=20, submission_seconds=90)
MARKER = "sleep 613"  # a background process that must not outlive its kernel
# A model answer that warns seven ways in the test cell, stderr included (logging, sys.stderr,
# and a write to file descriptor 2 as TensorFlow's C++ log does); it must still earn every point.
WARNING_ANSWER = (
    "import logging\nimport os\nimport sys\nimport warnings\n\nimport keras\n"
    "from sklearn.exceptions import ConvergenceWarning\n\n\n"
    "def add(a, b):\n"
    "    warnings.warn('a UserWarning the student should see', UserWarning, stacklevel=1)\n"
    "    warnings.warn('a DeprecationWarning', DeprecationWarning, stacklevel=1)\n"
    "    warnings.warn('a ConvergenceWarning', ConvergenceWarning, stacklevel=1)\n"
    "    keras.layers.Dense(1, input_shape=(3,))  # Keras warns about input_shape\n"
    "    logging.getLogger('student').warning('a logged warning')\n"
    "    print('a line on stderr', file=sys.stderr)\n"
    "    os.write(2, b'W0000 00:00:00.000000 1 tf_log.cc:1] a C++ log line\\n')\n"
    "    return a + b\n"
)


def snoop(targets):
    """Return code that tries to read and append to every path in ``targets``."""
    return ("import os\n"
            f"for path in {[str(p) for p in targets]!r}:\n"
            "    try:\n"
            "        open(path, 'rb').read(1)\n"
            "        print('READ', path)\n"
            "    except OSError as error:\n"
            "        print('NO READ', path, type(error).__name__)\n"
            "    try:\n"
            "        open(path, 'a').close()\n"
            "        print('WROTE', path)\n"
            "    except OSError as error:\n"
            "        print('NO WRITE', path, type(error).__name__)\n")


def escape_targets():
    """Return the read-only host folders a root kernel would remount and poison."""
    import sysconfig

    import aecourse

    return [sysconfig.get_paths()["purelib"], str(Path(aecourse.__file__).resolve().parent),
            sys.base_prefix, "/usr", "/etc"]


ESCAPE_FILE = "aecourse-escape.pth"


def escape(targets):
    """Return code that tries every way up to privilege and out to the host, and reports."""
    return ("import ctypes\nimport os\nimport subprocess\n"
            "libc = ctypes.CDLL(None, use_errno=True)\n"
            "status = dict(line.split(':', 1) for line in open('/proc/self/status')\n"
            "              if ':' in line)\n"
            "print('CAPEFF', status['CapEff'].strip(), 'UID', os.getuid(), 'GID', os.getgid())\n"
            f"for target in {targets!r}:\n"
            "    remounted = libc.mount(None, target.encode(), None, 0x20 | 0x1000, None)\n"
            "    print('REMOUNT', target, remounted, ctypes.get_errno())\n"
            "    try:\n"
            f"        open(os.path.join(target, {ESCAPE_FILE!r}), 'w').write('import os')\n"
            "        print('ESCAPED', target)\n"
            "    except OSError as error:\n"
            "        print('NO WRITE', target, type(error).__name__)\n"
            "for command in (['mount', '-o', 'remount,rw', '/usr'], ['unshare', '-r', 'true'],\n"
            "                ['unshare', '-m', 'true'], ['su', '-c', 'true']):\n"
            "    run = subprocess.run(command, capture_output=True)\n"
            "    print('RAN' if run.returncode == 0 else 'REFUSED', command[0], command[1])\n"
            "for change in (os.setuid, os.setgid):\n"
            "    try:\n"
            "        change(0)\n"
            "        print('BECAME ROOT', change.__name__)\n"
            "    except OSError:\n"
            "        print('STAYED', change.__name__)\n")


def hostile_answers(root, port):
    """Return ``{student: code of the answer cell}`` for the submissions that run code."""
    repo = settings.ROOT
    import aecourse

    targets = [root / "grading" / "gradebook.db",
               root / "grading" / "source" / PROBE / f"{PROBE}.ipynb",
               repo / "source" / "01_wine_basics" / "01_wine_basics.ipynb",
               repo / "nbgrader_config.py",
               Path.home() / ".ipython" / "profile_default" / "startup" / "evil.py",
               root / "submitted" / "model" / PROBE / f"{PROBE}.ipynb",
               Path.home() / ".bashrc", repo / "pwned.txt"]
    package = Path(aecourse.__file__).resolve()  # visible, read-only
    edit_package = (f"try:\n    open({str(package)!r}, 'a').write('# edited')\n"
                    "    print('EDITED THE PACKAGE')\n"
                    "except OSError as error:\n"
                    "    print('PACKAGE READ-ONLY', type(error).__name__)\n")
    return {
        "model": MODEL_ANSWER,
        "wrong": "def add(a, b):\n    return a - b\n",
        # A number displayed from inside the test cell, which nbgrader reads as partial credit.
        "displays": "import sys\n\n\ndef add(a, b):\n    sys.displayhook(2)\n    return a - b\n",
        # The failing test's error hidden from the notebook: nbgrader keeps the kernel's reply.
        "hides_errors": "get_ipython().set_custom_exc((AssertionError,), lambda *args: None)\n"
                        "def add(a, b):\n    return a - b\n",
        "exits": "import os\nos._exit(1)\n",
        "sigkill": "import os\nimport signal\nos.kill(os.getpid(), signal.SIGKILL)\n",
        "loops": "while True:\n    pass\n",
        "sleeps": "import time\ntime.sleep(1000)\n",
        # b"x" * n writes every page (a bytearray(n) would stay unresident zero pages).
        "memory": "hog = []\nwhile True:\n    hog.append(b'x' * (50 * 2**20))\n",
        "forks": "import subprocess\nimport time\n"
                 "children = [subprocess.Popen(['sleep', '100']) for _ in range(40)]\n"
                 "time.sleep(5)\n",
        "background": "import subprocess\n"
                      f"subprocess.Popen(['sh', '-c', '{MARKER}'], start_new_session=True)\n"
                      + MODEL_ANSWER,
        "prints": "for _ in range(300):\n    print('x' * 10000)\n" + MODEL_ANSWER,
        # 200 MiB: the kernel's own streams cut it after the text cap.
        "floods": "import sys\nfor _ in range(200):\n    sys.stdout.write('x' * 2**20)\n"
                  + MODEL_ANSWER,
        # The kernel's cut undone: 100 MiB reach the grader, which keeps the cap and grades.
        "floods_around": "import os\nimport sys\ndel sys.stdout.write\n"
                         "for _ in range(50):\n    sys.stdout.write('x' * 2**20)\n"
                         "    os.write(1, b'y' * 2**20)\n" + MODEL_ANSWER,
        # 40 images of 100 KB: over the image cap, under the text cap.
        "draws": "import base64\nfrom IPython.display import display\n"
                 "for _ in range(40):\n"
                 "    display({'image/png': base64.b64encode(bytes(75000)).decode()}, raw=True)\n"
                 + MODEL_ANSWER,
        "big_file": "try:\n    open('big.bin', 'wb').write(bytes(5 * 2**20))\n"
                    "except OSError as error:\n    print('NO BIG FILE', type(error).__name__)\n"
                    + MODEL_ANSWER,
        "snoops": snoop(targets) + edit_package + MODEL_ANSWER,
        "escapes": escape(escape_targets()) + MODEL_ANSWER,
        # nbgrader's notebook in the working folder holds the hidden test with its judge.
        "reads_judges": "import os\nseen = sorted(os.listdir('.'))\nprint('SEES', seen)\n"
                        "for name in seen:\n"
                        "    if 'assert sum_to' + '_zero ==' in open(name).read():\n"
                        "        print('READ THE JUDGE IN', name)\n" + MODEL_ANSWER,
        # One display shown 300 times, then replaced in place by 10 KB: 3 MB of text.
        "updates_display": "from IPython.display import display\n"
                           "handles = [display('x', display_id='same') for _ in range(300)]\n"
                           "handles[0].update('y' * 10000)\n" + MODEL_ANSWER,
        # 1 MiB files (the file limit) until each tmpfs is full (8 MiB here).
        "fills_disk": "import os\nfor folder in ('.', '/tmp'):\n    written = 0\n"
                      "    try:\n        while True:\n"
                      "            with open(os.path.join(folder, f'fill{written}'), 'wb') as f:\n"
                      "                f.write(bytes(2**20 - 4096))\n"
                      "            written += 1\n"
                      "    except OSError as error:\n"
                      "        print('DISK FULL', folder, written, type(error).__name__)\n"
                      + MODEL_ANSWER,
        "many_files": "import time\nfor index in range(100000):\n"
                      "    open(f'/tmp/f{index}', 'w').close()\ntime.sleep(5)\n",
        "connects": "import socket\ntry:\n"
                    f"    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
                    "    print('CONNECTED')\n"
                    "except OSError as error:\n    print('NO CONNECTION', type(error).__name__)\n"
                    + MODEL_ANSWER,
    }


# student -> (status, words of the recorded problem, autograded points)
EXPECTED = {
    "model": ("graded", "", 2),
    "wrong": ("graded", "", 0),
    "displays": ("graded", "", 0),
    "hides_errors": ("graded", "", 0),
    "exits": ("failed", "the kernel died", 0),
    "sigkill": ("failed", "the kernel died", 0),
    "loops": ("graded", f"stopped after {LIMITS.cell_seconds:g} s", 0),
    "sleeps": ("graded", f"stopped after {LIMITS.cell_seconds:g} s", 0),
    "memory": ("failed", "used more than 1.5 GiB of memory", 0),
    "forks": ("failed", "started more than 16 processes", 0),
    "background": ("graded", "", 2),
    "prints": ("graded", "printed more than 0.5 MiB of text", 2),
    "draws": ("graded", "displayed more than 1 MiB of images", 2),
    "floods": ("graded", "printed more than 0.5 MiB of text", 2),
    "floods_around": ("graded", "printed more than 0.5 MiB of text", 2),
    "big_file": ("graded", "", 2),
    "snoops": ("graded", "", 2),
    "escapes": ("graded", "", 2),
    "reads_judges": ("graded", "", 2),
    "updates_display": ("graded", "printed more than 0.5 MiB of text", 2),
    "fills_disk": ("graded", "", 2),
    "many_files": ("failed", "created more than 300 files", 0),
    "links": ("graded", "ignored: leak.txt (a link), pipe (not a regular file)", 2),
    "connects": ("graded", "", 2),
    "shadows": ("graded", "extra files ignored: aecourse/checks.py", 2),
    "bad_json": ("not graded", "is not a valid notebook (NotJSONError)", 0),
    "empty": ("not graded", "is not a valid notebook (an empty file)", 0),
    "garbage": ("not graded", "is not a valid notebook", 0),
    "duplicate_ids": ("graded", "", 2),
    "duplicate_cells": ("failed", "the nbgrader metadata of a cell is damaged", 0),
    "renamed": ("failed", "nbgrader metadata of a cell was changed", 0),
    "julia": ("graded", "", 2),
}


def write_class(root, released, port):
    """Write every submission of the hostile class under ``root/submitted``."""
    submitted = root / "submitted"

    def put(student, content):
        folder = submitted / student / PROBE
        folder.mkdir(parents=True)
        path = folder / f"{PROBE}.ipynb"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(json.dumps(content))  # as given, even when nbformat would refuse
        return folder

    for student, code in hostile_answers(root, port).items():
        put(student, submission(released, code))
    linked = put("links", submission(released))
    (linked / "leak.txt").symlink_to("/etc/passwd")
    os.mkfifo(linked / "pipe")
    shadow = put("shadows", submission(released))
    (shadow / "aecourse").mkdir()
    (shadow / "aecourse" / "checks.py").write_text("raise ImportError('the shadow was used')\n")
    put("bad_json", b'{"cells": [')
    put("empty", b"")
    put("garbage", bytes(range(256)) * 4)
    twins = submission(released)
    twins.cells[3].id = twins.cells[2].id
    put("duplicate_ids", twins)
    doubled = submission(released)
    doubled.cells.insert(3, nbformat.from_dict(json.loads(json.dumps(doubled.cells[2]))))
    doubled.cells[3].id = "copied"
    put("duplicate_cells", doubled)
    renamed = submission(released)
    renamed.cells[2].metadata.nbgrader.grade_id = "my_add"
    put("renamed", renamed)
    julia = submission(released)
    julia.metadata.kernelspec = {"name": "julia-1.9", "display_name": "Julia 1.9",
                                 "language": "julia"}
    put("julia", julia)
    return submitted


def digests(paths):
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    source = write_source(root / "source")
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(1)
    accepted = []

    def listen():
        while not stopped.is_set():
            try:
                accepted.append(server.accept())
            except OSError:
                continue

    stopped = threading.Event()
    threading.Thread(target=listen, daemon=True).start()
    submitted = write_class(root, release(source), server.getsockname()[1])
    import aecourse

    repo = settings.ROOT
    watched = [*submitted.rglob("*"), *Path(aecourse.__file__).parent.glob("*.py"),
               repo / "nbgrader_config.py", *(repo / "source").rglob("*.ipynb")]
    before = digests(watched)
    startup = Path.home() / ".ipython" / "profile_default" / "startup"
    startup_before = sorted(startup.glob("*")) if startup.is_dir() else []
    outcomes = grade_class(submitted, root / "grading", [PROBE], workers=2, limits=LIMITS,
                           source=source)
    stopped.set()
    server.close()
    return {"outcomes": {o.student: o for o in outcomes}, "root": root, "accepted": accepted,
            "changed": {p for p, d in digests(watched).items() if before.get(p) != d},
            "startup": (startup_before, sorted(startup.glob("*")) if startup.is_dir() else []),
            "repo": repo}


def autograded_text(root, student):
    nb = nbformat.read(str(root / "grading" / "autograded" / student / PROBE / f"{PROBE}.ipynb"),
                       as_version=4)
    return "".join(output.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                   for output in cell.outputs)


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_submission_is_recorded_with_its_reason(hostile, student):
    status, problem, points = EXPECTED[student]
    outcome = hostile["outcomes"][student]
    assert (outcome.status, outcome.total("auto")) == (status, points), outcome
    assert problem in outcome.problem
    if not problem:
        assert outcome.problem == ""


def test_every_submission_is_in_grades_csv_and_the_report(hostile):
    folder = hostile["root"] / "grading"
    with open(folder / "grades.csv") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(EXPECTED)
    assert rows["memory"]["problem"] == hostile["outcomes"]["memory"].problem
    assert rows["model"][f"{PROBE}/test_add"] == "2.0"
    report = (folder / "report.md").read_text()
    assert "## Problems" in report and "used more than 1.5 GiB of memory" in report, report
    page = (folder / "report.html").read_text()
    assert "<table>" in page and "report-scores-00_probe.png" in page
    assert (folder / "report-questions-00_probe.png").stat().st_size > 1000


def test_the_class_gradebook_holds_every_gradable_student(hostile):
    folder = hostile["root"] / "grading"
    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gradebook:
        students = {s.id for s in gradebook.students}
        scores = {s.student.id: s.score for s in gradebook.assignment_submissions(PROBE)}
    gradable = {s for s, (status, _, _) in EXPECTED.items() if status != "not graded"}
    assert students == gradable
    assert scores == {s: float(EXPECTED[s][2]) for s in gradable}
    # Failed submissions keep their notebook, so the written answer can still be graded.
    assert (folder / "autograded" / "memory" / PROBE / f"{PROBE}.ipynb").is_file()


def test_the_kernel_sees_its_notebook_without_judges_and_nothing_else_of_its_folder(hostile):
    shown = autograded_text(hostile["root"], "reads_judges")
    assert f"SEES ['{PROBE}.ipynb']" in shown and "READ THE JUDGE" not in shown, shown


def test_an_output_replaced_in_place_counts_against_the_text_cap(hostile):
    autograded = hostile["root"] / "grading" / "autograded" / "updates_display" / PROBE
    assert (autograded / f"{PROBE}.ipynb").stat().st_size < 1.2 * 2**20


def test_nothing_outside_the_notebook_folder_was_read_or_written(hostile):
    shown = autograded_text(hostile["root"], "snoops")
    lines = shown.splitlines()
    assert [line for line in lines if line.startswith(("READ ", "EDITED"))] == []
    # When the repository or the environment lies under /tmp (a clone in /tmp), the folders
    # above them are mount points inside the kernel's private /tmp: a new file there lands in
    # that throwaway tmpfs, never on the host (the digests and pwned.txt below prove it).
    wrote = [line.removeprefix("WROTE ") for line in lines if line.startswith("WROTE ")]
    assert [path for path in wrote if not path.startswith("/tmp/")] == []
    assert shown.count("NO READ") == 8 and shown.count("NO WRITE") == 8 - len(wrote)
    assert "PACKAGE READ-ONLY" in shown
    assert hostile["changed"] == set()
    assert hostile["startup"][0] == hostile["startup"][1]
    assert not (hostile["repo"] / "pwned.txt").exists()


def test_no_privilege_inside_and_no_way_out(hostile):
    """Whoever starts the grader (root in CI): the kernel is nobody, with no capability, cannot
    remount, unshare, setuid or run a setuid program, and writes nothing on the host."""
    shown = autograded_text(hostile["root"], "escapes")
    assert f"CAPEFF 0000000000000000 UID {sandbox.SANDBOX_UID} GID {sandbox.SANDBOX_UID}" in shown
    targets = escape_targets()
    assert shown.count("REMOUNT") == len(targets) and " 0 0\n" not in shown, shown
    assert "ESCAPED" not in shown and shown.count("NO WRITE") == len(targets)
    assert "RAN" not in shown and shown.count("REFUSED") == 4
    assert "BECAME ROOT" not in shown and shown.count("STAYED") == 2
    assert [target for target in targets if Path(target, ESCAPE_FILE).exists()] == []


def test_the_grader_refuses_a_sandbox_that_keeps_privileges(monkeypatch, tmp_path):
    keeps = sandbox.bwrap_command

    def without_dropping(*args):
        command = keeps(*args)
        for flag, count in (("--cap-drop", 2), ("--uid", 2), ("--gid", 2),
                            ("--disable-userns", 1)):
            index = command.index(flag)
            del command[index:index + count]
        return command

    monkeypatch.setattr(sandbox, "bwrap_command", without_dropping)
    problem = sandbox.isolation_problem(sandbox.system_paths(), settings.Limits())
    assert "failed its privilege check" in problem
    with pytest.raises(SystemExit, match="Not grading: the sandbox failed its privilege check"):
        grade_class(tmp_path / "submitted", tmp_path / "grading", [PROBE],
                    source=write_source(tmp_path / "source"))


def test_disk_is_bounded_and_nothing_written_comes_back(hostile):
    shown = autograded_text(hostile["root"], "fills_disk")
    full = [line.split() for line in shown.splitlines() if line.startswith("DISK FULL")]
    assert [folder for _, _, folder, _, _ in full] == [".", "/tmp"], shown
    assert all(int(count) <= LIMITS.disk_mib for _, _, _, count, _ in full)
    folder = hostile["root"] / "grading"
    for student in ("fills_disk", "many_files", "big_file"):
        kept = sorted(path.relative_to(folder).as_posix() for kind in ("autograded", "feedback")
                      for path in (folder / kind / student).rglob("*") if path.is_file())
        expected = [f"autograded/{student}/{PROBE}/{PROBE}.ipynb"]
        if hostile["outcomes"][student].status == "graded":  # a failed one gets no feedback
            expected.append(f"feedback/{student}/{PROBE}/{PROBE}.html")
        assert kept == expected


def test_files_are_limited_in_size(hostile):
    assert "NO BIG FILE" in autograded_text(hostile["root"], "big_file")


def test_no_connection_reaches_the_grading_host(hostile):
    assert hostile["accepted"] == []
    assert "NO CONNECTION" in autograded_text(hostile["root"], "connects")


def test_output_is_capped(hostile):
    shown = autograded_text(hostile["root"], "prints")
    assert "Output limit reached" in shown and len(shown) < 1.2 * 2**20
    nb = nbformat.read(str(hostile["root"] / "grading" / "autograded" / "draws" / PROBE /
                           f"{PROBE}.ipynb"), as_version=4)
    images = [output for cell in nb.cells for output in cell.get("outputs", [])
              if "image/png" in output.get("data", {})]
    assert 5 <= len(images) < 40 and "more than 1 MiB of images" in autograded_text(
        hostile["root"], "draws")


def test_a_flood_is_cut_in_the_kernel(hostile):
    for student in ("floods", "floods_around"):
        shown = autograded_text(hostile["root"], student)
        assert "Output limit reached" in shown and len(shown) < 1.2 * 2**20, student


def test_no_process_outlives_its_grading(hostile):
    leftovers = [p.info for p in psutil.process_iter(["pid", "cmdline"])
                 if p.info["cmdline"] and (MARKER in " ".join(p.info["cmdline"])
                                           or p.info["cmdline"][:2] == ["sleep", "100"])]
    assert leftovers == []


# ---------------------------------------------------------------- small classes


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    root = tmp_path_factory.mktemp("probe")
    source = write_source(root / "source")
    return source, release(source)


def small_class(folder, released, answers):
    for student, code in answers.items():
        path = folder / student / PROBE / f"{PROBE}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(submission(released, code), str(path))
    return folder


def test_warnings_cost_no_points_and_stay_visible(probe, tmp_path):
    source, released = probe
    submitted = small_class(tmp_path / "submitted", released, {"warns": WARNING_ANSWER})
    outcomes = grade_class(submitted, tmp_path / "grading", [PROBE], workers=1, source=source)
    assert [(o.status, o.total("auto")) for o in outcomes] == [("graded", 2)]
    nb = nbformat.read(str(tmp_path / "grading" / "autograded" / "warns" / PROBE /
                           f"{PROBE}.ipynb"), as_version=4)
    test_cell = next(cell for cell in nb.cells
                     if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_add")
    shown = "".join(output.get("text", "") for output in test_cell.outputs)
    for warning in ("UserWarning: a UserWarning", "DeprecationWarning: a Deprecation",
                    "ConvergenceWarning: a ConvergenceWarning", "input_shape", "a logged warning",
                    "a line on stderr"):
        assert warning in shown


def test_rerun_grades_only_new_or_changed_submissions(probe, tmp_path, capsys):
    source, released = probe
    submitted = small_class(tmp_path / "submitted", released,
                            {"ann": MODEL_ANSWER, "bob": "def add(a, b):\n    return 0\n"})
    out = tmp_path / "grading"
    first = grade_class(submitted, out, [PROBE], workers=2, limits=LIMITS, source=source)
    assert [o.total("auto") for o in first] == [2, 0]
    assert "Grading 0 of 2" in _rerun(submitted, out, source, capsys)
    small_class(submitted, released, {"bob": MODEL_ANSWER})
    assert "Grading 1 of 2" in _rerun(submitted, out, source, capsys)
    assert "Grading 2 of 2" in _rerun(submitted, out, source, capsys, force=True)
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gradebook:
        assert {s.student.id: s.score for s in gradebook.assignment_submissions(PROBE)} == {
            "ann": 2.0, "bob": 2.0}


def _rerun(submitted, out, source, capsys, force=False):
    capsys.readouterr()
    grade_class(submitted, out, [PROBE], workers=2, limits=LIMITS, source=source, force=force)
    return capsys.readouterr().out


def test_grading_a_course_in_place_keeps_its_submissions(probe, tmp_path):
    source, released = probe
    course = tmp_path / "course"
    small_class(course / "submitted", released, {"ann": MODEL_ANSWER})
    before = digests(list((course / "submitted").rglob("*")))
    outcomes = grade_class(course, course, [PROBE], workers=1, limits=LIMITS, source=source)
    assert [o.total("auto") for o in outcomes] == [2]
    assert digests(list((course / "submitted").rglob("*"))) == before


@pytest.mark.slow
def test_a_dask_cluster_grades_the_same_class(probe, tmp_path):
    from distributed import LocalCluster

    source, released = probe
    submitted = small_class(tmp_path / "submitted", released, {
        "ann": MODEL_ANSWER, "bob": "def add(a, b):\n    return 0\n",
        "cy": "raise NotImplementedError()\n"})
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        outcomes = grade_class(submitted, tmp_path / "grading", [PROBE], limits=LIMITS,
                               source=source, scheduler=cluster.scheduler_address)
    assert {o.student: (o.status, o.total("auto")) for o in outcomes} == {
        "ann": ("graded", 2), "bob": ("graded", 0), "cy": ("graded", 0)}
    with Gradebook(f"sqlite:///{tmp_path / 'grading' / 'gradebook.db'}") as gradebook:
        assert {s.student.id: s.score for s in gradebook.assignment_submissions(PROBE)} == {
            "ann": 2.0, "bob": 0.0, "cy": 0.0}
    feedback = tmp_path / "grading" / "feedback" / "ann" / PROBE / f"{PROBE}.html"
    assert "add(1, 2)" in feedback.read_text()


def test_without_bubblewrap_the_grader_names_the_package(probe, tmp_path, monkeypatch):
    source, released = probe
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    small_class(tmp_path / "submitted", released, {"ann": MODEL_ANSWER})
    with pytest.raises(SystemExit, match="bubblewrap"):
        grade_class(tmp_path / "submitted", tmp_path / "grading", [PROBE], source=source)


def test_no_sandbox_grades_and_says_so(probe, tmp_path):
    source, released = probe
    small_class(tmp_path / "submitted", released, {"ann": MODEL_ANSWER})
    outcomes = grade_class(tmp_path / "submitted", tmp_path / "grading", [PROBE], workers=1,
                           use_sandbox=False, limits=LIMITS, source=source)
    assert [(o.total("auto"), o.sandboxed) for o in outcomes] == [(2, False)]
    assert "WITHOUT a sandbox" in (tmp_path / "grading" / "report.md").read_text()


def test_a_grader_bug_fails_one_row_logs_its_traceback_and_the_class_goes_on(
        probe, tmp_path, monkeypatch):
    from autograder.grading import worker

    collect = worker._collect

    def buggy_collect(course, task, result):
        if task.student == "unlucky":
            raise KeyError("a bug in the grader")
        collect(course, task, result)

    monkeypatch.setattr(worker, "_collect", buggy_collect)
    source, released = probe
    small_class(tmp_path / "submitted", released, {"unlucky": MODEL_ANSWER, "ann": MODEL_ANSWER})
    outcomes = {o.student: o for o in grade_class(tmp_path / "submitted", tmp_path / "grading",
                                                   [PROBE], workers=2, source=source)}
    assert (outcomes["ann"].status, outcomes["ann"].total("auto")) == ("graded", 2)
    assert outcomes["unlucky"].status == "failed"
    assert "grader error (KeyError: 'a bug in the grader')" in outcomes["unlucky"].problem
    log = (tmp_path / "grading" / STATE / "grader.log").read_text()
    assert "unlucky/00_probe" in log and "Traceback" in log and "buggy_collect" in log


@pytest.mark.slow
def test_ctrl_c_leaves_a_consistent_gradebook_and_a_rerun_finishes(probe, tmp_path):
    source, released = probe
    slow = "import time\ntime.sleep(2)\n" + MODEL_ANSWER
    students = {f"student{index}": slow for index in range(4)}
    submitted = small_class(tmp_path / "submitted", released, students)
    out = tmp_path / "grading"
    command = [sys.executable, "-m", "autograder.grading", str(submitted), "--out", str(out),
               "--workers", "1", "--source", str(source)]
    grader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    state = out / STATE / "outcomes.json"
    deadline = time.monotonic() + 180
    while not state.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    grader.send_signal(signal.SIGINT)
    output, _ = grader.communicate(timeout=120)
    assert grader.returncode == 130 and "run the same command again" in output, output
    merged = {key.split("/")[0] for key in json.loads(state.read_text())}
    assert 1 <= len(merged) < len(students)
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gradebook:
        assert {s.student.id: s.score for s in gradebook.assignment_submissions(PROBE)} == \
            dict.fromkeys(merged, 2.0)
    rerun = subprocess.run([*command, "--workers", "2"], capture_output=True, text=True,
                           timeout=300)
    assert f"Grading {len(students) - len(merged)} of {len(students)}" in rerun.stdout
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gradebook:
        assert {s.student.id: s.score for s in gradebook.assignment_submissions(PROBE)} == \
            dict.fromkeys(students, 2.0)


def test_ctrl_c_waits_until_a_merge_is_complete():
    finished = []
    with pytest.raises(KeyboardInterrupt):
        with deferred_interrupt():
            os.kill(os.getpid(), signal.SIGINT)
            finished.append(True)
    assert finished == [True]


def test_grades_csv_has_one_schema_whatever_was_graded(hostile, tmp_path):
    maxima = {PROBE: {"test_add": (2.0, "auto"), "why": (1.0, "manual")},
              "other": {"test_x": (1.0, "auto")}}
    from autograder.grading.report import write_grades

    write_grades([hostile["outcomes"]["model"]], maxima, tmp_path / "one.csv")
    write_grades([], maxima, tmp_path / "none.csv")
    headers = [(tmp_path / name).read_text().splitlines()[0] for name in ("one.csv", "none.csv")]
    assert headers[0] == headers[1] and headers[0].endswith(
        f"{PROBE}/test_add,{PROBE}/why,other/test_x")


@pytest.mark.parametrize("given", ["link", "relative"])
def test_a_data_folder_given_by_a_link_or_a_relative_path_is_read(probe, tmp_path, monkeypatch,
                                                                 given):
    """One resolved path for the sandbox's bind and the kernel's variable."""
    source, released = probe
    data = tmp_path / "real-data"
    data.mkdir()
    (data / "digits.txt").write_text("0123456789")
    (tmp_path / "link").symlink_to(data)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(settings.DATA_VARIABLE, "link" if given == "link" else "./real-data")
    reads = ("import os\n"
             f"print('DATA', open(os.path.join(os.environ[{settings.DATA_VARIABLE!r}], "
             "'digits.txt')).read())\n" + MODEL_ANSWER)
    submitted = small_class(tmp_path / "submitted", released, {"reads": reads})
    outcomes = grade_class(submitted, tmp_path / "grading", [PROBE], workers=1, source=source)
    assert [(o.status, o.total("auto")) for o in outcomes] == [("graded", 2)]
    assert "DATA 0123456789" in autograded_text(tmp_path, "reads")


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/python3").exists(),
                    reason="needs root (as an ordinary user the whole suite is the proof) and the "
                           "system's /usr/bin/python3")
def test_the_sandbox_holds_under_an_unprivileged_account():
    """The same sandbox started by an ordinary account (nobody) instead of root: the escape
    attempts run in the system's Python (the grader's own may live under /root)."""
    import pwd
    import shutil
    import tempfile

    account = pwd.getpwnam("nobody")
    folder = Path(tempfile.mkdtemp(prefix="aecourse-unprivileged-"))
    try:
        os.chown(folder, account.pw_uid, account.pw_gid)
        bpf = sandbox.write_seccomp_filter(folder / "seccomp.bpf")
        targets = ["/usr", "/etc"]
        system = [path for path in sandbox.system_paths() if path.startswith(("/usr", "/bin",
                                                                               "/lib", "/etc"))]
        command = sandbox.bwrap_command(folder / "work", [], system, LIMITS, bpf)
        run = subprocess.run(["runuser", "-u", "nobody", "--", *command, "/usr/bin/python3",
                              "-c", escape(targets)], capture_output=True, text=True,
                             timeout=120, cwd=folder)
        shown = run.stdout
        assert run.returncode == 0, run.stderr[-2000:]
        assert f"CAPEFF 0000000000000000 UID {sandbox.SANDBOX_UID}" in shown
        assert shown.count("NO WRITE") == len(targets) and "ESCAPED" not in shown, shown
        assert "RAN" not in shown and "BECAME ROOT" not in shown, shown
        assert not [target for target in targets if Path(target, ESCAPE_FILE).exists()]
        assert sorted(path.name for path in folder.iterdir()) == ["seccomp.bpf"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_plain_nbgrader_autograde_in_the_course_folder_is_sandboxed_and_judged(probe, tmp_path):
    """`nbgrader autograde` (and formgrader's button) with the course's nbgrader_config.py: the
    kernel is the sandbox's unprivileged user, and a displayed number earns nothing."""
    from autograder.grading.gradebook import prepare_course

    source, released = probe
    course = tmp_path / "course"
    prepare_course(course, [PROBE], source=source)
    answers = {"escapes": escape(["/usr"]) + MODEL_ANSWER,
               "displays": "import sys\n\n\ndef add(a, b):\n    sys.displayhook(2)\n"
                           "    return a - b\n"}
    for student, code in answers.items():
        path = course / "submitted" / student / PROBE / f"{PROBE}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(submission(released, code), str(path))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    run = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", PROBE, "--force"],
                         cwd=course, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {s.student.id: s.score for s in gradebook.assignment_submissions(PROBE)}
    assert scores == {"escapes": 2.0, "displays": 0.0}
    shown = "".join(output.get("text", "") for cell in nbformat.read(
        str(course / "autograded" / "escapes" / PROBE / f"{PROBE}.ipynb"), 4).cells
        if cell.cell_type == "code" for output in cell.outputs)
    assert f"CAPEFF 0000000000000000 UID {sandbox.SANDBOX_UID}" in shown
    assert "ESCAPED" not in shown and "BECAME ROOT" not in shown


@pytest.mark.slow
def test_a_flood_gets_the_same_outcome_under_cpu_load(probe, tmp_path):
    """Busy processes hold every core while the two floods are graded: each is still graded
    with every point and the reason in its row, as in the hostile class."""
    source, released = probe
    answers = hostile_answers(tmp_path, 0)
    floods = ("floods", "floods_around")
    submitted = small_class(tmp_path / "submitted", released, {s: answers[s] for s in floods})
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
               for _ in range(os.cpu_count() or 2)]
    try:
        outcomes = grade_class(submitted, tmp_path / "grading", [PROBE], workers=2,
                               limits=LIMITS, source=source)
    finally:
        for burner in burners:
            burner.kill()
    assert {o.student: (o.status, EXPECTED[o.student][1] in o.problem, o.total("auto"))
            for o in outcomes} == {s: ("graded", True, 2) for s in floods}
