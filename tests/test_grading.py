"""Round trip with real nbgrader: solutions earn every point, blanks earn zero, nothing is lost.

Every notebook gets the solution, the blank release and a tampering submission (two wrong
answers, one carrying lines that try to switch the checks off). Notebook 1's solution also
emits warnings in its test cells; notebook 1 also gets a broken file and a dying kernel.
"""

import csv
import html
import re

import nbformat
import pytest

from autograder import notebooks, samples
from autograder.grade import grade_class

FIRST = "01_wine_basics"
ASSIGNMENTS = notebooks.assignments()

# A model answer that warns three ways; nbgrader must still give it every point.
WARNING_ANSWER = (
    "import warnings\n\n"
    "from sklearn.exceptions import ConvergenceWarning\n\n\n"
    "def standardise(features):\n"
    "    warnings.warn('a UserWarning the student should see', UserWarning, stacklevel=1)\n"
    "    warnings.warn('a DeprecationWarning', DeprecationWarning, stacklevel=1)\n"
    "    warnings.warn('a ConvergenceWarning', ConvergenceWarning, stacklevel=1)\n"
    "    layers.Dense(1, input_shape=(3,))  # Keras warns about input_shape\n"
    "    features = np.asarray(features, dtype=float)\n"
    "    return (features - features.mean(axis=0)) / features.std(axis=0)\n"
)


# pytest-xdist (--dist loadfile) runs each test file on one worker: this file grades the first
# half of the course, test_grading_second_half.py the rest, with the same tests.
FIRST_HALF, SECOND_HALF = ASSIGNMENTS[:3], ASSIGNMENTS[3:]
__all__ = ["SECOND_HALF", "grade_sample_class", "test_solution_earns_every_autograded_point",
           "test_blank_release_earns_zero", "test_tampering_loses_exactly_its_two_wrong_answers",
           "test_model_answers_raise_no_integrity_flag",
           "test_feedback_shows_outcomes_and_no_secret"]


def grade_sample_class(request, tmp_path_factory):
    """Grade one assignment's sample class; return ({(student, assignment): outcome}, folder).

    Notebook 1's class also has a solution that warns, a broken file and a dying kernel.
    """
    assignment = request.param
    root = tmp_path_factory.mktemp(f"class-{assignment}")
    submitted = root / "submitted"
    extras = ("broken",) if assignment == FIRST else ()
    samples.write_samples(submitted, assignment, ("solution", "blank", "tampering", *extras))
    if assignment == FIRST:
        warned = samples.filled_release(FIRST, {**samples.model_answers(FIRST),
                                                "standardise": WARNING_ANSWER})
        nbformat.write(warned, str(submitted / "solution" / FIRST / f"{FIRST}.ipynb"))
        crash = samples.filled_release(FIRST, {"standardise": "import os\nos._exit(1)\n"})
        (submitted / "crash" / FIRST).mkdir(parents=True)
        nbformat.write(crash, str(submitted / "crash" / FIRST / f"{FIRST}.ipynb"))
    outcomes = grade_class(submitted, root / "grading", [assignment], cell_timeout=120)
    return {(o.student, o.assignment): o for o in outcomes}, root / "grading"


graded = pytest.fixture(scope="module", params=FIRST_HALF, name="graded")(grade_sample_class)

# The tests of notebook 1's extras use its graded class only.
first_class = pytest.mark.parametrize("graded", [FIRST], indirect=True)


def auto_max(outcome):
    return sum(maximum for _, maximum, kind in outcome.scores.values() if kind == "auto")


def test_solution_earns_every_autograded_point(graded):
    (_, assignment), *_ = graded[0]
    solution = graded[0][("solution", assignment)]
    assert solution.status == "graded"
    assert auto_max(solution) >= 6
    assert solution.total("auto") == auto_max(solution)


def test_blank_release_earns_zero(graded):
    (_, assignment), *_ = graded[0]
    blank = graded[0][("blank", assignment)]
    assert blank.status == "graded"
    assert blank.total("auto") == 0


def test_tampering_loses_exactly_its_two_wrong_answers(graded):
    (_, assignment), *_ = graded[0]
    tampering = graded[0][("tampering", assignment)]
    wrong = {f"test_{answer_id}" for answer_id in samples.tampering_answers(assignment)}
    assert len(wrong) == 2 and tampering.status == "graded"
    assert {question: score for question, (score, _, kind) in tampering.scores.items()
            if kind == "auto" and question in wrong} == dict.fromkeys(wrong, 0.0)
    assert all(score == maximum for question, (score, maximum, kind) in tampering.scores.items()
               if kind == "auto" and question not in wrong)
    for reason in ("rebinds aecourse.checks._fail", "rebinds numpy.allclose",
                   "rebinds numpy.testing.assert_allclose", "rebinds get_ipython.showtraceback"):
        assert reason in tampering.flags


def test_model_answers_raise_no_integrity_flag(graded):
    assert [(student, name) for (student, name), outcome in graded[0].items()
            if student in ("solution", "blank") and outcome.flags] == []


@first_class
def test_warnings_cost_no_points_and_stay_visible(graded):
    outcomes, folder = graded
    assert outcomes[("solution", FIRST)].scores["test_standardise"][0] == 1.0
    autograded = nbformat.read(str(folder / "autograded" / "solution" / FIRST / f"{FIRST}.ipynb"),
                               as_version=4)
    test_cell = next(cell for cell in autograded.cells
                     if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_standardise")
    shown = "".join(output.get("text", "") for output in test_cell.outputs)
    for warning in ("UserWarning: a UserWarning", "DeprecationWarning: a Deprecation",
                    "ConvergenceWarning: a ConvergenceWarning", "input_shape"):
        assert warning in shown


@first_class
def test_broken_submissions_are_reported_and_others_still_graded(graded):
    outcomes, folder = graded
    assert outcomes[("broken", FIRST)].status == "not graded"
    assert "not a valid notebook" in outcomes[("broken", FIRST)].problem
    assert outcomes[("crash", FIRST)].status in ("graded", "failed")
    assert outcomes[("crash", FIRST)].total("auto") == 0
    assert "os._exit" in outcomes[("crash", FIRST)].flags
    report = (folder / "report.md").read_text()
    assert "| broken | not graded |" in report
    assert "## Integrity flags" in report and "| tampering | 01_wine_basics |" in report


@first_class
def test_grades_csv_and_feedback_are_written(graded):
    outcomes, folder = graded
    with open(folder / "grades.csv") as handle:
        rows = {(row["student"], row["assignment"]): row for row in csv.DictReader(handle)}
    assert set(rows) == set(outcomes)
    solution = rows[("solution", FIRST)]
    assert float(solution["auto_score"]) == float(solution["auto_max"])
    assert solution[f"{FIRST}/test_diagnose_fit"] == "2.0"
    assert float(solution["manual_max"]) >= 4
    assert "rebinds aecourse.checks._fail" in rows[("tampering", FIRST)]["integrity_flags"]
    for student in ("solution", "blank", "tampering"):
        page = folder / "feedback" / student / FIRST / f"{FIRST}.html"
        assert page.exists() and "test_diagnose_fit" in page.read_text()


def secret_lines(assignment):
    """Return the lines of the hidden tests, solutions and marking guides of ``assignment``
    that the release does not show anyway."""
    source = nbformat.read(str(notebooks.SOURCE / assignment / f"{assignment}.ipynb"), 4)
    lines = []
    for cell in source.cells:
        for region in re.findall(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1",
                                 cell.source, flags=re.DOTALL):
            lines += region[1].splitlines()
        if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution"):
            lines += cell.source.splitlines()
    release = nbformat.read(str(notebooks.RELEASE / assignment / f"{assignment}.ipynb"), 4)
    shown = "\n".join(cell.source for cell in release.cells).replace("`", "")
    return {line.strip() for line in lines if len(line.strip()) > 12 and line.strip() not in shown}


def test_feedback_shows_outcomes_and_no_secret(graded):
    _, folder = graded
    pages = sorted((folder / "feedback").rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        assignment = page.parent.name
        student = page.parent.parent.name
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        # Students who wrote the model answers may see them in their own feedback.
        leaked = [line for line in secret_lines(assignment) if line in text
                  and not (student != "blank" and line in MODEL_ANSWER_LINES[assignment])]
        assert not leaked, f"{page}: {leaked[:3]}"
        assert 'checks.passed("Exercise 1")' in text, "the visible part of each test is shown"
        if student == "tampering":
            assert "AssertionError" in text


MODEL_ANSWER_LINES = {
    assignment: {line.strip() for answer in samples.model_answers(assignment).values()
                 for line in answer.splitlines()} | {line.strip() for line in
                                                     WARNING_ANSWER.splitlines()}
    for assignment in ASSIGNMENTS
}


@first_class
def test_regrading_keeps_the_gradebook_consistent(graded, tmp_path):
    """Grading the same folder again gives the same scores (the gradebook is reused)."""
    outcomes, folder = graded
    submitted = tmp_path / "submitted" / "blank" / FIRST
    submitted.mkdir(parents=True)
    source = folder / "submitted" / "blank" / FIRST / f"{FIRST}.ipynb"
    (submitted / source.name).write_bytes(source.read_bytes())
    again = grade_class(tmp_path / "submitted", folder, [FIRST], cell_timeout=120)
    assert again[0].total("auto") == outcomes[("blank", FIRST)].total("auto")
