"""nbgrader configuration of the autoencoder course (course root = this folder)."""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from autograder import sandbox
from autograder.feedback import HideHiddenTests
from autograder.grading.execute import configure
from autograder.safe_html import SanitizeStudentHTML
from autograder.settings import (
    COURSE_ID,
    EXCHANGE_VARIABLE,
    PROFILE_VARIABLE,
    TF_LOG_PATTERN,
    TOOLING_PROFILE,
    Limits,
    course_readable_paths,
    data_dir,
    helper_package,
    kernel_environment,
    withheld_names,
)

c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.course_id = COURSE_ID
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"

# Stubs left in the student version.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

c.Execute.interrupt_on_timeout = True

# nbgrader gives 0 points to a test cell with any stderr output. TensorFlow's C++ start-up log
# lands in whichever cell first touches TensorFlow, so it is removed before scoring (the pattern
# lives in autograder/settings.py; the reference notebooks are cleaned with it too).
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = TF_LOG_PATTERN

# Grading kernels print Python warnings (Keras' UserWarnings, sklearn's ConvergenceWarning...)
# on stdout: the student still reads them, and they no longer cost a correct answer its points.
c.Execute.extra_arguments = [
    "--HistoryManager.hist_file=:memory:",
    "--IPKernelApp.exec_lines=import aecourse.checks; aecourse.checks.show_warnings_on_stdout()",
]

# `nbgrader autograde` and formgrader's Autograde button grade as `python -m autograder.grading`
# does: each kernel in the sandbox with the grader's limits, no student code with the
# instructor's rights, every hidden test judged outside the kernel, no credit for a displayed
# value, and the helper package's own version of each exercise withheld from the assignment's
# kernels. Without bubblewrap, autograde stops with the command that installs it.
_limits = Limits().for_workers(1)
configure(c, _limits,
          kernel_environment(_limits, data_dir(), os.environ.get(PROFILE_VARIABLE,
                                                                  TOOLING_PROFILE)),
          sandbox.system_paths() + course_readable_paths(data_dir()),
          withheld=withheld_names(), package=helper_package())

# The feedback shows each test's visible part and its outcome, never a hidden test. It and
# formgrader's manual grading page render a submission's Markdown and rich outputs inert: no
# script or event handler of a student's runs in the instructor's or a student's browser.
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, SanitizeStudentHTML,
                                    CSSHTMLHeaderPreprocessor]
c.HTMLExporter.preprocessors = [SanitizeStudentHTML]

# A submission is copied from the exchange without following a link, owned by its student
# through and through, within the size limit (autograder/hub/exchange.py). zip_collect unpacks
# zip archives only: a tar archive can hold links.
c.ExchangeFactory.collect = "autograder.hub.exchange.LimitedCollect"
c.ExtractorPlugin.zip_ext = [".zip"]

# nbgrader's exchange (release_assignment, fetch_assignment, submit, collect): a folder that the
# instructor and every student can reach, e.g. on a shared JupyterHub. $AECOURSE_EXCHANGE
# overrides nbgrader's default, /srv/nbgrader/exchange (see the README's "Handing in").
if os.environ.get(EXCHANGE_VARIABLE):
    c.Exchange.root = os.environ[EXCHANGE_VARIABLE]
