"""One figure style for the whole course, and the plots the chapters share."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

#: The Okabe-Ito palette: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def use_course_style():
    """Apply the course style (palette, sizes, grid) to every following matplotlib figure."""
    plt.rcParams.update({
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "figure.figsize": (7.0, 4.0),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 11,
        "legend.frameon": False,
        "image.cmap": "cividis",
    })


def plot_costs(curves, ax=None, xlabel="epoch", ylabel="cost", log=False, title=None):
    """Plot several cost curves, `curves = {label: costs}`, on one axis; returns the axis."""
    ax = ax or plt.figure().gca()
    for label, costs in curves.items():
        ax.plot(np.arange(len(costs)), costs, label=label, linewidth=1.5)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    if log:
        ax.set_yscale("log")
    ax.legend()
    return ax


def plot_decision_boundary(predict, X, Y, ax=None, title=None, resolution=200):
    """Shade the regions `predict` assigns to each class and scatter the examples `X` (2, m) by label `Y`."""
    ax = ax or plt.figure().gca()
    pad = 0.5
    x0 = np.linspace(X[0].min() - pad, X[0].max() + pad, resolution)
    x1 = np.linspace(X[1].min() - pad, X[1].max() + pad, resolution)
    grid0, grid1 = np.meshgrid(x0, x1)
    labels = predict(np.stack([grid0.ravel(), grid1.ravel()])).reshape(grid0.shape)
    n_classes = int(max(labels.max(), Y.max())) + 1
    colours = matplotlib.colors.ListedColormap(PALETTE[:n_classes])
    ax.contourf(grid0, grid1, labels, levels=np.arange(n_classes + 1) - 0.5, cmap=colours, alpha=0.25)
    for c in range(n_classes):
        members = Y.ravel() == c
        ax.scatter(X[0, members], X[1, members], s=12, color=PALETTE[c], label=f"class {c}", edgecolors="none")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    ax.grid(False)
    ax.legend(loc="upper right")
    return ax
