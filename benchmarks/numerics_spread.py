"""How far trained numbers move under other numerics: the tolerances of the reference checks.

    python -m benchmarks.numerics_spread [ASSIGNMENT ...] [--numerics LABEL] [--out FILE]

Op determinism makes a run repeatable on one CPU, not across CPUs, thread counts or library
builds. This executes each solution notebook (fast profile) under emulated other CPUs: OpenBLAS
kernels of another CPU (``OPENBLAS_CORETYPE``), oneDNN held to a smaller instruction set
(``ONEDNN_MAX_CPU_ISA``), oneDNN on and off, one thread and two. Four runs cover every value of
each. Each run is compared with the committed reference notebook as the tests compare a
graded solution: nbval's structure, the checked decimals (the largest relative difference of
numbers of magnitude 1 or more, the largest absolute difference of the smaller ones, and those
outside the notebook's tolerance) and the notebook's claims. ``tests/test_reference.py`` states
its tolerances from these figures and requires every check to pass in every run.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import nbformat

from autograder import notebooks, settings
from autograder.qa import claims, reference
from benchmarks.mnist_studies import machine_description, save_report

ONE_THREAD = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
              "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
NUMERICS = {
    "OpenBLAS Haswell, oneDNN on up to AVX2, 1 thread": {
        **ONE_THREAD, "OPENBLAS_CORETYPE": "Haswell", "ONEDNN_MAX_CPU_ISA": "AVX2",
        "TF_ENABLE_ONEDNN_OPTS": "1"},
    "OpenBLAS SkylakeX, oneDNN on up to AVX512_CORE, 2 threads": {
        "OPENBLAS_CORETYPE": "SkylakeX", "ONEDNN_MAX_CPU_ISA": "AVX512_CORE",
        "TF_ENABLE_ONEDNN_OPTS": "1"},
    "OpenBLAS Zen, oneDNN off, 1 thread": {
        **ONE_THREAD, "OPENBLAS_CORETYPE": "Zen", "TF_ENABLE_ONEDNN_OPTS": "0"},
    "OpenBLAS Zen, oneDNN on up to AVX2, 2 threads": {
        "OPENBLAS_CORETYPE": "Zen", "ONEDNN_MAX_CPU_ISA": "AVX2", "TF_ENABLE_ONEDNN_OPTS": "1"},
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
    # Runs of numerics no longer in the list are dropped: every recorded run is a current one.
    for runs in report.get("notebooks", {}).values():
        for label in [label for label in runs if label not in NUMERICS]:
            del runs[label]
    report.update({"machine": machine_description(), "profile": "fast"})
    results = report.setdefault("notebooks", {})
    for assignment in notebooks.assignments(args.assignments):
        committed = nbformat.read(str(settings.REFERENCE / f"{assignment}.ipynb"), 4)
        for label in args.numerics or NUMERICS:
            started = time.perf_counter()
            executed = notebooks.execute_solution(assignment, env=NUMERICS[label])
            relative, absolute = reference.spread(executed, committed)
            verdicts = claims.verdicts(assignment, executed)
            results.setdefault(assignment, {})[label] = {
                "environment": NUMERICS[label],
                "structure_mismatches": reference.mismatches(executed, committed),
                "relative_difference_of_numbers_from_1": round(relative, 5),
                "absolute_difference_of_smaller_numbers": round(absolute, 5),
                "numbers_outside_tolerance": reference.numbers_outside(
                    executed, committed, *reference.TOLERANCES[assignment]),
                "claims_failing": {name: verdict for name, verdict in verdicts.items()
                                   if verdict != "holds"},
                "wall_time_s": round(time.perf_counter() - started, 1)}
            print(assignment, label, json.dumps(results[assignment][label]), flush=True)
            save_report(report, out)  # each run as it finishes: a long run keeps its figures
    return 0


if __name__ == "__main__":
    sys.exit(main())
