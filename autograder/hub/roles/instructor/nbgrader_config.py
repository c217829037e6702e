"""The instructor's nbgrader on the course hub: the course folder and its configuration, so that
formgrader and the terminal grade through the course's sandbox, and collect
through the course's checked copy (the hub puts this folder on JUPYTER_CONFIG_PATH)."""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (nbgrader provides get_config)
course = Path(os.environ["AECOURSE_COURSE_DIR"])
c.CourseDirectory.root = str(course)
# In the course folder nbgrader reads its config itself; anywhere else (formgrader runs from the
# home folder) it is read here.
if Path.cwd().resolve() != course.resolve():
    load_subconfig(str(course / "nbgrader_config.py"))  # noqa: F821
