"""Grade one submission: a throwaway nbgrader course, its kernel in the sandbox, the results read.

``grade_submission(task)`` runs on a local thread or on a Dask worker; it never raises. What it
returns (``Result``) is merged into the class folder by the grading process alone.
"""

import json
import os
import re
import subprocess
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from traitlets.config import Config

from autograder.grading.outcomes import Outcome, Status
from autograder.grading.submissions import (
    integrity_flags,
    notebook_names,
    read_files,
    unreadable_notebooks,
    write_file,
)
from autograder.nbgrader_runner import NbgraderFailed, run_steps
from autograder.settings import QUIET_TENSORFLOW, Limits


@dataclass(kw_only=True)
class Task:
    """Everything a worker needs to grade one submission, on this machine or another one
    (fields by name only)."""

    student: str
    assignment: str
    files: dict  # relative path -> bytes, as submitted
    template: dict  # the assignment's throwaway course: relative path -> bytes
    limits: dict  # autograder.settings.Limits as a dict
    kernel_env: dict  # the grading kernel's whole environment
    readable: list  # host folders the kernel may read
    use_sandbox: bool = True
    digest: str = ""
    skipped: list = field(default_factory=list)  # links and special files, never read
    withheld: list = field(default_factory=list)  # helper names withheld from the kernel
    package: str = ""  # the helper package folder


@dataclass
class Result:
    outcome: Outcome
    grades: dict = field(default_factory=dict)  # notebook -> grade -> fields
    comments: dict = field(default_factory=dict)  # notebook -> cell -> auto comment
    autograded: dict = field(default_factory=dict)  # relative path -> bytes
    feedback: dict = field(default_factory=dict)  # relative path -> bytes
    traceback: str = ""  # a grader bug's traceback, for the grader's log


def submission_config(task, events_file):
    """Return the nbgrader settings of one submission, merged over the course's config.

    The autograde preprocessors are nbgrader's own, with ``Execute`` replaced by the sandbox's,
    the judge around it and displayed values kept from the scores (``execute.configure``); the
    package copy with the withheld names is written beside ``events_file``.
    """
    from autograder.grading.execute import configure

    return configure(Config(), Limits(**task.limits), task.kernel_env, task.readable,
                     sandbox=task.use_sandbox, events_file=events_file, withheld=task.withheld,
                     package=task.package, copy_folder=Path(events_file).parent)


def grade_submission(task):
    """Grade one submission in a throwaway course; return what to merge. Never raises."""
    started = time.monotonic()
    outcome = Outcome(task.student, task.assignment, digest=task.digest,
                      sandboxed=task.use_sandbox)
    result = Result(outcome)
    try:
        outcome.flags = integrity_flags(task.files)
        problems = unreadable_notebooks(task.files)
        if problems:
            outcome.add_problem("; ".join(problems), Status.NOT_GRADED)
            return result
        with tempfile.TemporaryDirectory(prefix="aecourse-grade-") as scratch:
            _grade_in(Path(scratch), task, result)
    except Exception as error:  # a grader bug must not stop the class
        result.traceback = traceback.format_exc()
        outcome.add_problem(f"grader error ({type(error).__name__}: {error}); the traceback "
                            "is in the grader's log"[:400], Status.FAILED)
    finally:
        outcome.seconds = round(time.monotonic() - started, 1)
    return result


# What nbgrader's submit adds to every submission (collect copies them): not the student's files.
EXCHANGE_RECORDS = ("timestamp.txt", "submission_secret.txt")


def _grade_in(scratch, task, result):
    outcome = result.outcome
    course = scratch / "course"
    for name, content in task.template.items():
        write_file(course / name, content)
    events = scratch / "events.jsonl"
    submitted = course / "submitted" / task.student / task.assignment
    notebooks = notebook_names(task.files)
    for name in notebooks:
        write_file(submitted / name, task.files[name])
    # e.g. a folder that would shadow the helper package; not nbgrader's own exchange records
    ignored = sorted(name for name in task.files
                     if name not in notebooks and name not in EXCHANGE_RECORDS)
    steps = [(command, task.assignment, task.student)
             for command in ("autograde", "generate_feedback")]
    env = {**os.environ, **QUIET_TENSORFLOW, "TMPDIR": str(scratch)}
    try:
        run_steps(course, steps, submission_config(task, events), env,
                  timeout=task.limits["submission_seconds"], log_path=scratch / "nbgrader.log")
    except subprocess.TimeoutExpired:
        outcome.add_problem(f"grading took more than {task.limits['submission_seconds']} s "
                            "and was stopped", Status.FAILED)
    except NbgraderFailed as error:
        outcome.add_problem(explain_failure(error.log), Status.FAILED)
    started, sandbox_problems = _events(events)
    if outcome.status == Status.GRADED and not started:
        # The config did not load, or nbgrader ran no kernel: never trust such a grade.
        outcome.add_problem("the grading kernel did not start in the sandbox", Status.FAILED)
    if sandbox_problems:
        # A capped output still grades; any other problem stopped the kernel.
        stopped = any("the rest was dropped" not in problem for problem in sandbox_problems)
        problems = "; ".join(f"the kernel {p}" for p in sandbox_problems)
        outcome.problem = "; ".join(p for p in (problems, outcome.problem) if p)
        if stopped:
            outcome.status = Status.FAILED
    if ignored:
        outcome.add_problem(f"extra files ignored: {', '.join(ignored[:5])}")
    if task.skipped:
        outcome.add_problem(f"ignored: {', '.join(task.skipped[:5])}")
    _collect(course, task, result)
    outcome.add_problem(timeouts(result.autograded, task.limits["cell_seconds"]))


# nbgrader's log line -> what the instructor reads (first match wins).
FAILURES = [
    (r"would run with privileges", "the sandbox could not drop the kernel's privileges; "
                                   "the kernel was not started"),
    (r"DeadKernelError", "the kernel died while running the notebook (os._exit, a signal "
                         "or a crash)"),
    (r"SchemaTooOldError", "the nbgrader metadata of a cell is damaged (an edited or copied "
                           "cell)"),
    (r"nbgrader metadata may be corrupted",
     "the nbgrader metadata of a cell was changed (for example a renamed grade_id)"),
    (r"NoSuchKernel: No such kernel named (\S+)", "the notebook asks for kernel {0}"),
    (r"the nbgrader process was killed by (\w+)", "the grading process was killed by {0} "
                                                  "before it finished (out of memory or a crash)"),
]


def explain_failure(log):
    """Return one clear line for a failed nbgrader run, from its log."""
    for pattern, message in FAILURES:
        match = re.search(pattern, log)
        if match:
            return message.format(*match.groups())
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    # The exception itself ("ValueError: ..."), not nbgrader's "[ERROR] Please see the above
    # traceback", and the cell it came from when nbclient names it.
    raised = [line for line in lines
              if re.match(r"^[\w.]*(Error|Exception|Exit|Interrupt)\b(:|$)", line)]
    errors = [line for line in lines if ("[ERROR]" in line or "Error" in line)
              and "see the above traceback" not in line]
    cause = (raised or errors or lines or ["unknown error"])[-1]
    cell = re.search(r"executing the following cell:\s*-+\s*\n\s*(\S[^\n]*)", log)
    where = f" (in the cell that starts {cell.group(1).strip()[:60]!r})" if cell else ""
    return (cause[:240] + where)[:320]


def timeouts(autograded, seconds):
    """Return a problem line for the cells of the autograded notebooks that ran out of time."""
    stopped = []
    for name, content in autograded.items():
        if name.endswith(".ipynb"):
            nb = nbformat.reads(content.decode("utf-8"), as_version=4)
            stopped += [f"{name} cell {index}" for index, cell in enumerate(nb.cells)
                        if any(output.get("ename") == "CellTimeoutError"
                               for output in cell.get("outputs", []))]
    return f"stopped after {seconds} s: {', '.join(stopped)}" if stopped else ""


def _events(path):
    """Return (kernels started as configured, the problems the sandbox reported)."""
    events = [json.loads(line) for line in path.read_text().splitlines()] \
        if path.exists() else []
    started = sum(1 for event in events if "started" in event)
    return started, list(dict.fromkeys(e["problem"] for e in events if "problem" in e))


def _collect(course, task, result):
    """Read scores, comments, the autograded notebook and the feedback of the submission."""
    from nbgrader.api import Gradebook, MissingEntry

    outcome = result.outcome
    if outcome.status != Status.GRADED:
        return
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        try:
            submission = gradebook.find_submission(task.assignment, task.student)
        except MissingEntry:
            outcome.add_problem("no grades were recorded", Status.FAILED)
            return
        for notebook in submission.notebooks:
            result.grades[notebook.name] = {
                grade.name: {"auto_score": grade.auto_score,
                             "needs_manual_grade": grade.needs_manual_grade}
                for grade in notebook.grades}
            result.comments[notebook.name] = {
                comment.name: comment.auto_comment for comment in notebook.comments}
            for grade in notebook.grades:
                kind = "auto" if grade.cell_type == "code" else "manual"
                outcome.scores[grade.name] = [float(grade.score), float(grade.max_score), kind]
    for kind, target in (("autograded", result.autograded), ("feedback", result.feedback)):
        folder = course / kind / task.student / task.assignment
        if folder.is_dir():
            target.update(read_files(folder))
