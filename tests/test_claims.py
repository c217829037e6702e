"""What the notebooks say matches what their runs show, in every profile a reader meets.

The claims (``autograder.qa.claims``) are checked here on the executed reference notebooks (fast
profile); the relations they state are checked on the full profile's results in
``benchmarks/results/``; and the student profile's runs, the default a student gets, must have
been checked by ``benchmarks/student_profile.py`` with the current budgets and claims.
"""

import json

import nbformat
import pytest

from aecourse.profiles import BUDGETS
from autograder import notebooks, settings
from autograder.qa import claims

RESULTS = settings.RESULTS


def reference(assignment):
    return nbformat.read(str(settings.REFERENCE / f"{assignment}.ipynb"), as_version=4)


def results(name):
    return json.loads((RESULTS / name).read_text())


def source_words(assignment):
    """The text of a source notebook, as the claims read it."""
    return claims.text(nbformat.read(str(settings.SOURCE / assignment / f"{assignment}.ipynb"), 4))


ALL_CLAIMS = [(assignment, function) for assignment, functions in claims.CLAIMS.items()
              for function in functions]


@pytest.mark.parametrize(("assignment", "claim"), ALL_CLAIMS,
                         ids=[f"{a}-{f.__name__}" for a, f in ALL_CLAIMS])
def test_each_claim_holds_in_the_reference_run(assignment, claim):
    claim(reference(assignment))


def test_a_contradicted_claim_is_reported_with_its_reason():
    nb = reference("04_vae")
    cell = claims.code_cell(nb, "seed_table = ")
    output = next(o for o in cell.outputs if "data" in o and "text/plain" in o["data"])
    test_loss_64 = claims.table_rows(output["data"]["text/plain"])["64"][4]
    output["data"]["text/plain"] = output["data"]["text/plain"].replace(
        f"{test_loss_64:.2f}", "999.99", 1)  # the 64-unit model now loses to the 16-unit one
    verdict = claims.verdicts("04_vae", nb)["sixty_four_units_beat_sixteen"]
    assert verdict == "fails: AssertionError: test loss 64: 999.99, 16: " + (
        f"{claims.table_rows(output['data']['text/plain'])['16'][4]}"), verdict
    assert claims.verdicts("04_vae", reference("04_vae"))["sixty_four_units_beat_sixteen"] == \
        "holds"


def test_the_fast_run_labels_its_plain_model_still_learning():
    """The guide: "in short runs the training loss is still falling clearly at the end"."""
    label = claims.printed(reference("01_wine_basics"),
                           '"13 → 3 → 13, no regularisation:"').split(":")[-1].strip()
    assert label == "still learning"


# ---------------------------------------------------------------- the full profile's results

@pytest.mark.parametrize("result", ["vae_reproduction.json", "bottleneck_study.json",
                                    "vae_search.json"])
def test_every_claim_holds_in_the_full_profile_run(result):
    """The benchmarks run the real notebooks in the full profile and record every claim's
    verdict on that run: what the text says holds there too."""
    full = results(result)
    assert full["profile"] == "full"
    assignment = {"vae_reproduction.json": "04_vae", "bottleneck_study.json": "05_bottleneck",
                  "vae_search.json": "06_vae_search"}[result]
    names = [function.__name__ for function in claims.CLAIMS[assignment]]
    assert sorted(full["claims"]) == sorted(names), "rerun the benchmark: stale claims"
    assert {name: verdict for name, verdict in full["claims"].items() if verdict != "holds"} == {}


def test_full_profile_depths_keep_the_guides_relations():
    full = results("mnist_studies.json")["studies"]["02_depth_study"]["tables"]["results"]
    claims.depth_relations({metric: list(values.values()) for metric, values in full.items()})


def test_full_profile_latent_sizes_keep_the_guides_relations():
    full = results("mnist_studies.json")["studies"]["03_latent_size"]["tables"]
    as_rows = {table: {z: [full[table]["autoencoder"][z], full[table]["PCA"][z]]
                       for z in ("2", "64")} for table in ("reconstruction", "probe")}
    claims.latent_size_relations(as_rows["reconstruction"], as_rows["probe"])
    claims.ladder_picks_below_the_top(full["probe"])


def test_full_profile_vae_reaches_the_seed_and_keeps_the_spread_relations():
    full = results("vae_reproduction.json")
    models = {model["intermediate_size"]: model for model in full["models"]}
    for model in models.values():
        assert model["reaches_seed_test_loss"] and model["test_loss"] <= model["seed_test_loss"]
    assert models[64]["test_loss"] < models[16]["test_loss"]
    assert models[64]["test_elbo_loss_kl_summed"] < models[16]["test_elbo_loss_kl_summed"]
    assert all(model["epochs"] == 100 for model in models.values()), "the seed's 100 epochs"
    # What notebook 4's text quotes from this run.
    words = source_words("04_vae")
    assert (f"both end below them, at {models[64]['test_loss']:.2f} and "
            f"{models[16]['test_loss']:.2f}") in words
    reconstruction = full["beta_sweep"]["test reconstruction loss"]
    assert (f"spreads the codes to a standard deviation of "
            f"{full['beta_sweep']['std z1']['0.1']:.1f} per axis and reconstructs worse than "
            f"β = ½, {reconstruction['0.1']:.2f} against {reconstruction['0.5']:.2f}") in words
    assert round(full["beta_sweep"]["std z2"]["0.1"], 1) == round(
        full["beta_sweep"]["std z1"]["0.1"], 1) or "per axis" not in words
    assert f"{round(full['wall_time_s'] / 60)} minutes for the notebook's six trainings" in words
    ratios = [round(jump["largest"] / jump["median"], 1) for jump in full["path_jumps"].values()]
    assert ratios == sorted(ratios, reverse=True), "the stronger the pull, the smoother"
    assert ("the plain autoencoder's largest change is {} times its median, the VAE's {} with the "
            "KL averaged and {} with it summed".format(*ratios)) in words
    smallest = min(value for column in ("KL of z 1 (nats)", "KL of z 2 (nats)")
                   for value in full["latent_quality"][column].values() if value == value)
    assert full["collapsed"] == [] and smallest > 0.05
    assert (f"no latent dimension of any model collapsed: the smallest KL of a dimension is "
            f"{smallest:.2f} nats") in words
    # DataFrame.to_dict(): {metric: {model: value}}, in the notebook's row order.
    claims.vae_spread_relations({
        table: {metric: list(values.values()) for metric, values in full[key].items()}
        for table, key in (("spread", "latent_spread"), ("kl", "kl_comparison"))})


def test_full_profile_bottlenecks_keep_the_guides_relations():
    full = results("bottleneck_study.json")
    claims.bottleneck_relations(full["losses"]["best test MSE"], full["accuracy"])
    baselines = full["baselines"]
    assert baselines["PCA, 10 components (the rank)"] < 1e-12
    assert min(full["losses"]["final test MSE"].values()) > 1e-4  # far from exact
    assert all(baselines[f"autoencoder b={b}"] < baselines["predict the training mean"]
               for b in (100, 50, 25, 10, 5))
    words = source_words("05_bottleneck")
    assert (f"ran this profile in {full['wall_time_s']:,.0f} s, about "
            f"{round(full['wall_time_s'] / 60)} minutes") in words
    similarity = full["subspace_similarity"]
    linear = baselines["linear autoencoder, b=10"]
    assert (f"its decoder shares "
            f"{similarity['linear autoencoder and PCA, 10 components']:.2f} of PCA's "
            f"10-dimensional subspace (chance: {similarity['two random subspaces']:.2f})") in words
    assert f"its test error, {linear:.5f}, is below every non-linear" in words
    assert linear < min(baselines[f"autoencoder b={b}"] for b in (100, 50, 25, 10, 5))
    assert linear > 1e6 * baselines["PCA, 10 components (the rank)"]  # "far above"


def test_full_profile_search_is_quoted_as_it_ran():
    """Notebook 6 quotes the full run: its time, depths, bests, random search and test scores."""
    full = results("vae_search.json")
    random = full["random_search"]
    assert random["budget"] == len(full["evaluated"]) == len(random["evaluated"])
    words = source_words("06_vae_search")
    assert (f"in {full['wall_time_s']:,.0f} s, about {round(full['wall_time_s'] / 60)} "
            f"minutes") in words
    by_depth = {int(depth): row for depth, row in full["by_depth"].items()}
    counts = {depth: row["architectures"] for depth, row in by_depth.items()}
    assert (f"{counts[4]} and {counts[5]} of the {len(full['evaluated'])} trained "
            f"architectures, against {counts[7]} of depth 7") in words
    assert 3 not in counts and "(depth 3 in that run)" in words
    best = full["best"]
    for objective, digits in (("loss", 1), ("silhouette", 3)):
        quoted = f"{best[objective]['units']}, {best[objective][objective]:.{digits}f})"
        assert quoted in words, quoted

    def at_depth(metric, depth):
        return [row[metric] for row in full["evaluated"] if row["layers"] == depth]

    depth_2 = at_depth("silhouette", 2)
    silhouettes = [row["silhouette"] for row in full["evaluated"]]
    mean_silhouettes = [row["silhouette"] for row in by_depth.values()]
    assert (f"all {len(silhouettes)} silhouettes lie between {min(silhouettes):.2f} and "
            f"{max(silhouettes):.2f} (those of depth 2 alone between {min(depth_2):.2f} and "
            f"{max(depth_2):.2f}) while the mean silhouette per depth spans only "
            f"{min(mean_silhouettes):.3f} to {max(mean_silhouettes):.3f}") in words
    deep = [by_depth[depth]["loss"] for depth in (4, 5, 6, 7)]
    assert f"within {max(deep) / min(deep) - 1:.1%}".replace("%", " %") in words
    assert (f"a mean loss of {by_depth[2]['loss']:.1f} against {min(deep):.1f} to "
            f"{max(deep):.1f}") in words
    assert (f"random search with the same budget ({random['budget']} architectures, depths "
            f"{min(r['layers'] for r in random['evaluated'])} to "
            f"{max(r['layers'] for r in random['evaluated'])} including the depth 3") in words
    assert 3 in {row["layers"] for row in random["evaluated"]}
    assert (f"best loss of {random['best']['best loss']:.1f} against evolution's "
            f"{best['loss']['loss']:.1f} but a best silhouette of "
            f"{random['best']['best silhouette']:.3f} against "
            f"{best['silhouette']['silhouette']:.3f}") in words
    test = {(row["chosen by"], row["search"]): row for row in full["test_scores"]}
    assert (f"the choices by loss reach {test['loss', 'random search']['test loss']:.1f} "
            f"(random) and {test['loss', 'evolution']['test loss']:.1f} (evolution), those by "
            f"silhouette {test['silhouette', 'random search']['test silhouette']:.3f} and "
            f"{test['silhouette', 'evolution']['test silhouette']:.3f}") in words
    # "Each search wins one objective, by less than the spread within a depth."
    loss_gap = abs(random["best"]["best loss"] - best["loss"]["loss"])
    silhouette_gap = abs(random["best"]["best silhouette"] - best["silhouette"]["silhouette"])
    assert (random["best"]["best loss"] < best["loss"]["loss"]) == (
        random["best"]["best silhouette"] < best["silhouette"]["silhouette"])
    assert loss_gap < max(at_depth("loss", 5)) - min(at_depth("loss", 5))
    assert silhouette_gap < max(depth_2) - min(depth_2)


# ---------------------------------------------------------------- the student profile's runs

def test_every_claim_holds_in_the_student_profile():
    """Rerun ``python -m benchmarks.student_profile`` after changing a budget or a claim."""
    measured = results("student_profile.json")["notebooks"]
    assert set(measured) == set(notebooks.assignments())
    for assignment, run in measured.items():
        budget = {key: value for key, value in run["budget"].items()
                  if key not in ("notebook", "profile")}
        assert budget == BUDGETS[assignment]["student"], f"{assignment}: stale student run"
        names = [function.__name__ for function in claims.CLAIMS.get(assignment, [])]
        assert sorted(run["claims"]) == sorted(names), f"{assignment}: stale claims"
        assert {name: verdict for name, verdict in run["claims"].items()
                if verdict != "holds"} == {}, assignment
