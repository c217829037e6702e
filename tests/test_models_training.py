"""Models, training and seeding, with real (small) Keras training."""

import numpy as np
import pytest

from aecourse.models import (
    bottleneck_autoencoder,
    bottleneck_layer_sizes,
    dense_autoencoder,
    dense_layer_sizes,
    layer_kinds,
)
from aecourse.repro import set_seed
from aecourse.training import (
    encode,
    learning_rate_range_test,
    predict_batched,
    steepest_learning_rate,
    train_autoencoder,
)


@pytest.mark.parametrize(("sizes", "params"), [([2], 3922), ([10, 2], 16526),
                                               ([32, 10, 2], 51726)])
def test_mnist_depth_models_have_the_seed_parameter_counts(sizes, params):
    assert dense_autoencoder(784, sizes).count_params() == params


def test_decoder_mirrors_encoder_and_submodels_are_reachable():
    model = dense_autoencoder(13, [32, 16, 3])
    assert dense_layer_sizes(model) == [32, 16, 3, 16, 32, 13]
    assert model.encoder.output.shape[-1] == 3
    assert model.decoder.input.shape[-1] == 3 and model.decoder.output.shape[-1] == 13
    assert model.layers[-1].layers[-1].activation.__name__ == "linear"


def test_invalid_layer_sizes_are_rejected():
    with pytest.raises(ValueError, match="positive sizes"):
        dense_autoencoder(13, [])
    with pytest.raises(ValueError, match="positive sizes"):
        dense_autoencoder(13, [4, 0])


def test_activity_l1_penalises_the_mean_absolute_code():
    """The penalty is lambda x the sum of |codes| over units, averaged over the batch."""
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    model = dense_autoencoder(5, [3], activity_l1=0.5)
    model(x)
    codes = np.asarray(model.encoder(x))
    assert np.abs(codes).sum() > 0, "some codes are active"
    (penalty,) = [float(loss) for loss in model.losses]
    assert penalty == pytest.approx(0.5 * np.abs(codes).sum() / len(x), rel=1e-5)
    unpenalised = dense_autoencoder(5, [3])
    unpenalised(x)
    assert unpenalised.losses == []


def wine_like(seed=0):
    rng = np.random.default_rng(seed)
    factors = rng.normal(size=(120, 2))
    return (factors @ rng.normal(size=(2, 8)) + 0.05 * rng.normal(size=(120, 8))).astype("float32")


def test_training_reduces_the_reconstruction_loss():
    set_seed(0)
    x = wine_like()
    model = dense_autoencoder(8, [4, 2], latent_activation=None)
    history = train_autoencoder(model, x[:100], x[100:], epochs=30, batch_size=16,
                                learning_rate=1e-2)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert len(history.history["val_loss"]) == 30
    assert encode(model, x).shape == (120, 2)
    assert predict_batched(model, x, batch_size=7).shape == (120, 8)


def test_set_seed_makes_training_repeatable():
    x = wine_like(1)
    losses = []
    for _ in range(2):
        set_seed(3)
        model = dense_autoencoder(8, [3])
        losses.append(train_autoencoder(model, x, epochs=3, batch_size=16).history["loss"])
    assert losses[0] == losses[1]


def test_training_accepts_another_loss():
    set_seed(0)
    x = np.random.default_rng(0).uniform(size=(64, 6)).astype("float32")
    model = dense_autoencoder(6, [2], output_activation="sigmoid")
    history = train_autoencoder(model, x, epochs=2, loss="binary_crossentropy")
    assert model.loss == "binary_crossentropy" and len(history.history["loss"]) == 2


def test_bottleneck_autoencoder_has_the_exercise_structure():
    model = bottleneck_autoencoder(100, 25, n_levels=3)
    assert dense_layer_sizes(model) == [200, 100, 50, 25, 50, 100, 200, 100]
    level = ["Dense", "BatchNormalization", "LeakyReLU"]
    assert layer_kinds(model) == level * 3 + ["Dense"] + level * 3 + ["Dense"]
    assert model.encoder.output.shape[-1] == 25
    assert model.decoder.layers[-1].activation.__name__ == "linear"
    assert bottleneck_layer_sizes(100, 2) == [200, 100]
    with pytest.raises(ValueError, match="n_levels"):
        bottleneck_layer_sizes(100, 0)


def test_bottleneck_autoencoder_learns_low_rank_data():
    set_seed(0)
    rng = np.random.default_rng(0)
    x = (rng.uniform(size=(256, 3)) @ rng.uniform(size=(3, 20)) / 3).astype("float32")
    model = bottleneck_autoencoder(20, 5)
    history = train_autoencoder(model, x, x, epochs=30, batch_size=16)
    assert history.history["val_loss"][-1] < 0.5 * history.history["val_loss"][0]


def test_learning_rate_range_test_sweeps_upwards_and_stops_when_the_loss_blows_up():
    x = np.random.default_rng(0).standard_normal((200, 6)).astype("float32")
    set_seed(0)
    result = learning_rate_range_test(dense_autoencoder(6, [3]), x, min_lr=1e-4, max_lr=1e3,
                                      steps=60, batch_size=16)
    rates, losses = result["learning_rate"], result["loss"]
    assert len(rates) == len(losses) and np.all(np.diff(rates) > 0) and rates[0] == 1e-4
    assert len(losses) < 60, "a learning rate of 1000 must blow the loss up before the end"
    assert not np.isfinite(losses[-1]) or losses[-1] > 4 * losses.min()
    assert 1e-4 < steepest_learning_rate(result) < rates[-1]
    # Each loss is measured on the same rows: at the tiny first rates it barely moves.
    assert np.all(np.abs(np.diff(losses[:5])) < 0.01 * losses[0])


def test_steepest_learning_rate_finds_the_fastest_fall():
    rates = np.geomspace(1e-5, 1.0, 51)
    losses = 1.0 / (1.0 + np.exp(4 * (np.log10(rates) + 2.5)))  # falls fastest at 10^-2.5
    assert abs(np.log10(steepest_learning_rate({"learning_rate": rates, "loss": losses}))
               + 2.5) < 0.25
    with pytest.raises(ValueError, match="stopped after 3 batches"):
        steepest_learning_rate({"learning_rate": rates[:3], "loss": losses[:3]})
    with pytest.raises(ValueError, match="never falls"):
        steepest_learning_rate({"learning_rate": rates, "loss": rates})


def test_steepest_learning_rate_ignores_a_sudden_drop_just_before_the_blow_up():
    rates = np.geomspace(1e-5, 1.0, 101)
    decade = np.log10(rates)
    losses = 0.85 + 0.45 / (1.0 + np.exp(3 * (decade + 2)))  # falls fastest at 10^-2
    losses[decade > -0.7] -= 0.1  # one noisy step down, as a real range test shows
    losses[decade > -0.3] += 8 * (decade[decade > -0.3] + 0.3)  # then it blows up
    assert abs(np.log10(steepest_learning_rate({"learning_rate": rates, "loss": losses}))
               + 2) < 0.25


def test_the_encoder_of_a_flat_nested_or_sequential_autoencoder_gives_its_codes():
    import keras

    from aecourse.models import encoder_of

    x = wine_like()
    inputs = keras.Input(shape=(8,))
    flat = keras.Model(inputs, keras.layers.Dense(8)(keras.layers.Dense(2)(
        keras.layers.Dense(4, activation="relu")(inputs))))
    sequential = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3),
                                   keras.layers.Dense(8)])
    nested = dense_autoencoder(8, [4, 2])
    nested_by_hand = keras.Sequential([nested.encoder, nested.decoder])
    for model, width in ((flat, 2), (sequential, 3), (nested, 2), (nested_by_hand, 2)):
        assert encode(model, x).shape == (120, width)
    assert encoder_of(nested_by_hand) is nested.encoder
