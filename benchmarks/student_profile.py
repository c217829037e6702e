"""Time every notebook in the student profile, the default a student gets in JupyterLab.

    python -m benchmarks.student_profile [--out results/student_profile.json] [NOTEBOOK ...]

Executes each real source notebook (solutions included) top to bottom with the profile a
student runs when nothing is set, on this machine's cores, and records its wall time, its
budget and the verdict of each of its claims (``autograder.qa.claims``: what its text says holds
in this run). The target: at most about 5 minutes per notebook on a 2-core laptop. Naming
notebooks reruns only those and keeps the others' entries of an existing report. The executed
notebooks are written to ``build/student_profile/`` (not committed), to read a failing claim.
"""

import json
import sys
import time
from pathlib import Path

from aecourse.profiles import budget
from autograder.notebooks import assignments, execute_solution, write_notebook
from autograder.qa.claims import verdicts
from autograder.settings import ROOT
from benchmarks.mnist_studies import machine_description, parse_benchmark_arguments, save_report

TARGET_SECONDS = 300


def main(argv=None):
    args = parse_benchmark_arguments(
        argv, __doc__, "student_profile.json", timeout=1800, profile="student",
        extra=lambda parser: parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK"))
    unknown = sorted(set(args.notebooks) - set(assignments()))
    if unknown:
        raise SystemExit(f"unknown notebooks: {', '.join(unknown)}; "
                         f"choose from {', '.join(assignments())}")
    report = {"profile": args.profile, "machine": machine_description(),
              "target_s": TARGET_SECONDS, "notebooks": {}}
    if args.notebooks and Path(args.out).exists():
        report["notebooks"] = json.loads(Path(args.out).read_text())["notebooks"]
    for assignment in args.notebooks or assignments():
        started = time.perf_counter()
        nb = execute_solution(assignment, env={"AECOURSE_PROFILE": args.profile},
                              timeout=args.timeout)
        seconds = time.perf_counter() - started
        found = verdicts(assignment, nb)
        write_notebook(nb, ROOT / "build" / "student_profile" / f"{assignment}.ipynb")
        report["notebooks"][assignment] = {"wall_time_s": round(seconds, 1),
                                           "budget": vars(budget(assignment, args.profile)),
                                           "claims": found}
        failing = [name for name, verdict in found.items() if verdict != "holds"]
        print(f"{assignment}: {seconds:.0f} s "
              f"({'within' if seconds <= TARGET_SECONDS else 'OVER'} {TARGET_SECONDS} s); "
              f"{len(found) - len(failing)} of {len(found)} claims hold"
              f"{': FAILS ' + ', '.join(failing) if failing else ''}", flush=True)
    report["notebooks"] = dict(sorted(report["notebooks"].items()))
    save_report(report, args.out)
    print(f"Saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
