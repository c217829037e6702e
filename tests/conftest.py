"""Shared test settings: the same kernel environment as the course tooling (fast profile,
quiet and deterministic TensorFlow), also when pytest is run without make."""

import os

from autograder.notebooks import EXECUTION_ENV

for name, value in EXECUTION_ENV.items():
    os.environ.setdefault(name, value)
