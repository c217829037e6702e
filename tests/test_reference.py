"""The reference check of the graded solutions: nbval's comparison, portable across machines."""

import copy

import nbformat

from autograder import notebooks, reference

NOTEBOOK = "05_bottleneck"


def load():
    return nbformat.read(str(notebooks.REFERENCE / f"{NOTEBOOK}.ipynb"), as_version=4)


def first_checked_stream(nb):
    for index in reference.checked_cells(nb):
        for output in nb.cells[index].outputs:
            if output.output_type == "stream" and any(c.isdigit() for c in output.text):
                return index, output
    raise AssertionError("no checked cell prints a number")


def test_the_reference_matches_itself():
    nb = load()
    assert reference.checked_cells(nb) and reference.mismatches(nb, load()) == []


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
