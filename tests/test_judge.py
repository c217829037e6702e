"""The judge's machinery, each check weakened on purpose somewhere in these tests: a payload is
refused unless it is the only one of its cell and run and holds exactly the values judged, the
seed is the grader's, and the evidence helpers refuse what is just outside their tolerance."""

import json

import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder.grading import evidence
from autograder.grading.judge import (
    PROBE_MIME,
    JudgeProbes,
    SplitJudges,
    judge_in_process,
    judged_names,
    payload,
    verdict,
)

JUDGE = 'import math\nassert math.isclose(total, grader_seed % 7), "the total"\n'
SOURCE = ("print('visible')\n### BEGIN HIDDEN TESTS\ngrader_seed = 3\ntotal = grader_seed % 7\n"
          "### JUDGED OUTSIDE THE KERNEL\n" + JUDGE + "### END HIDDEN TESTS\n")


def test_cell(source=SOURCE, grade_id="test_total"):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id,
                                 "points": 1, "locked": True}
    return cell


def handed(values, cell="test_total", nonce="n1"):
    return payload(cell, nonce, values)


def test_a_right_payload_passes_and_the_seed_is_the_grader_s():
    assert verdict(JUDGE, handed({"total": 5}), "test_total", "n1", 12) is None
    assert verdict(JUDGE, handed({"total": 5}), "test_total", "n1", 13) == "the total"


@pytest.mark.parametrize(("text", "problem"), [
    (handed({"total": 5}, cell="test_other"), "another test or another run"),
    (handed({"total": 5}, nonce="n2"), "another test or another run"),
    (json.dumps({"cell": "test_total", "values": {"total": 5}}), "could not be read"),
    (json.dumps({"cell": "test_total", "nonce": "n1", "values": {"total": 5}, "more": 1}),
     "another test or another run"),
    (handed({}), "did not receive total"),
    (handed({"total": 5, "grader_seed": 12}), "did not ask for: grader_seed"),
    (handed({"total": 5, "math": 1}), "did not ask for: math"),
    ("{not json", "could not be read"),
    (handed({"total": "x" * 1_000_001}), "over 1,000,000 characters"),
])
def test_a_payload_that_does_not_match_is_refused(text, problem):
    assert problem in verdict(JUDGE, text, "test_total", "n1", 12)


def test_the_grader_s_names_are_never_asked_of_the_kernel():
    assert judged_names(JUDGE) == ["total"]


def split_and_run(cell, payloads):
    """Split ``cell`` as the grader does, then give it ``payloads`` (made from what the kernel
    received) as its outputs and judge them; return (probe source, judged cell)."""
    nb = new_notebook(cells=[cell])
    nb, resources = SplitJudges().preprocess(nb, {})
    probe = nb.cells[0].source
    nonce = resources["judges"]["test_total"][2]
    nb.cells[0].outputs = [new_output("stream", name="stderr", text="a warning\n")] + [
        new_output("display_data", data={PROBE_MIME: make(probe, nonce)}) for make in payloads]
    nb, _ = JudgeProbes().preprocess(nb, resources)
    return probe, nb.cells[0]


def right(probe, nonce):
    seed = int(probe.split("grader_seed = ")[1].split("\n")[0])
    return handed({"total": seed % 7}, nonce=nonce)


def failed(cell):
    return [output for output in cell.outputs if output.output_type == "error"]


def test_the_probe_gets_a_fresh_seed_and_nonce_and_never_the_judge():
    first, cell = split_and_run(test_cell(), [right])
    second, _ = split_and_run(test_cell(), [right])
    assert "grader_seed = 3\n" not in first and first != second
    assert "JUDGED" not in first and "math.isclose" not in first
    assert not failed(cell) and "math.isclose" in cell.source


def test_stderr_from_a_test_cell_is_shown_as_text_and_costs_nothing():
    _, cell = split_and_run(test_cell(), [right])
    assert [output.name for output in cell.outputs if output.output_type == "stream"] == \
        ["stdout"]
    assert not failed(cell)


@pytest.mark.parametrize(("payloads", "problem"), [
    ([right, right], "more than once"),
    ([lambda probe, nonce: handed({"total": -1}, nonce=nonce), right], "more than once"),
    ([], "handed nothing"),
    ([lambda probe, nonce: handed({"total": int(probe.split("grader_seed = ")[1].split()[0])
                                            % 7})], "another test or another run"),
])
def test_only_one_payload_of_this_run_is_judged(payloads, problem):
    _, cell = split_and_run(test_cell(), payloads)
    assert problem in failed(cell)[0].evalue


def test_in_process_judging_draws_a_new_seed_each_time():
    namespace = {}
    judge_in_process(SOURCE, namespace, "test_total")
    seeds = {judge_in_process(SOURCE, namespace, "test_total") or namespace["grader_seed"]
             for _ in range(5)}
    assert len(seeds) == 5


def test_close_holds_float32_rounding_and_refuses_a_thousandth():
    want = np.random.default_rng(0).normal(size=(20, 5))
    assert evidence.close(want.astype("float32"), want)
    assert not evidence.close(want * (1 + 1e-3), want)
    assert not evidence.close(want[:, :4], want[:, :4].T)
    assert not evidence.close([["a"]], [[1.0]])


def test_dense_chain_finds_layers_by_shape_in_any_order():
    rng = np.random.default_rng(1)
    first, second = (rng.normal(size=(4, 3)), rng.normal(size=3)), (rng.normal(size=(3, 4)),
                                                                      rng.normal(size=4))
    inputs = rng.normal(size=(6, 4))
    want = evidence.dense_forward(inputs, [first, second], ["relu", "sigmoid"])
    shuffled = [*second, *first]
    got = evidence.dense_forward(inputs, evidence.dense_chain(shuffled, [4, 3, 4]),
                                 ["relu", "sigmoid"])
    assert evidence.close(got, want)
    assert not evidence.close(evidence.dense_forward(inputs, evidence.dense_chain(
        shuffled, [4, 3, 4]), ["relu", "linear"]), want)
    with pytest.raises(AssertionError, match="no Dense layer of 3 -> 5 units"):
        evidence.dense_chain(shuffled, [4, 3, 5])


def test_fresh_normal_noise_passes_in_nearly_every_draw():
    passed = sum(evidence.standard_normal_problem(np.random.default_rng(seed).normal(
        size=(12, 300))) is None for seed in range(300))
    assert passed == 300


@pytest.mark.parametrize(("noise", "problem"), [
    (lambda rng: rng.normal(0.2, 1.0, size=(12, 300)), "mean"),
    (lambda rng: rng.normal(0.0, 0.88, size=(12, 300)), "standard deviation"),
    (lambda rng: rng.normal(0.0, 1.12, size=(12, 300)), "standard deviation"),
    (lambda rng: rng.uniform(-3**0.5, 3**0.5, size=(12, 300)), "within 1 of 0"),
    (lambda rng: np.tile(rng.normal(size=(2, 300)), (6, 1)), "same or related noise"),
    (lambda rng: np.vstack([rng.normal(size=(11, 300)), rng.normal(size=(1, 300))])[
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0]], "same or related noise"),
    (lambda rng: np.full((12, 300), 0.3), "noise"),
    (lambda rng: np.full((1, 300), 0.0), "could not be recovered"),
])
def test_noise_that_is_fixed_recycled_or_off_its_distribution_is_refused(noise, problem):
    assert problem in evidence.standard_normal_problem(noise(np.random.default_rng(0)))
