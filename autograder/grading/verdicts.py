"""Scores that only a test's pass or fail decides, not what the student's kernel displayed.

nbgrader scores a test cell by its outputs: an error is 0 points, and the first
``execute_result`` that reads as a number is taken as partial credit, before any later error is
seen. Student code can display such a result from inside a test cell (``sys.displayhook(2)``
called by the answer). ``DisplayedValuesGiveNoCredit`` runs after execution and before
``SaveAutoGrades``: every ``execute_result`` of a test cell becomes a plain ``display_data``, so
it is still shown in the feedback and no longer scored.
"""

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor


class DisplayedValuesGiveNoCredit(NbGraderPreprocessor):
    """Turn the ``execute_result`` outputs of autograded test cells into ``display_data``."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.output_type = "display_data"
                    output.pop("execution_count", None)
        return cell, resources


def _import_path(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def autograde_preprocessors(execute=None):
    """Return nbgrader's autograde preprocessors as import paths, ``Execute`` replaced by
    ``execute`` when given, the judge around it (``SplitJudges`` before, ``JudgeProbes`` after)
    and ``DisplayedValuesGiveNoCredit`` just before ``SaveAutoGrades``."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute, SaveAutoGrades

    from autograder.grading.judge import JudgeProbes, SplitJudges

    paths = []
    for cls in Autograde.class_traits()["autograde_preprocessors"].default():
        if issubclass(cls, Execute):
            paths += [_import_path(SplitJudges), _import_path(execute or cls),
                      _import_path(JudgeProbes)]
            continue
        if issubclass(cls, SaveAutoGrades):
            paths.append(_import_path(DisplayedValuesGiveNoCredit))
        paths.append(_import_path(cls))
    return paths
