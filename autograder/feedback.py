"""What a student gets back: each test's visible part and its outcome, nothing hidden.

nbgrader's feedback shows the autograded notebook, whose test cells hold the hidden tests and
whose error outputs carry tracebacks quoting them. ``HideHiddenTests`` (configured for
``GenerateFeedback`` in ``nbgrader_config.py``) removes the hidden regions from test cells and
replaces each test's traceback by its one-line failure message. A student's code could also print
a hidden test (read from the working folder, a frame or a traceback): every hidden line is cut
out of every output before the feedback is written.
"""

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.settings import HIDDEN_REGION

# Hidden lines shorter than this ("try:", "finally:") reveal nothing and would cut common words.
SHORTEST_SECRET = 12
CUT = "[hidden test]"


def _hidden_lines(nb):
    """Return the hidden tests' lines of ``nb``, longest first."""
    lines = {line.strip() for cell in nb.cells if cell.cell_type == "code"
             for region in HIDDEN_REGION.findall(cell.source)
             for line in region.splitlines()[1:-1]}
    return sorted((line for line in lines if len(line) >= SHORTEST_SECRET), key=len, reverse=True)


def _cut(text, secrets):
    for secret in secrets:
        text = text.replace(secret, CUT)
    return text


class HideHiddenTests(NbGraderPreprocessor):
    """Strip hidden-test regions and tracebacks from the test cells of a feedback notebook, and
    every hidden line from every output."""

    def preprocess(self, nb, resources):
        resources["hidden_lines"] = _hidden_lines(nb)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if utils.is_grade(cell) and not utils.is_solution(cell):
            cell.source = HIDDEN_REGION.sub("", cell.source).rstrip("\n")
            for output in cell.outputs:
                if output.output_type == "error":
                    message = f"{output.ename}: {output.evalue}" if output.evalue else output.ename
                    output.traceback = [message]
        secrets = resources.get("hidden_lines", [])
        for output in cell.outputs:
            if "text" in output:
                output.text = _cut(output.text, secrets)
            for kind, value in output.get("data", {}).items():
                if isinstance(value, str) and kind.startswith("text/"):
                    output.data[kind] = _cut(value, secrets)
            if output.output_type == "error":
                output.evalue = _cut(output.evalue, secrets)
                output.traceback = [_cut(line, secrets) for line in output.traceback]
        return cell, resources
