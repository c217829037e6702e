"""The student release and the reference notebooks, checked against source/."""


import ast
import json
import re

import nbformat
import pytest

from autograder import notebooks, settings
from autograder.qa import samples
from autograder.qa.mistakes import MISTAKES
from benchmarks.student_time import TARGET_MINUTES, estimate

ASSIGNMENTS = notebooks.assignments()


def cells(path):
    return nbformat.read(str(path), as_version=4).cells


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_solution_and_no_hidden_test(assignment):
    release_text = "\n".join(cell.source for cell in
                             cells(settings.RELEASE / assignment / f"{assignment}.ipynb"))
    assert "BEGIN SOLUTION" not in release_text and "HIDDEN TESTS" not in release_text
    source = cells(settings.SOURCE / assignment / f"{assignment}.ipynb")
    secret_lines = samples.hidden_lines(assignment)
    assert secret_lines, "the source should have solutions and hidden tests"
    # Lines that the source shows outside its secret regions (a signature, a stand-in class of
    # the visible checks) are no leak.
    shown = {line.strip() for cell in source if not cell.metadata.get("nbgrader", {}).get(
        "solution") or cell.cell_type == "code" for line in settings.SECRET_REGION.sub(
        "", cell.source).splitlines()}
    release_lines = {line.strip() for line in release_text.splitlines()}
    leaked = [line for line in secret_lines
              if line in release_lines and line not in shown and len(line) > 12]
    assert not leaked, f"solution or hidden-test lines in the release: {leaked}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignment_grading_structure(assignment):
    graded = [cell.metadata["nbgrader"] for cell in
              cells(settings.SOURCE / assignment / f"{assignment}.ipynb")
              if cell.metadata.get("nbgrader", {}).get("grade")]
    tests = [meta for meta in graded if not meta["solution"]]
    written = [meta for meta in graded if meta["solution"]]
    assert len(tests) >= (5 if assignment == "01_wine_basics" else 3), "autograded answers"
    assert len(written) >= 2, "at least two written answers"
    assert all(meta["points"] > 0 for meta in graded)
    assert assignment in MISTAKES, "the demo and tests need the wrong-answer catalogue"


def test_source_and_release_are_clean():
    assert notebooks.unclean_notebooks() == []


def test_release_and_reference_are_not_stale():
    assert notebooks.stale_notebooks() == [], "run `make notebooks` and commit the result"


def test_staleness_is_detected(tmp_path, monkeypatch):
    assignment = ASSIGNMENTS[0]
    stale_release = tmp_path / "release" / assignment
    stale_release.mkdir(parents=True)
    nb = nbformat.read(str(settings.RELEASE / assignment / f"{assignment}.ipynb"), 4)
    nb.cells[0].source += "\nEdited by hand."
    nbformat.write(nb, str(stale_release / f"{assignment}.ipynb"))
    monkeypatch.setattr(notebooks, "RELEASE", tmp_path / "release")
    monkeypatch.setattr(notebooks, "REFERENCE", tmp_path / "missing")
    problems = notebooks.stale_notebooks([assignment])
    assert any("differs from a fresh nbgrader release" in p for p in problems)
    assert any(f"{assignment}.ipynb is missing" in p for p in problems)


@pytest.mark.parametrize("line", [
    "E0000 00:00:1795528821.837148   12894 cuda_platform.cc:52] failed call to cuInit: UNKNOWN",
    "I0000 00:00:1795527943.835479    2367 port.cc:153] oneDNN custom operations are on.",
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
])
def test_tensorflow_start_up_log_is_ignored_when_grading(line):
    """nbgrader scores a test cell 0 if it writes to stderr; TF's C++ log must not count."""
    assert notebooks.TF_NOISE.search(line)


@pytest.mark.parametrize("line", ["Traceback (most recent call last):",
                                  "UserWarning: something the student should see"])
def test_real_stderr_is_kept(line):
    assert not notebooks.TF_NOISE.search(line)


# Keyword constants a statement need not spell out: they change no result a check reads.
UNSTATED_KEYWORDS = {"verbose", "max_iter", "axis", "dtype", "strict"}


def statements(assignment):
    """Yield (answer_id, model answer, the release's markdown just above the answer cell)."""
    source = nbformat.read(str(settings.SOURCE / assignment / f"{assignment}.ipynb"), 4)
    release = nbformat.read(str(settings.RELEASE / assignment / f"{assignment}.ipynb"), 4)
    for index, cell in enumerate(source.cells):
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            above = index
            while above > 0 and release.cells[above - 1].cell_type == "markdown":
                above -= 1
            text = "\n".join(c.source for c in release.cells[above:index]).replace("`", "")
            yield (cell.metadata["nbgrader"]["grade_id"],
                   settings.SOLUTION_DELIMITER.sub("", cell.source), text)


def statement_problems(answer_id, answer, text):
    """Return what the statement above an answer leaves out of what the answer needs."""
    stated = "Exercise" in text and "return" in text.lower()
    problems = [] if stated else [f"{answer_id}: no statement"]
    for node in ast.walk(ast.parse(answer)):
        if isinstance(node, ast.FunctionDef) and node.name not in ("__init__", "call"):
            if node.name not in text:
                problems.append(f"{answer_id}: the statement never names {node.name}")
            problems += [f"{answer_id}: the statement never names the argument {argument.arg}"
                         for argument in node.args.args if argument.arg not in text + " self"]
        elif isinstance(node, ast.keyword) and isinstance(node.value, ast.Constant) \
                and node.arg not in UNSTATED_KEYWORDS:
            value = node.value.value
            if not (f"{node.arg}={value}" in text or f'{node.arg}="{value}"' in text
                    or node.arg == "activation" and str(value).lower() in text.lower()):
                problems.append(f"{answer_id}: the statement never gives {node.arg}={value!r}")
    return problems


@pytest.mark.parametrize("assignment", notebooks.assignments())
def test_each_exercise_states_its_function_arguments_return_and_constants(assignment):
    assert [problem for statement in statements(assignment)
            for problem in statement_problems(*statement)] == []


def test_a_statement_without_its_constants_is_caught():
    answer_id, answer, text = next(s for s in statements("01_wine_basics")
                                   if s[0] == "cluster_codes")
    assert statement_problems(answer_id, answer, text.replace("eps=1.8", "a radius")) == [
        "cluster_codes: the statement never gives eps=1.8"]
    assert statement_problems(answer_id, answer, "") != []


@pytest.mark.parametrize("assignment", notebooks.assignments())
def test_each_release_fits_a_students_two_hours(assignment):
    """The estimate of benchmarks/student_time.py (reading, exercises, questions, compute)."""
    release = nbformat.read(str(settings.RELEASE / assignment / f"{assignment}.ipynb"), 4)
    compute = json.loads((settings.RESULTS / "student_profile.json").read_text())["notebooks"]
    found = estimate(release, compute[assignment]["wall_time_s"])
    assert found["total"] <= TARGET_MINUTES, found
    if assignment == "01_wine_basics":  # the notebook states its parts
        shown = release.cells[0].source
        reading = int(re.search(r"about (\d+) minutes of reading", shown)[1])
        assert abs(reading - found["reading"]) <= 3, (reading, found)
