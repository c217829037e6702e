"""Grading throughput: plain sequential nbgrader against the sandboxed grader at 1 and 2 workers,
and what judging hidden tests outside the kernel costs.

    python -m benchmarks.grading [--profile smoke] [--out benchmarks/results/grading.json]
    python -m benchmarks.grading --judging-only [--out benchmarks/results/judging.json]
    python -m benchmarks.grading --sandbox-only

The class: every course notebook's solution, one wrong answer, blank release and tampering
submission (24 submissions). Plain nbgrader grades it the usual way, one course folder,
``nbgrader autograde`` then ``nbgrader generate_feedback`` per assignment; ``autograder.grading``
grades it with 1 and with 2 workers. The sandbox's overhead per submission is measured on the
probe assignment of the tests (no TensorFlow), graded with and without the sandbox. Writes wall
times, submissions per minute, the speed-ups and whether every score is identical.

The judge's cost: the same class graded with 2 workers as the grader does (probe in the kernel,
judge in the grader: ``autograder.grading.judge``) and as it did before (each hidden test whole
in the kernel, the judge preprocessors left out), in alternating runs.
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
from autograder.grading import grade_class, verdicts
from autograder.grading.gradebook import prepare_course
from autograder.qa import samples
from autograder.qa.probe import MODEL_ANSWER, PROBE, release, submission, write_source

STUDENTS = ("solution", "one_wrong", "blank", "tampering")


def plain_nbgrader(submitted, course, names, profile):
    """Grade with nbgrader alone, as its documentation does; return {(student, name): score}."""
    from nbgrader.api import Gradebook

    prepare_course(course, names)
    # nbgrader's own autograde preprocessors: no sandbox, no judge (the course config adds both).
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("\nfrom nbgrader.converters import Autograde\n"
                     "c.Autograde.autograde_preprocessors = "
                     "Autograde.class_traits()['autograde_preprocessors'].default()\n")
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
    times, scores = {}, {}
    for use_sandbox in (True, False):
        outcomes, times[use_sandbox] = timed(grade_class, scratch / "probe",
                                             scratch / f"probe-{use_sandbox}", [PROBE],
                                             workers=1, use_sandbox=use_sandbox, source=source,
                                             force=True)
        scores[use_sandbox] = {o.student: o.total("auto") for o in outcomes}
    return round((times[True] - times[False]) / count, 2), times, scores[True] == scores[False]


def sandbox_report(out):
    """Measure the sandbox's overhead alone and update it in the grading report ``out``."""
    with tempfile.TemporaryDirectory(prefix="aecourse-bench-") as scratch:
        overhead, probe_times, identical = sandbox_overhead(Path(scratch))
    report = json.loads(out.read_text()) if out.exists() else {}
    report.update({"sandbox_overhead_s_per_submission": overhead,
                   "probe_class_wall_time_s": {"sandbox": probe_times[True],
                                               "no sandbox": probe_times[False]},
                   "probe_scores_identical": identical})
    report.setdefault("targets", {})["sandbox overhead <= 2 s"] = overhead <= 2
    return report


def without_judge(execute=None):
    """``verdicts.autograde_preprocessors`` as before the judge: hidden tests run whole in the
    kernel (the judge's marker is then a comment)."""
    return [name for name in UNJUDGED(execute)
            if not name.endswith((".SplitJudges", ".JudgeProbes"))]


UNJUDGED = verdicts.autograde_preprocessors


def judging_overhead(submitted, scratch, names, profile, rounds=2):
    """Return (seconds per submission with and without the judge, scores identical).

    A first, untimed grading of the blank submissions warms the disk cache and TensorFlow's
    files; the rounds then alternate which way goes first, so neither gets the warmer machine.
    """
    blank = scratch / "warm-up"
    shutil.copytree(submitted / "blank", blank / "blank")
    ours(blank, scratch / "warm-up-grading", names, 2, profile)
    times, scores = {True: [], False: []}, {}
    for round_index in range(rounds):
        for judged in (True, False) if round_index % 2 == 0 else (False, True):
            verdicts.autograde_preprocessors = UNJUDGED if judged else without_judge
            try:
                scores[judged], seconds = timed(ours, submitted, scratch / f"judge-{judged}-"
                                                f"{round_index}", names, 2, profile)
            finally:
                verdicts.autograde_preprocessors = UNJUDGED
            times[judged].append(seconds)
    count = len(scores[True])
    per_submission = {judged: round(sum(runs) / len(runs) / count, 2)
                      for judged, runs in times.items()}
    return per_submission, times, scores[True] == scores[False], scores


def judging_report(args, names):
    with tempfile.TemporaryDirectory(prefix="aecourse-bench-") as scratch:
        scratch = Path(scratch)
        for name in names:
            samples.write_samples(scratch / "submitted", name, STUDENTS)
        per_submission, times, identical, scores = judging_overhead(
            scratch / "submitted", scratch, names, args.profile)
    extra = per_submission[True] / per_submission[False] - 1
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
                   f"{platform.python_version()}",
        "profile": args.profile, "submissions": len(scores[True]), "workers": 2,
        "wall_time_s": {"judged outside the kernel": times[True],
                        "hidden tests in the kernel (before)": times[False]},
        "seconds_per_submission": {"judged outside the kernel": per_submission[True],
                                   "hidden tests in the kernel (before)": per_submission[False]},
        "judging_extra_time": f"{100 * extra:+.1f} %",
        "scores_identical": identical,
        "score_differences": {f"{s}/{a}": [scores[True].get((s, a)), scores[False].get((s, a))]
                              for (s, a) in sorted(scores[True])
                              if scores[True].get((s, a)) != scores[False].get((s, a))},
        "targets": {"judging costs <= 10 % more per submission": extra <= 0.10},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="smoke", help="notebook run profile of the class")
    parser.add_argument("--out", default=None, help="where the JSON report goes (default: "
                        "benchmarks/results/grading.json, or judging.json with --judging-only)")
    parser.add_argument("--judging-only", action="store_true",
                        help="measure only what judging outside the kernel costs")
    parser.add_argument("--sandbox-only", action="store_true",
                        help="measure only the sandbox's overhead; update it in the report")
    args = parser.parse_args(argv)
    names = notebooks.assignments()
    if args.sandbox_only:
        out = Path(args.out or settings.RESULTS / "grading.json")
        report = sandbox_report(out)
        out.write_text(json.dumps(report, indent=2) + "\n")
        print(json.dumps(report, indent=2))
        return 0
    if args.judging_only:
        report = judging_report(args, names)
        out = Path(args.out or settings.RESULTS / "judging.json")
        out.write_text(json.dumps(report, indent=2) + "\n")
        print(json.dumps(report, indent=2))
        return 0
    args.out = args.out or str(settings.RESULTS / "grading.json")
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
        overhead, probe_times, probe_identical = sandbox_overhead(scratch)
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
        "probe_scores_identical": probe_identical,
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
