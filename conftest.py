"""Shared test settings, for tests/ and for nbval on notebooks/: the course tooling's kernel
environment (fast profile, quiet, deterministic TensorFlow), also when pytest runs without make."""

import os

from autograder.settings import EXECUTION_ENV

for name, value in EXECUTION_ENV.items():
    os.environ.setdefault(name, value)
