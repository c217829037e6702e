"""Estimate a student's working time on each release notebook, against a 2-hour budget.

    python -m benchmarks.student_time [--out results/student_time.json]

A student's time cannot be run, so it is estimated from the release notebook itself with
stated rates: reading the text shown (every markdown cell but the answer cells of the written
questions) at 150 words a minute, 10 minutes per exercise to write and check, 4 minutes per
point of a written question, and the notebook's compute in the student profile as measured by
``benchmarks.student_profile`` (``results/student_profile.json``). Prints each part and the
total per notebook; the target is at most 120 minutes.
"""

import argparse
import json
import re
import sys

import nbformat

from autograder.notebooks import assignments
from autograder.settings import RELEASE, RESULTS
from benchmarks.mnist_studies import save_report

READING_WORDS_PER_MINUTE = 150
MINUTES_PER_EXERCISE = 10
MINUTES_PER_QUESTION_POINT = 4
TARGET_MINUTES = 120


def estimate(nb, compute_seconds):
    """Return the estimated minutes of each part of a release notebook ``nb``."""
    shown, exercises, question_points = 0, 0, 0
    for cell in nb.cells:
        grading = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and not grading.get("solution"):
            shown += len(re.findall(r"[A-Za-z0-9]+", cell.source))
        elif cell.cell_type == "code" and grading.get("solution"):
            exercises += 1
        elif cell.cell_type == "markdown" and grading.get("grade"):
            question_points += grading.get("points", 0)
    parts = {"reading": shown / READING_WORDS_PER_MINUTE,
             "exercises": exercises * MINUTES_PER_EXERCISE,
             "written questions": question_points * MINUTES_PER_QUESTION_POINT,
             "compute": compute_seconds / 60}
    return {**{name: round(minutes, 1) for name, minutes in parts.items()},
            "total": round(sum(parts.values()), 1), "words shown": shown,
            "exercises": exercises, "question points": question_points}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(RESULTS / "student_time.json"))
    args = parser.parse_args(argv)
    compute = json.loads((RESULTS / "student_profile.json").read_text())["notebooks"]
    report = {"rates": {"reading_words_per_minute": READING_WORDS_PER_MINUTE,
                        "minutes_per_exercise": MINUTES_PER_EXERCISE,
                        "minutes_per_question_point": MINUTES_PER_QUESTION_POINT},
              "target_minutes": TARGET_MINUTES, "notebooks": {}}
    for assignment in assignments():
        nb = nbformat.read(str(RELEASE / assignment / f"{assignment}.ipynb"), as_version=4)
        found = estimate(nb, compute[assignment]["wall_time_s"])
        report["notebooks"][assignment] = found
        verdict = "within" if found["total"] <= TARGET_MINUTES else "OVER"
        print(f"{assignment}: {found['total']:.0f} min ({verdict} {TARGET_MINUTES}): reading "
              f"{found['reading']:.0f} ({found['words shown']} words), exercises "
              f"{found['exercises']} x {MINUTES_PER_EXERCISE}, questions "
              f"{found['question points']} points x {MINUTES_PER_QUESTION_POINT}, compute "
              f"{found['compute']:.0f}")
    save_report(report, args.out)
    print(f"Saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
