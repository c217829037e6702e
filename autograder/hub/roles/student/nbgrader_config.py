"""A student's nbgrader on the course hub: the course's student settings, with the hub's checked
submit (the hub puts this folder on JUPYTER_CONFIG_PATH)."""

from pathlib import Path

import autograder

c = get_config()  # noqa: F821 (nbgrader provides get_config)
load_subconfig(str(Path(autograder.__file__).parent / "student_nbgrader_config.py"))  # noqa: F821
