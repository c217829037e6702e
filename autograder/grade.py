"""Grade a class: every submission in its own sandboxed nbgrader course, merged into one gradebook.

    python -m autograder.grade SUBMITTED --out GRADING [--assignment NAME] [--workers N]
                               [--scheduler ADDRESS] [--force] [--no-sandbox] [limits...]

SUBMITTED is a folder in nbgrader's layout, ``<student>/<assignment>/*.ipynb`` (a course's
``submitted/`` folder, or its parent); it is only ever read. GRADING becomes a complete nbgrader
course folder (``gradebook.db``, ``submitted/``, ``autograded/``, ``feedback/``), so that
``nbgrader formgrader`` opened there shows every student for manual grading, plus:

- ``grades.csv``: one row per student and assignment, every question as ``assignment/question``;
- ``report.md`` and ``report.html`` (with PNG charts beside them): the class report;
- ``feedback/<student>/<assignment>/*.html``: what each student gets back.

Each submission is graded alone (``grade_submission``): a throwaway nbgrader course holding the
assignment definitions and that one submission, its kernel in a bubblewrap sandbox with limits
(``autograder.sandbox``). Only what comes back (scores, comments, the autograded notebook and
the feedback) is merged into GRADING, one submission at a time, through nbgrader's Gradebook
API. Submissions run in parallel on ``--workers`` threads, or on a Dask cluster with
``--scheduler``. The grades and report are rewritten after each submission; a rerun grades only
new or changed submissions (content hash) unless ``--force``.
"""

import argparse
import concurrent.futures
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder import integrity, sandbox
from autograder.notebooks import (
    CONFIG,
    SOURCE,
    StepsProcess,
    assignments,
    run_nbgrader_steps,
)
from autograder.report import write_grades, write_report

STATE = ".grader"  # inside GRADING: outcomes of earlier runs and the assignment template


@dataclass
class Outcome:
    """What happened to one student's submission of one assignment."""

    student: str
    assignment: str
    status: str = "graded"  # graded | failed | not graded
    problem: str = ""
    flags: str = ""  # integrity flags: "notebook: cell N: reason; ..."
    scores: dict = field(default_factory=dict)  # question -> [score, max, kind]
    digest: str = ""
    seconds: float = 0.0
    sandboxed: bool = True

    def total(self, kind):
        return sum(score for score, _, k in self.scores.values() if k == kind)


@dataclass
class Task:
    """Everything a worker needs to grade one submission, on this machine or another one."""

    student: str
    assignment: str
    files: dict  # relative path -> bytes, as submitted
    template: dict  # the assignment's throwaway course: relative path -> bytes
    limits: dict
    use_sandbox: bool = True
    data_dir: str = ""
    digest: str = ""
    profile: str = "fast"


@dataclass
class Result:
    outcome: Outcome
    grades: dict = field(default_factory=dict)  # notebook -> grade -> fields
    comments: dict = field(default_factory=dict)  # notebook -> cell -> auto comment
    autograded: dict = field(default_factory=dict)  # relative path -> bytes
    feedback: dict = field(default_factory=dict)  # relative path -> bytes


# ---------------------------------------------------------------- finding submissions

def find_submissions(folder, wanted):
    """Return ``{(student, assignment): folder}`` for the submissions under ``folder``."""
    folder = Path(folder)
    if (folder / "submitted").is_dir():
        folder = folder / "submitted"
    if not folder.is_dir():
        raise SystemExit(f"No submissions folder at {folder}.")
    found = {}
    for student_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        for assignment_dir in sorted(p for p in student_dir.iterdir() if p.is_dir()):
            if assignment_dir.name in wanted:
                found[(student_dir.name, assignment_dir.name)] = assignment_dir
    return found


def read_files(folder):
    """Return ``{relative path: bytes}`` for the regular files under ``folder`` (no links)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and ".ipynb_checkpoints" not in path.parts:
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def digest_of(files, template):
    """Return a hash of a submission together with its assignment's definition."""
    hasher = hashlib.sha256()
    # The gradebook holds creation times: the assignment is defined by its source and config.
    definition = {name: content for name, content in template.items() if name != "gradebook.db"}
    for part in (definition, files):
        for name, content in sorted(part.items()):
            hasher.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return hasher.hexdigest()


def unreadable_notebooks(files):
    """Return a message for every submitted notebook that is not a valid notebook."""
    import nbformat

    problems = []
    notebooks = [name for name in files if name.endswith(".ipynb") and "/" not in name]
    if not notebooks:
        problems.append("no .ipynb file submitted")
    for name in notebooks:
        try:
            nb = nbformat.reads(files[name].decode("utf-8"), as_version=4)
            nbformat.validate(nb)
        except Exception as error:  # any unreadable file is reported, never fatal
            kind = "an empty file" if not files[name].strip() else type(error).__name__
            problems.append(f"{name} is not a valid notebook ({kind})")
    return problems


_SCAN_LOCK = threading.Lock()


def integrity_flags(files):
    """Return the integrity flags of every readable submitted notebook as one line.

    A scan that fails is itself a flag: the instructor must look at that notebook.
    """
    import nbformat

    described = []
    for name, content in sorted(files.items()):
        if not name.endswith(".ipynb") or "/" in name:
            continue
        try:
            nb = nbformat.reads(content.decode("utf-8"), as_version=4)
        except Exception:  # an unreadable notebook is reported as a problem instead
            continue
        try:
            with _SCAN_LOCK:  # the scanner parses with IPython's transformers: one at a time
                flags = integrity.describe(integrity.scan(nb))
        except Exception as error:
            flags = f"the integrity scan failed ({type(error).__name__}: {error})"[:300]
        if flags:
            described.append(f"{name}: {flags}")
    return " | ".join(described)


# ---------------------------------------------------------------- one submission

def class_config(course_config, task, events_file):
    """Return the per-submission nbgrader config: the course's, plus the sandbox."""
    limits, data_dir = task.limits, task.data_dir or None
    settings = {
        "sandbox": task.use_sandbox, "limits": limits,
        "readable": sandbox.readable_paths(data_dir),
        "kernel_env": sandbox.kernel_environment(sandbox.Limits(**limits), data_dir,
                                                 task.profile),
        "events_file": str(events_file),
    }
    lines = [course_config, "", "# Added by autograder.grade for one sandboxed submission.",
             "from nbconvert.preprocessors import ClearMetadataPreprocessor",
             "from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata,",
             "    IgnorePattern, LimitOutput, SaveAutoGrades)",
             "from autograder.sandbox import SandboxedExecute",
             "c.Autograde.autograde_preprocessors = [SandboxedExecute, IgnorePattern,",
             "    ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades, AssignLatePenalties,",
             "    CheckCellMetadata]",
             f"c.Execute.timeout = {int(limits['cell_seconds'])}",
             f"c.SandboxedExecute.max_output_bytes = {int(limits['output_mib'] * sandbox.MIB)}"]
    lines += [f"c.SandboxKernelManager.{key} = {value!r}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


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
            outcome.status, outcome.problem = "not graded", "; ".join(problems)
            return result
        with tempfile.TemporaryDirectory(prefix="aecourse-grade-") as scratch:
            _grade_in(Path(scratch), task, result)
    except Exception as error:  # a grader bug must not stop the class either
        outcome.status, outcome.problem = "failed", f"grader error: {error}"[:300]
    finally:
        outcome.seconds = round(time.monotonic() - started, 1)
    return result


def _grade_in(scratch, task, result):
    outcome = result.outcome
    course = scratch / "course"
    for name, content in task.template.items():
        _write(course / name, content)
    events = scratch / "events.jsonl"
    config = (course / "nbgrader_config.py").read_text()
    (course / "nbgrader_config.py").write_text(
        class_config(config, task, events))
    submitted = course / "submitted" / task.student / task.assignment
    ignored = []
    for name, content in task.files.items():
        if name.endswith(".ipynb") and "/" not in name:
            _write(submitted / name, content)
        else:
            ignored.append(name)  # e.g. a folder that would shadow the helper package
    steps = [(command, task.assignment, task.student)
             for command in ("autograde", "generate_feedback")]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TMPDIR": str(scratch)}
    deadline = time.monotonic() + task.limits["submission_seconds"]
    try:
        _nbgrader(course, steps, env, deadline)
    except subprocess.TimeoutExpired:
        outcome.status = "failed"
        outcome.problem = (f"grading took more than {task.limits['submission_seconds']} s "
                           "and was stopped")
    except RuntimeError as error:
        outcome.status, outcome.problem = "failed", explain_failure(str(error))
    started, sandbox_problems = _events(events)
    if outcome.status == "graded" and not started:
        # The config did not load, or nbgrader ran no kernel: never trust such a grade.
        outcome.status = "failed"
        outcome.problem = "the grading kernel did not start in the sandbox"
    if sandbox_problems:
        if outcome.status == "graded" and "output" not in sandbox_problems[0]:
            outcome.status = "failed"
        outcome.problem = "; ".join([f"the kernel {p}" for p in sandbox_problems]
                                    + ([outcome.problem] if outcome.problem else []))
    if ignored:
        outcome.problem = "; ".join(
            ([outcome.problem] if outcome.problem else [])
            + [f"extra files ignored: {', '.join(sorted(ignored)[:5])}"])
    _collect(course, task, result)
    late = timeouts(result.autograded, task.limits["cell_seconds"])
    if late:
        outcome.problem = "; ".join(([outcome.problem] if outcome.problem else []) + [late])


_RUNNING = set()  # nbgrader processes of this grader, stopped at once on Ctrl-C


def _nbgrader(course, steps, env, deadline):
    """Run nbgrader steps in their own process group; on timeout, stop the group and sandbox."""
    env = {**env, "PATH": os.pathsep.join([str(Path(sys.executable).parent),
                                           env.get("PATH", "")])}
    log_path = course.parent / "nbgrader.log"
    process = StepsProcess(course, steps, env, log_path)
    _RUNNING.add(process)
    try:
        status = process.wait(timeout=max(1, deadline - time.monotonic()))
    except BaseException:
        _stop(process)
        process.wait()
        raise
    finally:
        _RUNNING.discard(process)
    if status != 0:
        log = (log_path.read_text("utf-8", "replace") if log_path.exists() else
               f"the nbgrader process exited with status {status} before it wrote its log")
        raise RuntimeError(f"nbgrader failed:\n{log[-4000:]}")


def _stop(process):
    """Kill a steps process and its group (the sandbox dies with its parent)."""
    for kill in (os.killpg, os.kill):  # the group may not exist yet, just after the fork
        with contextlib.suppress(ProcessLookupError):
            kill(process.pid, signal.SIGKILL)


# nbgrader's log line -> what the instructor reads (first match wins).
FAILURES = [
    (r"DeadKernelError", "the kernel died while running the notebook (os._exit, a signal "
                         "or a crash)"),
    (r"SchemaTooOldError", "the nbgrader metadata of a cell is damaged (an edited or copied "
                           "cell)"),
    (r"nbgrader metadata may be corrupted",
     "the nbgrader metadata of a cell was changed (for example a renamed grade_id)"),
    (r"NoSuchKernel: No such kernel named (\S+)", "the notebook asks for kernel {0}"),
]


def explain_failure(log):
    """Return one clear line for a failed nbgrader run, from its log."""
    for pattern, message in FAILURES:
        match = re.search(pattern, log)
        if match:
            return message.format(*match.groups())
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [line for line in lines if "[ERROR]" in line or "Error" in line]
    return (errors or lines or ["unknown error"])[-1][:300]


def timeouts(autograded, seconds):
    """Return a problem line for the cells of the autograded notebooks that ran out of time."""
    import nbformat

    stopped = []
    for name, content in autograded.items():
        if name.endswith(".ipynb"):
            nb = nbformat.reads(content.decode("utf-8"), as_version=4)
            stopped += [f"{name} cell {index}" for index, cell in enumerate(nb.cells)
                        if any(output.get("ename") == "CellTimeoutError"
                               for output in cell.get("outputs", []))]
    if not stopped:
        return ""
    return f"stopped after {seconds} s: {', '.join(stopped)}"


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
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        try:
            submission = gradebook.find_submission(task.assignment, task.student)
        except MissingEntry:
            submission = None
        if submission is not None and outcome.status == "graded":
            for notebook in submission.notebooks:
                result.grades[notebook.name] = {
                    grade.name: {"auto_score": grade.auto_score,
                                 "needs_manual_grade": grade.needs_manual_grade}
                    for grade in notebook.grades}
                result.comments[notebook.name] = {
                    comment.name: comment.auto_comment for comment in notebook.comments}
                for grade in notebook.grades:
                    kind = "auto" if grade.cell_type == "code" else "manual"
                    outcome.scores[grade.name] = [float(grade.score), float(grade.max_score),
                                                  kind]
        elif outcome.status == "graded":
            outcome.status, outcome.problem = "failed", "no grades were recorded"
    for kind, target in (("autograded", result.autograded), ("feedback", result.feedback)):
        folder = course / kind / task.student / task.assignment
        if folder.is_dir() and outcome.status == "graded":
            target.update(read_files(folder))


def _write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


# ---------------------------------------------------------------- the class course

def fetch_image_data():
    """Download MNIST and Fashion-MNIST into Keras' cache, which the sandbox can read.

    Kernels have no network: without ``$AECOURSE_DATA_DIR`` they read the Keras download cache
    (``~/.keras/datasets``), filled here on the grading host.
    """
    from aecourse.data import load_fashion_mnist, load_mnist

    try:
        load_mnist()
        load_fashion_mnist()
    except Exception as error:  # no network: say what the grades will lack, and go on
        print(f"WARNING: MNIST/Fashion-MNIST could not be downloaded ({type(error).__name__}); "
              "notebooks that need them will fail. Set AECOURSE_DATA_DIR to a folder holding "
              "the IDX files (see README).", file=sys.stderr, flush=True)


def prepare_course(course, names, source=SOURCE):
    """Make ``course`` an nbgrader course holding the assignments' definitions."""
    course.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONFIG, course / "nbgrader_config.py")
    for name in names:
        target = course / "source" / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(Path(source) / name, target,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    run_nbgrader_steps(course, [("generate_assignment", name, None) for name in names])


def make_template(names, source=SOURCE):
    """Return the files of a throwaway course that knows the assignments and no student."""
    with tempfile.TemporaryDirectory(prefix="aecourse-template-") as scratch:
        course = Path(scratch)
        prepare_course(course, names, source)
        return {path: content for path, content in read_files(course).items()
                if path in ("nbgrader_config.py", "gradebook.db")
                or path.split("/")[0] == "source"}


def prepare_class(out, names, template, source=SOURCE):
    """Make ``out`` the class course: a copy of the template, or an update of its gradebook."""
    if (out / "gradebook.db").exists():
        prepare_course(out, names, source)  # keeps the students, updates the assignments
        return
    for name, content in template.items():
        _write(out / name, content)


@contextlib.contextmanager
def deferred_interrupt():
    """Let Ctrl-C land only after the block: a merge is written completely or not at all."""
    received = []
    previous = signal.signal(signal.SIGINT, lambda *args: received.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


def merge(out, result, submission_files, submitted_folder):
    """Merge one graded submission into the class course ``out`` (files, then gradebook)."""
    from nbgrader.api import Gradebook

    outcome = result.outcome
    student, name = outcome.student, outcome.assignment
    parts = {"submitted": submission_files, "autograded": result.autograded,
             "feedback": result.feedback}
    if not result.autograded and outcome.status != "not graded":
        # Nothing came back (the kernel died, ...): keep the notebooks for manual grading.
        parts["autograded"] = {n: c for n, c in submission_files.items()
                               if n.endswith(".ipynb") and "/" not in n}
    for kind, files in parts.items():
        folder = out / kind / student / name
        if kind == "submitted" and folder.resolve() == submitted_folder.resolve():
            continue  # grading a course in place: its submissions stay as they are
        if folder.exists():
            shutil.rmtree(folder)
        for relative, content in files.items():
            _write(folder / relative, content)
    if outcome.status == "not graded":
        return
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gradebook:
        # SQLAlchemy warns about nbgrader's own autoflush while it creates the rows.
        warnings.simplefilter("ignore")
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(name, student)
        for notebook in submission.notebooks:
            grades = result.grades.get(notebook.name, {})
            for grade in notebook.grades:
                fields = grades.get(grade.name, {"auto_score": 0.0 if grade.cell_type == "code"
                                                 else None,
                                                 "needs_manual_grade": grade.cell_type != "code"})
                grade.auto_score = fields["auto_score"]
                if grade.manual_score is None:  # a grade given by hand is kept, as nbgrader does
                    grade.needs_manual_grade = fields["needs_manual_grade"]
            comments = result.comments.get(notebook.name, {})
            for comment in notebook.comments:
                comment.auto_comment = comments.get(comment.name)
        gradebook.db.commit()


# ---------------------------------------------------------------- the class

def load_outcomes(out):
    path = out / STATE / "outcomes.json"
    if not path.exists():
        return {}
    return {key: Outcome(**value) for key, value in json.loads(path.read_text()).items()}


def save_outcomes(out, outcomes):
    path = out / STATE / "outcomes.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps({key: asdict(o) for key, o in outcomes.items()}, indent=1))
    partial.replace(path)  # atomic: a Ctrl-C never leaves half a file


def max_scores(course, name):
    """Return ``{question: (max, kind)}`` for an assignment, from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assignment = gradebook.find_assignment(name)
        return {cell.name: (float(cell.max_score), "auto" if cell.cell_type == "code" else "manual")
                for notebook in assignment.notebooks for cell in notebook.grade_cells}


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
        for process in list(_RUNNING):  # Ctrl-C: the submissions being graded stop now
            _stop(process)


class Progress:
    """A progress bar with counts and time left on a terminal, plain lines otherwise."""

    def __init__(self, total, stream=sys.stderr):
        self.total, self.done, self.stream = total, 0, stream
        self.bar = None
        if stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="submission", file=stream)

    def update(self, outcome):
        self.done += 1
        line = (f"[{self.done}/{self.total}] {outcome.student} {outcome.assignment}: "
                f"{outcome.status} {outcome.total('auto'):g} points ({outcome.seconds:.0f} s)"
                f"{' - ' + outcome.problem if outcome.problem else ''}"
                f"{' [flagged]' if outcome.flags else ''}")
        if self.bar is not None:
            self.bar.write(line)
            self.bar.update(1)
        else:
            print(line, file=self.stream, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def grade_class(submitted, out, names=None, workers=None, scheduler=None, force=False,
                use_sandbox=True, limits=None, data_dir=None, source=SOURCE, profile="fast"):
    """Grade every new or changed submission under ``submitted`` into ``out``; return outcomes.

    ``profile`` is the notebooks' run profile (``aecourse.profiles``): ``fast`` for grading.
    """
    out = Path(out).resolve()
    limits = limits or sandbox.Limits()
    workers = workers or os.cpu_count() or 1
    if use_sandbox and not sandbox.bwrap_path():
        raise SystemExit(sandbox.missing_sandbox_message())
    names = assignments(names, source)
    submissions = find_submissions(submitted, names)
    data_dir = data_dir if data_dir is not None else os.environ.get("AECOURSE_DATA_DIR", "")
    if not data_dir and any("mnist" in path.read_text() for name in names
                            for path in (Path(source) / name).glob("*.ipynb")):
        fetch_image_data()
    template = make_template(names, source)
    prepare_class(out, names, template, source)
    outcomes = load_outcomes(out)
    maxima = {name: max_scores(out, name) for name in names}
    tasks, files_of = [], {}
    for (student, name), folder in submissions.items():
        files = read_files(folder)
        definition = {path: content for path, content in template.items()
                      if not path.startswith("source/") or path.startswith(f"source/{name}/")}
        digest = digest_of({**files, "profile": profile.encode()}, definition)
        key = f"{student}/{name}"
        previous = outcomes.get(key)
        if not force and previous and previous.digest == digest \
                and previous.sandboxed == use_sandbox:
            continue
        files_of[key] = files
        tasks.append(Task(student, name, files, template, limits.as_dict(),
                          use_sandbox, data_dir, digest, profile))
    print(f"Grading {len(tasks)} of {len(submissions)} submissions "
          f"({len(submissions) - len(tasks)} unchanged since the last run) on "
          f"{f'the Dask cluster at {scheduler}' if scheduler else f'{workers} workers'}"
          f"{'' if use_sandbox else ', WITHOUT a sandbox'}.", flush=True)
    progress = Progress(len(tasks))
    # Charts are redrawn only for the assignments that changed, at most every 20 s: a large
    # class would otherwise spend its main thread on PNGs.
    charted, stale_charts = time.monotonic(), set()
    try:
        for result in run_tasks(tasks, workers, scheduler):
            outcome = result.outcome
            key = f"{outcome.student}/{outcome.assignment}"
            stale_charts.add(outcome.assignment)
            redraw = stale_charts if time.monotonic() - charted > 20 else set()
            with deferred_interrupt():
                merge(out, result, files_of[key], submissions[(outcome.student,
                                                                outcome.assignment)])
                outcomes[key] = outcome
                save_outcomes(out, outcomes)
                write_grades(outcomes.values(), maxima, out / "grades.csv")
                write_report(outcomes.values(), maxima, out, charts=redraw)
            if redraw:
                charted, stale_charts = time.monotonic(), set()
            progress.update(outcome)
    finally:
        progress.close()
    write_grades(outcomes.values(), maxima, out / "grades.csv")
    write_report(outcomes.values(), maxima, out, charts=stale_charts)
    return [outcomes[key] for key in sorted(outcomes)]


def main(argv=None):
    defaults = sandbox.Limits()
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submitted", help="folder of <student>/<assignment>/*.ipynb (read only)")
    parser.add_argument("--out", required=True, help="grading folder to create or update")
    parser.add_argument("--assignment", action="append", help="grade only this assignment")
    parser.add_argument("--workers", type=int, default=None,
                        help="submissions graded at once (default: the number of cores)")
    parser.add_argument("--scheduler", help="grade on the Dask cluster at this address")
    parser.add_argument("--force", action="store_true", help="regrade unchanged submissions")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run kernels without bubblewrap (the report says so)")
    parser.add_argument("--timeout", type=int, default=defaults.cell_seconds,
                        help="seconds allowed per cell")
    parser.add_argument("--submission-timeout", type=int, default=defaults.submission_seconds,
                        help="seconds allowed per submission")
    parser.add_argument("--memory", type=float, default=defaults.memory_gib,
                        help="GiB of memory per kernel")
    parser.add_argument("--processes", type=int, default=defaults.processes,
                        help="processes per kernel")
    parser.add_argument("--max-output", type=float, default=defaults.output_mib,
                        help="MiB of output kept per notebook")
    parser.add_argument("--max-file", type=float, default=defaults.file_mib,
                        help="MiB per file the kernel writes")
    parser.add_argument("--source", default=str(SOURCE),
                        help="folder of the assignments' nbgrader source (default: source/)")
    args = parser.parse_args(argv)
    workers = args.workers or os.cpu_count() or 1
    limits = sandbox.Limits(memory_gib=args.memory, processes=args.processes,
                            output_mib=args.max_output, file_mib=args.max_file,
                            cell_seconds=args.timeout,
                            submission_seconds=args.submission_timeout,
                            threads=max(1, (os.cpu_count() or 1) // workers))
    try:
        outcomes = grade_class(args.submitted, args.out, args.assignment, workers,
                               args.scheduler, args.force, not args.no_sandbox, limits,
                               source=args.source)
    except KeyboardInterrupt:
        print("\nStopped. The gradebook holds every submission merged so far; run the same "
              "command again to grade the rest.", file=sys.stderr)
        return 130
    print(f"\nReport: {Path(args.out, 'report.html')} (and report.md); grades: "
          f"{Path(args.out, 'grades.csv')}; feedback: {Path(args.out, 'feedback')}/")
    return 0 if outcomes else 1


if __name__ == "__main__":
    sys.exit(main())
