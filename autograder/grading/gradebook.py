"""The class folder: an nbgrader course that knows the assignments, and merging results into it."""

import contextlib
import shutil
import signal
import tempfile
import warnings
from pathlib import Path

from autograder.grading.outcomes import STATE, Status
from autograder.grading.submissions import digest_of, notebook_names, read_files, write_file
from autograder.nbgrader_runner import run_steps
from autograder.settings import CONFIG, SOURCE


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
    run_steps(course, [("generate_assignment", name, None) for name in names])


def definition_digest(names, source=SOURCE):
    """Return a hash of the assignments' definitions: their source folders and the config."""
    files = {"nbgrader_config.py": CONFIG.read_bytes()}
    for name in sorted(names):
        files.update({f"source/{name}/{path}": content
                      for path, content in read_files(Path(source) / name).items()})
    return digest_of(files, {})


_TEMPLATES = {}  # definition digest -> template: nbgrader runs once per definition and process


def make_template(names, source=SOURCE):
    """Return the files of a throwaway course that knows the assignments and no student."""
    key = definition_digest(names, source)
    if key not in _TEMPLATES:
        with tempfile.TemporaryDirectory(prefix="aecourse-template-") as scratch:
            course = Path(scratch)
            prepare_course(course, names, source)
            _TEMPLATES[key] = {path: content for path, content in read_files(course).items()
                               if path in ("nbgrader_config.py", "gradebook.db")
                               or path.split("/")[0] == "source"}
    return _TEMPLATES[key]


def definition(template, name):
    """Return the part of ``template`` that defines assignment ``name``."""
    return {path: content for path, content in template.items()
            if not path.startswith("source/") or path.startswith(f"source/{name}/")}


def prepare_class(out, names, template, source=SOURCE):
    """Make ``out`` the class course: a copy of the template, or an update of its gradebook
    when the assignments' definitions changed since the last run."""
    stamp = out / STATE / "definition"
    key = definition_digest(names, source)
    if (out / "gradebook.db").exists():
        if stamp.exists() and stamp.read_text() == key:
            return
        prepare_course(out, names, source)  # keeps the students, updates the assignments
    else:
        for name, content in template.items():
            write_file(out / name, content)
    write_file(stamp, key.encode())


def max_scores(course, name):
    """Return ``{question: (max, kind)}`` for an assignment, from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assignment = gradebook.find_assignment(name)
        return {cell.name: (float(cell.max_score), "auto" if cell.cell_type == "code" else "manual")
                for notebook in assignment.notebooks for cell in notebook.grade_cells}


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
    if not result.autograded and outcome.status != Status.NOT_GRADED:
        # Nothing came back (the kernel died, ...): keep the notebooks for manual grading.
        parts["autograded"] = {n: submission_files[n] for n in notebook_names(submission_files)}
    for kind, files in parts.items():
        folder = out / kind / student / name
        if kind == "submitted" and folder.resolve() == submitted_folder.resolve():
            continue  # grading a course in place: its submissions stay as they are
        if folder.exists():
            shutil.rmtree(folder)
        for relative, content in files.items():
            write_file(folder / relative, content)
    if outcome.status == Status.NOT_GRADED:
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
