"""What one `grade` run takes in: the submissions (a folder, nbgrader's `submitted/` tree or an LMS zip) with
each student under the roster's id, the roster's students who handed nothing in, and each submission's
lateness under its own assignment's deadline.

Grading a zip of one assignment touches that assignment's rows only: each zip is unpacked into its own
folder (`OUT/collected/<zip name>/`). Nobody is dropped: a student the roster does not know is graded under
the channel's id and listed; a roster student without a notebook gets a row with 0 and "no submission".
"""

from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import UsageError
from autograder.records import deadlines, roster as roster_
from autograder.records.submissions import Submission, find_submissions, normal_id

NO_SUBMISSION = "no submission"


@dataclass
class Term:
    """The command line's term options (all optional)."""

    deadline: str | None = None
    late_penalty: float | None = None
    extensions: Path | None = None
    roster: Path | None = None
    aliases: Path | None = None
    submitted_times: Path | None = None
    zip_times: bool = False
    assignments: list = field(default_factory=list)  # grade only these (default: every one handed in)


@dataclass
class Intake:
    """The class of this run, and what it says about it."""

    class_: list
    roster: roster_.Roster
    folder: Path
    zipped: dict = field(default_factory=dict)  # (student, file): lms.csv's row
    unmatched: list = field(default_factory=list)  # ids graded that the roster does not know


def gather(submissions, out, db_url, term, course_slugs, log=print):
    """Find the class of this run (see the module's docstring)."""
    term = term or Term()
    if not Path(submissions).exists():
        raise UsageError(f"submissions folder {str(submissions)!r} does not exist or is not a folder")
    deadlines.check_penalty(term.deadline, term.late_penalty)
    unknown = sorted(set(term.assignments) - set(course_slugs))
    if unknown:
        raise UsageError(f"--assignment: unknown assignment(s) {', '.join(unknown)}; choose from {', '.join(course_slugs)}")
    roster = roster_.stored(db_url)
    if term.roster:
        roster = roster_.load(term.roster)
    if term.aliases:
        roster_.load_aliases(term.aliases, roster)
    if term.roster or term.aliases:
        roster_.store(db_url, roster)
        log(f"roster: {len(roster.students)} student(s), {len(roster.aliases)} id(s) and alias(es) known")
    submissions, zipped = Path(submissions), {}
    if submissions.suffix.lower() == ".zip":
        from autograder.records.collect import collect_zip, zip_records

        def resolve(who):
            return roster.resolve(who["key"], who["student"], roster_.name_key(who["name"]) if who["name"] else "")

        folder = collect_zip(submissions, Path(out) / "collected" / submissions.stem, course_slugs, resolve, log=log)
        zipped = zip_records(folder)
    else:
        folder = submissions
    found = find_submissions(folder, course_slugs, lambda name: roster.resolve(name) or normal_id(name))
    for s in found:
        problem = zipped.get((s.student_id, f"{s.slug}.ipynb"), {}).get("problem")
        if problem:
            s.problem, s.path = problem, None
    if term.assignments:
        found = [s for s in found if s.slug in term.assignments]
    slugs = sorted({s.slug for s in found})
    have = {(s.student_id, s.slug) for s in found}
    found += [Submission(student, slug, None, NO_SUBMISSION) for student in roster.known() for slug in slugs
              if (student, slug) not in have]
    unmatched = sorted({s.student_id for s in found if s.student_id not in roster.students}) if roster.students else []
    extras = [f"{s.student_id}/{s.slug}: {', '.join(s.extras)}" for s in found if s.extras]
    if extras:
        log(f"handed in besides the notebook, not graded ({len(extras)}): {'; '.join(extras[:20])}")
    return Intake(sorted(found, key=lambda s: (s.student_id, s.slug)), roster, Path(folder), zipped, unmatched)


def lateness(intake, db_url, term, log=print):
    """`{(student, slug): Late}` of this run's notebooks under each assignment's stored deadline; sets the
    problem of a submission whose time cannot be read. Stores `term`'s deadline and extensions first."""
    term = term or Term()
    slugs = sorted({s.slug for s in intake.class_})
    checked = deadlines.check_penalty(term.deadline, term.late_penalty)
    if checked:
        deadlines.store_policy(db_url, slugs, *checked)
    policies = deadlines.policies(db_url)
    known = set(intake.roster.students) | {s.student_id for s in intake.class_} | _graded(db_url)
    if term.extensions:
        extensions = deadlines.load_extensions(term.extensions, known)
        for student, slug in extensions:
            if slug is not None and slug not in policies and slug not in slugs:
                raise UsageError(f"--extensions: {student} has an extension for {slug!r}, not an assignment of this "
                                 f"gradebook ({', '.join(sorted(policies)) or 'none has a deadline'})")
        deadlines.store_extensions(db_url, _per_assignment(extensions, policies, slugs),
                                   lambda slug: policies[slug].deadline if slug in policies else None)
        policies = deadlines.policies(db_url)
        if not policies:
            raise UsageError("--extensions need a deadline: --deadline, or assignment SLUG --deadline first")
    times = deadlines.load_times(term.submitted_times, known) if term.submitted_times else {}
    late = {}
    for s in intake.class_:
        policy = policies.get(s.slug)
        if s.problem or policy is None:
            continue
        record = intake.zipped.get((s.student_id, f"{s.slug}.ipynb"), {})
        try:
            when = times.get((s.student_id, s.slug))
            if when is None and s.timestamp is not None:
                when = deadlines.timestamp(s.timestamp)
            if when is None and term.zip_times and record.get("zip_time"):
                when = deadlines.parse_time(record["zip_time"], "the zip's time")
        except UsageError as error:
            s.problem, s.path = f"{error}: fix or remove it, then grade again", None
            continue
        late[(s.student_id, s.slug)] = policy.lateness(s.student_id, s.slug, when, record.get("late") == "LATE")
    if intake.zipped and not term.zip_times and any(s.slug in policies for s in intake.class_):
        marked = sum(r.get("late") == "LATE" for r in intake.zipped.values())
        log(f"deadline: the zip's entry times are the LMS's download time, not used (grade --zip-times to use them); "
            f"{marked} notebook(s) carry Canvas's LATE_ marker; give --submitted-times for exact times")
    return late


def _per_assignment(extensions, policies, slugs):
    """Extensions in days for every assignment become one per assignment of this run (each from its deadline)."""
    import datetime

    expanded = {}
    for (student, slug), value in extensions.items():
        if slug is None and isinstance(value, datetime.timedelta):
            expanded.update({(student, s): value for s in slugs if s in policies})
        else:
            expanded[(student, slug)] = value
    return expanded


def _graded(db_url):
    import sqlalchemy as sa

    from autograder.records import db, gradebook

    with db.reading(db_url, gradebook.RESULTS) as connection:
        return set() if connection is None else {
            r[0] for r in connection.execute(sa.select(gradebook.RESULTS.c.student_id))}


def summary(intake):
    """The run's last lines about identities: who is graded but not on the roster."""
    if not intake.unmatched:
        return []
    return [f"NOT in the roster ({len(intake.unmatched)}), graded under the channel's id: {', '.join(intake.unmatched)}"
            " — add them to the roster or to --aliases (alias,student_id) and grade again"]
