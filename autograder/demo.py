"""The whole course pipeline on sample submissions: release, reference, grading, grade table.

    python -m autograder.demo [--out build/demo]
"""

import argparse
import shutil
import sys
from pathlib import Path

from autograder import notebooks, samples
from autograder.grade import grade_class

ROOT = notebooks.ROOT


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "build" / "demo"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    names = [name for name in notebooks.assignments() if name in samples.MISTAKES]

    print("1. Student release (nbgrader generate_assignment) -> release/")
    for name in names:
        notebooks.generate_release(name, notebooks.RELEASE / name)
    print("2. Reference notebooks, executed in the fast profile -> notebooks/")
    for name in names:
        notebooks.execute_reference(name, notebooks.REFERENCE / f"{name}.ipynb")
    print("3. Sample submissions: solution, blank, one wrong answer, broken file")
    for name in names:
        samples.write_samples(out / "submitted", name)
    print("4. Grading the class")
    grade_class(out / "submitted", out / "grading", names)
    print()
    print((out / "grading" / "report.md").read_text())
    print(f"Grades CSV: {out / 'grading' / 'grades.csv'}")
    print(f"Feedback:   {out / 'grading' / 'feedback'}/<student>/<assignment>/*.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
