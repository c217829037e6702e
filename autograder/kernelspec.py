"""Install the course's Jupyter kernel into this virtual environment, TensorFlow's C++ log off:
``python -m autograder.kernelspec`` (``make venv`` and the hub's install both run it)."""

import subprocess
import sys

from autograder.settings import QUIET_TENSORFLOW


def install_command(python):
    """Return the command that installs the ``python3`` kernel of the virtual environment of
    ``python``, with TensorFlow quiet whoever starts Jupyter."""
    quiet = [part for name, value in QUIET_TENSORFLOW.items() for part in ("--env", name, value)]
    return [str(python), "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3",
            "--display-name", "Python 3 (ipykernel)", *quiet]


if __name__ == "__main__":
    sys.exit(subprocess.run(install_command(sys.executable), stdout=subprocess.DEVNULL).returncode)
