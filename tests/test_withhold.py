"""The helper package as a grading kernel sees it: each exercise's twin withheld."""

import subprocess
import sys

import pytest

from autograder import settings
from autograder.grading.withhold import withheld_copy
from autograder.qa.mistakes import TWINS


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


def test_every_twin_is_withheld_or_named_as_still_used(tmp_path):
    withheld = settings.withheld_answers()
    for (assignment, _), twins in TWINS.items():
        for twin in twins:
            assert (twin.removeprefix("aecourse.") in withheld[assignment]
                    or twin in settings.STILL_USED_TWINS[assignment]), twin
    # The package's twins exist: withholding them for every assignment succeeds.
    names = sorted({name for names in withheld.values() for name in names})
    assert names and withheld_copy(settings.helper_package(), names, tmp_path / "aecourse")
