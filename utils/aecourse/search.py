"""Evolutionary architecture search for a mirrored VAE, scored by loss or latent silhouette.

An architecture is a list of Dense layer sizes whose first entry is the input size (see
``vae.build_mirror_vae``). Evaluations are the cost, so ``ArchitectureScores`` trains each
distinct architecture once and serves every later request from its cache.
"""

import time

# The two objectives, each with whether a higher value is better.
OBJECTIVES = {"loss": False, "silhouette": True}


def random_architecture(rng, input_dim=784, depth_range=(2, 7), unit_range=(16, 512)):
    """Return ``[input_dim, *sizes]``: a random depth, the sizes drawn and sorted decreasing."""
    depth = int(rng.integers(depth_range[0], depth_range[1] + 1))
    sizes = sorted(rng.integers(unit_range[0], unit_range[1] + 1, size=depth - 1).tolist(),
                   reverse=True)
    return [input_dim, *sizes]


def random_candidates(rng, start=(), input_dim=784, **ranges):
    """Yield the architectures of ``start``, then random ones for ever (repeats possible)."""
    yield from (list(units) for units in start)
    while True:
        yield random_architecture(rng, input_dim, **ranges)


def first_distinct(candidates, count):
    """Return the first ``count`` distinct architectures of ``candidates``, in order."""
    taken = []
    if count < 1:
        return taken
    for units in candidates:
        if list(units) not in taken:
            taken.append(list(units))
            if len(taken) == count:  # no candidate drawn beyond the last one needed
                break
    return taken


def random_population(size, rng, input_dim=784, start=(), **ranges):
    """Return ``size`` distinct architectures: ``start`` first, then random ones."""
    return first_distinct(random_candidates(rng, start, input_dim, **ranges), size)


def random_search(score, budget, candidates):
    """Score the first ``budget`` distinct architectures of ``candidates``, each once, in order;
    return ``[(units, score_dict)]`` (the baseline an evolutionary search must beat)."""
    return [(units, score(units)) for units in first_distinct(candidates, budget)]


def best_scores(evaluated):
    """Return the best loss (lowest) and best silhouette (highest) of ``(units, scores)`` pairs
    (a list, or a cache's ``items()``)."""
    results = [result for _, result in evaluated]
    return {"best loss": min(result["loss"] for result in results),
            "best silhouette": max(result["silhouette"] for result in results)}


def choose(evaluated, objective):
    """Return the ``(units, scores)`` pair a search hands back: the best by ``objective``."""
    pick = max if OBJECTIVES[objective] else min
    return pick(evaluated, key=lambda pair: pair[1][objective])


def mutate(units, rng):
    """Apply the seed's rule: over 4 layers, drop a random one (never the first, the input
    size); otherwise add k units to the layer at position k."""
    units = list(units)
    if len(units) > 4:
        del units[int(rng.integers(1, len(units)))]
        return units
    return [size + position for position, size in enumerate(units)]


def is_better(candidate_score, current_score, objective):
    """Return True if ``candidate_score`` strictly beats ``current_score`` for ``objective``."""
    if OBJECTIVES[objective]:
        return candidate_score > current_score
    return candidate_score < current_score


class ArchitectureScores:
    """Train a mirrored VAE per architecture once; return its loss and silhouette from cache.

    ``x_train`` trains, ``x_held_out`` scores: the loss is the VAE loss (KL averaged, as in the
    seed) on the held-out images, the silhouette that of k-means on their latent means. With
    ``x_test``, each result also holds ``"test loss"`` and ``"test silhouette"``, scored the same
    way on those images: a search selects on the held-out scores and reports its choice's test
    scores once, so the test images never steer it.
    """

    def __init__(self, x_train, x_held_out, epochs, batch_size, latent_dim=2, n_clusters=10,
                 seed=0, build=None, fitness=None, x_test=None):
        """``build(units, latent_dim)`` returns an untrained ``vae.VAE`` (default:
        ``vae.build_mirror_vae``); ``fitness(encoder, images, n_clusters, seed)`` returns the
        silhouette (default: ``metrics.kmeans_silhouette`` of the held-out latent means)."""
        self.x_train, self.x_held_out, self.x_test = x_train, x_held_out, x_test
        self.epochs, self.batch_size, self.latent_dim = epochs, batch_size, latent_dim
        self.n_clusters, self.seed = n_clusters, seed
        self.build, self.fitness = build, fitness
        self.cache, self.requests, self.seconds = {}, 0, 0.0

    def __call__(self, units):
        """Return ``{"loss", "silhouette", "layers", "parameters"}`` for ``units``."""
        self.requests += 1
        key = tuple(int(size) for size in units)
        if key not in self.cache:
            start = time.perf_counter()
            self.cache[key] = self._train_and_score(list(key))
            self.seconds += time.perf_counter() - start
        return self.cache[key]

    def _train_and_score(self, units):
        import keras

        from aecourse.repro import set_seed

        set_seed(self.seed)
        if self.build is None:
            from aecourse.vae import build_mirror_vae as build
        else:
            build = self.build
        vae = build(units, self.latent_dim)
        vae.compile(optimizer=keras.optimizers.Adam(1e-3))
        vae.fit(self.x_train, epochs=self.epochs, batch_size=self.batch_size, verbose=0)
        result = {"layers": len(units), "parameters": vae.count_params(),
                  **self._scores(vae, self.x_held_out)}
        if self.x_test is not None:
            result.update({f"test {name}": score
                           for name, score in self._scores(vae, self.x_test).items()})
        return result

    def _scores(self, vae, images):
        """Return ``{"loss", "silhouette"}`` of a trained ``vae`` on ``images``."""
        import numpy as np

        from aecourse.vae import evaluate_vae

        loss = evaluate_vae(vae, images, seed=self.seed)["loss"]
        if self.fitness is None:
            from aecourse.metrics import kmeans_silhouette

            codes = np.asarray(vae.encoder(images, training=False)[0])  # z_mean
            return {"loss": loss, "silhouette": kmeans_silhouette(codes, self.n_clusters,
                                                                  self.seed)}
        return {"loss": loss, "silhouette": float(self.fitness(vae.encoder, images,
                                                               self.n_clusters, self.seed))}

    def table(self):
        """Return every architecture trained so far as a ``population_table``."""
        return population_table([(list(units), result) for units, result in self.cache.items()])

    @property
    def trained(self):
        """How many distinct architectures were trained."""
        return len(self.cache)


def select_better(population, scores, mutants, mutant_scores, higher_is_better):
    """Keep each mutant only where it strictly beats its parent; return (population, scores)."""
    objective = "silhouette" if higher_is_better else "loss"
    kept = [(mutant, mutant_score) if is_better(mutant_score, score, objective)
            else (units, score)
            for units, score, mutant, mutant_score in zip(population, scores, mutants,
                                                          mutant_scores, strict=True)]
    return [units for units, _ in kept], [score for _, score in kept]


def evolve(population, score, objective, rounds, rng, mutation=None, selection=None):
    """Run the seed's search: each round, mutate every individual and keep the better one.

    ``score(units)`` returns a dict with the ``objective`` key; ``mutation(units, rng)`` and
    ``selection(population, scores, mutants, mutant_scores, higher_is_better)`` default to
    ``mutate`` and ``select_better`` (notebook 6 passes the student's own). Returns
    ``(final, curve)``: the final population as ``[(units, score_dict)]`` and the best-so-far
    score after round 0 (the random population) and every round.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {sorted(OBJECTIVES)}, got {objective!r}")
    mutation, selection = mutation or mutate, selection or select_better
    current = [(list(units), score(units)) for units in population]
    best = max if OBJECTIVES[objective] else min
    curve = [best(result[objective] for _, result in current)]
    for _ in range(rounds):
        mutants = [list(mutation(units, rng)) for units, _ in current]
        results = [score(mutant) for mutant in mutants]
        kept, _ = selection([units for units, _ in current],
                            [result[objective] for _, result in current], mutants,
                            [result[objective] for result in results], OBJECTIVES[objective])
        current = [(mutant, result) if list(units) == mutant else old
                   for units, mutant, result, old in zip(kept, mutants, results, current,
                                                         strict=True)]
        curve.append(best([curve[-1], *(result[objective] for _, result in current)]))
    return current, curve


def population_table(population):
    """Return a DataFrame of a population: layers, units, parameters, loss and silhouette."""
    import pandas as pd

    rows = [{"layers": len(units), "units": "-".join(str(size) for size in units),
             "parameters": result["parameters"], "loss": result["loss"],
             "silhouette": result["silhouette"]} for units, result in population]
    return pd.DataFrame(rows)

