"""Chapter 6's explorable: the scale c of a batch-norm layer's weights -> its output (unchanged) and gradient (1/c).

The network is the chapter's (`book/06_batch_normalization.md`, "Scale invariance"): the course's 7-layer
batch-norm network `trainfaster.bn_network` at its initialization (seed 0) on 512 two-moons examples, with the
third layer's `W` multiplied by c. For every c of a log grid from 0.01 to 100 the module runs the library's
`forward` and `backward` and records the spread (standard deviation over the batch) of each of the layer's 32
units before batch norm (`Z = c W A`) and after it (`Z_tilde`), the largest change of the network's output from
c = 1, and the size of the gradient `dW3` relative to its size at c = 1. Batch norm divides out c, so the output
stays and the gradient shrinks as 1/c, except at the smallest c, where the variance of `Z` comes close to batch
norm's epsilon = 1e-5 and the division is no longer exact. The browser only picks among these arrays.
"""

import matplotlib.pyplot as plt
import numpy as np
from bokeh.layouts import column
from bokeh.models import ColumnDataSource, CustomJS, Legend
from bokeh.plotting import figure

from explorables.b_controls import compact, index_slider, readout
from trainfaster import bn_network
from trainfaster.data import make_moons
from trainfaster.plotting import PALETTE

LAYER_DIMS = (2, 32, 32, 32, 32, 32, 32, 1)
LAYER = 3
SCALES = 10 ** np.linspace(-2, 2, 13)   # 0.01 .. 100, three values a decade
DEFAULT = 6                              # c = 1


def scaled(parameters, c):
    """The parameters with layer LAYER's weights multiplied by c."""
    return {**parameters, f"W{LAYER}": c * parameters[f"W{LAYER}"]}


def precompute():
    """For every c: the units' spread before and after batch norm, the output's change, |dW| / |dW at c = 1|."""
    X, Y = make_moons(m=512, noise=0.2, seed=1)
    start = bn_network.initialize_parameters(LAYER_DIMS, seed=0)
    before, after, change, ratio = [], [], [], []
    AL1, caches1, _ = bn_network.forward(X, start)
    norm1 = np.linalg.norm(bn_network.backward(AL1, Y, caches1, start)[f"dW{LAYER}"])
    for c in SCALES:
        parameters = scaled(start, c)
        AL, caches, stats = bn_network.forward(X, parameters)
        grads = bn_network.backward(AL, Y, caches, parameters)
        before.append(np.sqrt(stats[f"var{LAYER}"]).ravel())
        after.append(caches[LAYER - 1][1].std(axis=1))
        change.append(np.abs(AL - AL1).max())
        ratio.append(np.linalg.norm(grads[f"dW{LAYER}"]) / norm1)
    return {"before": np.array(before), "after": np.array(after), "change": np.array(change),
            "ratio": np.array(ratio)}


def label(c):
    return f"{c:.3g}"


def describe(data, position):
    c = SCALES[position]
    return (f"<b>c = {label(c)}</b>: layer {LAYER}'s units spread over the batch with standard deviations from "
            f"{data['before'][position].min():.3g} to {data['before'][position].max():.3g} before batch norm, and "
            f"{_range(data['after'][position], 4)} after it. The "
            f"network's output moves by at most {data['change'][position]:.1e} from c = 1, and |dW{LAYER}| is "
            f"{data['ratio'][position]:.4g} times its size at c = 1 (1/c = {1 / c:.4g}).")


def layout(data):
    """The c slider, the units' spread before and after batch norm, |dW| against c, and the read-out."""
    units = np.arange(1, LAYER_DIMS[LAYER] + 1)
    spreads_all = ColumnDataSource({**{f"before {i}": compact(v) for i, v in enumerate(data["before"])},
                                    **{f"after {i}": compact(v) for i, v in enumerate(data["after"])}})
    spreads = ColumnDataSource({"unit": units, "before": compact(data["before"][DEFAULT]),
                                "after": compact(data["after"][DEFAULT])}, name="explore-ch6-spreads")
    curve = ColumnDataSource({"c": compact(SCALES), "ratio": compact(data["ratio"]),
                              "inverse": compact(1 / SCALES)})
    here = ColumnDataSource({"c": compact(SCALES[[DEFAULT]]), "ratio": compact(data["ratio"][[DEFAULT]])},
                            name="explore-ch6-here")
    slider = index_slider(f"Scale c of W{LAYER}", [label(c) for c in SCALES], DEFAULT, "explore-ch6-scale")

    left = figure(tools="", height=250, sizing_mode="stretch_width", y_axis_type="log", y_range=(1e-3, 1e3),
                  x_range=(0, LAYER_DIMS[LAYER] + 1), title=f"Layer {LAYER}'s units: spread over the batch",
                  x_axis_label="unit", y_axis_label="standard deviation", toolbar_location=None)
    left.add_layout(Legend(orientation="horizontal", location="center"), "below")
    left.scatter("unit", "before", source=spreads, size=7, color=PALETTE[1], legend_label="Z = cWA (before)")
    left.scatter("unit", "after", source=spreads, size=7, color=PALETTE[0], marker="square",
                 legend_label="after batch norm")
    right = figure(tools="", height=230, sizing_mode="stretch_width", x_axis_type="log", y_axis_type="log",
                   x_range=(0.007, 140), y_range=(0.007, 140), title=f"|dW{LAYER}| relative to c = 1",
                   x_axis_label="c", y_axis_label="gradient size", toolbar_location=None)
    right.line("c", "inverse", source=curve, color="grey", line_dash="dashed", line_width=2, legend_label="1/c")
    right.scatter("c", "ratio", source=curve, color=PALETTE[2], size=6, legend_label="measured")
    right.scatter("c", "ratio", source=here, color=PALETTE[3], size=14, marker="diamond")
    right.legend.location = "top_right"
    texts = [describe(data, position) for position in range(len(SCALES))]
    words = readout(texts[DEFAULT], "explore-ch6-readout")
    slider.js_on_change("value", CustomJS(args={
        "slider": slider, "spreads_all": spreads_all, "spreads": spreads, "curve": curve, "here": here,
        "texts": texts, "words": words}, code="""
        const i = slider.categories.indexOf(slider.value);
        spreads.data = {unit: spreads.data.unit, before: spreads_all.data["before " + i],
                        after: spreads_all.data["after " + i]};
        here.data = {c: [curve.data.c[i]], ratio: [curve.data.ratio[i]]};
        words.text = texts[i];
    """))
    return column(slider, left, right, words, sizing_mode="stretch_width")


def fallback(data):
    """The static figure at c = 1 (matplotlib), for a reader without JavaScript."""
    fig, (left, right) = plt.subplots(2, 1, figsize=(5.5, 7.5))  # stacked: readable on a phone
    units = np.arange(1, LAYER_DIMS[LAYER] + 1)
    left.semilogy(units, data["before"][DEFAULT], "o", color=PALETTE[1], label="Z = cWA (before)")
    left.semilogy(units, data["after"][DEFAULT], "s", color=PALETTE[0], label="after batch norm")
    left.set(ylim=(1e-3, 1e3), xlabel="unit", ylabel="standard deviation",
             title=f"Layer {LAYER}'s units: spread over the batch")
    left.legend(loc="upper left")
    right.loglog(SCALES, 1 / SCALES, "--", color="grey", label="1/c")
    right.loglog(SCALES, data["ratio"], "o", color=PALETTE[2], label="measured")
    right.loglog(SCALES[DEFAULT], data["ratio"][DEFAULT], "D", color=PALETTE[3], markersize=10)
    right.set(xlabel="c", ylabel="gradient size", title=f"|dW{LAYER}| relative to c = 1")
    right.legend(loc="upper right")
    fig.tight_layout()
    return fig


def _range(values, digits):
    low, high = f"{values.min():.{digits}f}", f"{values.max():.{digits}f}"
    return f"{low} (all of them, to {digits} decimals)" if low == high else f"from {low} to {high}"


def caption(data):
    return (f"The 7-layer batch-norm network at its initialization, on 512 two-moons examples, with layer {LAYER}'s "
            f"weights multiplied by c. Top: the standard deviation over the batch of each of the layer's 32 units, "
            f"before batch norm (it grows with c) and after it (it stays at 1). Bottom: the size of the gradient "
            f"dW{LAYER} against c, relative to c = 1, beside the line 1/c; the diamond marks the chosen c. At the "
            f"default c = 1 the units spread {_range(data['before'][DEFAULT], 2)} before batch norm and "
            f"{_range(data['after'][DEFAULT], 4)} after it.")


def alt(data):
    return (f"Top, 32 orange dots (each unit's spread before batch norm, between "
            f"{data['before'][DEFAULT].min():.2f} and {data['before'][DEFAULT].max():.2f}) and 32 blue squares on the "
            f"line 1 (after it), on a log axis from 0.001 to 1000. Bottom, on log axes, the gradient's size against c "
            f"falls along the dashed line 1/c from 100 at c = 0.01 to 0.01 at c = 100, a diamond at c = 1.")


def explore():
    """Precompute, and write the explorable into the page (`explorables.show`)."""
    from explorables import show as show_explorable

    data = precompute()
    return show_explorable(layout(data), name="explore-ch6-scale", caption=caption(data),
                           alt=alt(data), fallback=fallback(data))
