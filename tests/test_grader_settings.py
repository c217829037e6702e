"""The grader's settings: limits declared once, flags generated from them, nbgrader's own
preprocessors, and outcomes that say what happened."""

import argparse
import os
from dataclasses import fields

import pytest
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder import settings
from autograder.grading.outcomes import Outcome, Status, load_outcomes, save_outcomes
from autograder.grading.worker import Task, explain_failure, submission_config


def parse(*argv):
    parser = argparse.ArgumentParser()
    settings.add_limit_flags(parser)
    return parser, parser.parse_args(argv)


def test_every_limit_has_a_flag_with_its_default():
    parser, args = parse()
    assert settings.limits_from(args) == settings.Limits()
    text = parser.format_help()
    for limit in fields(settings.Limits):
        assert limit.metadata["flag"] in text
    assert "(default: 300)" in text and "(default: 4)" in text


def test_flags_set_the_limits():
    _, args = parse("--memory", "1.5", "--timeout", "20", "--threads", "3")
    limits = settings.limits_from(args)
    assert (limits.memory_gib, limits.cell_seconds, limits.threads) == (1.5, 20, 3)


def test_threads_are_the_cores_shared_among_workers_unless_given():
    cores = os.cpu_count() or 1
    assert settings.Limits().for_workers(1).threads == cores
    assert settings.Limits().for_workers(cores * 2).threads == 1
    assert settings.Limits(threads=3).for_workers(8).threads == 3
    env = settings.kernel_environment(settings.Limits().for_workers(1))
    assert env["OMP_NUM_THREADS"] == env["TF_NUM_INTRAOP_THREADS"] == str(cores)


def task(**changes):
    return Task(student="ada", assignment="00_probe", files={}, template={},
                limits=settings.Limits(cell_seconds=7).as_dict(), kernel_env={"HOME": "/tmp"},
                readable=["/usr"], **changes)


def test_each_submission_runs_nbgrader_s_own_preprocessors_with_the_sandboxed_executor(tmp_path):
    config = submission_config(task(), tmp_path / "events.jsonl")
    assert isinstance(config, Config)
    ours = [name for name in config.Autograde.autograde_preprocessors
            if name.rsplit(".", 1)[-1] not in ("DisplayedValuesGiveNoCredit", "SplitJudges",
                                               "JudgeProbes")]
    theirs = Autograde.class_traits()["autograde_preprocessors"].default()
    assert len(ours) == len(theirs)
    for name, cls in zip(ours, theirs, strict=True):
        expected = "autograder.grading.execute.SandboxedExecute" if issubclass(cls, Execute) else \
            f"{cls.__module__}.{cls.__qualname__}"
        assert name == expected
    assert config.Execute.timeout == 7
    assert config.SandboxKernelManager.readable == ["/usr"]
    assert config.SandboxKernelManager.events_file == str(tmp_path / "events.jsonl")


def test_outcomes_keep_their_status_and_every_problem(tmp_path):
    outcome = Outcome("ada", "04_vae")
    outcome.add_problem("the kernel printed more than 2 MiB of output")
    outcome.add_problem("stopped after 300 s: cell 12", Status.FAILED)
    assert outcome.status == Status.FAILED and outcome.problem == (
        "the kernel printed more than 2 MiB of output; stopped after 300 s: cell 12")
    save_outcomes(tmp_path, {outcome.key: outcome})
    assert load_outcomes(tmp_path) == {"ada/04_vae": outcome}
    with pytest.raises(ValueError, match="'lost' is not a valid Status"):
        Outcome("ada", "04_vae", status="lost")


@pytest.mark.parametrize("config_file", ["nbgrader_config.py",
                                         "autograder/student_nbgrader_config.py"])
def test_course_and_student_configs_allow_a_training_cell_its_minutes(config_file):
    """nbgrader's 30-second default would time out every training cell of a Validate."""
    loaded = PyFileConfigLoader(str(settings.ROOT / config_file)).load_config()
    assert loaded.Execute.timeout == settings.Limits().cell_seconds
    assert loaded.CourseDirectory.course_id == settings.COURSE_ID


def test_a_number_displayed_in_a_test_cell_earns_no_credit():
    from nbformat.v4 import new_code_cell, new_notebook, new_output
    from nbgrader.utils import determine_grade

    from autograder.grading.verdicts import DisplayedValuesGiveNoCredit

    test_cell = new_code_cell("assert add(1, 2) == 3", outputs=[
        new_output("execute_result", data={"text/plain": "2"}, execution_count=3),
        new_output("error", ename="AssertionError", evalue="", traceback=[])])
    test_cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "test_add",
                                      "points": 2, "locked": True, "schema_version": 3}
    assert determine_grade(test_cell, None) == (2.0, 2.0), "nbgrader alone gives the points"
    nb, _ = DisplayedValuesGiveNoCredit().preprocess(new_notebook(cells=[test_cell]), {})
    assert determine_grade(nb.cells[0], None) == (0, 2.0)
    assert nb.cells[0].outputs[0].output_type == "display_data", "still shown in the feedback"


def test_every_grading_path_sandboxes_the_kernel_and_judges_outside_it():
    """``nbgrader autograde`` in the course folder (and formgrader's button) grades as the
    grader does: sandboxed kernel, judge around it, displayed values kept from the scores."""
    loaded = PyFileConfigLoader(str(settings.ROOT / "nbgrader_config.py")).load_config()
    for config in (loaded, submission_config(task(), "events.jsonl")):
        names = [name.rsplit(".", 1)[-1] for name in config.Autograde.autograde_preprocessors]
        assert names[names.index("SandboxedExecute") - 1:][:3] == [
            "SplitJudges", "SandboxedExecute", "JudgeProbes"]
        assert names.index("DisplayedValuesGiveNoCredit") == names.index("SaveAutoGrades") - 1
        assert config.SandboxKernelManager.sandbox is True
        assert "/usr" in config.SandboxKernelManager.readable
        assert config.SandboxKernelManager.kernel_env["HOME"] == "/tmp"
    assert loaded.SandboxKernelManager.kernel_env[settings.PROFILE_VARIABLE] == \
        settings.TOOLING_PROFILE


NBGRADER_FAILURE_LOG = """[AutogradeApp | INFO] Autograding submission
[AutogradeApp | ERROR] There was an error processing assignment: /tmp/course/submitted/ada/a
Traceback (most recent call last):
  File "nbclient/client.py", line 918, in _check_raise_for_error
nbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:
------------------
import json
json.loads('{')
------------------

JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)
[AutogradeApp | ERROR] Please see the above traceback for details
"""


def test_a_failed_run_is_explained_by_its_exception_and_its_cell():
    explained = explain_failure(NBGRADER_FAILURE_LOG)
    assert explained.startswith("JSONDecodeError: Expecting property name")
    assert "in the cell that starts 'import json'" in explained
    assert "above traceback" not in explained
