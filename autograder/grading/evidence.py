"""What a correct answer computes, for judges in the grader's process.

A judge draws the same inputs as its probe (from ``grader_seed``) and checks the values the probe
handed back against these references: the outputs of a Dense network with the answer's own
weights, the noise of a sampling layer, a KL term. Each helper returns plain NumPy values or a
message; none reads anything from the kernel but the payload.
"""

import numpy as np

# Keras 3's defaults: the LeakyReLU layer's negative slope (0.3), BatchNormalization's epsilon.
ACTIVATIONS = {
    "linear": lambda values: values,
    "relu": lambda values: np.maximum(values, 0.0),
    "sigmoid": lambda values: 1.0 / (1.0 + np.exp(-values)),
    "leaky_relu": lambda values: np.where(values > 0, values, 0.3 * values),
}
BATCH_NORM_EPSILON = 1e-3


def arrays(weights):
    """Return a model's weights, handed over as nested lists, as float arrays."""
    return [np.asarray(weight, dtype=float) for weight in weights]


def dense_chain(weights, widths):
    """Return the ``(kernel, bias)`` of each Dense layer from ``widths[0]`` to ``widths[-1]``.

    The layers are found by shape among ``weights`` in any order (a kernel's bias is the vector
    after it); a Dense layer without a bias gets zeros. Raises ``AssertionError`` naming the
    missing layer.
    """
    weights = arrays(weights)
    used = set()
    chain = []
    for n_in, n_out in zip(widths[:-1], widths[1:], strict=True):
        found = next((i for i, weight in enumerate(weights)
                      if i not in used and weight.shape == (n_in, n_out)), None)
        assert found is not None, f"no Dense layer of {n_in} -> {n_out} units"
        used.add(found)
        bias = np.zeros(n_out)
        if found + 1 < len(weights) and weights[found + 1].shape == (n_out,) \
                and found + 1 not in used:
            bias = weights[found + 1]
            used.add(found + 1)
        chain.append((weights[found], bias))
    return chain


def dense_layers(weights, n_in, n_out):
    """Return the ``(kernel, bias)`` of every Dense layer of ``n_in -> n_out`` units, in order."""
    weights = arrays(weights)
    return [(kernel, weights[i + 1] if i + 1 < len(weights) and weights[i + 1].shape == (n_out,)
             else np.zeros(n_out))
            for i, kernel in enumerate(weights) if kernel.shape == (n_in, n_out)]


def dense_forward(inputs, chain, activations):
    """Return the outputs of the Dense layers ``chain`` with ``activations`` on ``inputs``."""
    values = np.asarray(inputs, dtype=float)
    for (kernel, bias), activation in zip(chain, activations, strict=True):
        values = ACTIVATIONS[activation](values @ kernel + bias)
    return values


def close(got, want, rtol=1e-4, atol=1e-5):
    """Return whether ``got`` has the shape of ``want`` and its values (float32 accuracy)."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    want = np.asarray(want, dtype=float)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def kl_per_element(z_mean, z_log_var):
    """Return the KL to N(0, 1) of each latent dimension of each example."""
    z_mean, z_log_var = np.asarray(z_mean, float), np.asarray(z_log_var, float)
    return -0.5 * (1.0 + z_log_var - z_mean**2 - np.exp(z_log_var))


def kl_to_standard_normal(z_mean, z_log_var):
    """Return the per-example KL of N(z_mean, exp(z_log_var)) to N(0, I), averaged over the
    latent dimensions (the course's convention)."""
    return np.mean(kl_per_element(z_mean, z_log_var), axis=-1)


def binary_cross_entropy_sum(x, x_hat):
    """Return the per-example sum over pixels of the binary cross-entropy (Keras' clipping)."""
    x = np.asarray(x, float)
    x_hat = np.clip(np.asarray(x_hat, float), 1e-7, 1 - 1e-7)
    return -np.sum(x * np.log(x_hat) + (1 - x) * np.log(1 - x_hat), axis=-1)


def standard_normal_problem(noise):
    """Return ``None`` when ``noise`` (one row per call of a sampling layer) looks like fresh
    standard normal draws, else what is wrong with it.

    The bounds are six standard errors wide: a correct layer fails them about once in a
    hundred million gradings, a fixed, recycled or missing noise always.
    """
    noise = np.asarray(noise, dtype=float)
    if noise.ndim != 2 or noise.shape[0] < 2 or not np.all(np.isfinite(noise)):
        return "the noise could not be recovered from the samples"
    count = noise.size
    if abs(noise.mean()) > 6 / np.sqrt(count):
        return f"the noise has mean {noise.mean():.3f}, not 0"
    if abs(noise.std() - 1) > 6 / np.sqrt(2 * count):
        return f"the noise has standard deviation {noise.std():.3f}, not 1"
    inside = np.mean(np.abs(noise) < 1)
    if abs(inside - 0.6827) > 6 * np.sqrt(0.6827 * 0.3173 / count):
        return f"{inside:.0%} of the noise lies within 1 of 0, not 68 % (a normal distribution)"
    correlations = np.corrcoef(noise)[np.triu_indices(len(noise), k=1)]
    if np.max(np.abs(correlations)) > 6 / np.sqrt(noise.shape[1]):
        return "two calls drew the same or related noise: each call must draw new noise"
    return None
