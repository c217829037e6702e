"""Metrics for reconstructions and latent codes."""

import numpy as np


def reconstruction_error(model, x, batch_size=4096):
    """Return the mean squared error between ``x`` and the model's reconstruction of it."""
    from aecourse.training import predict_batched

    reconstruction = predict_batched(model, x, batch_size)
    return float(np.mean((np.asarray(x) - reconstruction) ** 2))


def adjusted_rand(true_labels, cluster_labels):
    """Return the adjusted Rand index: 1 for a perfect match with the classes, ~0 for chance."""
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(true_labels, cluster_labels))


def latent_silhouette(codes, labels, sample_size=None, random_state=0):
    """Return the silhouette of ``codes`` grouped by ``labels`` (-1 to 1, higher = separated)."""
    from sklearn.metrics import silhouette_score

    if len(set(np.asarray(labels).tolist())) < 2:
        raise ValueError("The silhouette needs at least two distinct labels.")
    return float(silhouette_score(codes, labels, sample_size=sample_size,
                                  random_state=random_state))


def kmeans_silhouette(codes, n_clusters=10, seed=0):
    """Return the silhouette of the k-means clusters of ``codes`` (-1 to 1, higher = tighter)."""
    from sklearn.cluster import KMeans

    clusters = KMeans(n_clusters=n_clusters, n_init=10, random_state=seed).fit_predict(codes)
    return latent_silhouette(codes, clusters)


def knn_accuracy(train_codes, train_labels, test_codes, test_labels, n_neighbors=5):
    """Return the accuracy of a k-nearest-neighbour classifier fitted on the training codes."""
    from sklearn.neighbors import KNeighborsClassifier

    classifier = KNeighborsClassifier(n_neighbors=n_neighbors)
    classifier.fit(train_codes, train_labels)
    return float(classifier.score(test_codes, test_labels))


def probe_accuracy(train_features, train_labels, test_features, test_labels):
    """Return the test accuracy of a standardised logistic regression fitted on the features."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    probe.fit(train_features, train_labels)
    return float(probe.score(test_features, test_labels))


def ladder_choice(sizes, scores, min_gain):
    """Return the first size whose next (larger) size raises the score by less than ``min_gain``.

    The largest size is returned when every step still gains: the ladder is too short.
    """
    ladder = sorted(zip(sizes, scores, strict=True))
    for (size, score), (_, next_score) in zip(ladder, ladder[1:], strict=False):
        if next_score - score < min_gain:
            return size
    return ladder[-1][0]


def permutation_importance(model, x, seed=0):
    """Return, per feature, how much the reconstruction MSE grows when that column is shuffled.

    All shuffled copies are reconstructed with one batched call.
    """
    from .training import predict_batched

    x = np.asarray(x, dtype="float32")
    rng = np.random.default_rng(seed)
    copies = np.repeat(x[None], x.shape[1], axis=0)
    for feature in range(x.shape[1]):
        copies[feature, :, feature] = rng.permutation(x[:, feature])
    reconstructed = predict_batched(model, copies.reshape(-1, x.shape[1])).reshape(copies.shape)
    shuffled_mse = np.mean((reconstructed - x[None]) ** 2, axis=(1, 2))
    return shuffled_mse - np.mean((predict_batched(model, x) - x) ** 2)
