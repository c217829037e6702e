"""How often a judge's verdict depends on the draw: every catalogued answer on many seeds.

    python -m benchmarks.judge_draws [ASSIGNMENT ...] [--draws N] [--only EXERCISE,...]

A hidden test draws its inputs at grading time, so a wrong answer that agrees with the right one
on some draws (positive codes before a ReLU, the extremes of each column in the training part)
passes now and then, and CI sees it once in many runs. This runs each source notebook in-process
in the smoke profile, as ``tests/test_mistakes.py`` does, and judges each catalogued wrong
answer (``autograder.qa.mistakes``) and correct alternative (``autograder.qa.alternatives``) on
``--draws`` fresh seeds. It prints, per exercise, how many draws let a wrong answer through and
how many refused a correct one; both must be 0. About 3 minutes per notebook for 12 draws.
"""

import argparse
import contextlib
import io
import os
import sys

import nbformat

from aecourse.profiles import PROFILE_VARIABLE
from autograder.grading.judge import judge_in_process
from autograder.notebooks import assignments
from autograder.qa.alternatives import ALTERNATIVES
from autograder.qa.mistakes import MISTAKES
from autograder.settings import SOLUTION_DELIMITER, SOURCE


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id") or ""


def passes(source, namespace, cell_id, draws):
    """Return on how many of ``draws`` fresh seeds the test cell passes."""
    passed = 0
    for _ in range(draws):
        try:
            judge_in_process(source, namespace, cell_id)
            passed += 1
        except Exception:  # any failure costs the test cell its points
            continue
    return passed


def count(assignment, draws, only=None):
    """Return ``[(exercise, answer label, "wrong" or "right", draws that went the wrong way)]``."""
    cells = [cell for cell in nbformat.read(str(SOURCE / assignment / f"{assignment}.ipynb"), 4)
             .cells if cell.cell_type == "code"]
    last_test = max(i for i, cell in enumerate(cells) if grade_id(cell).startswith("test_")
                    and cell.metadata["nbgrader"].get("grade"))
    namespace, answers, rows = {}, {}, []
    for cell in cells[:last_test + 1]:
        cell_id = grade_id(cell)
        if cell.metadata.get("nbgrader", {}).get("solution"):
            answers[cell_id] = SOLUTION_DELIMITER.sub("", cell.source)
        answer_id = cell_id.removeprefix("test_")
        chosen = only is None or answer_id in only
        if cell_id.startswith("test_") and answer_id in answers and chosen:
            for kind, catalogue in (("wrong", MISTAKES), ("right", ALTERNATIVES)):
                for label, code in catalogue[assignment][answer_id]:
                    exec(code, namespace)  # noqa: S102
                    passed = passes(cell.source, namespace, cell_id, draws)
                    rows.append((answer_id, label, kind, passed if kind == "wrong"
                                 else draws - passed))
            exec(answers[answer_id], namespace)  # noqa: S102
        if cell_id.startswith("test_"):
            judge_in_process(cell.source, namespace, cell_id)
        else:
            exec(cell.source, namespace)  # noqa: S102
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*", help="default: every assignment")
    parser.add_argument("--draws", type=int, default=12)
    parser.add_argument("--only", default="", help="exercises (answer ids), comma-separated")
    args = parser.parse_args(argv)
    os.environ[PROFILE_VARIABLE] = "smoke"
    only = [name for name in args.only.split(",") if name] or None
    bad = 0
    for assignment in assignments(args.assignments):
        with contextlib.redirect_stdout(io.StringIO()):  # the notebook's own prints
            rows = count(assignment, args.draws, only)
        for answer_id in dict.fromkeys(row[0] for row in rows):
            mine = [row for row in rows if row[0] == answer_id]
            let_through = sum(1 for row in mine if row[2] == "wrong" and row[3])
            refused = sum(1 for row in mine if row[2] == "right" and row[3])
            print(f"{assignment} {answer_id}: {len(mine)} answers x {args.draws} draws; wrong "
                  f"answers let through on some draw: {let_through}, correct ones refused: "
                  f"{refused}", flush=True)
            for _, label, kind, times in mine:
                if times:
                    verb = "passed" if kind == "wrong" else "refused"
                    print(f"    {kind} answer {label!r} {verb} on {times} of {args.draws} draws")
                    bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
