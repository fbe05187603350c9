"""Chapter 2's explorable: beta, and bias correction on or off, on the Seattle temperatures of 2012
(`book/02_exponentially_weighted_averages.md`, "How many days does it average over?").

For every beta of the grid and both settings of the correction, the curve is `trainfaster.ewa.ewa` (or
`ewa_bias_corrected`) of the chapter's series (`trainfaster.data.seattle_temperatures`), computed over the four
years and shown for 2012, where the start is. The window 1/(1 - beta) is shaded, ending on `DAY`, and a line marks
the mean age of the weights, beta/(1 - beta) days before it: how far the average trails a steady trend.
"""

import numpy as np

import explorables as ex
from trainfaster.data import seattle_temperatures
from trainfaster.ewa import ewa, ewa_bias_corrected

NAME = "explore-ch2-beta"
BETAS = [round(0.5 + 0.04 * k, 2) for k in range(13)]  # 0.5, 0.54, ..., 0.98: a slider's even steps
DEFAULT_BETA = BETAS.index(0.9)
DAYS = 366  # 2012, a leap year
DAY = 120  # 29 April 2012: the window shown ends on it (day 1 is 1 January)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def window(beta):
    """`(1/(1 - beta), beta/(1 - beta))`: the days the average spans, and the mean age of its weights."""
    return 1 / (1 - beta), beta / (1 - beta)


def _summary(beta, corrected, v, first):
    span, lag = window(beta)
    return (f"<b>β = {beta:.2f}</b>, bias correction <b>{'on' if corrected else 'off'}</b>: the average spans "
            f"about 1/(1−β) = <b>{span:.1f} days</b> (shaded) and trails a steady trend by the mean age of its "
            f"weights, β/(1−β) = <b>{lag:.1f} days</b> (dashed line). On 1 January it is <b>{v[0]:.2f} °C</b> "
            f"for a {first:.1f} °C day.")


def _month_ticks():
    starts = np.cumsum([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30]) + 1  # every other month: fits a phone
    return [int(s) for s in starts[::2]], {int(s): m for s, m in zip(starts[::2], MONTHS[::2])}


def explore():
    """The explorable, displayed (one HTML output)."""
    from bokeh.layouts import column
    from bokeh.models import BoxAnnotation, ColumnDataSource, Div, FixedTicker, Span

    _, temperatures = seattle_temperatures()
    days = np.arange(1, DAYS + 1, dtype=float)
    curves = {(i, int(c)): (ewa_bias_corrected if c else ewa)(temperatures, beta)[:DAYS]
              for i, beta in enumerate(BETAS) for c in (False, True)}
    beta_knob = ex.knob("slider", "ch2-beta", "β", BETAS, DEFAULT_BETA, model_name=f"{NAME}-beta")
    correction = ex.knob("checkbox", "ch2-correction", "bias correction: divide by 1 − βᵗ", [False, True], 0,
                         model_name=f"{NAME}-correction")

    source = ColumnDataSource({"day": days.astype(np.float32), "v": np.zeros(DAYS)}, name=f"{NAME}-ewa")
    summary = Div(text="", name=f"{NAME}-summary", sizing_mode="stretch_width", tags=[ex.LIVE])
    plot = ex.figure("Seattle's daily maximum temperature in 2012", "day of 2012", "temperature (°C)",
                     height=320, x_range=(0, DAYS + 1), y_range=(-2, 44))
    ticks, labels = _month_ticks()
    plot.xaxis.ticker = FixedTicker(ticks=ticks)
    plot.xaxis.major_label_overrides = labels
    plot.scatter(days, temperatures[:DAYS], size=3, color="#999999", legend_label="daily maximum θₜ")
    plot.line("day", "v", source=source, line_width=2.5, color="#1f77b4", legend_label="EWA")
    shade = BoxAnnotation(right=DAY, fill_alpha=0.15, fill_color="#ff7f0e", name=f"{NAME}-window")
    age = Span(dimension="height", line_dash="dashed", line_color="#ff7f0e", line_width=2, name=f"{NAME}-lag")
    plot.add_layout(shade)
    plot.add_layout(age)
    ex.legend_below(plot)  # on a phone the legend ran into itself

    ex.bind([beta_knob, correction], [
        (source, "data", ("ch2-beta", "ch2-correction"),
         {key: {"v": v} for key, v in curves.items()}),
        (shade, "left", ("ch2-beta",), {(i,): DAY - window(beta)[0] for i, beta in enumerate(BETAS)}),
        (age, "location", ("ch2-beta",), {(i,): DAY - window(beta)[1] for i, beta in enumerate(BETAS)}),
        (summary, "text", ("ch2-beta", "ch2-correction"),
         {(i, c): _summary(BETAS[i], bool(c), v, temperatures[0]) for (i, c), v in curves.items()}),
    ])
    layout = column(ex.widget_layout(beta_knob), ex.widget_layout(correction), summary, plot,
                    sizing_mode="stretch_width")
    beta = BETAS[DEFAULT_BETA]
    span, lag = window(beta)
    v = curves[(DEFAULT_BETA, 0)]
    ex.show(layout, name=NAME, fallback=_fallback(days, temperatures[:DAYS], v, beta),
            caption=(f"Seattle's daily maximum temperature in 2012 (grey) and its exponentially weighted average "
                     f"for β = {beta} without bias correction (blue): it starts at {v[0]:.2f} °C on 1 January and "
                     f"averages over about {span:.0f} days (the shaded window ending on 29 April), trailing by "
                     f"the mean age of its weights, {lag:.0f} days (dashed). Move β and switch the correction on "
                     f"to see the curve, the window and the lag change."),
            alt=(f"Grey dots of 2012's daily temperatures rising from about 8 °C in winter to about 30 °C in "
                 f"summer; a blue average for beta {beta} that starts near zero, catches up with the dots within "
                 f"a few weeks, then follows the seasons slightly behind them; a shaded band of about {span:.0f} "
                 f"days ends on 29 April."))


def _fallback(days, temperatures, v, beta):
    import matplotlib.pyplot as plt

    span, lag = window(beta)
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    ax.plot(days, temperatures, ".", color="0.6", markersize=3, label="daily maximum")
    ax.plot(days, v, color="#1f77b4", linewidth=2, label=f"EWA, β = {beta}")
    ax.axvspan(DAY - span, DAY, color="#ff7f0e", alpha=0.15, label=f"1/(1-β) = {span:.0f} days")
    ax.axvline(DAY - lag, color="#ff7f0e", linestyle="--", label=f"β/(1-β) = {lag:.0f} days")
    ticks, labels = _month_ticks()
    ax.set_xticks(ticks, [labels[t] for t in ticks])
    ax.set(xlabel="day of 2012", ylabel="temperature (°C)", ylim=(-2, 44))
    ax.legend(loc="upper left", ncols=2)
    fig.tight_layout()
    return fig
