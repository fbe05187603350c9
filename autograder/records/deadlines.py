"""Deadlines belong to assignments: each assignment's deadline and late penalty (`P` percent of the score off
per day or part of a day late, capped at 100) and each student's extensions are kept in the gradebook, the
deadline also as nbgrader's `duedate`. Every (re)grade applies each assignment's own; `grade --deadline` sets
it for the assignments that run grades, `assignment SLUG --deadline` for one.

A submission's time comes only from what can be trusted: nbgrader's `timestamp.txt` (in whatever time zone the
hub writes it: `2026-11-21 10:00:00.000000 CET`), a CSV of times the instructor exported from the LMS
(`--submitted-times`), or Canvas's `LATE_` marker (late, time unknown: counted as one day). The times inside
an LMS zip are when the zip was built, so they count only with `grade --zip-times`. A notebook with no time is
on time. Times without a UTC offset are read as UTC.
"""

import csv
import datetime
import math
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from autograder.course import UsageError
from autograder.records import db

DAY = 86_400
UNKNOWN = -1.0  # late_seconds of a submission the LMS marked late without a time
METADATA = sa.MetaData()
LATENESS = sa.Table(
    "autograder_lateness", METADATA,
    sa.Column("student_id", sa.String(255), primary_key=True),
    sa.Column("assignment", sa.String(255), primary_key=True),
    sa.Column("late_seconds", sa.Float, nullable=False),
    sa.Column("percent", sa.Float, nullable=False),
    sa.Column("per_day", sa.Float, nullable=False),
    sa.Column("deadline", sa.String(64), nullable=False),
    sa.Column("submitted", sa.String(64), nullable=False),
)
DEADLINES = sa.Table(
    "autograder_deadlines", METADATA,
    sa.Column("assignment", sa.String(255), primary_key=True),
    sa.Column("deadline", sa.String(64), nullable=False),
    sa.Column("per_day", sa.Float, nullable=False),
)
EXTENSIONS = sa.Table(
    "autograder_extensions", METADATA,
    sa.Column("student_id", sa.String(255), primary_key=True),
    sa.Column("assignment", sa.String(255), primary_key=True),  # "" for every assignment
    sa.Column("deadline", sa.String(64), nullable=False),
)
ZONES = {  # abbreviations `%Z` writes, as UTC offsets in hours (zoneinfo knows only a few of them)
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "IST": 1, "CET": 1, "CEST": 2, "MET": 1,
    "MEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10, "JST": 9, "KST": 9, "SGT": 8, "HKT": 8, "AWST": 8,
    "ACST": 9.5, "ACDT": 10.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}


def parse_time(text, what="--deadline"):
    """An aware datetime from ISO-8601 text (`2026-12-01T23:59`, `...+01:00`, `...Z`) or nbgrader's
    `2026-12-01 23:59:00.000000 CET` (an abbreviation, an IANA zone or `+0100`); naive means UTC."""
    text = str(text).strip()
    zone = datetime.timezone.utc
    found = re.match(r"^(.*\d)\s+([A-Za-z][A-Za-z_/+-]*|[+-]\d{2}:?\d{2})$", text)
    if found:
        text, name = found[1], found[2]
        if name.upper() in ZONES:
            zone = datetime.timezone(datetime.timedelta(hours=ZONES[name.upper()]))
        elif re.match(r"^[+-]\d{2}:?\d{2}$", name):
            text += name
        else:
            try:
                zone = zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise UsageError(f"{what}: unknown time zone {name!r} in {found[0]!r}") from None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what}: {text!r} is not an ISO-8601 date and time, e.g. 2026-12-01T23:59:00+01:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


@dataclass(frozen=True)
class Late:
    """How late one submission was, and what that costs."""

    late_seconds: float  # UNKNOWN: the LMS marked it late without saying when
    percent: float  # of the score, taken off
    deadline: str  # ISO-8601, the student's own (with an extension)
    submitted: str
    per_day: float

    def days(self):
        return 1 if self.late_seconds == UNKNOWN else math.ceil(self.late_seconds / DAY)

    def late_by(self):
        """`1d 02:03:04`: readable in a spreadsheet, exact to the second; "0" when on time."""
        if self.late_seconds == UNKNOWN:
            return "late (time unknown)"
        if self.late_seconds <= 0:
            return "0"
        days, rest = divmod(int(math.ceil(self.late_seconds)), DAY)
        return f"{days}d {rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"

    def points(self, earned):
        return earned * self.percent / 100

    def describe(self, earned, max_score):
        """The feedback's sentence: what was deducted and why."""
        if self.late_seconds == UNKNOWN:
            return (f"Late: {self.submitted}; the deadline was {self.deadline}. Without a time, it counts as 1 day "
                    f"at {self.per_day:g}% per day: {self.percent:g}% of {earned:g} points, {self.points(earned):g} "
                    f"points, taken off. Score after the penalty: {earned - self.points(earned):g} / {max_score:g}.")
        if self.late_seconds <= 0:
            return f"Submitted on time ({self.submitted}; deadline {self.deadline})."
        days = self.days()
        return (f"Late: submitted {self.submitted}, {self.late_by()} after the deadline ({self.deadline}), which "
                f"counts as {days} day{'s' if days > 1 else ''} at {self.per_day:g}% per day or part of a day: "
                f"{self.percent:g}% of {earned:g} points, {self.points(earned):g} points, taken off. "
                f"Score after the penalty: {earned - self.points(earned):g} / {max_score:g}.")


@dataclass(frozen=True)
class Policy:
    """One assignment's deadline and penalty, and the extensions: `{(student, slug or None): deadline}`."""

    deadline: datetime.datetime
    per_day: float
    extensions: dict

    def deadline_of(self, student, slug):
        return self.extensions.get((student, slug), self.extensions.get((student, None), self.deadline))

    def lateness(self, student, slug, submitted, marked_late=False):
        """A `Late` for a submission made at `submitted` (None: no time known, so on time unless the LMS
        `marked_late` it)."""
        deadline = self.deadline_of(student, slug)
        if submitted is None and marked_late:
            return Late(UNKNOWN, min(100.0, self.per_day), deadline.isoformat(),
                        "the LMS marked it late (Canvas's LATE_), without its time", self.per_day)
        seconds = max(0.0, (submitted - deadline).total_seconds()) if submitted else 0.0
        percent = min(100.0, math.ceil(seconds / DAY) * self.per_day)
        return Late(seconds, percent, deadline.isoformat(), submitted.isoformat() if submitted else "unknown",
                    self.per_day)


def check_penalty(deadline, per_day):
    """The command line's deadline options, checked with one-line errors: `(deadline, per_day)` or None."""
    if deadline is None:
        if per_day is not None:
            raise UsageError("--late-penalty needs --deadline")
        return None
    if per_day is None:
        raise UsageError("--deadline needs --late-penalty P (percent per day late; 0 to record lateness only)")
    if not 0 <= per_day <= 100:
        raise UsageError(f"--late-penalty must be a percentage between 0 and 100, got {per_day:g}")
    return parse_time(deadline), per_day


def load_extensions(path, known=None):
    """`{(student, slug or None): deadline or days}` from `student_id,deadline` or `student_id,days` rows (an
    `assignment` column limits one to one assignment). With `known` (ids), unknown ids are an error."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
            header = [h.strip().lower() for h in (rows[0].keys() if rows else [])]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"--extensions: cannot read {str(path)!r} ({error})") from None
    if "student_id" not in header or not {"deadline", "days"} & set(header):
        raise UsageError(f"--extensions {path.name}: expected a header student_id,deadline or student_id,days "
                         f"(and optionally assignment), got {','.join(header) or 'nothing'}")
    extensions, unknown = {}, []
    for number, row in enumerate(rows, 2):
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        where = f"--extensions {path.name} line {number}"
        if not row["student_id"]:
            raise UsageError(f"{where}: no student_id")
        if known is not None and row["student_id"] not in known:
            unknown.append(f"{row['student_id']!r} (line {number})")
        if row.get("deadline"):
            value = parse_time(row["deadline"], where)
        else:
            try:
                value = datetime.timedelta(days=float(row.get("days", "")))
            except ValueError:
                raise UsageError(f"{where}: days {row.get('days')!r} is not a number") from None
        extensions[(row["student_id"], row.get("assignment") or None)] = value
    if unknown:
        raise UsageError(f"--extensions {path.name}: unknown student id(s) {', '.join(unknown)}; known ids: "
                         f"{', '.join(sorted(known)) or 'none'}")
    return extensions


def load_times(path, known):
    """`{(student, slug): time}` from an instructor's CSV `student_id,assignment,submitted`."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in reader.fieldnames or []]
            rows = [{k.strip().lower(): (v or "").strip() for k, v in r.items() if k} for r in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"--submitted-times: cannot read {str(path)!r} ({error})") from None
    if not {"student_id", "assignment", "submitted"} <= set(header):
        raise UsageError(f"--submitted-times {path.name}: expected the header student_id,assignment,submitted, "
                         f"got {','.join(header) or 'nothing'}")
    unknown = [f"{r['student_id']!r} (line {n})" for n, r in enumerate(rows, 2) if r["student_id"] not in known]
    if unknown:
        raise UsageError(f"--submitted-times {path.name}: unknown student id(s) {', '.join(unknown)}; known ids: "
                         f"{', '.join(sorted(known)) or 'none'}")
    return {(r["student_id"], r["assignment"]): parse_time(r["submitted"], f"--submitted-times {path.name} line {n}")
            for n, r in enumerate(rows, 2)}


def timestamp(path):
    """The time in nbgrader's `timestamp.txt` at `path`; a `UsageError` saying what is wrong with it."""
    if path.is_symlink():
        raise UsageError("timestamp.txt is a symbolic link, refused")
    try:
        text = path.read_bytes()[:200].decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError("timestamp.txt is not UTF-8 text") from None
    except OSError as error:
        raise UsageError(f"timestamp.txt cannot be read ({error.strerror})") from None
    return parse_time(text.strip(), "timestamp.txt")


def store_policy(db_url, slugs, deadline, per_day):
    """Keep `deadline` and `per_day` as the policy of each of `slugs` (and nbgrader's duedate)."""
    _replace(db_url, DEADLINES, [{"assignment": s, "deadline": deadline.isoformat(), "per_day": per_day} for s in slugs],
             DEADLINES.c.assignment.in_(list(slugs)))
    from nbgrader.api import Gradebook

    from autograder.course import COURSE_ID

    book = Gradebook(db_url, COURSE_ID)
    try:
        for slug in slugs:
            book.update_or_create_assignment(slug, duedate=deadline.astimezone(datetime.timezone.utc)
                                             .replace(tzinfo=None))
    finally:
        book.close()


def store_extensions(db_url, extensions, deadline_of):
    """Keep `{(student, slug or None): deadline or days}`; days count from `deadline_of(slug)`."""
    rows = []
    for (student, slug), value in extensions.items():
        if isinstance(value, datetime.timedelta):
            base = deadline_of(slug)
            if base is None:
                raise UsageError(f"--extensions: {student} has days for {slug or 'every assignment'}, which has "
                                 "no deadline: give a date instead, or the deadline first")
            value = base + value
        rows.append({"student_id": student, "assignment": slug or "", "deadline": value.isoformat()})
    for row in rows:
        _replace(db_url, EXTENSIONS, [row], sa.and_(EXTENSIONS.c.student_id == row["student_id"],
                                                     EXTENSIONS.c.assignment == row["assignment"]))


def _replace(db_url, table, rows, where):
    with db.writing(db_url, METADATA) as connection:
        connection.execute(table.delete().where(where))
        if rows:
            connection.execute(table.insert(), rows)


def policies(db_url):
    """`{slug: Policy}` of every assignment with a deadline in the gradebook, extensions included."""
    with db.writing(db_url, METADATA) as connection:
        extensions = {(r.student_id, r.assignment or None): datetime.datetime.fromisoformat(r.deadline)
                      for r in connection.execute(sa.select(EXTENSIONS))}
        return {r.assignment: Policy(datetime.datetime.fromisoformat(r.deadline), r.per_day, extensions)
                for r in connection.execute(sa.select(DEADLINES))}


def record(db_url, rows):
    """Keep each submission's lateness in the gradebook: `rows` are (student, slug, Late or None)."""
    with db.writing(db_url, METADATA) as connection:
        for student, slug, late in rows:
            connection.execute(LATENESS.delete().where(LATENESS.c.student_id == student,
                                                       LATENESS.c.assignment == slug))
            if late is not None:
                connection.execute(LATENESS.insert().values(student_id=student, assignment=slug, **vars(late)))


def lateness_of(db_url):
    """`recorded`, read from the gradebook at `db_url`."""
    with db.reading(db_url, LATENESS) as connection:
        return {} if connection is None else recorded(connection)


def recorded(connection):
    """`{(student, slug): Late}` of every submission graded with a deadline."""
    if not sa.inspect(connection).has_table(LATENESS.name):
        return {}
    return {(r.student_id, r.assignment): Late(r.late_seconds, r.percent, r.deadline, r.submitted, r.per_day)
            for r in connection.execute(sa.select(LATENESS))}
