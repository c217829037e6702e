import gzip
import os
from pathlib import Path

import numpy as np
import pytest

from aecourse import data


def write_idx(path, array):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        int(size).to_bytes(4, "big") for size in array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def tiny_mnist(tmp_path, monkeypatch):
    """A data folder holding a 6-image MNIST in the standard IDX layout."""
    folder = tmp_path / "mnist"
    folder.mkdir()
    rng = np.random.default_rng(0)
    write_idx(folder / data.IDX_FILES["train_images"], rng.integers(0, 256, (6, 28, 28)))
    write_idx(folder / data.IDX_FILES["train_labels"], np.arange(6))
    write_idx(folder / data.IDX_FILES["test_images"], np.full((2, 28, 28), 255))
    write_idx(folder / data.IDX_FILES["test_labels"], np.array([7, 1]))
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(tmp_path))
    return folder


def test_wine_has_features_target_and_names():
    wine = data.load_wine_data()
    assert wine.features.shape == (178, 13)
    assert wine.target.shape == (178,)
    assert len(wine.feature_names) == 13 and wine.feature_names[0] == "alcohol"
    assert len(wine.class_names) == 3


def test_bottleneck_data_matches_the_exercise():
    features, target = data.make_bottleneck_data()
    assert features.shape == (1000, 100) and set(target) == {0, 1}


def test_split_and_scale_fits_the_scaler_on_the_training_part_only():
    X, y = data.make_bottleneck_data()
    X_train, X_test, y_train, y_test = data.split_and_scale(X, y)
    assert X_train.shape == (670, 100) and X_test.shape == (330, 100) and len(y_test) == 330
    np.testing.assert_allclose(X_train.min(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X_train.max(axis=0), 1, atol=1e-12)
    assert X_test.min() < 0 or X_test.max() > 1  # unseen rows may fall outside [0, 1]


def test_mnist_from_data_folder_is_scaled_float32(tiny_mnist):
    images = data.load_mnist()
    assert images.x_train.shape == (6, 784) and images.x_train.dtype == np.float32
    assert 0.0 <= images.x_train.min() and images.x_train.max() <= 1.0
    assert images.x_test.max() == 1.0
    assert list(images.y_test) == [7, 1]
    assert data.load_mnist(flatten=False).x_train.shape == (6, 28, 28)


def test_missing_file_names_the_file_and_the_fix(tiny_mnist):
    (tiny_mnist / data.IDX_FILES["test_labels"]).unlink()
    with pytest.raises(data.DataFileError, match="t10k-labels-idx1-ubyte.gz.*does not exist"):
        data.load_mnist()


def test_corrupt_gzip_is_reported(tiny_mnist):
    (tiny_mnist / data.IDX_FILES["train_labels"]).write_bytes(b"not gzip at all")
    with pytest.raises(data.DataFileError, match="train-labels.*not a readable gzip"):
        data.load_mnist()


def test_truncated_idx_is_reported(tiny_mnist):
    path = tiny_mnist / data.IDX_FILES["train_images"]
    raw = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(raw[:-100]))
    with pytest.raises(data.DataFileError, match="train-images.*truncated"):
        data.load_mnist()


def test_without_data_folder_falls_back_to_keras_download(monkeypatch):
    import keras

    monkeypatch.delenv(data.DATA_DIR_VARIABLE, raising=False)
    fake = (np.zeros((3, 28, 28), np.uint8), np.zeros(3)), (np.zeros((1, 28, 28), np.uint8),
                                                           np.zeros(1))
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", lambda: fake)
    images = data.load_fashion_mnist()
    assert images.x_train.shape == (3, 784)
    assert images.class_names[9] == "Ankle boot"


def test_take_subset_draws_the_same_random_examples_every_run(tiny_mnist):
    images = data.load_mnist()
    subset = data.take_subset(images, n_train=4, n_test=1)
    assert subset.x_train.shape == (4, 784) and subset.y_test.shape == (1,)
    again = data.take_subset(images, n_train=4, n_test=1)
    assert np.array_equal(subset.y_train, again.y_train)
    labels = subset.y_train.tolist()  # the labels are the images' positions, 0 to 5
    assert labels == sorted(labels) and labels != [0, 1, 2, 3], "a sample, not the first four"
    assert np.array_equal(data.take_subset(images).y_train, images.y_train), "None keeps all"


@pytest.mark.skipif(not os.environ.get(data.DATA_DIR_VARIABLE),
                    reason="AECOURSE_DATA_DIR not set (CI sets it to ../shared/datasets)")
def test_shared_datasets_are_complete():
    for loader in (data.load_mnist, data.load_fashion_mnist):
        images = loader()
        assert images.x_train.shape == (60000, 784) and images.x_test.shape == (10000, 784)
        assert set(np.unique(images.y_train)) == set(range(10))
    assert Path(os.environ[data.DATA_DIR_VARIABLE], "mnist").is_dir()


def test_first_of_each_class_picks_the_first_example_in_class_order():
    labels = np.array([3, 1, 0, 1, 2, 0, 3])
    assert list(data.first_of_each_class(labels, n_classes=4)) == [2, 1, 4, 0]
    with pytest.raises(ValueError, match=r"no example of class\(es\) \[4\]"):
        data.first_of_each_class(labels, n_classes=5)
