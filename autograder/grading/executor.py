"""Run grading tasks at once, on local threads or on a Dask cluster, with a progress bar."""

import concurrent.futures
import sys

from tqdm import tqdm

from autograder.grading.worker import grade_submission
from autograder.nbgrader_runner import stop_all


def run_tasks(tasks, workers, scheduler=None):
    """Yield each task's ``Result`` as it finishes: on local threads or on a Dask cluster."""
    if scheduler:
        from distributed import Client, as_completed

        with Client(scheduler) as client:
            futures = [client.submit(grade_submission, task, pure=False) for task in tasks]
            for future in as_completed(futures):
                yield future.result()
        return
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    try:
        futures = [pool.submit(grade_submission, task) for task in tasks]
        for future in concurrent.futures.as_completed(futures):
            yield future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        stop_all()  # Ctrl-C: the submissions being graded stop now


def progress_bar(total, stream=sys.stderr):
    """Return a tqdm bar with the time left (drawn on a terminal only)."""
    return tqdm(total=total, unit="submission", file=stream, disable=None, dynamic_ncols=True)


def report_line(done, total, outcome):
    """Return the line printed when a submission is finished."""
    problem = f" - {outcome.problem}" if outcome.problem else ""
    flagged = " [flagged]" if outcome.flags else ""
    return (f"[{done}/{total}] {outcome.student} {outcome.assignment}: {outcome.status} "
            f"{outcome.total('auto'):g} points ({outcome.seconds:.0f} s){problem}{flagged}")
