"""The evolutionary search: architectures, the seed's mutation rule, selection and the cache."""

import numpy as np
import pytest

from aecourse import search, vae
from aecourse.models import dense_layer_sizes


def test_random_architectures_start_with_the_input_size_and_shrink():
    rng = np.random.default_rng(0)
    population = search.random_population(20, rng, input_dim=784)
    assert len({tuple(units) for units in population}) == 20
    for units in population:
        assert units[0] == 784 and 2 <= len(units) <= 7
        assert units[1:] == sorted(units[1:], reverse=True)
        assert all(16 <= size <= 512 for size in units[1:])


def test_mutation_follows_the_seed_rule():
    assert search.mutate([784, 100, 50, 20], np.random.default_rng(0)) == [784, 101, 52, 23]
    deep = [784, 500, 400, 300, 200]
    removed = set()
    for seed in range(100):
        mutant = search.mutate(deep, np.random.default_rng(seed))
        assert len(mutant) == 4 and mutant[0] == 784
        assert mutant == search.mutate(deep, np.random.default_rng(seed))
        removed |= set(deep) - set(mutant)
    assert removed == {500, 400, 300, 200}
    assert deep == [784, 500, 400, 300, 200]


def test_is_better_depends_on_the_objective():
    assert search.is_better(0.6, 0.5, "silhouette") and not search.is_better(0.5, 0.5, "silhouette")
    assert search.is_better(290.0, 300.0, "loss") and not search.is_better(300.0, 300.0, "loss")


def fake_scores(units):
    """A deterministic stand-in for training: wider first hidden layers score better."""
    return {"layers": len(units), "parameters": sum(units), "loss": 1000.0 / sum(units),
            "silhouette": -abs(len(units) - 4) + 0.001 * sum(units)}


@pytest.mark.parametrize("objective", ["loss", "silhouette"])
def test_evolve_keeps_only_improving_mutants(objective):
    population = search.random_population(6, np.random.default_rng(0))
    final, curve = search.evolve(population, fake_scores, objective, 3, np.random.default_rng(1))
    assert len(final) == 6 and len(curve) == 4
    steps = np.diff(curve)
    assert np.all(steps >= 0) if objective == "silhouette" else np.all(steps <= 0)
    for (units, result), start in zip(final, population, strict=True):
        assert result == fake_scores(units)
        assert not search.is_better(fake_scores(start)[objective], result[objective], objective)
    with pytest.raises(ValueError, match="objective must be one of"):
        search.evolve(population, fake_scores, "accuracy", 1, np.random.default_rng(0))


def test_random_search_spends_the_budget_on_distinct_architectures_start_first():
    start = search.random_population(4, np.random.default_rng(0))
    calls = []
    evaluated = search.random_search(lambda units: calls.append(units) or fake_scores(units),
                                     budget=11, candidates=search.random_candidates(
                                         np.random.default_rng(2), start))
    assert [units for units, _ in evaluated][:4] == start and len(calls) == 11
    assert len({tuple(units) for units, _ in evaluated}) == 11
    best = search.best_scores(evaluated)
    assert best["best loss"] == min(fake_scores(units)["loss"] for units in calls)
    assert best["best silhouette"] == max(fake_scores(units)["silhouette"] for units in calls)
    assert len(search.random_search(fake_scores, 2, search.random_candidates(
        np.random.default_rng(0), start))) == 2


def test_random_search_skips_repeats_and_draws_no_candidate_beyond_its_budget():
    drawn = []

    def candidates():
        for units in ([784, 9], [784, 8], [784, 9], [784, 7], [784, 6]):
            drawn.append(units)
            yield units

    evaluated = search.random_search(fake_scores, 3, candidates())
    assert [units for units, _ in evaluated] == [[784, 9], [784, 8], [784, 7]]
    assert len(drawn) == 4
    # The same draws as a population: random_population and random_search agree.
    rng_a, rng_b = np.random.default_rng(5), np.random.default_rng(5)
    assert search.random_population(6, rng_a) == [units for units, _ in search.random_search(
        fake_scores, 6, search.random_candidates(rng_b))]


def test_mirror_vae_decoder_reverses_the_encoder():
    model = vae.build_mirror_vae([30, 12, 5], latent_dim=3)
    assert dense_layer_sizes(model.encoder) == [30, 12, 5, 3, 3]
    assert dense_layer_sizes(model.decoder) == [5, 12, 30]
    assert model.decoder.layers[-1].activation.__name__ == "sigmoid"
    assert model(np.zeros((2, 30), "float32")).shape == (2, 30)
    with pytest.raises(ValueError, match="positive layer sizes"):
        vae.build_mirror_vae([30, 0])


def test_architecture_scores_train_each_architecture_once():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(96, 30)).astype("float32")
    scores = search.ArchitectureScores(x[:64], x[64:], epochs=1, batch_size=32, n_clusters=3)
    first = scores([30, 8])
    assert scores([30, 8]) is first and scores((30, 8)) is first
    assert (scores.requests, scores.trained) == (3, 1)
    assert set(first) == {"layers", "parameters", "loss", "silhouette"}
    assert first["layers"] == 2 and first["loss"] > 0 and -1 <= first["silhouette"] <= 1
    scores([30, 6, 4])
    table = scores.table()
    assert list(table["units"]) == ["30-8", "30-6-4"] and scores.trained == 2
