"""Round trip with real nbgrader: solutions earn every point, blanks earn zero, nothing is lost.

Every notebook's class has the solution, a tampering submission (two wrong answers, one
carrying lines that try to switch the checks off) and the blank release; notebook 1's class
also has a broken file. The solution runs in the fast profile, in the sandbox; its autograded
notebook is then checked against the reference notebook with nbval's comparison, so no
notebook is executed twice. The tampering submission and the blank release, whose points
depend on no training result, are graded in the smoke profile, two at a time, into the same
course, which also proves that a later run merges into the class gradebook.
"""

import csv
import html
import re
from pathlib import Path

import nbformat
import pytest

from autograder import notebooks, settings
from autograder.grading import grade_class
from autograder.qa import reference, samples
from autograder.qa.reference import TOLERANCES

FIRST = "01_wine_basics"
ASSIGNMENTS = notebooks.assignments()


def grade_sample_class(assignment, tmp_path_factory):
    """Grade one assignment's sample class; return ({(student, assignment): outcome}, folder,
    the first run's outcomes)."""
    root = tmp_path_factory.mktemp(f"class-{assignment}")
    extras = ("broken",) if assignment == FIRST else ()
    samples.write_samples(root / "submitted", assignment, ("solution", *extras))
    # Their points depend on no training result: the smoke profile grades them in seconds.
    samples.write_samples(root / "smoke", assignment, ("tampering", "blank"))
    first = grade_class(root / "submitted", root / "grading", [assignment], workers=2)
    outcomes = grade_class(root / "smoke", root / "grading", [assignment], workers=2,
                           profile="smoke")
    return {(o.student, o.assignment): o for o in outcomes}, root / "grading", first


def auto_max(outcome):
    return sum(maximum for _, maximum, kind in outcome.scores.values() if kind == "auto")


def secret_lines(assignment):
    """Return the lines of the hidden tests, solutions and marking guides of ``assignment``
    that the release does not show anyway."""
    lines = samples.hidden_lines(assignment)
    release = nbformat.read(str(settings.RELEASE / assignment / f"{assignment}.ipynb"), 4)
    shown = "\n".join(cell.source for cell in release.cells).replace("`", "")
    # The helper package is public: a traceback through it may show a line that a solution
    # happens to share ("strict=True):").
    shown += "\n".join(path.read_text() for path in Path(settings.helper_package()).glob("*.py"))
    return {line for line in lines if len(line) > 12 and line not in shown}


MODEL_ANSWER_LINES = {
    assignment: {line.strip() for answer in samples.model_answers(assignment).values()
                 for line in answer.splitlines()}
    for assignment in ASSIGNMENTS
}


class RoundTrip:
    """One assignment's class graded once (a class-scoped fixture); ``--dist loadscope`` gives
    each subclass to one pytest-xdist worker while the other grades another assignment."""

    assignment = None

    @pytest.fixture(scope="class")
    @classmethod
    def graded(cls, tmp_path_factory):
        """Grade the assignment's sample class; return ({(student, assignment): outcome},
        folder, the first run's outcomes)."""
        return grade_sample_class(cls.assignment, tmp_path_factory)

    def test_solution_earns_every_autograded_point(self, graded):
        (_, assignment), *_ = graded[0]
        solution = graded[0][("solution", assignment)]
        assert solution.status == "graded"
        assert auto_max(solution) >= 6
        assert solution.total("auto") == auto_max(solution)

    def test_solution_outputs_match_the_reference_notebook(self, graded):
        (_, assignment), *_ = graded[0]
        name = f"{assignment}.ipynb"
        autograded = graded[1] / "autograded" / "solution" / assignment / name
        ran = nbformat.read(str(autograded), as_version=4)
        expected = nbformat.read(str(settings.REFERENCE / name), as_version=4)
        assert reference.checked_cells(expected), "the reference notebook checks some outputs"
        assert reference.mismatches(ran, expected) == []
        # The numbers are compared within the spread measured across machines and threads.
        assert reference.numbers_outside(ran, expected, *TOLERANCES[assignment]) == []

    def test_a_later_run_merges_into_the_class(self, graded):
        outcomes, folder, first = graded
        assert {(o.student, o.assignment): o for o in first}.items() <= outcomes.items()
        with open(folder / "grades.csv") as handle:
            assert {(row["student"], row["assignment"]) for row in csv.DictReader(handle)} == set(
                outcomes)

    def test_blank_release_earns_zero(self, graded):
        (_, assignment), *_ = graded[0]
        blank = graded[0][("blank", assignment)]
        assert blank.status == "graded"
        assert blank.total("auto") == 0

    def test_tampering_loses_exactly_its_two_wrong_answers(self, graded):
        (_, assignment), *_ = graded[0]
        tampering = graded[0][("tampering", assignment)]
        wrong = {f"test_{answer_id}" for answer_id in samples.tampering_answers(assignment)}
        assert len(wrong) == 2 and tampering.status == "graded"
        assert {question: score for question, (score, _, kind) in tampering.scores.items()
                if kind == "auto" and question in wrong} == dict.fromkeys(wrong, 0.0)
        assert all(score == maximum for question, (score, maximum, kind) in tampering.scores.items()
                   if kind == "auto" and question not in wrong)
        for reason in ("rebinds aecourse.checks._fail", "rebinds numpy.allclose",
                       "rebinds numpy.testing.assert_allclose",
                       "rebinds get_ipython.showtraceback"):
            assert reason in tampering.flags

    def test_model_answers_raise_no_integrity_flag(self, graded):
        assert [(student, name) for (student, name), outcome in graded[0].items()
                if student in ("solution", "blank") and outcome.flags] == []

    def test_feedback_shows_outcomes_and_no_secret(self, graded):
        _, folder, _ = graded
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


class TestWineBasics(RoundTrip):
    """Notebook 1's class also has a broken file; its grades and feedback are read closely."""

    assignment = FIRST

    def test_broken_submissions_are_reported_and_others_still_graded(self, graded):
        outcomes, folder, _ = graded
        assert outcomes[("broken", FIRST)].status == "not graded"
        assert "not a valid notebook" in outcomes[("broken", FIRST)].problem
        assert outcomes[("solution", FIRST)].status == "graded"
        report = (folder / "report.md").read_text()
        assert "| broken | not graded |" in report
        assert "## Integrity flags" in report and "| tampering | 01_wine_basics |" in report

    def test_grades_csv_and_feedback_are_written(self, graded):
        outcomes, folder, _ = graded
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


class TestDepthStudy(RoundTrip):
    assignment = "02_depth_study"


class TestLatentSize(RoundTrip):
    assignment = "03_latent_size"


class TestVae(RoundTrip):
    assignment = "04_vae"


class TestBottleneck(RoundTrip):
    assignment = "05_bottleneck"


class TestVaeSearch(RoundTrip):
    assignment = "06_vae_search"


def test_every_assignment_has_a_round_trip():
    assert sorted(cls.assignment for cls in RoundTrip.__subclasses__()) == ASSIGNMENTS
