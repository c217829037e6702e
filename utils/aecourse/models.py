"""Model builders: dense autoencoders with a mirrored decoder."""


def dense_autoencoder(input_dim, layer_sizes, activation="relu", latent_activation="relu",
                      output_activation="linear", activity_l1=None, name="autoencoder"):
    """Build an autoencoder ``input_dim -> *layer_sizes -> mirror -> input_dim``.

    ``layer_sizes`` lists the encoder's layers, the last one being the latent code; the decoder
    repeats the hidden sizes in reverse. ``activity_l1`` adds an L1 activity penalty to every
    encoder layer. The returned model has ``.encoder`` and ``.decoder`` sub-models.
    """
    import keras
    from keras import layers, regularizers

    layer_sizes = [int(size) for size in layer_sizes]
    if not layer_sizes or min(layer_sizes) < 1:
        raise ValueError(f"layer_sizes must list positive sizes, got {layer_sizes}")
    regularizer = regularizers.L1(activity_l1) if activity_l1 else None

    inputs = keras.Input(shape=(input_dim,), name="input")
    x = inputs
    for index, size in enumerate(layer_sizes):
        is_latent = index == len(layer_sizes) - 1
        x = layers.Dense(size, activation=latent_activation if is_latent else activation,
                         activity_regularizer=regularizer,
                         name="latent" if is_latent else f"encoder_{index + 1}")(x)
    encoder = keras.Model(inputs, x, name="encoder")

    codes = keras.Input(shape=(layer_sizes[-1],), name="code")
    y = codes
    for index, size in enumerate(reversed(layer_sizes[:-1])):
        y = layers.Dense(size, activation=activation, name=f"decoder_{index + 1}")(y)
    outputs = layers.Dense(input_dim, activation=output_activation, name="reconstruction")(y)
    decoder = keras.Model(codes, outputs, name="decoder")

    return join_autoencoder(encoder, decoder, name)


def join_autoencoder(encoder, decoder, name="autoencoder"):
    """Chain ``encoder`` and ``decoder`` into one model that keeps both as attributes."""
    import keras

    inputs = encoder.inputs[0]
    autoencoder = keras.Model(inputs, decoder(encoder(inputs)), name=name)
    autoencoder.encoder = encoder
    autoencoder.decoder = decoder
    return autoencoder


def flat_layers(model):
    """Return a model's layers in order, with nested sub-models replaced by their own layers."""
    return [leaf for layer in model.layers
            for leaf in (flat_layers(layer) if hasattr(layer, "layers") else [layer])]


def code_layer(model):
    """Return an autoencoder's code layer: its first narrowest Dense layer, nested or not."""
    dense = [layer for layer in flat_layers(model) if hasattr(layer, "units")]
    if not dense:
        raise ValueError(f"{model.name} has no Dense layer to take the code from")
    return min(dense, key=lambda layer: layer.units)


def with_code_penalty(model, l1):
    """Add an L1 penalty on the activations of ``model``'s code layer; return ``model``."""
    from keras import regularizers

    code_layer(model).activity_regularizer = regularizers.L1(l1)
    return model


def encoder_of(model):
    """Return an autoencoder's encoder: its ``.encoder``, the nested sub-model holding its
    code layer, or the model cut after that layer."""
    if hasattr(model, "encoder"):
        return model.encoder
    import keras

    code = code_layer(model)
    if flat_layers(model)[-1] is code:  # already an encoder
        return model
    for layer in model.layers:
        if hasattr(layer, "layers") and any(leaf is code for leaf in flat_layers(layer)):
            return layer
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    return keras.Model(inputs, code.output)


def dense_layer_sizes(model):
    """Return the unit counts of every Dense layer in ``model``, nested models included."""
    return [layer.units for layer in flat_layers(model) if hasattr(layer, "units")]


def bottleneck_layer_sizes(n_inputs, n_levels=2):
    """Return the encoder's level sizes before the bottleneck: 2n, n, n/2, ... (``n_levels``)."""
    if n_levels < 1:
        raise ValueError(f"n_levels must be at least 1, got {n_levels}")
    return [max(1, 2 * n_inputs // 2 ** level) for level in range(n_levels)]


def bottleneck_autoencoder(n_inputs, n_bottleneck, n_levels=2, name="autoencoder"):
    """Build the bottleneck exercise's autoencoder, with ``.encoder`` and ``.decoder``.

    Each encoder level is Dense-BatchNormalization-LeakyReLU with 2n, n, n/2, ... units, then a
    linear ``Dense(n_bottleneck)``; the decoder mirrors the levels and ends in a linear
    ``Dense(n_inputs)``.
    """
    import keras
    from keras import layers

    def level(x, units, prefix):
        x = layers.Dense(units, name=f"{prefix}_dense")(x)
        x = layers.BatchNormalization(name=f"{prefix}_norm")(x)
        return layers.LeakyReLU(name=f"{prefix}_leaky_relu")(x)

    sizes = bottleneck_layer_sizes(n_inputs, n_levels)
    inputs = keras.Input(shape=(n_inputs,), name="input")
    x = inputs
    for index, units in enumerate(sizes):
        x = level(x, units, f"encoder_{index + 1}")
    encoder = keras.Model(inputs, layers.Dense(n_bottleneck, name="bottleneck")(x),
                          name="encoder")

    codes = keras.Input(shape=(n_bottleneck,), name="code")
    y = codes
    for index, units in enumerate(reversed(sizes)):
        y = level(y, units, f"decoder_{index + 1}")
    outputs = layers.Dense(n_inputs, activation="linear", name="reconstruction")(y)
    decoder = keras.Model(codes, outputs, name="decoder")

    return join_autoencoder(encoder, decoder, name)


def layer_kinds(model):
    """Return the class names of ``model``'s layers in order, nested models flattened."""
    return [type(layer).__name__ for layer in flat_layers(model)
            if type(layer).__name__ != "InputLayer"]
