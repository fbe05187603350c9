"""`export --out OUT --feedback`: the feedback pages written again with the final grades, once the written
answers are graded by hand (and with any late penalty), from the notebooks `grade` kept in `OUT/course`."""

from pathlib import Path

import nbformat

from autograder.records import deadlines, final
from autograder.views import feedback
from autograder.views.page import install
from autograder.course import NOTEBOOKS
from autograder.records.manual import pending_note


def _note(row, cells, late):
    """The page's sentences: the written answers' points, then the late penalty."""
    by_hand = [c for c in cells if c.manual]
    notes = []
    if any(c.pending for c in by_hand):
        notes.append(pending_note(sum(c.max_score for c in by_hand if c.pending)))
    elif by_hand:
        notes.append(f"Written answers, graded by hand: {sum(c.score for c in by_hand):g} / "
                     f"{sum(c.max_score for c in by_hand):g} points.")
    if late:
        notes.append(late.describe(row["score"] + row["penalty"], row["max_score"]))
    return " ".join(notes)


def refresh(db_url, out):
    """Rewrite `out/feedback/<student>/<slug>.html` for every graded notebook of `out`; return how many."""
    out = Path(out)
    rows = {(r["student_id"], r["assignment"]): r for r in final.rows(db_url) or []}
    cells = final.cell_scores(db_url)
    lateness = deadlines.lateness_of(db_url)
    count = 0
    install(out)  # the pages' MathJax, in OUT/_static
    for path in sorted((out / "course" / "autograded").glob("*/*/*.ipynb")):
        student, slug = path.parent.parent.name, path.parent.name
        row = rows.get((student, slug))
        if row is None or row["reason"]:
            continue
        released = nbformat.read(NOTEBOOKS / f"{slug}.ipynb", as_version=4)
        page = feedback.render(nbformat.read(path, as_version=4), released, f"{slug} ({student})", row["score"],
                               row["max_score"], _note(row, cells.get((student, slug), []), lateness.get((student, slug))))
        (out / "feedback" / student).mkdir(parents=True, exist_ok=True)
        (out / "feedback" / student / f"{slug}.html").write_text(page)
        count += 1
    return count
