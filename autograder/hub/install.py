"""The hub's own copy of the course and its Python, readable by every account.

The checkout and its ``.venv`` may sit where other accounts cannot read (a private home, a
Python under /root): each user's server needs a Python they can run. So the hub runs from
``/opt/aecourse-hub``: a copy of the course's code, a virtual environment on the system's
Python with the same pinned requirements, and configurable-http-proxy from npm. Reinstalled only
when the requirements change; the code copy is refreshed at every start.
"""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

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


class SetupError(RuntimeError):
    """What stops the hub from being installed or started, said with what to do."""


def proxy_command():
    return NODE / "node_modules" / ".bin" / "configurable-http-proxy"


def copy_code():
    """Refresh the hub's copy of the course's code (world-readable, owned by root)."""
    fresh = HOME / "course.new"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, fresh / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info",
                                                          ".ipynb_checkpoints"))
        else:
            shutil.copy(source, fresh / name)
    shutil.rmtree(CODE, ignore_errors=True)
    fresh.rename(CODE)
    for path in [HOME, CODE, *CODE.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def run(command, what):
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True)
    if result.returncode != 0:
        raise SetupError(f"{what} failed ({' '.join(map(str, command))}):\n"
                           f"{result.stderr[-2000:]}")


def install():
    """Copy the code; build the venv and the proxy when missing or out of date."""
    HOME.mkdir(parents=True, exist_ok=True)
    copy_code()
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
        run([VENV / "bin" / "python", "-m", "ipykernel", "install", "--sys-prefix", "--name",
             "python3", "--display-name", "Python 3 (ipykernel)", "--env",
             "TF_CPP_MIN_LOG_LEVEL", "3"], "installing the hub's kernel")
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
