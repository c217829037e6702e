"""Plot helpers: each one creates its own figure and returns it."""

import itertools

import numpy as np


def _history_dict(history):
    return history.history if hasattr(history, "history") else dict(history)


def plot_loss_curves(histories, title="Model loss", log_scale=False, ylabel="Loss",
                     held_out="validation"):
    """Plot training (solid) and held-out (dashed) loss per epoch for one or more histories.

    ``histories`` is a Keras ``History`` or a dict, or a mapping ``label -> history``;
    ``ylabel`` names the loss and its unit, ``held_out`` the data of ``val_loss`` ("test").
    """
    import matplotlib.pyplot as plt

    if hasattr(histories, "history") or "loss" in histories:
        histories = {"": histories}
    fig, ax = plt.subplots(figsize=(6, 4))
    for index, (label, history) in enumerate(histories.items()):
        values = _history_dict(history)
        color = f"C{index}"
        prefix = f"{label} " if label else ""
        epochs = np.arange(1, len(values["loss"]) + 1)
        ax.plot(epochs, values["loss"], color=color, label=f"{prefix}train")
        if "val_loss" in values:
            ax.plot(epochs, values["val_loss"], color=color, linestyle="--",
                    label=f"{prefix}{held_out}")
    ax.set(title=title, xlabel="Epoch", ylabel=ylabel)
    if log_scale:
        ax.set_yscale("log")
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


# Okabe and Ito's palette, safe for every common colour-vision deficiency, with two more hues;
# each class also gets its own marker, and 2-D scatters name each class at its centre, so
# that no reader depends on colour alone.
CLASS_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                 "#000000", "#8C564B", "#999933")
CLASS_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")


def _scatter_groups(ax, points, labels, names, dims, name_centres=False):
    for index, label in enumerate(np.unique(labels)):
        mask = labels == label
        name = names.get(label, f"class {label}")
        style = ({"marker": "x", "color": "grey"} if label == -1 else
                 {"marker": CLASS_MARKERS[index % 10], "color": CLASS_COLOURS[index % 10]})
        ax.scatter(*(points[mask, d] for d in dims), s=12, label=name, alpha=0.8,
                   linewidths=0.3, **style)
        if name_centres and label != -1:
            centre = np.median(points[mask][:, list(dims)], axis=0)
            ax.annotate(str(name), centre, ha="center", va="center", fontsize=9,
                        fontweight="bold", bbox={"boxstyle": "round,pad=0.15", "fc": "white",
                                                 "ec": style["color"], "alpha": 0.85})


def _label_names(labels, class_names):
    names = {index: name for index, name in enumerate(class_names or [])}
    if np.any(np.asarray(labels) == -1):
        names[-1] = "noise"
    return names


def plot_latent_2d(codes, labels, class_names=None, title="Latent space", ax=None):
    """Scatter 2-D codes coloured by label; draws on ``ax`` if given, else on a new figure."""
    import matplotlib.pyplot as plt

    codes, labels = np.asarray(codes), np.asarray(labels)
    if codes.shape[1] != 2:
        raise ValueError(f"plot_latent_2d needs 2-D codes, got {codes.shape[1]} dimensions")
    fig = ax.figure if ax is not None else plt.figure(figsize=(6, 4.5), layout="constrained")
    ax = ax if ax is not None else fig.add_subplot()
    _scatter_groups(ax, codes, labels, _label_names(labels, class_names), (0, 1),
                    name_centres=True)
    ax.set(title=title, xlabel="z 1", ylabel="z 2")
    # Beside the axes, never on the codes.
    ax.legend(fontsize="small", markerscale=1.5, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              frameon=False)
    return fig


def plot_latent_3d(codes, labels, class_names=None, title="Latent space",
                   axis_names=("Factor 1", "Factor 2", "Factor 3")):
    """Show 3-D codes coloured by label: a 3-D view and the XY, XZ and YZ projections.

    Label -1 (DBSCAN's noise) is drawn as grey crosses.
    """
    import matplotlib.pyplot as plt

    codes, labels = np.asarray(codes), np.asarray(labels)
    if codes.shape[1] != 3:
        raise ValueError(f"plot_latent_3d needs 3-D codes, got {codes.shape[1]} dimensions")
    names = _label_names(labels, class_names)
    fig = plt.figure(figsize=(16, 4))
    ax3d = fig.add_subplot(1, 4, 1, projection="3d")
    _scatter_groups(ax3d, codes, labels, names, (0, 1, 2))
    ax3d.view_init(elev=35, azim=45)
    ax3d.set(xlabel=axis_names[0], ylabel=axis_names[1], zlabel=axis_names[2], title=title)
    for panel, (i, j) in enumerate(itertools.combinations(range(3), 2), start=2):
        ax = fig.add_subplot(1, 4, panel)
        _scatter_groups(ax, codes, labels, names, (i, j))
        projection = "XYZ"[i] + "XYZ"[j]
        ax.set(xlabel=axis_names[i], ylabel=axis_names[j], title=f"{projection} projection")
    ax3d.legend(fontsize="small", loc="upper left")
    fig.tight_layout()
    return fig


def plot_image_grid(rows, image_shape=(28, 28), title=None):
    """Show images in rows, e.g. ``{"original": x, "depth 1": x_hat}``; one row per entry.

    An image of NaNs leaves its place empty."""
    import matplotlib.pyplot as plt

    rows = {name: np.asarray(images) for name, images in rows.items()}
    n_columns = max(len(images) for images in rows.values())
    fig, axes = plt.subplots(len(rows), n_columns, figsize=(1.2 * n_columns, 1.3 * len(rows)),
                             squeeze=False)
    for axes_row, (name, images) in zip(axes, rows.items(), strict=True):
        for column, ax in enumerate(axes_row):
            ax.set_xticks([])
            ax.set_yticks([])
            if column < len(images) and np.all(np.isnan(images[column])):
                ax.axis("off")
            elif column < len(images):
                ax.imshow(images[column].reshape(image_shape), cmap="gray", vmin=0, vmax=1)
        axes_row[0].set_ylabel(name, rotation=0, ha="right", va="center")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_feature_weights(weights, feature_names, factor_names=None, n_columns=3):
    """Bar chart of each input feature's weight into each latent factor (negative in grey)."""
    import matplotlib.pyplot as plt

    weights = np.asarray(weights)
    factor_names = factor_names or [f"Factor {i + 1}" for i in range(weights.shape[1])]
    n_rows = int(np.ceil(len(feature_names) / n_columns))
    fig, axes = plt.subplots(n_rows, n_columns, figsize=(3 * n_columns, 2.2 * n_rows),
                             sharey=True, squeeze=False)
    for ax, feature, feature_weights in zip(axes.flat, feature_names, weights, strict=False):
        colors = ["grey" if w < 0 else "tab:blue" for w in feature_weights]
        ax.bar(factor_names, feature_weights, color=colors)
        ax.axhline(0, color="black", linewidth=0.5)
        ax.set_title(feature, fontsize="small")
    for ax in axes.flat[len(feature_names):]:
        ax.set_visible(False)
    fig.supylabel("Weight")
    fig.tight_layout()
    return fig


def plot_bars(values, title, ylabel):
    """Bar chart of a mapping ``name -> value``, with each value printed on its bar."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1.2 * len(values) + 2, 3.5))
    bars = ax.bar([str(name) for name in values], list(values.values()))
    ax.bar_label(bars, fmt="%.3f")
    ax.set(title=title, ylabel=ylabel)
    fig.tight_layout()
    return fig


def plot_latent_panels(codes_by_model, labels, class_names=None, title=None):
    """One 2-D latent scatter per model, side by side: ``{"depth 1": codes, ...}``."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(codes_by_model), figsize=(5 * len(codes_by_model) + 1, 4.5),
                             squeeze=False, layout="constrained")
    for ax, (name, codes) in zip(axes[0], codes_by_model.items(), strict=True):
        plot_latent_2d(codes, labels, class_names, title=name, ax=ax)
        if ax is not axes[0][-1]:
            ax.get_legend().remove()
    if title:
        fig.suptitle(title)
    return fig


def plot_metric_bars(table, title=None):
    """One bar chart per metric (column) of a table whose rows are models."""
    import matplotlib.pyplot as plt

    # Horizontal bars: each model's name on its own line, however long, with no overlap.
    names = [str(name) for name in table.index]
    fig, axes = plt.subplots(1, len(table.columns), figsize=(4.5 * len(table.columns) + 1.5,
                                                            0.45 * len(names) + 1.3),
                             squeeze=False, sharey=True)
    for ax, metric in zip(axes[0], table.columns, strict=True):
        bars = ax.barh(range(len(names)), table[metric].astype(float))
        ax.bar_label(bars, fmt="%.3f", fontsize="small", padding=2)
        ax.set_yticks(range(len(names)), names)
        ax.margins(x=0.15)
        ax.set_title(metric)
    axes[0][0].invert_yaxis()  # the table's first row on top (the panels share the axis)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_metric_curves(table, x_label, title=None, y_label=""):
    """One line chart per metric group: ``table`` rows are x values, columns are series."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for column in table.columns:
        ax.plot(table.index, table[column], marker="o", label=str(column))
    ax.set(xlabel=x_label, ylabel=y_label, title=title or "")
    ax.set_xscale("log", base=2)
    ax.set_xticks(list(table.index), [str(x) for x in table.index])
    # Beside the plot, never on the curves.
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def plot_image_mosaic(images, n_columns, image_shape=(28, 28), title=None, grid=None):
    """Tile images into one picture, row by row (e.g. digits decoded from a latent grid).

    ``grid``: the latent points the images were decoded from, laid out as
    ``aecourse.vae.latent_grid`` lays them out; the axes then show their z 1 and z 2 values.
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images).reshape(-1, *image_shape)
    n_rows = int(np.ceil(len(images) / n_columns))
    canvas = np.zeros((n_rows * image_shape[0], n_columns * image_shape[1]))
    for index, image in enumerate(images):
        row, column = divmod(index, n_columns)
        canvas[row * image_shape[0]:(row + 1) * image_shape[0],
               column * image_shape[1]:(column + 1) * image_shape[1]] = image
    fig, ax = plt.subplots(figsize=(0.45 * n_columns + 1, 0.45 * n_rows + 1))
    ax.imshow(canvas, cmap="gray", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    if grid is not None:
        grid = np.asarray(grid).reshape(n_rows, n_columns, 2)
        columns, rows = range(0, n_columns, 2), range(0, n_rows, 2)
        ax.set_xticks([(c + 0.5) * image_shape[1] for c in columns],
                      [f"{grid[0, c, 0]:.1f}" for c in columns], fontsize=7)
        ax.set_yticks([(r + 0.5) * image_shape[0] for r in rows],
                      [f"{grid[r, 0, 1]:.1f}" for r in rows], fontsize=7)
        ax.set(xlabel="z 1", ylabel="z 2")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_search_curves(curves, title="Best score so far"):
    """One panel per objective: the best score after each round of a search."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(curves), figsize=(4.5 * len(curves), 3.4), squeeze=False)
    for ax, (objective, curve) in zip(axes[0], curves.items(), strict=True):
        ax.plot(range(len(curve)), curve, marker="o")
        unit = " (nats per image)" if objective == "loss" else ""
        ax.set(title=objective, xlabel="Round (0 = random population)",
               ylabel=f"best {objective} so far{unit}")
        ax.set_xticks(range(len(curve)))
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_score_vs_depth(tables, title="Score against depth", ylabels=None):
    """One panel per score: every evaluated architecture's score against its layer count.

    ``tables`` maps a panel title to ``(DataFrame, column)``; the frame needs a ``layers`` column.
    ``ylabels`` maps a panel title to its axis label with the unit (default: the column).
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(tables), figsize=(4.5 * len(tables), 3.4), squeeze=False)
    for ax, (name, (table, column)) in zip(axes[0], tables.items(), strict=True):
        ax.scatter(table["layers"], table[column], alpha=0.7)
        means = table.groupby("layers")[column].mean()
        ax.plot(means.index, means.values, color="C1", marker="s", label="mean per depth")
        ax.set(title=name, xlabel="encoder layers", ylabel=(ylabels or {}).get(name, column))
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_learning_rate_range(range_test, suggestion=None, title="Learning-rate range test"):
    """Plot a range test's loss after each step against the learning rate (log scale)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(range_test["learning_rate"], range_test["loss"], color="C0")
    if suggestion is not None:
        ax.axvline(suggestion, color="C1", linestyle="--",
                   label=f"steepest fall: {suggestion:.0e}")
        ax.legend(loc="upper left")
    ax.set(title=title, xlabel="Learning rate (log scale)", ylabel="Loss after the step")
    ax.set_xscale("log")
    fig.tight_layout()
    return fig
