"""Chapter 4's explorable: a schedule and its knob -> its learning-rate curve and the noise ball SGD is left in.

The problem is the chapter's noisy quadratic (`book/04_learning_rate_decay.md`, "The noise ball, as a number"):
one parameter `w`, the cost `h w**2 / 2`, and a gradient `h w + sigma * xi` with fresh standard-normal noise
`xi` at each step. `RUNS` independent runs start at `w = W0` and take `STEPS` steps of gradient descent
(`trainfaster.minibatch.update_parameters_with_gd`) at the rate `trainfaster.schedules` gives for that step;
here one step is one epoch (the quadratic has no data set to pass over). For every schedule and every value of
its knob the module records the rate and, after each step, the mean of `w` over the runs and the band the middle
90 % of them lie in: the noise ball. A rate that decays too slowly leaves a wide ball; one that decays too fast
stops `w` before it has reached the minimum. The browser only picks among these arrays.
"""

import matplotlib.pyplot as plt
import numpy as np
from bokeh.layouts import column
from bokeh.models import Band, ColumnDataSource, CustomJS, Legend, Select
from bokeh.plotting import figure

from explorables.b_controls import compact, index_slider, readout
from trainfaster.minibatch import update_parameters_with_gd
from trainfaster.plotting import PALETTE
from trainfaster.schedules import cosine_decay, exponential_decay, inverse_time_decay, sqrt_decay, staircase_decay

H, SIGMA, ALPHA0, W0 = 0.1, 1.0, 0.5, 10.0   # curvature, gradient noise, initial rate, start
STEPS, RUNS, EVERY, SEED = 300, 400, 5, 2026  # the figure shows w after every EVERY-th step
TIME_INTERVAL = 50                             # the staircase's steps

#: label: (the knob's name, its grid, the rate of steps `s` at knob value `v`), all from `trainfaster.schedules`.
SCHEDULES = {
    "fixed rate": (None, [None], lambda s, v: np.full(s.shape, ALPHA0)),
    "inverse time": ("decay_rate", [0.003, 0.01, 0.03, 0.1, 0.3], lambda s, v: inverse_time_decay(ALPHA0, s, v)),
    f"staircase (every {TIME_INTERVAL} steps)": (
        "decay_rate", [0.3, 1.0, 3.0, 10.0, 30.0],
        lambda s, v: staircase_decay(ALPHA0, s, v, time_interval=TIME_INTERVAL)),
    "exponential": ("base", [0.998, 0.995, 0.99, 0.98, 0.95], lambda s, v: exponential_decay(ALPHA0, s, base=v)),
    "k·α₀ / √t (larger k: slower)": ("k", [0.25, 0.5, 1.0, 2.0, 4.0], lambda s, v: sqrt_decay(ALPHA0, s + 1, k=v)),
    "cosine": ("learning_rate_min", [0.1, 0.05, 0.025, 0.01, 0.0],
               lambda s, v: cosine_decay(ALPHA0, s, STEPS, learning_rate_min=v)),
}
DEFAULT = ("inverse time", 2)  # decay_rate 0.03


def settings():
    """Every (schedule, position of its knob in the grid), in a fixed order; the fixed rate has one."""
    return [(label, position) for label, (_, grid, _) in SCHEDULES.items() for position in range(len(grid))]


def key(label, position):
    """The name of a setting's columns in the precomputed data: `"fixed rate"`, `"inverse time 2"`."""
    return label if SCHEDULES[label][0] is None else f"{label} {position}"


def knob_text(label, position):
    knob, grid, _ = SCHEDULES[label]
    return label if knob is None else f"{label}, {knob} = {grid[position]:g}"


def rates(label, position):
    """The learning rate of steps 0 .. STEPS - 1 (step `s` is epoch `s`; k / sqrt(t) counts from 1)."""
    _, grid, schedule = SCHEDULES[label]
    return np.asarray(schedule(np.arange(STEPS), grid[position]), dtype=float)


def precompute():
    """Run SGD on the noisy quadratic for every setting at once; returns the arrays the figure picks from.

    `rate[key]` has the rate of every step; `mean[key]`, `low[key]`, `high[key]` the mean and the 5th and
    95th percentiles of `w` over the runs after 0, EVERY, 2 EVERY, ... STEPS steps (`shown_steps()`);
    `std[key]` and `final_mean[key]` the spread and the mean after the last step.
    """
    keys = [key(*setting) for setting in settings()]
    rate = np.array([rates(*setting) for setting in settings()])          # (settings, STEPS)
    rng = np.random.default_rng(np.random.SeedSequence(SEED))
    parameters = {"w": np.full((len(keys), RUNS), W0)}
    kept = [parameters["w"]]                                                # w after 0, EVERY, 2 EVERY, ... steps
    for step in range(STEPS):
        grads = {"dw": H * parameters["w"] + SIGMA * rng.standard_normal((len(keys), RUNS))}
        parameters = update_parameters_with_gd(parameters, grads, rate[:, step:step + 1])
        if (step + 1) % EVERY == 0:
            kept.append(parameters["w"])
    kept = np.array(kept)                                                   # (shown steps, settings, RUNS)
    mean = kept.mean(axis=2).T                                              # (settings, shown steps)
    low, high = np.percentile(kept, [5, 95], axis=2).transpose(0, 2, 1)
    final = parameters["w"]
    return {"keys": keys, "rate": dict(zip(keys, rate)), "mean": dict(zip(keys, mean)), "low": dict(zip(keys, low)),
            "high": dict(zip(keys, high)), "std": dict(zip(keys, final.std(axis=1))),
            "final_mean": dict(zip(keys, final.mean(axis=1)))}


def describe(data, label, position):
    """The read-out under the figure for one setting, in numbers."""
    k, fixed = key(label, position), key("fixed rate", 0)
    return (f"<b>{knob_text(label, position)}</b>: the rate falls from {data['rate'][k][0]:.3g} to "
            f"{data['rate'][k][-1]:.3g}. After {STEPS} steps the mean of w is {data['final_mean'][k]:.2f} "
            f"(it started at {W0:g}; the minimum is 0), and the runs spread around it with a standard deviation "
            f"of {data['std'][k]:.2f} (the fixed rate's: {data['std'][fixed]:.2f}).")


def shown_steps():
    """The steps after which the figure shows w: 0, EVERY, 2 EVERY, ..., STEPS."""
    return np.arange(0, STEPS + 1, EVERY)


def _shown(data, k):
    """The columns the figure draws for the setting `k`: the rate of every EVERY-th step, and w after it."""
    rate_steps = np.arange(0, STEPS, EVERY)
    return ({"step": rate_steps, "rate": compact(data["rate"][k][rate_steps])},
            {"step": shown_steps(), "mean": compact(data["mean"][k]), "low": compact(data["low"][k]),
             "high": compact(data["high"][k])})


def layout(data):
    """The Bokeh layout: a schedule menu, one knob slider per schedule (only the chosen one shows), the rate
    curve, the band of w over the steps beside the fixed rate's, and the read-out."""
    label0, position0 = DEFAULT
    every = {k: _shown(data, k) for k in data["keys"]}
    rate_all = ColumnDataSource({"step": every[data["keys"][0]][0]["step"],
                                 **{k: every[k][0]["rate"] for k in data["keys"]}})
    ball_all = ColumnDataSource({"step": every[data["keys"][0]][1]["step"],
                                 **{f"{column} {k}": every[k][1][column] for k in data["keys"]
                                    for column in ("mean", "low", "high")}})
    rate_shown = ColumnDataSource(every[key(*DEFAULT)][0], name="explore-ch4-rate")
    ball_shown = ColumnDataSource(every[key(*DEFAULT)][1], name="explore-ch4-ball")
    fixed_rate, fixed_ball = every[key("fixed rate", 0)]

    menu = Select(title="Schedule", value=label0, options=list(SCHEDULES), name="explore-ch4-schedule",
                  sizing_mode="stretch_width")
    with_knob = [label for label, (knob, _, _) in SCHEDULES.items() if knob is not None]
    sliders = [index_slider(SCHEDULES[label][0], [f"{v:g}" for v in SCHEDULES[label][1]],
                            position0 if label == label0 else len(SCHEDULES[label][1]) // 2,
                            "explore-ch4-knob-" + label.split()[0].split("(")[0])
               for label in with_knob]
    for label, slider in zip(with_knob, sliders):
        slider.visible = label == label0

    top = figure(tools="", height=210, sizing_mode="stretch_width", y_axis_type="log", y_range=(1e-3, 3), x_range=(0, STEPS),
                 title="The learning rate", x_axis_label="step", y_axis_label="rate", toolbar_location=None)
    top.line("step", "rate", source=ColumnDataSource(fixed_rate), color="grey", line_width=2)
    top.line("step", "rate", source=rate_shown, color=PALETTE[0], line_width=3)
    bottom = figure(tools="", height=260, sizing_mode="stretch_width", y_range=(-5, 11), x_range=(0, STEPS),
                    title=f"w in {RUNS} runs: mean, middle 90 %", x_axis_label="step",
                    y_axis_label="w (the minimum is 0)", toolbar_location=None)
    bottom.add_layout(Legend(orientation="horizontal", location="center"), "below")
    bottom.add_layout(Band(base="step", lower="low", upper="high", source=ColumnDataSource(fixed_ball),
                           fill_color="grey", fill_alpha=0.25))
    bottom.add_layout(Band(base="step", lower="low", upper="high", source=ball_shown, fill_color=PALETTE[0],
                           fill_alpha=0.35))
    bottom.line("step", "mean", source=ColumnDataSource(fixed_ball), color="grey", line_width=2,
                legend_label="fixed rate")
    bottom.line("step", "mean", source=ball_shown, color=PALETTE[0], line_width=3, legend_label="chosen schedule")
    texts = [describe(data, *setting) for setting in settings()]
    words = readout(texts[data["keys"].index(key(*DEFAULT))], "explore-ch4-readout")

    pick = CustomJS(args={"menu": menu, "sliders": sliders, "with_knob": with_knob, "rate_all": rate_all,
                          "ball_all": ball_all, "rate_shown": rate_shown, "ball_shown": ball_shown,
                          "keys": data["keys"],
                          "texts": texts, "words": words}, code="""
        const label = menu.value;
        let k = label;
        sliders.forEach((slider, j) => {
            slider.visible = with_knob[j] === label;
            if (slider.visible) k = label + " " + slider.categories.indexOf(slider.value);
        });
        rate_shown.data = {step: rate_all.data.step, rate: rate_all.data[k]};
        ball_shown.data = {step: ball_all.data.step, mean: ball_all.data["mean " + k],
                           low: ball_all.data["low " + k], high: ball_all.data["high " + k]};
        words.text = texts[keys.indexOf(k)];
    """)
    menu.js_on_change("value", pick)
    for slider in sliders:
        slider.js_on_change("value", pick)
    return column(menu, *sliders, top, bottom, words, sizing_mode="stretch_width")


def fallback(data):
    """The static figure at the default setting (matplotlib), for a reader without JavaScript."""
    k, fixed = key(*DEFAULT), key("fixed rate", 0)
    steps = shown_steps()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 5.5), sharex=True)
    top.semilogy(np.arange(STEPS), data["rate"][fixed], color="grey", label="fixed rate")
    top.semilogy(np.arange(STEPS), data["rate"][k], color=PALETTE[0], label=knob_text(*DEFAULT))
    top.set(ylabel="learning rate", ylim=(1e-3, 3), title="The learning rate")
    top.legend(loc="lower left")
    for name, colour, alpha in ((fixed, "grey", 0.25), (k, PALETTE[0], 0.35)):
        bottom.fill_between(steps, data["low"][name], data["high"][name], color=colour, alpha=alpha)
        bottom.plot(steps, data["mean"][name], color=colour)
    bottom.set(xlabel="step", ylabel="w (the minimum is 0)", ylim=(-5, 11),
               title=f"w over {RUNS} runs: the mean and the middle 90 %")
    fig.tight_layout()
    return fig


def caption(data):
    k, fixed = key(*DEFAULT), key("fixed rate", 0)
    return (f"SGD on the noisy quadratic h w²/2 (h = {H:g}, gradient noise σ = {SIGMA:g}) from w = {W0:g}, "
            f"{RUNS} runs of {STEPS} steps from α₀ = {ALPHA0:g}. Top: the learning rate of the chosen schedule, and "
            f"the fixed rate in grey. Bottom: the mean of w over the runs and the band the middle 90 % of them lie "
            f"in, the noise ball. At the default setting, {knob_text(*DEFAULT)}, the runs end with a spread of "
            f"{data['std'][k]:.2f} around a mean of {data['final_mean'][k]:.2f}, against {data['std'][fixed]:.2f} "
            f"for the fixed rate.")


def alt(data):
    k, fixed = key(*DEFAULT), key("fixed rate", 0)
    return (f"Two plots over {STEPS} steps. Top, on a log axis, the fixed rate {ALPHA0:g} as a flat grey line and "
            f"inverse-time decay falling from {ALPHA0:g} to {data['rate'][k][-1]:.3g}. Bottom, the runs start at w = "
            f"{W0:g} and fall towards 0; the fixed rate's grey band ends about {2 * 1.645 * data['std'][fixed]:.1f} "
            f"wide, the decayed schedule's blue band about {2 * 1.645 * data['std'][k]:.1f} wide.")


def explore():
    """Precompute, and write the explorable into the page (`explorables.show`)."""
    from explorables import show as show_explorable

    data = precompute()
    return show_explorable(layout(data), name="explore-ch4-schedules", caption=caption(data),
                           alt=alt(data), fallback=fallback(data))
