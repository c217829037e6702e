"""A student's nbgrader configuration for this course: copy it to ~/.jupyter/nbgrader_config.py.

Then ``nbgrader list``, ``nbgrader fetch_assignment 04_vae`` and ``nbgrader submit 04_vae`` (or
JupyterLab's Assignments tab) find the course's assignments in the exchange folder.
"""

import os

from autograder.settings import COURSE_ID, EXCHANGE_VARIABLE, Limits

c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.course_id = COURSE_ID
# The exchange folder the instructor released into; nbgrader's default is /srv/nbgrader/exchange.
if os.environ.get(EXCHANGE_VARIABLE):
    c.Exchange.root = os.environ[EXCHANGE_VARIABLE]
# Validate runs every cell: a training cell takes minutes in the student profile, far over
# nbgrader's 30-second default, and a stuck cell would make every later one wait 30 s in turn.
c.Execute.timeout = Limits().cell_seconds
# Submit checks the folder as collect will (size limit, no links or special files) and leaves
# the submission writable by its owner only (autograder/hub/exchange.py).
c.ExchangeFactory.submit = "autograder.hub.exchange.LimitedSubmit"
