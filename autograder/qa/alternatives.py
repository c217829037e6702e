"""The alternative-answer catalogue: correct answers in other styles, for every autograded exercise.

``ALTERNATIVES[assignment][answer_id]`` lists ``(label, code)`` pairs, written as a student would
from the release text alone: another Keras API, nested sub-models, a dict subclass, tuples,
NumPy scalars, float32. Each replaces the answer cell and must pass the whole test cell, visible
and hidden parts: a fair grader gives every correct style every point.
"""

# ruff: noqa: E501 (answers are written as students write cells, quoting adds a few columns)

ALTERNATIVES = {
    "01_wine_basics": {
        "standardise": [
            ("scikit-learn's StandardScaler",
             "def standardise(features):\n"
             "    from sklearn.preprocessing import StandardScaler\n"
             "    return StandardScaler().fit_transform(np.array(features, dtype=float))\n"),
            ("float32 arithmetic, mean and std as keepdims arrays",
             "def standardise(features):\n"
             "    values = np.array(features, dtype='float32')\n"
             "    centred = values - np.mean(values, axis=0, keepdims=True)\n"
             "    return centred / np.sqrt(np.mean(centred ** 2, axis=0, keepdims=True))\n"),
            ("scipy's zscore (ddof=0)",
             'def standardise(features):\n'
             '    from scipy.stats import zscore\n'
             '    return zscore(np.asarray(features, dtype=float), axis=0)\n'),
        ],
        "build_shallow_autoencoder": [
            ("Sequential encoder and decoder, chained",
             "def build_shallow_autoencoder(n_features, encoding_dim):\n"
             "    encoder = keras.Sequential([keras.Input(shape=(n_features,)),\n"
             "                                layers.Dense(encoding_dim, activation='relu')])\n"
             "    decoder = keras.Sequential([keras.Input(shape=(encoding_dim,)),\n"
             "                                layers.Dense(n_features)])\n"
             "    return keras.Sequential([encoder, decoder]), encoder\n"),
            ("functional encoder and decoder sub-models",
             "def build_shallow_autoencoder(n_features, encoding_dim):\n"
             "    inputs = keras.Input(shape=(n_features,), name='wine')\n"
             "    encoder = keras.Model(inputs, layers.Dense(encoding_dim, 'relu')(inputs))\n"
             "    codes = keras.Input(shape=(encoding_dim,))\n"
             "    decoder = keras.Model(codes, layers.Dense(n_features, activation=None)(codes))\n"
             "    return keras.Model(inputs, decoder(encoder(inputs))), encoder\n"),
            ('a Dense layer, then a ReLU layer; an activation object',
             'def build_shallow_autoencoder(n_features, encoding_dim):\n'
             '    inputs = keras.Input(shape=(n_features,))\n'
             '    codes = layers.ReLU()(layers.Dense(encoding_dim)(inputs))\n'
             '    outputs = layers.Dense(n_features, activation=keras.activations.linear)(codes)\n'
             '    return keras.Model(inputs, outputs), keras.Model(inputs, codes)\n'),
        ],
        "positive_weight_features": [
            ("an OrderedDict of tuples of NumPy strings",
             "def positive_weight_features(weights, feature_names):\n"
             "    from collections import OrderedDict\n"
             "    names = np.asarray(feature_names)\n"
             "    weights = np.asarray(weights)\n"
             "    return OrderedDict((f'Factor {j + 1}', tuple(names[weights[:, j] > 0]))\n"
             "                       for j in range(weights.shape[1]))\n"),
            ("NumPy arrays of names, as the visible check accepts",
             "def positive_weight_features(weights, feature_names):\n"
             "    names, weights = np.asarray(feature_names), np.asarray(weights)\n"
             "    return {f'Factor {j + 1}': names[weights[:, j] > 0]\n"
             "            for j in range(weights.shape[1])}\n"),
            ("a pandas DataFrame, column by column",
             "def positive_weight_features(weights, feature_names):\n"
             "    table = pd.DataFrame(weights, index=list(feature_names))\n"
             "    return {f'Factor {column + 1}': list(table.index[table[column] > 0])\n"
             "            for column in table.columns}\n"),
            ('a loop with np.flatnonzero over an array of names',
             'def positive_weight_features(weights, feature_names):\n'
             '    weights, names = np.asarray(weights), np.asarray(feature_names)\n'
             '    factors = {}\n'
             '    for j in range(weights.shape[1]):\n'
             '        factors[f"Factor {j + 1}"] = names[np.flatnonzero(weights[:, j] > 0)].tolist()\n'
             '    return factors\n'),
        ],
        "cluster_codes": [
            ("fit, then labels_",
             "def cluster_codes(codes):\n"
             "    dbscan = DBSCAN(eps=1.8, min_samples=5).fit(codes)\n"
             "    kmeans = KMeans(n_clusters=3, n_init=10, random_state=0).fit(codes)\n"
             "    return {'KMeans': kmeans.labels_, 'DBSCAN': dbscan.labels_}\n"),
            ("keyword arguments in another order, labels as lists",
             "def cluster_codes(codes):\n"
             "    from sklearn import cluster\n"
             "    found = {}\n"
             "    found['DBSCAN'] = list(cluster.DBSCAN(min_samples=5, eps=1.8).fit_predict(codes))\n"
             "    found['KMeans'] = list(cluster.KMeans(random_state=0, n_init=10,\n"
             "                                          n_clusters=3).fit_predict(codes))\n"
             "    return {name: np.array(labels) for name, labels in found.items()}\n"),
            ('named estimators fitted in a comprehension, labels as lists',
             'def cluster_codes(codes):\n'
             '    estimators = {"DBSCAN": DBSCAN(eps=1.8, min_samples=5),\n'
             '                  "KMeans": KMeans(n_clusters=3, n_init=10, random_state=0)}\n'
             '    return {name: estimator.fit(codes).labels_.tolist() for name, estimator in estimators.items()}\n'),
        ],
        "diagnose_fit": [
            ("plain Python and ratios",
             "def diagnose_fit(train_loss, val_loss):\n"
             "    import math\n"
             "    train, val = list(train_loss), list(val_loss)\n"
             "    if any(not math.isfinite(value) for value in train) or train[-1] / min(train) > 1.05:\n"
             "        return 'diverged'\n"
             "    if val[-1] / min(val) > 1.05:\n"
             "        return 'overfitting'\n"
             "    k = max(1, len(train) // 4)\n"
             "    if (train[-1 - k] - train[-1]) / train[-1 - k] > 0.05:\n"
             "        return 'still learning'\n"
             "    return 'underfitting' if train[-1] / train[0] > 0.5 else 'good fit'\n"),
            ("float32 arrays and differences",
             "def diagnose_fit(train_loss, val_loss):\n"
             "    train = np.asarray(train_loss, dtype='float32')\n"
             "    val = np.asarray(val_loss, dtype='float32')\n"
             "    if not np.isfinite(train).all() or train[-1] - train.min() > 0.05 * train.min():\n"
             "        return 'diverged'\n"
             "    if val[-1] - val.min() > 0.05 * val.min():\n"
             "        return 'overfitting'\n"
             "    k = max(1, len(train) // 4)\n"
             "    if train[-1 - k] - train[-1] > 0.05 * train[-1 - k]:\n"
             "        return 'still learning'\n"
             "    if train[-1] - 0.5 * train[0] > 0:\n"
             "        return 'underfitting'\n"
             "    return 'good fit'\n"),
            ('pandas Series',
             'def diagnose_fit(train_loss, val_loss):\n'
             '    import pandas as pd\n'
             '    train, val = pd.Series(train_loss, dtype=float), pd.Series(val_loss, dtype=float)\n'
             '    if train.isna().any() or np.isinf(train).any() or train.iloc[-1] > 1.05 * train.min():\n'
             '        return "diverged"\n'
             '    if val.iloc[-1] > 1.05 * val.min():\n'
             '        return "overfitting"\n'
             '    quarter = max(1, len(train) // 4)\n'
             '    if train.iloc[-1] < 0.95 * train.iloc[-1 - quarter]:\n'
             '        return "still learning"\n'
             '    return "underfitting" if train.iloc[-1] > 0.5 * train.iloc[0] else "good fit"\n'),
        ],
    },
    "02_depth_study": {
        "build_autoencoder": [
            ("one Sequential model",
             "def build_autoencoder(input_dim, hidden_sizes):\n"
             "    model = keras.Sequential([keras.Input(shape=(input_dim,))])\n"
             "    for size in hidden_sizes[:-1]:\n"
             "        model.add(layers.Dense(size, activation='relu'))\n"
             "    model.add(layers.Dense(hidden_sizes[-1], activation='linear'))\n"
             "    for size in hidden_sizes[-2::-1]:\n"
             "        model.add(layers.Dense(size, activation='relu'))\n"
             "    model.add(layers.Dense(input_dim, activation='sigmoid'))\n"
             "    return model\n"),
            ("functional encoder and decoder sub-models",
             "def build_autoencoder(input_dim, hidden_sizes):\n"
             "    inputs = keras.Input(shape=(input_dim,))\n"
             "    x = inputs\n"
             "    for position, size in enumerate(hidden_sizes):\n"
             "        last = position == len(hidden_sizes) - 1\n"
             "        x = layers.Dense(size, activation=None if last else 'relu')(x)\n"
             "    encoder = keras.Model(inputs, x)\n"
             "    codes = keras.Input(shape=(hidden_sizes[-1],))\n"
             "    y = codes\n"
             "    for size in list(hidden_sizes)[::-1][1:]:\n"
             "        y = layers.Dense(size, activation='relu')(y)\n"
             "    decoder = keras.Model(codes, layers.Dense(input_dim, activation='sigmoid')(y))\n"
             "    return keras.Model(inputs, decoder(encoder(inputs)))\n"),
            ('Dense layers followed by ReLU and Activation layers',
             'def build_autoencoder(input_dim, hidden_sizes):\n'
             '    model = keras.Sequential([keras.Input(shape=(input_dim,))])\n'
             '    for size in hidden_sizes[:-1]:\n'
             '        model.add(layers.Dense(size))\n'
             '        model.add(layers.ReLU())\n'
             '    model.add(layers.Dense(hidden_sizes[-1]))\n'
             '    for size in hidden_sizes[-2::-1]:\n'
             '        model.add(layers.Dense(size))\n'
             '        model.add(layers.Activation("relu"))\n'
             '    model.add(layers.Dense(input_dim))\n'
             '    model.add(layers.Activation("sigmoid"))\n'
             '    return model\n'),
        ],
        "count_parameters": [
            ("build the model and ask Keras",
             "def count_parameters(input_dim, hidden_sizes):\n"
             "    sizes = [*hidden_sizes, *hidden_sizes[-2::-1], input_dim]\n"
             "    model = keras.Sequential([keras.Input(shape=(input_dim,))]\n"
             "                             + [layers.Dense(size) for size in sizes])\n"
             "    return model.count_params()\n"),
            ("a NumPy integer from a loop over layer pairs",
             "def count_parameters(input_dim, hidden_sizes):\n"
             "    sizes = np.array([input_dim, *hidden_sizes, *reversed(hidden_sizes[:-1]),\n"
             "                      input_dim])\n"
             "    return np.sum(sizes[:-1] * sizes[1:] + sizes[1:])\n"),
            ('a dot product of the widths',
             'def count_parameters(input_dim, hidden_sizes):\n'
             '    widths = np.array([input_dim, *hidden_sizes, *hidden_sizes[-2::-1], input_dim])\n'
             '    return int(np.dot(widths[:-1], widths[1:]) + widths[1:].sum())\n'),
        ],
        "latent_quality": [
            ("an OrderedDict with NumPy floats",
             "def latent_quality(train_codes, train_labels, test_codes, test_labels):\n"
             "    from collections import OrderedDict\n"
             "    quality = OrderedDict()\n"
             "    quality['kNN accuracy'] = np.float64(\n"
             "        knn_accuracy(train_codes, train_labels, test_codes, test_labels))\n"
             "    quality['silhouette'] = np.float32(latent_silhouette(test_codes, test_labels))\n"
             "    return quality\n"),
            ("dict() with keyword-free pairs",
             "def latent_quality(train_codes, train_labels, test_codes, test_labels):\n"
             "    accuracy = knn_accuracy(train_codes, train_labels, test_codes, test_labels)\n"
             "    return dict([('silhouette', latent_silhouette(test_codes, test_labels)),\n"
             "                 ('kNN accuracy', accuracy)])\n"),
            ('scikit-learn directly, the keys in another order',
             'def latent_quality(train_codes, train_labels, test_codes, test_labels):\n'
             '    from sklearn.metrics import silhouette_score\n'
             '    from sklearn.neighbors import KNeighborsClassifier\n'
             '    knn = KNeighborsClassifier(n_neighbors=5).fit(train_codes, train_labels)\n'
             '    return {"silhouette": silhouette_score(test_codes, test_labels),\n'
             '            "kNN accuracy": knn.score(test_codes, test_labels)}\n'),
        ],
    },
    "03_latent_size": {
        "pca_reconstruction_error": [
            ("float32 images and a NumPy scalar",
             "def pca_reconstruction_error(x_train, x_test, n_components):\n"
             "    pca = PCA(n_components=n_components, random_state=0)\n"
             "    pca.fit(np.asarray(x_train, dtype='float32'))\n"
             "    test = np.asarray(x_test, dtype='float32')\n"
             "    return np.mean(np.square(test - pca.inverse_transform(pca.transform(test))))\n"),
            ("scikit-learn's mean_squared_error on flattened values",
             "def pca_reconstruction_error(x_train, x_test, n_components):\n"
             "    from sklearn.metrics import mean_squared_error\n"
             "    pca = PCA(n_components, random_state=0).fit(x_train)\n"
             "    rebuilt = pca.inverse_transform(pca.transform(x_test))\n"
             "    return mean_squared_error(np.ravel(x_test), np.ravel(rebuilt))\n"),
            ('PCA by hand with an SVD',
             'def pca_reconstruction_error(x_train, x_test, n_components):\n'
             '    x_train, x_test = np.asarray(x_train, float), np.asarray(x_test, float)\n'
             '    mean = x_train.mean(axis=0)\n'
             '    _, _, components = np.linalg.svd(x_train - mean, full_matrices=False)\n'
             '    basis = components[:n_components]\n'
             '    reconstruction = (x_test - mean) @ basis.T @ basis + mean\n'
             '    return ((x_test - reconstruction) ** 2).mean()\n'),
        ],
        "linear_probe_accuracy": [
            ("scaler and classifier by hand, accuracy_score",
             "def linear_probe_accuracy(train_features, train_labels, test_features, test_labels):\n"
             "    from sklearn.metrics import accuracy_score\n"
             "    scaler = StandardScaler().fit(train_features)\n"
             "    classifier = LogisticRegression(max_iter=1000)\n"
             "    classifier.fit(scaler.transform(train_features), train_labels)\n"
             "    predicted = classifier.predict(scaler.transform(test_features))\n"
             "    return accuracy_score(test_labels, predicted)\n"),
            ("a Pipeline with named steps and a NumPy mean",
             "def linear_probe_accuracy(train_features, train_labels, test_features, test_labels):\n"
             "    from sklearn.pipeline import Pipeline\n"
             "    probe = Pipeline([('scale', StandardScaler()),\n"
             "                      ('classify', LogisticRegression(max_iter=1000))])\n"
             "    probe.fit(train_features, train_labels)\n"
             "    return np.mean(probe.predict(test_features) == np.asarray(test_labels))\n"),
            ('another regularisation, accuracy by hand',
             'def linear_probe_accuracy(train_features, train_labels, test_features, test_labels):\n'
             '    scaler = StandardScaler().fit(train_features)\n'
             '    model = LogisticRegression(C=10.0, max_iter=500).fit(scaler.transform(train_features),\n'
             '                                                         train_labels)\n'
             '    predicted = model.predict(scaler.transform(test_features))\n'
             '    return float(np.mean(predicted == np.asarray(test_labels)))\n'),
        ],
        "smallest_sufficient_size": [
            ("sort by size, return the first within the tolerance",
             "def smallest_sufficient_size(sizes, errors, tolerance=0.10):\n"
             "    limit = min(errors) * (1 + tolerance)\n"
             "    for size, error in sorted(zip(sizes, errors)):\n"
             "        if error <= limit:\n"
             "            return size\n"),
            ("NumPy arrays, a NumPy integer back",
             "def smallest_sufficient_size(sizes, errors, tolerance=0.10):\n"
             "    sizes, errors = np.asarray(sizes), np.asarray(errors)\n"
             "    return sizes[errors <= errors.min() * (1 + tolerance)].min()\n"),
            ('a loop over sizes in increasing order',
             'def smallest_sufficient_size(sizes, errors, tolerance=0.10):\n'
             '    limit = (1 + tolerance) * min(errors)\n'
             '    for size, error in sorted(zip(sizes, errors)):\n'
             '        if error <= limit:\n'
             '            return size\n'),
        ],
    },
    "04_vae": {
        "sampling_layer": [
            ("exp of half the log variance as sqrt of the variance",
             "class Sampling(layers.Layer):\n"
             "    def __init__(self, seed=None, **kwargs):\n"
             "        super().__init__(**kwargs)\n"
             "        self.seed_generator = keras.random.SeedGenerator(seed)\n"
             "\n"
             "    def call(self, inputs):\n"
             "        z_mean, z_log_var = inputs\n"
             "        std = ops.sqrt(ops.exp(z_log_var))\n"
             "        noise = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)\n"
             "        return ops.add(z_mean, ops.multiply(std, noise))\n"),
            ("batch and dimension read separately",
             "class Sampling(layers.Layer):\n"
             "    def __init__(self, seed=None, **kwargs):\n"
             "        super().__init__(**kwargs)\n"
             "        self.seed_generator = keras.random.SeedGenerator(seed)\n"
             "\n"
             "    def call(self, inputs):\n"
             "        z_mean, z_log_var = inputs[0], inputs[1]\n"
             "        batch, dim = ops.shape(z_mean)[0], ops.shape(z_mean)[1]\n"
             "        epsilon = keras.random.normal((batch, dim), mean=0.0, stddev=1.0,\n"
             "                                      seed=self.seed_generator)\n"
             "        return z_mean + ops.exp(z_log_var / 2) * epsilon\n"),
            ('scaled noise plus the mean, stddev by keyword',
             'class Sampling(layers.Layer):\n'
             '    def __init__(self, seed=None, **kwargs):\n'
             '        super().__init__(**kwargs)\n'
             '        self.seed_generator = keras.random.SeedGenerator(seed)\n'
             '\n'
             '    def call(self, inputs):\n'
             '        z_mean, z_log_var = inputs\n'
             '        noise = keras.random.normal(ops.shape(z_mean), mean=0.0, stddev=1.0,\n'
             '                                    seed=self.seed_generator)\n'
             '        return noise * ops.exp(z_log_var / 2.0) + z_mean\n'),
        ],
        "kl_term": [
            ("sum over the latent axis divided by its size",
             "def kl_term(z_mean, z_log_var):\n"
             "    terms = 1 + z_log_var - z_mean ** 2 - ops.exp(z_log_var)\n"
             "    return -0.5 * ops.sum(terms, axis=1) / ops.shape(z_mean)[-1]\n"),
            ("NumPy-style float64 via keras.ops on converted tensors",
             "def kl_term(z_mean, z_log_var):\n"
             "    mean = ops.convert_to_tensor(z_mean, dtype='float64')\n"
             "    log_var = ops.convert_to_tensor(z_log_var, dtype='float64')\n"
             "    per_dim = 0.5 * (ops.square(mean) + ops.exp(log_var) - 1.0 - log_var)\n"
             "    return ops.mean(per_dim, axis=-1)\n"),
            ('the positive form: half the mean of exp + square - 1 - log_var',
             'def kl_term(z_mean, z_log_var):\n'
             '    return 0.5 * ops.mean(ops.exp(z_log_var) + ops.square(z_mean) - 1.0 - z_log_var, axis=1)\n'),
        ],
        "vae_total_loss": [
            ("sum divided by the batch size",
             "def vae_total_loss(x, x_hat, z_mean, z_log_var):\n"
             "    per_example = reconstruction_loss(x, x_hat) + kl_term(z_mean, z_log_var)\n"
             "    return ops.sum(per_example) / ops.cast(ops.shape(per_example)[0], 'float32')\n"),
            ("two means added",
             "def vae_total_loss(x, x_hat, z_mean, z_log_var):\n"
             "    return (ops.mean(reconstruction_loss(x, x_hat))\n"
             "            + ops.mean(kl_term(z_mean, z_log_var)))\n"),
            ('the cross-entropy written out with ops',
             'def vae_total_loss(x, x_hat, z_mean, z_log_var):\n'
             '    x_hat = ops.clip(x_hat, 1e-7, 1 - 1e-7)\n'
             '    bce = -ops.sum(x * ops.log(x_hat) + (1 - x) * ops.log(1 - x_hat), axis=-1)\n'
             '    return ops.mean(bce) + ops.mean(kl_term(z_mean, z_log_var))\n'),
        ],
        "build_encoder_decoder": [
            ("Sequential decoder, named layers, latent_dim by keyword",
             "def build_encoder(intermediate_dim, latent_dim=2):\n"
             "    images = keras.Input(shape=(784,), name='image')\n"
             "    h = layers.Dense(intermediate_dim, activation='relu', name='hidden')(images)\n"
             "    z_mean = layers.Dense(latent_dim, name='z_mean')(h)\n"
             "    z_log_var = layers.Dense(latent_dim, name='z_log_var')(h)\n"
             "    z = Sampling(name='z')([z_mean, z_log_var])\n"
             "    return keras.Model(inputs=images, outputs=[z_mean, z_log_var, z], name='encoder')\n"
             "\n"
             "\n"
             "def build_decoder(intermediate_dim, latent_dim=2):\n"
             "    return keras.Sequential([\n"
             "        keras.Input(shape=(latent_dim,)),\n"
             "        layers.Dense(intermediate_dim, activation='relu'),\n"
             "        layers.Dense(784, activation='sigmoid'),\n"
             "    ], name='decoder')\n"),
            ("a tuple of outputs and activation objects",
             "def build_encoder(intermediate_dim, latent_dim=2):\n"
             "    inputs = keras.Input((784,))\n"
             "    hidden = layers.Dense(intermediate_dim, activation=keras.activations.relu)(inputs)\n"
             "    mean, log_var = layers.Dense(latent_dim)(hidden), layers.Dense(latent_dim)(hidden)\n"
             "    return keras.Model(inputs, (mean, log_var, Sampling()((mean, log_var))))\n"
             "\n"
             "\n"
             "def build_decoder(intermediate_dim, latent_dim=2):\n"
             "    codes = keras.Input((latent_dim,))\n"
             "    hidden = layers.Dense(intermediate_dim, activation=keras.activations.relu)(codes)\n"
             "    pixels = layers.Dense(784, activation=keras.activations.sigmoid)(hidden)\n"
             "    return keras.Model(codes, pixels)\n"),
            ('hidden layers inside nested Sequential sub-models',
             'def build_encoder(intermediate_dim, latent_dim=2):\n'
             '    inputs = keras.Input(shape=(784,))\n'
             '    trunk = keras.Sequential([layers.Dense(intermediate_dim), layers.ReLU()], name="trunk")\n'
             '    hidden = trunk(inputs)\n'
             '    z_mean = layers.Dense(latent_dim, name="z_mean")(hidden)\n'
             '    z_log_var = layers.Dense(latent_dim, name="z_log_var")(hidden)\n'
             '    return keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])\n'
             '\n'
             '\n'
             'def build_decoder(intermediate_dim, latent_dim=2):\n'
             '    codes = keras.Input(shape=(latent_dim,))\n'
             '    hidden = keras.Sequential([layers.Dense(intermediate_dim, activation="relu")])(codes)\n'
             '    return keras.Model(codes, layers.Activation("sigmoid")(layers.Dense(784)(hidden)))\n'),
        ],
        "decode_latent_grid": [
            ("predict with a batch size",
             "def decode_latent_grid(decoder, n, limit):\n"
             "    points = latent_grid(n, limit)\n"
             "    return np.asarray(decoder.predict(points, batch_size=256, verbose=0))\n"),
            ("the points as float32 in keyword arguments",
             "def decode_latent_grid(decoder, n, limit):\n"
             "    points = np.asarray(latent_grid(n=n, limit=limit), dtype='float32')\n"
             "    return decoder.predict(points, verbose=0)\n"),
            ('the grid built with meshgrid',
             'def decode_latent_grid(decoder, n, limit):\n'
             '    values = np.linspace(-limit, limit, n)\n'
             '    xs, ys = np.meshgrid(values, values[::-1])\n'
             '    return decoder.predict(np.column_stack([xs.ravel(), ys.ravel()]), verbose=0)\n'),
        ],
        "beta_vae_loss": [
            ("your kl_term times the number of latent dimensions",
             "def beta_vae_loss(x, x_hat, z_mean, z_log_var, beta):\n"
             "    latent_dim = ops.shape(z_mean)[-1]\n"
             "    return ops.mean(reconstruction_loss(x, x_hat)\n"
             "                    + beta * latent_dim * kl_term(z_mean, z_log_var))\n"),
            ("the two batch means added",
             "def beta_vae_loss(x, x_hat, z_mean, z_log_var, beta):\n"
             "    kl = ops.sum(ops.square(z_mean) + ops.exp(z_log_var) - z_log_var - 1.0, axis=1) / 2\n"
             "    return ops.mean(reconstruction_loss(x, x_hat)) + beta * ops.mean(kl)\n"),
            ("NumPy in float64, the BCE written out",
             "def beta_vae_loss(x, x_hat, z_mean, z_log_var, beta):\n"
             "    x, x_hat = np.asarray(x, 'float64'), np.clip(np.asarray(x_hat, 'float64'),\n"
             "                                               1e-7, 1 - 1e-7)\n"
             "    bce = -np.sum(x * np.log(x_hat) + (1 - x) * np.log(1 - x_hat), axis=1)\n"
             "    mean, log_var = np.asarray(z_mean, 'float64'), np.asarray(z_log_var, 'float64')\n"
             "    kl = -0.5 * np.sum(1 + log_var - mean**2 - np.exp(log_var), axis=1)\n"
             "    return float(np.mean(bce + beta * kl))\n"),
        ],
        "kl_per_dimension": [
            ("your kl_term one column at a time",
             "def kl_per_dimension(z_mean, z_log_var):\n"
             "    return [float(np.mean(kl_term(z_mean[:, [j]], z_log_var[:, [j]])))\n"
             "            for j in range(z_mean.shape[1])]\n"),
            ("keras.ops, a tensor back",
             "def kl_per_dimension(z_mean, z_log_var):\n"
             "    terms = 1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var)\n"
             "    return -0.5 * ops.mean(terms, axis=0)\n"),
            ("a loop over the images, variances first",
             "def kl_per_dimension(z_mean, z_log_var):\n"
             "    variances = np.exp(z_log_var)\n"
             "    total = np.zeros(z_mean.shape[1])\n"
             "    for mean, log_var, var in zip(z_mean, z_log_var, variances):\n"
             "        total += 0.5 * (mean**2 + var - log_var - 1)\n"
             "    return total / len(z_mean)\n"),
        ],
        "latent_path": [
            ("np.linspace between the two codes",
             "def latent_path(start, end, n_steps):\n"
             "    return np.linspace(start, end, n_steps)\n"),
            ("start plus a growing share of the difference, a list of rows",
             "def latent_path(start, end, n_steps):\n"
             "    start, end = np.asarray(start), np.asarray(end)\n"
             "    return [start + k / (n_steps - 1) * (end - start) for k in range(n_steps)]\n"),
            ("keras.ops in float32",
             "def latent_path(start, end, n_steps):\n"
             "    t = ops.reshape(ops.linspace(0.0, 1.0, n_steps), (-1, 1))\n"
             "    return ops.convert_to_numpy((1.0 - t) * ops.cast(start, 'float32')\n"
             "                                + t * ops.cast(end, 'float32'))\n"),
        ],
    },
    "05_bottleneck": {
        "prepare_data": [
            ("fit_transform on the training part",
             "def prepare_data(X, y):\n"
             "    parts = train_test_split(X, y, test_size=0.33, random_state=1)\n"
             "    X_train, X_test, y_train, y_test = parts\n"
             "    scaler = MinMaxScaler()\n"
             "    X_train = scaler.fit_transform(X_train)\n"
             "    return X_train, scaler.transform(X_test), y_train, y_test\n"),
            ("min-max scaling by hand, returned as a list",
             "def prepare_data(X, y):\n"
             "    X_train, X_test, y_train, y_test = train_test_split(\n"
             "        X, y, random_state=1, test_size=0.33)\n"
             "    low, high = X_train.min(axis=0), X_train.max(axis=0)\n"
             "    scale = lambda part: (part - low) / (high - low)\n"
             "    return [scale(X_train), scale(X_test), y_train, y_test]\n"),
            ("float32, as Keras trains",
             "def prepare_data(X, y):\n"
             "    X_train, X_test, y_train, y_test = train_test_split(\n"
             "        np.asarray(X, dtype='float32'), y, test_size=0.33, random_state=1)\n"
             "    scaler = MinMaxScaler().fit(X_train)\n"
             "    return (scaler.transform(X_train).astype('float32'),\n"
             "            scaler.transform(X_test).astype('float32'), y_train, y_test)\n"),
            ('keyword arguments in another order, labels as lists',
             'def prepare_data(X, y):\n'
             '    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1, test_size=0.33)\n'
             '    scaler = MinMaxScaler()\n'
             '    scaler.fit(X_train)\n'
             '    return scaler.transform(X_train), scaler.transform(X_test), list(y_train), list(y_test)\n'),
        ],
        "build_bottleneck_autoencoder": [
            ("encoder and decoder sub-models, as the package builds it",
             "def build_bottleneck_autoencoder(n_inputs, n_bottleneck, n_levels=2):\n"
             "    sizes = [2 * n_inputs // 2 ** level for level in range(n_levels)]\n"
             "\n"
             "    def stack(x, units_list):\n"
             "        for units in units_list:\n"
             "            x = layers.Dense(units)(x)\n"
             "            x = layers.BatchNormalization()(x)\n"
             "            x = layers.LeakyReLU()(x)\n"
             "        return x\n"
             "\n"
             "    inputs = keras.Input(shape=(n_inputs,))\n"
             "    encoder = keras.Model(inputs, layers.Dense(n_bottleneck)(stack(inputs, sizes)))\n"
             "    codes = keras.Input(shape=(n_bottleneck,))\n"
             "    decoder = keras.Model(codes, layers.Dense(n_inputs)(stack(codes, sizes[::-1])))\n"
             "    return keras.Model(inputs, decoder(encoder(inputs))), encoder\n"),
            ("Sequential encoder and decoder",
             "def build_bottleneck_autoencoder(n_inputs, n_bottleneck, n_levels=2):\n"
             "    def level(units):\n"
             "        return [layers.Dense(units), layers.BatchNormalization(), layers.LeakyReLU()]\n"
             "\n"
             "    sizes = [2 * n_inputs // 2 ** i for i in range(n_levels)]\n"
             "    encoder = keras.Sequential([keras.Input(shape=(n_inputs,))]\n"
             "                               + [l for s in sizes for l in level(s)]\n"
             "                               + [layers.Dense(n_bottleneck)])\n"
             "    decoder = keras.Sequential([keras.Input(shape=(n_bottleneck,))]\n"
             "                               + [l for s in reversed(sizes) for l in level(s)]\n"
             "                               + [layers.Dense(n_inputs, activation='linear')])\n"
             "    return keras.Sequential([encoder, decoder]), encoder\n"),
            ('Dense layers without bias before BatchNormalization, Sequential halves',
             'def build_bottleneck_autoencoder(n_inputs, n_bottleneck, n_levels=2):\n'
             '    sizes = [2 * n_inputs // 2**level for level in range(n_levels)]\n'
             '\n'
             '    def level(units):\n'
             '        return [layers.Dense(units, use_bias=False), layers.BatchNormalization(),\n'
             '                layers.LeakyReLU()]\n'
             '\n'
             '    encoder = keras.Sequential([keras.Input(shape=(n_inputs,))]\n'
             '                               + [layer for units in sizes for layer in level(units)]\n'
             '                               + [layers.Dense(n_bottleneck)])\n'
             '    decoder = keras.Sequential([keras.Input(shape=(n_bottleneck,))]\n'
             '                               + [layer for units in reversed(sizes) for layer in level(units)]\n'
             '                               + [layers.Dense(n_inputs)])\n'
             '    inputs = keras.Input(shape=(n_inputs,))\n'
             '    return keras.Model(inputs, decoder(encoder(inputs))), encoder\n'),
        ],
        "subspace_similarity": [
            ("scipy's principal angles",
             "def subspace_similarity(basis_a, basis_b):\n"
             "    from scipy.linalg import subspace_angles\n"
             "    return float(np.mean(np.cos(subspace_angles(basis_a, basis_b)) ** 2))\n"),
            ("orthonormal bases from the SVD, the singular values squared",
             "def subspace_similarity(basis_a, basis_b):\n"
             "    u_a = np.linalg.svd(basis_a, full_matrices=False)[0]\n"
             "    u_b = np.linalg.svd(basis_b, full_matrices=False)[0]\n"
             "    cosines = np.linalg.svd(u_a.T @ u_b, compute_uv=False)\n"
             "    return np.mean(cosines**2)\n"),
            ("projection matrices and their trace",
             "def subspace_similarity(basis_a, basis_b):\n"
             "    a, b = np.asarray(basis_a, float), np.asarray(basis_b, float)\n"
             "    p_a = a @ np.linalg.pinv(a)\n"
             "    p_b = b @ np.linalg.pinv(b)\n"
             "    return np.trace(p_a @ p_b) / a.shape[1]\n"),
        ],
        "encoder_feature_accuracy": [
            ("predict with a batch size, scaler by hand",
             "def encoder_feature_accuracy(encoder, X_train, y_train, X_test, y_test):\n"
             "    train_codes = encoder.predict(X_train, batch_size=64, verbose=0)\n"
             "    test_codes = encoder.predict(X_test, batch_size=64, verbose=0)\n"
             "    scaler = StandardScaler().fit(train_codes)\n"
             "    classifier = LogisticRegression(max_iter=5000)\n"
             "    classifier.fit(scaler.transform(train_codes), y_train)\n"
             "    return classifier.score(scaler.transform(test_codes), y_test)\n"),
            ("accuracy as a NumPy mean",
             "def encoder_feature_accuracy(encoder, X_train, y_train, X_test, y_test):\n"
             "    codes = [np.asarray(encoder.predict(part, verbose=0)) for part in (X_train, X_test)]\n"
             "    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))\n"
             "    model.fit(codes[0], y_train)\n"
             "    return np.mean(model.predict(codes[1]) == y_test)\n"),
            ('a Pipeline with named steps on float32 codes',
             'def encoder_feature_accuracy(encoder, X_train, y_train, X_test, y_test):\n'
             '    from sklearn.pipeline import Pipeline\n'
             '    codes = {"train": encoder.predict(X_train, verbose=0), "test": encoder.predict(X_test, verbose=0)}\n'
             '    model = Pipeline([("scale", StandardScaler()), ("logistic", LogisticRegression(max_iter=5000))])\n'
             '    model.fit(np.asarray(codes["train"], "float32"), y_train)\n'
             '    return model.score(np.asarray(codes["test"], "float32"), y_test)\n'),
        ],
    },
    "06_vae_search": {
        "kl_layer": [
            ("the KL written out, then averaged",
             "class KLDivergenceLayer(layers.Layer):\n"
             "    def call(self, inputs):\n"
             "        z_mean, z_log_var = inputs\n"
             "        kl = -0.5 * ops.mean(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var),\n"
             "                             axis=-1)\n"
             "        self.add_loss(ops.mean(kl))\n"
             "        return [z_mean, z_log_var]\n"),
            ("a tuple back, the inputs unpacked by index",
             "class KLDivergenceLayer(layers.Layer):\n"
             "    def call(self, inputs):\n"
             "        loss = ops.mean(kl_divergence(inputs[0], inputs[1]))\n"
             "        self.add_loss(loss)\n"
             "        return inputs[0], inputs[1]\n"),
            ('the positive form, averaged over every entry at once',
             'class KLDivergenceLayer(layers.Layer):\n'
             '    def call(self, inputs):\n'
             '        z_mean, z_log_var = inputs\n'
             '        self.add_loss(0.5 * ops.mean(ops.exp(z_log_var) + ops.square(z_mean) - 1.0 - z_log_var))\n'
             '        return [z_mean, z_log_var]\n'),
        ],
        "build_mirror": [
            ("Sequential decoder",
             "def build_mirror(units, latent_dim=2):\n"
             "    inputs = keras.Input(shape=(units[0],))\n"
             "    x = inputs\n"
             "    for size in units:\n"
             "        x = layers.Dense(size, activation='relu')(x)\n"
             "    z_mean, z_log_var = KLDivergenceLayer()([layers.Dense(latent_dim)(x),\n"
             "                                             layers.Dense(latent_dim)(x)])\n"
             "    encoder = keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])\n"
             "    reversed_units = list(units)[::-1]\n"
             "    decoder = keras.Sequential(\n"
             "        [keras.Input(shape=(latent_dim,))]\n"
             "        + [layers.Dense(size, activation='relu') for size in reversed_units[:-1]]\n"
             "        + [layers.Dense(reversed_units[-1], activation='sigmoid')])\n"
             "    return encoder, decoder\n"),
            ("a tuple of units and named layers",
             "def build_mirror(units, latent_dim=2):\n"
             "    units = tuple(units)\n"
             "    images = keras.Input(shape=(units[0],), name='images')\n"
             "    h = images\n"
             "    for index, size in enumerate(units):\n"
             "        h = layers.Dense(size, activation='relu', name=f'enc_{index}')(h)\n"
             "    mean = layers.Dense(latent_dim, name='z_mean')(h)\n"
             "    log_var = layers.Dense(latent_dim, name='z_log_var')(h)\n"
             "    mean, log_var = KLDivergenceLayer(name='kl')([mean, log_var])\n"
             "    encoder = keras.Model(images, [mean, log_var, Sampling(name='z')([mean, log_var])])\n"
             "    codes = keras.Input(shape=(latent_dim,))\n"
             "    h = codes\n"
             "    for index, size in enumerate(reversed(units)):\n"
             "        activation = 'sigmoid' if index == len(units) - 1 else 'relu'\n"
             "        h = layers.Dense(size, activation=activation)(h)\n"
             "    return encoder, keras.Model(codes, h)\n"),
            ('a nested Sequential trunk; ReLU and Activation layers in the decoder',
             'def build_mirror(units, latent_dim=2):\n'
             '    inputs = keras.Input(shape=(units[0],))\n'
             '    hidden = keras.Sequential([layers.Dense(size, activation="relu") for size in units])(inputs)\n'
             '    z_mean = layers.Dense(latent_dim)(hidden)\n'
             '    z_log_var = layers.Dense(latent_dim)(hidden)\n'
             '    z_mean, z_log_var = KLDivergenceLayer()([z_mean, z_log_var])\n'
             '    encoder = keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])\n'
             '    decoder = keras.Sequential([keras.Input(shape=(latent_dim,))])\n'
             '    for size in units[:0:-1]:\n'
             '        decoder.add(layers.Dense(size))\n'
             '        decoder.add(layers.ReLU())\n'
             '    decoder.add(layers.Dense(units[0]))\n'
             '    decoder.add(layers.Activation("sigmoid"))\n'
             '    return encoder, decoder\n'),
        ],
        "mutate_architecture": [
            ("pop at a random index, a new list otherwise",
             "def mutate_architecture(units, rng):\n"
             "    units = list(units)\n"
             "    if len(units) > 4:\n"
             "        units.pop(rng.integers(1, len(units)))\n"
             "        return units\n"
             "    return [units[k] + k for k in range(len(units))]\n"),
            ("NumPy arithmetic, ints back",
             "def mutate_architecture(units, rng):\n"
             "    if len(units) > 4:\n"
             "        drop = int(rng.integers(1, len(units)))\n"
             "        return [int(size) for i, size in enumerate(units) if i != drop]\n"
             "    return [int(size) for size in np.asarray(units) + np.arange(len(units))]\n"),
            ('slices for the removal, a comprehension for the growth',
             'def mutate_architecture(units, rng):\n'
             '    if len(units) <= 4:\n'
             '        return [units[k] + k for k in range(len(units))]\n'
             '    position = rng.integers(1, len(units))\n'
             '    return list(units[:position]) + list(units[position + 1:])\n'),
        ],
        "silhouette_fitness": [
            ("fit, labels_, a batch size",
             "def silhouette_fitness(encoder, images, n_clusters=10, seed=0):\n"
             "    z_mean, _, _ = encoder.predict(images, batch_size=512, verbose=0)\n"
             "    kmeans = KMeans(n_clusters=n_clusters, n_init=10, random_state=seed).fit(z_mean)\n"
             "    return silhouette_score(z_mean, kmeans.labels_)\n"),
            ("float64 codes",
             "def silhouette_fitness(encoder, images, n_clusters=10, seed=0):\n"
             "    outputs = encoder.predict(images, verbose=0)\n"
             "    codes = np.asarray(outputs[0], dtype='float64')\n"
             "    labels = KMeans(n_clusters, random_state=seed, n_init=10).fit_predict(codes)\n"
             "    return float(silhouette_score(codes, labels))\n"),
            ('the outputs unpacked, a metric by name',
             'def silhouette_fitness(encoder, images, n_clusters=10, seed=0):\n'
             '    z_mean, _, _ = encoder.predict(images, verbose=0)\n'
             '    kmeans = KMeans(n_clusters=n_clusters, random_state=seed, n_init=10).fit(z_mean)\n'
             '    return silhouette_score(z_mean, kmeans.labels_, metric="euclidean")\n'),
        ],
        "random_search_baseline": [
            ("a set of tuples to skip repeats, checked before taking",
             "def random_search_baseline(score, budget, candidates):\n"
             "    seen, runs = set(), []\n"
             "    for units in candidates:\n"
             "        if len(runs) >= budget:\n"
             "            break\n"
             "        key = tuple(units)\n"
             "        if key in seen:\n"
             "            continue\n"
             "        seen.add(key)\n"
             "        runs.append((list(units), score(list(units))))\n"
             "    return runs\n"),
            ("next() in a while loop",
             "def random_search_baseline(score, budget, candidates):\n"
             "    taken = []\n"
             "    while len(taken) < budget:\n"
             "        units = next(candidates)\n"
             "        if units not in taken:\n"
             "            taken.append(units)\n"
             "    return [(units, score(units)) for units in taken]\n"),
            ("a dict keeps the order, islice stops the iterator",
             "def random_search_baseline(score, budget, candidates):\n"
             "    import itertools\n"
             "    distinct = {}\n"
             "    for units in candidates:\n"
             "        distinct.setdefault(tuple(units), None)\n"
             "        if len(distinct) == budget:\n"
             "            break\n"
             "    chosen = [list(units) for units in itertools.islice(distinct, budget)]\n"
             "    return list(zip(chosen, map(score, chosen)))\n"),
        ],
        "selection_step": [
            ("indices and tuples",
             "def selection_step(population, scores, mutants, mutant_scores, higher_is_better):\n"
             "    kept = []\n"
             "    for i in range(len(population)):\n"
             "        if higher_is_better:\n"
             "            better = mutant_scores[i] > scores[i]\n"
             "        else:\n"
             "            better = mutant_scores[i] < scores[i]\n"
             "        kept.append((mutants[i], mutant_scores[i]) if better\n"
             "                    else (population[i], scores[i]))\n"
             "    return [member for member, _ in kept], [score for _, score in kept]\n"),
            ("signs flipped for lower-is-better, NumPy scores",
             "def selection_step(population, scores, mutants, mutant_scores, higher_is_better):\n"
             "    sign = 1.0 if higher_is_better else -1.0\n"
             "    wins = sign * np.asarray(mutant_scores, float) > sign * np.asarray(scores, float)\n"
             "    new_population = [m if w else p for p, m, w in zip(population, mutants, wins)]\n"
             "    new_scores = [ms if w else s for s, ms, w in zip(scores, mutant_scores, wins)]\n"
             "    return new_population, new_scores\n"),
            ('NumPy comparisons, scores back through np.where',
             'def selection_step(population, scores, mutants, mutant_scores, higher_is_better):\n'
             '    compare = np.greater if higher_is_better else np.less\n'
             '    wins = compare(np.asarray(mutant_scores, float), np.asarray(scores, float))\n'
             '    kept = [list(mutant) if win else list(current)\n'
             '            for current, mutant, win in zip(population, mutants, wins, strict=True)]\n'
             '    return kept, np.where(wins, mutant_scores, scores).tolist()\n'),
        ],
    },
}
