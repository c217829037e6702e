"""Finding submissions, reading them, hashing them, and what can be told before running them."""

import hashlib
import threading
from pathlib import Path

import nbformat

import autograder.grading.integrity as integrity

# What nbformat raises for a file that is not a notebook: bad UTF-8 or JSON (ValueError), JSON
# nested too deep (RecursionError), the wrong shape (ValidationError, or a JSON value that is
# not an object: AttributeError, TypeError, KeyError).
UNREADABLE = (ValueError, RecursionError, nbformat.ValidationError, AttributeError, TypeError,
              KeyError)


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
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and not path.is_symlink() and ".ipynb_checkpoints" not in path.parts:
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def skipped_entries(folder):
    """Return what ``read_files`` leaves out of a submission, each named with why."""
    skipped = []
    for path in sorted(Path(folder).rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            skipped.append(f"{name} (a link)")
        elif not path.is_file() and not path.is_dir():
            skipped.append(f"{name} (not a regular file)")
    return skipped


def write_file(path, content):
    """Write ``content`` (bytes) at ``path``, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def digest_of(files, template):
    """Return a hash of a submission together with its assignment's definition."""
    hasher = hashlib.sha256()
    # The gradebook holds creation times: the assignment is defined by its source and config.
    definition = {name: content for name, content in template.items() if name != "gradebook.db"}
    for part in (definition, files):
        for name, content in sorted(part.items()):
            hasher.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return hasher.hexdigest()


def notebook_names(files):
    """Return the submitted notebooks: ``.ipynb`` files at the top of the submission."""
    return [name for name in files if name.endswith(".ipynb") and "/" not in name]


def unreadable_notebooks(files):
    """Return a message for every submitted notebook that is not a valid notebook."""
    problems = [] if notebook_names(files) else ["no .ipynb file submitted"]
    for name in notebook_names(files):
        try:
            nbformat.validate(nbformat.reads(files[name].decode("utf-8"), as_version=4))
        except UNREADABLE as error:
            kind = "an empty file" if not files[name].strip() else type(error).__name__
            problems.append(f"{name} is not a valid notebook ({kind})")
    return problems


_SCAN_LOCK = threading.Lock()  # the scanner parses with IPython's transformers: one at a time


def integrity_flags(files):
    """Return the integrity flags of every readable submitted notebook as one line.

    A scan that fails is itself a flag: the instructor must look at that notebook.
    """
    described = []
    for name in sorted(notebook_names(files)):
        try:
            nb = nbformat.reads(files[name].decode("utf-8"), as_version=4)
        except UNREADABLE:  # reported as a problem by unreadable_notebooks
            continue
        try:
            with _SCAN_LOCK:
                flags = integrity.describe(integrity.scan(nb))
        except Exception as error:  # any failure of the scan is the flag itself
            flags = f"the integrity scan failed ({type(error).__name__}: {error})"[:300]
        if flags:
            described.append(f"{name}: {flags}")
    return " | ".join(described)
