"""What the notebooks say matches what their executed reference notebooks show.

Each test reads a notebook's text and the outputs of its executed reference notebook, and checks
that a stated result is either printed by the run or holds in it.
"""

import json
import re

import nbformat

from aecourse.metrics import ladder_choice
from autograder import notebooks


def reference(assignment):
    return nbformat.read(str(notebooks.REFERENCE / f"{assignment}.ipynb"), as_version=4)


def text(nb):
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def printed(nb, marker):
    """Return the stdout of the first code cell whose source contains ``marker``."""
    cell = next(cell for cell in nb.cells if cell.cell_type == "code" and marker in cell.source)
    return "".join(output.get("text", "") for output in cell.outputs
                   if output.get("name") == "stdout")


def test_wine_conclusion_reads_the_ari_of_the_run_instead_of_asserting_it():
    nb = reference("01_wine_basics")
    assert "confirms" not in text(nb)  # it used to claim what its outputs contradicted
    shown = printed(nb, "verdict = ")
    code_ari, raw_ari = map(float, re.search(
        r"ARI against the cultivars: (-?[\d.]+) on the 3 latent units, (-?[\d.]+) on all 13",
        shown).groups())
    verdict = "kept most of" if code_ari >= raw_ari - 0.1 else "lost much of"
    assert f"the code {verdict} the cultivar structure" in shown
    shares = re.search(r"share of wines at exactly 0, per latent unit: \[([^\]]*)\]", shown)
    assert len(shares.group(1).split()) == 3


def test_vae_search_states_what_keras_3_removed_and_what_still_works():
    words = " ".join(text(reference("06_vae_search")).split())
    assert "a loss cannot be attached" not in words
    assert "calls `self.add_loss(...)` inside its `call`" in words
    assert "`model.add_loss` on the model's symbolic tensors" in words


def test_latent_size_ladder_rule_picks_a_size_inside_the_ladder_in_both_profiles():
    """The within-10 %-of-best rule returns the top of the ladder; the ladder rule must not."""
    nb = reference("03_latent_size")
    table = next(cell for cell in nb.cells if cell.cell_type == "code"
                 and "ladder_choice(" in cell.source).outputs[0]["data"]["text/plain"]
    picks = dict(re.findall(r"^(AE|PCA): ladder rule, probe gain < 2 points +(\d+)$", table,
                            flags=re.MULTILINE))
    assert set(picks) == {"AE", "PCA"} and all(int(z) < 64 for z in picks.values()), table
    full = json.loads((notebooks.ROOT / "benchmarks" / "results" / "mnist_studies.json")
                      .read_text())["studies"]["03_latent_size"]["tables"]["probe"]
    for method, accuracy in full.items():
        sizes = [int(size) for size in accuracy]
        assert ladder_choice(sizes, list(accuracy.values()), 0.02) < max(sizes), method


def test_bottleneck_errors_are_judged_against_the_mean_and_an_exact_pca():
    nb = reference("05_bottleneck")
    assert "identity almost perfectly" not in text(nb)
    cell = next(cell for cell in nb.cells if cell.cell_type == "code"
                and "pca_test_mse(10)" in cell.source)
    table = next(output["data"]["text/plain"] for output in cell.outputs
                 if "data" in output)
    mse = {name.strip(): float(value) for name, value in
           re.findall(r"^(\S.*?)\s+(\d\.\d\de[-+]\d+)$", table, flags=re.MULTILINE)}
    assert mse["PCA, 10 components (the rank)"] < 1e-12  # the data have rank 10: exact
    assert mse["PCA, 5 components"] > 1e-4  # below the rank, information is lost
    autoencoders = [value for name, value in mse.items() if name.startswith("autoencoder")]
    assert len(autoencoders) == 5 and min(autoencoders) > 1e6 * mse["PCA, 10 components (the rank)"]
    # The full profile's autoencoders are far from exact too.
    full = json.loads((notebooks.ROOT / "benchmarks" / "results" / "bottleneck_study.json")
                      .read_text())["losses"]["final test MSE"]
    assert min(full.values()) > 1e-4
