"""`OUT/report.html`: the class at a glance, one static page with its figures inside (PNG data URIs).

Score distributions, each test cell's failure rate, the most frequent failure messages (the checks' named
mistakes: "... is off by a factor (1 - beta): did you forget it?"), lateness and the integrity flags. It
covers the whole gradebook; messages and flags come from this `OUT` (with shards: this machine's part).
"""

import base64
import collections
import csv
import html
import io
import math
from pathlib import Path

import nbformat

from autograder.records import deadlines, final
from autograder.views import leaderboard
from autograder.views.page import document
from autograder.boundary.restore import is_test

TOP_MESSAGES = 12


def _figure(draw, width=7.0, height=3.0):
    """A PNG data URI of the figure `draw(figure)` fills."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(width, height), dpi=100, layout="constrained")
    draw(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _scores(rows):
    from matplotlib.ticker import MaxNLocator

    slugs = sorted({r["assignment"] for r in rows})

    def draw(figure):
        axes = figure.subplots(1, len(slugs), squeeze=False, sharey=True)[0]
        for ax, slug in zip(axes, slugs):
            mine = [r for r in rows if r["assignment"] == slug]
            top = max(r["max_score"] for r in mine) or 1
            groups = [[100 * r["score"] / top for r in mine if final.is_final(r) == done] for done in (True, False)]
            ax.hist(groups, bins=list(range(0, 100, 10)) + [100.01], stacked=True, color=["#3b6ea5", "#b7c9de"],
                    edgecolor="white", label=["final", "needs manual grading (so far)"])
            ax.set(title=slug, xlabel="score (% of the points)", xlim=(0, 100))
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes[0].set_ylabel("students")
        axes[0].legend(loc="upper left", fontsize="small")
    return _figure(draw, width=max(4.0, 3.2 * len(slugs)))


def _failure_rates(rows, cells):
    graded = {(r["student_id"], r["assignment"]) for r in rows if not r["reason"]}
    rates = collections.defaultdict(lambda: [0, 0])  # (slug, grade_id): [failed, graded]
    for key, mine in cells.items():
        if key in graded:
            for cell in mine:
                if not cell.manual:
                    rates[(key[1], cell.grade_id)][0] += cell.score < cell.max_score
                    rates[(key[1], cell.grade_id)][1] += 1
    labels = sorted(rates)

    def draw(figure):
        ax = figure.subplots()
        ax.barh([f"{s}: {g}" for s, g in labels], [100 * f / n for f, n in (rates[k] for k in labels)],
                color="#c0504d")
        ax.invert_yaxis()
        ax.set(xlabel="notebooks failing the test cell (%)", xlim=(0, 100))
    return _figure(draw, height=0.8 + 0.3 * len(labels)), {k: tuple(v) for k, v in rates.items()}


def messages(out):
    """`Counter{(slug, test cell, message): students}` of the failed test cells of OUT's graded notebooks."""
    counts = collections.Counter()
    for path in sorted((Path(out) / "course" / "autograded").glob("*/*/*.ipynb")):
        seen = set()
        for cell in nbformat.read(path, as_version=4).cells:
            failed = cell.metadata.get("autograder", {}).get("failed") if is_test(cell) else None
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if not failed:  # the verdict, not an error output: a partly passed cell keeps none (`verdicts`)
                continue
            if failed == "hidden":
                text = "the visible tests pass, the hidden tests fail"
            elif errors and errors[-1].get("ename") == "NotImplementedError":
                text = "not attempted (the stub raises NotImplementedError)"
            else:
                error = errors[-1] if errors else {}
                text = (str(error.get("evalue", "")).strip().splitlines() or [error.get("ename", "failed")])[0]
            seen.add((path.parent.name, cell.metadata.nbgrader.grade_id, text[:200]))
        counts.update(seen)
    return counts


def _lateness(db_url):
    from matplotlib.ticker import MaxNLocator

    late = deadlines.lateness_of(db_url)
    days = collections.Counter(math.ceil(v.late_seconds / deadlines.DAY) for v in late.values())
    if not days:
        return None, days

    def draw(figure):
        ax = figure.subplots()
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        keys = list(range(0, max(days) + 1))
        ax.bar(["on time" if d == 0 else f"{d} day{'s' if d > 1 else ''}" for d in keys], [days[d] for d in keys],
               color="#e8a33d")
        ax.set(ylabel="submissions", xlabel="late by (days or part of a day)")
    return _figure(draw, width=5.0), days


def _table(header, rows):
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def build(db_url, out):
    """The page's HTML, or None when the gradebook holds no grades."""
    rows = final.rows(db_url)
    if not rows:
        return None
    cells = final.cell_scores(db_url)
    failures, rates = _failure_rates(rows, cells)
    late, days = _lateness(db_url)
    flags_path = Path(out) / "integrity.csv"
    flags = list(csv.reader(open(flags_path, newline="")))[1:] if flags_path.is_file() else []
    pending = [r for r in rows if not final.is_final(r)]
    parts = [f"<h1>The class at a glance</h1><p>{len({r['student_id'] for r in rows})} students, "
             f"{len(rows)} notebooks, {len(pending)} waiting for manual grading.</p>",
             "<h2>Scores</h2>", f'<img alt="score distribution of each assignment" src="{_scores(rows)}">',
             _table(["assignment", "notebooks", "mean score", "max score", "not graded", "needs manual grading"],
                    [[slug, len(mine), f"{sum(r['score'] for r in mine) / len(mine):.2f}", f"{mine[0]['max_score']:g}",
                      sum(bool(r["reason"]) for r in mine), sum(not final.is_final(r) for r in mine)]
                     for slug in sorted({r["assignment"] for r in rows})
                     for mine in [[r for r in rows if r["assignment"] == slug]]]),
             "<h2>Test cells failed</h2>", f'<img alt="failure rate of each test cell" src="{failures}">',
             _table(["assignment", "test cell", "failed", "of"], [[s, g, f, n] for (s, g), (f, n) in sorted(rates.items())]),
             "<h2>Most frequent mistakes</h2>",
             _table(["assignment", "test cell", "message", "students"],
                    [[s, g, m, n] for (s, g, m), n in messages(out).most_common(TOP_MESSAGES)]),
             "<h2>Lateness</h2>",
             (f'<img alt="lateness" src="{late}">' if late else "<p>No deadline was given (grade --deadline).</p>"),
             leaderboard.section(out),
             "<h2>Integrity flags</h2><p>A flag is a reason to look, not a verdict.</p>",
             (_table(["flag", "notebooks"], sorted(collections.Counter(f[2] for f in flags).items()))
              + _table(["student", "assignment", "flag", "detail"], flags) if flags else "<p>No flags.</p>")]
    style = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
             "img{max-width:100%}table{border-collapse:collapse;margin:1rem 0}"
             "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}")
    return document("The class at a glance", "".join(parts), style=style)


def write(path, db_url, out, log=print):
    page = build(db_url, out)
    if page is not None:
        Path(path).write_text(page, encoding="utf-8")
        log(f"report: {path}")
