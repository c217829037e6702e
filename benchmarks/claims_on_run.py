"""Judge a notebook's current claims on the outputs of an earlier full-profile run.

    python -m benchmarks.claims_on_run RESULT.json EXECUTED.ipynb

A full-profile run takes up to an hour. When only a notebook's text or its claims changed since
(``autograder/qa/claims.py``), they are judged again on that run's outputs: each code cell of
the current source notebook takes the outputs of the executed cell with the same source, and a
code cell that the run did not have (an added test) is left without outputs. A code cell whose
source changed is refused: its outputs would not be that code's. The verdicts replace the
result's ``"claims"``.
"""

import json
import sys
from pathlib import Path

import nbformat

from autograder.qa.claims import verdicts
from autograder.settings import SOURCE
from benchmarks.mnist_studies import save_report

RESULTS_OF = {"vae_reproduction.json": "04_vae", "bottleneck_study.json": "05_bottleneck",
              "vae_search.json": "06_vae_search"}


def current_text_on_run(assignment, executed):
    """Return the source notebook of ``assignment`` with the outputs of ``executed``."""
    nb = nbformat.read(str(SOURCE / assignment / f"{assignment}.ipynb"), as_version=4)
    ran = {cell.source: cell for cell in executed.cells if cell.cell_type == "code"}
    graded = {cell.source for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.source in ran:
            cell.outputs = ran[cell.source].outputs
        elif cell.source not in graded:
            raise SystemExit(f"{assignment}: a code cell changed since the run; rerun it:\n"
                             f"{cell.source[:200]}")
    return nb


def main(argv=None):
    result_path, executed_path = (argv or sys.argv[1:])[:2]
    assignment = RESULTS_OF[Path(result_path).name]
    executed = nbformat.read(executed_path, as_version=4)
    report = json.loads(Path(result_path).read_text())
    report["claims"] = verdicts(assignment, current_text_on_run(assignment, executed))
    save_report(report, result_path)
    print(json.dumps(report["claims"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
