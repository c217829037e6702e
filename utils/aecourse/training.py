"""Training helpers: compile and fit an autoencoder on its own inputs."""


def train_autoencoder(model, x_train, x_val=None, epochs=100, batch_size=16,
                      learning_rate=1e-3, loss="mse", shuffle=True, verbose=0):
    """Compile ``model`` (Adam, ``loss``) and fit it to reproduce ``x_train``; return the history.

    The returned ``history.history`` has ``loss`` and, when ``x_val`` is given, ``val_loss``.
    """
    import keras

    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=loss)
    validation = (x_val, x_val) if x_val is not None else None
    return model.fit(x_train, x_train, validation_data=validation, epochs=epochs,
                     batch_size=batch_size, shuffle=shuffle, verbose=verbose)


def predict_batched(model, x, batch_size=4096):
    """Return ``model(x)`` as a NumPy array, computed in eager batches.

    Calling the model directly avoids the ``tf.function`` retracing that ``predict`` triggers
    when a notebook evaluates many small models one after the other.
    """
    import numpy as np

    x = np.asarray(x, dtype="float32")
    batches = [model(x[start:start + batch_size], training=False)
               for start in range(0, len(x), batch_size)]
    return np.concatenate([np.asarray(batch) for batch in batches])


def encode(model, x, batch_size=4096):
    """Return the latent codes of ``x`` from an autoencoder's ``.encoder`` (or an encoder)."""
    return predict_batched(getattr(model, "encoder", model), x, batch_size)
