"""A student's nbgrader on the course hub: the course's student settings, and submissions over
the hub's size limit refused (the hub puts this folder on JUPYTER_CONFIG_PATH)."""

from pathlib import Path

import autograder

c = get_config()  # noqa: F821 (nbgrader provides get_config)
load_subconfig(str(Path(autograder.__file__).parent / "student_nbgrader_config.py"))  # noqa: F821
c.ExchangeFactory.submit = "autograder.hub.exchange.LimitedSubmit"
