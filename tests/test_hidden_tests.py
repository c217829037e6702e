"""Hidden tests catch mistakes that the visible checks let through.

Each case runs the source notebook's cells in-process up to one answer, puts a plausible wrong
answer in its place, then runs that answer's test cell: its visible part must pass and the whole
cell (visible + hidden) must fail with a message that names the mistake.
"""

import nbformat
import pytest

from aecourse.checks import CheckFailed
from autograder.notebooks import SOURCE

HIDDEN_MARKER = "### BEGIN HIDDEN TESTS"

CASES = {
    "scaler fitted on the test data": (
        "05_bottleneck", "prepare_data",
        "def prepare_data(X, y):\n"
        "    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.33,\n"
        "                                                        random_state=1)\n"
        "    return (MinMaxScaler().fit_transform(X_train), MinMaxScaler().fit_transform(X_test),\n"
        "            y_train, y_test)\n",
        "was the scaler fitted on the test data",
    ),
    "mutation always removes the last layer": (
        "06_vae_search", "mutate_architecture",
        "def mutate_architecture(units, rng):\n"
        "    if len(units) > 4:\n"
        "        return list(units[:-1])\n"
        "    return [size + position for position, size in enumerate(units)]\n",
        "the mutant with seed",
    ),
    "mutation that changes its argument": (
        "06_vae_search", "mutate_architecture",
        "def mutate_architecture(units, rng):\n"
        "    if len(units) > 4:\n"
        "        del units[int(rng.integers(1, len(units)))]\n"
        "        return units\n"
        "    return [size + position for position, size in enumerate(units)]\n",
        "it must not change",
    ),
    "selection that lets a tie replace the parent": (
        "06_vae_search", "selection_step",
        "def selection_step(population, scores, mutants, mutant_scores, higher_is_better):\n"
        "    pairs = [(m, ms) if (ms > s if higher_is_better else ms <= s) else (p, s)\n"
        "             for p, s, m, ms in zip(population, scores, mutants, mutant_scores)]\n"
        "    return [p for p, _ in pairs], [s for _, s in pairs]\n",
        "a tie keeps the parent",
    ),
}


def run_up_to_test(assignment, answer_id, wrong_answer):
    """Execute the source cells before ``answer_id``'s test with ``wrong_answer`` in place."""
    nb = nbformat.read(str(SOURCE / assignment / f"{assignment}.ipynb"), as_version=4)
    namespace = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == f"test_{answer_id}":
            return namespace, cell.source
        exec(wrong_answer if grade_id == answer_id else cell.source, namespace)  # noqa: S102
    raise AssertionError(f"no test cell test_{answer_id} in {assignment}")


@pytest.mark.parametrize("case", CASES)
def test_hidden_tests_catch_what_visible_checks_miss(case):
    assignment, answer_id, wrong_answer, message = CASES[case]
    namespace, test_source = run_up_to_test(assignment, answer_id, wrong_answer)
    visible, hidden = test_source.split(HIDDEN_MARKER)
    exec(visible, namespace)  # noqa: S102
    with pytest.raises(CheckFailed, match=message):
        exec(visible + HIDDEN_MARKER + hidden, namespace)  # noqa: S102
