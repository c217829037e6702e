"""Run notebook 5 (bottleneck sizes, encoder features) in a profile; save its two tables.

    python -m benchmarks.bottleneck_study [--profile full] [--out results/bottleneck_study.json]

Executes the real source notebook (200 epochs, batch 16 in the full profile) and reads, for
every trained model, its parameters and final train/test MSE, and the test accuracy of the
logistic regression on raw and on encoded features, and the test MSE of the baselines (the
training mean, PCA with 5 and 10 components) beside every autoencoder.
"""

import json
import sys

from benchmarks.mnist_studies import (
    machine_description,
    parse_benchmark_arguments,
    run_study,
    save_report,
)

READ = {"budget": "vars(settings)", "losses": "final_losses(list(models))",
        "accuracy": "accuracies['test accuracy']", "baselines": "test_mse",
        "subspace_similarity": "{'linear autoencoder and PCA, 10 components': linear_similarity, "
                               "'two random subspaces': chance}"}


def main(argv=None):
    args = parse_benchmark_arguments(argv, __doc__, "bottleneck_study.json", timeout=3600)
    results, seconds = run_study("05_bottleneck", READ, args.timeout)
    report = {"profile": args.profile, "wall_time_s": round(seconds, 1),
              "machine": machine_description(), **results}
    save_report(report, args.out)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
