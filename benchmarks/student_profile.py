"""Time every notebook in the student profile, the default a student gets in JupyterLab.

    python benchmarks/student_profile.py [--out results/student_profile.json]

Executes each real source notebook (solutions included) top to bottom with the profile a
student runs when nothing is set, on this machine's cores, and records its wall time and
budget. The target: at most about 5 minutes per notebook on a 2-core laptop.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mnist_studies import (  # noqa: E402
    machine_description,
    parse_benchmark_arguments,
    run_study,
    save_report,
)

from autograder.notebooks import assignments  # noqa: E402

TARGET_SECONDS = 300


def main(argv=None):
    args = parse_benchmark_arguments(argv, __doc__, "student_profile.json", timeout=1800,
                                     profile="student")
    report = {"profile": "student", "machine": machine_description(),
              "target_s": TARGET_SECONDS, "notebooks": {}}
    for assignment in assignments():
        values, seconds = run_study(assignment, {"budget": "vars(settings)"}, args.timeout)
        report["notebooks"][assignment] = {"wall_time_s": round(seconds, 1),
                                           "budget": values["budget"]}
        print(f"{assignment}: {seconds:.0f} s "
              f"({'within' if seconds <= TARGET_SECONDS else 'OVER'} {TARGET_SECONDS} s)",
              flush=True)
    save_report(report, args.out)
    print(f"Saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
