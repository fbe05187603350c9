"""The benchmark results as tables and figures, for the terminal, `_build/bench/figures/` and the book.

The book's "How fast is it?" page (`speed.md`) never runs a benchmark: it draws these figures from the
record that the last full `make bench` wrote to `bench/results/latest.json` (committed, with the date and
the machine), so it builds offline, in seconds, and shows the same numbers every time until the next
recorded run. The entry names are fixed here, once, for the benchmarks that write them and the figures
that read them.
"""

import json
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from trainfaster.plotting import PALETTE, use_course_style

ROOT = Path(__file__).resolve().parents[1]
#: The record the book shows: written by `make bench` (a full run), committed with the course.
RECORD = ROOT / "bench" / "results" / "latest.json"

# bench/optimizers.py
OPTIMIZERS = ("Adam", "RMSProp", "momentum")
SIZES = {"1e5": 10**5, "1e6": 10**6, "1e7": 10**7}
READABLE = "readable (trainfaster.optimizers)"
IN_PLACE = "in place (trainfaster.fast_optimizers)"
LIMIT = "memory-traffic limit"
STEP_UNIT = "ms per step"

# bench/training.py
PYTORCH = "PyTorch (CPU, torch.nn + torch.optim)"
EPOCH_UNIT = "ms per epoch"

# bench/book.py: every time twice, as "<what>, wall clock" and "<what>, CPU time"
TARGET = "target on 2 cores"
COLD_BUILD = "book: cold build (execution cache cleared)"
CACHED_BUILD = "book: cached rebuild (nothing changed)"
CACHED_ALL = "book: cached rebuild of every page (--all)"
EXECUTE = "execute "  # + "book/<slug>.md" or "solutions/<slug>.ipynb": one notebook in a fresh kernel
PAGE_WEIGHT = "book: heaviest page, transfer size uncompressed: "  # + the page, e.g. "book/03_....html"
CLOCKS = ("wall clock", "CPU time")


def optimizer_name(optimizer, size, variant):
    """The name of the entry timing `variant` (READABLE or IN_PLACE) of `optimizer` at `size` ("1e6")."""
    return f"{optimizer} step, {size} parameters: {variant}"


def save_record(record, path):
    """Write a record (date, machine, results, ...) as JSON."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1) + "\n")


def load_record(path=RECORD):
    """The record at `path` (default: the committed one), its results checked."""
    from bench import validate

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no benchmark record at {path}: run `make bench` to make one")
    record = json.loads(path.read_text())
    validate(record.get("results"), str(path))
    return record


def find(results, name, baseline_name=None):
    """The entry called `name` (and compared with `baseline_name`, if given), or None."""
    for item in results:
        if item["name"] == name and baseline_name in (None, item["baseline_name"]):
            return item
    return None


def table(results, tablefmt="simple"):
    """A table of `results`, one line per entry: plain text, or Markdown with `tablefmt="github"`."""
    from tabulate import tabulate

    rows = [[item["name"], _number(item["ours"]), _number(item["baseline"]), item["baseline_name"], item["unit"],
             f"{item['ratio']:.2f}"] for item in results]
    return tabulate(rows, headers=["measured", "ours", "baseline", "baseline is", "unit", "ours/baseline"],
                    tablefmt=tablefmt, disable_numparse=True,
                    colalign=("left", "right", "right", "left", "left", "right"))


def _number(value):
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def _not_measured(ax):
    """Say so on `ax` when the record has no entries for it (a record of only some benchmarks)."""
    ax.text(0.5, 0.5, "not measured in this record", ha="center", va="center", transform=ax.transAxes)
    ax.set(xticks=[], yticks=[])


def optimizer_figure(results):
    """Nanoseconds per parameter of one optimizer step against the number of parameters, one panel each."""
    fig, axes = plt.subplots(1, len(OPTIMIZERS), figsize=(12, 5.2), sharey=True)
    for ax, optimizer in zip(axes, OPTIMIZERS):
        curves = {}
        for size, n in SIZES.items():
            for variant in (READABLE, IN_PLACE):
                found = [item for item in results if item["name"] == optimizer_name(optimizer, size, variant)]
                if found:
                    curves.setdefault(variant.split(" (")[0], {})[n] = found[0]["ours"]
                if variant == IN_PLACE:
                    for item in found:
                        curves.setdefault(item["baseline_name"], {})[n] = item["baseline"]
        for index, (label, points) in enumerate(curves.items()):
            sizes = sorted(points)
            nanoseconds = [1e6 * points[n] / n for n in sizes]
            style = dict(color="black", linestyle="--", marker="") if label == LIMIT else dict(
                color=PALETTE[index], marker="o")
            ax.plot(sizes, nanoseconds, label=label.replace("torch.optim.", "torch "), **style)
        if not curves:
            _not_measured(ax)
            continue
        ax.set(xscale="log", yscale="log", title=optimizer, xlabel="parameters (float64)")
        ax.set_xticks(list(SIZES.values()), [f"$10^{{{int(np.log10(n))}}}$" for n in SIZES.values()])
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    axes[0].set_ylabel("nanoseconds per parameter per step")
    fig.tight_layout()
    return fig


def training_figure(results):
    """Epochs per second of each model trained in NumPy and in PyTorch (higher is faster)."""
    found = [item for item in results if item["baseline_name"] == PYTORCH]
    fig, ax = plt.subplots(figsize=(9, 1.4 + 0.8 * len(found)))
    positions = np.arange(len(found))
    ax.barh(positions - 0.18, [1e3 / item["ours"] for item in found], height=0.34, label="NumPy (trainfaster)",
            color=PALETTE[0])
    ax.barh(positions + 0.18, [1e3 / item["baseline"] for item in found], height=0.34, label="PyTorch (CPU)",
            color=PALETTE[1])
    ax.set_yticks(positions, [item["name"].replace(", ", "\n", 1) for item in found], fontsize=9)
    ax.set(xlabel="epochs per second (higher is faster, logarithmic)", xscale="log")
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    for bars in ax.containers:
        ax.bar_label(bars, fmt="%.0f", padding=3, fontsize=8)
    ax.margins(x=0.15)
    ax.grid(axis="y", visible=False)
    if not found:
        _not_measured(ax)
    ax.invert_yaxis()
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=2)
    fig.tight_layout()
    return fig


def book_figure(results):
    """Seconds (wall clock and CPU) for the book's builds and for executing each notebook, with the targets."""
    timed = {}  # what -> {clock: entry}
    for item in results:
        if item["baseline_name"] == TARGET:
            what, _, clock = item["name"].rpartition(", ")
            if clock in CLOCKS:
                timed.setdefault(what, {})[clock] = item
    builds = {what: clocks for what, clocks in timed.items() if not what.startswith(EXECUTE)}
    notebooks = {what: clocks for what, clocks in timed.items() if what.startswith(EXECUTE)}
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 1.8 + 0.45 * max(len(notebooks), 3)),
                                      gridspec_kw={"width_ratios": [1, 1.4]})
    for ax, group in ((left, builds), (right, notebooks)):
        if not group:
            _not_measured(ax)
            continue
        positions = np.arange(len(group))
        for offset, clock, colour in ((-0.2, CLOCKS[0], PALETTE[0]), (0.2, CLOCKS[1], PALETTE[5])):
            ax.barh(positions + offset, [clocks[clock]["ours"] if clock in clocks else 0 for clocks in group.values()],
                    height=0.38, color=colour, label=clock)
        targets = [next(iter(clocks.values()))["baseline"] for clocks in group.values()]
        ax.vlines(targets, positions - 0.45, positions + 0.45, color=PALETTE[3], linewidth=3, label="target",
                  zorder=3)
        labels = [what.removeprefix(EXECUTE).removeprefix("book: ").replace(" (", "\n(") for what in group]
        ax.set_yticks(positions, labels, fontsize=9)
        ax.grid(axis="y", visible=False)
        ax.invert_yaxis()
        ax.set(xlabel="seconds")
    left.set_title("Building the book")
    right.set_title("Executing each notebook (fresh kernel)")
    handles, labels = (left if builds else right).get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncols=3, bbox_to_anchor=(0.5, 0))
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


FIGURES = {"optimizers": optimizer_figure, "training": training_figure, "book": book_figure}


def write_figures(results, folder):
    """Save every figure whose entries are in `results` as `folder/<name>.png`; return the paths."""
    use_course_style()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    present = {"optimizers": any(item["unit"] == STEP_UNIT for item in results),
               "training": any(item["baseline_name"] == PYTORCH for item in results),
               "book": any(item["baseline_name"] == TARGET for item in results)}
    paths = []
    for name, draw in FIGURES.items():
        if present[name]:
            fig = draw(results)
            fig.savefig(folder / f"{name}.png")
            plt.close(fig)
            paths.append(folder / f"{name}.png")
    return paths
