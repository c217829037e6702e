"""Grading throughput: plain sequential nbgrader against the sandboxed grader at 1 and 2 workers.

    python -m benchmarks.grading [--profile smoke] [--out benchmarks/results/grading.json]

The class: every course notebook's solution, one wrong answer, blank release and tampering
submission (24 submissions). Plain nbgrader grades it the usual way, one course folder,
``nbgrader autograde`` then ``nbgrader generate_feedback`` per assignment; ``autograder.grading``
grades it with 1 and with 2 workers. The sandbox's overhead per submission is measured on the
probe assignment of the tests (no TensorFlow), graded with and without the sandbox. Writes wall
times, submissions per minute, the speed-ups and whether every score is identical.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder import notebooks, settings
from autograder.grading import grade_class
from autograder.grading.gradebook import prepare_course
from autograder.qa import samples
from autograder.qa.probe import MODEL_ANSWER, PROBE, release, submission, write_source

STUDENTS = ("solution", "one_wrong", "blank", "tampering")


def plain_nbgrader(submitted, course, names, profile):
    """Grade with nbgrader alone, as its documentation does; return {(student, name): score}."""
    from nbgrader.api import Gradebook

    prepare_course(course, names)
    shutil.copytree(submitted, course / "submitted")
    env = {**os.environ, **settings.EXECUTION_ENV, settings.PROFILE_VARIABLE: profile,
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}
    for name in names:
        for command in ("autograde", "generate_feedback"):
            subprocess.run([sys.executable, "-m", "nbgrader", command, name, "--force"],
                           cwd=course, env=env, check=True, capture_output=True)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {(s.student.id, name): s.score for name in names
                for s in gradebook.assignment_submissions(name)}


def ours(submitted, out, names, workers, profile, **options):
    outcomes = grade_class(submitted, out, names, workers=workers, profile=profile, force=True,
                           **options)
    return {(o.student, o.assignment): o.total("auto") + o.total("manual") for o in outcomes}


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, round(time.perf_counter() - started, 1)


def sandbox_overhead(scratch, count=8):
    """Return seconds per submission that the sandbox adds, on the probe assignment."""
    source = write_source(scratch / "probe-source")
    released = release(source)
    for index in range(count):
        path = scratch / "probe" / f"student{index}" / PROBE / f"{PROBE}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(submission(released, MODEL_ANSWER), str(path))
    times = {}
    for use_sandbox in (True, False):
        _, times[use_sandbox] = timed(grade_class, scratch / "probe",
                                      scratch / f"probe-{use_sandbox}", [PROBE], workers=1,
                                      use_sandbox=use_sandbox, source=source, force=True)
    return round((times[True] - times[False]) / count, 2), times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="smoke", help="notebook run profile of the class")
    parser.add_argument("--out", default=str(settings.RESULTS / "grading.json"))
    args = parser.parse_args(argv)
    names = notebooks.assignments()
    with tempfile.TemporaryDirectory(prefix="aecourse-bench-") as scratch:
        scratch = Path(scratch)
        for name in names:
            samples.write_samples(scratch / "submitted", name, STUDENTS)
        count = len(names) * len(STUDENTS)
        runs = {}
        scores = {}
        scores["plain"], runs["plain nbgrader, sequential"] = timed(
            plain_nbgrader, scratch / "submitted", scratch / "plain", names, args.profile)
        for workers in (1, 2):
            scores[workers], runs[f"autograder.grading, {workers} worker(s)"] = timed(
                ours, scratch / "submitted", scratch / f"ours-{workers}", names, workers,
                args.profile)
        overhead, probe_times = sandbox_overhead(scratch)
    plain = runs["plain nbgrader, sequential"]
    two_workers = runs["autograder.grading, 2 worker(s)"]
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
                   f"{platform.python_version()}",
        "profile": args.profile, "submissions": count, "wall_time_s": runs,
        "submissions_per_minute": {run: round(60 * count / seconds, 2)
                                   for run, seconds in runs.items()},
        "speedup_over_plain": {run: round(plain / seconds, 2) for run, seconds in runs.items()},
        "sandbox_overhead_s_per_submission": overhead,
        "probe_class_wall_time_s": {"sandbox": probe_times[True], "no sandbox": probe_times[False]},
        "scores_identical": scores["plain"] == scores[1] == scores[2],
        "targets": {"sandbox overhead <= 2 s": overhead <= 2,
                    "2 workers >= 1.5x plain": plain / two_workers >= 1.5},
    }
    if not report["scores_identical"]:
        report["score_differences"] = {
            f"{s}/{a}": [scores["plain"].get((s, a)), scores[1].get((s, a)), scores[2].get((s, a))]
            for (s, a) in sorted(set(scores["plain"]) | set(scores[1]))
            if len({scores["plain"].get((s, a)), scores[1].get((s, a)), scores[2].get((s, a))}) > 1}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
