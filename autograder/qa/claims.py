"""What each notebook says, checked against one executed run of it, in any profile.

    python -m autograder.qa.claims path/to/executed/04_vae.ipynb

A claim is a function of an executed notebook that raises ``AssertionError`` when the run
contradicts the notebook's text. ``tests/test_claims.py`` applies them to the reference notebooks
(fast profile) and checks the full profile's results in ``benchmarks/results/``;
``benchmarks/student_profile.py`` applies them to the student profile's runs and records the
verdicts.
"""

import re
import sys
from pathlib import Path

import nbformat

from aecourse.metrics import ladder_choice

CLAIMS = {}  # {assignment: [claim functions]}


def claim(assignment):
    """Register a claim of ``assignment``'s notebook."""
    def register(function):
        CLAIMS.setdefault(assignment, []).append(function)
        return function
    return register


def verdicts(assignment, nb):
    """Return ``{claim: "holds" or "fails: why"}`` for one executed run of ``assignment``."""
    found = {}
    for function in CLAIMS.get(assignment, []):
        try:
            function(nb)
            found[function.__name__] = "holds"
        except Exception as error:
            # A missing output or an unparsable line contradicts the text as much as a number.
            found[function.__name__] = f"fails: {type(error).__name__}: {error}"[:500]
    return found


# ---------------------------------------------------------------- reading a run

def text(nb):
    """Return the notebook's markdown, with its line breaks folded into spaces."""
    return " ".join("\n".join(cell.source for cell in nb.cells
                              if cell.cell_type == "markdown").split())


def code_cell(nb, marker):
    return next(cell for cell in nb.cells if cell.cell_type == "code" and marker in cell.source)


def printed(nb, marker):
    """Return the stdout of the first code cell whose source contains ``marker``."""
    return "".join(output.get("text", "") for output in code_cell(nb, marker).outputs
                   if output.get("name") == "stdout")


def displayed(nb, marker):
    """Return the text/plain of the first code cell whose source contains ``marker``."""
    return next(output["data"]["text/plain"] for output in code_cell(nb, marker).outputs
                if "data" in output and "text/plain" in output["data"])


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


def graded_points(nb):
    """Return ``{grade_id: points}`` of the notebook's graded cells."""
    return {cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"].get("points")
            for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")}


# ---------------------------------------------------------------- 1: Wine

@claim("01_wine_basics")
def conclusion_reads_the_ari_of_the_run(nb):
    assert "confirms" not in text(nb), "the text asserts what the ARI must decide"
    shown = printed(nb, "verdict = ")
    code_ari, raw_ari = map(float, re.search(
        r"ARI against the cultivars: (-?[\d.]+) on the 3 latent units, (-?[\d.]+) on all 13",
        shown).groups())
    verdict = "kept most of" if code_ari >= raw_ari - 0.1 else "lost much of"
    assert f"the code {verdict} the cultivar structure" in shown, shown
    shares = re.search(r"share of wines at exactly 0, per latent unit: \[([^\]]*)\]", shown)
    assert len(shares.group(1).split()) == 3, shown


@claim("01_wine_basics")
def loss_curve_is_read_with_the_tutorials_rules(nb):
    words = text(nb)
    for rule in ("**decreasing**", "**stabilisation**", "**overfitting**", "**still learning**"):
        assert rule in words, rule
    first, last, change, reading = re.search(
        r"loss ([\d.]+) after epoch 1, ([\d.]+) after epoch \d+; ([-+][\d.]+)% over the last "
        r"\d+ epochs: (.+)", printed(nb, "reading = ")).groups()
    expected = ("still decreasing" if float(change) < -1 else "rising" if float(change) > 1
                else "stabilised")
    assert reading.strip() == expected and float(last) < float(first), (reading, change)


@claim("01_wine_basics")
def a_curve_still_falling_is_still_learning_not_underfitting(nb):
    """"still learning" comes before the underfitting rule, and the plain model is labelled."""
    source = code_cell(nb, "def diagnose_fit").source
    assert source.index('"still learning"') < source.index('"underfitting"')
    label = printed(nb, '"13 → 3 → 13, no regularisation:"').split(":")[-1].strip()
    assert label in ("still learning", "good fit", "overfitting", "underfitting"), label
    words = text(nb)
    assert "*under-trained*" in words and "not underfitting" in words


@claim("01_wine_basics")
def seeding_repeats_a_run_and_another_seed_changes_it(nb):
    shown = printed(nb, "weights identical")
    assert re.search(r"^seed 0 again .*identical to the first run: True$", shown, re.MULTILINE)
    assert re.search(r"^seed 1 .*identical to the first run: False$", shown, re.MULTILINE)
    words = text(nb)
    assert "**initial weights**" in words and "**the order of the mini-batches**" in words


@claim("01_wine_basics")
def positive_weight_claim_meets_a_counterexample_of_the_run(nb):
    shown = printed(nb, "no_positive = ")
    no_positive = re.search(r"features with no positive weight: (.*)", shown).group(1).split(", ")
    ranks = {name: int(values[-1]) for name, values in
             table_rows(displayed(nb, "no_positive = ")).items()}
    assert no_positive != ["(none)"] and any(ranks[name] <= 6 for name in no_positive), ranks
    graded = graded_points(nb)
    assert graded["question_positive_weights"] == 2 and graded["question_dead_units"] == 2


@claim("01_wine_basics")
def range_test_suggests_a_rate_well_below_the_blow_up(nb):
    words = text(nb)
    for guideline in ("**typical range**", "**schedules**", "**learning-rate finder**"):
        assert guideline in words, guideline
    steepest, stopped = map(float, re.search(
        r"falls fastest at a learning rate of about ([\d.e+-]+); the test stopped at ([\d.e+-]+)",
        printed(nb, "steepest_learning_rate(")).groups())
    # "a good rate lies where the loss falls fastest, well below the rate where it blows up"
    assert 1e-5 < steepest <= stopped / 10, (steepest, stopped)


FIT_LABELS = ("diverged", "overfitting", "still learning", "underfitting", "good fit")


@claim("01_wine_basics")
def verdicts_and_cluster_counts_of_the_run_are_well_formed(nb):
    """The fit verdicts and DBSCAN's counts follow from training, so the reference check leaves
    them out (nbval_sanitize.cfg): each verdict must still be one of the rules' labels, and
    the counts must fit the 178 wines."""
    comparison = displayed(nb, 'rows["13-3-13 L1, lr=1"]')
    # The diagnosis is the table's last column, maybe after the ARI when pandas wraps the table.
    labelled = re.findall(
        rf"^(13-\S*(?: L1)?(?: \(1e-1\))?(?:, lr=1)?) +(?:-?[\d.]+ +|NaN +)?"
        rf"({'|'.join(FIT_LABELS)}) *$", comparison, flags=re.MULTILINE)
    assert [name for name, _ in labelled] == ["13-3-13", "13-3-13 L1", "13-3-13 L1 (1e-1)",
                                              "13-32-16-3 L1", "13-3-13 L1, lr=1"], comparison
    agreement = displayed(nb, "agreement = pd.DataFrame")
    found, noise = map(int, re.search(r"^DBSCAN +(\d+) +(\d+) ", agreement,
                                      flags=re.MULTILINE).groups())
    assert 0 <= noise <= 178 and (found >= 1 or noise == 178), agreement
    assert re.search(r"^KMeans +3 +0 ", agreement, flags=re.MULTILINE), agreement


@claim("01_wine_basics")
def l1_is_read_at_a_strength_that_matters_and_pca_is_the_yardstick(nb):
    """The tutorial's L1 (1e-4) is a negligible share of the loss and changes nothing; 1e-1 is a
    real share and shrinks the codes; PCA with 3 components beats every autoencoder of the run
    and the mean predictor sits near 1, as the guides say."""
    shares = {float(strength): (float(share), float(size)) for strength, share, size in
              re.findall(r"L1 ([\d.e-]+): the penalty is ([\d.]+)% of the training loss; mean "
                         r"\|code\| ([\d.]+)", printed(nb, "penalised, penalised_histories"))}
    assert shares[1e-4][0] < 0.1 and shares[0.1][0] > 2, shares
    assert shares[0.1][1] < shares[1e-4][1], shares
    comparison = displayed(nb, 'rows["13-3-13 L1, lr=1"]')
    # The first block of the wrapped table: train loss, validation loss, validation MSE.
    rows = table_rows(comparison)
    mse = {name: values[2] for name, values in rows.items()}
    # The second: KMeans ARI, then the diagnosis (NaN where absent).
    ari = {name: float(value) for name, value in re.findall(
        rf"^(\S.*?) +(-?[\d.]+|NaN) +(?:{'|'.join(FIT_LABELS)}|NaN) *$", comparison,
        flags=re.MULTILINE)}
    assert abs(mse["13-3-13 L1"] - mse["13-3-13"]) <= 0.03, mse
    autoencoders = ("13-3-13", "13-3-13 L1", "13-3-13 L1 (1e-1)", "13-32-16-3 L1")
    assert mse["PCA, 3 components"] < min(mse[name] for name in autoencoders), mse
    assert ari["PCA, 3 components"] > max(ari[name] for name in autoencoders), ari
    assert 0.8 < mse["predict the training mean"] < 1.2, mse
    assert abs(rows["13-3-13 L1, lr=1"][1] - mse["predict the training mean"]) < 0.2, rows


# ---------------------------------------------------------------- 2: depth

def depth_relations(results):
    """``{metric: [1, 2, 3 hidden layers]}``: loss falls and kNN accuracy rises with depth, and
    3 layers beat 1 on every metric ("all improve from 1 to 3 hidden layers")."""
    loss, knn, silhouette = (results[m] for m in ("test loss (BCE)", "kNN accuracy",
                                                    "silhouette"))
    assert loss[0] > loss[1] > loss[2], f"test loss by depth: {loss}"
    assert knn[0] < knn[1] < knn[2], f"kNN accuracy by depth: {knn}"
    assert silhouette[2] > silhouette[0], f"silhouette by depth: {silhouette}"


@claim("02_depth_study")
def depth_improves_the_loss_and_the_latent_quality(nb):
    rows = table_rows(displayed(nb, "train_codes = "))
    by_depth = [rows["1 hidden layer"], rows["2 hidden layers"], rows["3 hidden layers"]]
    metrics = ("test loss (BCE)", "kNN accuracy", "silhouette")
    depth_relations({metric: [row[column] for row in by_depth]
                     for column, metric in enumerate(metrics)})


# ---------------------------------------------------------------- 3: latent size

def latent_size_tables(nb):
    """Return the run's ``(reconstruction MSE, probe accuracy)``: ``{size: [AE, PCA]}``."""
    return (table_rows(displayed(nb, "reconstruction.round(4)")),
            table_rows(displayed(nb, "probe.round(3)")))


def latent_size_relations(mse, probe):
    """The guide's relations: the AE wins at z = 2, and its lead in probe accuracy shrinks."""
    assert mse["2"][0] < mse["2"][1], f"z = 2: AE MSE {mse['2'][0]} vs PCA {mse['2'][1]}"
    assert probe["2"][0] > probe["2"][1], f"z = 2: AE probe {probe['2'][0]} vs {probe['2'][1]}"
    assert abs(probe["64"][0] - probe["64"][1]) < probe["2"][0] - probe["2"][1], probe


@claim("03_latent_size")
def latent_size_guide_relations_hold(nb):
    words = text(nb)
    assert "0.038 vs 0.056" not in words and "0.917 for both" not in words
    latent_size_relations(*latent_size_tables(nb))


@claim("03_latent_size")
def ladder_rule_picks_a_size_inside_the_ladder(nb):
    """The within-10 %-of-best rule returns the top of the ladder; the ladder rule must not."""
    table = displayed(nb, "ladder_choice(")
    picks = dict(re.findall(r"^(AE|PCA): ladder rule, probe gain < 2 points +(\d+)$", table,
                            flags=re.MULTILINE))
    assert set(picks) == {"AE", "PCA"} and all(int(z) < 64 for z in picks.values()), table


def ladder_picks_below_the_top(probe_by_method):
    """``probe_by_method``: ``{method: {size: accuracy}}``, e.g. the full profile's results."""
    for method, accuracy in probe_by_method.items():
        sizes = [int(size) for size in accuracy]
        assert ladder_choice(sizes, list(accuracy.values()), 0.02) < max(sizes), method


# ---------------------------------------------------------------- 4: VAE

def vae_tables(nb):
    """Return the run's latent spread and KL comparison tables: ``{row: [numbers]}``."""
    return {"spread": table_rows(displayed(nb, "latent_spread(codes)")),
            "kl": table_rows(displayed(nb, "kl_comparison = "))}


def vae_spread_relations(tables):
    """Averaged-KL codes are wider than N(0, I); summing the KL pulls them in, at a price."""
    share = "share in [-2, 2]^2"
    averaged_64, averaged_16, prior = tables["spread"][share]
    assert abs(prior - 0.91) < 0.02, f"N(0, I) puts {prior} in the square"
    assert averaged_64 < prior - 0.1 and averaged_16 < prior - 0.1, tables["spread"]  # "well below"
    kl = tables["kl"]
    assert kl[share][1] > kl[share][0], f"summing the KL pulls the codes in: {kl[share]}"
    assert kl["test reconstruction loss"][1] > kl["test reconstruction loss"][0], kl
    assert kl["test KL (summed)"][1] < kl["test KL (summed)"][0], kl


@claim("04_vae")
def codes_are_wider_than_the_prior_and_summing_the_kl_pulls_them_in(nb):
    words = text(nb)
    assert "every grid point in [-2, 2]" not in words and "around the origin" not in words
    vae_spread_relations(vae_tables(nb))


@claim("04_vae")
def sixty_four_units_beat_sixteen(nb):
    table = table_rows(displayed(nb, "seed_table = "))
    # columns: epochs, batch size, learning rate, train loss, test loss, ...
    assert table["64"][4] < table["16"][4], f"test loss 64: {table['64'][4]}, 16: {table['16'][4]}"


@claim("04_vae")
def cluster_quality_is_measured_and_the_collapse_verdict_reads_the_kl(nb):
    """Question B's "better separated clusters" is measured, not asserted; the printed list of
    collapsed dimensions is what the KL per dimension says."""
    assert "better separated digit clusters;" not in text(nb)
    quality = table_rows(displayed(nb, "quality = pd.DataFrame"))
    vaes = ["VAE 64 units, KL averaged", "VAE 16 units, KL averaged", "VAE 64 units, KL summed",
            "VAE 64 units, β = 0.1 (KL summed)", "VAE 64 units, β = 4 (KL summed)"]
    assert set(quality) == {"plain autoencoder, 64 units", *vaes}, quality
    for name in vaes:
        accuracy, silhouette, *kl = quality[name]
        assert 0.1 < accuracy <= 1 and -1 <= silhouette <= 1 and len(kl) == 2, quality[name]
    shown = printed(nb, "quality = pd.DataFrame")
    collapsed = {f"{name}: z {j + 1}" for name in vaes for j in range(2)
                 if quality[name][2 + j] < 0.05}
    listed = shown.split("(collapsed):", 1)[1].strip()
    assert (set(listed.split(", ")) if listed != "none" else set()) == collapsed, shown


@claim("04_vae")
def a_larger_beta_trades_reconstruction_for_a_smaller_kl(nb):
    """The beta sweep's text: as beta grows the KL falls and more codes sit inside [-2, 2]^2;
    from beta = 1/2 up, reconstruction worsens, and beta = 4 reconstructs worst (beta = 0.1 need
    not reconstruct best: in the full run it does not); the ELBO column is reconstruction plus
    the summed KL."""
    rows = table_rows(displayed(nb, "beta_sweep = "))
    assert rows["β, 64 units"] == [0.1, 0.5, 1.0, 4.0], rows
    reconstruction, kl = rows["test reconstruction loss"], rows["test KL (summed)"]
    share = rows["share in [-2, 2]^2"]
    assert reconstruction[1:] == sorted(reconstruction[1:]), reconstruction
    assert reconstruction[-1] == max(reconstruction), reconstruction
    assert kl == sorted(kl, reverse=True), kl
    assert share == sorted(share), share
    for r, k, e in zip(reconstruction, kl, rows["test ELBO loss"], strict=True):
        assert abs(r + k - e) < 0.02, (r, k, e)


# ---------------------------------------------------------------- 5: bottleneck

def within_a_factor(value, other, factor=2.0):
    return other / factor <= value <= other * factor


def bottleneck_relations(best_test_mse, accuracy):
    """The guides' relations between the best test MSEs and the accuracies of the codes.

    Final MSEs are single draws of noisy curves (an epoch's spike can multiply one by several),
    so the guides compare the best ones: the same order, within a factor of 2 either way.
    """
    for name in ("b=50", "b=25"):
        assert within_a_factor(best_test_mse[name], best_test_mse["b=100"]), best_test_mse
    assert within_a_factor(best_test_mse["3 levels, b=50"], best_test_mse["b=50"]), best_test_mse
    raw = accuracy["raw features (100)"]
    for name in ("encoder b=100", "encoder b=50", "encoder 3 levels, b=50"):
        assert accuracy[name] > raw, f"{name}: {accuracy[name]} vs raw {raw}"
    assert accuracy["encoder b=5"] < raw, f"b=5: {accuracy['encoder b=5']} vs raw {raw}"


def baseline_errors(nb):
    """Return notebook 5's table of test MSEs: ``{row: MSE}`` (baselines and autoencoders)."""
    return {name.strip(): float(value) for name, value in
            re.findall(r"^(\S.*?)\s+(\d\.\d\de[-+]\d+)$", displayed(nb, "pca_test_mse(10)"),
                       flags=re.MULTILINE)}


@claim("05_bottleneck")
def errors_are_judged_against_the_mean_and_an_exact_pca(nb):
    assert "identity almost perfectly" not in text(nb)
    mse = baseline_errors(nb)
    assert mse["PCA, 10 components (the rank)"] < 1e-12, "the data have rank 10: exact"
    assert mse["PCA, 5 components"] > 1e-4, "below the rank, information is lost"
    autoencoders = [value for name, value in mse.items() if name.startswith("autoencoder")]
    assert len(autoencoders) == 5
    assert min(autoencoders) > 1e6 * mse["PCA, 10 components (the rank)"], mse


@claim("05_bottleneck")
def a_linear_autoencoder_that_could_be_exact_stays_far_from_pca(nb):
    """The control behind "the remaining error is the cost of gradient descent": a linear
    autoencoder of 10 units, which can represent the rank-10 data exactly, ends far above PCA
    and below the mean predictor; the printed shares are the table's."""
    assert "e+28" not in printed(nb, "pca_test_mse(10)"), "no ratio against rounding error"
    mse = baseline_errors(nb)
    linear, mean = mse["linear autoencoder, b=10"], mse["predict the training mean"]
    assert 1e6 * mse["PCA, 10 components (the rank)"] < linear < mean, mse
    best = min(value for name, value in mse.items() if name.startswith("autoencoder"))
    best_share, linear_share = map(int, re.search(
        r"best autoencoder keeps (\d+)% of the mean predictor's error; the linear one (\d+)%",
        printed(nb, "pca_test_mse(10)")).groups())
    for share, value in ((best_share, best), (linear_share, linear)):
        assert abs(share - 100 * value / mean) < 1.5, (share, value, mean)


@claim("05_bottleneck")
def the_linear_autoencoders_subspace_is_read_against_chance(nb):
    """Exercise 3's similarity: two random 10-dimensional subspaces of 100 columns share about
    10 / 100; the linear autoencoder's decoder is read between that and 1."""
    shown = printed(nb, "linear_similarity = ")
    linear = float(re.search(r"PCA with 10 components: subspace similarity ([\d.]+)", shown)[1])
    chance = float(re.search(r"two random 10-dimensional subspaces: ([\d.]+)", shown)[1])
    assert abs(chance - 0.1) < 0.05, chance
    assert chance < linear <= 1.0, (linear, chance)


@claim("05_bottleneck")
def bottleneck_guide_relations_hold(nb):
    words = text(nb)
    for full_number in ("0.0029", "0.933", "0.0042 vs 0.0023"):
        assert full_number not in words, full_number
    losses = table_rows(displayed(nb, 'final_losses(["b=100", "b=50", "b=25"])'))
    levels = table_rows(displayed(nb, 'final_losses(["b=50", "3 levels, b=50"])'))
    accuracy = {name: values[0] for name, values in
                table_rows(displayed(nb, "accuracies.round(3)")).items()}
    # columns: parameters, final train MSE, final test MSE, best test MSE
    bottleneck_relations({name: values[3] for name, values in {**losses, **levels}.items()},
                         accuracy)


# ---------------------------------------------------------------- 6: VAE search

@claim("06_vae_search")
def keras_3_removed_model_add_loss_not_layer_losses(nb):
    words = text(nb)
    assert "a loss cannot be attached" not in words
    assert "calls `self.add_loss(...)` inside its `call`" in words
    assert "`model.add_loss` on the model's symbolic tensors" in words


@claim("06_vae_search")
def the_seeds_kl_layer_is_graded_and_both_routes_agree(nb):
    assert graded_points(nb)["test_kl_layer"] == 2
    shown = printed(nb, "seed_vae.evaluate(")
    seed_route, package = map(float, re.findall(r"validation loss, [^:]+: ([\d.]+)", shown))
    assert abs(seed_route - package) < 0.1 * package, "both routes minimise the same loss"
    lines = printed(nb, "loss_by_depth = ")
    assert "apart)" in lines and "best silhouette" in lines, lines


@claim("06_vae_search")
def the_search_trains_each_architecture_once(nb):
    """How many architectures the search trains depends on trained numbers (its path), so the
    reference check leaves the counts out (nbval_sanitize.cfg); they must still add up."""
    shown = printed(nb, "scores.requests")
    requested, trained, cached = map(int, re.search(
        r"(\d+) evaluations requested, (\d+) architectures trained \((\d+) served from the "
        r"cache\)", shown).groups())
    population = len(re.findall(r"^\d+ +\d+ +784-", displayed(nb, "scores.requests"),
                                flags=re.MULTILINE))
    assert trained + cached == requested and population <= trained <= requested, shown


@claim("06_vae_search")
def random_search_has_the_evolutions_budget(nb):
    """The baseline spends what both evolutionary searches spent (as many architectures as they
    trained), and the comparison has its two rows with scores in range."""
    trained = int(re.search(r"(\d+) architectures trained", printed(nb, "scores.requests"))[1])
    shown = printed(nb, "random_runs = ")
    budget = int(re.search(r"random search over (\d+) distinct architectures", shown)[1])
    assert budget == trained, f"random search trained {budget}, evolution {trained}"
    rows = table_rows(displayed(nb, "random_runs = "))
    assert set(rows) == {"evolutionary search", "random search"}, rows
    for loss, silhouette in rows.values():
        assert loss > 0 and -1 <= silhouette <= 1, rows
    words = text(nb)
    assert "Does evolution beat chance?" in words and "Random search gets as many" in words


def main(argv=None):
    failed = 0
    for path in argv or sys.argv[1:]:
        nb = nbformat.read(path, as_version=4)
        assignment = Path(path).stem
        for name, verdict in verdicts(assignment, nb).items():
            print(f"{path}: {name}: {verdict}")
            failed += verdict != "holds"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
