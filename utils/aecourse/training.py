"""Training helpers: compile and fit an autoencoder on its own inputs."""


def train_autoencoder(model, x_train, x_val=None, epochs=100, batch_size=16,
                      learning_rate=1e-3, shuffle=True, verbose=0):
    """Compile ``model`` with Adam and MSE, fit it to reproduce ``x_train``; return the history.

    The returned ``history.history`` has ``loss`` and, when ``x_val`` is given, ``val_loss``.
    """
    import keras

    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss="mse")
    validation = (x_val, x_val) if x_val is not None else None
    return model.fit(x_train, x_train, validation_data=validation, epochs=epochs,
                     batch_size=batch_size, shuffle=shuffle, verbose=verbose)


def encode(model, x, batch_size=1024):
    """Return the latent codes of ``x`` from an autoencoder's ``.encoder`` (or an encoder)."""
    encoder = getattr(model, "encoder", model)
    return encoder.predict(x, batch_size=batch_size, verbose=0)
