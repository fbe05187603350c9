"""The computation graph of one batch-norm unit, drawn with matplotlib (chapter 6 and its exercise).

Explained in `book/06_batch_normalization.md`: each box is a quantity of the forward pass, each arrow is
labelled with its local derivative, and backpropagation walks the arrows backwards, summing over paths.
"""

import matplotlib.pyplot as plt
import numpy as np

from trainfaster.plotting import PALETTE

# name: (x, y, label); the forward pass of one row (unit) of Z, with s = sqrt(var + epsilon).
NODES = {
    "Z": (0.0, 0.0, r"$Z_j$"),
    "mu": (2.0, 2.0, r"$\mu = \frac{1}{m}\sum_k Z_k$"),
    "centered": (4.0, 0.0, r"$Z_j - \mu$"),
    "var": (6.2, 2.0, r"$\sigma^2 = \frac{1}{m}\sum_k (Z_k - \mu)^2$"),
    "norm": (8.0, 0.0, r"$Z^{\mathrm{norm}}_j = \frac{Z_j - \mu}{s}$"),
    "gamma": (8.0, -2.0, r"$\gamma$"),
    "beta": (11.3, -2.0, r"$\beta$"),
    "tilde": (11.3, 0.0, r"$\tilde Z_j = \gamma Z^{\mathrm{norm}}_j + \beta$"),
}
# (from, to, local derivative d(to)/d(from))
EDGES = [
    ("Z", "mu", r"$\frac{1}{m}$"),
    ("Z", "centered", r"$1$"),
    ("mu", "centered", r"$-1$"),
    ("centered", "var", r"$\frac{2 (Z_j - \mu)}{m}$"),
    ("centered", "norm", r"$\frac{1}{s}$"),
    ("var", "norm", r"$-\frac{1}{2}(Z_j - \mu)\, s^{-3}$"),
    ("norm", "tilde", r"$\gamma$"),
    ("gamma", "tilde", r"$Z^{\mathrm{norm}}_j$"),
    ("beta", "tilde", r"$1$"),
]


def draw_batchnorm_graph(ax=None):
    """Draw the graph Z -> mu -> Z - mu -> var -> Z_norm -> Z_tilde on `ax` (a new figure if None); return ax."""
    if ax is None:
        _, ax = plt.subplots(figsize=(12, 4.2))
    ax.set(xlim=(-0.6, 13.0), ylim=(-2.5, 2.5))
    ax.set_axis_off()
    boxes = {}
    for name, (x, y, label) in NODES.items():
        colour = PALETTE[1] if name in ("gamma", "beta") else PALETTE[0]
        boxes[name] = ax.text(x, y, label, ha="center", va="center", fontsize=12, zorder=3,
                              bbox=dict(boxstyle="round,pad=0.45", facecolor="white", edgecolor=colour, linewidth=1.8))
    renderer = ax.figure.canvas.get_renderer()  # lays the boxes out, so the arrows can stop at their edges
    to_data = ax.transData.inverted()
    extents = {}
    for name, box in boxes.items():
        box.update_bbox_position_size(renderer)
        extents[name] = to_data.transform(box.get_bbox_patch().get_window_extent(renderer))
    for start, end, derivative in EDGES:
        p0, p1 = np.array(NODES[start][:2]), np.array(NODES[end][:2])
        tail, head = _leave(p0, p1, extents[start]), _leave(p1, p0, extents[end])
        ax.annotate("", xy=head, xytext=tail, arrowprops=dict(arrowstyle="-|>", color="0.35", linewidth=1.4,
                                                              mutation_scale=16, shrinkA=2, shrinkB=2))
        normal = np.array([-(p1 - p0)[1], (p1 - p0)[0]]) / np.linalg.norm(p1 - p0)
        if normal[1] < 0:
            normal = -normal
        x, y = (p0 + p1) / 2 + 0.25 * normal
        ha = "center" if abs(normal[0]) < 0.2 else ("left" if normal[0] > 0 else "right")
        ax.text(x, y, derivative, ha=ha, va="bottom" if normal[1] > 0.9 else "center", fontsize=11, color=PALETTE[3])
    return ax


def _leave(centre, towards, extent):
    """Where the segment from `centre` to `towards` leaves the box `extent` ((x0, y0), (x1, y1))."""
    (x0, y0), (x1, y1) = extent
    direction = towards - centre
    with np.errstate(divide="ignore"):
        t = min(np.abs((x1 - x0) / 2 / direction[0]) if direction[0] else np.inf,
                np.abs((y1 - y0) / 2 / direction[1]) if direction[1] else np.inf)
    return centre + t * direction
