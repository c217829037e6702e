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


# The emulated other CPUs every notebook must pass under (benchmarks/numerics_spread.py).
EMULATED = {("OPENBLAS_CORETYPE", "Haswell"), ("OPENBLAS_CORETYPE", "SkylakeX"),
            ("OPENBLAS_CORETYPE", "Zen"), ("ONEDNN_MAX_CPU_ISA", "AVX2"),
            ("ONEDNN_MAX_CPU_ISA", "AVX512_CORE"), ("TF_ENABLE_ONEDNN_OPTS", "0"),
            ("TF_ENABLE_ONEDNN_OPTS", "1"), ("OMP_NUM_THREADS", "1"), ("OMP_NUM_THREADS", "2")}


def test_tolerances_cover_the_measured_spread():
    """Every notebook passed every check under every emulated CPU of the spread benchmark."""
    measured = json.loads(SPREAD.read_text())["notebooks"]
    assert set(measured) == set(TOLERANCES)
    for assignment, runs in measured.items():
        relative, absolute = TOLERANCES[assignment]
        settings_used = {(name, run["environment"].get(name, default)) for run in runs.values()
                         for name, default in (("OPENBLAS_CORETYPE", ""),
                                               ("ONEDNN_MAX_CPU_ISA", ""),
                                               ("TF_ENABLE_ONEDNN_OPTS", ""),
                                               ("OMP_NUM_THREADS", "2"))}
        assert settings_used >= EMULATED, f"{assignment}: {EMULATED - settings_used} not run"
        for numerics, run in runs.items():
            assert run["structure_mismatches"] == [], (assignment, numerics)
            assert run["numbers_outside_tolerance"] == [], (assignment, numerics)
            assert run["claims_failing"] == {}, (assignment, numerics)
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


def test_what_follows_from_training_is_left_to_the_claims():
    """A fit verdict, DBSCAN's counts on trained codes and the column widths they bring may
    differ on another machine; a changed layer size or feature name may not."""
    expected = nbformat.read(str(settings.REFERENCE / "01_wine_basics.ipynb"), as_version=4)
    ran = copy.deepcopy(expected)

    def table(marker):
        index = next(i for i, cell in enumerate(ran.cells)
                     if cell.cell_type == "code" and marker in cell.source)
        output = next(o for o in ran.cells[index].outputs if "text/plain" in o.get("data", {}))
        return index, output.data

    _, agreement = table("agreement = pd.DataFrame")
    agreement["text/plain"] = agreement["text/plain"].replace(
        "DBSCAN                                  1             0",
        "DBSCAN                                 12            17")
    index, comparison = table('rows["13-3-13 L1, lr=1"]')
    comparison["text/plain"] = comparison["text/plain"].replace(
        "still learning", "overfitting   ").replace("   diverged", "underfitting")
    assert "12            17" in agreement["text/plain"]
    assert "overfitting" in comparison["text/plain"] and "diverged" not in comparison["text/plain"]
    assert reference.mismatches(ran, expected) == []
    comparison["text/plain"] = comparison["text/plain"].replace("13-32-16-3", "13-32-8-3")
    assert [problem.split(":")[0] for problem in reference.mismatches(ran, expected)] == [
        f"cell {index}"]


@pytest.mark.parametrize("assignment", notebooks.assignments())
def test_each_notebook_has_a_screenshot_of_one_of_its_figures(assignment):
    """``python -m autograder.qa.screenshots`` captures the cell named in ``FIGURES``."""
    from autograder.qa.screenshots import DESTINATION, FIGURES

    nb = nbformat.read(str(settings.REFERENCE / f"{assignment}.ipynb"), as_version=4)
    cells = [cell for cell in nb.cells
             if cell.cell_type == "code" and FIGURES[assignment] in cell.source]
    assert cells and any("image/png" in output.get("data", {}) for output in cells[0].outputs)
    assert (DESTINATION / f"{assignment}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
