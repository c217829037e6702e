"""Checks called by the notebooks' test cells, with messages written for students.

Each check raises ``CheckFailed`` (an ``AssertionError``, so nbgrader counts it as a failed
test) with a sentence that says what was expected and what was found.
"""

from collections.abc import Mapping

import numpy as np

from aecourse.models import flat_layers


class CheckFailed(AssertionError):
    """A check did not pass; the message tells the student what to fix."""

    def _render_traceback_(self):
        """Show students the message only: IPython's traceback would walk through this module."""
        return [f"\x1b[0;31mCheckFailed\x1b[0m: {self}"]


def _fail(message):
    raise CheckFailed(message)


def run_answer(function, *args, **kwargs):
    """Call a student's function; an unfinished stub gives a friendly message."""
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        _fail(f"{function.__name__}() is not written yet: replace `raise NotImplementedError()` "
              "with your code, then run its cell again.")


def check_type(name, value, expected_type):
    """Fail unless ``value`` is an instance of ``expected_type`` (a type or a tuple of types)."""
    if not isinstance(value, expected_type):
        types = expected_type if isinstance(expected_type, tuple) else (expected_type,)
        expected = " or a ".join(getattr(kind, "__name__", str(kind)) for kind in types)
        _fail(f"{name} should be a {expected}, got a {type(value).__name__}.")


def check_number(name, value):
    """Fail unless ``value`` is one real number: Python's or NumPy's, float32 or float64."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.number) \
            or isinstance(value, np.complexfloating):
        _fail(f"{name} should be a single number, got a {type(value).__name__}.")


def check_shape(name, array, expected_shape):
    """Fail unless ``array`` has ``expected_shape`` (None in it matches any size)."""
    shape = tuple(np.shape(array))
    matches = len(shape) == len(expected_shape) and all(
        want is None or want == got for want, got in zip(expected_shape, shape, strict=True))
    if not matches:
        _fail(f"{name} should have shape {tuple(expected_shape)}, got {shape}.")


def check_close(name, value, expected, atol=1e-6, rtol=1e-5):
    """Fail unless ``value`` is numerically close to ``expected`` (arrays or numbers)."""
    value, expected = np.asarray(value, dtype=float), np.asarray(expected, dtype=float)
    if value.shape != expected.shape:
        _fail(f"{name} should have shape {expected.shape}, got {value.shape}.")
    if not np.allclose(value, expected, atol=atol, rtol=rtol, equal_nan=False):
        worst = np.max(np.abs(value - expected)) if value.size else 0.0
        shown = f"{float(expected):.4g}, got {float(value):.4g}" if value.ndim == 0 else \
            f"values within {atol:g}; largest difference is {worst:.3g}"
        _fail(f"{name}: expected {shown}.")


def _plain(value):
    """Return ``value`` as plain Python: mappings as dicts, sequences and arrays as lists."""
    if isinstance(value, Mapping):
        return {_plain(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(item) for item in value]
    return value.item() if isinstance(value, np.generic) else value


def check_equal(name, value, expected):
    """Fail unless ``value == expected``, whatever the style: a dict subclass, a tuple for a
    list, NumPy strings and numbers compare as their plain Python values."""
    if _plain(value) != _plain(expected):
        _fail(f"{name}: expected {_plain(expected)!r}, got {_plain(value)!r}.")


def check_in_range(name, value, low, high):
    """Fail unless ``low <= value <= high``."""
    if not np.isscalar(value) and np.ndim(value) != 0:
        _fail(f"{name} should be a single number, got {type(value).__name__}.")
    if not low <= float(value) <= high:
        _fail(f"{name} should lie between {low} and {high}, got {float(value):.4g}.")


def output_units(model):
    """Return the size of a Keras model's output (functional or Sequential)."""
    try:
        return model.output.shape[-1]
    except (AttributeError, ValueError):
        try:
            return model.compute_output_shape(model.input_shape)[-1]
        except (AttributeError, ValueError):
            _fail(f"cannot tell the output size of {model.name!r}: give it a keras.Input "
                  "first, e.g. keras.Input(shape=(n_features,)).")


def check_latent_units(encoder, expected):
    """Fail unless the encoder (or an autoencoder's ``.encoder``) outputs ``expected`` units."""
    units = output_units(getattr(encoder, "encoder", encoder))
    if units != expected:
        _fail(f"expected {expected} latent units, got {units}.")


def check_output_units(model, expected):
    """Fail unless the model's output has ``expected`` units."""
    units = output_units(model)
    if units != expected:
        _fail(f"the model should output {expected} values per example (one per input "
              f"feature), got {units}.")


def check_activation(layer, expected):
    """Fail unless a Dense layer (or a model's last layer, nested models included) uses the
    activation named ``expected``."""
    if hasattr(layer, "layers"):
        layers = flat_layers(layer)
        if not layers:
            _fail(f"model {layer.name!r} has no layers.")
        layer = layers[-1]
    activation = getattr(layer, "activation", None)
    if activation is None:
        _fail(f"the last layer should be a Dense layer with the {expected!r} activation, got a "
              f"{type(layer).__name__} ({layer.name!r}).")
    name = getattr(activation, "__name__", str(activation))
    if name != expected:
        _fail(f"layer {layer.name!r} should use the {expected!r} activation, got {name!r}.")


def check_param_count(model, expected):
    """Fail unless the model has ``expected`` trainable and non-trainable parameters in all."""
    count = model.count_params()
    if count != expected:
        _fail(f"expected {expected:,} parameters, got {count:,}: check the layer sizes.")


def check_sequence(name, values, expected):
    """Fail unless the list ``values`` equals ``expected``; name the first difference."""
    values, expected = list(values), list(expected)
    for position, (got, want) in enumerate(zip(values, expected, strict=False)):
        if got != want:
            _fail(f"{name}: item {position + 1} should be {want!r}, got {got!r} "
                  f"(expected {expected}).")
    if len(values) != len(expected):
        _fail(f"{name}: expected {len(expected)} items, got {len(values)} (expected {expected}, "
              f"got {values}).")


def show_warnings_on_stdout():
    """Print Python warnings on stdout (grading kernels: nbgrader scores stderr output 0)."""
    import sys
    import warnings

    def show(message, category, filename, lineno, file=None, line=None):
        sys.stdout.write(warnings.formatwarning(message, category, filename, lineno, line))

    warnings.showwarning = show


def passed(exercise):
    """Print the message shown when a test cell's visible checks pass."""
    print(f"{exercise}: visible checks passed. Hidden tests will check more when it is graded.")
