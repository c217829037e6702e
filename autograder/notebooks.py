"""Build ``release/`` and ``notebooks/`` from ``source/``, and check that they are not stale.

    python -m autograder.notebooks release      # nbgrader generate_assignment -> release/
    python -m autograder.notebooks reference    # execute solutions (fast profile) -> notebooks/
    python -m autograder.notebooks check        # fail if release/ or notebooks/ are stale
    python -m autograder.notebooks clean-check  # fail if source/ or release/ hold outputs

Each command takes optional assignment names; the default is every folder in ``source/``.
"""

import argparse
import copy
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

from autograder.nbgrader_runner import run_steps
from autograder.settings import (
    CONFIG,
    EXECUTION_ENV,
    KERNELSPEC,
    REFERENCE,
    RELEASE,
    ROOT,
    SOURCE,
    TF_LOG_PATTERN,
)

CELL_METADATA_KEPT = ("nbgrader", "tags", "deletable", "editable")
TF_NOISE = re.compile(TF_LOG_PATTERN)


def assignments(names=None, source=SOURCE):
    """Return the requested assignment names, or every assignment in ``source``."""
    available = sorted(path.name for path in Path(source).iterdir() if path.is_dir())
    for name in names or []:
        if name not in available:
            raise SystemExit(f"No assignment {name!r} in {source}; available: {available}")
    return list(names) if names else available


def normalise(nb, keep_outputs):
    """Give ``nb`` the committed form: fixed notebook metadata, only meaningful cell metadata."""
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC,
                                      "language_info": {"name": "python"}})
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict(
            {key: cell.metadata[key] for key in CELL_METADATA_KEPT if key in cell.metadata})
        if cell.cell_type == "code":
            if keep_outputs:
                cell.outputs = [output for output in map(_without_tf_noise, cell.outputs) if output]
                for output in cell.outputs:
                    output.get("metadata", {}).pop("execution", None)
            else:
                cell.outputs = []
                cell.execution_count = None
    return nb


def _without_tf_noise(output):
    if output.get("output_type") != "stream" or output.get("name") != "stderr":
        return output
    kept = [line for line in output.text.splitlines(keepends=True) if not TF_NOISE.match(line)]
    if not kept:
        return None
    output.text = "".join(kept)
    return output


def write_notebook(nb, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def generate_releases(names, destination, source=SOURCE):
    """Generate the student versions of assignments ``names`` with nbgrader, in one course and
    one nbgrader process, into ``destination/<assignment>/``."""
    with tempfile.TemporaryDirectory(prefix="aecourse-release-") as scratch:
        scratch = Path(scratch)
        shutil.copy(CONFIG, scratch / "nbgrader_config.py")
        for assignment in names:
            shutil.copytree(Path(source) / assignment, scratch / "source" / assignment,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        run_steps(scratch, [("generate_assignment", assignment, None) for assignment in names])
        for assignment in names:
            target = Path(destination) / assignment
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(scratch / "release" / assignment, target)
            for path in target.glob("*.ipynb"):
                write_notebook(normalise(nbformat.read(str(path), as_version=4),
                                         keep_outputs=False), path)


def execute_solution(assignment, env=None, timeout=600):
    """Return the solution notebook executed in the fast profile, in the committed form.

    ``env`` adds to the kernel's environment. TensorFlow's C++ log is removed from the outputs,
    as nbgrader's IgnorePattern removes it when grading.
    """
    from nbclient import NotebookClient

    source = SOURCE / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(str(source), as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(source.parent)}}).execute(
        env={**os.environ, **EXECUTION_ENV, **(env or {})})
    return normalise(nb, keep_outputs=True)


def execute_reference(assignment, destination, timeout=600):
    """Execute the solution notebook (fast profile); write it with outputs to ``destination``."""
    write_notebook(execute_solution(assignment, timeout=timeout), destination)


def _comparable(nb, keep_outputs):
    nb = normalise(copy.deepcopy(nb), keep_outputs=False)
    return [(cell.cell_type, cell.source, dict(cell.metadata)) for cell in nb.cells]


def stale_notebooks(names=None):
    """Return messages naming every release or reference notebook that differs from source/."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="aecourse-check-") as scratch:
        names = assignments(names)
        generate_releases(names, Path(scratch))
        for assignment in names:
            fresh = Path(scratch) / assignment
            for path in sorted(fresh.glob("*.ipynb")):
                committed = RELEASE / assignment / path.name
                if not committed.exists():
                    problems.append(f"{committed} is missing")
                elif committed.read_text() != path.read_text():
                    problems.append(f"{committed} differs from a fresh nbgrader release")
            source_nb = nbformat.read(str(SOURCE / assignment / f"{assignment}.ipynb"), 4)
            reference = REFERENCE / f"{assignment}.ipynb"
            if not reference.exists():
                problems.append(f"{reference} is missing")
                continue
            reference_nb = nbformat.read(str(reference), 4)
            if _comparable(reference_nb, False) != _comparable(source_nb, False):
                problems.append(f"{reference} does not match {assignment}'s source cells")
            elif any(cell.cell_type == "code" and cell.source.strip() and
                     cell.execution_count is None for cell in reference_nb.cells):
                problems.append(f"{reference} has code cells that were not executed")
    return problems


def unclean_notebooks():
    """Return messages naming source or release notebooks with outputs or extra metadata."""
    problems = []
    for path in sorted([*SOURCE.rglob("*.ipynb"), *RELEASE.rglob("*.ipynb")]):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = nbformat.read(str(path), as_version=4)
        clean = normalise(copy.deepcopy(nb), keep_outputs=False)
        if nb != clean:
            problems.append(f"{path.relative_to(ROOT)} has outputs, execution counts or "
                            "extra metadata (run `make release` after clearing outputs)")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["release", "reference", "check", "clean-check"])
    parser.add_argument("assignments", nargs="*", help="default: every assignment")
    args = parser.parse_args(argv)
    if args.command == "release":
        names = assignments(args.assignments)
        generate_releases(names, RELEASE)
        print("\n".join(f"release/{assignment}: generated" for assignment in names))
    elif args.command == "reference":
        for assignment in assignments(args.assignments):
            execute_reference(assignment, REFERENCE / f"{assignment}.ipynb")
            print(f"notebooks/{assignment}.ipynb: executed")
    else:
        problems = stale_notebooks(args.assignments) if args.command == "check" \
            else unclean_notebooks()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            return 1
        print("all notebooks up to date" if args.command == "check" else "all notebooks clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
