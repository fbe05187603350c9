"""`export`: the whole gradebook (every shard, every machine) as grades.csv, a Canvas gradebook or Moodle's CSV."""

from autograder.records import final, lms_export
from autograder.course import UsageError
from autograder.records.gradebook import normalize_url


def export(db_url, path, form="csv", roster=None, manual_scores=None, feedback_out=None, log=print, out=None,
           rescale=False, columns=None):
    """Write the gradebook's final grades to `path` in `form`; hand-graded scores are entered first. With
    `feedback_out` (a grade --out folder), its feedback pages are written again with the final grades; with
    `out`, its report.html is rebuilt. `rescale`, `columns`: Canvas's (`lms_export.canvas`)."""
    db_url = normalize_url(db_url)
    if form != "csv" and roster is None:
        raise UsageError(f"--format {form} needs --roster: "
                         + ("the gradebook CSV from Canvas (Grades > Export)" if form == "canvas"
                            else "a Moodle participants CSV with an Email address, Username or ID number column"))
    if manual_scores is not None:
        from nbgrader.api import Gradebook

        from autograder.course import COURSE_ID
        from autograder.records.manual import enter, load_csv

        book = Gradebook(db_url, COURSE_ID)
        try:
            log(f"entered {enter(book, load_csv(manual_scores))} hand-graded score(s)")
        finally:
            book.close()
    rows = final.rows(db_url)
    if rows is None:
        raise UsageError("that gradebook holds no grades yet: run grade first")
    if feedback_out is not None:
        from autograder.views.refresh import refresh

        log(f"rewrote {refresh(db_url, feedback_out)} feedback page(s) in {feedback_out / 'feedback'}")
    if form == "csv":
        final.write(path, rows)
        log(f"wrote {len(rows)} rows to {path}")
        outcome = rows
    else:
        if form == "canvas":
            outcome = lms_export.canvas(rows, lms_export.identities(db_url), roster, path, rescale, columns)
        else:
            outcome = lms_export.moodle(rows, lms_export.identities(db_url), roster, path)
        for line in outcome.lines():
            log(f"export: {line}")
        log(f"wrote {path}")
    if out is not None:  # the report shows what was just entered
        from autograder.views import report

        report.write(out / "report.html", db_url, out, log=log)
    return outcome
