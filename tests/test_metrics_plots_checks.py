import itertools

import matplotlib
import numpy as np
import pandas as pd
import pytest

from aecourse import checks, metrics, plots

matplotlib.use("Agg")


class Identity:
    """Stands in for a Keras model: returns its input (perfect reconstruction)."""

    def __call__(self, x, training=False):
        return x


def test_reconstruction_error_of_a_perfect_model_is_zero():
    x = np.random.default_rng(0).normal(size=(10, 3))
    assert metrics.reconstruction_error(Identity(), x) == pytest.approx(0.0)


def test_cluster_and_latent_metrics_on_separated_groups():
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1, 2], 30)
    codes = rng.normal(size=(90, 2)) * 0.1 + labels[:, None] * 5
    assert metrics.adjusted_rand(labels, (labels + 1) % 3) == pytest.approx(1.0)
    assert metrics.latent_silhouette(codes, labels) > 0.9
    assert metrics.knn_accuracy(codes[::2], labels[::2], codes[1::2], labels[1::2]) == 1.0
    with pytest.raises(ValueError, match="two distinct labels"):
        metrics.latent_silhouette(codes, np.zeros(90))


def test_kmeans_silhouette_is_high_for_separated_blobs():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [10, 0], [0, 10]], dtype=float)
    blobs = np.repeat(centres, 40, axis=0) + rng.normal(0, 0.2, size=(120, 2))
    assert metrics.kmeans_silhouette(blobs, n_clusters=3) > 0.9
    assert metrics.kmeans_silhouette(rng.normal(size=(120, 2)), n_clusters=3) < 0.6


def test_plot_helpers_return_their_figures():
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1, -1], 10)
    history = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}
    figures = [
        plots.plot_loss_curves(history),
        plots.plot_loss_curves({"a": history, "b": history}, log_scale=True),
        plots.plot_latent_2d(rng.normal(size=(30, 2)), labels, ["x", "y"]),
        plots.plot_latent_3d(rng.normal(size=(30, 3)), labels, ["x", "y"]),
        plots.plot_image_grid({"original": rng.uniform(size=(5, 784)),
                               "reconstruction": rng.uniform(size=(5, 784))}),
        plots.plot_feature_weights(rng.normal(size=(13, 3)), [f"f{i}" for i in range(13)]),
        plots.plot_bars({"a": 0.5, "b": 0.75}, "scores", "accuracy"),
        plots.plot_latent_panels({"a": rng.normal(size=(30, 2)), "b": rng.normal(size=(30, 2))},
                                 labels, ["x", "y"], title="panels"),
        plots.plot_metric_bars(pd.DataFrame({"loss": [0.3, 0.2], "accuracy": [0.5, 0.7]},
                                            index=["shallow", "deep"])),
        plots.plot_metric_curves(pd.DataFrame({"AE": [0.5, 0.3], "PCA": [0.6, 0.2]},
                                              index=[2, 4]), "latent size", y_label="MSE"),
        plots.plot_search_curves({"loss": [300.0, 290.0], "silhouette": [0.4, 0.5]}),
        plots.plot_score_vs_depth({"loss": (pd.DataFrame({"layers": [2, 2, 4],
                                                          "loss": [1.0, 2.0, 3.0]}), "loss")}),
    ]
    assert all(isinstance(fig, matplotlib.figure.Figure) for fig in figures)
    assert len(figures[3].axes) == 4  # 3-D view + XY, XZ, YZ
    assert len(figures[4].axes) == 10
    assert len(figures[7].axes) == 2 and figures[7].axes[1].get_legend() is not None
    curves = figures[9].axes[0]
    assert curves.get_ylabel() == "MSE"
    legend = curves.get_legend().get_window_extent(figures[9].canvas.get_renderer())
    assert legend.x0 >= curves.get_window_extent().x1, "the legend sits beside the curves"
    assert len(figures[8].axes) == 2
    assert len(figures[10].axes) == 2
    assert figures[11].axes[0].get_xlabel() == "encoder layers"
    legend = [t.get_text() for t in figures[3].axes[0].get_legend().get_texts()]
    assert "noise" in legend
    with pytest.raises(ValueError, match="needs 3-D codes"):
        plots.plot_latent_3d(rng.normal(size=(5, 2)), np.zeros(5))


def test_checks_speak_to_students():
    import keras

    encoder = keras.Sequential([keras.Input((13,)), keras.layers.Dense(2, activation="relu")])
    with pytest.raises(checks.CheckFailed, match="expected 3 latent units, got 2"):
        checks.check_latent_units(encoder, 3)
    with pytest.raises(checks.CheckFailed, match=r"X should have shape \(3, 2\), got \(1, 2\)"):
        checks.check_shape("X", np.zeros((1, 2)), (3, 2))
    with pytest.raises(checks.CheckFailed, match="score: expected 2, got 1"):
        checks.check_close("score", 1.0, 2.0)
    with pytest.raises(checks.CheckFailed, match="should use the 'linear' activation"):
        checks.check_activation(encoder.layers[-1], "linear")
    with pytest.raises(checks.CheckFailed, match="expected 94 parameters, got 28"):
        checks.check_param_count(encoder, 94)

    def unfinished():
        raise NotImplementedError()

    with pytest.raises(checks.CheckFailed, match=r"unfinished\(\) is not written yet"):
        checks.run_answer(unfinished)
    checks.check_shape("codes", np.zeros((4, 3)), (None, 3))
    checks.check_in_range("ARI", 0.5, -1, 1)

    with pytest.raises(checks.CheckFailed, match=r"sizes: item 2 should be 100, got 50"):
        checks.check_sequence("sizes", [200, 50], [200, 100])
    with pytest.raises(checks.CheckFailed, match="sizes: expected 3 items, got 2"):
        checks.check_sequence("sizes", [200, 100], [200, 100, 25])
    checks.check_sequence("sizes", (1, 2), [1, 2])


def test_probe_accuracy_separates_separable_classes():
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1], 50)
    features = rng.normal(size=(100, 3)) + 5 * labels[:, None]
    assert metrics.probe_accuracy(features, labels, features, labels) == 1.0
    noise = rng.normal(size=(100, 3))
    assert metrics.probe_accuracy(noise[:50], labels[::2], noise[50:], labels[1::2]) < 0.8


def test_ladder_choice_stops_where_the_next_size_no_longer_pays():
    assert metrics.ladder_choice([2, 4, 8, 16], [0.5, 0.7, 0.75, 0.76], 0.02) == 8
    assert metrics.ladder_choice([16, 2, 8, 4], [0.76, 0.5, 0.75, 0.7], 0.02) == 8  # unsorted
    assert metrics.ladder_choice([2, 4, 8], [0.5, 0.7, 0.65], 0.02) == 4  # a drop stops it
    assert metrics.ladder_choice([2, 4, 8], [0.5, 0.6, 0.7], 0.02) == 8  # ladder too short


def test_permutation_importance_finds_the_features_a_model_uses():
    import keras

    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, keras.layers.Dense(3, use_bias=False)(inputs))
    model.layers[-1].set_weights([np.diag([1.0, 1.0, 0.0]).astype("float32")])  # drops feature 3
    x = np.random.default_rng(0).standard_normal((500, 3)).astype("float32")
    increase = metrics.permutation_importance(model, x)
    assert increase.shape == (3,) and abs(increase[2]) < 1e-6
    assert increase[0] > 0.5 and increase[1] > 0.5  # shuffling a used feature costs ~2/3 each


def test_learning_rate_range_plot_marks_the_suggestion():
    rates = np.geomspace(1e-5, 1.0, 20)
    fig = plots.plot_learning_rate_range({"learning_rate": rates, "loss": 1 / (1 + rates)},
                                         suggestion=1e-3)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and "1e-03" in ax.get_legend().get_texts()[0].get_text()


def test_a_failed_check_shows_students_its_message_not_the_checks_code():
    error = checks.CheckFailed("expected 3 latent units, got 2")
    lines = error._render_traceback_()  # what IPython displays instead of the traceback
    assert len(lines) == 1
    assert lines[0].endswith("CheckFailed\x1b[0m: expected 3 latent units, got 2")


def test_scatters_do_not_depend_on_colour_alone():
    """Each class has its own marker and colour, and 2-D scatters name each class at its centre."""
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(10), 20)
    codes = rng.normal(size=(200, 2)) + 5 * labels[:, None]
    ax = plots.plot_latent_2d(codes, labels, [str(digit) for digit in range(10)]).axes[0]
    markers = {tuple(collection.get_paths()[0].vertices.round(3).ravel())
               for collection in ax.collections}
    colours = {tuple(collection.get_facecolor()[0].round(3)) for collection in ax.collections}
    assert len(markers) == len(colours) == 10
    centres = {text.get_text(): text.xy for text in ax.texts}
    assert set(centres) == {str(digit) for digit in range(10)}
    assert np.allclose(centres["7"], np.median(codes[labels == 7], axis=0))


def test_loss_curves_name_the_held_out_data_and_the_unit():
    history = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.6]}
    ax = plots.plot_loss_curves(history, ylabel="BCE per pixel", held_out="test").axes[0]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["train", "test"]
    assert ax.get_ylabel() == "BCE per pixel"


def test_a_latent_grid_mosaic_shows_its_z_values():
    from aecourse.vae import latent_grid

    grid = latent_grid(5, 2.0)
    ax = plots.plot_image_mosaic(np.zeros((25, 784)), n_columns=5, grid=grid).axes[0]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["-2.0", "0.0", "2.0"]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["2.0", "0.0", "-2.0"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("z 1", "z 2")


def test_bar_labels_do_not_overlap():
    names = [f"encoder 3 levels, b={size}" for size in (100, 50, 25, 10, 5, 2, 1)]
    fig = plots.plot_metric_bars(pd.DataFrame({"test accuracy": np.linspace(0.7, 0.9, 7)},
                                              index=names))
    fig.canvas.draw()
    labels = fig.axes[0].get_yticklabels()
    assert [label.get_text() for label in labels] == names  # the table's order, top down
    boxes = sorted((label.get_window_extent() for label in labels), key=lambda box: box.y0)
    assert not any(first.overlaps(second) for first, second in itertools.pairwise(boxes))
    assert fig.axes[0].get_ylim()[0] > fig.axes[0].get_ylim()[1]


def test_an_image_of_nans_leaves_its_place_in_the_grid_empty():
    images = np.vstack([np.zeros((1, 4)), np.full((1, 4), np.nan), np.ones((1, 4))])
    fig = plots.plot_image_grid({"ends": images}, image_shape=(2, 2))
    assert [ax.axison for ax in fig.axes] == [True, False, True]
    assert [len(ax.images) for ax in fig.axes] == [1, 0, 1]
