"""Round trip with real nbgrader: solutions earn every point, blanks earn zero, nothing is lost.

Notebook 1 gets every kind of sample (one wrong answer, a broken file, a dying kernel); the
other notebooks get the solution and the blank release.
"""

import csv

import nbformat
import pytest

from autograder import notebooks, samples
from autograder.grade import grade_class

FIRST = "01_wine_basics"
ASSIGNMENTS = notebooks.assignments()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade the sample class once; return ({(student, assignment): outcome}, folder)."""
    root = tmp_path_factory.mktemp("class")
    for assignment in ASSIGNMENTS:
        students = samples.SAMPLE_STUDENTS if assignment == FIRST else ("solution", "blank")
        samples.write_samples(root / "submitted", assignment, students)
    crash = samples.filled_release(FIRST, {"standardise": "import os\nos._exit(1)\n"})
    (root / "submitted" / "crash" / FIRST).mkdir(parents=True)
    nbformat.write(crash, str(root / "submitted" / "crash" / FIRST / f"{FIRST}.ipynb"))
    outcomes = grade_class(root / "submitted", root / "grading", ASSIGNMENTS, cell_timeout=120)
    return {(o.student, o.assignment): o for o in outcomes}, root / "grading"


def auto_max(outcome):
    return sum(maximum for _, maximum, kind in outcome.scores.values() if kind == "auto")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_earns_every_autograded_point(graded, assignment):
    solution = graded[0][("solution", assignment)]
    assert solution.status == "graded"
    assert auto_max(solution) >= 6
    assert solution.total("auto") == auto_max(solution)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_earns_zero(graded, assignment):
    blank = graded[0][("blank", assignment)]
    assert blank.status == "graded"
    assert blank.total("auto") == 0


def test_one_wrong_answer_loses_exactly_its_points(graded):
    _, _, failing_test = samples.WRONG_ANSWERS[FIRST]
    one_wrong = graded[0][("one_wrong", FIRST)]
    lost = one_wrong.scores[failing_test][1]
    assert one_wrong.scores[failing_test][0] == 0
    assert one_wrong.total("auto") == auto_max(one_wrong) - lost


def test_broken_submissions_are_reported_and_others_still_graded(graded):
    outcomes, folder = graded
    assert outcomes[("broken", FIRST)].status == "not graded"
    assert "not a valid notebook" in outcomes[("broken", FIRST)].problem
    assert outcomes[("crash", FIRST)].status in ("graded", "failed")
    assert outcomes[("crash", FIRST)].total("auto") == 0
    report = (folder / "report.md").read_text()
    assert "| broken | not graded |" in report


def test_grades_csv_and_feedback_are_written(graded):
    outcomes, folder = graded
    with open(folder / "grades.csv") as handle:
        rows = {(row["student"], row["assignment"]): row for row in csv.DictReader(handle)}
    assert set(rows) == set(outcomes)
    solution = rows[("solution", FIRST)]
    assert float(solution["auto_score"]) == float(solution["auto_max"])
    assert solution[f"{FIRST}/test_diagnose_fit"] == "2.0"
    assert float(solution["manual_max"]) >= 4
    for student in ("solution", "blank", "one_wrong"):
        html = folder / "feedback" / student / FIRST / f"{FIRST}.html"
        assert html.exists() and "test_diagnose_fit" in html.read_text()


def test_regrading_keeps_the_gradebook_consistent(graded, tmp_path):
    """Grading the same folder again gives the same scores (the gradebook is reused)."""
    outcomes, folder = graded
    submitted = tmp_path / "submitted" / "solution" / FIRST
    submitted.mkdir(parents=True)
    source = folder / "submitted" / "solution" / FIRST / f"{FIRST}.ipynb"
    (submitted / source.name).write_bytes(source.read_bytes())
    again = grade_class(tmp_path / "submitted", folder, [FIRST], cell_timeout=120)
    assert again[0].total("auto") == outcomes[("solution", FIRST)].total("auto")
