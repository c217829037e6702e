"""Round trip with real nbgrader: solutions earn every point, blanks earn zero, nothing is lost."""

import csv

import nbformat
import pytest

from autograder import notebooks, samples
from autograder.grade import grade_class

ASSIGNMENT = "01_wine_basics"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade the sample submissions plus one whose kernel dies; return (outcomes, folder)."""
    root = tmp_path_factory.mktemp("class")
    samples.write_samples(root / "submitted", ASSIGNMENT)
    crash = samples.filled_release(ASSIGNMENT, {"standardise": "import os\nos._exit(1)\n"})
    (root / "submitted" / "crash" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(crash, str(root / "submitted" / "crash" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"))
    outcomes = grade_class(root / "submitted", root / "grading", [ASSIGNMENT], cell_timeout=120)
    return {o.student: o for o in outcomes}, root / "grading"


def auto_max(outcome):
    return sum(maximum for _, maximum, kind in outcome.scores.values() if kind == "auto")


def test_solution_earns_every_autograded_point(graded):
    outcomes, _ = graded
    solution = outcomes["solution"]
    assert solution.status == "graded"
    assert auto_max(solution) >= 10
    assert solution.total("auto") == auto_max(solution)


def test_blank_release_earns_zero(graded):
    outcomes, _ = graded
    assert outcomes["blank"].status == "graded"
    assert outcomes["blank"].total("auto") == 0


def test_one_wrong_answer_loses_exactly_its_points(graded):
    outcomes, _ = graded
    _, _, failing_test = samples.WRONG_ANSWERS[ASSIGNMENT]
    one_wrong = outcomes["one_wrong"]
    lost = one_wrong.scores[failing_test][1]
    assert one_wrong.scores[failing_test][0] == 0
    assert one_wrong.total("auto") == auto_max(one_wrong) - lost


def test_broken_submissions_are_reported_and_others_still_graded(graded):
    outcomes, folder = graded
    assert outcomes["broken"].status == "not graded"
    assert "not a valid notebook" in outcomes["broken"].problem
    assert outcomes["crash"].status in ("graded", "failed")
    assert outcomes["crash"].total("auto") == 0
    report = (folder / "report.md").read_text()
    assert "| broken | not graded |" in report


def test_grades_csv_and_feedback_are_written(graded):
    outcomes, folder = graded
    with open(folder / "grades.csv") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(outcomes)
    assert float(rows["solution"]["auto_score"]) == float(rows["solution"]["auto_max"])
    assert rows["solution"]["test_diagnose_fit"] == "2.0"
    assert float(rows["solution"]["manual_max"]) >= 4
    for student in ("solution", "blank", "one_wrong"):
        html = folder / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert html.exists() and "test_diagnose_fit" in html.read_text()


def test_regrading_keeps_the_gradebook_consistent(graded, tmp_path):
    """Grading the same folder again gives the same scores (the gradebook is reused)."""
    outcomes, folder = graded
    submitted = tmp_path / "submitted" / "solution" / ASSIGNMENT
    submitted.mkdir(parents=True)
    source = folder / "submitted" / "solution" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    (submitted / source.name).write_bytes(source.read_bytes())
    again = grade_class(tmp_path / "submitted", folder, [ASSIGNMENT], cell_timeout=120)
    assert again[0].total("auto") == outcomes["solution"].total("auto")
    assert notebooks.assignments([ASSIGNMENT]) == [ASSIGNMENT]
