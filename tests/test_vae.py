"""The VAE building blocks, with real (small) Keras training."""

import numpy as np
import pytest
from keras import ops

from aecourse import vae
from aecourse.repro import set_seed


def test_sampling_has_the_requested_mean_and_spread():
    set_seed(0)
    z_mean = np.tile(np.array([[1.0, -2.0]], "float32"), (20000, 1))
    z_log_var = np.tile(np.log(np.array([[0.25, 4.0]], "float32")), (20000, 1))
    z = np.asarray(vae.Sampling(seed=1)([z_mean, z_log_var]))
    assert z.shape == (20000, 2)
    np.testing.assert_allclose(z.mean(axis=0), [1.0, -2.0], atol=0.05)
    np.testing.assert_allclose(z.std(axis=0), [0.5, 2.0], rtol=0.03)


def test_kl_divergence_known_values():
    zero = np.zeros((3, 2), "float32")
    np.testing.assert_allclose(np.asarray(vae.kl_divergence(zero, zero)), 0.0, atol=1e-7)
    z_mean = np.array([[1.0, 0.0]], "float32")
    np.testing.assert_allclose(np.asarray(vae.kl_divergence(z_mean, zero[:1], "sum")), [0.5])
    np.testing.assert_allclose(np.asarray(vae.kl_divergence(z_mean, zero[:1], "mean")), [0.25])
    with pytest.raises(ValueError, match="reduction must be one of"):
        vae.kl_divergence(z_mean, zero[:1], "median")


def test_reconstruction_loss_is_summed_over_pixels():
    half = np.full((2, 784), 0.5, "float32")
    np.testing.assert_allclose(np.asarray(vae.reconstruction_loss(half, half)),
                               784 * np.log(2.0), rtol=1e-4)


def test_builders_have_the_seed_architecture():
    model = vae.build_vae(784, 64)
    z_mean, z_log_var, z = model.encoder.outputs
    assert [t.shape[-1] for t in (z_mean, z_log_var, z)] == [2, 2, 2]
    assert model.decoder.output.shape[-1] == 784
    assert model.encoder.count_params() + model.decoder.count_params() == 101652
    assert model.count_params() == 101652
    with pytest.raises(ValueError, match="kl_reduction must be one of"):
        vae.build_vae(784, 16, kl_reduction="max")


def binary_images(n=256, seed=0):
    rng = np.random.default_rng(seed)
    prototypes = (rng.uniform(size=(4, 64)) > 0.5).astype("float32")
    return np.clip(prototypes[rng.integers(0, 4, n)] + 0.05 * rng.normal(size=(n, 64)),
                   0, 1).astype("float32")


def test_training_tracks_all_three_losses_and_learns():
    import keras

    set_seed(0)
    x = binary_images()
    model = vae.build_vae(64, 16)
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    history = model.fit(x, epochs=5, batch_size=32, validation_data=(x,), verbose=0).history
    assert {"loss", "reconstruction_loss", "kl_loss", "val_loss"} <= set(history)
    assert history["loss"][-1] < 0.7 * history["loss"][0]
    mean_kl = vae.evaluate_vae(model, x)
    summed = vae.evaluate_vae(model, x, kl_reduction="sum")
    assert summed["kl_loss"] > mean_kl["kl_loss"] > 0
    assert np.asarray(model(x[:3])).shape == (3, 64)
    assert float(ops.min(model(x[:3]))) >= 0


def test_evaluating_a_model_twice_gives_the_same_numbers_and_leaves_its_sampling_as_it_was():
    x = binary_images(200)
    model = vae.build_vae(64, 16)
    model.encoder(x)  # the generator moves on, as training would move it
    state = np.asarray(vae.sampling_generators(model)[0].state.value).copy()
    first, second = vae.evaluate_vae(model, x), vae.evaluate_vae(model, x)
    assert first == second
    assert vae.evaluate_vae(model, x, seed=1) != first, "another seed, other noise"
    assert np.array_equal(vae.sampling_generators(model)[0].state.value, state)
    assert len(vae.sampling_generators(model)) == 1


def test_beta_weighs_the_kl_in_the_total_and_a_larger_beta_pulls_codes_in():
    import keras

    x = binary_images()
    trained = {}
    for beta in (0.1, 4.0):
        set_seed(0)
        model = vae.VAE(vae.vae_encoder(64, 16), vae.vae_decoder(2, 16, 64), kl_reduction="sum",
                        kl_weight=beta)
        model.compile(optimizer=keras.optimizers.Adam(1e-2))
        model.fit(x, epochs=5, batch_size=32, verbose=0)
        total, reconstruction, kl = (float(value) for value in model.compute_losses(x))
        assert total == pytest.approx(reconstruction + beta * kl, rel=1e-5)
        trained[beta] = (reconstruction, kl)
    assert trained[4.0][1] < trained[0.1][1], trained  # KL: a stronger pull, a smaller KL
    assert trained[4.0][0] > trained[0.1][0], trained  # reconstruction pays for it
    with pytest.raises(ValueError, match="kl_weight"):
        vae.VAE(vae.vae_encoder(64, 16), vae.vae_decoder(2, 16, 64), kl_weight=-1)


def test_latent_grid_is_laid_out_like_the_plane():
    grid = vae.latent_grid(n=3, limit=1.0)
    assert grid.shape == (9, 2) and grid.dtype == np.float32
    np.testing.assert_allclose(grid[0], [-1.0, 1.0])   # top left
    np.testing.assert_allclose(grid[2], [1.0, 1.0])    # top right
    np.testing.assert_allclose(grid[-1], [1.0, -1.0])  # bottom right


def test_a_layer_that_adds_its_loss_in_call_trains_a_functional_keras_3_model():
    """Notebook 6's claim: the seed's KL-layer pattern works in Keras 3 (not model.add_loss)."""
    import keras

    class AddsKL(keras.layers.Layer):
        def call(self, inputs):
            z_mean, z_log_var = inputs
            self.add_loss(ops.mean(vae.kl_divergence(z_mean, z_log_var)))
            return z_mean

    set_seed(0)
    inputs = keras.Input(shape=(4,))
    z_mean, z_log_var = keras.layers.Dense(2)(inputs), keras.layers.Dense(2)(inputs)
    model = keras.Model(inputs, AddsKL()([z_mean, z_log_var]))
    model.compile(optimizer="adam", loss=None)
    history = model.fit(np.random.rand(64, 4).astype("float32"), epochs=3, verbose=0)
    assert len(model.losses) == 1 and history.history["loss"][-1] > 0
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_latent_grid_around_the_codes_spans_their_spread():
    codes = np.array([[-3.0, 1.0], [1.0, 5.0], [-1.0, 3.0]])
    grid = vae.latent_grid_around(codes, n=3, n_std=1.0)
    std = codes.std(axis=0)
    np.testing.assert_allclose(grid[4], codes.mean(axis=0), atol=1e-6)
    np.testing.assert_allclose(grid[0], [-1.0 - std[0], 3.0 + std[1]], atol=1e-5)
    np.testing.assert_allclose(grid[8], [-1.0 + std[0], 3.0 - std[1]], atol=1e-5)


def test_latent_spread_of_standard_normal_codes():
    codes = np.random.default_rng(0).standard_normal((20000, 2))
    spread = vae.latent_spread(codes)
    assert abs(spread["centre z1"]) < 0.03 and abs(spread["std z2"] - 1.0) < 0.03
    assert abs(spread["share in [-2, 2]^2"] - 0.9545 ** 2) < 0.01
    assert vae.latent_spread(codes + 5.0)["share in [-2, 2]^2"] == 0.0


def test_the_kl_layer_adds_the_loss_of_a_functional_vae():
    import keras

    set_seed(0)
    layer = vae.KLDivergenceLayer()
    means, log_vars = np.array([[1.0, 0.0]], "float32"), np.zeros((1, 2), "float32")
    passed_on = layer([means, log_vars])
    np.testing.assert_allclose(np.asarray(passed_on[0]), means)
    assert len(layer.losses) == 1 and np.isclose(float(layer.losses[0]), 0.25)
    layer([means, log_vars])
    assert len(layer.losses) == 1, "each call replaces the loss of the previous one"

    inputs = keras.Input(shape=(16,))
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    z_mean, z_log_var = vae.KLDivergenceLayer()([keras.layers.Dense(2)(hidden),
                                                 keras.layers.Dense(2)(hidden)])
    decoded = keras.layers.Dense(16, activation="sigmoid")(vae.Sampling()([z_mean, z_log_var]))
    model = keras.Model(inputs, decoded)
    model.compile(optimizer="adam", loss=vae.reconstruction_loss)
    x = np.random.default_rng(0).random((64, 16)).astype("float32")
    model(x)
    assert len(model.losses) == 1 and float(model.losses[0]) > 0, "the model collects the KL"
    history = model.fit(x, x, epochs=3, batch_size=16, verbose=0).history
    assert np.all(np.isfinite(history["loss"])) and history["loss"][-1] < history["loss"][0]
