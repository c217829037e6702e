"""Variational autoencoder pieces: sampling layer, encoder/decoder builders, losses, model.

The loss is ``input_dim x binary cross-entropy + KL``. ``kl_reduction="mean"`` averages the KL
term over the latent dimensions (the classic Keras example's convention, used by the seed
documents); ``"sum"`` gives the standard ELBO.
"""

from numbers import Integral

import keras
from keras import layers, ops

KL_REDUCTIONS = ("mean", "sum")


class Sampling(layers.Layer):
    """Reparameterisation: ``z = z_mean + exp(z_log_var / 2) * epsilon``, epsilon ~ N(0, I)."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


def _hidden_sizes(hidden):
    """Return ``hidden`` (one size or a list of sizes) as a list of ints."""
    return [int(hidden)] if isinstance(hidden, Integral) else [int(size) for size in hidden]


def vae_encoder(input_dim, hidden_sizes, latent_dim=2):
    """Return the encoder ``x -> ReLU Dense layers -> [z_mean, z_log_var, z]``.

    ``hidden_sizes`` is one size or a list of sizes, applied in order.
    """
    inputs = keras.Input(shape=(input_dim,), name="image")
    hidden = inputs
    for index, size in enumerate(_hidden_sizes(hidden_sizes)):
        hidden = layers.Dense(size, activation="relu", name=f"encoder_{index + 1}")(hidden)
    z_mean = layers.Dense(latent_dim, name="z_mean")(hidden)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(hidden)
    z = Sampling(name="z")([z_mean, z_log_var])
    return keras.Model(inputs, [z_mean, z_log_var, z], name="encoder")


def vae_decoder(latent_dim, hidden_sizes, output_dim):
    """Return the decoder ``z -> ReLU Dense layers -> x_hat`` with a sigmoid output layer."""
    codes = keras.Input(shape=(latent_dim,), name="z")
    hidden = codes
    for index, size in enumerate(_hidden_sizes(hidden_sizes)):
        hidden = layers.Dense(size, activation="relu", name=f"decoder_{index + 1}")(hidden)
    outputs = layers.Dense(output_dim, activation="sigmoid", name="reconstruction")(hidden)
    return keras.Model(codes, outputs, name="decoder")


def kl_divergence(z_mean, z_log_var, reduction="mean"):
    """Return KL(N(z_mean, exp(z_log_var)) || N(0, I)) per example, summed or averaged over z."""
    if reduction not in KL_REDUCTIONS:
        raise ValueError(f"reduction must be one of {KL_REDUCTIONS}, got {reduction!r}")
    terms = 1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var)
    reduce = ops.mean if reduction == "mean" else ops.sum
    return -0.5 * reduce(terms, axis=-1)


class KLDivergenceLayer(layers.Layer):
    """Add the batch mean of the KL term to the model's loss; pass ``[z_mean, z_log_var]`` on.

    The seed's pattern: ``self.add_loss`` inside ``call`` works in a functional Keras 3 model
    (what Keras 3 removed is ``model.add_loss`` on symbolic tensors).
    """

    def __init__(self, reduction="mean", **kwargs):
        super().__init__(**kwargs)
        self.reduction = reduction

    def call(self, inputs):
        z_mean, z_log_var = inputs
        self.add_loss(ops.mean(kl_divergence(z_mean, z_log_var, self.reduction)))
        return [z_mean, z_log_var]


def reconstruction_loss(x, x_hat):
    """Return ``input_dim x`` the mean binary cross-entropy per example (= summed over pixels)."""
    return ops.shape(x)[-1] * keras.losses.binary_crossentropy(x, x_hat)


class VAE(keras.Model):
    """A VAE with a custom train/test step that tracks total, reconstruction and KL loss.

    ``kl_term(z_mean, z_log_var)``, when given, is the per-example KL averaged over the latent
    dimensions (a student's own); ``kl_reduction="sum"`` then multiplies it by their number.
    ``kl_weight`` is a beta-VAE's beta: the total loss is reconstruction + beta * KL.
    """

    def __init__(self, encoder, decoder, kl_reduction="mean", kl_term=None, kl_weight=1.0,
                 **kwargs):
        super().__init__(**kwargs)
        if kl_reduction not in KL_REDUCTIONS:
            raise ValueError(f"kl_reduction must be one of {KL_REDUCTIONS}, got {kl_reduction!r}")
        if not kl_weight >= 0:
            raise ValueError(f"kl_weight (beta) must be a number >= 0, got {kl_weight!r}")
        self.encoder, self.decoder, self.kl_reduction = encoder, decoder, kl_reduction
        self.kl_term, self.kl_weight = kl_term, float(kl_weight)
        self.trackers = {name: keras.metrics.Mean(name=name)
                         for name in ("loss", "reconstruction_loss", "kl_loss")}
        self.built = True  # encoder and decoder are built functional models already

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, x):
        return self.decoder(self.encoder(x)[2])

    def compute_losses(self, x, kl_reduction=None):
        """Return (total, reconstruction, KL), each averaged over the batch; total weighs the
        KL by ``kl_weight``."""
        z_mean, z_log_var, z = self.encoder(x)
        reconstruction = ops.mean(reconstruction_loss(x, self.decoder(z)))
        kl = ops.mean(self.kl(z_mean, z_log_var, kl_reduction or self.kl_reduction))
        return reconstruction + self.kl_weight * kl, reconstruction, kl

    def kl(self, z_mean, z_log_var, reduction):
        """Return the per-example KL term, averaged or summed over the latent dimensions."""
        if self.kl_term is None:
            return kl_divergence(z_mean, z_log_var, reduction)
        if reduction not in KL_REDUCTIONS:
            raise ValueError(f"reduction must be one of {KL_REDUCTIONS}, got {reduction!r}")
        kl = self.kl_term(z_mean, z_log_var)  # a mean over z: the sum is latent_dim times it
        return kl * ops.cast(ops.shape(z_mean)[-1], kl.dtype) if reduction == "sum" else kl

    def _record(self, losses):
        for tracker, value in zip(self.trackers.values(), losses, strict=True):
            tracker.update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def train_step(self, data):
        import tensorflow as tf

        x = data[0] if isinstance(data, tuple) else data
        with tf.GradientTape() as tape:
            losses = self.compute_losses(x)
        gradients = tape.gradient(losses[0], self.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights, strict=True))
        return self._record(losses)

    def test_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        return self._record(self.compute_losses(x))


def build_vae(input_dim, intermediate_dim, latent_dim=2, kl_reduction="mean"):
    """Return a ``VAE`` with one hidden layer of ``intermediate_dim`` units on each side."""
    return VAE(vae_encoder(input_dim, intermediate_dim, latent_dim),
               vae_decoder(latent_dim, intermediate_dim, input_dim), kl_reduction=kl_reduction,
               name=f"vae_{intermediate_dim}")


def build_mirror_vae(units, latent_dim=2, kl_reduction="mean"):
    """Return a ``VAE`` whose encoder has Dense layers ``units`` and decoder the same reversed.

    ``units[0]`` is the input size, so the decoder's last (sigmoid) layer matches the input.
    """
    if len(units) < 1 or min(units) < 1:
        raise ValueError(f"units must list positive layer sizes, got {list(units)}")
    units = [int(size) for size in units]
    name = "vae_" + "_".join(str(size) for size in units)
    return VAE(vae_encoder(units[0], units, latent_dim),
               vae_decoder(latent_dim, units[:0:-1], units[0]),
               kl_reduction=kl_reduction, name=name)


def sampling_generators(model):
    """Return the ``SeedGenerator`` of every layer of ``model`` that draws (a ``Sampling``)."""
    layers_and_self = [model, *model._flatten_layers(include_self=False, recursive=True)]
    return [value for layer in layers_and_self for value in vars(layer).values()
            if isinstance(value, keras.random.SeedGenerator)]


def evaluate_vae(vae, x, kl_reduction=None, batch_size=1024, seed=0):
    """Return the dataset averages ``{"loss", "reconstruction_loss", "kl_loss"}`` of a VAE.

    The sampling noise is drawn from ``seed``, so evaluating the same model twice gives the same
    numbers; the model's own generators are put back afterwards.
    """
    import numpy as np

    generators = sampling_generators(vae)
    saved = [np.asarray(generator.state.value) for generator in generators]
    for index, generator in enumerate(generators):
        generator.state.assign(np.array([seed, index], dtype=saved[index].dtype))
    totals, count = np.zeros(3), 0
    try:
        for start in range(0, len(x), batch_size):
            batch = ops.convert_to_tensor(x[start:start + batch_size])
            losses = vae.compute_losses(batch, kl_reduction)
            totals += len(batch) * np.array([float(value) for value in losses])
            count += len(batch)
    finally:
        for generator, state in zip(generators, saved, strict=True):
            generator.state.assign(state)
    return dict(zip(("loss", "reconstruction_loss", "kl_loss"), totals / count, strict=True))


def latent_grid(n=15, limit=2.0, center=(0.0, 0.0)):
    """Return an ``(n * n, 2)`` grid of latent points from center - limit to center + limit.

    Rows go from the top (largest z 2) down, columns from the smallest z 1 to the largest, so
    that decoding the grid in one batch gives images laid out like the latent plane. ``limit``
    is one half-width or one per axis.
    """
    import numpy as np

    half_z1, half_z2 = np.broadcast_to(np.asarray(limit, dtype=float), (2,))
    center_z1, center_z2 = np.asarray(center, dtype=float)
    z1 = np.linspace(center_z1 - half_z1, center_z1 + half_z1, n)
    z2 = np.linspace(center_z2 + half_z2, center_z2 - half_z2, n)
    return np.array([[a, b] for b in z2 for a in z1], dtype="float32")


def latent_grid_around(codes, n=15, n_std=2.0):
    """Return a ``latent_grid`` centred on the codes' mean, ``n_std`` standard deviations to
    either side on each axis."""
    import numpy as np

    codes = np.asarray(codes, dtype=float)
    return latent_grid(n, limit=n_std * codes.std(axis=0), center=codes.mean(axis=0))


def latent_spread(codes, limit=2.0):
    """Return where 2-D codes lie: centre, standard deviation, range, share inside the square.

    The square is ``[-limit, limit]^2``; codes drawn from N(0, I) fall in ``[-2, 2]^2`` 91 % of
    the time.
    """
    import numpy as np

    codes = np.asarray(codes, dtype=float)
    inside = np.all(np.abs(codes) <= limit, axis=1)
    return {"centre z1": codes[:, 0].mean(), "centre z2": codes[:, 1].mean(),
            "std z1": codes[:, 0].std(), "std z2": codes[:, 1].std(),
            "min": codes.min(), "max": codes.max(), f"share in [-{limit:g}, {limit:g}]^2":
            inside.mean()}
