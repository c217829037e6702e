"""Grade a class: every new or changed submission graded alone, merged into one class folder."""

import contextlib
import logging
import os
import sys
import time
from pathlib import Path

from autograder import sandbox, settings
from autograder.grading.executor import progress_bar, report_line, run_tasks
from autograder.grading.gradebook import (
    deferred_interrupt,
    definition,
    make_template,
    max_scores,
    merge,
    prepare_class,
)
from autograder.grading.outcomes import STATE, load_outcomes, save_outcomes
from autograder.grading.report import write_grades, write_report
from autograder.grading.submissions import (
    digest_of,
    find_submissions,
    read_files,
    skipped_entries,
)
from autograder.grading.worker import Task
from autograder.notebooks import assignments

log = logging.getLogger(__name__)
CHART_SECONDS = 20  # charts are redrawn at most this often: a large class would wait on PNGs


def grade_class(submitted, out, names=None, workers=None, scheduler=None, force=False,
                use_sandbox=True, limits=None, data_dir=None, source=settings.SOURCE,
                profile=settings.TOOLING_PROFILE):
    """Grade every new or changed submission under ``submitted`` into ``out``; return outcomes.

    ``profile`` is the notebooks' run profile (``aecourse.profiles``); ``limits`` default to
    ``settings.Limits()``, with the cores shared among the ``workers`` kernels.
    """
    out = Path(out).resolve()
    workers = workers or os.cpu_count() or 1
    names = assignments(names, source)
    data_dir = str(Path(data_dir).resolve()) if data_dir else settings.data_dir()
    limits = (limits or settings.Limits()).for_workers(workers)
    readable = sandbox.system_paths() + settings.course_readable_paths(data_dir)
    problem = use_sandbox and sandbox.isolation_problem(readable, limits)
    if problem:  # never run student code with privileges the sandbox should have removed
        raise SystemExit(f"Not grading: {problem}")
    submissions = find_submissions(submitted, names)
    settings.fetch_image_data(names)
    template = make_template(names, source)
    prepare_class(out, names, template, source)
    outcomes = load_outcomes(out)
    maxima = {name: max_scores(out, name) for name in names}
    to_grade, files_of = [], {}
    for (student, name), folder in submissions.items():
        files = read_files(folder)
        digest = digest_of({**files, "profile": profile.encode()}, definition(template, name))
        previous = outcomes.get(f"{student}/{name}")
        if force or not previous or previous.digest != digest \
                or previous.sandboxed != use_sandbox:
            files_of[(student, name)] = files
            to_grade.append((student, name, digest))
    kernel_env = settings.kernel_environment(limits, data_dir, profile)
    withheld = settings.withheld_answers()
    tasks = [Task(student=student, assignment=name, files=files_of[(student, name)],
                  template=template, limits=limits.as_dict(), kernel_env=kernel_env,
                  readable=readable, use_sandbox=use_sandbox, digest=digest,
                  skipped=skipped_entries(submissions[(student, name)]),
                  withheld=withheld.get(name, []), package=settings.helper_package())
             for student, name, digest in to_grade]
    print(f"Grading {len(tasks)} of {len(submissions)} submissions "
          f"({len(submissions) - len(tasks)} unchanged since the last run) on "
          f"{f'the Dask cluster at {scheduler}' if scheduler else f'{workers} workers'}"
          f"{'' if use_sandbox else ', WITHOUT a sandbox'}.", flush=True)
    with _grader_log(out), progress_bar(len(tasks)) as bar:
        charted, stale_charts = time.monotonic(), set()
        for done, result in enumerate(run_tasks(tasks, workers, scheduler), start=1):
            outcome = result.outcome
            if result.traceback:
                log.error("grader error on %s:\n%s", outcome.key, result.traceback)
            stale_charts.add(outcome.assignment)
            redraw = stale_charts if time.monotonic() - charted > CHART_SECONDS else set()
            with deferred_interrupt():
                merge(out, result, files_of[(outcome.student, outcome.assignment)],
                      submissions[(outcome.student, outcome.assignment)])
                outcomes[outcome.key] = outcome
                save_outcomes(out, outcomes)
                write_grades(outcomes.values(), maxima, out / "grades.csv")
                write_report(outcomes.values(), maxima, out, charts=redraw)
            if redraw:
                charted, stale_charts = time.monotonic(), set()
            bar.write(report_line(done, len(tasks), outcome), file=sys.stderr)
            bar.update()
    write_grades(outcomes.values(), maxima, out / "grades.csv")
    write_report(outcomes.values(), maxima, out, charts=stale_charts)
    return [outcomes[key] for key in sorted(outcomes)]


@contextlib.contextmanager
def _grader_log(out):
    """Write the grader's log (grader errors with their tracebacks) to ``.grader/grader.log``."""
    (out / STATE).mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(out / STATE / "grader.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logging.getLogger("autograder").addHandler(handler)
    try:
        yield
    finally:
        logging.getLogger("autograder").removeHandler(handler)
        handler.close()
