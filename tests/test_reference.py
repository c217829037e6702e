"""The reference check of the graded solutions: nbval's comparison, portable across machines."""

import copy
import json

import nbformat
import pytest

from autograder import notebooks, settings
from autograder.qa import reference
from autograder.qa.reference import TOLERANCES

NOTEBOOK = "05_bottleneck"
SPREAD = settings.RESULTS / "numerics_spread.json"


def load():
    return nbformat.read(str(settings.REFERENCE / f"{NOTEBOOK}.ipynb"), as_version=4)


def first_checked_stream(nb):
    for index in reference.checked_cells(nb):
        for output in nb.cells[index].outputs:
            if output.output_type == "stream" and any(c.isdigit() for c in output.text):
                return index, output
    raise AssertionError("no checked cell prints a number")


@pytest.mark.parametrize("assignment", notebooks.assignments())
def test_every_reference_notebook_checks_outputs_with_numbers(assignment):
    nb = nbformat.read(str(settings.REFERENCE / f"{assignment}.ipynb"), as_version=4)
    numbers = reference.checked_numbers(nb)
    assert numbers and any(numbers.values()), "checked cells print trained numbers"


def test_a_missing_or_extra_cell_is_a_mismatch():
    ran = load()
    ran.cells.pop()
    assert reference.mismatches(ran, load()) == [
        f"{len(ran.cells)} cells, the reference has {len(ran.cells) + 1}"]


def test_a_changed_integer_or_word_is_a_mismatch():
    ran = load()
    index, output = first_checked_stream(ran)
    output.text = output.text.replace("1000", "999").replace("rank", "RANK")
    assert [problem.split(":")[0] for problem in reference.mismatches(ran, load())] == [
        f"cell {index}"]


def test_decimal_numbers_may_differ_between_machines():
    ran = load()
    expected = copy.deepcopy(ran)
    index, output = first_checked_stream(ran)
    position = ran.cells[index].outputs.index(output)
    output.text += "final MSE 0.00123, loss 1.5e-03\n"
    expected.cells[index].outputs[position].text += "final MSE 0.00456, loss 2.5e-03\n"
    assert reference.mismatches(ran, expected) == []


def test_a_missing_output_or_changed_source_is_a_mismatch():
    ran = load()
    index = reference.checked_cells(ran)[0]
    ran.cells[index].outputs = []
    edited = load()
    edited.cells[index].source += "\n# edited"
    assert reference.mismatches(ran, load()) != []
    assert reference.mismatches(edited, load()) == [
        f"cell {index}: the source differs from the reference"]


# ---------------------------------------------------------------- trained numbers, with tolerances

def test_every_notebook_has_a_tolerance():
    assert set(TOLERANCES) == set(notebooks.assignments())


def test_tolerances_cover_the_measured_spread():
    measured = json.loads(SPREAD.read_text())["notebooks"]
    assert set(measured) == set(TOLERANCES)
    for assignment, runs in measured.items():
        relative, absolute = TOLERANCES[assignment]
        for numerics, run in runs.items():
            assert run["structure_mismatches"] == [], (assignment, numerics)
            assert run["relative_difference_of_numbers_from_1"] <= relative, (assignment, numerics)
            assert run["absolute_difference_of_smaller_numbers"] <= absolute, (assignment,
                                                                               numerics)


def test_a_number_outside_its_tolerance_is_reported():
    ran, expected = load(), load()
    relative, absolute = TOLERANCES[NOTEBOOK]
    index, output = first_checked_stream(ran)
    number = next(reference.decimal_pattern().finditer(output.text)).group()
    moved = float(number) + 2 * (absolute + relative * abs(float(number))) + 0.01
    output.text = output.text.replace(number, f"{moved:.4f}", 1)
    assert reference.mismatches(ran, expected) == []  # the structure still holds
    assert [problem.split(":")[0] for problem in
            reference.numbers_outside(ran, expected, relative, absolute)] == [f"cell {index}"]
