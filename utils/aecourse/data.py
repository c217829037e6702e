"""Data sets of the course: Wine, the synthetic bottleneck data, MNIST and Fashion-MNIST."""

import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aecourse.profiles import DATA_VARIABLE

DATA_DIR_VARIABLE = DATA_VARIABLE

IDX_FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}

FASHION_MNIST_CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
MNIST_CLASS_NAMES = tuple(str(digit) for digit in range(10))


class DataFileError(RuntimeError):
    """A data file is missing or unreadable; the message names the file and the fix."""


@dataclass
class TabularData:
    """Features, class labels and their names."""

    features: np.ndarray
    target: np.ndarray
    feature_names: list[str]
    class_names: list[str]


@dataclass
class ImageData:
    """Train and test images in [0, 1] (float32), their labels and the class names."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]


def load_wine_data():
    """Return the sklearn Wine data: 178 wines, 13 chemical features, 3 cultivars."""
    from sklearn.datasets import load_wine

    wine = load_wine()
    return TabularData(
        features=wine.data.astype("float64"),
        target=wine.target,
        feature_names=list(wine.feature_names),
        class_names=[str(name) for name in wine.target_names],
    )


def make_bottleneck_data(n_samples=1000, n_features=100, n_informative=10,
                         n_redundant=90, random_state=1):
    """Return (X, y) from ``make_classification`` with the bottleneck exercise's settings."""
    from sklearn.datasets import make_classification

    return make_classification(n_samples=n_samples, n_features=n_features,
                               n_informative=n_informative, n_redundant=n_redundant,
                               random_state=random_state)


def split_and_scale(X, y, test_size=0.33, random_state=1):
    """Split (X, y) into train and test, then min-max scale both with the training part only.

    Returns ``(X_train, X_test, y_train, y_test)``; fitting the scaler on the training rows
    alone keeps the test set unseen, so test values may fall slightly outside [0, 1].
    """
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import MinMaxScaler

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=random_state)
    scaler = MinMaxScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def read_idx(path):
    """Read one gzip-compressed IDX file into a uint8 array, checking its header."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(
            f"Data file {path} does not exist. Put the four standard IDX .gz files in "
            f"{path.parent}, or unset {DATA_DIR_VARIABLE} to download them with keras.datasets."
        )
    try:
        with gzip.open(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError) as error:
        raise DataFileError(
            f"Data file {path} is not a readable gzip file ({error}). "
            "Download it again; its checksum is in MD5SUMS beside it."
        ) from error
    if len(raw) < 8 or raw[:2] != b"\x00\x00" or raw[2] != 0x08:
        raise DataFileError(f"Data file {path} has no IDX uint8 header. Download it again.")
    n_dims = raw[3]
    header_size = 4 + 4 * n_dims
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(n_dims))
    expected_size = header_size + int(np.prod(shape))
    if len(raw) != expected_size:
        raise DataFileError(
            f"Data file {path} is truncated or padded: header says shape {shape} "
            f"({expected_size} bytes), file holds {len(raw)} bytes. Download it again."
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape)


def _load_idx_folder(folder):
    arrays = {key: read_idx(Path(folder) / name) for key, name in IDX_FILES.items()}
    return (arrays["train_images"], arrays["train_labels"],
            arrays["test_images"], arrays["test_labels"])


def _load_images(name, folder_name, class_names, flatten):
    data_dir = os.environ.get(DATA_DIR_VARIABLE)
    if data_dir:
        x_train, y_train, x_test, y_test = _load_idx_folder(Path(data_dir) / folder_name)
    else:
        import keras

        loader = getattr(keras.datasets, name)
        (x_train, y_train), (x_test, y_test) = loader.load_data()

    def prepare(images):
        images = images.astype("float32") / 255.0
        return images.reshape(len(images), -1) if flatten else images

    return ImageData(prepare(x_train), y_train.astype("int64"),
                     prepare(x_test), y_test.astype("int64"), class_names)


def load_mnist(flatten=True):
    """Return MNIST from ``$AECOURSE_DATA_DIR/mnist`` (or the Keras download), scaled to [0, 1]."""
    return _load_images("mnist", "mnist", MNIST_CLASS_NAMES, flatten)


def load_fashion_mnist(flatten=True):
    """Return Fashion-MNIST from ``$AECOURSE_DATA_DIR/fashion-mnist`` (or the Keras download)."""
    return _load_images("fashion_mnist", "fashion-mnist", FASHION_MNIST_CLASS_NAMES, flatten)


def take_subset(images, n_train=None, n_test=None, seed=0):
    """Return ``n_train`` training and ``n_test`` test examples drawn at random with ``seed``,
    the same ones every run, in their original order (None keeps all).

    Random, not the first ones: MNIST's first test images are easier than the rest.
    """
    rng = np.random.default_rng(seed)

    def chosen(n, total):
        if n is None or n >= total:
            return np.arange(total)
        return np.sort(rng.choice(total, size=n, replace=False))

    train = chosen(n_train, len(images.x_train))
    test = chosen(n_test, len(images.x_test))
    return ImageData(images.x_train[train], images.y_train[train], images.x_test[test],
                     images.y_test[test], images.class_names)


def first_of_each_class(labels, n_classes=10):
    """Return the index of the first example of each class 0..n_classes-1, in class order."""
    labels = np.asarray(labels)
    missing = [c for c in range(n_classes) if not np.any(labels == c)]
    if missing:
        raise ValueError(f"no example of class(es) {missing} among {len(labels)} labels")
    return np.array([int(np.argmax(labels == c)) for c in range(n_classes)])
