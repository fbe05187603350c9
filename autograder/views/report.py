"""`OUT/report.html`: the class at a glance, one static page with its figures inside (PNG data URIs).

First the class table: one row per student (the roster's, and anyone graded), one column per assignment, each
cell the score with what needs doing (missing, late, waiting for hand grading, an integrity flag) and a link to
that feedback page; columns sort with a click (a script in the page, nothing remote). Then the score
distributions, each test cell's failure rate, each assignment's most frequent failure messages (the checks'
named mistakes: "... is off by a factor (1 - beta): did you forget it?"), lateness and the integrity flags.
Everything comes from the gradebook, so `python -m autograder report` rebuilds it after hand grading or shards.
"""

import base64
import collections
import html
import io
from pathlib import Path

import nbformat

from autograder.boundary.restore import is_test
from autograder.records import deadlines, final, gradebook, measured, mistakes, roster
from autograder.views import leaderboard
from autograder.views.page import document

TOP_MESSAGES = 5  # per assignment
SORT_SCRIPT = """
for (const th of document.querySelectorAll("table.sortable th")) {
  th.addEventListener("click", () => {
    const table = th.closest("table"), body = table.tBodies[0], i = th.cellIndex;
    const up = th.getAttribute("aria-sort") !== "ascending";
    for (const other of table.querySelectorAll("th")) other.removeAttribute("aria-sort");
    th.setAttribute("aria-sort", up ? "ascending" : "descending");
    const key = row => { const c = row.cells[i]; const v = c.dataset.sort ?? c.textContent.trim();
                         return v !== "" && !isNaN(v) ? Number(v) : v; };
    const rows = [...body.rows].sort((a, b) => { const x = key(a), y = key(b);
      const o = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return up ? o : -o; });
    body.append(...rows);
  });
}
"""


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
            ax.set(title=f"{slug} ({len(mine)} students)", xlabel="score (% of the points)", xlim=(0, 100))
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes[0].set_ylabel("students (one notebook each)")
        figure.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize="small")
    return _figure(draw, width=max(4.0, 3.2 * len(slugs)), height=3.4)


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
        ax.barh([f"{s}: {g} (of {rates[(s, g)][1]})" for s, g in labels],
                [100 * f / n for f, n in (rates[k] for k in labels)], color="#c0504d")
        ax.invert_yaxis()
        ax.set(xlabel="failing (% of the graded notebooks)", xlim=(0, 100))
    return _figure(draw, width=9.0, height=0.8 + 0.3 * len(labels)), {k: tuple(v) for k, v in rates.items()}


def notebook_messages(notebook):
    """`[(test cell, message)]` of a graded notebook's failed test cells: the checks' named mistakes."""
    found = []
    for cell in notebook.cells:
        failed = cell.metadata.get("autograder", {}).get("failed") if is_test(cell) else None
        if not failed:  # the verdict, not an error output: a partly passed cell keeps none (`verdicts`)
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if failed == "hidden":
            text = "the visible tests pass, the hidden tests fail"
        elif errors and errors[-1].get("ename") == "NotImplementedError":
            text = "not attempted (the stub raises NotImplementedError)"
        else:
            error = errors[-1] if errors else {}
            text = (str(error.get("evalue", "")).strip().splitlines() or [error.get("ename", "failed")])[0]
        found.append((cell.metadata.nbgrader.grade_id, text[:200]))
    return found


def notebook_measured(notebook):
    """`{name: number or None}` that the trusted test code of a graded notebook measured (`run.checker`)."""
    found = {}
    for cell in notebook.cells:
        record = cell.metadata.get("autograder", {}).get("record") if is_test(cell) else None
        found.update(record if isinstance(record, dict) else {})
    return found


def keep_verdicts(db_url, out, class_):
    """Store the named mistakes and the measurements of this run's notebooks (`class_`: `Submission`s) in the
    gradebook, where `build` finds them."""
    messages, values = {}, {}
    for s in class_:
        path = Path(out) / "course" / "autograded" / s.student_id / s.slug / f"{s.slug}.ipynb"
        notebook = nbformat.read(path, as_version=4) if not s.problem and path.is_file() else None
        messages[(s.student_id, s.slug)] = notebook_messages(notebook) if notebook else []
        values[(s.student_id, s.slug)] = notebook_measured(notebook) if notebook else {}
    mistakes.store(db_url, messages)
    measured.store(db_url, values)


def _lateness(db_url):
    from matplotlib.ticker import MaxNLocator

    days = collections.Counter(v.days() if v.late_seconds else 0 for v in deadlines.lateness_of(db_url).values())
    if not days:
        return None

    def draw(figure):
        ax = figure.subplots()
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        keys = list(range(0, max(days) + 1))
        ax.bar(["on time" if d == 0 else f"{d} day{'s' if d > 1 else ''}" for d in keys], [days[d] for d in keys],
               color="#e8a33d")
        ax.set(ylabel="submissions", xlabel="late by (days or part of a day)")
    return _figure(draw, width=5.0)


def _table(header, rows, sortable=False):
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(v if isinstance(v, Cell) else f"<td>{html.escape(str(v))}</td>" for v in row)
                   + "</tr>" for row in rows)
    kind = ' class="sortable"' if sortable else ""
    return f"<table{kind}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Cell(str):
    """A `<td>` already escaped."""


def _class_table(rows, names, flags, lateness, out):
    """The student x assignment table: `(header, rows)`."""
    slugs = sorted({r["assignment"] for r in rows})
    by_key = {(r["student_id"], r["assignment"]): r for r in rows}
    students = sorted(set(names) | {r["student_id"] for r in rows})
    table = []
    for student in students:
        line = [student, names.get(student, "")]
        total = 0.0
        for slug in slugs:
            row = by_key.get((student, slug))
            if row is None:
                line.append(Cell('<td data-sort="-1" class="missing">not graded</td>'))
                continue
            total += row["score"]
            marks = []
            if row["reason"]:
                marks.append(("missing", row["reason"]))
            late = lateness.get((student, slug))
            if late is not None and late.late_seconds:
                marks.append(("late", f"late {late.late_by()}, −{late.percent:g}%"))
            if not final.is_final(row):
                marks.append(("hand", "needs hand grading"))
            if (student, slug) in flags:
                marks.append(("flag", f"integrity flag: {', '.join(sorted(flags[(student, slug)]))}"))
            text = html.escape(f"{row['score']:g} / {row['max_score']:g}")
            page = Path(out) / "feedback" / student / f"{slug}.html"
            if page.is_file():
                text = f'<a href="feedback/{html.escape(student)}/{html.escape(slug)}.html">{text}</a>'
            notes = "".join(f'<br><span class="{kind}">{html.escape(note)}</span>' for kind, note in marks)
            kinds = " ".join(kind for kind, _ in marks)
            line.append(Cell(f'<td data-sort="{row["score"]:g}" class="{kinds}">{text}{notes}</td>'))
        line.append(Cell(f'<td data-sort="{total:g}">{total:g}</td>'))
        table.append(line)
    return ["student", "name", *slugs, "total"], table


def build(db_url, out):
    """The page's HTML, or None when the gradebook holds no grades."""
    rows = final.rows(db_url)
    if not rows:
        return None
    cells = final.cell_scores(db_url)
    failures, rates = _failure_rates(rows, cells)
    late = _lateness(db_url)
    lateness = deadlines.lateness_of(db_url)
    flags = gradebook.stored_flags(db_url)
    flagged = collections.defaultdict(set)
    for student, slug, flag, _ in flags:
        flagged[(student, slug)].add(flag)
    class_ = roster.stored(db_url)
    pending = [r for r in rows if not final.is_final(r)]
    missing = [r for r in rows if r["reason"]]
    header, table = _class_table(rows, class_.students, flagged, lateness, out)
    outside = sorted({r["student_id"] for r in rows} - set(class_.students)) if class_.students else []
    counts = collections.Counter((s, g, m) for _, s, g, m in mistakes.stored(db_url))
    top = []
    for slug in sorted({r["assignment"] for r in rows}):
        mine = sorted(((n, g, m) for (s, g, m), n in counts.items() if s == slug), key=lambda t: (-t[0], t[1], t[2]))
        top += [[slug, g, m, n] for n, g, m in mine[:TOP_MESSAGES]]
    parts = [f"<h1>The class at a glance</h1><p>{len(table)} students, {len(rows)} notebooks, "
             f"{len(missing)} not graded (missing or refused), {len(pending)} waiting for manual grading.</p>",
             "<h2>Students</h2><p>Click a column's title to sort; a score links to its feedback page.</p>",
             _table(header, table, sortable=True),
             (f"<p><strong>Not in the roster ({len(outside)}):</strong> {html.escape(', '.join(outside))}: add them "
              "to the roster or to --aliases and grade again.</p>" if outside else ""),
             "<h2>Scores</h2>", f'<img alt="score distribution of each assignment" src="{_scores(rows)}">',
             _table(["assignment", "notebooks", "mean score", "max score", "not graded", "needs manual grading"],
                    [[slug, len(mine), f"{sum(r['score'] for r in mine) / len(mine):.2f}", f"{mine[0]['max_score']:g}",
                      sum(bool(r["reason"]) for r in mine), sum(not final.is_final(r) for r in mine)]
                     for slug in sorted({r["assignment"] for r in rows})
                     for mine in [[r for r in rows if r["assignment"] == slug]]]),
             "<h2>Test cells failed</h2>", f'<img alt="failure rate of each test cell" src="{failures}">',
             _table(["assignment", "test cell", "failed", "of"], [[s, g, f, n] for (s, g), (f, n) in sorted(rates.items())]),
             f"<h2>Most frequent mistakes</h2><p>Each assignment's {TOP_MESSAGES} most frequent.</p>",
             _table(["assignment", "test cell", "message", "students"], top),
             "<h2>Lateness</h2>",
             (f'<img alt="lateness" src="{late}">' if late else "<p>No deadline was given (grade --deadline).</p>"),
             leaderboard.section(db_url, rows),
             "<h2>Integrity flags</h2><p>A flag is a reason to look, not a verdict.</p>",
             (_table(["flag", "notebooks"], sorted(collections.Counter(f[2] for f in flags).items()))
              + _table(["student", "assignment", "flag", "detail"], sorted(flags)) if flags else "<p>No flags.</p>")]
    style = ("body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}"
             "img{max-width:100%}table{border-collapse:collapse;margin:1rem 0}"
             "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
             "table.sortable th{cursor:pointer}th[aria-sort=ascending]::after{content:' \\25B2'}"
             "th[aria-sort=descending]::after{content:' \\25BC'}.missing{color:#a00}.late{color:#a60}"
             ".hand{color:#246}.flag{color:#808}")
    return document("The class at a glance", "".join(parts), style=style, inline_scripts=[SORT_SCRIPT])


def write(path, db_url, out, log=print):
    """Write the page; return its path, or None when the gradebook holds no grades."""
    page = build(db_url, out)
    if page is None:
        return None
    Path(path).write_text(page, encoding="utf-8")
    log(f"report: {path}")
    return path
