"""The wrong-answer catalogue: plausible mistakes and shortcuts for every autograded exercise.

``MISTAKES[assignment][answer_id]`` lists ``(label, code)`` pairs; the code replaces the answer
cell and must lose exactly that exercise's points. Labels that start with "shortcut" delegate
to one of the exercise's twins (``autograder.settings.TWINS``): the course package's own
versions, which the hidden tests switch off while the answer is graded.
"""

MISTAKES = {
    "01_wine_basics": {
        "standardise": [
            ("sample standard deviation (ddof=1)",
             "def standardise(features):\n"
             "    features = np.asarray(features, dtype=float)\n"
             "    return (features - features.mean(axis=0)) / features.std(axis=0, ddof=1)\n"),
            ("changes its argument in place",
             "def standardise(features):\n"
             "    features -= features.mean(axis=0)\n"
             "    features /= features.std(axis=0)\n"
             "    return features\n"),
        ],
        "build_shallow_autoencoder": [
            ("sigmoid output",
             "def build_shallow_autoencoder(n_features, encoding_dim):\n"
             "    inputs = keras.Input(shape=(n_features,))\n"
             "    codes = layers.Dense(encoding_dim, activation='relu')(inputs)\n"
             "    outputs = layers.Dense(n_features, activation='sigmoid')(codes)\n"
             "    return keras.Model(inputs, outputs), keras.Model(inputs, codes)\n"),
            ("encoder with its own Dense layer",
             "def build_shallow_autoencoder(n_features, encoding_dim):\n"
             "    inputs = keras.Input(shape=(n_features,))\n"
             "    codes = layers.Dense(encoding_dim, activation='relu')(inputs)\n"
             "    outputs = layers.Dense(n_features)(codes)\n"
             "    other_codes = layers.Dense(encoding_dim, activation='relu')(inputs)\n"
             "    return keras.Model(inputs, outputs), keras.Model(inputs, other_codes)\n"),
            ("shortcut: dense_autoencoder",
             "def build_shallow_autoencoder(n_features, encoding_dim):\n"
             "    from aecourse.models import dense_autoencoder\n"
             "    model = dense_autoencoder(n_features, [encoding_dim])\n"
             "    return model, model.encoder\n"),
            ('spelling: a ReLU layer after the linear output',
             'def build_shallow_autoencoder(n_features, encoding_dim):\n'
             '    inputs = keras.Input(shape=(n_features,))\n'
             '    codes = layers.Dense(encoding_dim, activation="relu")(inputs)\n'
             '    outputs = layers.Activation("relu")(layers.Dense(n_features)(codes))\n'
             '    return keras.Model(inputs, outputs), keras.Model(inputs, codes)\n'),
            ('spelling: a sigmoid inside a function named linear',
             'def linear(values):\n'
             '    return keras.activations.sigmoid(values)\n'
             '\n'
             '\n'
             'def build_shallow_autoencoder(n_features, encoding_dim):\n'
             '    inputs = keras.Input(shape=(n_features,))\n'
             '    codes = layers.Dense(encoding_dim, activation="relu")(inputs)\n'
             '    outputs = layers.Dense(n_features, activation=linear)(codes)\n'
             '    return keras.Model(inputs, outputs), keras.Model(inputs, codes)\n'),
            ('no bias in the output layer',
             'def build_shallow_autoencoder(n_features, encoding_dim):\n'
             '    inputs = keras.Input(shape=(n_features,))\n'
             '    codes = layers.Dense(encoding_dim, activation="relu")(inputs)\n'
             '    outputs = layers.Dense(n_features, use_bias=False)(codes)\n'
             '    return keras.Model(inputs, outputs), keras.Model(inputs, codes)\n'),
        ],
        "positive_weight_features": [
            ("non-negative instead of positive",
             "def positive_weight_features(weights, feature_names):\n"
             "    weights = np.asarray(weights)\n"
             "    return {f'Factor {j + 1}': [n for n, w in zip(feature_names, weights[:, j])\n"
             "                               if w >= 0] for j in range(weights.shape[1])}\n"),
            ("numbers the factors from 0",
             "def positive_weight_features(weights, feature_names):\n"
             "    weights = np.asarray(weights)\n"
             "    return {f'Factor {j}': [n for n, w in zip(feature_names, weights[:, j])\n"
             "                           if w > 0] for j in range(weights.shape[1])}\n"),
            ('factors listed from the last to the first',
             'def positive_weight_features(weights, feature_names):\n'
             '    weights = np.asarray(weights)\n'
             '    return {f"Factor {j + 1}": [name for name, weight in zip(feature_names, weights[:, j])\n'
             '                               if weight > 0] for j in reversed(range(weights.shape[1]))}\n'),
        ],
        "cluster_codes": [
            (f"DBSCAN(eps={eps}, min_samples={samples})",
             "def cluster_codes(codes):\n"
             f"    return {{'DBSCAN': DBSCAN(eps={eps}, min_samples={samples}).fit_predict(codes),\n"
             "            'KMeans': KMeans(n_clusters=3, n_init=10, random_state=0)"
             ".fit_predict(codes)}\n")
            for eps, samples in ((1.5, 5), (2.0, 5), (1.8, 3), (1.8, 10), (2.5, 10), (1.0, 3))
        ] + [
            ("KMeans with 2 clusters",
             "def cluster_codes(codes):\n"
             "    return {'DBSCAN': DBSCAN(eps=1.8, min_samples=5).fit_predict(codes),\n"
             "            'KMeans': KMeans(n_clusters=2, n_init=10, random_state=0)"
             ".fit_predict(codes)}\n"),
        ],
        "diagnose_fit": [
            ("always a good fit", "def diagnose_fit(train_loss, val_loss):\n    return 'good fit'\n"),
            ("ignores nan",
             "def diagnose_fit(train_loss, val_loss):\n"
             "    train_loss, val_loss = np.asarray(train_loss, float), np.asarray(val_loss, float)\n"
             "    if train_loss[-1] > 1.05 * np.nanmin(train_loss):\n"
             "        return 'diverged'\n"
             "    if val_loss[-1] > 1.05 * np.min(val_loss):\n"
             "        return 'overfitting'\n"
             "    if train_loss[-1] < 0.95 * train_loss[-1 - max(1, len(train_loss) // 4)]:\n"
             "        return 'still learning'\n"
             "    if train_loss[-1] > 0.5 * train_loss[0]:\n"
             "        return 'underfitting'\n"
             "    return 'good fit'\n"),
            ("no still-learning rule: an under-trained model called underfitting",
             "def diagnose_fit(train_loss, val_loss):\n"
             "    train_loss, val_loss = np.asarray(train_loss, float), np.asarray(val_loss, float)\n"
             "    if not np.all(np.isfinite(train_loss)) or train_loss[-1] > 1.05 * np.min(train_loss):\n"
             "        return 'diverged'\n"
             "    if val_loss[-1] > 1.05 * np.min(val_loss):\n"
             "        return 'overfitting'\n"
             "    if train_loss[-1] > 0.5 * train_loss[0]:\n"
             "        return 'underfitting'\n"
             "    return 'good fit'\n"),
            ("still learning judged on the last epoch only",
             "def diagnose_fit(train_loss, val_loss):\n"
             "    train_loss, val_loss = np.asarray(train_loss, float), np.asarray(val_loss, float)\n"
             "    if not np.all(np.isfinite(train_loss)) or train_loss[-1] > 1.05 * np.min(train_loss):\n"
             "        return 'diverged'\n"
             "    if val_loss[-1] > 1.05 * np.min(val_loss):\n"
             "        return 'overfitting'\n"
             "    if train_loss[-1] < 0.95 * train_loss[-2]:\n"
             "        return 'still learning'\n"
             "    if train_loss[-1] > 0.5 * train_loss[0]:\n"
             "        return 'underfitting'\n"
             "    return 'good fit'\n"),
        ],
    },
    "02_depth_study": {
        "build_autoencoder": [
            ("ReLU on the code layer",
             "def build_autoencoder(input_dim, hidden_sizes):\n"
             "    inputs = keras.Input(shape=(input_dim,))\n"
             "    x = inputs\n"
             "    for size in hidden_sizes:\n"
             "        x = layers.Dense(size, activation='relu')(x)\n"
             "    for size in reversed(hidden_sizes[:-1]):\n"
             "        x = layers.Dense(size, activation='relu')(x)\n"
             "    return keras.Model(inputs, layers.Dense(input_dim, activation='sigmoid')(x))\n"),
            ("shortcut: dense_autoencoder",
             "def build_autoencoder(input_dim, hidden_sizes):\n"
             "    from aecourse.models import dense_autoencoder\n"
             "    return dense_autoencoder(input_dim, hidden_sizes, latent_activation=None,\n"
             "                             output_activation='sigmoid')\n"),
            ('spelling: a ReLU layer after the code layer',
             'def build_autoencoder(input_dim, hidden_sizes):\n'
             '    model = keras.Sequential([keras.Input(shape=(input_dim,))])\n'
             '    for size in hidden_sizes:\n'
             '        model.add(layers.Dense(size))\n'
             '        model.add(layers.ReLU())\n'
             '    for size in hidden_sizes[-2::-1]:\n'
             '        model.add(layers.Dense(size, activation="relu"))\n'
             '    model.add(layers.Dense(input_dim, activation="sigmoid"))\n'
             '    return model\n'),
            ('spelling: a tanh inside a function named linear on the code layer',
             'def linear(values):\n'
             '    return ops.tanh(values)\n'
             '\n'
             '\n'
             'def build_autoencoder(input_dim, hidden_sizes):\n'
             '    inputs = keras.Input(shape=(input_dim,))\n'
             '    x = inputs\n'
             '    for size in hidden_sizes[:-1]:\n'
             '        x = layers.Dense(size, activation="relu")(x)\n'
             '    x = layers.Dense(hidden_sizes[-1], activation=linear)(x)\n'
             '    for size in reversed(hidden_sizes[:-1]):\n'
             '        x = layers.Dense(size, activation="relu")(x)\n'
             '    return keras.Model(inputs, layers.Dense(input_dim, activation="sigmoid")(x))\n'),
            ('no bias in the code layer',
             'def build_autoencoder(input_dim, hidden_sizes):\n'
             '    inputs = keras.Input(shape=(input_dim,))\n'
             '    x = inputs\n'
             '    for size in hidden_sizes[:-1]:\n'
             '        x = layers.Dense(size, activation="relu")(x)\n'
             '    x = layers.Dense(hidden_sizes[-1], use_bias=False)(x)\n'
             '    for size in reversed(hidden_sizes[:-1]):\n'
             '        x = layers.Dense(size, activation="relu")(x)\n'
             '    return keras.Model(inputs, layers.Dense(input_dim, activation="sigmoid")(x))\n'),
        ],
        "count_parameters": [
            ("forgets the biases",
             "def count_parameters(input_dim, hidden_sizes):\n"
             "    sizes = [input_dim, *hidden_sizes, *reversed(hidden_sizes[:-1]), input_dim]\n"
             "    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))\n"),
            ("shortcut: dense_autoencoder(...).count_params()",
             "def count_parameters(input_dim, hidden_sizes):\n"
             "    from aecourse.models import dense_autoencoder\n"
             "    return dense_autoencoder(input_dim, hidden_sizes).count_params()\n"),
        ],
        "latent_quality": [
            ("silhouette of the training codes",
             "def latent_quality(train_codes, train_labels, test_codes, test_labels):\n"
             "    return {'kNN accuracy': knn_accuracy(train_codes, train_labels, test_codes,\n"
             "                                         test_labels),\n"
             "            'silhouette': latent_silhouette(train_codes, train_labels)}\n"),
            ("kNN fitted on the test codes",
             "def latent_quality(train_codes, train_labels, test_codes, test_labels):\n"
             "    return {'kNN accuracy': knn_accuracy(test_codes, test_labels, train_codes,\n"
             "                                         train_labels),\n"
             "            'silhouette': latent_silhouette(test_codes, test_labels)}\n"),
        ],
    },
    "03_latent_size": {
        "pca_reconstruction_error": [
            ("PCA fitted on the test images",
             "def pca_reconstruction_error(x_train, x_test, n_components):\n"
             "    pca = PCA(n_components=n_components).fit(x_test)\n"
             "    return float(np.mean((x_test - pca.inverse_transform(pca.transform(x_test))) ** 2))\n"),
        ],
        "linear_probe_accuracy": [
            ("no StandardScaler",
             "def linear_probe_accuracy(train_features, train_labels, test_features, test_labels):\n"
             "    probe = LogisticRegression(max_iter=1000).fit(train_features, train_labels)\n"
             "    return float(probe.score(test_features, test_labels))\n"),
            ("scored on the training features",
             "def linear_probe_accuracy(train_features, train_labels, test_features, test_labels):\n"
             "    probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))\n"
             "    probe.fit(train_features, train_labels)\n"
             "    return float(probe.score(train_features, train_labels))\n"),
            ("shortcut: probe_accuracy",
             "def linear_probe_accuracy(train_features, train_labels, test_features, test_labels):\n"
             "    from aecourse.metrics import probe_accuracy\n"
             "    return probe_accuracy(train_features, train_labels, test_features, test_labels)\n"),
        ],
        "smallest_sufficient_size": [
            ("the size with the lowest error",
             "def smallest_sufficient_size(sizes, errors, tolerance=0.10):\n"
             "    return sizes[errors.index(min(errors))]\n"),
            ("first size within tolerance, in list order",
             "def smallest_sufficient_size(sizes, errors, tolerance=0.10):\n"
             "    best = min(errors)\n"
             "    return next(s for s, e in zip(sizes, errors) if e <= (1 + tolerance) * best)\n"),
        ],
    },
    "04_vae": {
        "sampling_layer": [
            ("the same noise on every call",
             "class Sampling(layers.Layer):\n"
             "    def __init__(self, seed=None, **kwargs):\n"
             "        super().__init__(**kwargs)\n"
             "        self.seed = seed\n\n"
             "    def call(self, inputs):\n"
             "        z_mean, z_log_var = inputs\n"
             "        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed or 0)\n"
             "        return z_mean + ops.exp(0.5 * z_log_var) * epsilon\n"),
            ("shortcut: the package's Sampling",
             "import aecourse.vae\n\n\n"
             "class Sampling(layers.Layer):\n"
             "    def __init__(self, seed=None, **kwargs):\n"
             "        super().__init__(**kwargs)\n"
             "        self.reference = aecourse.vae.Sampling(seed=seed)\n\n"
             "    def call(self, inputs):\n"
             "        return self.reference(inputs)\n"),
            ('two fixed noises used in turn',
             'class Sampling(layers.Layer):\n'
             '    def __init__(self, seed=None, **kwargs):\n'
             '        super().__init__(**kwargs)\n'
             '        self.calls = 0\n'
             '\n'
             '    def call(self, inputs):\n'
             '        z_mean, z_log_var = inputs\n'
             '        self.calls += 1\n'
             '        noise = keras.random.normal(ops.shape(z_mean), seed=self.calls % 2)\n'
             '        return z_mean + ops.exp(0.5 * z_log_var) * noise\n'),
            ('a shifted mean, no noise',
             'class Sampling(layers.Layer):\n'
             '    def __init__(self, seed=None, **kwargs):\n'
             '        super().__init__(**kwargs)\n'
             '\n'
             '    def call(self, inputs):\n'
             '        z_mean, z_log_var = inputs\n'
             '        return z_mean + 0.01 * ops.exp(0.5 * z_log_var)\n'),
            ('the same NumPy noise on every call',
             'class Sampling(layers.Layer):\n'
             '    def __init__(self, seed=None, **kwargs):\n'
             '        super().__init__(**kwargs)\n'
             '\n'
             '    def call(self, inputs):\n'
             '        z_mean, z_log_var = inputs\n'
             '        noise = np.random.default_rng(0).normal(size=tuple(ops.shape(z_mean)))\n'
             '        return z_mean + ops.exp(0.5 * z_log_var) * ops.cast(noise, "float32")\n'),
            ('a small constant added to the standard deviation',
             'class Sampling(layers.Layer):\n'
             '    def __init__(self, seed=None, **kwargs):\n'
             '        super().__init__(**kwargs)\n'
             '        self.seed_generator = keras.random.SeedGenerator(seed)\n'
             '\n'
             '    def call(self, inputs):\n'
             '        z_mean, z_log_var = inputs\n'
             '        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)\n'
             '        return z_mean + (ops.exp(0.5 * z_log_var) + 1e-3) * epsilon\n'),
        ],
        "kl_term": [
            ("summed over the latent dimensions",
             "def kl_term(z_mean, z_log_var):\n"
             "    return -0.5 * ops.sum(1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var),\n"
             "                          axis=-1)\n"),
            ("shortcut: kl_divergence",
             "def kl_term(z_mean, z_log_var):\n"
             "    from aecourse.vae import kl_divergence\n"
             "    return kl_divergence(z_mean, z_log_var, 'mean')\n"),
        ],
        "vae_total_loss": [
            ("summed over the batch",
             "def vae_total_loss(x, x_hat, z_mean, z_log_var):\n"
             "    return ops.sum(reconstruction_loss(x, x_hat) + kl_term(z_mean, z_log_var))\n"),
            ("forgets the KL term",
             "def vae_total_loss(x, x_hat, z_mean, z_log_var):\n"
             "    return ops.mean(reconstruction_loss(x, x_hat))\n"),
            ("shortcut: kl_divergence",
             "def vae_total_loss(x, x_hat, z_mean, z_log_var):\n"
             "    from aecourse.vae import kl_divergence\n"
             "    return ops.mean(reconstruction_loss(x, x_hat)\n"
             "                    + kl_divergence(z_mean, z_log_var, 'mean'))\n"),
        ],
        "build_encoder_decoder": [
            ("no sampling: z is z_mean",
             "def build_encoder(intermediate_dim, latent_dim=2):\n"
             "    inputs = keras.Input(shape=(784,))\n"
             "    hidden = layers.Dense(intermediate_dim, activation='relu')(inputs)\n"
             "    z_mean = layers.Dense(latent_dim)(hidden)\n"
             "    z_log_var = layers.Dense(latent_dim)(hidden)\n"
             "    return keras.Model(inputs, [z_mean, z_log_var, z_mean])\n\n\n"
             "def build_decoder(intermediate_dim, latent_dim=2):\n"
             "    codes = keras.Input(shape=(latent_dim,))\n"
             "    hidden = layers.Dense(intermediate_dim, activation='relu')(codes)\n"
             "    return keras.Model(codes, layers.Dense(784, activation='sigmoid')(hidden))\n"),
            ("ReLU on the z heads",
             "def build_encoder(intermediate_dim, latent_dim=2):\n"
             "    inputs = keras.Input(shape=(784,))\n"
             "    hidden = layers.Dense(intermediate_dim, activation='relu')(inputs)\n"
             "    z_mean = layers.Dense(latent_dim, activation='relu')(hidden)\n"
             "    z_log_var = layers.Dense(latent_dim, activation='relu')(hidden)\n"
             "    z = Sampling()([z_mean, z_log_var])\n"
             "    return keras.Model(inputs, [z_mean, z_log_var, z])\n\n\n"
             "def build_decoder(intermediate_dim, latent_dim=2):\n"
             "    codes = keras.Input(shape=(latent_dim,))\n"
             "    hidden = layers.Dense(intermediate_dim, activation='relu')(codes)\n"
             "    return keras.Model(codes, layers.Dense(784, activation='sigmoid')(hidden))\n"),
            ("shortcut: vae_encoder and vae_decoder",
             "def build_encoder(intermediate_dim, latent_dim=2):\n"
             "    from aecourse.vae import vae_encoder\n"
             "    return vae_encoder(784, intermediate_dim, latent_dim)\n\n\n"
             "def build_decoder(intermediate_dim, latent_dim=2):\n"
             "    from aecourse.vae import vae_decoder\n"
             "    return vae_decoder(latent_dim, intermediate_dim, 784)\n"),
            ('spelling: a ReLU layer after z_mean',
             'def build_encoder(intermediate_dim, latent_dim=2):\n'
             '    inputs = keras.Input(shape=(784,))\n'
             '    hidden = layers.Dense(intermediate_dim, activation="relu")(inputs)\n'
             '    z_mean = layers.ReLU()(layers.Dense(latent_dim)(hidden))\n'
             '    z_log_var = layers.Dense(latent_dim)(hidden)\n'
             '    return keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])\n'
             '\n'
             '\n'
             'def build_decoder(intermediate_dim, latent_dim=2):\n'
             '    codes = keras.Input(shape=(latent_dim,))\n'
             '    hidden = layers.Dense(intermediate_dim, activation="relu")(codes)\n'
             '    return keras.Model(codes, layers.Dense(784, activation="sigmoid")(hidden))\n'),
            ('z is z_mean moved a little, no sampling',
             'def build_encoder(intermediate_dim, latent_dim=2):\n'
             '    inputs = keras.Input(shape=(784,))\n'
             '    hidden = layers.Dense(intermediate_dim, activation="relu")(inputs)\n'
             '    z_mean = layers.Dense(latent_dim)(hidden)\n'
             '    z_log_var = layers.Dense(latent_dim)(hidden)\n'
             '    z = layers.Lambda(lambda parts: parts[0] + 0.01)([z_mean, z_log_var])\n'
             '    return keras.Model(inputs, [z_mean, z_log_var, z])\n'
             '\n'
             '\n'
             'def build_decoder(intermediate_dim, latent_dim=2):\n'
             '    codes = keras.Input(shape=(latent_dim,))\n'
             '    hidden = layers.Dense(intermediate_dim, activation="relu")(codes)\n'
             '    return keras.Model(codes, layers.Dense(784, activation="sigmoid")(hidden))\n'),
            ('z heads without bias',
             'def build_encoder(intermediate_dim, latent_dim=2):\n'
             '    inputs = keras.Input(shape=(784,))\n'
             '    hidden = layers.Dense(intermediate_dim, activation="relu")(inputs)\n'
             '    z_mean = layers.Dense(latent_dim, use_bias=False)(hidden)\n'
             '    z_log_var = layers.Dense(latent_dim, use_bias=False)(hidden)\n'
             '    return keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])\n'
             '\n'
             '\n'
             'def build_decoder(intermediate_dim, latent_dim=2):\n'
             '    codes = keras.Input(shape=(latent_dim,))\n'
             '    hidden = layers.Dense(intermediate_dim, activation="relu")(codes)\n'
             '    return keras.Model(codes, layers.Dense(784, activation="sigmoid")(hidden))\n'),
            ('a linear decoder output',
             'def build_encoder(intermediate_dim, latent_dim=2):\n'
             '    inputs = keras.Input(shape=(784,))\n'
             '    hidden = layers.Dense(intermediate_dim, activation="relu")(inputs)\n'
             '    z_mean = layers.Dense(latent_dim)(hidden)\n'
             '    z_log_var = layers.Dense(latent_dim)(hidden)\n'
             '    return keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])\n'
             '\n'
             '\n'
             'def build_decoder(intermediate_dim, latent_dim=2):\n'
             '    codes = keras.Input(shape=(latent_dim,))\n'
             '    hidden = layers.Dense(intermediate_dim, activation="relu")(codes)\n'
             '    return keras.Model(codes, layers.Dense(784)(hidden))\n'),
        ],
        "decode_latent_grid": [
            ("grid points in column order",
             "def decode_latent_grid(decoder, n, limit):\n"
             "    points = latent_grid(n, limit)\n"
             "    return decoder.predict(points[:, ::-1] * [1, -1], verbose=0)\n"),
            ('one predict call per point, the call counter set back to 1',
             'def decode_latent_grid(decoder, n, limit):\n'
             '    images = np.concatenate([decoder.predict(point[None, :], verbose=0)\n'
             '                             for point in latent_grid(n, limit)])\n'
             '    decoder.calls = 1\n'
             '    return images\n'),
            ("the decoder ignored: the grid's points repeated",
             'def decode_latent_grid(decoder, n, limit):\n'
             '    decoder.calls += 1\n'
             '    return np.repeat(latent_grid(n, limit), 392, axis=1)\n'),
        ],
        "beta_vae_loss": [
            ("KL averaged over the latent dimensions",
             "def beta_vae_loss(x, x_hat, z_mean, z_log_var, beta):\n"
             "    return ops.mean(reconstruction_loss(x, x_hat) + beta * kl_term(z_mean, z_log_var))\n"),
            ("beta weighs the reconstruction instead of the KL",
             "def beta_vae_loss(x, x_hat, z_mean, z_log_var, beta):\n"
             "    kl = -0.5 * ops.sum(1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var),\n"
             "                        axis=-1)\n"
             "    return ops.mean(beta * reconstruction_loss(x, x_hat) + kl)\n"),
            ("beta ignored: the ELBO",
             "def beta_vae_loss(x, x_hat, z_mean, z_log_var, beta):\n"
             "    kl = -0.5 * ops.sum(1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var),\n"
             "                        axis=-1)\n"
             "    return ops.mean(reconstruction_loss(x, x_hat) + kl)\n"),
            ("summed over the batch",
             "def beta_vae_loss(x, x_hat, z_mean, z_log_var, beta):\n"
             "    kl = -0.5 * ops.sum(1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var),\n"
             "                        axis=-1)\n"
             "    return ops.sum(reconstruction_loss(x, x_hat) + beta * kl)\n"),
            ("shortcut: kl_divergence",
             "def beta_vae_loss(x, x_hat, z_mean, z_log_var, beta):\n"
             "    from aecourse.vae import kl_divergence\n"
             "    return ops.mean(reconstruction_loss(x, x_hat)\n"
             "                    + beta * kl_divergence(z_mean, z_log_var, 'sum'))\n"),
        ],
        "kl_per_dimension": [
            ("averaged over the latent dimensions: one value per image",
             "def kl_per_dimension(z_mean, z_log_var):\n"
             "    terms = -0.5 * (1.0 + z_log_var - np.square(z_mean) - np.exp(z_log_var))\n"
             "    return np.mean(terms, axis=1)\n"),
            ("summed over the images",
             "def kl_per_dimension(z_mean, z_log_var):\n"
             "    terms = -0.5 * (1.0 + z_log_var - np.square(z_mean) - np.exp(z_log_var))\n"
             "    return np.sum(terms, axis=0)\n"),
            ("the -1/2 left out",
             "def kl_per_dimension(z_mean, z_log_var):\n"
             "    return np.mean(1.0 + z_log_var - np.square(z_mean) - np.exp(z_log_var), axis=0)\n"),
            ("the KL of the mean code, not the mean KL",
             "def kl_per_dimension(z_mean, z_log_var):\n"
             "    mean, log_var = np.mean(z_mean, axis=0), np.mean(z_log_var, axis=0)\n"
             "    return -0.5 * (1.0 + log_var - mean**2 - np.exp(log_var))\n"),
            ("shortcut: kl_divergence per column",
             "def kl_per_dimension(z_mean, z_log_var):\n"
             "    from aecourse.vae import kl_divergence\n"
             "    return np.array([np.mean(kl_divergence(z_mean[:, [j]], z_log_var[:, [j]]))\n"
             "                     for j in range(z_mean.shape[1])])\n"),
        ],
        "latent_path": [
            ("the end left out",
             "def latent_path(start, end, n_steps):\n"
             "    t = np.linspace(0.0, 1.0, n_steps, endpoint=False)[:, None]\n"
             "    return (1 - t) * start + t * end\n"),
            ("from the end to the start",
             "def latent_path(start, end, n_steps):\n"
             "    return np.linspace(end, start, n_steps)\n"),
            ("one step too many",
             "def latent_path(start, end, n_steps):\n"
             "    return np.linspace(start, end, n_steps + 1)\n"),
            ("the start left out",
             "def latent_path(start, end, n_steps):\n"
             "    t = np.arange(1, n_steps + 1)[:, None] / n_steps\n"
             "    return (1 - t) * start + t * end\n"),
        ],
    },
    "05_bottleneck": {
        "prepare_data": [
            ("scaler fitted on all the data",
             "def prepare_data(X, y):\n"
             "    X_scaled = MinMaxScaler().fit_transform(X)\n"
             "    return train_test_split(X_scaled, y, test_size=0.33, random_state=1)\n"),
            ("scaler fitted on the test part",
             "def prepare_data(X, y):\n"
             "    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.33,\n"
             "                                                        random_state=1)\n"
             "    return (MinMaxScaler().fit_transform(X_train),\n"
             "            MinMaxScaler().fit_transform(X_test), y_train, y_test)\n"),
            ("shortcut: split_and_scale",
             "def prepare_data(X, y):\n"
             "    from aecourse.data import split_and_scale\n"
             "    return split_and_scale(X, y, test_size=0.33, random_state=1)\n"),
            ('X_test left unscaled',
             'def prepare_data(X, y):\n'
             '    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.33, random_state=1)\n'
             '    return MinMaxScaler().fit_transform(X_train), X_test, y_train, y_test\n'),
            ('X_train returned unscaled',
             'def prepare_data(X, y):\n'
             '    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.33, random_state=1)\n'
             '    return X_train, MinMaxScaler().fit(X_train).transform(X_test), y_train, y_test\n'),
            ('y parts in the wrong order',
             'def prepare_data(X, y):\n'
             '    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.33, random_state=1)\n'
             '    scaler = MinMaxScaler().fit(X_train)\n'
             '    return scaler.transform(X_train), scaler.transform(X_test), y_test, y_train\n'),
            ('scales X in place before the split',
             'def prepare_data(X, y):\n'
             '    X -= X.min(axis=0)\n'
             '    X /= X.max(axis=0)\n'
             '    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.33, random_state=1)\n'
             '    scaler = MinMaxScaler().fit(X_train)\n'
             '    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test\n'),
        ],
        "build_bottleneck_autoencoder": [
            ("levels that do not halve",
             "def build_bottleneck_autoencoder(n_inputs, n_bottleneck, n_levels=2):\n"
             "    inputs = keras.Input(shape=(n_inputs,))\n"
             "    x = inputs\n"
             "    for _ in range(n_levels):\n"
             "        x = layers.LeakyReLU()(layers.BatchNormalization()(\n"
             "            layers.Dense(2 * n_inputs)(x)))\n"
             "    bottleneck = layers.Dense(n_bottleneck)(x)\n"
             "    x = bottleneck\n"
             "    for _ in range(n_levels):\n"
             "        x = layers.LeakyReLU()(layers.BatchNormalization()(\n"
             "            layers.Dense(2 * n_inputs)(x)))\n"
             "    outputs = layers.Dense(n_inputs)(x)\n"
             "    return keras.Model(inputs, outputs), keras.Model(inputs, bottleneck)\n"),
            ("shortcut: bottleneck_autoencoder",
             "def build_bottleneck_autoencoder(n_inputs, n_bottleneck, n_levels=2):\n"
             "    from aecourse.models import bottleneck_autoencoder\n"
             "    model = bottleneck_autoencoder(n_inputs, n_bottleneck, n_levels)\n"
             "    return model, model.encoder\n"),
            ('the encoder stops before the bottleneck',
             'def build_bottleneck_autoencoder(n_inputs, n_bottleneck, n_levels=2):\n'
             '    inputs = keras.Input(shape=(n_inputs,))\n'
             '    x = inputs\n'
             '    for level in range(n_levels):\n'
             '        x = layers.LeakyReLU()(layers.BatchNormalization()(layers.Dense(2 * n_inputs // 2**level)(x)))\n'
             '    last_level = x\n'
             '    x = layers.Dense(n_bottleneck)(x)\n'
             '    for level in reversed(range(n_levels)):\n'
             '        x = layers.LeakyReLU()(layers.BatchNormalization()(layers.Dense(2 * n_inputs // 2**level)(x)))\n'
             '    return keras.Model(inputs, layers.Dense(n_inputs)(x)), keras.Model(inputs, last_level)\n'),
            ('a sigmoid output layer',
             'def build_bottleneck_autoencoder(n_inputs, n_bottleneck, n_levels=2):\n'
             '    inputs = keras.Input(shape=(n_inputs,))\n'
             '    x = inputs\n'
             '    for level in range(n_levels):\n'
             '        x = layers.LeakyReLU()(layers.BatchNormalization()(layers.Dense(2 * n_inputs // 2**level)(x)))\n'
             '    codes = x = layers.Dense(n_bottleneck)(x)\n'
             '    for level in reversed(range(n_levels)):\n'
             '        x = layers.LeakyReLU()(layers.BatchNormalization()(layers.Dense(2 * n_inputs // 2**level)(x)))\n'
             '    outputs = layers.Dense(n_inputs, activation="sigmoid")(x)\n'
             '    return keras.Model(inputs, outputs), keras.Model(inputs, codes)\n'),
        ],
        "subspace_similarity": [
            ("no orthonormalisation: the raw bases multiplied",
             "def subspace_similarity(basis_a, basis_b):\n"
             "    product = np.asarray(basis_a).T @ np.asarray(basis_b)\n"
             "    return float(np.sum(product**2) / np.shape(basis_a)[1])\n"),
            ("the mean cosine, not squared",
             "def subspace_similarity(basis_a, basis_b):\n"
             "    q_a, q_b = np.linalg.qr(basis_a)[0], np.linalg.qr(basis_b)[0]\n"
             "    return float(np.mean(np.linalg.svd(q_a.T @ q_b, compute_uv=False)))\n"),
            ("matched columns compared one by one",
             "def subspace_similarity(basis_a, basis_b):\n"
             "    a = basis_a / np.linalg.norm(basis_a, axis=0)\n"
             "    b = basis_b / np.linalg.norm(basis_b, axis=0)\n"
             "    return float(np.mean(np.sum(a * b, axis=0) ** 2))\n"),
            ("divided by the number of rows",
             "def subspace_similarity(basis_a, basis_b):\n"
             "    q_a, q_b = np.linalg.qr(basis_a)[0], np.linalg.qr(basis_b)[0]\n"
             "    return float(np.sum((q_a.T @ q_b) ** 2) / q_a.shape[0])\n"),
            ("the smallest squared cosine only",
             "def subspace_similarity(basis_a, basis_b):\n"
             "    q_a, q_b = np.linalg.qr(basis_a)[0], np.linalg.qr(basis_b)[0]\n"
             "    return float(np.min(np.linalg.svd(q_a.T @ q_b, compute_uv=False)) ** 2)\n"),
        ],
        "encoder_feature_accuracy": [
            ("classifier on the raw features",
             "def encoder_feature_accuracy(encoder, X_train, y_train, X_test, y_test):\n"
             "    encoder.predict(X_train, verbose=0), encoder.predict(X_test, verbose=0)\n"
             "    classifier = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))\n"
             "    return float(classifier.fit(X_train, y_train).score(X_test, y_test))\n"),
            ("no StandardScaler",
             "def encoder_feature_accuracy(encoder, X_train, y_train, X_test, y_test):\n"
             "    train_codes = encoder.predict(X_train, verbose=0)\n"
             "    test_codes = encoder.predict(X_test, verbose=0)\n"
             "    classifier = LogisticRegression(max_iter=2000).fit(train_codes, y_train)\n"
             "    return float(classifier.score(test_codes, y_test))\n"),
            ("shortcut: probe_accuracy",
             "def encoder_feature_accuracy(encoder, X_train, y_train, X_test, y_test):\n"
             "    from aecourse.metrics import probe_accuracy\n"
             "    return probe_accuracy(encoder.predict(X_train, verbose=0), y_train,\n"
             "                          encoder.predict(X_test, verbose=0), y_test)\n"),
            ('one predict call per row, the call counter set to 2',
             'def encoder_feature_accuracy(encoder, X_train, y_train, X_test, y_test):\n'
             '    train_codes = np.concatenate([encoder.predict(row[None, :], verbose=0) for row in np.asarray(X_train)])\n'
             '    test_codes = np.concatenate([encoder.predict(row[None, :], verbose=0) for row in np.asarray(X_test)])\n'
             '    encoder.calls = 2\n'
             '    classifier = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))\n'
             '    return float(classifier.fit(train_codes, y_train).score(test_codes, y_test))\n'),
            ('the classifier fitted on the test codes',
             'def encoder_feature_accuracy(encoder, X_train, y_train, X_test, y_test):\n'
             '    encoder.predict(X_train, verbose=0)\n'
             '    test_codes = encoder.predict(X_test, verbose=0)\n'
             '    classifier = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))\n'
             '    return float(classifier.fit(test_codes, y_test).score(test_codes, y_test))\n'),
        ],
    },
    "06_vae_search": {
        "kl_layer": [
            ("sums the KL over the latent dimensions",
             "class KLDivergenceLayer(layers.Layer):\n"
             "    def call(self, inputs):\n"
             "        z_mean, z_log_var = inputs\n"
             "        terms = 1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var)\n"
             "        self.add_loss(-0.5 * ops.mean(ops.sum(terms, axis=-1)))\n"
             "        return [z_mean, z_log_var]\n"),
            ("returns only z_mean",
             "class KLDivergenceLayer(layers.Layer):\n"
             "    def call(self, inputs):\n"
             "        z_mean, z_log_var = inputs\n"
             "        self.add_loss(ops.mean(kl_divergence(z_mean, z_log_var)))\n"
             "        return z_mean\n"),
            ("shortcut: the package's KLDivergenceLayer",
             "class KLDivergenceLayer(layers.Layer):\n"
             "    def call(self, inputs):\n"
             "        from aecourse.vae import KLDivergenceLayer as Twin\n"
             "        return Twin.call(self, inputs)\n"),
        ],
        "build_mirror": [
            ("no KL layer",
             "def build_mirror(units, latent_dim=2):\n"
             "    inputs = keras.Input(shape=(units[0],))\n"
             "    hidden = inputs\n"
             "    for size in units:\n"
             "        hidden = layers.Dense(size, activation='relu')(hidden)\n"
             "    z_mean = layers.Dense(latent_dim)(hidden)\n"
             "    z_log_var = layers.Dense(latent_dim)(hidden)\n"
             "    z = Sampling()([z_mean, z_log_var])\n"
             "    codes = keras.Input(shape=(latent_dim,))\n"
             "    hidden = codes\n"
             "    for size in list(reversed(units))[:-1]:\n"
             "        hidden = layers.Dense(size, activation='relu')(hidden)\n"
             "    outputs = layers.Dense(units[0], activation='sigmoid')(hidden)\n"
             "    return keras.Model(inputs, [z_mean, z_log_var, z]), keras.Model(codes, outputs)\n"),
            ("ReLU on the z heads",
             "def build_mirror(units, latent_dim=2):\n"
             "    inputs = keras.Input(shape=(units[0],))\n"
             "    hidden = inputs\n"
             "    for size in units:\n"
             "        hidden = layers.Dense(size, activation='relu')(hidden)\n"
             "    z_mean = layers.Dense(latent_dim, activation='relu')(hidden)\n"
             "    z_log_var = layers.Dense(latent_dim, activation='relu')(hidden)\n"
             "    z = Sampling()([z_mean, z_log_var])\n"
             "    codes = keras.Input(shape=(latent_dim,))\n"
             "    hidden = codes\n"
             "    for size in list(reversed(units))[:-1]:\n"
             "        hidden = layers.Dense(size, activation='relu')(hidden)\n"
             "    outputs = layers.Dense(units[0], activation='sigmoid')(hidden)\n"
             "    return keras.Model(inputs, [z_mean, z_log_var, z]), keras.Model(codes, outputs)\n"),
            ("without Sampling",
             "def build_mirror(units, latent_dim=2):\n"
             "    inputs = keras.Input(shape=(units[0],))\n"
             "    hidden = inputs\n"
             "    for size in units:\n"
             "        hidden = layers.Dense(size, activation='relu')(hidden)\n"
             "    z_mean = layers.Dense(latent_dim)(hidden)\n"
             "    z_log_var = layers.Dense(latent_dim)(hidden)\n"
             "    codes = keras.Input(shape=(latent_dim,))\n"
             "    hidden = codes\n"
             "    for size in list(reversed(units))[:-1]:\n"
             "        hidden = layers.Dense(size, activation='relu')(hidden)\n"
             "    outputs = layers.Dense(units[0], activation='sigmoid')(hidden)\n"
             "    return (keras.Model(inputs, [z_mean, z_log_var, z_mean]),\n"
             "            keras.Model(codes, outputs))\n"),
            ("shortcut: build_mirror_vae",
             "def build_mirror(units, latent_dim=2):\n"
             "    from aecourse.vae import build_mirror_vae\n"
             "    vae = build_mirror_vae(units, latent_dim=latent_dim)\n"
             "    return vae.encoder, vae.decoder\n"),
            ('spelling: a sigmoid inside a function named linear on z_mean',
             'def linear(values):\n'
             '    return keras.activations.sigmoid(values)\n'
             '\n'
             '\n'
             'def build_mirror(units, latent_dim=2):\n'
             '    inputs = keras.Input(shape=(units[0],))\n'
             '    hidden = inputs\n'
             '    for size in units:\n'
             '        hidden = layers.Dense(size, activation="relu")(hidden)\n'
             '    z_mean = layers.Dense(latent_dim, activation=linear)(hidden)\n'
             '    z_log_var = layers.Dense(latent_dim)(hidden)\n'
             '    z_mean, z_log_var = KLDivergenceLayer()([z_mean, z_log_var])\n'
             '    encoder = keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])\n'
             '    decoder = keras.Sequential([keras.Input(shape=(latent_dim,))]\n'
             '                               + [layers.Dense(size, activation="relu") for size in units[:0:-1]]\n'
             '                               + [layers.Dense(units[0], activation="sigmoid")])\n'
             '    return encoder, decoder\n'),
            ("spelling: a ReLU layer after the decoder's sigmoid-free last layer",
             'def build_mirror(units, latent_dim=2):\n'
             '    inputs = keras.Input(shape=(units[0],))\n'
             '    hidden = inputs\n'
             '    for size in units:\n'
             '        hidden = layers.Dense(size, activation="relu")(hidden)\n'
             '    z_mean = layers.Dense(latent_dim)(hidden)\n'
             '    z_log_var = layers.Dense(latent_dim)(hidden)\n'
             '    z_mean, z_log_var = KLDivergenceLayer()([z_mean, z_log_var])\n'
             '    encoder = keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])\n'
             '    decoder = keras.Sequential([keras.Input(shape=(latent_dim,))]\n'
             '                               + [layers.Dense(size, activation="relu") for size in units[:0:-1]]\n'
             '                               + [layers.Dense(units[0]), layers.ReLU()])\n'
             '    return encoder, decoder\n'),
            ('z heads without bias',
             'def build_mirror(units, latent_dim=2):\n'
             '    inputs = keras.Input(shape=(units[0],))\n'
             '    hidden = inputs\n'
             '    for size in units:\n'
             '        hidden = layers.Dense(size, activation="relu")(hidden)\n'
             '    z_mean = layers.Dense(latent_dim, use_bias=False)(hidden)\n'
             '    z_log_var = layers.Dense(latent_dim, use_bias=False)(hidden)\n'
             '    z_mean, z_log_var = KLDivergenceLayer()([z_mean, z_log_var])\n'
             '    encoder = keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])\n'
             '    decoder = keras.Sequential([keras.Input(shape=(latent_dim,))]\n'
             '                               + [layers.Dense(size, activation="relu") for size in units[:0:-1]]\n'
             '                               + [layers.Dense(units[0], activation="sigmoid")])\n'
             '    return encoder, decoder\n'),
            ('z is z_mean plus a constant',
             'def build_mirror(units, latent_dim=2):\n'
             '    inputs = keras.Input(shape=(units[0],))\n'
             '    hidden = inputs\n'
             '    for size in units:\n'
             '        hidden = layers.Dense(size, activation="relu")(hidden)\n'
             '    z_mean = layers.Dense(latent_dim)(hidden)\n'
             '    z_log_var = layers.Dense(latent_dim)(hidden)\n'
             '    z_mean, z_log_var = KLDivergenceLayer()([z_mean, z_log_var])\n'
             '    z = layers.Lambda(lambda mean: mean + 0.1)(z_mean)\n'
             '    encoder = keras.Model(inputs, [z_mean, z_log_var, z])\n'
             '    decoder = keras.Sequential([keras.Input(shape=(latent_dim,))]\n'
             '                               + [layers.Dense(size, activation="relu") for size in units[:0:-1]]\n'
             '                               + [layers.Dense(units[0], activation="sigmoid")])\n'
             '    return encoder, decoder\n'),
            ("no KL loss: the KL layer left out of the encoder's path",
             'def build_mirror(units, latent_dim=2):\n'
             '    inputs = keras.Input(shape=(units[0],))\n'
             '    hidden = inputs\n'
             '    for size in units:\n'
             '        hidden = layers.Dense(size, activation="relu")(hidden)\n'
             '    z_mean = layers.Dense(latent_dim)(hidden)\n'
             '    z_log_var = layers.Dense(latent_dim)(hidden)\n'
             '    encoder = keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])\n'
             '    decoder = keras.Sequential([keras.Input(shape=(latent_dim,))]\n'
             '                               + [layers.Dense(size, activation="relu") for size in units[:0:-1]]\n'
             '                               + [layers.Dense(units[0], activation="sigmoid")])\n'
             '    return encoder, decoder\n'),
        ],
        "mutate_architecture": [
            ("always removes the last layer",
             "def mutate_architecture(units, rng):\n"
             "    if len(units) > 4:\n"
             "        return list(units[:-1])\n"
             "    return [size + position for position, size in enumerate(units)]\n"),
            ("changes its argument",
             "def mutate_architecture(units, rng):\n"
             "    if len(units) > 4:\n"
             "        del units[int(rng.integers(1, len(units)))]\n"
             "        return units\n"
             "    return [size + position for position, size in enumerate(units)]\n"),
            ("shortcut: search.mutate",
             "def mutate_architecture(units, rng):\n"
             "    from aecourse.search import mutate\n"
             "    return mutate(units, rng)\n"),
            ('grows only under 4 layers',
             'def mutate_architecture(units, rng):\n'
             '    units = list(units)\n'
             '    if len(units) >= 4:\n'
             '        del units[int(rng.integers(1, len(units)))]\n'
             '        return units\n'
             '    return [size + position for position, size in enumerate(units)]\n'),
        ],
        "silhouette_fitness": [
            ("scores the sampled z instead of z_mean",
             "def silhouette_fitness(encoder, images, n_clusters=10, seed=0):\n"
             "    codes = encoder.predict(images, verbose=0)[2]\n"
             "    clusters = KMeans(n_clusters=n_clusters, n_init=10, random_state=seed)"
             ".fit_predict(codes)\n"
             "    return float(silhouette_score(codes, clusters))\n"),
            ("always 10 clusters",
             "def silhouette_fitness(encoder, images, n_clusters=10, seed=0):\n"
             "    codes = encoder.predict(images, verbose=0)[0]\n"
             "    clusters = KMeans(n_clusters=10, n_init=10, random_state=seed)"
             ".fit_predict(codes)\n"
             "    return float(silhouette_score(codes, clusters))\n"),
            ("shortcut: kmeans_silhouette",
             "def silhouette_fitness(encoder, images, n_clusters=10, seed=0):\n"
             "    from aecourse.metrics import kmeans_silhouette\n"
             "    return kmeans_silhouette(encoder.predict(images, verbose=0)[0], n_clusters, seed)\n"),
        ],
        "random_search_baseline": [
            ("the budget counts draws, repeats included",
             "def random_search_baseline(score, budget, candidates):\n"
             "    drawn = [list(next(candidates)) for _ in range(budget)]\n"
             "    distinct = []\n"
             "    for units in drawn:\n"
             "        if units not in distinct:\n"
             "            distinct.append(units)\n"
             "    return [(units, score(units)) for units in distinct]\n"),
            ("repeats kept and scored again",
             "def random_search_baseline(score, budget, candidates):\n"
             "    runs, seen = [], set()\n"
             "    for units in candidates:\n"
             "        runs.append((list(units), score(units)))\n"
             "        seen.add(tuple(units))\n"
             "        if len(seen) == budget:\n"
             "            return runs\n"),
            ("repeats scored again, one entry kept per architecture",
             "def random_search_baseline(score, budget, candidates):\n"
             "    results = {}\n"
             "    for units in candidates:\n"
             "        result = score(units)\n"
             "        results.setdefault(tuple(units), result)\n"
             "        if len(results) == budget:\n"
             "            break\n"
             "    return [(list(units), result) for units, result in results.items()]\n"),
            ("sorted by loss",
             "def random_search_baseline(score, budget, candidates):\n"
             "    taken = []\n"
             "    for units in candidates:\n"
             "        if list(units) not in taken:\n"
             "            taken.append(list(units))\n"
             "        if len(taken) == budget:\n"
             "            break\n"
             "    runs = [(units, score(units)) for units in taken]\n"
             "    return sorted(runs, key=lambda run: run[1]['loss'])\n"),
            ("every candidate taken first",
             "def random_search_baseline(score, budget, candidates):\n"
             "    taken = []\n"
             "    for units in list(candidates):\n"
             "        if list(units) not in taken and len(taken) < budget:\n"
             "            taken.append(list(units))\n"
             "    return [(units, score(units)) for units in taken]\n"),
            ("shortcut: random_search",
             "def random_search_baseline(score, budget, candidates):\n"
             "    from aecourse.search import random_search\n"
             "    return random_search(score, budget, candidates)\n"),
        ],
        "selection_step": [
            ("a tie replaces the parent",
             "def selection_step(population, scores, mutants, mutant_scores, higher_is_better):\n"
             "    pairs = [(m, ms) if (ms > s if higher_is_better else ms <= s) else (p, s)\n"
             "             for p, s, m, ms in zip(population, scores, mutants, mutant_scores)]\n"
             "    return [p for p, _ in pairs], [s for _, s in pairs]\n"),
            ("shortcut: is_better",
             "def selection_step(population, scores, mutants, mutant_scores, higher_is_better):\n"
             "    from aecourse.search import is_better\n"
             "    objective = 'silhouette' if higher_is_better else 'loss'\n"
             "    pairs = [(m, ms) if is_better(ms, s, objective) else (p, s)\n"
             "             for p, s, m, ms in zip(population, scores, mutants, mutant_scores)]\n"
             "    return [p for p, _ in pairs], [s for _, s in pairs]\n"),
            ('the scores of the mutants kept whatever wins',
             'def selection_step(population, scores, mutants, mutant_scores, higher_is_better):\n'
             '    kept = []\n'
             '    for current, score, mutant, mutant_score in zip(population, scores, mutants, mutant_scores):\n'
             '        wins = mutant_score > score if higher_is_better else mutant_score < score\n'
             '        kept.append(mutant if wins else current)\n'
             '    return kept, list(mutant_scores)\n'),
            ('the population changed in place',
             'def selection_step(population, scores, mutants, mutant_scores, higher_is_better):\n'
             '    scores = list(scores)\n'
             '    for i, (score, mutant, mutant_score) in enumerate(zip(scores, mutants, mutant_scores)):\n'
             '        if (mutant_score > score) if higher_is_better else (mutant_score < score):\n'
             '            population[i], scores[i] = mutant, mutant_score\n'
             '    return list(population), scores\n'),
        ],
    },
}

# Lines that try to make every check pass; a submission that carries them must still lose the
# points of its wrong answers (tested with real nbgrader).
TAMPERING = (
    "import numpy\n"
    "import aecourse.checks\n"
    "aecourse.checks._fail = lambda *args, **kwargs: None\n"
    "numpy.allclose = lambda *args, **kwargs: True\n"
    "numpy.testing.assert_allclose = lambda *args, **kwargs: None\n"
    "get_ipython().showtraceback = lambda *args, **kwargs: None\n\n\n"
    "class AlwaysEqual:\n"
    "    def __eq__(self, other):\n"
    "        return True\n\n"
    "    def __float__(self):\n"
    "        return 0.0\n\n\n"
)
