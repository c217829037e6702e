"""The nbgrader round trips of test_grading.py for the second half of the course.

A file of its own, so that pytest-xdist (``--dist loadfile``) grades the two halves on two
workers at once.
"""

import pytest
from test_grading import *  # noqa: F403 (the same tests)
from test_grading import SECOND_HALF, grade_sample_class

graded = pytest.fixture(scope="module", params=SECOND_HALF, name="graded")(grade_sample_class)
