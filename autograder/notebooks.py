"""Build ``release/`` and ``notebooks/`` from ``source/``, and check that they are not stale.

    python -m autograder.notebooks release      # nbgrader generate_assignment -> release/
    python -m autograder.notebooks reference    # execute solutions (fast profile) -> notebooks/
    python -m autograder.notebooks check        # fail if release/ or notebooks/ are stale
    python -m autograder.notebooks clean-check  # fail if source/ or release/ hold outputs

Each command takes optional assignment names; the default is every folder in ``source/``.
"""

import argparse
import copy
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
RELEASE = ROOT / "release"
REFERENCE = ROOT / "notebooks"
CONFIG = ROOT / "nbgrader_config.py"

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
CELL_METADATA_KEPT = ("nbgrader", "tags", "deletable", "editable")


def _tf_noise_pattern():
    """Return nbgrader's IgnorePattern: TensorFlow's C++ log lines, different on every run."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()
    return re.compile(config.IgnorePattern.pattern)


TF_NOISE = _tf_noise_pattern()
# Every kernel the tooling starts: fast profile, deterministic numerics, and no TensorFlow C++
# log (level 3 silences even its start-up lines, which would land in a cell's stderr).
EXECUTION_ENV = {"AECOURSE_PROFILE": "fast", "TF_CPP_MIN_LOG_LEVEL": "3",
                 "TF_ENABLE_ONEDNN_OPTS": "0", "PYTHONHASHSEED": "0"}


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


def generate_release(assignment, destination, source=SOURCE):
    """Generate the student version of ``assignment`` with nbgrader into ``destination``."""
    with tempfile.TemporaryDirectory(prefix="aecourse-release-") as scratch:
        scratch = Path(scratch)
        shutil.copy(CONFIG, scratch / "nbgrader_config.py")
        shutil.copytree(Path(source) / assignment, scratch / "source" / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        run_nbgrader(["generate_assignment", assignment, "--force"], scratch)
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(scratch / "release" / assignment, destination)
    for path in destination.glob("*.ipynb"):
        write_notebook(normalise(nbformat.read(str(path), as_version=4), keep_outputs=False), path)


def run_nbgrader(arguments, course_dir, env=None, timeout=None):
    """Run one nbgrader command in ``course_dir``; raise with its log if it fails."""
    env = dict(env or os.environ)
    # nbgrader runs `alembic` from PATH: make this interpreter's scripts visible.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    result = subprocess.run([sys.executable, "-m", "nbgrader", *arguments], cwd=course_dir,
                            env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(arguments)} failed:\n{result.stderr[-4000:]}")
    return result


def nbgrader_steps(course_dir, steps):
    """Run nbgrader commands in this process through its API, in course ``course_dir``.

    ``steps`` are ``(command, assignment, student or None)``: one Python start-up instead of
    one per command (``python -m autograder.notebooks steps`` runs this in a subprocess).
    """
    import logging

    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    # Every logger (the preprocessors' warnings included) goes to stderr, as with the CLI.
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s] %(message)s")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    api = NbGraderAPI(CourseDirectory(config=config, root=str(course_dir)), config=config)
    for command, assignment, student in steps:
        arguments = (assignment, student) if student else (assignment,)
        result = getattr(api, command)(*arguments)
        print(result.get("log", ""), flush=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader {command} {assignment} failed:\n"
                               f"{result.get('log', '')}\n{result.get('error', '')}")


def run_nbgrader_steps(course_dir, steps, env=None, timeout=None):
    """Run ``nbgrader_steps`` in a fresh Python process; raise with its log if it fails."""
    env = dict(env or os.environ)
    # nbgrader runs `alembic` from PATH: make this interpreter's scripts visible.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    result = subprocess.run([sys.executable, "-m", "autograder.notebooks", "steps",
                             str(course_dir), json.dumps(steps)], cwd=course_dir,
                            env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader steps failed:\n{result.stderr[-4000:]}")
    return result


# What every nbgrader step process imports: the forkserver loads it once (about 2 s here).
STEPS_PRELOAD = ["autograder.notebooks", "autograder.sandbox", "autograder.feedback",
                 "nbgrader.apps.api", "nbgrader.preprocessors", "nbconvert.exporters"]


class StepsProcess:
    """``nbgrader_steps`` in a process group of its own, its output written to ``log_path``.

    It is forked from a forkserver that has already imported nbgrader, so a submission does not
    pay Python's and nbgrader's start-up again; in a daemonic process (a Dask worker), which
    multiprocessing forbids to have children, it is a fresh ``python -m autograder.notebooks``.
    """

    def __init__(self, course_dir, steps, env, log_path):
        if multiprocessing.current_process().daemon:
            with open(log_path, "wb") as log:
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "autograder.notebooks", "steps", str(course_dir),
                     json.dumps(steps)], cwd=course_dir, env=env, stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True)
        else:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(STEPS_PRELOAD)
            self._process = context.Process(target=_steps_child, daemon=False,
                                            args=(str(course_dir), steps, env, str(log_path)))
            self._process.start()
        self.pid = self._process.pid

    def wait(self, timeout=None):
        """Return the exit status; raise ``subprocess.TimeoutExpired`` after ``timeout`` s."""
        if isinstance(self._process, subprocess.Popen):
            return self._process.wait(timeout)
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired("nbgrader steps", timeout)
        return self._process.exitcode


def _steps_child(course_dir, steps, env, log_path):
    """Body of a forked ``StepsProcess``: what ``python -m autograder.notebooks steps`` does."""
    os.setsid()
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.chdir(course_dir)
    # This forked process's own environment, as a fresh `python -m` would get it.
    os.environ.clear()
    os.environ.update(env)
    try:
        nbgrader_steps(Path(course_dir), steps)
    except RuntimeError as error:
        print(error, file=sys.stderr, flush=True)
        sys.exit(1)


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
        for assignment in assignments(names):
            fresh = Path(scratch) / assignment
            generate_release(assignment, fresh)
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
    parser.add_argument("command", choices=["release", "reference", "check", "clean-check",
                                            "steps"])
    parser.add_argument("assignments", nargs="*", help="for steps: COURSE then JSON steps")
    args = parser.parse_args(argv)
    if args.command == "steps":
        course, steps = args.assignments
        try:
            nbgrader_steps(Path(course), json.loads(steps))
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 1
    elif args.command == "release":
        for assignment in assignments(args.assignments):
            generate_release(assignment, RELEASE / assignment)
            print(f"release/{assignment}: generated")
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
