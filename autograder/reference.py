"""Check an executed notebook against its reference notebook with nbval's own comparison.

The test suite grades each solution with nbgrader once and checks the autograded notebook here,
instead of executing the same notebook a second time under pytest-nbval. The rules are
nbval's ``--nbval-lax`` rules: only cells marked ``nbval-check-output`` (tag or comment) are
compared, after the regular expressions of ``notebooks/nbval_sanitize.cfg``; images are not
compared. ``make check`` runs nbval itself on ``notebooks/``.
"""

from types import SimpleNamespace

from nbval.plugin import (
    IPyNbCell,
    coalesce_streams,
    find_comment_markers,
    find_metadata_tags,
    get_sanitize_patterns,
    nocolors,
)

from autograder.notebooks import REFERENCE

SANITIZE = REFERENCE / "nbval_sanitize.cfg"
# nbval's IPyNbFile.skip_compare without nbdime: images are never compared.
SKIP_COMPARE = ("metadata", "traceback", "prompt_number", "output_type", "name",
                "execution_count", "application/vnd.jupyter.widget-view+json", "image/png",
                "image/jpeg")


class _Comparison:
    """The parts of nbval's ``IPyNbCell`` that compare outputs, outside a pytest session."""

    compare_outputs = IPyNbCell.compare_outputs
    sanitize = IPyNbCell.sanitize
    format_output_compare = IPyNbCell.format_output_compare
    colors = nocolors
    config = None
    ihook = SimpleNamespace(pytest_assertrepr_compare=lambda **kwargs: [])

    def __init__(self, patterns):
        self.parent = SimpleNamespace(skip_compare=SKIP_COMPARE, sanitize_patterns=dict(patterns))
        self.comparison_traceback = []


def checked_cells(nb):
    """Return the indices of the code cells whose outputs nbval checks in lax mode."""
    return [index for index, cell in enumerate(nb.cells) if cell.cell_type == "code"
            and dict([*find_comment_markers(cell.source),
                      *find_metadata_tags(cell.metadata)]).get("check")]


def mismatches(executed, reference):
    """Return one message per checked cell of ``reference`` whose output ``executed`` lacks."""
    comparison = _Comparison(get_sanitize_patterns(SANITIZE.read_text()))
    problems = []
    if len(executed.cells) != len(reference.cells):
        return [f"{len(executed.cells)} cells, the reference has {len(reference.cells)}"]
    for index in checked_cells(reference):
        ran, expected = executed.cells[index], reference.cells[index]
        if ran.source != expected.source:
            problems.append(f"cell {index}: the source differs from the reference")
        elif not comparison.compare_outputs(coalesce_streams(ran.outputs),
                                            coalesce_streams(expected.outputs)):
            problems.append(f"cell {index}:\n" + "\n".join(comparison.comparison_traceback))
    return problems
