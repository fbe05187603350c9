"""Submissions from an LMS download: the zip Canvas or Moodle (or a JupyterHub export) gives, unpacked into
`<student_id>/<file>` folders, as nbgrader's `zip_collect` does.

Students are keyed by the LMS's own id, never by their name: Canvas's user id
(`<login>_[LATE_]<user id>_<submission id>_<file>`), Moodle's participant number
(`<Full Name>_<participant>_assignsubmission_file_[/]<file>`, and `Participant_<n>_...` under blind marking).
The folder is the roster's id for that LMS id when a roster knows it (`roster`), else the login or the name
(Unicode kept, NFC); two LMS ids that would share one folder stop the run with the list. Each file's zip time
and Canvas's `LATE_` marker are kept in `lms.csv`; an LMS stamps every entry with the time of the download, so
zip times time a deadline only when asked (`grade --zip-times`). Files that are not notebooks are unpacked
beside them and reported; names that fit no pattern are listed.
"""

import csv
import datetime
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

from autograder.course import UsageError
from autograder.records import csvsafe
from autograder.records.submissions import STUDENT_ID, normal_id

CANVAS = re.compile(r"^(?P<login>[^/]+?)_(?P<late>LATE_|late_)?(?P<canvas>\d+)_\d+_(?P<file>[^/]+)$")
MOODLE = re.compile(r"^(?P<name>[^/_]+)_(?P<moodle>\d+)_assignsubmission_(?:file|onlinetext)_/?(?:[^/]+/)*"
                    r"(?P<file>[^/]+)$")
PLAIN = re.compile(r"^(?:[^/]+/)?(?P<student>[^/]+)/(?P<file>[^/]+)$")
LMS_CSV = "lms.csv"  # beside the unpacked folders: each student's LMS id and name, each file's time
EXPECTED = ("expected Canvas names (<login>_<id>_<id>_<slug>.ipynb), Moodle names "
            "(<Full Name>_<id>_assignsubmission_file_/<slug>.ipynb) or <student_id>/<slug>.ipynb")
MAX_FILE = 50 * 2**20
MAX_TOTAL = 2 * 2**30
RESUBMISSION = re.compile(r"-(\d+)(\.[A-Za-z0-9]+)$")  # Canvas numbers resubmissions: x-1.ipynb


def _display(text):
    """A name as a folder name: NFC, lower case, spaces as `_`, only letters (any script), digits and _ . @ + -."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    return re.sub(r"[^\w.@+-]+", "_", text).strip("_")


def parse(name):
    """`{"key", "student", "lms", "lms_id", "name", "late", "file", "resubmission"}` for a member of the zip,
    or None when its name fits no known pattern. `key` is the LMS's own id (`canvas:101`, `moodle:42`)."""
    name = unicodedata.normalize("NFC", name)
    found = CANVAS.match(name)
    if found and "/" not in name:
        who = {"key": f"canvas:{found['canvas']}", "student": _display(found["login"]), "lms": "canvas",
               "lms_id": found["canvas"], "name": found["login"], "late": bool(found["late"])}
    elif (found := MOODLE.match(name)):
        blind = found["name"].strip().lower() == "participant"
        who = {"key": f"moodle:{found['moodle']}", "lms": "moodle", "lms_id": found["moodle"],
               "student": f"participant_{found['moodle']}" if blind else _display(found["name"]),
               "name": found["name"].strip(), "late": False}
    elif (found := PLAIN.match(name)):
        who = {"key": normal_id(found["student"]), "student": normal_id(found["student"]), "lms": "", "lms_id": "",
               "name": "", "late": False}
    else:
        return None
    number = RESUBMISSION.search(found["file"])
    who["file"] = RESUBMISSION.sub(r"\2", found["file"]) if who["lms"] == "canvas" else found["file"]
    who["resubmission"] = int(number[1]) if number and who["lms"] == "canvas" else 0
    return who if STUDENT_ID.match(who["student"]) or who["lms"] else None


def match(name, slugs=()):
    """`(student_id, file name)` for a member of the zip, or None when its name fits no known pattern."""
    who = parse(name)
    return (who["student"], who["file"]) if who and STUDENT_ID.match(who["student"]) else None


def identity(name):
    """`{"lms", "lms_id", "name"}` the LMS put in a zip member's name, or None for a plain `<student_id>/<file>`."""
    who = parse(name)
    return {k: who[k] for k in ("lms", "lms_id", "name")} if who and who["lms"] else None


def zip_records(destination):
    """`{(student, file name): {"lms", "lms_id", "name", "zip_time", "late", ...}}` that `collect_zip` kept."""
    with open(Path(destination) / LMS_CSV, newline="", encoding="utf-8") as handle:
        return {(r["student_id"], r["file"]): r for r in csv.DictReader(handle)}


def _folders(members, resolve):
    """`{LMS key: student id}`: the roster's id, else the login or name; a collision is an error."""
    folders, names = {}, {}
    for who in members:
        folder = resolve(who) or who["student"]
        if not STUDENT_ID.match(folder):
            folder = f"{who['lms']}-{who['lms_id']}"
        folders[who["key"]] = folder
        names.setdefault(folder, {})[who["key"]] = who["name"] or who["key"]
    clashes = {f: keys for f, keys in names.items() if len(keys) > 1}
    if clashes:
        listed = "; ".join(f"{f}: {', '.join(f'{n} ({k})' for k, n in sorted(keys.items()))}"
                           for f, keys in sorted(clashes.items()))
        raise UsageError(f"two or more LMS ids would be one student ({listed}): give --roster (the LMS's own export) "
                         "or --aliases so each id has its own student, then grade again")
    return folders


def collect_zip(zip_path, destination, slugs, resolve=lambda who: None, log=print):
    """Unpack the files of `zip_path` into `destination/<student_id>/` (emptied first); return `destination`.

    `resolve(member)` may give the roster's id for a member (`parse`)."""
    zip_path, destination = Path(zip_path), Path(destination)
    try:
        archive = zipfile.ZipFile(zip_path)
    except (OSError, zipfile.BadZipFile) as error:
        raise UsageError(f"cannot read {str(zip_path)!r} as a zip file ({error})") from None
    latest, total, times = {}, 0, set()
    with archive:
        for member in archive.infolist():
            if member.is_dir() or member.filename.startswith("__MACOSX/") or "/." in f"/{member.filename}":
                continue
            who = parse(member.filename)
            if ".." in Path(member.filename).parts or member.filename.startswith("/") or who is None:
                kind = "notebook" if member.filename.endswith(".ipynb") else "file"
                log(f"collect: cannot tell whose {kind} {member.filename!r} is: {EXPECTED}; skipped")
                continue
            if member.file_size > MAX_FILE or total + member.file_size > MAX_TOTAL:
                log(f"collect: {member.filename!r} is too large ({member.file_size:,} bytes); skipped")
                continue
            total += member.file_size
            times.add(member.date_time)
            order = (member.date_time, who["resubmission"])
            previous = latest.get((who["key"], who["file"]))
            if previous is None or order >= previous[0]:
                latest[(who["key"], who["file"])] = (order, member, who)  # the last resubmission wins
        if not any(f.endswith(".ipynb") for _, f in latest):
            raise UsageError(f"no notebook in {str(zip_path)!r} has a name it can match: {EXPECTED}")
        folders = _folders([who for _, _, who in latest.values()], resolve)
        shutil.rmtree(destination, ignore_errors=True)
        kept = []
        for (key, filename), (_, member, who) in sorted(latest.items()):
            target = destination / folders[key] / filename
            target.parent.mkdir(parents=True, exist_ok=True)
            problem = ""
            try:
                target.write_bytes(archive.read(member))
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
                problem = f"{filename} is corrupt in {zip_path.name} ({type(error).__name__}: {str(error)[:100]})"
                log(f"collect: {folders[key]}: {problem}; that row says so")  # that student's reason, not the run's
            when = datetime.datetime(*member.date_time, tzinfo=datetime.timezone.utc).isoformat()
            kept.append([folders[key], filename, who["lms"], who["lms_id"], who["name"], when,
                         "LATE" if who["late"] else "", problem])
    destination.mkdir(parents=True, exist_ok=True)
    csvsafe.write(destination / LMS_CSV, ["student_id", "file", "lms", "lms_id", "name", "zip_time", "late", "problem"],
                  kept)
    students = {row[0] for row in kept}
    log(f"collect: {sum(r[1].endswith('.ipynb') for r in kept)} notebook(s) and "
        f"{sum(not r[1].endswith('.ipynb') for r in kept)} other file(s) of {len(students)} student(s) "
        f"from {zip_path.name}")
    if len(times) == 1 and len(latest) > 1:
        log(f"collect: every entry of {zip_path.name} has the same time ({datetime.datetime(*times.pop())}): "
            "the time the LMS built the zip, not when anyone handed in")
    return destination
