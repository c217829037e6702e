"""The answer catalogues: every mistake and every shortcut loses its exercise's points, and every
correct answer in another style (``autograder.qa.alternatives``) earns them.

Each source notebook runs in-process up to its last test cell. At each test cell, every
catalogued wrong answer replaces the answer and the whole test cell (visible and hidden part)
must fail, and every catalogued alternative answer must pass it; then the model answer goes back
and the test cell must pass, so the notebook goes on as it would for a student who got the rest
right.

Mutation testing of the judges: each catalogued wrong answer's values are also collected from the
hidden probe alone, on three drawn seeds, and every judge with one of its asserts removed must let
at least one of them through; an assert that no catalogued mistake needs would be one that no
test notices weakened.

The notebooks run in the smoke profile (one epoch on a few hundred rows): a hidden test judges
an answer against what it computes itself from the same inputs, so a short training exposes the
same mistakes as the fast profile, in 1.5 minutes instead of 6.
"""

import ast
import json
import re

import nbformat
import pytest

from autograder.grading.judge import (
    judge_in_process,
    judged_names,
    probe_in_process,
    split,
    verdict,
)
from autograder.notebooks import assignments
from autograder.qa.alternatives import ALTERNATIVES
from autograder.qa.mistakes import MISTAKES
from autograder.settings import HIDDEN_REGION, RELEASE, SOLUTION_DELIMITER, SOURCE, TWINS

# Payloads collected per wrong answer, each from its own drawn seed: a mistake that one draw
# cannot tell from a right answer (a size where both agree) still exposes its mutant in another.
MUTATION_DRAWS = 3


def notebook_cells(folder, assignment):
    return nbformat.read(str(folder / assignment / f"{assignment}.ipynb"), as_version=4).cells


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def exercises(assignment):
    """Return ``{answer_id: test cell}`` for every autograded code answer of ``assignment``."""
    cells = notebook_cells(SOURCE, assignment)
    tests = {grade_id(cell): cell for cell in cells if cell.cell_type == "code"
             and cell.metadata.get("nbgrader", {}).get("grade")}
    return {grade_id(cell): tests[f"test_{grade_id(cell)}"] for cell in cells
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")}


def hidden_payload(source, namespace, cell_id):
    """Return what the hidden probe of a test cell hands the grader (``verdict``'s arguments
    after the judge), the visible checks run statement by statement and their failures ignored;
    ``None`` when the probe itself fails."""
    probe, judge = split(source)
    visible, hidden = probe.split("### BEGIN HIDDEN TESTS\n", 1)
    for statement in ast.parse(visible).body:
        try:
            exec(compile(ast.Module([statement], []), "<visible>", "exec"), namespace)  # noqa: S102
        except Exception:  # a visible check that fails: the hidden probe runs all the same
            continue
    try:
        return probe_in_process(hidden, judge, namespace, cell_id)
    except Exception:
        return None


def without_assert(judge, index):
    """Return ``judge`` with its ``index``-th assert replaced by ``pass`` (a mutant)."""
    tree = ast.parse(judge)
    target = [node for node in ast.walk(tree) if isinstance(node, ast.Assert)][index]

    class DropAssert(ast.NodeTransformer):
        def visit_Assert(self, node):
            return ast.Pass() if node is target else node

    return ast.unparse(DropAssert().visit(tree))


def surviving_mutants(judge, handed):
    """Return a line for each assert of ``judge`` whose removal no payload in ``handed`` notices."""
    refused = [arguments for arguments in handed if verdict(judge, *arguments)]
    asserts = [node for node in ast.walk(ast.parse(judge)) if isinstance(node, ast.Assert)]
    return [ast.unparse(node.msg or node.test)[:80] for index, node in enumerate(asserts)
            if all(mutant_verdict(without_assert(judge, index), *arguments)
                   for arguments in refused)]


def mutant_verdict(mutant, handed, cell_id, nonce, seed):
    """Return the verdict of ``mutant`` on a payload cut to the names the mutant still reads."""
    values = json.loads(handed)["values"]
    kept = {name: values[name] for name in judged_names(mutant) if name in values}
    return verdict(mutant, json.dumps({"cell": cell_id, "nonce": nonce, "values": kept}),
                   cell_id, nonce, seed)


@pytest.mark.parametrize("assignment", assignments())
def test_catalogue_covers_every_exercise_and_twin(assignment):
    catalogue = MISTAKES[assignment]
    assert set(catalogue) == set(exercises(assignment)), "one catalogue entry per exercise"
    for answer_id, test_cell in exercises(assignment).items():
        assert catalogue[answer_id], f"{answer_id}: at least one plausible wrong answer"
        twins = TWINS.get((assignment, answer_id), [])
        shortcuts = [label for label, _ in catalogue[answer_id] if label.startswith("shortcut")]
        assert bool(shortcuts) == bool(twins), f"{answer_id}: a shortcut for each twinned exercise"
        hidden = "".join(HIDDEN_REGION.findall(test_cell.source))
        switched_off = re.findall(r"^\s+(aecourse\.[\w.]+),$|for twin in \[([^\]]*)\]", hidden,
                                  flags=re.MULTILINE)
        named = sorted(name.strip() for pair in switched_off for group in pair
                       for name in group.split(",") if name.strip())
        assert named == sorted(twins), f"{answer_id}: the hidden test switches off its twins"


@pytest.mark.parametrize("assignment", assignments())
def test_release_imports_each_twin_only_after_its_test(assignment):
    cells = notebook_cells(RELEASE, assignment)
    positions = {grade_id(cell): index for index, cell in enumerate(cells)}
    for (name, answer_id), twins in TWINS.items():
        if name != assignment:
            continue
        before = "\n".join(cell.source for cell in cells[:positions[f"test_{answer_id}"]]
                           if cell.cell_type == "code")
        imports = "\n".join(line for line in before.splitlines() if "import" in line)
        for twin in twins:
            short = twin.removesuffix(".call").rsplit(".", 1)[-1]
            assert not re.search(rf"\b{short}\b", imports), \
                f"{assignment} imports {short} before the test of {answer_id}"


@pytest.mark.parametrize("assignment", assignments())
def test_every_mistake_loses_and_every_alternative_earns_its_points(assignment, monkeypatch):
    monkeypatch.setenv("AECOURSE_PROFILE", "smoke")
    cells = [cell for cell in notebook_cells(SOURCE, assignment) if cell.cell_type == "code"]
    last_test = max(i for i, cell in enumerate(cells) if (grade_id(cell) or "").startswith("test_")
                    and cell.metadata["nbgrader"].get("grade"))
    namespace, answers, missed, refused, survivors = {}, {}, [], [], []
    for cell in cells[:last_test + 1]:
        cell_id = grade_id(cell) or ""
        if cell.metadata.get("nbgrader", {}).get("solution"):
            answers[cell_id] = SOLUTION_DELIMITER.sub("", cell.source)
        answer_id = cell_id.removeprefix("test_")
        if cell_id.startswith("test_") and answer_id in answers:
            handed = []
            for label, code in MISTAKES[assignment][answer_id]:
                exec(code, namespace)  # noqa: S102
                try:
                    judge_in_process(cell.source, namespace, cell_id)
                except Exception:  # any failure costs the test cell its points
                    for _ in range(MUTATION_DRAWS):
                        exec(code, namespace)  # noqa: S102
                        handed.append(hidden_payload(cell.source, namespace, cell_id))
                    continue
                missed.append(f"{answer_id}: {label}")
            survivors += [f"{answer_id}: {line}" for line in surviving_mutants(
                split(cell.source)[1], [arguments for arguments in handed if arguments])]
            for label, code in ALTERNATIVES[assignment][answer_id]:
                exec(code, namespace)  # noqa: S102
                try:
                    judge_in_process(cell.source, namespace, cell_id)
                except Exception as error:  # any failure would cost a correct answer its points
                    refused.append(f"{answer_id}: {label}: {type(error).__name__}: {error}")
            exec(answers[answer_id], namespace)  # noqa: S102
        if cell_id.startswith("test_"):  # the model answer must pass its test
            judge_in_process(cell.source, namespace, cell_id)
        else:
            exec(cell.source, namespace)  # noqa: S102
    assert not missed, f"wrong answers that the tests let through: {missed}"
    assert not refused, f"correct answers that the tests refuse: {refused}"
    assert not survivors, f"judge asserts whose removal no catalogued mistake notices: {survivors}"


@pytest.mark.parametrize("assignment", assignments())
def test_each_exercise_has_three_alternative_answers_unlike_the_model_answer(assignment):
    catalogue = ALTERNATIVES[assignment]
    assert set(catalogue) == set(exercises(assignment)), "one catalogue entry per exercise"
    model = {grade_id(cell): SOLUTION_DELIMITER.sub("", cell.source)
             for cell in notebook_cells(SOURCE, assignment)
             if cell.metadata.get("nbgrader", {}).get("solution")}
    for answer_id, alternatives in catalogue.items():
        assert len(alternatives) >= 3, f"{answer_id}: at least three alternative answers"
        assert all(code.strip() != model[answer_id].strip() for _, code in alternatives)


@pytest.mark.parametrize("assignment", assignments())
def test_hidden_tests_probe_in_the_kernel_and_assert_in_the_grader(assignment):
    """Every hidden test hands plain values to a judge: no assert and no expected value runs in
    the kernel, and the judge reads only what the probe set."""
    for answer_id, test_cell in exercises(assignment).items():
        parts = split(test_cell.source)
        assert parts, f"{answer_id}: the hidden test has a judge (### JUDGED OUTSIDE THE KERNEL)"
        probe, judge = parts
        hidden_probe = probe[probe.index("### BEGIN HIDDEN TESTS"):]
        assert not [node for node in ast.walk(ast.parse(hidden_probe))
                    if isinstance(node, ast.Assert)], f"{answer_id}: an assert in the probe"
        assert [node for node in ast.walk(ast.parse(judge)) if isinstance(node, ast.Assert)], \
            f"{answer_id}: the judge asserts"
        set_by_probe = {node.id for node in ast.walk(ast.parse(probe))
                        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
        unset = set(judged_names(judge)) - set_by_probe
        assert not unset, f"{answer_id}: the judge reads {unset}, which the test never sets"
