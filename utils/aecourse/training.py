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
    """Return the latent codes of ``x`` from an autoencoder (its encoder: ``encoder_of``)."""
    from aecourse.models import encoder_of

    return predict_batched(encoder_of(model), x, batch_size)


def learning_rate_range_test(model, x, min_lr=1e-5, max_lr=1.0, steps=100, batch_size=16,
                             loss="mse", seed=0, eval_size=512):
    """Train ``model`` one batch per learning rate, from ``min_lr`` to ``max_lr`` (log scale).

    The learning-rate range test (Smith, 2017): returns ``{"learning_rate", "loss"}``, the loss
    on the same ``eval_size`` rows of ``x`` after each step (one batch's own loss is too noisy
    to read); it stops early once the loss is not finite or 4 times its lowest.
    """
    import keras
    import numpy as np

    model.compile(optimizer=keras.optimizers.Adam(learning_rate=min_lr), loss=loss)
    rng = np.random.default_rng(seed)
    held = x[rng.choice(len(x), size=min(eval_size, len(x)), replace=False)]
    rates, losses = np.geomspace(min_lr, max_lr, steps), []
    for rate in rates:
        batch = x[rng.choice(len(x), size=min(batch_size, len(x)), replace=False)]
        model.optimizer.learning_rate.assign(rate)
        model.train_on_batch(batch, batch)
        losses.append(float(model.test_on_batch(held, held)))
        if not np.isfinite(losses[-1]) or losses[-1] > 4 * min(losses):
            break
    return {"learning_rate": rates[:len(losses)], "loss": np.array(losses)}


def steepest_learning_rate(range_test, window=5, decades=0.5):
    """Return the rate at which a range test's smoothed loss falls fastest, before its lowest.

    The fall is measured over ``decades`` of learning rate: one noisy step near the blow-up
    never wins.
    """
    import numpy as np

    losses = np.asarray(range_test["loss"], dtype=float)
    rates = np.asarray(range_test["learning_rate"], dtype=float)
    span = max(1, round(decades / np.log10(rates[1] / rates[0]))) if len(rates) > 1 else 1
    if len(losses) < window + span + 1:
        raise ValueError(f"the range test stopped after {len(losses)} batches; "
                         f"start from a smaller min_lr")
    smooth = np.convolve(losses, np.ones(window) / window, mode="valid")
    centres = rates[window // 2:][:len(smooth)]
    lowest = int(np.argmin(smooth))
    if lowest < span:
        raise ValueError("the loss never falls in the range test; start from a smaller min_lr")
    falls = smooth[span:lowest + 1] - smooth[:lowest + 1 - span]
    start = int(np.argmin(falls))
    return float(np.sqrt(centres[start] * centres[start + span]))
