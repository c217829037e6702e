"""What a student gets back: each test's visible part and its outcome, nothing hidden.

nbgrader's feedback shows the autograded notebook, whose test cells hold the hidden tests and
whose error outputs carry tracebacks quoting them. ``HideHiddenTests`` (configured for
``GenerateFeedback`` in ``nbgrader_config.py``) removes the hidden regions from test cells and
replaces each test's traceback by its one-line failure message.
"""

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.settings import HIDDEN_REGION


class HideHiddenTests(NbGraderPreprocessor):
    """Strip hidden-test regions and tracebacks from the test cells of a feedback notebook."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            cell.source = HIDDEN_REGION.sub("", cell.source).rstrip("\n")
            for output in cell.outputs:
                if output.output_type == "error":
                    message = f"{output.ename}: {output.evalue}" if output.evalue else output.ename
                    output.traceback = [message]
        return cell, resources
