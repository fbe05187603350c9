"""Chapter 5's explorable: a search budget -> random search against a grid, when one of two knobs does not matter.

The objective is the chapter's (`book/05_hyperparameter_tuning.md`, "Random search beats a grid"): two
hyperparameters in [0, 1], a cost that depends only on the first, `1 - exp(-((x - 0.63) / 0.06)**2)`. For each
budget of `side**2` trials the grid puts `side` values of each knob at `(i + 0.5) / side` (the chapter's 5 x 5 grid
at 0.1, 0.3, ..., 0.9 is `side = 5`), and `trainfaster.tuning.random_search` draws the same number of uniform
points, `DRAWS` times with seeds 0 .. DRAWS - 1. The figure shows the points of the grid and of draw 0, how many
distinct values of the important knob each tried, and the best cost each found at every budget (random search's
median and range over the draws). The browser only picks among these arrays.
"""

import matplotlib.pyplot as plt
import numpy as np
from bokeh.layouts import column
from bokeh.models import Band, ColumnDataSource, CustomJS, Legend, Span
from bokeh.plotting import figure

from explorables import responsive_row
from explorables.b_controls import compact, index_slider, readout
from trainfaster.plotting import PALETTE
from trainfaster.tuning import random_search

BEST_X, WIDTH = 0.63, 0.06
SIDES = list(range(2, 11))   # budgets 4, 9, ..., 100 trials
DRAWS = 20
DEFAULT_SIDE = 5


def cost(x):
    """The cost of a trial: it depends only on the important hyperparameter `x` (best at 0.63)."""
    return 1 - np.exp(-((np.asarray(x, dtype=float) - BEST_X) / WIDTH) ** 2)


def objective(config):
    return cost(config[0])


def sample_config(rng):
    """A uniform point of the unit square: (important, unimportant)."""
    return rng.uniform(0, 1, 2)


def grid_points(side):
    """The `side * side` grid, `side` values of each hyperparameter at `(i + 0.5) / side`: shape (side**2, 2)."""
    values = (np.arange(side) + 0.5) / side
    return np.array([(x, y) for x in values for y in values])


def random_points(side, seed):
    """The `side**2` trials of `random_search` with `seed`, in the order drawn, and their costs."""
    trials = random_search(objective, sample_config, side * side, seed=seed)
    return np.array([config for config, _ in trials]), np.array([score for _, score in trials])


def precompute():
    """For every budget: the grid's points and best cost, draw 0's points, every draw's best cost."""
    grids = {side: grid_points(side) for side in SIDES}
    draws = {side: [random_points(side, seed) for seed in range(DRAWS)] for side in SIDES}
    return {
        "grid": grids,
        "random": {side: draws[side][0][0] for side in SIDES},
        "grid_best": np.array([cost(grids[side][:, 0]).min() for side in SIDES]),
        "random_best": np.array([[scores.min() for _, scores in draws[side]] for side in SIDES]),  # (budgets, DRAWS)
    }


def number(cost):
    """A best cost for the read-out: three decimals, or two significant digits below 0.001."""
    return f"{cost:.3f}" if cost >= 0.001 else f"{cost:.1e}"


def distinct(values):
    return len(np.unique(np.round(values, 12)))


def describe(data, position):
    side = SIDES[position]
    grid, rand = data["grid"][side], data["random"][side]
    best = data["random_best"][position]
    return (f"<b>{side * side} trials</b>. The grid ({side} × {side}) tries {distinct(grid[:, 0])} values of the "
            f"important hyperparameter and its best cost is {number(data['grid_best'][position])}; random search "
            f"tries {distinct(rand[:, 0])}, and its best cost is {number(cost(rand[:, 0]).min())} in the draw shown, "
            f"{number(np.median(best))} in the median of {DRAWS} draws (from {number(best.min())} to "
            f"{number(best.max())}).")


def _points(points):
    return {"x": compact(points[:, 0]), "y": compact(points[:, 1])}


def _square(title, source, colour, marker):
    """One panel: the cost shaded along the important axis, the trials, and a tick under each value tried."""
    panel = figure(tools="", height=250, sizing_mode="stretch_width", x_range=(0, 1), y_range=(-0.06, 1), title=title,
                   x_axis_label="important", y_axis_label="unimportant", toolbar_location=None)
    xs = np.linspace(0, 1, 201)
    panel.image(image=[np.tile(cost(xs), (2, 1))], x=0, y=0, dw=1, dh=1, palette="Cividis256", alpha=0.55)
    panel.scatter("x", "y", source=source, size=7, color=colour, marker=marker)
    panel.scatter("x", -0.03, source=source, marker="dash", angle=np.pi / 2, size=10, color=PALETTE[3],
                  line_width=2)
    panel.grid.visible = False
    return panel


def layout(data):
    """The budget slider, the grid's and draw 0's trials side by side, the best cost against the budget, and the
    read-out."""
    position0 = SIDES.index(DEFAULT_SIDE)
    grid_all = ColumnDataSource({f"{c} {side}": v for side in SIDES for c, v in
                                 _points(np.pad(data["grid"][side], ((0, 100 - side**2), (0, 0)),
                                                constant_values=np.nan)).items()})
    random_all = ColumnDataSource({f"{c} {side}": v for side in SIDES for c, v in
                                   _points(np.pad(data["random"][side], ((0, 100 - side**2), (0, 0)),
                                                  constant_values=np.nan)).items()})
    grid_shown = ColumnDataSource(_points(data["grid"][DEFAULT_SIDE]), name="explore-ch5-grid")
    random_shown = ColumnDataSource(_points(data["random"][DEFAULT_SIDE]), name="explore-ch5-random")
    budgets = np.array(SIDES) ** 2
    best = ColumnDataSource({"budget": budgets, "grid": compact(data["grid_best"]),
                             "median": compact(np.median(data["random_best"], axis=1)),
                             "low": compact(data["random_best"].min(axis=1)),
                             "high": compact(data["random_best"].max(axis=1))}, name="explore-ch5-best")

    slider = index_slider("Budget (trials)", [f"{side * side} ({side} × {side})" for side in SIDES], position0,
                          "explore-ch5-budget")
    left = _square("Grid", grid_shown, "black", "circle")
    right = _square("Random (draw 0)", random_shown, "black", "x")
    curve = figure(tools="", height=250, sizing_mode="stretch_width", y_axis_type="log", y_range=(1e-5, 1.2),
                   x_range=(0, 104), title="Best cost found against the budget",
                   x_axis_label="budget (trials)", y_axis_label="best cost", toolbar_location=None)
    curve.add_layout(Legend(orientation="horizontal", location="center"), "below")
    curve.add_layout(Band(base="budget", lower="low", upper="high", source=best, fill_color=PALETTE[1],
                          fill_alpha=0.3))
    curve.line("budget", "median", source=best, color=PALETTE[1], line_width=3,
               legend_label=f"random ({DRAWS} draws)")
    curve.scatter("budget", "median", source=best, color=PALETTE[1], size=6)
    curve.line("budget", "grid", source=best, color="black", line_width=2, legend_label="grid")
    curve.scatter("budget", "grid", source=best, color="black", size=6)
    marker = Span(location=DEFAULT_SIDE**2, dimension="height", line_color=PALETTE[3], line_width=2,
                  line_dash="dashed", name="explore-ch5-marker")
    curve.add_layout(marker)
    texts = [describe(data, position) for position in range(len(SIDES))]
    words = readout(texts[position0], "explore-ch5-readout")
    slider.js_on_change("value", CustomJS(args={
        "slider": slider, "sides": SIDES, "budgets": [int(b) for b in budgets], "grid_all": grid_all,
        "random_all": random_all, "grid_shown": grid_shown, "random_shown": random_shown, "marker": marker,
        "texts": texts, "words": words}, code="""
        const i = slider.categories.indexOf(slider.value);
        const side = sides[i];
        const n = budgets[i];
        grid_shown.data = {x: grid_all.data["x " + side].slice(0, n), y: grid_all.data["y " + side].slice(0, n)};
        random_shown.data = {x: random_all.data["x " + side].slice(0, n), y: random_all.data["y " + side].slice(0, n)};
        marker.location = n;
        words.text = texts[i];
    """))
    return column(slider, responsive_row(left, right), curve, words, sizing_mode="stretch_width")


def fallback(data):
    """The static figure at the default budget (matplotlib), for a reader without JavaScript."""
    fig, axes = plt.subplots(3, 1, figsize=(5.5, 10))  # stacked: readable on a phone
    xs = np.linspace(0, 1, 201)
    for ax, points, title in ((axes[0], data["grid"][DEFAULT_SIDE], "Grid"),
                              (axes[1], data["random"][DEFAULT_SIDE], "Random (draw 0)")):
        ax.imshow(np.tile(cost(xs), (2, 1)), extent=(0, 1, 0, 1), origin="lower", aspect="auto", alpha=0.55)
        ax.scatter(points[:, 0], points[:, 1], color="black", s=14)
        ax.plot(points[:, 0], np.full(len(points), -0.03), "|", color=PALETTE[3], markersize=10, markeredgewidth=2)
        ax.set(xlim=(0, 1), ylim=(-0.06, 1), xlabel="important", ylabel="unimportant", title=title)
        ax.grid(False)
    budgets = np.array(SIDES) ** 2
    axes[2].fill_between(budgets, data["random_best"].min(axis=1), data["random_best"].max(axis=1), color=PALETTE[1],
                         alpha=0.3)
    axes[2].semilogy(budgets, np.median(data["random_best"], axis=1), "o-", color=PALETTE[1], label="random")
    axes[2].semilogy(budgets, data["grid_best"], "o-", color="black", label="grid")
    axes[2].axvline(DEFAULT_SIDE**2, color=PALETTE[3], linestyle="--")
    axes[2].set(xlabel="budget (trials)", ylabel="best cost", ylim=(1e-5, 1.2), title="Best cost found")
    axes[2].legend(loc="lower left")
    fig.tight_layout()
    return fig


def caption(data):
    position = SIDES.index(DEFAULT_SIDE)
    best = data["random_best"][position]
    return (f"Grid against random search on a cost that depends only on the important (horizontal) hyperparameter, "
            f"lowest in the dark band. Grid and Random (draw 0): the trials of each, with a tick under every value of the important "
            f"hyperparameter tried. At the default budget of {DEFAULT_SIDE**2} trials the grid tries {DEFAULT_SIDE} "
            f"values of it and its "
            f"best cost is {number(data['grid_best'][position])}; random search tries {DEFAULT_SIDE**2}, and its best "
            f"cost is {number(np.median(best))} in the median of {DRAWS} draws (range {number(best.min())} to "
            f"{number(best.max())}). Best cost found against the budget: the best cost of each against the budget, 4 to 100 trials.")


def alt(data):
    lower = int(np.sum(np.median(data["random_best"], axis=1) < data["grid_best"]))
    return (f"Two unit squares with a vertical band of low cost near x = {BEST_X}. First, {DEFAULT_SIDE**2} grid points "
            f"on {DEFAULT_SIDE} vertical lines, the nearest {abs(grid_points(DEFAULT_SIDE)[:, 0] - BEST_X).min():.2f} "
            f"from its centre; then {DEFAULT_SIDE**2} random points with "
            f"{DEFAULT_SIDE**2} distinct ticks, several in the band. Below, the best cost against the budget: the "
            f"grid's line jumps up and down between {data['grid_best'].min():.3f} and {data['grid_best'].max():.3f}, "
            f"random search's median falls steadily, below the grid at {lower} of the {len(SIDES)} budgets.")


def explore():
    """Precompute, and write the explorable into the page (`explorables.show`)."""
    from explorables import show as show_explorable

    data = precompute()
    return show_explorable(layout(data), name="explore-ch5-search", caption=caption(data),
                           alt=alt(data), fallback=fallback(data))
