"""nbgrader's exchange end to end: release, fetch, submit, collect, then the course's grader.

The instructor releases an assignment (the one-exercise probe: the exchange is what is tested
here, the course's notebooks are graded in test_grading.py) into a temporary exchange folder,
two students fetch it into their own folders, one hands in the model answer and one the blank
notebook, the instructor collects both and grades what was collected with
``autograder.grading``.
"""

import shutil

import nbformat
import pytest

from autograder import settings
from autograder.grading import grade_class
from autograder.qa.exchange import nbgrader, release
from autograder.qa.probe import PROBE, submission, write_source
from autograder.qa.probe import release as probe_release

ASSIGNMENT = PROBE
COURSE = settings.COURSE_ID
STUDENT_CONFIG = settings.ROOT / "autograder" / "student_nbgrader_config.py"


@pytest.mark.slow
def test_release_fetch_submit_collect_then_grade(tmp_path):
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    source = write_source(tmp_path / "source")
    released_nb = probe_release(source)
    course, log = release(tmp_path, exchange, ASSIGNMENT, source.parent / "release")
    assert f"Released as: {COURSE} {ASSIGNMENT}" in log

    released = (source.parent / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    for student, answered in {"alice": True, "bob": False}.items():
        home = tmp_path / student
        home.mkdir()
        # The student's configuration, which a student copies to ~/.jupyter (nbgrader also
        # reads it from the working folder): the course id, the exchange from $AECOURSE_EXCHANGE.
        shutil.copy(STUDENT_CONFIG, home / "nbgrader_config.py")
        assert f"{COURSE} {ASSIGNMENT}" in nbgrader(["list"], home, exchange)
        nbgrader(["fetch_assignment", ASSIGNMENT], home, exchange)
        fetched = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert fetched.read_text() == released, "the student fetches the committed release"
        if answered:
            nbformat.write(submission(released_nb), str(fetched))
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
                            source=source)}
    auto = {student: [(score, maximum) for score, maximum, kind in outcome.scores.values()
                      if kind == "auto"] for student, outcome in outcomes.items()}
    assert outcomes["alice"].status == "graded" and outcomes["bob"].status == "graded"
    # nbgrader's own records of the exchange are not the student's extra files.
    assert "extra files" not in (outcomes["alice"].problem or ""), outcomes["alice"].problem
    assert sum(maximum for _, maximum in auto["alice"]) == 2
    assert sum(score for score, _ in auto["alice"]) == 2
    assert sum(score for score, _ in auto["bob"]) == 0
    grades = (tmp_path / "grading" / "grades.csv").read_text()
    assert "alice" in grades and "bob" in grades


def test_the_hubs_collect_skips_a_submission_over_the_limit_and_takes_the_one_before(
        tmp_path, monkeypatch):
    """The hub's collect (autograder/hub/exchange.py): a submission over the size limit is
    skipped with an error, and the student's previous one is collected instead."""
    import getpass

    exchange = tmp_path / "exchange"
    exchange.mkdir()
    source = write_source(tmp_path / "source")
    probe_release(source)
    course, _ = release(tmp_path, exchange, ASSIGNMENT, source.parent / "release")
    home = tmp_path / "student"
    home.mkdir()
    shutil.copy(STUDENT_CONFIG, home / "nbgrader_config.py")
    nbgrader(["fetch_assignment", ASSIGNMENT], home, exchange)
    nbgrader(["submit", ASSIGNMENT], home, exchange)
    (home / ASSIGNMENT / "weights.bin").write_bytes(b"\0" * 200_000)
    nbgrader(["submit", ASSIGNMENT], home, exchange)  # plain nbgrader lets it through

    monkeypatch.setenv("AECOURSE_MAX_SUBMISSION_MIB", "0.1")
    log = nbgrader(["collect", ASSIGNMENT,
                    "--ExchangeFactory.collect=autograder.hub.exchange.LimitedCollect"],
                   course, exchange)
    assert "over the size limit of 0.1 MiB" in log and "Skipped" in log
    collected = course / "submitted" / getpass.getuser() / ASSIGNMENT
    assert (collected / f"{ASSIGNMENT}.ipynb").is_file()
    assert not (collected / "weights.bin").exists(), "the earlier submission is collected"
