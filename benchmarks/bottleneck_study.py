"""Run notebook 5 (bottleneck sizes, encoder features) in a profile; save its two tables.

    python benchmarks/bottleneck_study.py [--profile full] [--out results/bottleneck_study.json]

Executes the real source notebook (200 epochs, batch 16 in the full profile) and reads, for
every trained model, its parameters and final train/test MSE, and the test accuracy of the
logistic regression on raw and on encoded features.
"""

import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mnist_studies import parse_benchmark_arguments, run_study  # noqa: E402

READ = {"budget": "vars(settings)", "losses": "final_losses(list(models))",
        "accuracy": "accuracies['test accuracy']"}


def main(argv=None):
    args = parse_benchmark_arguments(argv, __doc__, "bottleneck_study.json", timeout=3600)
    results, seconds = run_study("05_bottleneck", READ, args.timeout)
    report = {"profile": args.profile, "wall_time_s": round(seconds, 1),
              "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
                         f"Python {platform.python_version()}", **results}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
