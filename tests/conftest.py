"""Shared test settings: fast profile, quiet and deterministic TensorFlow."""

import os

os.environ.setdefault("AECOURSE_PROFILE", "fast")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
