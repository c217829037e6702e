"""The hub's own copy of the course and its Python.

The checkout and its ``.venv`` may sit where other accounts cannot read (a private home, a
Python under /root): each user's server needs a Python they can run. So the hub runs from
``/opt/aecourse-hub``: a copy of the course's code, a virtual environment on the system's
Python with the same pinned requirements, and configurable-http-proxy from npm. Reinstalled only
when the requirements change; the code copy is refreshed at every start.

The copy is private by construction: every file is readable by root and the instructor's group
only, except ``PUBLIC``, what a student's server needs (the helper package, the student's
nbgrader configuration and the exchange's checks). The helper package in the copy has
every exercise's own version withheld (``autograder.grading.withhold``): where a later notebook
builds on an earlier exercise, its release carries that exercise's solution in a cell of its own.
"""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from autograder.kernelspec import install_command
from autograder.settings import ROOT

HOME = Path("/opt/aecourse-hub")
CODE = HOME / "course"
VENV = HOME / "venv"
NODE = HOME / "node"
SYSTEM_PYTHON = "/usr/bin/python3"
# What the hub's servers import and the course folder is made from.
COPIED = ("autograder", "utils", "source", "release", "nbgrader_config.py", "pyproject.toml",
          "README.md", "requirements.txt")
PROXY_VERSION = "configurable-http-proxy@4.6.3"
# What every account reads in the copy (folders with everything under them); the rest of it
# (source notebooks, releases not yet handed out, the grader, its QA catalogues and model
# answers) is the instructor's. Students get each release from the exchange, when it is out.
PUBLIC = ("utils", "pyproject.toml", "README.md", "requirements.txt",
          "autograder/__init__.py", "autograder/settings.py",
          "autograder/student_nbgrader_config.py", "autograder/hub/__init__.py",
          "autograder/hub/exchange.py", "autograder/hub/roles/student")


class SetupError(RuntimeError):
    """What stops the hub from being installed or started, said with what to do."""


def proxy_command():
    return NODE / "node_modules" / ".bin" / "configurable-http-proxy"


def is_public(relative):
    """Whether the copy's file or folder ``relative`` (a relative path) is every account's."""
    return any(relative == public or relative.startswith(f"{public}/") for public in PUBLIC)


def copy_code(group=0):
    """Refresh the hub's copy of the course's code: owned by root, ``PUBLIC`` readable by all,
    the rest by group ``group`` (the instructor's) only; the package without the answers."""
    from autograder.grading.withhold import withheld_copy
    from autograder.settings import helper_package, withheld_names

    fresh = HOME / "course.new"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True, mode=0o700)
    for name in COPIED:
        source = ROOT / name
        if name == "utils":
            (fresh / name).mkdir()
            withheld_copy(helper_package(), withheld_names(), fresh / name / "aecourse")
        elif source.is_dir():
            shutil.copytree(source, fresh / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info",
                                                          ".ipynb_checkpoints"))
        else:
            shutil.copy(source, fresh / name)
    for path in sorted(fresh.rglob("*"), reverse=True):
        relative = path.relative_to(fresh).as_posix()
        os.chown(path, 0, group)
        if is_public(relative) or any(public.startswith(f"{relative}/") for public in PUBLIC):
            path.chmod(0o755 if path.is_dir() else 0o644)  # public, or on a public path
        else:
            path.chmod(0o750 if path.is_dir() else 0o640)
    shutil.rmtree(CODE, ignore_errors=True)
    fresh.rename(CODE)
    for path in (HOME, CODE):
        path.chmod(0o755)


def run(command, what):
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True)
    if result.returncode != 0:
        raise SetupError(f"{what} failed ({' '.join(map(str, command))}):\n"
                           f"{result.stderr[-2000:]}")


def install(group=0):
    """Copy the code (its private part for group ``group``); build the venv and the proxy
    when missing or out of date."""
    HOME.mkdir(parents=True, exist_ok=True)
    copy_code(group)
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == wanted):
        if not Path(SYSTEM_PYTHON).exists():
            raise SetupError(f"{SYSTEM_PYTHON} is missing: the hub's servers run on the "
                               "system's Python (apt-get install python3 python3-venv)")
        shutil.rmtree(VENV, ignore_errors=True)
        run([SYSTEM_PYTHON, "-m", "venv", VENV], "creating the hub's virtual environment")
        run([VENV / "bin" / "python", "-m", "pip", "install", "--quiet", "-r",
             CODE / "requirements.txt"], "installing the course's requirements for the hub")
        # As `make venv` does: the kernel runs with TensorFlow's C++ log off.
        run(install_command(VENV / "bin" / "python"), "installing the hub's kernel")
        stamp.write_text(wanted)
    # JupyterLab asks every new user whether to fetch Jupyter's news: not in a classroom.
    overrides = VENV / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(json.dumps({"@jupyterlab/apputils-extension:notification":
                                     {"fetchNews": "false"}}))
    # Editable: the servers import the copy refreshed above.
    run([VENV / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps",
         "--no-build-isolation", "-e", CODE], "installing the course's package for the hub")
    if not proxy_command().exists():
        if not shutil.which("npm"):
            raise SetupError("npm is missing: the hub's proxy comes from npm "
                               "(apt-get install nodejs npm)")
        run(["npm", "install", "--silent", "--prefix", NODE, PROXY_VERSION],
            "installing configurable-http-proxy")
