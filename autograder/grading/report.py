"""The class results: grades.csv, report.md, report.html and the charts beside them."""

import csv
import re
from pathlib import Path

COLUMNS = ["student", "assignment", "status", "auto_score", "auto_max", "manual_max", "problem",
           "integrity_flags", "sandboxed", "seconds"]
STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem}
th{background:#f3f3f3}img{max-width:100%}.warning{background:#fff3cd;padding:.5rem 1rem}"""


def write_grades(outcomes, maxima, path):
    """Write one CSV row per outcome; the columns depend only on the course's assignments."""
    columns = [(name, question) for name, questions in maxima.items() for question in questions]
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*COLUMNS, *[f"{a}/{q}" for a, q in columns]])
        for outcome in sorted(outcomes, key=lambda o: (o.assignment, o.student)):
            questions = maxima.get(outcome.assignment, {})
            writer.writerow([
                outcome.student, outcome.assignment, outcome.status, outcome.total("auto"),
                sum(m for m, kind in questions.values() if kind == "auto"),
                sum(m for m, kind in questions.values() if kind == "manual"),
                outcome.problem, outcome.flags, outcome.sandboxed, outcome.seconds,
                *[outcome.scores[q][0] if a == outcome.assignment and q in outcome.scores
                  else "" for a, q in columns],
            ])


def score_chart(name, rows, auto_max):
    """Return a histogram of the autograded totals of one assignment (students on whole ticks)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6, 3), layout="constrained")
    axes = figure.add_subplot()
    axes.hist([o.total("auto") for o in rows], bins=max(1, min(20, int(auto_max) + 1)),
              range=(0, max(auto_max, 1)), color="#4c72b0", edgecolor="white")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set(title=f"{name}\nautograded score", xlabel=f"points (of {auto_max:g})",
             ylabel="students")
    return figure


def question_chart(name, questions, graded):
    """Return a bar chart of the class mean per autograded question, as a share of its points."""
    from matplotlib.figure import Figure

    auto = [(q, m) for q, (m, kind) in questions.items() if kind == "auto"]
    means = [sum(o.scores[q][0] for o in graded if q in o.scores) / len(graded) / m
             if graded and m else 0.0 for q, m in auto]
    figure = Figure(figsize=(7, 0.35 * len(auto) + 1.6), layout="constrained")
    axes = figure.add_subplot()
    axes.barh([q for q, _ in auto], means, color="#55a868")
    axes.invert_yaxis()
    axes.set(xlim=(0, 1), title=f"{name}\nclass mean per question",
             xlabel="share of the points, graded submissions")
    return figure


def report_markdown(outcomes, maxima, charts):
    """Return the class report as Markdown; ``charts`` maps assignment -> PNG file names."""
    outcomes = sorted(outcomes, key=lambda o: (o.assignment, o.student))
    lines = ["# Class report", ""]
    unsandboxed = [o for o in outcomes if not o.sandboxed]
    if unsandboxed:
        lines += [f"**Warning:** {len(unsandboxed)} submissions were graded WITHOUT a sandbox "
                  "(--no-sandbox): their code ran with the grader's permissions.", ""]
    for name, questions in maxima.items():
        rows = [o for o in outcomes if o.assignment == name]
        if not rows:
            continue
        auto_max = sum(m for m, kind in questions.values() if kind == "auto")
        manual_max = sum(m for m, kind in questions.values() if kind == "manual")
        graded = [o for o in rows if o.status == "graded"]
        lines += [f"## {name}", "",
                  f"{len(rows)} submissions, {len(graded)} graded. Autograded points: "
                  f"{auto_max:g}; written answers to grade by hand: {manual_max:g}.", ""]
        lines += [f"![{alt}]({file})" for alt, file in charts.get(name, [])] + [""]
        lines += ["| student | status | autograded score | problem |", "| --- | --- | --- | --- |"]
        lines += [f"| {_cell(o.student)} | {o.status} | {o.total('auto'):g} / {auto_max:g} | "
                  f"{_cell(o.problem)} |" for o in rows]
        lines += ["", "| question | kind | max | class average |", "| --- | --- | --- | --- |"]
        for question, (maximum, kind) in questions.items():
            scores = [o.scores[question][0] for o in graded if question in o.scores]
            average = f"{sum(scores) / len(scores):.2f}" if scores and kind == "auto" else "-"
            lines.append(f"| {question} | {kind} | {maximum:g} | {average} |")
        lines.append("")
    problems = [o for o in outcomes if o.problem]
    lines += ["## Problems", ""]
    if problems:
        lines += ["Timeouts, kernel deaths, limits and malformed files, by student. The other "
                  "submissions were graded as usual.", "",
                  "| student | assignment | status | problem |", "| --- | --- | --- | --- |"]
        lines += [f"| {_cell(o.student)} | {o.assignment} | {o.status} | {_cell(o.problem)} |"
                  for o in problems]
    else:
        lines.append("None.")
    flagged = [o for o in outcomes if o.flags]
    lines += ["", "## Integrity flags", ""]
    if flagged:
        lines += ["Code that tampers with grading or reaches outside the notebook's folder. "
                  "The submissions were graded as usual; read the cells named here.", "",
                  "| student | assignment | flags |", "| --- | --- | --- |"]
        lines += [f"| {_cell(o.student)} | {o.assignment} | {_cell(o.flags)} |" for o in flagged]
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def _cell(text):
    """``text`` (a name or a problem, often chosen by a student) as literal Markdown: the marks
    that open a link, an image, HTML, code or emphasis escaped, so it never becomes markup."""
    return re.sub(r"([\\`*\[\]<>!|])", r"\\\1", str(text)).replace("\n", " ")


def write_report(outcomes, maxima, folder, charts=None):
    """Write report.md, report.html and the PNGs beside them.

    ``charts`` names the assignments whose charts are redrawn (default: all); a missing chart
    is always drawn.
    """
    folder = Path(folder)
    outcomes = list(outcomes)
    files = {}
    for name, questions in maxima.items():
        rows = [o for o in outcomes if o.assignment == name]
        if not rows:
            continue
        files[name] = [(f"{name}: score distribution", f"report-scores-{name}.png"),
                       (f"{name}: mean per question", f"report-questions-{name}.png")]
        if (charts is None or name in charts) \
                or not all((folder / file).exists() for _, file in files[name]):
            auto_max = sum(m for m, kind in questions.values() if kind == "auto")
            graded = [o for o in rows if o.status == "graded"]
            score_chart(name, rows, auto_max).savefig(folder / files[name][0][1], dpi=90)
            question_chart(name, questions, graded).savefig(folder / files[name][1][1], dpi=90)
    markdown = report_markdown(outcomes, maxima, files)
    (folder / "report.md").write_text(markdown)
    (folder / "report.html").write_text(to_html(markdown))


def to_html(markdown):
    """Return a standalone HTML page for the Markdown report."""
    import mistune

    body = mistune.create_markdown(plugins=["table"], escape=True)(markdown)
    return ("<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>Class report</title>"
            f"<style>{STYLE}</style></head><body>\n{body}</body></html>\n")

