"""Grades back to the LMS: a Canvas gradebook CSV filled in, or Moodle's grade-import CSV.

Students are matched to the roster by their LMS id (kept from the Canvas or Moodle zip), by login
(Canvas's SIS Login ID, Moodle's username or e-mail) or by name. Nobody is dropped silently: students
of the gradebook missing from the roster, and rows still waiting for manual grading (not filled in, so the
LMS keeps what it had), are listed.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from autograder.records import csvsafe, db, final, gradebook
from autograder.course import UsageError

METADATA = sa.MetaData()
IDENTITIES = sa.Table(
    "autograder_lms_students", METADATA,
    sa.Column("lms", sa.String(32), primary_key=True),
    sa.Column("lms_id", sa.String(64), primary_key=True),
    sa.Column("student_id", sa.String(255), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
)
CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_ASSIGNMENT = re.compile(r"^(?P<name>.+) \((?P<id>\d+)\)$")
MOODLE_IDS = ["Email address", "Username", "ID number", "Identifier"]


def record(db_url, identities):
    """Keep the LMS ids of `identities` (dicts with student_id, lms, lms_id, name) in the gradebook."""
    with db.writing(db_url, METADATA) as connection:
        for who in {(i["lms"], i["lms_id"]): i for i in identities if i["lms"]}.values():
            connection.execute(IDENTITIES.delete().where(IDENTITIES.c.lms == who["lms"],
                                                         IDENTITIES.c.lms_id == who["lms_id"]))
            connection.execute(IDENTITIES.insert().values(**{c: who[c] for c in IDENTITIES.c.keys()}))


def identities(db_url):
    """`{student_id: [{"lms", "lms_id", "name"}]}` kept from LMS zips (one person may have several), and the
    roster's: its Canvas user ids and Moodle participant numbers, e-mails and logins (`"lms": "login"`)."""
    from autograder.records import roster

    db_url = gradebook.normalize_url(db_url)
    found = {}
    for alias, student in roster.stored(db_url).aliases.items():
        lms, sep, lms_id = alias.partition(":")
        if sep and lms in ("canvas", "moodle"):
            found.setdefault(student, []).append({"lms": lms, "lms_id": lms_id, "name": ""})
        elif not sep and " " not in alias:
            found.setdefault(student, []).append({"lms": "login", "lms_id": alias, "name": ""})
    with db.reading(db_url, IDENTITIES) as connection:
        for r in connection.execute(sa.select(IDENTITIES)) if connection is not None else ():
            found.setdefault(r.student_id, []).append(dict(r._mapping))
    return found


def _words(text):
    """A name as a set of words (any script, NFC, case-folded): "Doe, Jane", "Jane Doe" and "jane_doe" agree."""
    return frozenset(w for w in re.split(r"[\W_]+", unicodedata.normalize("NFC", str(text)).casefold()) if w)


def _squashed(text):
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", str(text)).casefold())


def _read_roster(path, what):
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            table = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"--roster: cannot read {str(path)!r} ({error})") from None
    if not table or not any(table[0]):
        raise UsageError(f"--roster {path.name} is empty: expected {what}")
    return [h.strip() for h in table[0]], table[1:]


@dataclass
class Outcome:
    """What an export did: rows filled, and everyone it could not fill."""

    filled: int = 0
    not_in_roster: list = field(default_factory=list)  # (student, assignment)
    pending: list = field(default_factory=list)  # (student, assignment): waits for manual grading, not filled
    no_column: list = field(default_factory=list)  # assignments the roster has no column for
    warnings: list = field(default_factory=list)

    def lines(self):
        out = [f"filled {self.filled} grade(s)"] + self.warnings
        if self.no_column:
            out.append(f"no column in the roster for {', '.join(self.no_column)}: create the assignment in the LMS "
                       "(its name must contain the assignment's name), download the roster again")
        if self.pending:
            out.append(f"not filled in (the LMS keeps what it has), needs manual grading: {_pairs(self.pending)}")
        if self.not_in_roster:
            out.append(f"NOT in the roster, not exported: {_pairs(self.not_in_roster)}")
        return out


def _pairs(pairs):
    return ", ".join(f"{s} ({a})" for s, a in sorted(pairs))


def _column_for(slug, names):
    """The roster column of assignment `slug`: its name contains the slug (or the slug without its number)."""
    bare = _squashed(re.sub(r"^\d+[_-]", "", slug))
    found = [n for n in names if _squashed(slug) in _squashed(n)] or [n for n in names if bare in _squashed(n)]
    if len(found) > 1:
        raise UsageError(f"--roster: {len(found)} columns could hold {slug}: {', '.join(found)}; rename all but one")
    return found[0] if found else None


def _assign(students, keys, ids):
    """Match each student of the gradebook to a roster row: LMS id, then login, then name."""
    matched = {}
    for student in students:
        mine = ids.get(student, [])
        lms_ids = {(w["lms"], w["lms_id"]) for w in mine}
        known_logins = {student.lower()} | {w["lms_id"].lower() for w in mine if w["lms"] == "login"}
        for index, (lms_id, logins, words, squashed) in enumerate(keys):
            if lms_id in lms_ids or known_logins & logins:
                matched[student] = index
                break
        else:
            names = {_words(student)} | {_words(w["name"]) for w in mine} - {frozenset()}
            flat = {_squashed(w["name"]) for w in mine} - {""}
            hits = [i for i, (_, _, words, squashed) in enumerate(keys) if words in names or squashed in flat]
            if len(hits) == 1:
                matched[student] = hits[0]
    return matched


def _fill(final_rows, ids, keys, columns, put, value=lambda row: row["score"]):
    """Put each final grade into its matched row's column; `put(row index, column, text)`."""
    outcome = Outcome()
    matched = _assign(sorted({r["student_id"] for r in final_rows}), keys, ids)
    for row in final_rows:
        column = columns.get(row["assignment"])
        if column is None:
            continue
        pair = (row["student_id"], row["assignment"])
        if row["student_id"] not in matched:
            outcome.not_in_roster.append(pair)
        elif not final.is_final(row):
            outcome.pending.append(pair)
        else:
            put(matched[row["student_id"]], column, f"{round(value(row), 4):g}")
            outcome.filled += 1
    outcome.no_column = sorted({r["assignment"] for r in final_rows} - set(columns))
    nobody = len(keys) - len(set(matched.values()))
    if nobody:
        outcome.warnings.append(f"{nobody} student(s) of the roster have no grade in this gradebook: their cells are "
                                "left as they were (grade with --roster to give them a row: 0, no submission)")
    return outcome


def canvas(final_rows, ids, roster, destination, rescale=False, names=None):
    """Fill the assignment columns of Canvas's gradebook export `roster`; write it to `destination`.

    A column is found by the assignment's slug in its name, or by `names` (`{slug: column name}`, from
    `export --column SLUG=NAME`). A score is never more than the column's "Points Possible": with `rescale`
    every score is scaled to the column's points, else a higher one is capped and said."""
    header, table = _read_roster(roster, "Canvas's gradebook export (Grades > Export > CSV)")
    missing = [c for c in CANVAS_FIXED if c not in header]
    if missing:
        raise UsageError(f"--roster {Path(roster).name} is not a Canvas gradebook export: no column "
                         f"{', '.join(missing)} (download it from Grades > Export > Export Entire Gradebook)")
    at = {name: i for i, name in enumerate(header)}
    students = [i for i, r in enumerate(table) if len(r) > at["ID"] and r[at["ID"]].strip().isdigit()]
    possible = next((r for r in table if r and r[0].strip() == "Points Possible"), None)
    assignments = [n for n in header if CANVAS_ASSIGNMENT.match(n)]
    columns = {}
    for slug in sorted({r["assignment"] for r in final_rows}):
        wanted = (names or {}).get(slug)
        if wanted is not None:
            found = [n for n in assignments if n == wanted or CANVAS_ASSIGNMENT.match(n)["name"] == wanted]
            if not found:
                raise UsageError(f"--column {slug}={wanted}: no such column in {Path(roster).name}; its assignment "
                                 f"columns are {', '.join(assignments) or 'none'}")
            columns[slug] = found[0]
        elif (name := _column_for(slug, [CANVAS_ASSIGNMENT.match(n)["name"] for n in assignments])):
            columns[slug] = next(n for n in assignments if CANVAS_ASSIGNMENT.match(n)["name"] == name)

    def key(r):
        cell = lambda name: r[at[name]].strip() if len(r) > at[name] else ""  # noqa: E731
        return ("canvas", cell("ID")), {cell("SIS Login ID").lower(), cell("SIS User ID").lower()} - {""}, \
            _words(cell("Student")), _squashed(cell("Student"))

    keys = [key(table[i]) for i in students]

    def put(index, column, text):
        row = table[students[index]]
        row.extend([""] * (len(header) - len(row)))
        row[at[column]] = text

    maxima = {r["assignment"]: r["max_score"] for r in final_rows}
    points = {slug: _number(possible[at[c]].strip()) if possible and len(possible) > at[c] else None
              for slug, c in columns.items()}
    capped = []

    def value(row):
        column_points, score = points.get(row["assignment"]), row["score"]
        if column_points is None:
            return score
        if rescale:
            return score * column_points / maxima[row["assignment"]] if maxima[row["assignment"]] else 0.0
        if score > column_points:
            capped.append(f"{row['student_id']} ({score:g})")
            return column_points
        return score

    outcome = _fill(final_rows, ids, keys, columns, put, value)
    for slug, column in columns.items():
        if points[slug] is not None and points[slug] != maxima[slug]:
            outcome.warnings.append(
                f"{column} is worth {points[slug]:g} points in Canvas and {maxima[slug]:g} here: " +
                ("scores rescaled to the column's points" if rescale else
                 "scores written as they are, none above the column's points (export --rescale to scale them)"))
    if capped:
        outcome.warnings.append(f"capped at the column's points (--rescale scales instead): {', '.join(capped)}")
    _write(destination, header, table)
    return outcome


def _number(text):
    try:
        return float(text)
    except ValueError:
        return None


def moodle(final_rows, ids, roster, destination):
    """Moodle's grade-import CSV: the roster's identifier column, then one column per assignment."""
    header, table = _read_roster(roster, f"a Moodle participants CSV with one of the columns {', '.join(MOODLE_IDS)}")
    identifier = next((c for c in MOODLE_IDS if c in header), None)
    if identifier is None:
        raise UsageError(f"--roster {Path(roster).name}: no identifier column ({', '.join(MOODLE_IDS)}) "
                         f"among {', '.join(header)}")
    at = {name: i for i, name in enumerate(header)}
    table = [r for r in table if len(r) > at[identifier] and r[at[identifier]].strip()]

    def cell(r, name):
        return r[at[name]].strip() if name in at and len(r) > at[name] else ""

    def key(r):
        name = cell(r, "Full name") or f"{cell(r, 'First name')} {cell(r, 'Last name')}"
        logins = {cell(r, c).lower() for c in ("Username", "Email address", "ID number")}
        logins |= {login.split("@")[0] for login in logins if "@" in login}
        participant = re.sub(r"^\D+", "", cell(r, "Identifier"))
        return ("moodle", participant), logins - {""}, _words(name), _squashed(name)

    slugs = sorted({r["assignment"] for r in final_rows})
    grades = [[cell(r, identifier)] + [""] * len(slugs) for r in table]

    def put(index, column, text):
        grades[index][1 + slugs.index(column)] = text

    outcome = _fill(final_rows, ids, [key(r) for r in table], {s: s for s in slugs}, put)
    _write(destination, [identifier, *slugs], grades)
    return outcome


def _write(destination, header, table):
    csvsafe.write(destination, header, table)
