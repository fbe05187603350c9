"""Chapter 7's explorable: temperature and label smoothing -> the softmax probabilities and the cost.

The scores are the lectures' `z = (5, 2, -1, 3)` of `book/07_softmax_regression.md`, and class 0 is the true
one. For every temperature T of a log grid from 0.1 to 10 and every smoothing weight eps_ls from 0 to 0.5, the
module computes with `trainfaster.softmax` the probabilities `softmax(z / T)`, the smoothed target
`(1 - eps_ls) one_hot(0) + eps_ls / C` and the cost `cross_entropy_from_logits(z / T, target)`. Without
smoothing the cost keeps falling as T falls (the sharper, the cheaper: over-confidence pays); with smoothing it
has a lowest point at a finite sharpness, the chapter's finite optimum. The browser only picks among these arrays.
"""

import matplotlib.pyplot as plt
import numpy as np
from bokeh.layouts import column
from bokeh.models import ColumnDataSource, CustomJS, DataRange1d, Legend
from bokeh.plotting import figure
from bokeh.transform import dodge

from explorables.b_controls import compact, index_slider, readout
from trainfaster.plotting import PALETTE
from trainfaster.softmax import cross_entropy_from_logits, one_hot, softmax

Z = np.array([[5.0], [2.0], [-1.0], [3.0]])
TRUE_CLASS = 0
C = Z.shape[0]
TEMPERATURES = 10 ** np.linspace(-1, 1, 21)   # 0.1 .. 10, ten values a decade
SMOOTHINGS = np.round(np.arange(0, 0.51, 0.05), 2)
DEFAULT = (10, 0)                             # T = 1, eps_ls = 0


def target(smoothing):
    """The smoothed one-hot target of the true class, shape (C, 1)."""
    return (1 - smoothing) * one_hot(np.array([TRUE_CLASS]), C) + smoothing / C


def precompute():
    """`probabilities[i]` is `softmax(z / T_i)`, `targets[j]` the target at eps_ls_j, `cost[i, j]` the cost."""
    probabilities = np.array([softmax(Z / T).ravel() for T in TEMPERATURES])
    targets = np.array([target(s).ravel() for s in SMOOTHINGS])
    cost = np.array([[cross_entropy_from_logits(Z / T, target(s)) for s in SMOOTHINGS] for T in TEMPERATURES])
    return {"probabilities": probabilities, "targets": targets, "cost": cost}


def number(cost):
    """A cost for the read-out: three decimals, or two significant digits below 0.001."""
    return f"{cost:.3f}" if cost >= 0.001 else f"{cost:.1e}"


def _pieces(data):
    """The read-out in pieces, so the page carries 21 + 11 phrases and a table of costs, not 231 sentences:
    `describe(data, i, j)` is `a[i] + b[j] + c[i][j] + d[j]` (the browser joins the same pieces)."""
    a = [f"<b>T = {T:.3g}</b>, softmax(z / T) = ({', '.join(f'{v:.3f}' for v in p)}); "
         for T, p in zip(TEMPERATURES, data["probabilities"])]
    b, d = [], []
    for j, s in enumerate(SMOOTHINGS):
        cost = data["cost"][:, j]
        best = int(np.argmin(cost))
        b.append(f"<b>ε<sub>ls</sub> = {s:.2f}</b>, target ({', '.join(f'{v:.3f}' for v in data['targets'][j])}). "
                 "The cost is ")
        d.append("; over the temperatures tried at this smoothing it is lowest at the smallest T, and keeps falling "
                 "as T falls: without smoothing, more confidence always costs less." if best == 0 else
                 f"; over the temperatures tried at this smoothing it is lowest, {number(cost[best])}, at "
                 f"T = {TEMPERATURES[best]:.3g}.")
    c = [[number(value) for value in row] for row in data["cost"]]
    return a, b, c, d


def describe(data, i, j):
    """The read-out under the figure at temperature `TEMPERATURES[i]` and smoothing `SMOOTHINGS[j]`."""
    a, b, c, d = _pieces(data)
    return a[i] + b[j] + c[i][j] + d[j]


def layout(data):
    """Two sliders, the bars of the probabilities beside the target, the cost against T, and the read-out."""
    i0, j0 = DEFAULT
    classes = np.arange(C)
    probabilities_all = ColumnDataSource({f"p {i}": compact(p) for i, p in enumerate(data["probabilities"])})
    targets_all = ColumnDataSource({f"t {j}": compact(t) for j, t in enumerate(data["targets"])})
    cost_all = ColumnDataSource({f"cost {j}": compact(data["cost"][:, j]) for j in range(len(SMOOTHINGS))})
    bars = ColumnDataSource({"class": classes, "probability": compact(data["probabilities"][i0]),
                             "target": compact(data["targets"][j0])}, name="explore-ch7-bars")
    curve = ColumnDataSource({"T": compact(TEMPERATURES), "cost": compact(data["cost"][:, j0])},
                             name="explore-ch7-curve")
    here = ColumnDataSource({"T": compact(TEMPERATURES[[i0]]), "cost": compact(data["cost"][[i0], j0])},
                            name="explore-ch7-here")
    temperature = index_slider("Temperature T", [f"{T:.3g}" for T in TEMPERATURES], i0, "explore-ch7-temperature")
    smoothing = index_slider("Label smoothing ε", [f"{s:.2f}" for s in SMOOTHINGS], j0, "explore-ch7-smoothing")

    top = figure(tools="", height=250, sizing_mode="stretch_width", x_range=(-0.6, C - 0.4), y_range=(0, 1.05),
                 title="softmax(z / T) and the target", x_axis_label="class",
                 y_axis_label="probability", toolbar_location=None)
    top.add_layout(Legend(orientation="horizontal", location="center"), "below")
    top.vbar(x=dodge("class", -0.18, range=top.x_range), top="probability", width=0.34, source=bars,
             color=PALETTE[0], legend_label="softmax(z / T)")
    top.vbar(x=dodge("class", 0.18, range=top.x_range), top="target", width=0.34, source=bars, color=PALETTE[1],
             legend_label="target (class 0 is true)")
    top.xaxis.ticker = list(range(C))
    bottom = figure(tools="", height=230, sizing_mode="stretch_width", x_axis_type="log", x_range=(0.09, 11),
                    y_range=DataRange1d(start=0),
                    title="The cost against T, at this smoothing", x_axis_label="temperature T",
                    y_axis_label="cost", toolbar_location=None)
    bottom.line("T", "cost", source=curve, color=PALETTE[2], line_width=3)
    bottom.scatter("T", "cost", source=here, color=PALETTE[3], size=14, marker="diamond")
    a, b, c, d = _pieces(data)
    words = readout(describe(data, i0, j0), "explore-ch7-readout")
    pick = CustomJS(args={"temperature": temperature, "smoothing": smoothing, "probabilities_all": probabilities_all,
                          "targets_all": targets_all, "cost_all": cost_all, "bars": bars, "curve": curve,
                          "here": here, "a": a, "b": b, "c": c, "d": d, "words": words}, code="""
        const i = temperature.categories.indexOf(temperature.value);
        const j = smoothing.categories.indexOf(smoothing.value);
        bars.data = {class: bars.data.class, probability: probabilities_all.data["p " + i],
                     target: targets_all.data["t " + j]};
        const costs = cost_all.data["cost " + j];
        curve.data = {T: curve.data.T, cost: costs};
        here.data = {T: [curve.data.T[i]], cost: [costs[i]]};
        words.text = a[i] + b[j] + c[i][j] + d[j];
    """)
    temperature.js_on_change("value", pick)
    smoothing.js_on_change("value", pick)
    return column(temperature, smoothing, top, bottom, words, sizing_mode="stretch_width")


def fallback(data):
    """The static figure at T = 1 without smoothing (matplotlib), for a reader without JavaScript."""
    i0, j0 = DEFAULT
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 6))
    classes = np.arange(C)
    top.bar(classes - 0.18, data["probabilities"][i0], width=0.34, color=PALETTE[0], label="softmax(z / T)")
    top.bar(classes + 0.18, data["targets"][j0], width=0.34, color=PALETTE[1], label="target (class 0 is true)")
    top.set(xticks=classes, xlabel="class", ylabel="probability", ylim=(0, 1.05),
            title="softmax(z / T) for z = (5, 2, -1, 3), and the target")
    top.legend(loc="upper right")
    bottom.semilogx(TEMPERATURES, data["cost"][:, j0], color=PALETTE[2])
    bottom.semilogx(TEMPERATURES[i0], data["cost"][i0, j0], "D", color=PALETTE[3], markersize=10)
    bottom.set(xlabel="temperature T", ylabel="cost", ylim=(0, None), title="The cost against T, at this smoothing")
    fig.tight_layout()
    return fig


def caption(data):
    i0, j0 = DEFAULT
    return (f"The softmax of the scores z = (5, 2, -1, 3) divided by a temperature T, beside the target of the true "
            f"class 0, smoothed by ε, and the cross-entropy cost against T. At the default T = 1 without smoothing "
            f"the probabilities are ({', '.join(f'{v:.3f}' for v in data['probabilities'][i0])}) and the cost is "
            f"{data['cost'][i0, j0]:.3f}; without smoothing the cost keeps falling as T falls.")


def alt(data):
    i0, j0 = DEFAULT
    return (f"Top, bars for classes 0 to 3: softmax probabilities "
            f"{', '.join(f'{v:.3f}' for v in data['probabilities'][i0])} beside the one-hot target 1, 0, 0, 0. "
            f"Bottom, the cost against T on a log axis, rising from near 0 at T = 0.1 to "
            f"{data['cost'][-1, j0]:.2f} at T = 10, with a diamond at T = 1, cost {data['cost'][i0, j0]:.3f}.")


def explore():
    """Precompute, and write the explorable into the page (`explorables.show`)."""
    from explorables import show as show_explorable

    data = precompute()
    return show_explorable(layout(data), name="explore-ch7-softmax", caption=caption(data),
                           alt=alt(data), fallback=fallback(data))
