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


RESULTS = notebooks.ROOT / "benchmarks" / "results"


def results(name):
    return json.loads((RESULTS / name).read_text())


def displayed(nb, marker):
    """Return the text/plain of the first code cell whose source contains ``marker``."""
    cell = next(cell for cell in nb.cells if cell.cell_type == "code" and marker in cell.source)
    return next(output["data"]["text/plain"] for output in cell.outputs if "data" in output
                and "text/plain" in output["data"])


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
    table = displayed(nb, "ladder_choice(")
    picks = dict(re.findall(r"^(AE|PCA): ladder rule, probe gain < 2 points +(\d+)$", table,
                            flags=re.MULTILINE))
    assert set(picks) == {"AE", "PCA"} and all(int(z) < 64 for z in picks.values()), table
    full = results("mnist_studies.json")["studies"]["03_latent_size"]["tables"]["probe"]
    for method, accuracy in full.items():
        sizes = [int(size) for size in accuracy]
        assert ladder_choice(sizes, list(accuracy.values()), 0.02) < max(sizes), method


def test_bottleneck_errors_are_judged_against_the_mean_and_an_exact_pca():
    nb = reference("05_bottleneck")
    assert "identity almost perfectly" not in text(nb)
    table = displayed(nb, "pca_test_mse(10)")
    mse = {name.strip(): float(value) for name, value in
           re.findall(r"^(\S.*?)\s+(\d\.\d\de[-+]\d+)$", table, flags=re.MULTILINE)}
    assert mse["PCA, 10 components (the rank)"] < 1e-12  # the data have rank 10: exact
    assert mse["PCA, 5 components"] > 1e-4  # below the rank, information is lost
    autoencoders = [value for name, value in mse.items() if name.startswith("autoencoder")]
    assert len(autoencoders) == 5 and min(autoencoders) > 1e6 * mse["PCA, 10 components (the rank)"]
    # The full profile's autoencoders are far from exact too.
    full = results("bottleneck_study.json")["losses"]["final test MSE"]
    assert min(full.values()) > 1e-4


def table_rows(table_text):
    """Parse a displayed DataFrame: ``{row label: [numbers]}``, joining wrapped column blocks."""
    rows = {}
    for line in table_text.splitlines():
        words, numbers = line.rstrip(" \\").split(), []
        while len(words) > 1:
            try:
                numbers.insert(0, float(words[-1]))
            except ValueError:
                break
            words.pop()
        if numbers:
            rows.setdefault(" ".join(words), []).extend(numbers)
    return rows


def graded_cell_ids(assignment):
    nb = nbformat.read(str(notebooks.SOURCE / assignment / f"{assignment}.ipynb"), as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"].get("points")
            for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")}


def test_wine_reads_its_loss_curve_with_the_tutorials_rules():
    nb = reference("01_wine_basics")
    words = " ".join(text(nb).split())
    for rule in ("**decreasing**", "**stabilisation**", "**overfitting**", "**still learning**"):
        assert rule in words
    first, last, change, reading = re.search(
        r"loss ([\d.]+) after epoch 1, ([\d.]+) after epoch \d+; ([-+][\d.]+)% over the last "
        r"\d+ epochs: (.+)", printed(nb, "reading = ")).groups()
    expected = ("still decreasing" if float(change) < -1 else "rising" if float(change) > 1
                else "stabilised")
    assert reading.strip() == expected and float(last) < float(first)


def test_wine_labels_an_undertrained_model_still_learning_not_underfitting():
    """The plain model's curve still falls at the end: "still learning" comes before the
    underfitting rule, so a curve that still falls is never called underfitting."""
    nb = reference("01_wine_basics")
    label = printed(nb, '"13 → 3 → 13, no regularisation:"').split(":")[-1].strip()
    assert label == "still learning", label
    source = next(cell.source for cell in nb.cells if "def diagnose_fit" in cell.source)
    assert source.index('"still learning"') < source.index('"underfitting"')
    words = " ".join(text(nb).split())
    assert "*under-trained*" in words and "not underfitting" in words


def test_wine_seeding_repeats_a_run_and_another_seed_changes_it():
    shown = printed(reference("01_wine_basics"), "weights identical")
    assert re.search(r"^seed 0 again .*identical to the first run: True$", shown, re.MULTILINE)
    assert re.search(r"^seed 1 .*identical to the first run: False$", shown, re.MULTILINE)
    words = " ".join(text(reference("01_wine_basics")).split())
    assert "**initial weights**" in words and "**the order of the mini-batches**" in words


def test_wine_questions_the_positive_weight_claim_with_a_counterexample_of_the_run():
    nb = reference("01_wine_basics")
    shown = printed(nb, "no_positive = ")
    no_positive = re.search(r"features with no positive weight: (.*)", shown).group(1).split(", ")
    ranks = {name: int(values[-1]) for name, values in
             table_rows(displayed(nb, "no_positive = ")).items()}
    assert no_positive != ["(none)"] and any(ranks[name] <= 6 for name in no_positive), ranks
    graded = graded_cell_ids("01_wine_basics")
    assert graded["question_positive_weights"] == 2 and graded["question_dead_units"] == 2


def test_wine_learning_rate_guidance_and_range_test():
    nb = reference("01_wine_basics")
    words = " ".join(text(nb).split())
    for guideline in ("**typical range**", "**schedules**", "**learning-rate finder**"):
        assert guideline in words
    steepest, stopped = map(float, re.search(
        r"falls fastest at a learning rate of about ([\d.e+-]+); the test stopped at ([\d.e+-]+)",
        printed(nb, "steepest_learning_rate(")).groups())
    # "a good rate lies where the loss falls fastest, well below the rate where it blows up"
    assert 1e-5 < steepest <= stopped / 10


def vae_tables():
    """Return the fast reference's and the full profile's latent spread and KL comparison."""
    nb = reference("04_vae")
    fast = {"spread": table_rows(displayed(nb, "latent_spread(codes)")),
            "kl": table_rows(displayed(nb, "kl_comparison = "))}
    full = results("vae_reproduction.json")  # DataFrame.to_dict(): {metric: {model: value}}
    full_rows = {table: {metric: list(values.values()) for metric, values in full[key].items()}
                 for table, key in (("spread", "latent_spread"), ("kl", "kl_comparison"))}
    return {"fast": fast, "full": full_rows}


def test_vae_codes_are_wider_than_the_prior_and_summing_the_kl_pulls_them_in():
    words = " ".join(text(reference("04_vae")).split())
    assert "every grid point in [-2, 2]" not in words and "around the origin" not in words
    for profile, tables in vae_tables().items():
        share = "share in [-2, 2]^2"
        averaged_64, averaged_16, prior = tables["spread"][share]
        assert abs(prior - 0.91) < 0.02, profile
        assert averaged_64 < prior - 0.1 and averaged_16 < prior - 0.1, profile  # "well below"
        kl = tables["kl"]
        assert kl[share][1] > kl[share][0], f"{profile}: summing the KL pulls codes in"
        assert kl["test reconstruction loss"][1] > kl["test reconstruction loss"][0], profile
        assert kl["test KL (summed)"][1] < kl["test KL (summed)"][0], profile


def test_vae_64_units_beat_16_in_every_profile_and_reach_the_seed_in_the_full_one():
    table = table_rows(displayed(reference("04_vae"), "seed_table = "))
    assert table["64"][4] < table["16"][4]  # test loss (after epochs, batch, lr, train loss)
    for model in results("vae_reproduction.json")["models"]:
        assert model["reaches_seed_test_loss"] and model["test_loss"] <= model["seed_test_loss"]
    full = {model["intermediate_size"]: model for model in results("vae_reproduction.json")
            ["models"]}
    assert full[64]["test_loss"] < full[16]["test_loss"]
    assert full[64]["test_elbo_loss_kl_summed"] < full[16]["test_elbo_loss_kl_summed"]


def test_vae_search_grades_the_seeds_kl_layer_used_by_the_mirror():
    assert graded_cell_ids("06_vae_search")["test_kl_layer"] == 2
    nb = reference("06_vae_search")
    shown = printed(nb, "seed_vae.evaluate(")
    seed_route, package = map(float, re.findall(r"held-out loss, [^:]+: ([\d.]+)", shown))
    assert abs(seed_route - package) < 0.1 * package, "both routes minimise the same loss"
    lines = printed(nb, "loss_by_depth = ")
    assert "apart)" in lines and "best silhouette" in lines


def test_latent_size_guide_states_what_holds_in_both_profiles():
    nb = reference("03_latent_size")
    words = " ".join(text(nb).split())
    assert "0.038 vs 0.056" not in words and "0.917 for both" not in words
    fast_mse = table_rows(displayed(nb, "reconstruction.round(4)"))
    fast_probe = table_rows(displayed(nb, "probe.round(3)"))
    full = results("mnist_studies.json")["studies"]["03_latent_size"]["tables"]
    for mse, probe in [(fast_mse, fast_probe),
                       ({z: [full["reconstruction"]["autoencoder"][z],
                             full["reconstruction"]["PCA"][z]] for z in ("2", "64")},
                        {z: [full["probe"]["autoencoder"][z], full["probe"]["PCA"][z]]
                         for z in ("2", "64")})]:
        assert mse["2"][0] < mse["2"][1] and probe["2"][0] > probe["2"][1]
        assert abs(probe["64"][0] - probe["64"][1]) < probe["2"][0] - probe["2"][1]


def test_bottleneck_guides_state_what_holds_in_both_profiles():
    nb = reference("05_bottleneck")
    words = " ".join(text(nb).split())
    for full_number in ("0.0029", "0.933", "0.0042 vs 0.0023"):
        assert full_number not in words
    fast_losses = table_rows(displayed(nb, 'final_losses(["b=100", "b=50", "b=25"])'))
    fast_levels = table_rows(displayed(nb, 'final_losses(["b=50", "3 levels, b=50"])'))
    fast_accuracy = {name: values[0] for name, values in
                     table_rows(displayed(nb, "accuracies.round(3)")).items()}
    full = results("bottleneck_study.json")
    final = full["losses"]["final test MSE"]
    for test_mse, accuracy in [
        ({name: values[2] for name, values in {**fast_losses, **fast_levels}.items()},
         fast_accuracy), (final, full["accuracy"])]:
        assert test_mse["b=50"] <= test_mse["b=100"] and test_mse["b=25"] <= test_mse["b=100"]
        assert test_mse["3 levels, b=50"] > test_mse["b=50"]
        raw = accuracy["raw features (100)"]
        for name in ("encoder b=100", "encoder b=50", "encoder 3 levels, b=50"):
            assert accuracy[name] > raw, name
        assert accuracy["encoder b=5"] < raw
    baselines = full["baselines"]
    assert baselines["PCA, 10 components (the rank)"] < 1e-12
    assert all(baselines[f"autoencoder b={b}"] < baselines["predict the training mean"]
               for b in (100, 50, 25, 10, 5))
