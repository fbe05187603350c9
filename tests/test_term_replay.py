"""A term replayed end to end, as `instructors.md` walks it: three assignments from three channels (a Canvas zip,
a Moodle zip, nbgrader's `submitted/` tree), a roster of 12 (nbgrader's `student import` CSV) with one
student who hands nothing in, one person under three channel ids, deadlines that belong to their assignments,
an extension, a regrade, hand scores, and the exports: `grades.csv`, the Canvas and Moodle CSVs compared cell
by cell, and `report.html` in Chromium. Every command runs from another folder with relative paths, as users
type them. The expected scores come from the notebooks' own points (model answers earn every autograded point;
untouched notebooks none), so they follow the exercises as they change."""

import csv
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from notebook_cells import ROOT

A1, A2, A3 = "01_mini_batches", "02_exponentially_weighted_averages", "04_learning_rate_decay"
WRITTEN = {A1: "explain_batch_size", A2: "explain_bias_correction", A3: "explain_warmup_adam"}
DOWNLOADED = (2026, 12, 12, 9, 14, 3)  # every entry of an LMS zip: when the instructor downloaded it
# id, first name, last name, e-mail, Canvas user id, Canvas login (its file names), Moodle participant, hub login
CLASS = [
    ("ngalice", "Alice", "Ng", "alice.ng@uni.example", 1001, "ngalice", 501, "aliceng"),
    ("bakerben", "Ben", "Baker", "ben.baker@uni.example", 1002, "bakerben", 502, "bakerben"),
    ("chencai", "Cai", "Chen", "cai.chen@uni.example", 1003, "chencai", 503, "chencai"),
    ("rossilucia", "Lucía", "Rossi", "lucia.rossi@uni.example", 1004, "rossilucía", 504, "rossilucia"),
    ("muellerjoerg", "Jörg", "Müller", "joerg@uni.example", 1005, "müllerjörg", 505, "muellerjoerg"),
    ("muellerjuerg", "Jürg", "Müller", "juerg@uni.example", 1006, "müllerjürg", 506, "muellerjuerg"),
    ("smithjohn1", "John", "Smith", "john.smith1@uni.example", 1007, "smithjohn", 507, "smithjohn1"),
    ("smithjohn2", "John", "Smith", "john.smith2@uni.example", 1008, "smithjohn", 508, "smithjohn2"),
    ("wangxiaoming", "小明", "王", "xm.wang@uni.example", 1009, "王小明", 509, "wangxiaoming"),
    ("okaforada", "Ada", "Okafor", "ada.okafor@uni.example", 1010, "okaforada", 510, "okaforada"),
    ("petrovivan", "Ivan", "Petrov", "ivan.petrov@uni.example", 1011, "petrovivan", 511, "petrovivan"),
    ("silvanoa", "Noa", "Silva", "noa.silva@uni.example", 1012, "silvanoa", 512, "silvanoa"),  # hands nothing in
]
IDS = [c[0] for c in CLASS]
ESSAY = "Smaller batches give noisier gradients but more updates per epoch."


def meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def points(slug):
    """(autograded points, hand-graded points) of an assignment, from its solution notebook."""
    cells = [meta(c) for c in nbformat.read(ROOT / "solutions" / f"{slug}.ipynb", as_version=4).cells]
    auto = sum(m.get("points", 0) for m in cells if m.get("grade") and not m.get("solution"))
    return float(auto), float(sum(m.get("points", 0) for m in cells if m.get("grade") and m.get("solution")))


def cli(cwd, *args):
    """`python -m autograder ARGS` in `cwd`, with the course copy's grader (as if installed from it)."""
    env = {**os.environ, "PYTHONPATH": str(cwd.parent / "course"),
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env=env)


def handed_in(course, slug, kind, essay=None):
    """The released notebook with the model answers ("model") or untouched; the written answer a stub
    unless `essay`."""
    notebook = nbformat.read(course / "notebooks" / f"{slug}.ipynb", as_version=4)
    model = {meta(c)["grade_id"]: "".join(line for line in c.source.splitlines(keepends=True) if "### " not in line)
             for c in nbformat.read(course / "solutions" / f"{slug}.ipynb", as_version=4).cells
             if meta(c).get("solution")}
    for cell in notebook.cells:
        grade_id = meta(cell).get("grade_id")
        if grade_id == WRITTEN[slug]:
            cell.source = essay or cell.source
        elif kind == "model" and grade_id in model:
            cell.source = model[grade_id]
    return nbformat.writes(notebook)


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("term replay")  # a space in every path
    course = tmp / "course"
    for part in ("autograder", "trainfaster"):
        shutil.copytree(ROOT / part, course / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(ROOT / "pyproject.toml", course / "pyproject.toml")  # release reads the student package's name
    (course / "solutions").mkdir()
    for slug in (A1, A2, A3):
        shutil.copyfile(ROOT / "solutions" / f"{slug}.ipynb", course / "solutions" / f"{slug}.ipynb")
    here = tmp / "instructor"  # where the instructor types the commands
    here.mkdir()
    assert cli(here, "release").returncode == 0
    inbox = tmp / "Übungen 2026"
    inbox.mkdir()
    with open(inbox / "students.csv", "w", newline="") as handle:  # nbgrader's `student import` CSV
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "email", "lms_user_id"])
        writer.writerows([c[0], c[1], c[2], c[3], c[4]] for c in CLASS)
    (inbox / "aliases.csv").write_text("alias,student_id\naliceng,ngalice\nmoodle:507,smithjohn1\n"
                                       "moodle:508,smithjohn2\nmoodle:509,wangxiaoming\n", encoding="utf-8")
    # A1 from Canvas: every entry stamped with the download time; Cai's marked LATE_; Ada uploaded HTML only;
    # Ivan resubmitted (-1); the two John Smiths share a login, not a user id; Noa nothing.
    canvas = {"muellerjuerg": "untouched", "smithjohn2": "untouched", "okaforada": None, "silvanoa": None}
    with zipfile.ZipFile(inbox / "submissions (1).zip", "w") as archive:
        for student, *_, canvas_id, login, _, _ in CLASS:
            kind = canvas.get(student, "model")
            late = "LATE_" if student == "chencai" else ""
            name = f"{login}_{late}{canvas_id}_{canvas_id + 8000}_{A1}"
            if student == "okaforada":
                archive.writestr(zipfile.ZipInfo(f"{name}.html", DOWNLOADED), "<p>my notebook</p>")
            elif kind:
                essay = ESSAY if student == "ngalice" else None
                archive.writestr(zipfile.ZipInfo(f"{name}.ipynb", DOWNLOADED), handed_in(course, A1, kind, essay))
                if student == "petrovivan":
                    archive.writestr(zipfile.ZipInfo(f"{name}-1.ipynb", DOWNLOADED), handed_in(course, A1, kind))
    # A2 from Moodle (download in folders): full names; Ivan's untouched; Noa nothing.
    with zipfile.ZipFile(inbox / "EWA-12345.zip", "w") as archive:
        for student, first, last, *_, participant, _ in CLASS:
            if student != "silvanoa":
                name = f"{first}{last}" if student == "wangxiaoming" else f"{first} {last}"
                name = "王小明" if student == "wangxiaoming" else name
                archive.writestr(zipfile.ZipInfo(f"{name}_{participant}_assignsubmission_file_/{A2}.ipynb", DOWNLOADED),
                                 handed_in(course, A2, "untouched" if student == "petrovivan" else "model"))
    (inbox / "moodle times.csv").write_text(f"student_id,assignment,submitted\nbakerben,{A2},2026-12-10T10:00:00+01:00\n")
    (inbox / "extensions.csv").write_text(f"student_id,days,assignment\nbakerben,1,{A2}\n")
    # A3 from the hub: nbgrader's submitted/ tree, timestamps in CET; Jürg's notebook a link; Ivan's timestamp
    # not UTF-8; Cai left a scratch file.
    hub = tmp / "hub" / "submitted"
    stamps = {"ngalice": "2026-12-10 23:30:00.000000 CET",  # on time (22:30 UTC); late if read as UTC
              "wangxiaoming": "2026-12-11 00:30:00.000000 CET"}  # 31 minutes late
    for student, *_, hub_login in CLASS:
        if student == "silvanoa":
            continue
        folder = hub / hub_login / A3
        folder.mkdir(parents=True)
        if student == "muellerjuerg":
            (folder / f"{A3}.ipynb").symlink_to(course / "solutions" / f"{A3}.ipynb")
        else:
            (folder / f"{A3}.ipynb").write_text(handed_in(course, A3, "model"))
        if student == "petrovivan":
            (folder / "timestamp.txt").write_bytes(b"2026-12-10 \xff\xfe CET")
        else:
            (folder / "timestamp.txt").write_text(stamps.get(student, "2026-12-10 12:00:00.000000 CET"))
    (hub / "chencai" / A3 / "scratch.txt").write_text("notes")

    out = "../term out"
    logs = {}
    logs["deadline"] = cli(here, "assignment", A1, "--out", out, "--deadline", "2026-12-01T23:59:00+01:00",
                           "--late-penalty", "10")
    logs["A1"] = cli(here, "grade", "../Übungen 2026/submissions (1).zip", "--out", out, "--jobs", "2",
                     "--roster", "../Übungen 2026/students.csv", "--aliases", "../Übungen 2026/aliases.csv")
    a1_rows = read(tmp / "term out" / "grades.csv")
    logs["A2"] = cli(here, "grade", "../Übungen 2026/EWA-12345.zip", "--out", out, "--jobs", "2",
                     "--deadline", "2026-12-08T23:59:00+01:00", "--late-penalty", "10",
                     "--submitted-times", "../Übungen 2026/moodle times.csv",
                     "--extensions", "../Übungen 2026/extensions.csv")
    a2_grades = read(tmp / "term out" / "grades.csv")
    logs["A3"] = cli(here, "grade", "../hub/submitted", "--out", out, "--jobs", "2",
                     "--deadline", "2026-12-10T23:59:00+01:00", "--late-penalty", "10")
    logs["regrade"] = cli(here, "grade", "../Übungen 2026/submissions (1).zip", "--out", out, "--jobs", "2")
    for step, done in logs.items():
        assert done.returncode == 0, (step, done.stdout[-3000:], done.stderr[-3000:])
    (inbox / "hand.csv").write_text(f"student_id,assignment,grade_id,score\nngalice,{A1},{WRITTEN[A1]},1.5\n")
    logs["export"] = cli(here, "export", "--out", out, "--manual-scores", "../Übungen 2026/hand.csv", "--feedback")
    assert logs["export"].returncode == 0, logs["export"].stderr
    return tmp, logs, a1_rows, a2_grades


def expected_rows():
    """grades.csv as it must be, row by row (after the hand score)."""
    rows = []
    for student in sorted(IDS):
        for slug in (A1, A2, A3):
            auto, hand = points(slug)
            row = {"student_id": student, "assignment": slug, "score": auto, "max_score": auto + hand, "reason": "",
                   "notes": "", "late_by": "0", "penalty": 0.0, "status": "final"}
            if student == "silvanoa":
                row.update(score=0, reason="no submission", late_by="", penalty="")
            elif (student, slug) == ("okaforada", A1):
                row.update(score=0, late_by="", penalty="", reason=f"missing notebook {A1}.ipynb; handed in only "
                           f"{A1}.html (the .ipynb notebook is what is graded)")
            elif (student, slug) in {("muellerjuerg", A1), ("smithjohn2", A1), ("petrovivan", A2)}:
                row.update(score=0)  # untouched
            elif (student, slug) == ("muellerjuerg", A3):
                row.update(score=0, late_by="", penalty="",
                           reason=f"{A3}.ipynb is a symbolic link, refused: hand in the file itself")
            elif (student, slug) == ("petrovivan", A3):
                row.update(score=0, late_by="", penalty="",
                           reason="timestamp.txt is not UTF-8 text: fix or remove it, then grade again")
            elif (student, slug) == ("chencai", A1):  # Canvas's LATE_: one day at 10%
                row.update(score=auto * 0.9, late_by="late (time unknown)", penalty=auto * 0.1)
            elif (student, slug) == ("bakerben", A2):  # 10 h after the extended deadline: one day
                row.update(score=auto * 0.9, late_by="0d 10:01:00", penalty=auto * 0.1)
            elif (student, slug) == ("wangxiaoming", A3):
                row.update(score=auto * 0.9, late_by="0d 00:31:00", penalty=auto * 0.1)
            elif (student, slug) == ("ngalice", A1):
                row.update(score=auto + 1.5)
            rows.append(row)
    return rows


def cells(row):
    from autograder.records import csvsafe

    return [csvsafe.cell(row[c]) for c in ("student_id", "assignment", "score", "max_score", "reason", "notes",
                                           "late_by", "penalty", "status")]


def test_grades_csv_cell_by_cell(term):
    tmp, logs, _, _ = term
    got = read(tmp / "term out" / "grades.csv")
    assert got[0] == ["student_id", "assignment", "score", "max_score", "reason", "notes", "late_by", "penalty",
                      "status"]
    want = [cells(r) for r in expected_rows()]
    assert len(got) - 1 == len(want) == 36
    for mine, theirs in zip(got[1:], want):
        assert mine == theirs


def test_grading_one_assignment_never_touches_another(term):
    tmp, logs, a1_rows, a2_grades = term
    assert [r for r in a2_grades if r[1] == A1] == a1_rows[1:]  # the Moodle zip left A1 as it was
    assert "regraded: 12 notebook(s)" in logs["regrade"].stdout and A2 not in logs["regrade"].stdout.split("regraded")[1]


def test_the_run_says_what_it_could_not_trust(term):
    _, logs, _, _ = term
    assert "every entry of submissions (1).zip has the same time" in logs["A1"].stdout
    assert "1 notebook(s) carry Canvas's LATE_ marker" in logs["A1"].stdout
    assert "roster: 12 student(s)" in logs["A1"].stdout
    assert f"chencai/{A3}: scratch.txt" in logs["A3"].stdout
    assert "NOT in the roster" not in logs["A1"].stdout + logs["A2"].stdout + logs["A3"].stdout


def test_canvas_and_moodle_exports_cell_by_cell(term):
    tmp, _, _, _ = term
    here = tmp / "instructor"
    auto1, hand1 = points(A1)
    auto2, hand2 = points(A2)
    auto3, hand3 = points(A3)
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", f"Mini-batches {A1} (7001)",
              "Exponentially weighted averages (7002)", f"Schedules {A3} (7004)", "Current Score"]
    roster = [header, ["    Points Possible", "", "", "", "", f"{auto1 + hand1:g}", f"{auto2 + hand2:g}", "10", "(read only)"]]
    roster += [[f"{last}, {first}", str(canvas_id), f"S{canvas_id}", student, "A", "", "", "", ""]
               for student, first, last, _, canvas_id, *_ in CLASS]
    with open(tmp / "canvas roster.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(roster)
    done = cli(here, "export", "--out", "../term out", "--format", "canvas", "--roster", "../canvas roster.csv",
               "--column", f"{A2}=Exponentially weighted averages", "--csv", "../canvas import.csv")
    assert done.returncode == 0, done.stderr
    by_key = {(r["student_id"], r["assignment"]): r for r in expected_rows()}
    got = read(tmp / "canvas import.csv")
    assert got[:2] == roster[:2]
    for line, (student, *_) in zip(got[2:], CLASS):
        want = [by_key[(student, slug)]["score"] for slug in (A1, A2, A3)]
        want[2] = min(want[2], 10.0)  # the column holds 10 points: capped, and said
        assert line[5:8] == [f"{round(v, 4):g}" for v in want], student
    assert "capped at the column's points" in done.stdout and "NOT in the roster" not in done.stdout
    (tmp / "moodle roster.csv").write_text("Identifier,Full name,Email address\n" + "".join(
        f"Participant {c[6]},{c[1]} {c[2]},{c[3]}\n" for c in CLASS), encoding="utf-8")
    done = cli(here, "export", "--out", "../term out", "--format", "moodle", "--roster", "../moodle roster.csv",
               "--csv", "../moodle import.csv")
    assert done.returncode == 0, done.stderr
    got = read(tmp / "moodle import.csv")
    assert got[0] == ["Email address", A1, A2, A3]
    assert got[1:] == [[c[3]] + [f"{round(by_key[(c[0], s)]['score'], 4):g}" for s in (A1, A2, A3)] for c in CLASS]


def test_the_report_rebuilt_from_the_gradebook_shows_the_class(term, browser):
    tmp, _, _, _ = term
    (tmp / "term out" / "report.html").unlink()
    done = cli(tmp / "instructor", "report", "--out", "../term out")
    assert done.returncode == 0, done.stderr
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((tmp / "term out" / "report.html").as_uri())
    rows = page.eval_on_selector_all("table.sortable tbody tr", "rows => rows.map(r => r.cells[0].textContent)")
    assert rows == sorted(IDS) and not errors
    assert "12 students, 36 notebooks, 6 not graded (missing or refused), 0 waiting for manual grading" in \
        page.inner_text("body")
    page.click(f"table.sortable th:nth-child(3)")  # sort by A1's score: the lowest first
    first = page.eval_on_selector("table.sortable tbody tr", "r => r.cells[0].textContent")
    assert first in {"muellerjuerg", "okaforada", "silvanoa", "smithjohn2"}
    cell = page.inner_text(f"table.sortable tbody tr:has(td:text-is('chencai')) td:nth-child(3)")
    assert "late late (time unknown)" in cell or "late (time unknown)" in cell
    link = page.get_attribute("table.sortable tbody tr:has(td:text-is('ngalice')) td:nth-child(3) a", "href")
    assert link == f"feedback/ngalice/{A1}.html" and (tmp / "term out" / link).is_file()
    page.screenshot(path=str(tmp / "report.png"), full_page=True)
    page.close()
