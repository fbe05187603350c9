"""Submissions from an LMS download: the zip Canvas, Moodle (or a JupyterHub export) gives, unpacked into
`<student_id>/<slug>.ipynb` folders, as nbgrader's `zip_collect` does. Names it cannot match are reported.
The LMS's own ids and each file's time (read as UTC) are kept in `lms.csv`, to match rosters and time deadlines."""

import csv
import datetime
import re
import zipfile
from pathlib import Path

from autograder.course import UsageError
from autograder.records.submissions import STUDENT_ID

# Canvas: <login>_[LATE_]<user id>_<submission id>_<file>; Moodle: <Full Name>_<id>_assignsubmission_file_[/]<file>;
# a plain export: <student_id>/<file>.
PATTERNS = [
    re.compile(r"^(?P<student>[A-Za-z0-9.@+-]+)_(?:LATE_|late_)?(?P<canvas>\d+)_\d+_(?P<file>[^/]+)$"),
    re.compile(r"^(?P<student>[^/_]+)_(?P<moodle>\d+)_assignsubmission_file_/?(?:[^/]+/)*(?P<file>[^/]+)$"),
    re.compile(r"^(?:[^/]+/)?(?P<student>[^/]+)/(?P<file>[^/]+\.ipynb)$"),
]
LMS_CSV = "lms.csv"  # beside the unpacked folders: each student's LMS id and name, each notebook's time
EXPECTED = ("expected Canvas names (<login>_<id>_<id>_<slug>.ipynb), Moodle names "
            "(<Full Name>_<id>_assignsubmission_file_/<slug>.ipynb) or <student_id>/<slug>.ipynb")
MAX_FILE = 50 * 2**20
MAX_TOTAL = 2 * 2**30


def match(name, slugs):
    """`(student_id, file name)` for a member of the zip, or None when its name fits no known pattern."""
    for pattern in PATTERNS:
        found = pattern.match(name)
        if found:
            student = re.sub(r"[^A-Za-z0-9_.@+-]+", "_", found["student"].strip()).strip("_").lower()
            filename = re.sub(r"-\d+(\.ipynb)$", r"\1", found["file"])  # Canvas numbers resubmissions: x-1.ipynb
            return (student, filename) if STUDENT_ID.match(student) else None
    return None


def identity(name):
    """`{"lms", "lms_id", "name"}` the LMS put in a zip member's name (Canvas: its user ID; Moodle: the
    participant number and full name), or None for a plain `<student_id>/<file>`."""
    for pattern in PATTERNS[:2]:
        found = pattern.match(name)
        if found:
            lms = "canvas" if found.groupdict().get("canvas") else "moodle"
            return {"lms": lms, "lms_id": found[lms], "name": found["student"].strip()}
    return None


def _write_identities(destination, latest):
    with open(destination / LMS_CSV, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "file", "lms", "lms_id", "name", "submitted"])
        for (student, filename), member in sorted(latest.items()):
            who = identity(member.filename) or {"lms": "", "lms_id": "", "name": ""}
            when = datetime.datetime(*member.date_time, tzinfo=datetime.timezone.utc).isoformat()
            writer.writerow([student, filename, who["lms"], who["lms_id"], who["name"], when])


def zip_records(destination):
    """`{(student, file name): {"lms", "lms_id", "name", "submitted", ...}}` that `collect_zip` kept."""
    with open(Path(destination) / LMS_CSV, newline="") as handle:
        return {(r["student_id"], r["file"]): r for r in csv.DictReader(handle)}


def collect_zip(zip_path, destination, slugs, log=print):
    """Unpack the notebooks of `zip_path` into `destination/<student_id>/`; return `destination`."""
    zip_path, destination = Path(zip_path), Path(destination)
    try:
        archive = zipfile.ZipFile(zip_path)
    except (OSError, zipfile.BadZipFile) as error:
        raise UsageError(f"cannot read {str(zip_path)!r} as a zip file ({error})") from None
    latest, total = {}, 0
    with archive:
        for member in archive.infolist():
            if member.is_dir() or member.filename.startswith("__MACOSX/") or not member.filename.endswith(".ipynb"):
                continue
            found = match(member.filename, slugs)
            if ".." in Path(member.filename).parts or member.filename.startswith("/") or found is None:
                log(f"collect: cannot tell whose notebook {member.filename!r} is: {EXPECTED}; skipped")
                continue
            if member.file_size > MAX_FILE or total + member.file_size > MAX_TOTAL:
                log(f"collect: {member.filename!r} is too large ({member.file_size:,} bytes); skipped")
                continue
            total += member.file_size
            previous = latest.get(found)
            if previous is None or member.date_time >= previous.date_time:
                latest[found] = member  # the last resubmission wins
        if not latest:
            raise UsageError(f"no notebook in {str(zip_path)!r} has a name it can match: {EXPECTED}")
        for (student, filename), member in sorted(latest.items()):
            target = destination / student / filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(member))
    _write_identities(destination, latest)
    log(f"collect: {len(latest)} notebook(s) of {len({s for s, _ in latest})} student(s) from {zip_path.name}")
    return destination
