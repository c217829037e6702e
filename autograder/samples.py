"""Sample submissions for the demo and the tests, built from source/ and release/.

For each assignment: ``solution`` (the release filled with every model answer), ``blank``
(the untouched release), ``one_wrong`` (solutions except one wrong answer) and ``broken``
(a file that is not a notebook).
"""

import re
from pathlib import Path

import nbformat

from autograder.notebooks import RELEASE, SOURCE

# One plausible mistake per assignment: (answer cell, wrong code, the test cell it fails).
WRONG_ANSWERS = {
    "01_wine_basics": (
        "diagnose_fit",
        'def diagnose_fit(train_loss, val_loss):\n'
        '    """Always says the fit is good (a wrong answer)."""\n'
        '    return "good fit"\n',
        "test_diagnose_fit",
    ),
}

SOLUTION_DELIMITER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*(\n|\Z)", re.MULTILINE)


def model_answers(assignment):
    """Return ``{grade_id: source}`` of every answer cell in the source notebook."""
    nb = nbformat.read(str(SOURCE / assignment / f"{assignment}.ipynb"), as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"]: SOLUTION_DELIMITER.sub("", cell.source)
            for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("solution")}


def filled_release(assignment, answers):
    """Return the release notebook with the answer cells named in ``answers`` filled in."""
    nb = nbformat.read(str(RELEASE / assignment / f"{assignment}.ipynb"), as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def write_samples(submitted, assignment):
    """Write the four sample submissions under ``submitted/<student>/<assignment>/``."""
    answers = model_answers(assignment)
    wrong_cell, wrong_code, _ = WRONG_ANSWERS[assignment]
    notebooks = {
        "solution": filled_release(assignment, answers),
        "blank": filled_release(assignment, {}),
        "one_wrong": filled_release(assignment, {**answers, wrong_cell: wrong_code}),
    }
    for student, nb in notebooks.items():
        folder = Path(submitted) / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(folder / f"{assignment}.ipynb"))
    broken = Path(submitted) / "broken" / assignment
    broken.mkdir(parents=True, exist_ok=True)
    (broken / f"{assignment}.ipynb").write_text('{"cells": [ this is not JSON')
    return sorted([*notebooks, "broken"])
