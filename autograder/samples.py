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
    "02_depth_study": (
        "count_parameters",
        'def count_parameters(input_dim, hidden_sizes):\n'
        '    """Forgets the biases (a wrong answer)."""\n'
        '    sizes = [input_dim, *hidden_sizes, *reversed(hidden_sizes[:-1]), input_dim]\n'
        '    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))\n',
        "test_count_parameters",
    ),
    "03_latent_size": (
        "smallest_sufficient_size",
        'def smallest_sufficient_size(sizes, errors, tolerance=0.10):\n'
        '    """Returns the size with the lowest error (a wrong answer)."""\n'
        '    return sizes[errors.index(min(errors))]\n',
        "test_smallest_sufficient_size",
    ),
    "04_vae": (
        "kl_term",
        'def kl_term(z_mean, z_log_var):\n'
        '    """Sums over the latent dimensions (the other convention: wrong here)."""\n'
        '    return -0.5 * ops.sum(1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var),\n'
        '                          axis=-1)\n',
        "test_kl_term",
    ),
    "05_bottleneck": (
        "prepare_data",
        'def prepare_data(X, y):\n'
        '    """Fits the scaler on all the data before splitting (a leak: wrong)."""\n'
        '    X_scaled = MinMaxScaler().fit_transform(X)\n'
        '    return train_test_split(X_scaled, y, test_size=0.33, random_state=1)\n',
        "test_prepare_data",
    ),
    "06_vae_search": (
        "mutate_architecture",
        'def mutate_architecture(units, rng):\n'
        '    """Always removes the last layer, never a random one (a wrong answer)."""\n'
        '    if len(units) > 4:\n'
        '        return list(units[:-1])\n'
        '    return [size + position for position, size in enumerate(units)]\n',
        "test_mutate_architecture",
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


SAMPLE_STUDENTS = ("solution", "blank", "one_wrong", "broken")


def write_samples(submitted, assignment, students=SAMPLE_STUDENTS):
    """Write the chosen sample submissions under ``submitted/<student>/<assignment>/``."""
    answers = model_answers(assignment)
    wrong_cell, wrong_code, _ = WRONG_ANSWERS[assignment]
    builders = {
        "solution": lambda: filled_release(assignment, answers),
        "blank": lambda: filled_release(assignment, {}),
        "one_wrong": lambda: filled_release(assignment, {**answers, wrong_cell: wrong_code}),
    }
    for student in students:
        path = Path(submitted) / student / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        if student == "broken":
            path.write_text('{"cells": [ this is not JSON')
        else:
            nbformat.write(builders[student](), str(path))
    return list(students)
