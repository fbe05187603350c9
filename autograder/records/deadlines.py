"""Deadlines: `--deadline`, `--late-penalty P` (P percent of the score off per day or part of a day late,
capped at 100) and per-student `--extensions`.

A submission's time is nbgrader's `timestamp.txt` in the student's folder (what `nbgrader collect` copies
out of the exchange) or the time the LMS zip records for the file; a notebook with neither is on time.
Times without a UTC offset are read as UTC.
"""

import csv
import datetime
import math
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from autograder.course import UsageError

DAY = 86_400
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


def parse_time(text, what="--deadline"):
    """An aware datetime from ISO-8601 text (`2026-12-01T23:59`, `...+01:00`, `...Z`); naive means UTC."""
    try:
        moment = datetime.datetime.fromisoformat(str(text).strip().replace(" UTC", "+00:00"))
    except ValueError:
        raise UsageError(f"{what}: {text!r} is not an ISO-8601 date and time, e.g. 2026-12-01T23:59:00+01:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


@dataclass(frozen=True)
class Late:
    """How late one submission was, and what that costs."""

    late_seconds: float
    percent: float  # of the score, taken off
    deadline: str  # ISO-8601, the student's own (with an extension)
    submitted: str
    per_day: float

    def late_by(self):
        """`1d 02:03:04`: readable in a spreadsheet, exact to the second; "0" when on time."""
        if self.late_seconds <= 0:
            return "0"
        days, rest = divmod(int(math.ceil(self.late_seconds)), DAY)
        return f"{days}d {rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"

    def points(self, earned):
        return earned * self.percent / 100

    def describe(self, earned, max_score):
        """The feedback's sentence: what was deducted and why."""
        if self.late_seconds <= 0:
            return f"Submitted on time ({self.submitted}; deadline {self.deadline})."
        days = math.ceil(self.late_seconds / DAY)
        return (f"Late: submitted {self.submitted}, {self.late_by()} after the deadline ({self.deadline}), which "
                f"counts as {days} day{'s' if days > 1 else ''} at {self.per_day:g}% per day or part of a day: "
                f"{self.percent:g}% of {earned:g} points, {self.points(earned):g} points, taken off. "
                f"Score after the penalty: {earned - self.points(earned):g} / {max_score:g}.")


@dataclass(frozen=True)
class Policy:
    """The deadline, the penalty and the extensions: `{(student, slug or None): deadline}`."""

    deadline: datetime.datetime
    per_day: float
    extensions: dict

    def deadline_of(self, student, slug):
        return self.extensions.get((student, slug), self.extensions.get((student, None), self.deadline))

    def lateness(self, student, slug, submitted):
        """A `Late` for a submission made at `submitted` (None: no time known, so on time)."""
        deadline = self.deadline_of(student, slug)
        seconds = max(0.0, (submitted - deadline).total_seconds()) if submitted else 0.0
        percent = min(100.0, math.ceil(seconds / DAY) * self.per_day)
        return Late(seconds, percent, deadline.isoformat(), submitted.isoformat() if submitted else "unknown",
                    self.per_day)


def make_policy(deadline, per_day, extensions_csv=None):
    """The policy from the command line's options, each checked with a one-line error."""
    if deadline is None:
        if per_day is not None or extensions_csv is not None:
            raise UsageError("--late-penalty and --extensions need --deadline")
        return None
    if per_day is None:
        raise UsageError("--deadline needs --late-penalty P (percent per day late; 0 to record lateness only)")
    if not 0 <= per_day <= 100:
        raise UsageError(f"--late-penalty must be a percentage between 0 and 100, got {per_day:g}")
    deadline = parse_time(deadline)
    return Policy(deadline, per_day, load_extensions(extensions_csv, deadline) if extensions_csv else {})


def load_extensions(path, deadline):
    """`student_id,deadline` or `student_id,days` rows (an `assignment` column limits one to one assignment)."""
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
    extensions = {}
    for number, row in enumerate(rows, 2):
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        where = f"--extensions {path.name} line {number}"
        if not row["student_id"]:
            raise UsageError(f"{where}: no student_id")
        if row.get("deadline"):
            moment = parse_time(row["deadline"], where)
        else:
            try:
                moment = deadline + datetime.timedelta(days=float(row.get("days", "")))
            except ValueError:
                raise UsageError(f"{where}: days {row.get('days')!r} is not a number") from None
        extensions[(row["student_id"], row.get("assignment") or None)] = moment
    return extensions


def submission_time(folder, zip_time=None):
    """When the notebooks in a student's folder were handed in: nbgrader's timestamp.txt, else the zip's."""
    stamp = Path(folder) / "timestamp.txt"
    if stamp.is_file():
        return parse_time(stamp.read_text().strip(), f"{stamp}")
    return parse_time(zip_time, "the zip's time") if zip_time else None


def record(db_url, rows):
    """Keep each submission's lateness in the gradebook: `rows` are (student, slug, Late)."""
    engine = sa.create_engine(db_url)
    try:
        METADATA.create_all(engine)
        with engine.begin() as connection:
            for student, slug, late in rows:
                connection.execute(LATENESS.delete().where(LATENESS.c.student_id == student,
                                                           LATENESS.c.assignment == slug))
                connection.execute(LATENESS.insert().values(student_id=student, assignment=slug, **vars(late)))
    finally:
        engine.dispose()


def lateness_of(db_url):
    """`recorded`, read from the gradebook at `db_url`."""
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as connection:
            return recorded(connection)
    finally:
        engine.dispose()


def recorded(connection):
    """`{(student, slug): Late}` of every submission graded with a deadline."""
    if not sa.inspect(connection).has_table(LATENESS.name):
        return {}
    return {(r.student_id, r.assignment): Late(r.late_seconds, r.percent, r.deadline, r.submitted, r.per_day)
            for r in connection.execute(sa.select(LATENESS))}
