"""The kernel computes, the grader judges: each hidden test is split into a probe and a verdict.

A hidden test region of a source notebook has two parts::

    ### BEGIN HIDDEN TESTS
    kl_values = np.asarray(kl_term(means, log_vars)).tolist()  # probe: the student's kernel
    ### JUDGED OUTSIDE THE KERNEL
    assert len(kl_values) == 2, "one value per example"          # judge: the grader's process
    ### END HIDDEN TESTS

``SplitJudges`` runs before execution: it keeps each judge in ``resources`` and sends the kernel
the probe, followed by one ``display`` of the names the judge reads, as JSON. ``JudgeProbes`` runs
after execution: it takes the one payload of each judged test cell, runs the judge on plain data
in the grader's process, and writes the cell's outputs itself: the kernel's own output as plain
text, then the verdict. Nothing the kernel printed, raised or displayed decides the score, and no
expected value, assert or judge line ever enters the kernel.

Inputs drawn at grading time: a probe line ``grader_seed = <number>`` is rewritten with a number
the grader draws for this cell and this run, and the judge receives the same number from the
grader (never from the payload). A probe draws its inputs from it, the judge draws the same
inputs and computes what a correct answer gives on them, so a kernel can only pass by computing
the right thing. Each payload also carries a nonce drawn with the seed: a payload from another
cell, another run or a second display is refused.
"""

import ast
import builtins
import json
import math
import re
import secrets

import numpy as np
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.grading import syntax
from autograder.settings import JUDGE_MARKER

PROBE_MIME = "text/x-judge-probe"
# Payloads larger than this are refused: a probe hands back values, not datasets.
MAX_PAYLOAD_CHARS = 1_000_000
# What a judge may name besides the probe's values and the builtins.
JUDGE_MODULES = {"math": math, "np": np}
# The names the grader itself hands the judge: never read from the payload.
GRADER_NAMES = ("grader_seed",)
SEED_LINE = re.compile(r"^grader_seed = \d+", re.MULTILINE)


def draw_seed():
    """Return a fresh seed for one test cell's inputs (the kernel cannot know it in advance)."""
    return secrets.randbits(63)


def with_seed(probe, seed):
    """Return ``probe`` with its ``grader_seed = ...`` line set to ``seed``."""
    return SEED_LINE.sub(f"grader_seed = {seed}", probe)


def split(source):
    """Return ``(probe, judge)`` for a test cell's source, or ``None`` when it has no judge."""
    parts = JUDGE_MARKER.split(source, maxsplit=1)
    if len(parts) == 1:
        return None
    probe, rest = parts
    judge, end, tail = rest.partition("### END HIDDEN TESTS")
    return probe + end + tail, judge


def judged_names(judge):
    """Return the names the judge reads but never sets: what the probe must hand back."""
    stored, loaded = set(), []
    for node in ast.walk(syntax.parse(judge)):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Store):
                stored.add(node.id)
            elif node.id not in loaded:
                loaded.append(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            stored.add(node.name)
        elif isinstance(node, ast.arg):
            stored.add(node.arg)
        elif isinstance(node, ast.alias):
            stored.add((node.asname or node.name).split(".")[0])
    return [name for name in loaded if name not in stored and name not in JUDGE_MODULES
            and name not in GRADER_NAMES and not hasattr(builtins, name)]


def payload(cell_id, nonce, values):
    """Return the JSON a probe hands the grader: its cell, this run's nonce and its values."""
    return json.dumps({"cell": cell_id, "nonce": nonce, "values": values},
                      default=lambda value: value.tolist())


def probe_code(cell_id, nonce, names):
    """Return the kernel-side lines that display the probe's values as one JSON payload."""
    values = ", ".join(f"{name!r}: {name}" for name in names)
    return ("import json as _judge_json\n"
            "from IPython.display import display as _judge_display\n"
            f"_judge_display({{{PROBE_MIME!r}: _judge_json.dumps({{'cell': {cell_id!r}, "
            f"'nonce': {nonce!r}, 'values': {{{values}}}}}, "
            "default=lambda value: value.tolist())}, raw=True)\n")


def verdict(judge, handed, cell_id, nonce, seed):
    """Return ``None`` when the payload ``handed`` passes the judge, else the message for the
    student. ``nonce`` and ``seed`` are the ones the grader drew for this cell."""
    if len(handed) > MAX_PAYLOAD_CHARS:
        return f"the values handed to the grader are over {MAX_PAYLOAD_CHARS:,} characters"
    try:
        handed = json.loads(handed)
        values, cell, its_nonce = handed["values"], handed["cell"], handed["nonce"]
    except (ValueError, TypeError, KeyError, RecursionError):
        return "the values handed to the grader could not be read"
    if cell != cell_id or its_nonce != nonce or not isinstance(values, dict) \
            or set(handed) != {"cell", "nonce", "values"}:
        return "the values handed to the grader belong to another test or another run"
    names = judged_names(judge)
    missing = [name for name in names if name not in values]
    if missing:
        return f"the grader did not receive {', '.join(missing)}"
    extra = sorted(set(values) - set(names))
    if extra:
        return f"the grader received values it did not ask for: {', '.join(extra)}"[:500]
    try:
        # The judge's own code: the values are plain JSON data, the seed is the grader's.
        exec(judge, {**values, **JUDGE_MODULES, "grader_seed": seed})  # noqa: S102
    except AssertionError as error:
        return str(error) or "a hidden test failed"
    except Exception as error:  # a value of the wrong kind: the answer fails, the grader goes on
        return f"a hidden test could not use your answer's result ({type(error).__name__}: " \
               f"{error})"[:500]
    return None


def judge_in_process(source, namespace, cell_id="test"):
    """Run a test cell's probe in ``namespace`` and judge it as the grader would (for tests).

    Raises the probe's own error, or ``AssertionError`` with the judge's message.
    """
    parts = split(source)
    if parts is None:
        exec(source, namespace)  # noqa: S102
        return
    probe, judge = parts
    handed = probe_in_process(probe, judge, namespace, cell_id)
    message = verdict(judge, *handed)
    if message:
        raise AssertionError(message)


def probe_in_process(probe, judge, namespace, cell_id="test"):
    """Run ``probe`` in ``namespace`` with a fresh seed; return ``(payload, cell_id, nonce,
    seed)``, the arguments after the judge that ``verdict`` takes (for tests)."""
    seed, nonce = draw_seed(), secrets.token_hex(8)
    exec(with_seed(probe, seed), namespace)  # noqa: S102
    values = {name: namespace[name] for name in judged_names(judge) if name in namespace}
    return payload(cell_id, nonce, values), cell_id, nonce, seed


def _judged(cell):
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


class SplitJudges(NbGraderPreprocessor):
    """Before execution: keep each test cell's judge, send the kernel only its probe."""

    def preprocess_cell(self, cell, resources, index):
        parts = split(cell.source) if _judged(cell) else None
        if parts:
            probe, judge = parts
            cell_id = cell.metadata["nbgrader"]["grade_id"]
            seed, nonce = draw_seed(), secrets.token_hex(8)
            resources.setdefault("judges", {})[cell_id] = (cell.source, judge, nonce, seed)
            cell.source = (with_seed(probe, seed).rstrip("\n") + "\n"
                           + probe_code(cell_id, nonce, judged_names(judge)))
        return cell, resources


class JudgeProbes(NbGraderPreprocessor):
    """After execution: judge each probe's payload here, and write the test cell's outputs."""

    def preprocess_cell(self, cell, resources, index):
        judges = resources.get("judges", {})
        cell_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if not _judged(cell) or cell_id not in judges:
            return cell, resources
        source, judge, nonce, seed = judges[cell_id]
        cell.source = source  # the instructor reads the whole test, judge included
        payloads = [output.data[PROBE_MIME] for output in cell.outputs
                    if PROBE_MIME in output.get("data", {})]
        kept, raised = [], []
        for output in cell.outputs:
            if PROBE_MIME in output.get("data", {}):
                continue
            if output.output_type == "error":
                raised.append(f"{output.ename}: {output.evalue}".rstrip(": "))
                kept.append(_text(raised[-1] + "\n"))
            elif output.output_type == "stream":
                kept.append(_text(output.text))
            else:  # a displayed value is shown, never scored
                kept.append(new_output("display_data", data=output.get("data", {}),
                                       metadata=output.get("metadata", {})))
        if len(payloads) == 1:
            message = verdict(judge, payloads[0], cell_id, nonce, seed)
        elif payloads:
            message = "the hidden tests handed values to the grader more than once"
        elif raised:
            message = f"the test stopped before the hidden tests ran ({raised[-1]})"
        else:
            message = "the hidden tests handed nothing to the grader"
        if message:
            kept.append(new_output("error", ename="AssertionError", evalue=message,
                                   traceback=[f"AssertionError: {message}"]))
        cell.outputs = kept
        return cell, resources


def _text(text):
    return new_output("stream", name="stdout", text=text)
