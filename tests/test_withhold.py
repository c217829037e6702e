"""The helper package as a grading kernel and a student see it: every exercise's twin withheld."""

import gc
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from autograder import settings
from autograder.grading import syntax
from autograder.grading.withhold import withheld_copy


def test_withheld_functions_keep_their_signature_and_raise(tmp_path):
    copy = withheld_copy(settings.helper_package(), ["vae.kl_divergence", "vae.Sampling.call",
                                                     "search.mutate"], tmp_path / "aecourse")
    assert not list(copy.rglob("__pycache__")), "no compiled file comes along"
    probe = ("import aecourse.vae, aecourse.search, inspect\n"
             "print(inspect.signature(aecourse.vae.kl_divergence))\n"
             "for call in (lambda: aecourse.vae.kl_divergence(0, 0),\n"
             "             lambda: aecourse.search.mutate([1], None)):\n"
             "    try:\n        call()\n    except NotImplementedError as error:\n"
             "        print(error)\n"
             "print(aecourse.vae.latent_grid(2, 1.0).shape)\n")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env={"PYTHONPATH": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3",
                              "PATH": "/usr/bin:/bin"}, check=True)
    lines = run.stdout.splitlines()
    assert lines[0] == "(z_mean, z_log_var, reduction='mean')"
    assert "vae.kl_divergence is withheld while this assignment is graded" in lines[1]
    assert "search.mutate is withheld" in lines[2]
    assert lines[3] == "(4, 2)", "everything else is the package as it is"


def test_a_name_that_is_not_there_is_refused(tmp_path):
    with pytest.raises(ValueError, match="vae has no kl_divergance to withhold"):
        withheld_copy(settings.helper_package(), ["vae.kl_divergance"], tmp_path / "aecourse")


def test_every_kernel_has_every_twin_withheld_as_the_students_package_does(tmp_path):
    withheld = settings.withheld_answers()
    every_twin = sorted({twin.removeprefix("aecourse.") for twins in settings.TWINS.values()
                         for twin in twins})
    assert set(withheld) == {assignment for assignment, _ in settings.TWINS}
    assert all(names == every_twin for names in withheld.values())
    # The package's twins exist: withholding all of them succeeds.
    assert withheld_copy(settings.helper_package(), every_twin, tmp_path / "aecourse")


class _Cycle:
    """Garbage whose finalizer lets another thread run: what a collection mid-parse does."""

    def __init__(self):
        self.itself = self

    def __del__(self):
        time.sleep(0.0001)


def test_the_grader_threads_parse_python_at_once_without_a_system_error():
    # Without the lock, CPython 3.11 raised "AST constructor recursion depth mismatch" here.
    source = Path(settings.helper_package(), "vae.py").read_text()
    errors = []

    def parse_many():
        for _ in range(200):
            for _ in range(3):
                _Cycle()
            try:
                syntax.parse(source)
            except SystemError as error:
                errors.append(error)

    threshold, interval = gc.get_threshold(), sys.getswitchinterval()
    gc.set_threshold(5)
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=parse_many) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gc.set_threshold(*threshold)
        sys.setswitchinterval(interval)
    assert errors == []
