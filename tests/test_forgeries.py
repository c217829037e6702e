"""The forgery catalogue, graded for real: every in-kernel trick loses exactly its wrong answer's
points, in notebooks 1 and 4, and no feedback shows a hidden line.

Each notebook is cut after the test of the exercise attacked (``forgeries.prefix_source``): the
earlier exercises hold model answers and must keep their points; the attacked one holds a wrong
answer plus one trick. The whole catalogue is one class, graded once in the sandbox.
"""

import html
import re

import nbformat
import pytest

from autograder import notebooks, sandbox
from autograder.grading import grade_class
from autograder.qa import forgeries, samples
from autograder.settings import SECRET_REGION

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sandbox.bwrap_path(), reason="bubblewrap is not installed")]

CASES = [(assignment, index) for assignment in forgeries.TARGETS
         for index in range(len(forgeries.FORGERIES))]


def _student(index):
    return f"forgery{index:02d}"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade the model answers, the wrong answer and every forgery; return (outcomes by
    (student, assignment), the points of each target, the class folder, the cut sources)."""
    root = tmp_path_factory.mktemp("forgeries")
    source = root / "source"
    points = {}
    for assignment, answer_id in forgeries.TARGETS.items():
        tests = forgeries.prefix_source(assignment, source)
        points[assignment] = (tests[f"test_{answer_id}"], sum(tests.values()))
    notebooks.generate_releases(list(forgeries.TARGETS), root / "release", source=source)
    for assignment, answer_id in forgeries.TARGETS.items():
        released = nbformat.read(str(root / "release" / assignment / f"{assignment}.ipynb"), 4)
        answers = samples.model_answers(assignment)
        submissions = {"model": answers[answer_id],
                       "wrong": forgeries.wrong_answer(assignment)[1]}
        submissions.update({_student(index): forgeries.forged_answer(assignment, code)
                            for index, (_, code) in enumerate(forgeries.FORGERIES)})
        if assignment in forgeries.TWIN_OF:
            submissions.update({f"copy{index}": forgeries.copied_answer(assignment, code)
                                for index, (_, code) in enumerate(forgeries.COPIES)})
        for student, code in submissions.items():
            nb = nbformat.from_dict(released)
            for cell in nb.cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                if cell.metadata.get("nbgrader", {}).get("solution"):
                    cell.source = code if grade_id == answer_id else answers[grade_id]
            notebooks.write_notebook(
                nb, root / "submitted" / student / assignment / f"{assignment}.ipynb")
    outcomes = grade_class(root / "submitted", root / "class", list(forgeries.TARGETS),
                           workers=2, source=source, profile="smoke")
    return {(o.student, o.assignment): o for o in outcomes}, points, root / "class", source


def lost_points(outcome):
    return sum(maximum - score for score, maximum, kind in outcome.scores.values()
               if kind == "auto")


def test_the_catalogue_has_twenty_tricks_from_every_family():
    labels = " ".join(label for label, _ in forgeries.FORGERIES)
    assert len(forgeries.FORGERIES) >= 20
    for family in ("try/except", "set_custom_exc", "math.isclose", "sys._getframe", "linecache",
                   "working notebook", "gc", "displays a number", "payload", "run_cell"):
        assert family in labels, family


@pytest.mark.parametrize("assignment", list(forgeries.TARGETS))
def test_the_model_answers_earn_every_point_and_the_wrong_one_loses_its_own(graded, assignment):
    outcomes, points, _, _ = graded
    target, total = points[assignment]
    assert outcomes[("model", assignment)].status == "graded"
    assert lost_points(outcomes[("model", assignment)]) == 0
    assert outcomes[("model", assignment)].total("auto") == total
    assert lost_points(outcomes[("wrong", assignment)]) == target


@pytest.mark.parametrize(("assignment", "index"), CASES,
                         ids=[f"{a}-{forgeries.FORGERIES[i][0][:40]}" for a, i in CASES])
def test_each_forgery_loses_exactly_its_wrong_answers_points(graded, assignment, index):
    outcomes, points, _, _ = graded
    outcome = outcomes[(_student(index), assignment)]
    target_id = f"test_{forgeries.TARGETS[assignment]}"
    assert outcome.status == "graded", outcome.problem
    assert outcome.scores[target_id][0] == 0
    assert lost_points(outcome) == points[assignment][0]


COPY_CASES = [(assignment, index) for assignment in forgeries.TWIN_OF
              for index in range(len(forgeries.COPIES))]


@pytest.mark.parametrize(("assignment", "index"), COPY_CASES,
                         ids=[f"{a}-{forgeries.COPIES[i][0][:40]}" for a, i in COPY_CASES])
def test_the_package_s_own_version_cannot_be_copied(graded, assignment, index):
    """The grading kernel holds a copy of the package with the exercise's twin withheld: no
    import, function copy, source file or compiled file gives it back."""
    outcomes, points, _, _ = graded
    outcome = outcomes[(f"copy{index}", assignment)]
    assert outcome.status == "graded", outcome.problem
    assert lost_points(outcome) == points[assignment][0]


def test_no_feedback_shows_a_hidden_line(graded):
    outcomes, _, folder, source = graded
    for assignment in forgeries.TARGETS:
        nb = nbformat.read(str(source / assignment / f"{assignment}.ipynb"), 4)
        hidden = {line.strip() for cell in nb.cells
                  for kind, region in SECRET_REGION.findall(cell.source)
                  if kind == "HIDDEN TESTS" for line in region.splitlines()
                  if len(line.strip()) > 12}
        pages = sorted(folder.glob(f"feedback/*/{assignment}/*.html"))
        copies = len(forgeries.COPIES) if assignment in forgeries.TWIN_OF else 0
        assert len(pages) == len(forgeries.FORGERIES) + 2 + copies
        for page in pages:
            text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
            leaked = [line for line in hidden if line in text]
            assert not leaked, f"{page}: {leaked[:3]}"


@pytest.fixture(scope="module")
def spelled(tmp_path_factory):
    """Grade each wrong answer of ``forgeries.SPELLINGS`` among model answers; return (outcomes
    by student, points by (assignment, test id))."""
    root = tmp_path_factory.mktemp("spellings")
    source, points = root / "source", {}
    for assignment, last in forgeries.spelling_cuts().items():
        tests = forgeries.prefix_source(assignment, source, last)
        points.update({(assignment, test_id): value for test_id, value in tests.items()})
    notebooks.generate_releases(list(forgeries.spelling_cuts()), root / "release", source=source)
    for index, (assignment, answer_id, label) in enumerate(forgeries.SPELLINGS):
        answers = samples.model_answers(assignment)
        nb = nbformat.read(str(root / "release" / assignment / f"{assignment}.ipynb"), 4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = (forgeries.spelled_answer(assignment, answer_id, label)
                               if grade_id == answer_id else answers[grade_id])
        notebooks.write_notebook(
            nb, root / "submitted" / f"spelled{index}" / assignment / f"{assignment}.ipynb")
    outcomes = grade_class(root / "submitted", root / "class", list(forgeries.spelling_cuts()),
                           workers=2, source=source, profile="smoke")
    return {o.student: o for o in outcomes}, points


@pytest.mark.parametrize("index", range(len(forgeries.SPELLINGS)),
                         ids=[label[:40] for _, _, label in forgeries.SPELLINGS])
def test_each_spelled_wrong_answer_loses_exactly_its_exercise_s_points(spelled, index):
    outcomes, points = spelled
    assignment, answer_id, _ = forgeries.SPELLINGS[index]
    outcome = outcomes[f"spelled{index}"]
    assert outcome.status == "graded", outcome.problem
    assert outcome.scores[f"test_{answer_id}"][0] == 0
    assert lost_points(outcome) == points[(assignment, f"test_{answer_id}")]
