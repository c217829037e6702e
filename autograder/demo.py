"""The whole course pipeline on a small mixed class: release, sample submissions, grading.

    python -m autograder.demo [--out build/demo]

The reference notebooks are committed (``make reference`` rebuilds them); the demo grades
six submissions of notebooks 1 and 4 with real nbgrader: model answers, a blank release, one
wrong answer, a submission that tries to switch the checks off (it loses its two wrong
answers and is flagged) and a file that is not a notebook (reported, never fatal).
"""

import argparse
import shutil
import sys
from pathlib import Path

from autograder import notebooks, samples
from autograder.grade import grade_class

ROOT = notebooks.ROOT
DEMO_CLASS = {
    "01_wine_basics": ("solution", "tampering", "broken"),
    "04_vae": ("solution", "blank", "one_wrong"),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "build" / "demo"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)

    print("1. Student release (nbgrader generate_assignment) -> release/", flush=True)
    for name in notebooks.assignments():
        notebooks.generate_release(name, notebooks.RELEASE / name)
    print("2. Sample submissions:", ", ".join(f"{name} ({', '.join(students)})"
                                           for name, students in DEMO_CLASS.items()), flush=True)
    for name, students in DEMO_CLASS.items():
        samples.write_samples(out / "submitted", name, students)
    print("3. Grading the class (fast profile, real nbgrader)", flush=True)
    grade_class(out / "submitted", out / "grading", list(DEMO_CLASS))
    print()
    print((out / "grading" / "report.md").read_text())
    print(f"Grades CSV: {out / 'grading' / 'grades.csv'}")
    print(f"Feedback:   {out / 'grading' / 'feedback'}/<student>/<assignment>/*.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
