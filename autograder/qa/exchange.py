"""nbgrader's exchange from the command line, as an instructor and students use it (for tests)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograder import settings


def nbgrader(arguments, folder, exchange, timeout=300):
    """Run one ``nbgrader`` command in ``folder`` against the exchange ``exchange``; return its
    log, or raise ``RuntimeError`` with it if the command fails."""
    # nbgrader keeps a student's submissions in a cache under the Jupyter data folder: a
    # temporary one, so that no run sees another's. It runs `alembic` from PATH.
    env = {**os.environ, **settings.EXECUTION_ENV, settings.EXCHANGE_VARIABLE: str(exchange),
           "JUPYTER_DATA_DIR": str(Path(exchange).parent / "jupyter-data"),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}
    result = subprocess.run([sys.executable, "-m", "nbgrader", *arguments], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(arguments)} failed:\n{result.stderr[-4000:]}")
    return result.stdout + result.stderr


def release(scratch, exchange, assignment, release_folder=settings.RELEASE):
    """The instructor releases ``assignment`` (the committed release by default) into
    ``exchange``; return (course, log)."""
    course = Path(scratch) / "course"
    (course / "release").mkdir(parents=True)
    shutil.copy(settings.CONFIG, course / "nbgrader_config.py")
    shutil.copytree(Path(release_folder) / assignment, course / "release" / assignment)
    return course, nbgrader(["release_assignment", assignment], course, exchange)
