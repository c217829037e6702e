"""How far trained numbers move under other numerics: the tolerances of the reference checks.

    python -m benchmarks.numerics_spread [ASSIGNMENT ...] [--out results/numerics_spread.json]

Op determinism makes a run repeatable on one CPU, not across CPUs, thread counts or library
builds. This executes each solution notebook (fast profile) under other numerics (one thread
instead of two, oneDNN on) and compares the decimals of its nbval-checked cells with the
committed reference notebook: the largest relative difference of numbers of magnitude 1 or
more, and the largest absolute difference of the smaller ones. ``tests/test_reference.py``
states its tolerances from these figures.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import nbformat

from autograder import notebooks, settings
from autograder.qa import reference
from benchmarks.mnist_studies import machine_description, save_report

NUMERICS = {
    "1 thread, oneDNN off": {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
                             "OMP_NUM_THREADS": "1"},
    "1 thread, oneDNN on": {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
                            "OMP_NUM_THREADS": "1", "TF_ENABLE_ONEDNN_OPTS": "1"},
    "2 threads, oneDNN on": {"TF_ENABLE_ONEDNN_OPTS": "1"},
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--numerics", action="append", choices=list(NUMERICS))
    parser.add_argument("--out", default=str(settings.RESULTS / "numerics_spread.json"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    report = json.loads(out.read_text()) if out.exists() else {}
    report.update({"machine": machine_description(), "profile": "fast"})
    results = report.setdefault("notebooks", {})
    for assignment in notebooks.assignments(args.assignments):
        committed = nbformat.read(str(settings.REFERENCE / f"{assignment}.ipynb"), 4)
        for label in args.numerics or NUMERICS:
            started = time.perf_counter()
            executed = notebooks.execute_solution(assignment, env=NUMERICS[label])
            relative, absolute = reference.spread(executed, committed)
            results.setdefault(assignment, {})[label] = {
                "structure_mismatches": reference.mismatches(executed, committed),
                "relative_difference_of_numbers_from_1": round(relative, 5),
                "absolute_difference_of_smaller_numbers": round(absolute, 5),
                "wall_time_s": round(time.perf_counter() - started, 1)}
            print(assignment, label, json.dumps(results[assignment][label]), flush=True)
            save_report(report, out)  # each run as it finishes: a long run keeps its figures
    return 0


if __name__ == "__main__":
    sys.exit(main())
