"""Grade a class: autograde every submission, write grades, feedback and a class report.

    python -m autograder.grade SUBMITTED --out GRADING [--assignment NAME] [--timeout S]

SUBMITTED is a folder in nbgrader's layout, ``<student>/<assignment>/*.ipynb`` (a course's
``submitted/`` folder, or its parent). GRADING becomes a complete nbgrader course folder
(gradebook, autograded/, feedback/) plus:

- ``grades.csv``: one row per student and assignment, with every question's score;
- ``report.md``: the class report (scores, per-question averages, problems, integrity flags);
- ``feedback/<student>/<assignment>/*.html``: what each student gets back.

Each submission is graded in its own nbgrader run with the fast profile and a per-cell
timeout, so a broken submission is reported and never stops the others. Each submission's
code is also scanned for tampering (``autograder.integrity``): the flags are reported, the
submission is still graded.
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from autograder import integrity
from autograder.notebooks import CONFIG, EXECUTION_ENV, SOURCE, assignments, run_nbgrader


@dataclass
class Outcome:
    """What happened to one student's submission of one assignment."""

    student: str
    assignment: str
    status: str = "graded"
    problem: str = ""
    flags: str = ""  # integrity flags: "cell N: reason; ..."
    scores: dict = field(default_factory=dict)  # question -> (score, max, kind)

    def total(self, kind):
        return sum(score for score, _, k in self.scores.values() if k == kind)


def find_submissions(folder, wanted):
    """Return ``{(student, assignment): folder}`` for the submissions under ``folder``."""
    folder = Path(folder)
    if (folder / "submitted").is_dir():
        folder = folder / "submitted"
    if not folder.is_dir():
        raise SystemExit(f"No submissions folder at {folder}.")
    found = {}
    for student_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        for assignment_dir in sorted(p for p in student_dir.iterdir() if p.is_dir()):
            if assignment_dir.name in wanted:
                found[(student_dir.name, assignment_dir.name)] = assignment_dir
    return found


def unreadable_notebooks(folder):
    """Return a message for every notebook in ``folder`` that is not valid notebook JSON."""
    import nbformat

    problems = []
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        problems.append("no .ipynb file submitted")
    for path in notebooks:
        try:
            nbformat.validate(nbformat.read(str(path), as_version=4))
        except Exception as error:  # any unreadable file is reported, never fatal
            problems.append(f"{path.name} is not a valid notebook ({type(error).__name__})")
    return problems


def integrity_flags(folder):
    """Return the integrity flags of every readable notebook in ``folder`` as one line."""
    described = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            flags = integrity.scan_notebook(path)
        except Exception:  # an unreadable notebook is reported as a problem instead
            continue
        if flags:
            described.append(f"{path.name}: {integrity.describe(flags)}")
    return " | ".join(described)


def prepare_course(course, names):
    """Make ``course`` an nbgrader course holding the assignments' source and gradebook."""
    course.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONFIG, course / "nbgrader_config.py")
    for name in names:
        target = course / "source" / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(SOURCE / name, target,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        run_nbgrader(["generate_assignment", name, "--force"], course)


def grade_one(course, outcome, folder, cell_timeout, env):
    """Autograde one submission and generate its feedback, recording any failure."""
    problems = unreadable_notebooks(folder)
    if problems:
        outcome.status, outcome.problem = "not graded", "; ".join(problems)
        return
    target = course / "submitted" / outcome.student / outcome.assignment
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(folder, target)
    common = [outcome.assignment, "--student", outcome.student, "--force"]
    try:
        run_nbgrader(["autograde", *common, f"--Execute.timeout={cell_timeout}"], course,
                     env=env, timeout=cell_timeout * 40)
        run_nbgrader(["generate_feedback", *common], course, env=env, timeout=600)
    except subprocess.TimeoutExpired:
        outcome.status, outcome.problem = "failed", "grading took too long and was stopped"
    except RuntimeError as error:
        outcome.status, outcome.problem = "failed", _last_error_line(str(error))


def _last_error_line(log):
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [line for line in lines if "[ERROR]" in line or "Error" in line]
    return (errors or lines or ["unknown error"])[-1][:300]


def read_scores(course, outcome):
    """Fill ``outcome.scores`` from the gradebook: question -> (score, max, kind)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        try:
            submission = gradebook.find_submission(outcome.assignment, outcome.student)
        except MissingEntry:
            if outcome.status == "graded":
                outcome.status, outcome.problem = "failed", "no grades were recorded"
            return
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                kind = "auto" if grade.cell_type == "code" else "manual"
                outcome.scores[grade.name] = (float(grade.score), float(grade.max_score), kind)


def max_scores(course, name):
    """Return ``{question: (max, kind)}`` for an assignment, from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assignment = gradebook.find_assignment(name)
        return {cell.name: (float(cell.max_score), "auto" if cell.cell_type == "code" else "manual")
                for notebook in assignment.notebooks for cell in notebook.grade_cells}


def write_grades(outcomes, maxima, path):
    """Write one CSV row per outcome with totals and every question's score."""
    columns = [(name, question) for name, questions in maxima.items() for question in questions]
    header = [f"{a}/{q}" for a, q in columns]  # one schema, whatever was graded
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "status", "auto_score", "auto_max",
                         "manual_max", "problem", "integrity_flags", *header])
        for outcome in outcomes:
            questions = maxima.get(outcome.assignment, {})
            writer.writerow([
                outcome.student, outcome.assignment, outcome.status, outcome.total("auto"),
                sum(m for m, kind in questions.values() if kind == "auto"),
                sum(m for m, kind in questions.values() if kind == "manual"),
                outcome.problem, outcome.flags,
                *[outcome.scores[q][0] if a == outcome.assignment and q in outcome.scores
                  else "" for a, q in columns],
            ])


def report(outcomes, maxima):
    """Return the class report as Markdown."""
    lines = ["# Class report", ""]
    for name, questions in maxima.items():
        rows = [o for o in outcomes if o.assignment == name]
        auto_max = sum(m for m, kind in questions.values() if kind == "auto")
        manual_max = sum(m for m, kind in questions.values() if kind == "manual")
        graded = [o for o in rows if o.status == "graded"]
        lines += [f"## {name}", "",
                  f"{len(rows)} submissions, {len(graded)} graded. Autograded points: "
                  f"{auto_max:g}; written answers to grade by hand: {manual_max:g}.", "",
                  "| student | status | autograded score | problem |", "| --- | --- | --- | --- |"]
        lines += [f"| {o.student} | {o.status} | {o.total('auto'):g} / {auto_max:g} | "
                  f"{o.problem} |" for o in rows]
        lines += ["", "| question | kind | max | class average |", "| --- | --- | --- | --- |"]
        for question, (maximum, kind) in questions.items():
            scores = [o.scores[question][0] for o in graded if question in o.scores]
            average = f"{sum(scores) / len(scores):.2f}" if scores and kind == "auto" else "-"
            lines.append(f"| {question} | {kind} | {maximum:g} | {average} |")
        lines.append("")
    flagged = [o for o in outcomes if o.flags]
    lines += ["## Integrity flags", ""]
    if flagged:
        lines += ["Code that tampers with grading or reaches outside the notebook's folder. "
                  "The submissions were graded as usual; read the cells named here.", "",
                  "| student | assignment | flags |", "| --- | --- | --- |"]
        lines += [f"| {o.student} | {o.assignment} | {o.flags} |" for o in flagged]
    else:
        lines.append("None.")
    lines.append("")
    return "\n".join(lines)


def grade_class(submitted, out, names=None, cell_timeout=300):
    """Grade every submission under ``submitted`` into ``out``; return the outcomes."""
    out = Path(out).resolve()
    names = assignments(names)
    submissions = find_submissions(submitted, names)
    prepare_course(out, names)
    env = {**os.environ, **EXECUTION_ENV}
    outcomes = []
    for (student, name), folder in submissions.items():
        outcome = Outcome(student, name, flags=integrity_flags(folder))
        grade_one(out, outcome, folder, cell_timeout, env)
        if outcome.status != "not graded":
            read_scores(out, outcome)
        outcomes.append(outcome)
        print(f"{student:>20} {name}: {outcome.status}"
              f"{' (' + outcome.problem + ')' if outcome.problem else ''}"
              f"{' [flagged]' if outcome.flags else ''}", flush=True)
    maxima = {name: max_scores(out, name) for name in names
              if any(o.assignment == name for o in outcomes)}
    write_grades(outcomes, maxima, out / "grades.csv")
    (out / "report.md").write_text(report(outcomes, maxima))
    return outcomes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submitted", help="folder of <student>/<assignment>/*.ipynb")
    parser.add_argument("--out", required=True, help="grading folder to create or update")
    parser.add_argument("--assignment", action="append", help="grade only this assignment")
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    outcomes = grade_class(args.submitted, args.out, args.assignment, args.timeout)
    print()
    print(Path(args.out, "report.md").read_text())
    print(f"Grades: {Path(args.out, 'grades.csv')}; feedback: {Path(args.out, 'feedback')}/")
    return 0 if outcomes else 1


if __name__ == "__main__":
    sys.exit(main())
