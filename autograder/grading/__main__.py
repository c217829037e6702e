"""Grade a class: every submission in its own sandboxed nbgrader course, merged into one gradebook.

    python -m autograder.grading SUBMITTED --out GRADING [--assignment NAME] [--workers N]
                                  [--scheduler ADDRESS] [--force] [--no-sandbox] [limits...]

SUBMITTED is a folder in nbgrader's layout, ``<student>/<assignment>/*.ipynb`` (a course's
``submitted/`` folder, or its parent); it is only ever read. GRADING becomes a complete nbgrader
course folder (``gradebook.db``, ``submitted/``, ``autograded/``, ``feedback/``), so that
``nbgrader formgrader`` opened there shows every student for manual grading, plus:

- ``grades.csv``: one row per student and assignment, every question as ``assignment/question``;
- ``report.md`` and ``report.html`` (with PNG charts beside them): the class report;
- ``feedback/<student>/<assignment>/*.html``: what each student gets back.

Each submission is graded alone (``worker.grade_submission``): a throwaway nbgrader course
holding the assignment definitions and that one submission, its kernel in a bubblewrap sandbox
with limits (``autograder.sandbox``; the limits and their defaults are in
``autograder.settings``). Only what comes back (scores, comments, the autograded notebook and
the feedback) is merged into GRADING, one submission at a time, through nbgrader's Gradebook
API. Submissions run in parallel on ``--workers`` threads, or on a Dask cluster with
``--scheduler``. The grades and report are rewritten after each submission; a rerun grades only
new or changed submissions (content hash) unless ``--force``.
"""

import argparse
import sys
from pathlib import Path

from autograder import settings
from autograder.grading.classroom import grade_class


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.grading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submitted", help="folder of <student>/<assignment>/*.ipynb (read only)")
    parser.add_argument("--out", required=True, help="grading folder to create or update")
    parser.add_argument("--assignment", action="append", help="grade only this assignment")
    parser.add_argument("--workers", type=int, default=None,
                        help="submissions graded at once (default: the number of cores)")
    parser.add_argument("--scheduler", help="grade on the Dask cluster at this address")
    parser.add_argument("--force", action="store_true", help="regrade unchanged submissions")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run kernels without bubblewrap (the report says so)")
    parser.add_argument("--source", default=str(settings.SOURCE),
                        help="folder of the assignments' nbgrader source (default: source/)")
    settings.add_limit_flags(parser)
    args = parser.parse_args(argv)
    try:
        outcomes = grade_class(args.submitted, args.out, args.assignment, args.workers,
                               args.scheduler, args.force, not args.no_sandbox,
                               settings.limits_from(args), source=args.source)
    except KeyboardInterrupt:
        print("\nStopped. The gradebook holds every submission merged so far; run the same "
              "command again to grade the rest.", file=sys.stderr)
        return 130
    print(f"\nReport: {Path(args.out, 'report.html')} (and report.md); grades: "
          f"{Path(args.out, 'grades.csv')}; feedback: {Path(args.out, 'feedback')}/")
    return 0 if outcomes else 1


if __name__ == "__main__":
    sys.exit(main())
