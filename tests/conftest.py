"""Shared test settings: the same kernel environment as the course tooling (fast profile,
quiet and deterministic TensorFlow), also when pytest is run without make."""

import os

import pytest

from autograder.notebooks import EXECUTION_ENV

for name, value in EXECUTION_ENV.items():
    os.environ.setdefault(name, value)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    """Keep what shares state on one xdist worker (``--dist loadgroup``): each notebook's nbval
    cells (one kernel, in order) and the tests of each graded class (one module fixture)."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.xdist_group(item.path.name))
        params = getattr(item, "callspec", None) and item.callspec.params
        if params and "graded" in params:
            item.add_marker(pytest.mark.xdist_group(f"graded-{params['graded']}"))
