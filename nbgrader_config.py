"""nbgrader configuration of the autoencoder course (course root = this folder)."""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from autograder.feedback import HideHiddenTests

c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.course_id = "autoencoders"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"

# Stubs left in the student version.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Grading runs the notebooks in the fast profile; one cell may take at most this long.
c.Execute.timeout = 300
c.Execute.interrupt_on_timeout = True

# nbgrader gives 0 points to a test cell with any stderr output. TensorFlow's C++ start-up log
# (timestamped lines such as "E0000 00:00:... cuda_platform.cc] failed call to cuInit") lands
# in whichever cell first touches TensorFlow, so it is removed before scoring. The reference
# notebooks are cleaned with the same pattern (autograder/notebooks.py reads it from here).
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = (
    r"^(WARNING: All log messages before absl::InitializeLog|[IWE]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ )"
)

# Grading kernels print Python warnings (Keras' UserWarnings, sklearn's ConvergenceWarning...)
# on stdout: the student still reads them, and they no longer cost a correct answer its points.
c.Execute.extra_arguments = [
    "--HistoryManager.hist_file=:memory:",
    "--IPKernelApp.exec_lines=import aecourse.checks; aecourse.checks.show_warnings_on_stdout()",
]

# The feedback shows each test's visible part and its outcome, never a hidden test.
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]

# nbgrader's exchange (release_assignment, fetch_assignment, submit, collect): a folder that the
# instructor and every student can reach, e.g. on a shared JupyterHub. $AECOURSE_EXCHANGE
# overrides nbgrader's default, /srv/nbgrader/exchange (see the README's "Handing in").
if os.environ.get("AECOURSE_EXCHANGE"):
    c.Exchange.root = os.environ["AECOURSE_EXCHANGE"]
