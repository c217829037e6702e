"""nbgrader's exchange end to end: release, fetch, submit, collect, then the course's grader.

The instructor releases an assignment into a temporary exchange folder, two students fetch it
into their own folders, one hands in the model answers and one the blank notebook, the
instructor collects both and grades what was collected with ``autograder.grade``.
"""

import os
import shutil

import nbformat
import pytest

from autograder import notebooks, samples
from autograder.grade import grade_class

ASSIGNMENT = "04_vae"
COURSE = "autoencoders"
STUDENT_CONFIG = notebooks.ROOT / "autograder" / "student_nbgrader_config.py"


def nbgrader(arguments, folder, exchange):
    """Run one nbgrader command in ``folder`` against the exchange ``exchange``; return its log."""
    # nbgrader keeps a student's submissions in a cache under the Jupyter data folder: a
    # temporary one, so that no run sees another's.
    env = {**os.environ, **notebooks.EXECUTION_ENV, "AECOURSE_EXCHANGE": str(exchange),
           "JUPYTER_DATA_DIR": str(exchange.parent / "jupyter-data")}
    result = notebooks.run_nbgrader(arguments, folder, env=env, timeout=300)
    return result.stdout + result.stderr


def release(scratch, exchange):
    """The instructor releases the committed release into ``exchange``; return (course, log)."""
    course = scratch / "course"
    (course / "release").mkdir(parents=True)
    shutil.copy(notebooks.CONFIG, course / "nbgrader_config.py")
    shutil.copytree(notebooks.RELEASE / ASSIGNMENT, course / "release" / ASSIGNMENT)
    return course, nbgrader(["release_assignment", ASSIGNMENT], course, exchange)


@pytest.mark.slow
def test_release_fetch_submit_collect_then_grade(tmp_path):
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    course, log = release(tmp_path, exchange)
    assert f"Released as: {COURSE} {ASSIGNMENT}" in log

    released = (notebooks.RELEASE / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    for student, answers in {"alice": samples.model_answers(ASSIGNMENT), "bob": {}}.items():
        home = tmp_path / student
        home.mkdir()
        # The student's configuration, which a student copies to ~/.jupyter (nbgrader also
        # reads it from the working folder): the course id, the exchange from $AECOURSE_EXCHANGE.
        shutil.copy(STUDENT_CONFIG, home / "nbgrader_config.py")
        assert f"{COURSE} {ASSIGNMENT}" in nbgrader(["list"], home, exchange)
        nbgrader(["fetch_assignment", ASSIGNMENT], home, exchange)
        fetched = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert fetched.read_text() == released, "the student fetches the committed release"
        if answers:
            nbformat.write(samples.filled_release(ASSIGNMENT, answers), str(fetched))
        # --student names the submitter, as each student's own unix account would.
        log = nbgrader(["submit", ASSIGNMENT, "--student", student], home, exchange)
        assert f"Submitted as: {COURSE} {ASSIGNMENT}" in log

    # One unix user plays every role here: on a shared hub keep nbgrader's owner check.
    log = nbgrader(["collect", ASSIGNMENT, "--CollectApp.check_owner=False"], course, exchange)
    assert "Collecting submission: alice" in log and "Collecting submission: bob" in log
    submitted = course / "submitted"
    assert sorted(path.name for path in submitted.iterdir()) == ["alice", "bob"]
    assert (submitted / "alice" / ASSIGNMENT / "timestamp.txt").is_file()

    outcomes = {outcome.student: outcome for outcome in
                grade_class(submitted, tmp_path / "grading", [ASSIGNMENT], workers=2,
                            profile="smoke")}
    auto = {student: [(score, maximum) for score, maximum, kind in outcome.scores.values()
                      if kind == "auto"] for student, outcome in outcomes.items()}
    assert outcomes["alice"].status == "graded" and outcomes["bob"].status == "graded"
    assert sum(maximum for _, maximum in auto["alice"]) == 10
    assert sum(score for score, _ in auto["alice"]) == 10
    assert sum(score for score, _ in auto["bob"]) == 0
    grades = (tmp_path / "grading" / "grades.csv").read_text()
    assert "alice" in grades and "bob" in grades
