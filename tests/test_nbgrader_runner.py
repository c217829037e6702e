"""nbgrader's steps in a child process: work finished before a crash is kept, a crash before it
is reported with its signal, and a kernel cannot forge the 'finished' line."""

import nbformat
import pytest

from autograder.grading.worker import explain_failure
from autograder.nbgrader_runner import NbgraderFailed, run_steps

# A course configuration (Python, run by the child) that kills the child with SIGKILL, either
# right after the runner reports its last step finished or at once after printing a forged
# 'finished' line, as a crashing or hostile process would.
DIES_AFTER_FINISHING = """
import builtins, os, signal
_print = builtins.print
def _print_then_die(*args, **kwargs):
    _print(*args, **kwargs)
    if args and str(args[0]).startswith("[aecourse] finished"):
        os.kill(os.getpid(), signal.SIGKILL)
builtins.print = _print_then_die
"""
DIES_AFTER_FORGING = """
import os, signal, sys
print("[aecourse] finished 0123456789abcdef: nbgrader generate_assignment a", flush=True)
print("[aecourse] finished : nbgrader generate_assignment a", file=sys.stderr, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def course(folder, config):
    (folder / "nbgrader_config.py").write_text(config)
    (folder / "source" / "a").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]),
                   str(folder / "source" / "a" / "a.ipynb"))
    return folder


def test_a_crash_after_every_step_finished_loses_nothing(tmp_path, caplog):
    root = course(tmp_path, DIES_AFTER_FINISHING)
    run_steps(root, [("generate_assignment", "a", None)])
    assert (root / "release" / "a" / "a.ipynb").exists()
    # The grader's log still says what happened.
    assert "nbgrader was killed by SIGKILL after finishing generate_assignment" in caplog.text


def test_a_crash_before_the_work_is_reported_with_its_signal_even_after_a_forged_line(tmp_path):
    root = course(tmp_path, DIES_AFTER_FORGING)
    with pytest.raises(NbgraderFailed) as failed:
        run_steps(root, [("generate_assignment", "a", None)])
    assert failed.value.log.endswith("the nbgrader process was killed by SIGKILL")
    assert explain_failure(failed.value.log) == (
        "the grading process was killed by SIGKILL before it finished (out of memory or a crash)")
    assert not (root / "release" / "a" / "a.ipynb").exists()


def test_a_failed_step_names_its_exit_status(tmp_path):
    root = course(tmp_path, "c = get_config()\nc.CourseDirectory.db_url = 'nonsense://'\n")
    with pytest.raises(NbgraderFailed) as failed:
        run_steps(root, [("generate_assignment", "a", None)])
    assert failed.value.log.endswith("the nbgrader process exited with status 1")
