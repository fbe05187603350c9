"""`assignment SLUG --deadline D --late-penalty P --out OUT`: set one assignment's deadline in the term's
gradebook before (or between) gradings; every later grade and regrade of that assignment applies it."""

from autograder.course import UsageError, make_course, slugs
from autograder.records import deadlines, gradebook


def set_deadline(slug, out, db_url, deadline, per_day):
    """Store the policy; return the sentence saying so."""
    if slug not in slugs():
        raise UsageError(f"unknown assignment {slug!r}; choose from {', '.join(slugs())}")
    moment, per_day = deadlines.check_penalty(deadline, per_day)
    out.mkdir(parents=True, exist_ok=True)
    db_url = gradebook.normalize_url(db_url or f"sqlite:///{out / 'gradebook.db'}")
    with gradebook.setup_lock(db_url):
        make_course(out / "course", db_url, [slug])
    deadlines.store_policy(db_url, [slug], moment, per_day)
    return (f"{slug}: deadline {moment.isoformat()}, {per_day:g}% off per day or part of a day late; "
            f"applied by every grade into {out}")
