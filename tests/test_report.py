"""The class report and the feedback preprocessor, on a small graded class of their own."""

import csv

import nbformat
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder.feedback import HideHiddenTests
from autograder.grading.outcomes import Outcome, Status
from autograder.grading.report import question_chart, score_chart, write_grades, write_report

NAME = "06_vae_search"
MAXIMA = {NAME: {"test_kl_layer": (2.0, "auto"), "test_mutate_architecture": (3.0, "auto"),
                 "test_silhouette_fitness": (2.0, "auto"), "question_depth_bias": (2.0, "manual")}}


def outcome(student, points, status=Status.GRADED, problem="", flags=""):
    kl, mutate, silhouette = points
    return Outcome(student, NAME, status, problem, flags, scores={
        "test_kl_layer": [kl, 2.0, "auto"], "test_mutate_architecture": [mutate, 3.0, "auto"],
        "test_silhouette_fitness": [silhouette, 2.0, "auto"], "question_depth_bias":
        [0.0, 2.0, "manual"]})


CLASS = [outcome("ada", (2, 3, 2)), outcome("bo", (0, 3, 2)), outcome("cy", (0, 0, 0)),
         outcome("di", (2, 3, 0), Status.FAILED, "stopped after 300 s: cell 12",
                 "06_vae_search.ipynb: cell 4: rebinds numpy.allclose"),
         Outcome("ed", NAME, Status.NOT_GRADED, "06_vae_search.ipynb is not a valid notebook")]


def test_grades_csv_has_a_row_per_student_and_a_column_per_question(tmp_path):
    write_grades(CLASS, MAXIMA, tmp_path / "grades.csv")
    with open(tmp_path / "grades.csv") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert list(rows) == ["ada", "bo", "cy", "di", "ed"]
    assert [float(rows["ada"][column]) for column in ("auto_score", "auto_max", "manual_max")] \
        == [7, 7, 2]
    assert rows["bo"][f"{NAME}/test_kl_layer"] == "0"
    assert rows["ed"]["status"] == "not graded" and rows["ed"][f"{NAME}/test_kl_layer"] == ""
    assert rows["di"]["integrity_flags"].endswith("rebinds numpy.allclose")


def test_report_gives_averages_problems_and_flags(tmp_path):
    write_report(CLASS, MAXIMA, tmp_path)
    report = (tmp_path / "report.md").read_text()
    assert "5 submissions, 4 graded" not in report, "a failed submission is not graded"
    assert "5 submissions, 3 graded. Autograded points: 7; written answers to grade by hand: 2." \
        in report
    # Averages over the graded submissions only: ada, bo and cy.
    assert "| test_kl_layer | auto | 2 | 0.67 |" in report
    assert "| test_mutate_architecture | auto | 3 | 2.00 |" in report
    assert "| question_depth_bias | manual | 2 | - |" in report
    assert "| di | 06_vae_search | failed | stopped after 300 s: cell 12 |" in report
    assert "| ed | 06_vae_search | not graded | 06_vae_search.ipynb is not a valid notebook |" \
        in report
    assert "| di | 06_vae_search | 06_vae_search.ipynb: cell 4: rebinds numpy.allclose |" in report
    html = (tmp_path / "report.html").read_text()
    assert "<table>" in html and f'src="report-scores-{NAME}.png"' in html
    assert (tmp_path / f"report-questions-{NAME}.png").stat().st_size > 1000


def texts_outside(figure):
    """Return the drawn texts of ``figure`` (titles, labels, ticks) that stick out of it."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    drawn = [*figure.texts]
    for axes in figure.axes:
        drawn += [axes.title, axes.xaxis.label, axes.yaxis.label]
        # Tick labels beyond the axes' limits are never drawn.
        (x0, x1), (y0, y1) = sorted(axes.get_xlim()), sorted(axes.get_ylim())
        drawn += [label for label in axes.get_xticklabels() if x0 <= label.get_position()[0] <= x1]
        drawn += [label for label in axes.get_yticklabels() if y0 <= label.get_position()[1] <= y1]
    box = figure.bbox.padded(1)
    return [text.get_text() for text in drawn if text.get_text() and not (
        box.contains(*text.get_window_extent(renderer).min)
        and box.contains(*text.get_window_extent(renderer).max))]


@pytest.mark.parametrize("chart", ["scores", "questions"])
def test_charts_keep_every_title_and_label_inside(chart):
    graded = [o for o in CLASS if o.status == Status.GRADED]
    figure = score_chart(NAME, CLASS, 7.0) if chart == "scores" else \
        question_chart(NAME, MAXIMA[NAME], graded)
    assert texts_outside(figure) == []


def test_the_score_chart_counts_students_in_whole_numbers():
    figure = score_chart(NAME, CLASS, 7.0)
    FigureCanvasAgg(figure).draw()
    ticks = figure.axes[0].get_yticks()
    assert len(ticks) >= 2 and all(float(tick).is_integer() for tick in ticks)


def test_feedback_hides_hidden_tests_and_their_tracebacks():
    test_cell = new_code_cell(
        "checks.passed('Exercise 1')\n### BEGIN HIDDEN TESTS\nassert secret(3) == 42\n"
        "### END HIDDEN TESTS\n", outputs=[new_output(
            "error", ename="AssertionError", evalue="",
            traceback=["Traceback", "----> 3 assert secret(3) == 42", "AssertionError"])])
    test_cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "test_x",
                                      "points": 2, "locked": True, "schema_version": 3}
    answer = new_code_cell("def secret(x):\n    return x  # the student's own code")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "x",
                                   "locked": False, "schema_version": 3}
    nb, _ = HideHiddenTests().preprocess(new_notebook(cells=[answer, test_cell]), {})
    assert nb.cells[1].source == "checks.passed('Exercise 1')"
    assert nb.cells[1].outputs[0].traceback == ["AssertionError"]
    assert nb.cells[0].source == answer.source, "the student's answer is shown as written"
    assert "secret(3)" not in nbformat.writes(nb)


def test_feedback_cuts_hidden_lines_that_a_student_printed():
    hidden = "assert kl_values == [1.25, 0.5], 'expected values'"
    test_cell = new_code_cell(f"checks.passed('Exercise 2')\n### BEGIN HIDDEN TESTS\n{hidden}\n"
                              "### END HIDDEN TESTS\n")
    test_cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "test_x",
                                      "points": 2, "locked": True, "schema_version": 3}
    # The answer read the working notebook, or its caller's source, and printed it.
    answer = new_code_cell("print(open('04_vae.ipynb').read())", outputs=[
        new_output("stream", name="stdout", text=f"some text\n    {hidden}\nmore\n"),
        new_output("execute_result", data={"text/plain": f"'{hidden}'"}, execution_count=1),
        new_output("error", ename="ValueError", evalue=hidden, traceback=[f"x {hidden}"])])
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "x",
                                   "locked": False, "schema_version": 3}
    nb, _ = HideHiddenTests().preprocess(new_notebook(cells=[answer, test_cell]), {})
    written = nbformat.writes(nb)
    assert "kl_values" not in written and "some text" in written and "[hidden test]" in written


def test_names_a_student_chose_are_shown_as_text_never_as_links_or_html(tmp_path):
    hostile = Outcome("[me](javascript:alert(1))", NAME, Status.GRADED,
                      "extra files ignored: <img src=x onerror=alert(1)>, ![x](http://evil/x.png)")
    write_report([*CLASS, hostile], MAXIMA, tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert "[me](javascript:alert(1))" in html and "![x](http://evil/x.png)" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<a " not in html and "http://evil" not in html.split("![x](")[0]


def test_formgraders_page_and_the_feedback_render_student_html_inert():
    """nbconvert's exporter with the course's configuration and nbgrader's own templates, as
    formgrader's manual grading page and GenerateFeedback use them."""
    import copy
    from html.parser import HTMLParser

    import nbgrader.server_extensions.formgrader.handlers as formgrader
    from nbconvert import HTMLExporter
    from traitlets.config.loader import PyFileConfigLoader

    from autograder import settings

    config = PyFileConfigLoader(settings.CONFIG.name, path=str(settings.ROOT)).load_config()
    attack = "<img src=x onerror=\"fetch('/api/contents/pwned', {method: 'PUT'})\">"
    nb = new_notebook(cells=[
        nbformat.v4.new_markdown_cell(f"My answer {attack} [see](javascript:alert(1))"),
        new_code_cell("answer()", outputs=[
            new_output("display_data", data={"text/html": f"<b>ok</b>{attack}<script>x()</script>"
                                                          "<table><tr><td>1</td></tr></table>",
                                             "text/plain": "ok"}),
            new_output("display_data", data={"text/markdown": f"*md* {attack}"}),
            new_output("display_data", data={"application/javascript": "x()"}),
            new_output("display_data", data={"image/svg+xml": f"<svg onload='x()'>{attack}</svg>"}),
        ])])

    class Live(HTMLParser):
        found = []

        def handle_starttag(self, tag, attrs):
            body = self.found if self.started else []
            if tag in ("script", "iframe", "svg", "object", "embed") and self.started:
                body.append(tag)
            body += [f"{tag} {name}" for name, value in attrs
                     if name.startswith("on") or "javascript:" in (value or "")]
            self.started = self.started or tag == "main" or tag == "body"

    def live_parts(config):
        resources = {"assignment_id": NAME, "notebook_id": NAME, "submission_id": "1",
                     "index": 0, "total": 1, "base_url": "", "student": "ada",
                     "last_name": "", "first_name": "", "notebook_path": "x.ipynb"}
        exporter = HTMLExporter(config=config, template_name="formgrade",
                                extra_template_basedirs=[formgrader.template_path])
        html, _ = exporter.from_notebook_node(copy.deepcopy(nb), resources=resources)
        student_part = html[html.index("My answer"):]
        parser = Live()
        parser.found, parser.started = [], True
        parser.feed(student_part)
        return parser.found, student_part

    found, student_part = live_parts(config)
    assert found == [], found
    assert "<b>ok</b>" in student_part and "<td>1</td>" in student_part
    unsanitized = copy.deepcopy(config)
    unsanitized.HTMLExporter.preprocessors = []
    assert len(live_parts(unsanitized)[0]) >= 4, "formgrader's own page runs the student's HTML"
    # The feedback runs the same preprocessor, after the hidden tests are hidden.
    feedback = [getattr(step, "__name__", step) for step in config.GenerateFeedback.preprocessors]
    assert feedback.index("SanitizeStudentHTML") < feedback.index("CSSHTMLHeaderPreprocessor")
