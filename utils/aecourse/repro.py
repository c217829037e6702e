"""Reproducibility: one call seeds every random number generator the course uses."""


def set_seed(seed=0):
    """Seed Python, NumPy and Keras, and make TensorFlow ops deterministic."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)  # seeds Python's random, NumPy and the backend
    tf.config.experimental.enable_op_determinism()
