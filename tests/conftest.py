"""Shared test settings: the same kernel environment as the course tooling (fast profile,
quiet and deterministic TensorFlow), also when pytest is run without make."""

import os

from autograder.notebooks import EXECUTION_ENV

for name, value in EXECUTION_ENV.items():
    os.environ.setdefault(name, value)


def pytest_collection_modifyitems(items):
    """Keep each notebook's nbval cells on one xdist worker, in order (they share a kernel)."""
    import pytest

    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.xdist_group(item.path.name))
