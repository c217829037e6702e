"""Run notebook 6's two architecture searches in a profile; save their tables and wall time.

    python -m benchmarks.vae_search [--profile full] [--out results/vae_search.json]

Executes the real source notebook and reads from the kernel: the profile's budget, the cache's
counts, the best-so-far curve of each search, each final population, every evaluated
architecture, the random search with the same budget, and each search's choice scored once on the
test images; then prints, per depth, the mean loss
and silhouette, and where the best architecture of each objective lies.
"""

import json
import sys

import pandas as pd

from benchmarks.mnist_studies import (
    machine_description,
    parse_benchmark_arguments,
    run_study,
    save_report,
)

READ = {
    "budget": "vars(settings)",
    "cache": "{'requested': scores.requests, 'trained': scores.trained, "
             "'training_s': round(scores.seconds, 1)}",
    "curves": "curves",
    "final": "{objective: population_table(final).to_dict(orient='records') "
             "for objective, final in finals.items()}",
    "evaluated": "evaluated.to_dict(orient='records')",
    "random_search": "{'budget': evolution_budget, 'best': best_scores(random_runs), "
                     "'evaluated': random_table.to_dict(orient='records')}",
    "test_scores": "test_scores.reset_index().to_dict(orient='records')",
}


def main(argv=None):
    args = parse_benchmark_arguments(argv, __doc__, "vae_search.json", timeout=7200)
    results, seconds = run_study("06_vae_search", READ, args.timeout)
    evaluated = results["evaluated"]
    by_depth = {int(depth): {"loss": round(group["loss"].mean(), 4),
                             "silhouette": round(group["silhouette"].mean(), 4),
                             "architectures": len(group)}
                for depth, group in pd.DataFrame(evaluated).groupby("layers")}
    best = {"loss": min(evaluated, key=lambda row: row["loss"]),
            "silhouette": max(evaluated, key=lambda row: row["silhouette"])}
    report = {"profile": args.profile, "wall_time_s": round(seconds, 1),
              "machine": machine_description(),
              **{key: results[key] for key in ("budget", "cache", "curves")},
              "best": best, "by_depth": by_depth, "final": results["final"],
              "evaluated": evaluated, "random_search": results["random_search"],
              "test_scores": results["test_scores"], "claims": results["claims"]}
    save_report(report, args.out)
    print(f"{args.profile} profile: {seconds:.0f} s; {results['cache']}")
    print("per depth:", json.dumps(by_depth, indent=1))
    print("best:", json.dumps(best, indent=1))
    print("random search, same budget:", json.dumps(results["random_search"]["best"]))
    print("each search's choice, scored once on the test images:",
          json.dumps(results["test_scores"], indent=1))
    print("claims:", json.dumps(results["claims"], indent=1))
    print(f"Saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
