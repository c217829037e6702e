"""Sample submissions for the demo and the tests, built from source/ and release/.

For each assignment: ``solution`` (the release filled with every model answer), ``blank``
(the untouched release), ``one_wrong`` (solutions except one wrong answer from the catalogue),
``tampering`` (two wrong answers, one of them carrying lines that try to switch the checks off)
and ``broken`` (a file that is not a notebook).
"""

from pathlib import Path

import nbformat

from autograder.qa.mistakes import MISTAKES, TAMPERING
from autograder.settings import RELEASE, SECRET_REGION, SOLUTION_DELIMITER, SOURCE


def model_answers(assignment):
    """Return ``{grade_id: source}`` of every answer cell in the source notebook."""
    nb = nbformat.read(str(SOURCE / assignment / f"{assignment}.ipynb"), as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"]: SOLUTION_DELIMITER.sub("", cell.source)
            for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("solution")}


def hidden_lines(assignment, source=SOURCE):
    """Return the lines no student may read: solutions, hidden tests and written model answers
    of the source notebook, stripped, blank lines left out."""
    nb = nbformat.read(str(Path(source) / assignment / f"{assignment}.ipynb"), as_version=4)
    lines = []
    for cell in nb.cells:
        for region in SECRET_REGION.findall(cell.source):
            lines += region[1].splitlines()
        if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution"):
            lines += cell.source.splitlines()
    return [line.strip() for line in lines if line.strip()]


def filled_release(assignment, answers):
    """Return the release notebook with the answer cells named in ``answers`` filled in."""
    nb = nbformat.read(str(RELEASE / assignment / f"{assignment}.ipynb"), as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def one_wrong_answer(assignment):
    """Return ``(answer_id, code)``: the catalogue's first mistake for the first exercise."""
    answer_id, mistakes = next(iter(MISTAKES[assignment].items()))
    return answer_id, mistakes[0][1]


def tampering_answers(assignment):
    """Return ``{answer_id: code}``: two wrong answers, the first with the tampering lines.

    The second answer returns an object that claims to equal anything.
    """
    answer_ids = [answer_id for answer_id, mistakes in MISTAKES[assignment].items()
                  if mistakes[0][1].startswith(f"def {answer_id}(")]
    first, second = answer_ids[0], answer_ids[-1]
    return {first: TAMPERING + MISTAKES[assignment][first][0][1],
            second: f"def {second}(*args, **kwargs):\n    return AlwaysEqual()\n"}


SAMPLE_STUDENTS = ("solution", "blank", "one_wrong", "tampering", "broken")


def write_samples(submitted, assignment, students=SAMPLE_STUDENTS):
    """Write the chosen sample submissions under ``submitted/<student>/<assignment>/``."""
    answers = model_answers(assignment)
    wrong_cell, wrong_code = one_wrong_answer(assignment)
    builders = {
        "solution": lambda: filled_release(assignment, answers),
        "blank": lambda: filled_release(assignment, {}),
        "one_wrong": lambda: filled_release(assignment, {**answers, wrong_cell: wrong_code}),
        "tampering": lambda: filled_release(assignment,
                                            {**answers, **tampering_answers(assignment)}),
    }
    for student in students:
        path = Path(submitted) / student / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        if student == "broken":
            path.write_text('{"cells": [ this is not JSON')
        else:
            nbformat.write(builders[student](), str(path))
    return list(students)
