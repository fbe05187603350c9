"""The class: who is in it (`--roster`), and which of each channel's ids is which student (`--aliases`).

A roster is nbgrader's `student import` CSV (`id,first_name,last_name,email[,lms_user_id]`), Canvas's gradebook
export (`Student,ID,SIS User ID,SIS Login ID,...`) or a Moodle export (participants or grading worksheet:
`Identifier`, `Full name`, `Username`, `Email address`, `ID number`). Each row gives the student's id (nbgrader's
id, Canvas's SIS login, Moodle's username) and the ids the channels use for the same person: Canvas's user
id (`canvas:<id>`), Moodle's participant number (`moodle:<n>`), the e-mail and its local part, the full name.
An aliases CSV (`alias,student_id`) adds the rest, e.g. `aliceng,ngalice` for a hub login. Both are kept in
the gradebook, so every later run (and `report`, `export`) knows the class. Names are compared after Unicode
normalization and case folding; an alias two students share is dropped (never guessed) and said.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from autograder.course import UsageError
from autograder.records import db
from autograder.records.submissions import STUDENT_ID, normal_id

METADATA = sa.MetaData()
STUDENTS = sa.Table(
    "autograder_roster", METADATA,
    sa.Column("student_id", sa.String(255), primary_key=True),
    sa.Column("name", sa.String(255), nullable=False),
)
ALIASES = sa.Table(
    "autograder_aliases", METADATA,
    sa.Column("alias", sa.String(255), primary_key=True),
    sa.Column("student_id", sa.String(255), nullable=False),
)


def key(text):
    """How an alias is compared: NFC, case-folded, runs of spaces, commas and underscores as one space."""
    text = unicodedata.normalize("NFC", str(text)).casefold().strip()
    return re.sub(r"[\s,_]+", " ", text).strip()


def name_key(text):
    """A full name in any order ("Ng, Alice", "Alice Ng", "alice_ng"): its sorted words."""
    return "name:" + " ".join(sorted(key(text).split()))


@dataclass
class Roster:
    """Students `{id: name}` and aliases `{key: id}`; empty when no roster was ever given."""

    students: dict = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)
    ambiguous: set = field(default_factory=set)

    def add(self, student_id, name="", aliases=()):
        student_id = normal_id(student_id)
        if not STUDENT_ID.match(student_id):
            raise UsageError(f"--roster: {ascii(student_id)} is not a valid student id "
                             "(letters, digits and _ . @ + -)")
        self.students[student_id] = name or self.students.get(student_id, "")
        for alias in {student_id, *aliases}:
            self.alias(alias, student_id)

    def alias(self, alias, student_id):
        if not str(alias).strip():
            return
        k = alias if alias.startswith("name:") else key(alias)
        if k in self.ambiguous:
            return
        if self.aliases.get(k, student_id) != student_id:
            del self.aliases[k]
            self.ambiguous.add(k)
            return
        self.aliases[k] = student_id

    def resolve(self, *candidates):
        """The roster id of the first candidate (channel id, login, e-mail, name) it knows, else None."""
        for candidate in candidates:
            if candidate:
                k = candidate if candidate.startswith("name:") else key(candidate)
                if k in self.aliases:
                    return self.aliases[k]
        return None

    def known(self):
        return sorted(self.students)


def _read(path, what):
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            table = [row for row in csv.reader(handle)]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"{what}: cannot read {str(path)!r} ({error})") from None
    if not table or not any(table[0]):
        raise UsageError(f"{what} {path.name} is empty")
    header = [h.strip() for h in table[0]]
    return header, [{h: (r[i].strip() if i < len(r) else "") for i, h in enumerate(header)} for r in table[1:]
                    if any(c.strip() for c in r)]


def load(path, roster=None):
    """Add the students of a roster CSV (nbgrader, Canvas or Moodle) to `roster`; return it."""
    roster = roster or Roster()
    header, rows = _read(path, "--roster")
    lower = {h.lower(): h for h in header}
    if "id" in lower and "student" not in lower:  # nbgrader's `student import`
        for r in rows:
            get = lambda c: r.get(lower.get(c, ""), "")  # noqa: E731
            name = f"{get('first_name')} {get('last_name')}".strip()
            aliases = [get("email"), get("email").split("@")[0] if "@" in get("email") else ""]
            aliases += [f"canvas:{get('lms_user_id')}" if get("lms_user_id") else "", name_key(name) if name else ""]
            roster.add(get("id"), name, aliases)
    elif {"Student", "ID", "SIS Login ID"} <= set(header):  # Canvas's gradebook export
        for r in rows:
            if not r["ID"].isdigit():  # "Points Possible", "Student, Test"
                continue
            login = r["SIS Login ID"] or r.get("SIS User ID") or f"canvas-{r['ID']}"
            roster.add(login, r["Student"], [f"canvas:{r['ID']}", r.get("SIS User ID", ""), name_key(r["Student"])])
    elif {"Identifier", "Username", "Email address", "ID number"} & set(header):  # Moodle
        for r in rows:
            email = r.get("Email address", "")
            name = r.get("Full name") or f"{r.get('First name', '')} {r.get('Last name', '')}".strip()
            student = r.get("Username") or (email.split("@")[0] if email else "") or r.get("ID number", "")
            participant = re.sub(r"^\D+", "", r.get("Identifier", ""))
            if not student and participant:
                student = f"participant_{participant}"
            aliases = [email, email.split("@")[0] if "@" in email else "", r.get("ID number", ""),
                       f"moodle:{participant}" if participant else "", name_key(name) if name else ""]
            roster.add(student, name, aliases)
    else:
        raise UsageError(f"--roster {Path(path).name}: not a roster I know; expected nbgrader's "
                         "id,first_name,last_name,email, Canvas's gradebook export (Student,ID,SIS Login ID,...) "
                         f"or a Moodle export (Identifier or Username or Email address), got {','.join(header)}")
    if roster.ambiguous:
        print(f"roster: {len(roster.ambiguous)} alias(es) shared by two students, not used: "
              f"{', '.join(sorted(roster.ambiguous)[:10])}")
    return roster


def load_aliases(path, roster):
    """`alias,student_id` rows; every student_id must be in the roster (else the list of known ids)."""
    header, rows = _read(path, "--aliases")
    if not {"alias", "student_id"} <= {h.lower() for h in header}:
        raise UsageError(f"--aliases {Path(path).name}: expected the header alias,student_id, got {','.join(header)}")
    lower = {h.lower(): h for h in header}
    unknown = []
    for number, r in enumerate(rows, 2):
        alias, student = r[lower["alias"]], normal_id(r[lower["student_id"]])
        if student not in roster.students:
            unknown.append(f"line {number}: {student!r}")
        else:
            roster.alias(alias, student)
    if unknown:
        raise UsageError(f"--aliases {Path(path).name}: unknown student id(s) {', '.join(unknown)}; "
                         f"the roster's ids are {', '.join(roster.known()) or 'none (give --roster)'}")
    return roster


def stored(db_url):
    """The roster kept in the gradebook (empty if none)."""
    roster = Roster()
    with db.reading(db_url, STUDENTS) as connection:
        if connection is not None:
            roster.students = {r.student_id: r.name for r in connection.execute(sa.select(STUDENTS))}
            roster.aliases = {r.alias: r.student_id for r in connection.execute(sa.select(ALIASES))}
    return roster


def store(db_url, roster):
    """Keep `roster` in the gradebook, replacing the one kept before."""
    with db.writing(db_url, METADATA) as connection:
        connection.execute(STUDENTS.delete())
        connection.execute(ALIASES.delete())
        if roster.students:
            connection.execute(STUDENTS.insert(), [{"student_id": s, "name": n[:255]}
                                                   for s, n in roster.students.items()])
        if roster.aliases:
            connection.execute(ALIASES.insert(), [{"alias": a[:255], "student_id": s}
                                                  for a, s in roster.aliases.items()])
