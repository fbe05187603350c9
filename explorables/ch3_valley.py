"""Chapter 3's explorable: alpha, beta and the valley's rotation angle against the paths of gradient descent,
momentum, RMSProp and Adam on the chapter's elongated bowl, beside momentum's convergence-rate map with the
reader's (alpha, beta) marked (Goh's "Why Momentum Really Works", plus the rotation this book adds)
(`book/03_momentum_rmsprop_adam.md`, "When the valley is not aligned with the axes").

The bowl is the chapter's, `J = 1/2 w^T H w` with curvatures 0.03 and 2 along the valley's own axes, turned by
the angle: `H = R diag(0.03, 2) R^T`. Every path is `STEPS` steps of the library's optimizer
(`trainfaster.sweep.Optimizer`: the course's `update_parameters_with_gd`, `..._with_momentum`, `..._with_rmsprop`,
`..._with_adam`) in the parameters (w1, w2), from the chapter's start turned with the valley; it is drawn in the
valley's own coordinates (shallow direction across, steep up), where the turned parameter axes are the grey lines.
So a path that does not change with the angle is a method that does not care how the valley lies:

- gradient descent: learning rate alpha; momentum: alpha and beta (both knobs);
- RMSProp at the chapter's setting (learning rate 0.3, beta2 = 0.9) and Adam at its learning rate 0.5 with
  beta1 = beta (the knob) and beta2 = 0.999: they depend on the angle.

The map: momentum's convergence rate per step on this bowl for every (alpha, beta) of a fine grid, the spectral
radius of one step of the library's `update_parameters_with_momentum` (which is linear in (w, v) on a quadratic),
taken along both curvatures; a rate of 1 or more diverges.
"""

import numpy as np

import explorables as ex
from trainfaster.optimizers import update_parameters_with_momentum
from trainfaster.sweep import Optimizer

NAME = "explore-ch3-valley"
CURVATURES = (0.03, 2.0)
START = (-9.0, 1.5)  # the chapter's start, in the valley's own coordinates
STEPS = 50
ALPHAS = [round(0.5 * k, 2) for k in range(1, 11)]  # 0.5 .. 5
BETAS = [round(0.15 * k, 2) for k in range(7)]  # 0, 0.15, .., 0.9 (0.6 is next to the theory's best)
ANGLES = [0.0, 22.5, 45.0]  # degrees
DEFAULTS = {"alpha": ALPHAS.index(2.0), "beta": BETAS.index(0.9), "angle": ANGLES.index(45.0)}
RMSPROP = {"learning_rate": 0.3, "beta2": 0.9}
ADAM = {"learning_rate": 0.5, "beta2": 0.999}
DIVERGED = 1e3  # a coordinate beyond it: the path is cut there (drawn as a gap, NaN)
# the sliders' ranges (and a margin, so the reader's point is not cut by the edge): every point is in reach
MAP_ALPHAS = np.linspace(0.05, 5.2, 64)
MAP_BETAS = np.linspace(0.0, 0.93, 45)


def rotation(degrees):
    angle = np.radians(degrees)
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def hessian(degrees):
    R = rotation(degrees)
    return R @ np.diag(CURVATURES) @ R.T


def cost(w_valley):
    """The bowl's cost at points given in the valley's coordinates, shape (2, ...)."""
    return 0.5 * (CURVATURES[0] * w_valley[0] ** 2 + CURVATURES[1] * w_valley[1] ** 2)


def run(optimizer, degrees, steps=STEPS):
    """The path of `optimizer` (a fresh `trainfaster.sweep.Optimizer`) on the bowl turned by `degrees`, from the
    turned start, in the valley's coordinates: shape (steps + 1, 2); beyond `DIVERGED`, NaN."""
    R, H = rotation(degrees), hessian(degrees)
    parameters = {"W1": R @ np.array(START).reshape(2, 1)}
    path = [parameters["W1"]]
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            parameters = optimizer(parameters, {"dW1": H @ parameters["W1"]}, t)
            path.append(parameters["W1"])
        valley = (R.T @ np.concatenate(path, axis=1)).T
    valley[~(np.abs(valley) < DIVERGED).all(axis=1)] = np.nan
    return valley


def optimizers(alpha, beta):
    """Fresh optimizers at the knobs' setting: `{name: Optimizer}`."""
    return {"gradient descent": Optimizer("gradient descent", alpha),
            "momentum": Optimizer("momentum", alpha, beta=beta),
            "RMSProp": Optimizer("RMSProp", RMSPROP["learning_rate"], beta2=RMSPROP["beta2"]),
            "Adam": Optimizer("Adam", ADAM["learning_rate"], beta=beta, beta2=ADAM["beta2"])}


def momentum_rate(alphas, betas):
    """Momentum's convergence rate per step on the bowl for every `(alpha, beta)` (arrays that broadcast): the
    spectral radius of one step of `update_parameters_with_momentum` on `(w, v)`, the larger of the two
    curvatures' (the rotation does not change it)."""
    alphas, betas = np.broadcast_arrays(np.asarray(alphas, dtype=float), np.asarray(betas, dtype=float))
    rate = np.zeros(alphas.shape)
    for curvature in CURVATURES:
        columns = []
        for w, v in ((1.0, 0.0), (0.0, 1.0)):  # the step's matrix, column by column
            W, V = np.full(alphas.shape, w), np.full(alphas.shape, v)
            parameters, velocity = update_parameters_with_momentum({"W1": W}, {"dW1": curvature * W}, {"dW1": V},
                                                                   betas, alphas)
            columns.append(np.stack([parameters["W1"], velocity["dW1"]], axis=-1))
        M = np.stack(columns, axis=-1)  # (..., 2, 2)
        rate = np.maximum(rate, np.abs(np.linalg.eigvals(M)).max(axis=-1))
    return rate


def theory_best():
    """Polyak's best (alpha*, beta*) for the bowl (the chapter's formula)."""
    mu, L = min(CURVATURES), max(CURVATURES)
    kappa = L / mu
    beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    return (2 / (np.sqrt(L) + np.sqrt(mu))) ** 2 / (1 - beta), beta


def final_cost(path):
    last = path[-1]
    return float(cost(last)) if np.isfinite(last).all() else np.inf


def _number(value):
    return "diverged" if not np.isfinite(value) else f"{value:.2g}"


def _rate_text(rate):
    if rate >= 1 - 1e-9:
        return "momentum at this (α, β): rate ≥ 1, it <b>does not converge</b>"
    return f"momentum at this (α, β): the error shrinks by <b>{rate:.3f}</b> per step"


def _cost_text(name, value):
    return f"{name}: <b>{_number(value)}</b>"


COLOURS = {"gradient descent": "#1f77b4", "momentum": "#ff7f0e", "RMSProp": "#2ca02c", "Adam": "#d62728"}
#: The knobs each method's path depends on, in the knobs' order.
DEPENDS = {"gradient descent": ("ch3-alpha",), "momentum": ("ch3-alpha", "ch3-beta"), "RMSProp": ("ch3-angle",),
           "Adam": ("ch3-beta", "ch3-angle")}


def _key(name, i, j, k):
    """The key of method `name`'s path at the knobs' indices (i, j, k): `(name, the indices it depends on)`."""
    index = {"ch3-alpha": i, "ch3-beta": j, "ch3-angle": k}
    return name, tuple(index[knob] for knob in DEPENDS[name])


def explore():
    """The explorable, displayed (one HTML output)."""
    from bokeh.layouts import column
    from bokeh.models import ColorBar, ColumnDataSource, Div, Legend, LinearColorMapper, Row
    from bokeh.palettes import Viridis256

    alpha_knob = ex.knob("slider", "ch3-alpha", "α (gradient descent and momentum)", ALPHAS, DEFAULTS["alpha"],
                         model_name=f"{NAME}-alpha")
    beta_knob = ex.knob("slider", "ch3-beta", "momentum β (Adam's β1)", BETAS, DEFAULTS["beta"],
                        model_name=f"{NAME}-beta")
    angle_knob = ex.knob("buttons", "ch3-angle", "valley turned by", ANGLES, DEFAULTS["angle"], fmt="{:g}°",
                         model_name=f"{NAME}-angle")
    knobs = (alpha_knob, beta_knob, angle_knob)

    # the paths: each method's frames depend only on the knobs it uses (GD and momentum: not on the angle)
    paths, costs = {}, {}
    for i, alpha in enumerate(ALPHAS):
        for j, beta in enumerate(BETAS):
            for k, degrees in enumerate(ANGLES):
                for name, optimizer in optimizers(alpha, beta).items():
                    if _key(name, i, j, k) not in paths:
                        paths[_key(name, i, j, k)] = run(optimizer, degrees)
                costs[i, j, k] = {name: final_cost(paths[_key(name, i, j, k)]) for name in DEPENDS}
    rates = momentum_rate(np.array(ALPHAS)[:, None], np.array(BETAS)[None, :])

    span = 10.5
    valley = ex.figure(f"Paths after {STEPS} steps", "shallow direction",
                       "steep direction", height=340, x_range=(-span, 3), y_range=(-4, 4))
    u, s = np.meshgrid(np.linspace(-span, 3, 60), np.linspace(-4, 4, 40))
    valley.contour(u[0], s[:, 0], cost(np.stack([u, s])), levels=np.geomspace(0.005, 10, 10).tolist(),
                   line_color="#bbbbbb")
    axes_source = ColumnDataSource({"xs": [], "ys": []}, name=f"{NAME}-axes")
    valley.multi_line("xs", "ys", source=axes_source, line_color="#888888", line_dash="dotted", line_width=1.5,
                      legend_label="parameter axes w1, w2")
    sources, targets = {}, []
    for name, colour in COLOURS.items():
        sources[name] = ColumnDataSource({"u": [], "s": []}, name=f"{NAME}-{name.replace(' ', '-').lower()}")
        valley.line("u", "s", source=sources[name], color=colour, line_width=2, legend_label=name)
        valley.scatter("u", "s", source=sources[name], color=colour, size=3)
        grid = list(np.ndindex(*(len(k.values) for k in knobs if k.name in DEPENDS[name])))
        targets.append((sources[name], "data", DEPENDS[name],
                        {key: {"u": paths[name, key][:, 0], "s": paths[name, key][:, 1]} for key in grid}))
    valley.scatter([0], [0], marker="star", size=14, color="black")
    ex.legend_below(valley)
    targets.append((axes_source, "data", ("ch3-angle",), {(k,): _axes(degrees) for k, degrees in enumerate(ANGLES)}))

    rate_map = ex.figure("Momentum's rate per step", "learning rate α", "momentum β", height=340,
                         x_range=(MAP_ALPHAS[0], MAP_ALPHAS[-1]), y_range=(MAP_BETAS[0], MAP_BETAS[-1]))
    rate_grid = momentum_rate(MAP_ALPHAS[None, :], MAP_BETAS[:, None])
    mapper = LinearColorMapper(palette=Viridis256, low=float(rate_grid.min()), high=1.0, high_color="#eeeeee")
    rate_map.image(image=[rate_grid.astype(np.float32)], x=MAP_ALPHAS[0], y=MAP_BETAS[0],
                   dw=MAP_ALPHAS[-1] - MAP_ALPHAS[0], dh=MAP_BETAS[-1] - MAP_BETAS[0], color_mapper=mapper)
    rate_map.add_layout(ColorBar(color_mapper=mapper, width=10, title="rate"), "right")
    alpha_star, beta_star = theory_best()
    rate_map.scatter([alpha_star], [beta_star], marker="star", size=16, color="white", line_color="black",
                     legend_label="theory's best (α*, β*)")
    marker = ColumnDataSource({"alpha": [], "beta": [], "rate": []}, name=f"{NAME}-marker")
    rate_map.scatter("alpha", "beta", source=marker, marker="circle", size=12, fill_color="#ff7f0e",
                     line_color="black", line_width=2, legend_label="your (α, β)")
    ex.legend_below(rate_map)
    targets.append((marker, "data", ("ch3-alpha", "ch3-beta"),
                    {(i, j): {"alpha": [a], "beta": [b], "rate": [float(rates[i, j])]}
                     for i, a in enumerate(ALPHAS) for j, b in enumerate(BETAS)}))

    rate_text = Div(text="", name=f"{NAME}-rate", sizing_mode="stretch_width", tags=[ex.LIVE])
    targets.append((rate_text, "text", ("ch3-alpha", "ch3-beta"),
                    {(i, j): _rate_text(rates[i, j]) for i in range(len(ALPHAS)) for j in range(len(BETAS))}))
    cost_texts = [Div(text="", name=f"{NAME}-cost-{name.replace(' ', '-').lower()}", styles={"flex": "1 1 140px"},
                      tags=[ex.LIVE])
                  for name in COLOURS]
    for div, name in zip(cost_texts, COLOURS):
        grid = list(np.ndindex(*(len(k.values) for k in knobs if k.name in DEPENDS[name])))
        targets.append((div, "text", DEPENDS[name], {key: _cost_text(name, final_cost(paths[name, key]))
                                                     for key in grid}))
    summary = column(rate_text, Div(text=f"Cost after {STEPS} steps:"),
                     Row(children=cost_texts, styles={"flex-wrap": "wrap"}, sizing_mode="stretch_width"),
                     sizing_mode="stretch_width")
    ex.bind(knobs, targets)
    layout = column(*(ex.widget_layout(k) for k in knobs), summary, ex.responsive_row(valley, rate_map),
                    sizing_mode="stretch_width")
    i, j, k = DEFAULTS["alpha"], DEFAULTS["beta"], DEFAULTS["angle"]
    alpha, beta, degrees = ALPHAS[i], BETAS[j], ANGLES[k]
    shown = {name: paths[_key(name, i, j, k)] for name in COLOURS}
    c = costs[i, j, k]
    ex.show(layout, name=NAME,
            fallback=_fallback(shown, u, s, rate_grid, (alpha, beta), (alpha_star, beta_star), degrees),
            caption=(f"Paths after {STEPS} steps of each method on the chapter's elongated bowl turned by {degrees:g}°, "
                     f"drawn in the valley's own coordinates (the dotted lines are the parameter axes), at "
                     f"α = {alpha:g} and β = {beta:g} for gradient descent and momentum, RMSProp at α = 0.3, "
                     f"β2 = 0.9, Adam at α = 0.5, β1 = β. Costs after {STEPS} steps: "
                     + ", ".join(f"{name} {_number(cost)}" for name, cost in c.items()) + ". "
                     f"Momentum's rate per step: its convergence rate for every (α, β), with this setting "
                     f"(rate {rates[i, j]:.3f}) and the theory's best (α* = {alpha_star:.2f}, β* = {beta_star:.2f}, "
                     f"rate {float(momentum_rate(alpha_star, beta_star)):.3f}) marked. Not a fair race: the methods "
                     f"share α and β rather than each having its own best setting (the chapter's figure does that)."),
            alt=(f"Paths: on a valley turned by {degrees:g} degrees, gradient descent at alpha {alpha:g} diverges "
                 f"off the plot, momentum swings in slow waves to the minimum, RMSProp runs along the valley floor "
                 f"and then bounces across it short of the minimum, and Adam swings across the valley in wide, "
                 f"then smaller waves. Rate map: a colour map of momentum's rate over the learning rate (0 to 5) and beta (0 to "
                 f"0.9, the sliders' ranges), grey where it diverges, best in a diagonal band, with the current point at alpha {alpha:g}, beta {beta:g} and a "
                 f"star at the theory's best near alpha {alpha_star:.1f}, beta {beta_star:.2f}."))


def _axes(degrees):
    """The parameter axes w1 and w2 through the minimum, in the valley's coordinates, as two lines."""
    R = rotation(degrees)
    lines = []
    for e in (np.array([1.0, 0.0]), np.array([0.0, 1.0])):
        d = R.T @ e * 20
        lines.append(([-d[0], d[0]], [-d[1], d[1]]))
    return {"xs": [list(map(float, x)) for x, _ in lines], "ys": [list(map(float, y)) for _, y in lines]}


def _fallback(paths, u, s, rate_grid, marked, best, degrees):
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(2, 1, figsize=(6, 8.5))  # stacked: readable on a phone
    left.contour(u, s, cost(np.stack([u, s])), levels=np.geomspace(0.005, 10, 10), colors="0.8")
    for name, path in paths.items():
        left.plot(path[:, 0], path[:, 1], "o-", markersize=2, color=COLOURS[name], label=name)
    for xs, ys in zip(*_axes(degrees).values()):
        left.plot(xs, ys, ":", color="0.5")
    left.set(xlim=(u.min(), u.max()), ylim=(s.min(), s.max()), xlabel="shallow direction", ylabel="steep direction",
             title=f"{STEPS} steps, valley turned by {degrees:g}°")
    left.legend(fontsize=8, loc="lower right")
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_over("#eeeeee")  # diverges: grey, as in the live map
    mesh = right.pcolormesh(MAP_ALPHAS, MAP_BETAS, rate_grid, cmap=cmap, vmin=float(rate_grid.min()), vmax=1.0,
                            shading="auto")
    fig.colorbar(mesh, ax=right, label="rate per step (grey: diverges)", extend="max")
    right.plot(*best, "*", color="white", markeredgecolor="black", markersize=14, label="theory's best")
    right.plot(*marked, "o", color="#ff7f0e", markeredgecolor="black", markersize=9, label="this setting")
    right.set(xlabel="learning rate α", ylabel="momentum β", title="Momentum's rate per step")
    right.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
