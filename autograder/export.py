"""`export`: the whole gradebook (every shard, every machine) as grades.csv, a Canvas gradebook or Moodle's CSV."""

from autograder import final, lms_export
from autograder.course import UsageError


def export(db_url, path, form="csv", roster=None, manual_scores=None, log=print):
    """Write the gradebook's final grades to `path` in `form`; hand-graded scores are entered first."""
    if form != "csv" and roster is None:
        raise UsageError(f"--format {form} needs --roster: "
                         + ("the gradebook CSV from Canvas (Grades > Export)" if form == "canvas"
                            else "a Moodle participants CSV with an Email address, Username or ID number column"))
    if manual_scores is not None:
        from nbgrader.api import Gradebook

        from autograder.course import COURSE_ID
        from autograder.gradebook import normalize_url
        from autograder.manual import enter, load_csv

        book = Gradebook(normalize_url(db_url), COURSE_ID)
        try:
            log(f"entered {enter(book, load_csv(manual_scores))} hand-graded score(s)")
        finally:
            book.close()
    rows = final.rows(db_url)
    if rows is None:
        raise UsageError("that gradebook holds no grades yet: run grade first")
    if form == "csv":
        final.write(path, rows)
        log(f"wrote {len(rows)} rows to {path}")
        return rows
    outcome = getattr(lms_export, form)(rows, lms_export.identities(db_url), roster, path)
    for line in outcome.lines():
        log(f"export: {line}")
    log(f"wrote {path}")
    return outcome
