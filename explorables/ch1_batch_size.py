"""Chapter 1's explorable: the batch size b against the noise of the gradient estimate and the path of mini-batch
descent (`book/01_mini_batches.md`, "Why a larger batch is only a little less noisy").

The model is the course's network with one input and one output unit, `network.forward`/`backward` with
`layer_dims = (1, 1)` (logistic regression on the first coordinate of the chapter's 512 moons examples), so its two
parameters (W, b) are a plane the path can be drawn on. For each batch size of the grid:

- the cloud: the gradients of the first `CLOUD` mini-batches `minibatch.random_mini_batches` draws (epoch after
  epoch, each shuffled with `minibatch.epoch_seed`), all at the same starting point, around the full gradient;
  their root-mean-square distance to it is the noise the chapter measures;
- the path: `STEPS` steps of `minibatch.update_parameters_with_gd` at learning rate `LEARNING_RATE` from `START`,
  each on the next mini-batch, over the contours of the full cost (`network.compute_cost` on all 512 examples).
"""

import numpy as np

import explorables as ex
from trainfaster import minibatch, network
from trainfaster.data import make_moons

NAME = "explore-ch1-batch-size"
BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
DEFAULT = BATCH_SIZES.index(64)
LAYERS = (1, 1)
START = (-1.5, 2.0)  # (W, b): far from the minimum, near (1.7, -0.8)
LEARNING_RATE = 1.0
STEPS = 60
CLOUD = 100
SEED = 1  # the shuffles' seed (the data is the chapter's: make_moons seed 0)
W_RANGE, B_RANGE = (-2.5, 3.5), (-2.5, 3.0)


def data():
    """The chapter's 512 moons examples, first coordinate only: `(X (1, 512), Y (1, 512))`."""
    X, Y = make_moons(m=512, noise=0.2, seed=0)
    return X[[0]], Y


def _parameters(w, b):
    return {"W1": np.array([[float(w)]]), "b1": np.array([[float(b)]])}


def gradient(X, Y, parameters):
    """`(dW, db)` of the cost on `(X, Y)` at `parameters`, by the network's own forward and backward passes."""
    AL, caches = network.forward(X, parameters)
    grads = network.backward(AL, Y, caches, parameters)
    return float(grads["dW1"][0, 0]), float(grads["db1"][0, 0])


def batches(X, Y, batch_size, count, seed=SEED):
    """The first `count` mini-batches of size `batch_size`, epoch after epoch (epoch e shuffled with
    `epoch_seed(seed, e)`), as `random_mini_batches` draws them for training."""
    found, epoch = [], 0
    while len(found) < count:
        found += minibatch.random_mini_batches(X, Y, batch_size, seed=minibatch.epoch_seed(seed, epoch))
        epoch += 1
    return found[:count]


def cloud(X, Y, batch_size, count=CLOUD, seed=SEED):
    """`(gradients (count, 2), full gradient (2,), noise)`: the mini-batch gradients at `START`, the full one, and
    their root-mean-square distance to it."""
    start = _parameters(*START)
    full = np.array(gradient(X, Y, start))
    G = np.array([gradient(Xb, Yb, start) for Xb, Yb in batches(X, Y, batch_size, count, seed)])
    return G, full, float(np.sqrt(((G - full) ** 2).sum(axis=1).mean()))


def path(X, Y, batch_size, steps=STEPS, learning_rate=LEARNING_RATE, seed=SEED):
    """`(W, b, cost)` along `steps` steps of mini-batch gradient descent from `START` (arrays of steps + 1), the
    cost on all the examples."""
    parameters = _parameters(*START)
    points = [parameters]
    for Xb, Yb in batches(X, Y, batch_size, steps, seed):
        AL, caches = network.forward(Xb, parameters)
        grads = network.backward(AL, Yb, caches, parameters)
        parameters = minibatch.update_parameters_with_gd({k: v.copy() for k, v in parameters.items()}, grads,
                                                         learning_rate)
        points.append(parameters)
    W = np.array([p["W1"][0, 0] for p in points])
    b = np.array([p["b1"][0, 0] for p in points])
    cost = np.array([network.compute_cost(network.forward(X, p)[0], Y) for p in points])
    return W, b, cost


def cost_surface(X, Y, n=41):
    """The full cost over the (W, b) window of the figure: `(Ws, bs, J (n, n))`, J[i, j] at (Ws[j], bs[i])."""
    Ws, bs = np.linspace(*W_RANGE, n), np.linspace(*B_RANGE, n)
    J = np.array([[network.compute_cost(network.forward(X, _parameters(w, b))[0], Y) for w in Ws] for b in bs])
    return Ws, bs, J


def _summary(batch_size, noise, cost, m):
    epochs = STEPS * batch_size / m
    return (f"<b>b = {batch_size}</b>: gradient noise (RMS distance to the full gradient) "
            f"<b>{noise:.3f}</b>; after {STEPS} steps ({epochs:.3g} epochs) the cost is <b>{cost:.3f}</b>")


def frames():
    """Every batch size's cloud, path and summary: `{b: (G, full, noise, (W, b, cost))}`."""
    X, Y = data()
    found = {}
    for size in BATCH_SIZES:
        G, full, noise = cloud(X, Y, size)
        found[size] = (G, full, noise, path(X, Y, size))
    return found


def explore():
    """The explorable, displayed (one HTML output)."""
    from bokeh.models import ColumnDataSource, Div
    from bokeh.layouts import column

    X, Y = data()
    computed = frames()
    Ws, bs, J = cost_surface(X, Y)
    size = ex.knob("select", "ch1-batch", "batch size b", BATCH_SIZES, DEFAULT, model_name=f"{NAME}-batch")

    cloud_source = ColumnDataSource({"dW": [], "db": []}, name=f"{NAME}-cloud")
    path_source = ColumnDataSource({"W": [], "b": [], "cost": []}, name=f"{NAME}-path")
    summary = Div(text="", name=f"{NAME}-summary", sizing_mode="stretch_width", tags=[ex.LIVE])
    full = computed[BATCH_SIZES[0]][1]

    left = ex.figure("Mini-batch gradients at the start", "dJ/dW", "dJ/db", match_aspect=True)
    spread = max(float(np.abs(computed[1][0] - full).max()), 0.1)
    left.x_range.start, left.x_range.end = full[0] - spread, full[0] + spread
    left.y_range.start, left.y_range.end = full[1] - spread, full[1] + spread
    left.scatter("dW", "db", source=cloud_source, size=5, alpha=0.5, legend_label="one mini-batch")
    left.scatter([full[0]], [full[1]], size=12, marker="x", line_width=3, color="black", legend_label="full gradient")
    ex.legend_below(left)

    right = ex.figure(f"{STEPS} steps of mini-batch descent", "W", "b", x_range=W_RANGE, y_range=B_RANGE)
    levels = np.quantile(J, [0.02, 0.06, 0.12, 0.2, 0.3, 0.45, 0.6, 0.8])
    right.contour(Ws, bs, J, levels=levels, line_color="#999999", line_alpha=0.7)
    right.line("W", "b", source=path_source, line_width=2, color="#d62728", legend_label="path")
    right.scatter("W", "b", source=path_source, size=3, color="#d62728")
    w_min, b_min = Ws[np.unravel_index(J.argmin(), J.shape)[1]], bs[np.unravel_index(J.argmin(), J.shape)[0]]
    right.scatter([w_min], [b_min], marker="star", size=14, color="black", legend_label="minimum (grid)")
    right.scatter([START[0]], [START[1]], marker="circle", size=9, color="black", legend_label="start")
    ex.legend_below(right)  # it covered the path at b = 1

    m = X.shape[1]
    ex.bind([size], [
        (cloud_source, "data", ("ch1-batch",), {(i,): {"dW": computed[s][0][:, 0], "db": computed[s][0][:, 1]}
                                                for i, s in enumerate(BATCH_SIZES)}),
        (path_source, "data", ("ch1-batch",), {(i,): dict(zip(("W", "b", "cost"), computed[s][3]))
                                               for i, s in enumerate(BATCH_SIZES)}),
        (summary, "text", ("ch1-batch",), {(i,): _summary(s, computed[s][2], computed[s][3][2][-1], m)
                                           for i, s in enumerate(BATCH_SIZES)}),
    ])
    layout = column(ex.widget_layout(size), summary, ex.responsive_row(left, right), sizing_mode="stretch_width")
    b = BATCH_SIZES[DEFAULT]
    G, full, noise, (W, B, cost) = computed[b]
    ex.show(layout, name=NAME, fallback=_fallback(G, full, W, B, Ws, bs, J, levels, b),
            caption=(f"Mini-batch gradients at the start: the gradients of {CLOUD} mini-batches of b = {b} examples at the starting point, "
                     f"around the full gradient (noise {noise:.3f}). {STEPS} steps of mini-batch descent: the path "
                     f"at learning rate {LEARNING_RATE:g} from the start, over the contours of the cost on "
                     f"all {m} examples (logistic regression on the moons' first coordinate; cost after "
                     f"{STEPS} steps {cost[-1]:.3f}). Choose b to see both change."),
            alt=(f"At batch size {b}: a small cloud of mini-batch gradients around the full gradient, and a "
                 f"path that runs almost straight from the start down the cost's valley to near the minimum."))


def _fallback(G, full, W, B, Ws, bs, J, levels, b):
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(2, 1, figsize=(5.5, 8))  # stacked: readable on a phone
    left.scatter(G[:, 0], G[:, 1], s=8, alpha=0.5, label="one mini-batch")
    left.scatter([full[0]], [full[1]], marker="x", s=80, color="black", label="full gradient")
    left.set(xlabel="dJ/dW", ylabel="dJ/db", title=f"{CLOUD} mini-batch gradients (b = {b})")
    left.legend()
    right.contour(Ws, bs, J, levels=levels, colors="#999999")
    right.plot(W, B, ".-", color="#d62728", label="path")
    right.set(xlabel="W", ylabel="b", title=f"{STEPS} steps of mini-batch descent (b = {b})")
    right.legend()
    fig.tight_layout()
    return fig
