"""Real LMS files, without grading (fast): the names Canvas's and Moodle's bulk downloads give, identities by the
LMS's own id, rosters, aliases, nbgrader's timestamps in any zone, CSV cells a spreadsheet would run, the
Canvas export's points, and paths as users type them.

File names as the LMSs write them: Canvas "Download Submissions" names each file
`<login>_[LATE_]<user id>_<submission id>_<original name>` (a resubmission gets `-1`, `-2` before the extension)
and stamps every entry with the download time; Moodle's "Download all submissions" names
`<Full Name>_<participant>_assignsubmission_file_/<original name>` (with "Download submissions in folders") or
without the slash, `Participant_<n>_...` under blind marking (`mod/assign/locallib.php`, `download_submissions`).
"""

import csv
import datetime
import zipfile

import pytest

from autograder.course import UsageError

SLUG = "01_mini_batches"
EMPTY = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
UTC = datetime.timezone.utc


@pytest.mark.parametrize("name, expected", [
    (f"rossilucía_LATE_2041_88123_{SLUG}-1.ipynb",
     {"key": "canvas:2041", "student": "rossilucía", "late": True, "file": f"{SLUG}.ipynb"}),
    (f"smithjohn_1007_9007_{SLUG}.ipynb", {"key": "canvas:1007", "student": "smithjohn", "late": False}),
    (f"Jörg Müller_417_assignsubmission_file_/{SLUG}.ipynb", {"key": "moodle:417", "student": "jörg_müller"}),
    (f"Jörg Müller_417_assignsubmission_file_{SLUG}.ipynb", {"key": "moodle:417", "file": f"{SLUG}.ipynb"}),
    (f"王小明_418_assignsubmission_file_/{SLUG}.ipynb", {"key": "moodle:418", "student": "王小明"}),
    (f"Participant_4170_assignsubmission_file_/{SLUG}.ipynb", {"key": "moodle:4170", "student": "participant_4170"}),
    ("Ada Okafor_419_assignsubmission_onlinetext_onlinetext.html", {"key": "moodle:419", "file": "onlinetext.html"}),
    (f"aliceng/{SLUG}.ipynb", {"key": "aliceng", "lms": ""}),
])
def test_real_lms_names_give_the_lms_own_id(name, expected):
    from autograder.records.collect import parse

    found = parse(name)
    assert {k: found[k] for k in expected} == expected


def test_decomposed_accents_are_one_student():
    from autograder.records.collect import parse

    nfd = "Jo\u0308rg Mu\u0308ller"  # as a Mac zips it
    assert parse(f"{nfd}_417_assignsubmission_file_/{SLUG}.ipynb")["student"] == "jörg_müller"


def zip_of(path, names, when=(2026, 12, 12, 9, 14, 3)):
    """An LMS download: every entry stamped with the same time, the moment the zip was built."""
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(zipfile.ZipInfo(name, date_time=when), '{"cells": []}')
    return path


def test_two_people_with_one_name_stop_the_run_with_the_list(tmp_path):
    from autograder.records.collect import collect_zip

    archive = zip_of(tmp_path / "a.zip", [f"John Smith_501_assignsubmission_file_/{SLUG}.ipynb",
                                          f"John Smith_502_assignsubmission_file_/{SLUG}.ipynb"])
    with pytest.raises(UsageError, match=r"john_smith: John Smith \(moodle:501\), John Smith \(moodle:502\)"):
        collect_zip(archive, tmp_path / "out", [SLUG], log=lambda line: None)
    folders = {"moodle:501": "smithjohn1", "moodle:502": "smithjohn2"}
    collect_zip(archive, tmp_path / "out", [SLUG], lambda who: folders[who["key"]], log=lambda line: None)
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir()) == ["smithjohn1", "smithjohn2"]


def test_blind_marking_keeps_every_participant_and_similar_names_stay_apart(tmp_path):
    from autograder.records.collect import collect_zip

    lines = []
    archive = zip_of(tmp_path / "a.zip", [f"Participant_{n}_assignsubmission_file_/{SLUG}.ipynb" for n in (1, 2, 3)]
                     + [f"Jörg Muster_7_assignsubmission_file_/{SLUG}.ipynb",
                        f"Jürg Muster_8_assignsubmission_file_/{SLUG}.ipynb",
                        f"Alice_9_assignsubmission_file_/{SLUG}.ipynb", f"alice2_10_assignsubmission_file_/{SLUG}.ipynb"])
    collect_zip(archive, tmp_path / "out", [SLUG], log=lines.append)
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir()) == [
        "alice", "alice2", "jörg_muster", "jürg_muster", "participant_1", "participant_2", "participant_3"]
    assert any("every entry of a.zip has the same time" in line for line in lines)


def test_a_corrupt_member_is_that_student_s_reason(tmp_path):
    from autograder.records.collect import collect_zip, zip_records

    archive = zip_of(tmp_path / "a.zip", [f"good_1_11_{SLUG}.ipynb", f"bad_2_12_{SLUG}.ipynb"])
    data = bytearray(archive.read_bytes())
    at = data.rfind(b'{"cells": []}')  # the second member's bytes: its CRC no longer matches
    data[at:at + 3] = b"XXX"
    archive.write_bytes(bytes(data))
    folder = collect_zip(archive, tmp_path / "out", [SLUG], log=lambda line: None)
    records = zip_records(folder)
    assert "corrupt" in records[("bad", f"{SLUG}.ipynb")]["problem"] and not records[("good", f"{SLUG}.ipynb")]["problem"]


@pytest.mark.parametrize("text, expected", [
    ("2026-12-10 23:30:00.000000 CET", datetime.datetime(2026, 12, 10, 22, 30, tzinfo=UTC)),
    ("2026-07-10 23:30:00.000000 CEST", datetime.datetime(2026, 7, 10, 21, 30, tzinfo=UTC)),
    ("2026-12-10 23:30:00.000000 Europe/Berlin", datetime.datetime(2026, 12, 10, 22, 30, tzinfo=UTC)),
    ("2026-12-10 23:30:00.000000 +0100", datetime.datetime(2026, 12, 10, 22, 30, tzinfo=UTC)),
    ("2026-12-10 17:30:00.000000 EST", datetime.datetime(2026, 12, 10, 22, 30, tzinfo=UTC)),
    ("2026-12-10 22:30:00.000000 UTC", datetime.datetime(2026, 12, 10, 22, 30, tzinfo=UTC)),
])
def test_nbgrader_timestamps_in_any_zone(tmp_path, text, expected):
    from autograder.records.deadlines import timestamp

    (tmp_path / "timestamp.txt").write_text(text)
    assert timestamp(tmp_path / "timestamp.txt") == expected


@pytest.mark.parametrize("content, says", [
    (b"\xff\xfe2026", "not UTF-8"), (b"yesterday", "not an ISO-8601"), (b"2026-12-10 23:30:00 XYZT", "unknown time zone"),
])
def test_a_bad_timestamp_is_a_one_line_reason(tmp_path, content, says):
    from autograder.records.deadlines import timestamp

    (tmp_path / "timestamp.txt").write_bytes(content)
    with pytest.raises(UsageError, match=says):
        timestamp(tmp_path / "timestamp.txt")


def test_a_symlinked_timestamp_is_refused(tmp_path):
    from autograder.records.deadlines import timestamp

    (tmp_path / "real.txt").write_text("2026-12-10 23:30:00 UTC")
    (tmp_path / "timestamp.txt").symlink_to(tmp_path / "real.txt")
    with pytest.raises(UsageError, match="symbolic link"):
        timestamp(tmp_path / "timestamp.txt")


def test_canvas_late_marker_without_a_time_counts_one_day():
    from autograder.records.deadlines import Policy, parse_time

    late = Policy(parse_time("2026-12-01T23:59:00+01:00"), 10, {}).lateness("x", SLUG, None, marked_late=True)
    assert (late.percent, late.late_by(), late.days()) == (10, "late (time unknown)", 1)
    assert "counts as 1 day" in late.describe(7, 9)


def test_rosters_of_nbgrader_canvas_and_moodle(tmp_path):
    from autograder.records.roster import load, load_aliases, name_key

    (tmp_path / "nbgrader.csv").write_text("id,first_name,last_name,email,lms_user_id\n"
                                           "ngalice,Alice,Ng,alice.ng@uni.example,1001\n"
                                           "rossilucia,Lucía,Rossi,lucia@uni.example,1004\n")
    roster = load(tmp_path / "nbgrader.csv")
    assert roster.resolve("canvas:1001") == "ngalice" and roster.resolve(name_key("Alice Ng")) == "ngalice"
    assert roster.resolve(name_key("Rossi, Lucía")) == "rossilucia" and roster.resolve("lucia") == "rossilucia"
    assert roster.resolve(name_key("Lucia Rossi")) is None  # accents matter: no guessing
    (tmp_path / "canvas.csv").write_text("Student,ID,SIS User ID,SIS Login ID,Section,Mini-batches (77)\n"
                                         "    Points Possible,,,,,9.00\n\"Ng, Alice\",1001,S1,ngalice,A,\n"
                                         "\"Student, Test\",1099,,,A,\n")
    roster = load(tmp_path / "canvas.csv")
    assert roster.resolve("canvas:1001") == "ngalice" and "canvas-1099" in roster.students
    (tmp_path / "moodle.csv").write_text("Identifier,Full name,Email address,Status\n"
                                         "Participant 501,Alice Ng,alice.ng@uni.example,Submitted\n")
    roster = load(tmp_path / "moodle.csv")
    assert roster.resolve("moodle:501") == "alice.ng"
    (tmp_path / "aliases.csv").write_text("alias,student_id\naliceng,alice.ng\nbob,nobody\n")
    with pytest.raises(UsageError, match=r"unknown student id\(s\) line 3: 'nobody'; the roster's ids are alice.ng"):
        load_aliases(tmp_path / "aliases.csv", roster)


def test_an_extension_for_an_unknown_id_is_refused_with_the_known_ones(tmp_path):
    from autograder.records.deadlines import load_extensions

    (tmp_path / "ext.csv").write_text("student_id,days\nkimdav,1\n")
    with pytest.raises(UsageError, match=r"unknown student id\(s\) 'kimdav' \(line 2\); known ids: jonesbob, kimdave"):
        load_extensions(tmp_path / "ext.csv", {"kimdave", "jonesbob"})


def test_every_csv_cell_a_spreadsheet_would_run_is_neutralized(tmp_path):
    from autograder.boundary import integrity
    from autograder.records import csvsafe, final

    integrity.write(tmp_path / "integrity.csv", [("alice", SLUG, "imports", '+HYPERLINK("http://x/?"&A2&B2)'),
                                                 ("bob", SLUG, "x", "=1+1"), ("carl", SLUG, "x", "@SUM(A1)"),
                                                 ("dan", SLUG, "x", "-2+3"), ("eve", SLUG, "x", "\t=1")])
    cells = [row[3] for row in csv.reader(open(tmp_path / "integrity.csv"))][1:]
    assert cells == ["'+HYPERLINK(\"http://x/?\"&A2&B2)", "'=1+1", "'@SUM(A1)", "'-2+3", "'\t=1"]
    row = {"student_id": "invalid-0123456789", "assignment": SLUG, "score": -1.5, "max_score": 9, "reason": "-x",
           "notes": "", "late_by": "", "penalty": "", "status": "final"}
    final.write(tmp_path / "grades.csv", [row])
    written = list(csv.DictReader(open(tmp_path / "grades.csv")))[0]
    assert (written["score"], written["reason"]) == ("-1.5", "'-x")  # numbers stay numbers
    assert csvsafe.cell("-3e-2") == "-3e-2" and csvsafe.cell("-") == "'-"


def test_an_invalid_folder_name_is_never_written_raw(tmp_path):
    from autograder.records.submissions import find_submissions

    for name in ("alice", "=HYPERLINK(1)", "+cmd"):
        (tmp_path / name).mkdir()
    (tmp_path / "alice" / f"{SLUG}.ipynb").write_text("{}")
    found = {s.student_id: s for s in find_submissions(tmp_path, [SLUG])}
    assert not any(s.startswith(("=", "+")) for s in found)
    bad = [s for s in found.values() if s.student_id.startswith("invalid-")]
    assert len(bad) == 2 and all("is not a valid id" in s.problem for s in bad)


def test_non_latin_and_accented_folders_are_students(tmp_path):
    from autograder.records.submissions import find_submissions

    for name in ("王小明", "lucía", "Jo\u0308rg"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{SLUG}.ipynb").write_text("{}")
    found = find_submissions(tmp_path, [SLUG])
    assert sorted(s.student_id for s in found) == ["Jörg", "lucía", "王小明"]  # NFC: "Jörg" from a Mac too
    assert all(not s.problem.startswith("student folder name") for s in found)


def test_the_hub_layout_is_read_as_it_is_and_links_are_refused(tmp_path):
    from autograder.records.submissions import find_submissions

    submitted = tmp_path / "course" / "submitted"
    for student in ("aliceng", "bakerben", "chencai", "okaforada"):
        (submitted / student / SLUG).mkdir(parents=True)
        (submitted / student / SLUG / "timestamp.txt").write_text("2026-12-10 23:30:00.000000 CET")
    (submitted / "aliceng" / SLUG / f"{SLUG}.ipynb").write_text(EMPTY)
    (submitted / "aliceng" / SLUG / "scratch.py").write_text("")
    (submitted / "bakerben" / SLUG / f"{SLUG}.ipynb").symlink_to(tmp_path / "elsewhere.ipynb")
    (submitted / "chencai" / SLUG / f"{SLUG}.ipynb").write_text("{}")
    (submitted / "chencai" / SLUG / "timestamp.txt").unlink()
    (submitted / "chencai" / SLUG / "timestamp.txt").symlink_to(tmp_path / "stamp")
    (submitted / "okaforada" / SLUG / f"{SLUG}.html").write_text("<p>")
    found = {s.student_id: s for s in find_submissions(tmp_path / "course", [SLUG])}
    assert found["aliceng"].timestamp.name == "timestamp.txt" and found["aliceng"].extras == ["scratch.py"]
    assert "symbolic link" in found["bakerben"].problem and "symbolic link" in found["chencai"].problem
    assert found["okaforada"].problem == (f"missing notebook {SLUG}.ipynb; handed in only {SLUG}.html "
                                          "(the .ipynb notebook is what is graded)")


def canvas_rows(scores, max_score=9.0):
    return [{"student_id": s, "assignment": SLUG, "score": v, "max_score": max_score, "reason": "", "notes": "",
             "late_by": "", "penalty": "", "status": "final"} for s, v in scores.items()]


def test_canvas_export_never_writes_more_than_the_column_holds(tmp_path):
    from autograder.records.lms_export import canvas

    (tmp_path / "canvas.csv").write_text("Student,ID,SIS User ID,SIS Login ID,Section,Homework 1 (5501)\n"
                                         "    Points Possible,,,,,5.00\n\"Ng, Alice\",1001,S1,ngalice,A,\n"
                                         "\"Baker, Ben\",1002,S2,bakerben,A,\n")
    with pytest.raises(UsageError, match=r"no such column.*Homework 1 \(5501\)"):
        canvas(canvas_rows({"ngalice": 9.0}), {}, tmp_path / "canvas.csv", tmp_path / "o.csv", names={SLUG: "HW1"})
    outcome = canvas(canvas_rows({"ngalice": 9.0, "bakerben": 4.5}), {}, tmp_path / "canvas.csv",
                     tmp_path / "o.csv", names={SLUG: "Homework 1"})
    table = list(csv.reader(open(tmp_path / "o.csv")))
    assert [r[5] for r in table[2:]] == ["5", "4.5"]
    assert any("capped at the column's points" in w and "ngalice (9)" in w for w in outcome.warnings)
    canvas(canvas_rows({"ngalice": 9.0, "bakerben": 4.5}), {}, tmp_path / "canvas.csv", tmp_path / "o.csv",
           rescale=True, names={SLUG: "Homework 1"})
    assert [r[5] for r in list(csv.reader(open(tmp_path / "o.csv")))[2:]] == ["5", "2.5"]


def test_paths_as_users_type_them(tmp_path, monkeypatch):
    from autograder.__main__ import _path

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert _path("../x y/Übung 1.zip") == tmp_path.parent / "x y" / "Übung 1.zip"
    assert _path("~/subs") == tmp_path / "home" / "subs"


def test_a_student_the_roster_does_not_know_is_kept_and_listed_and_non_submitters_get_a_row(tmp_path):
    from autograder.records import intake

    (tmp_path / "students.csv").write_text("id,first_name,last_name,email\nngalice,Alice,Ng,alice@uni.example\n"
                                           "silvanoa,Noa,Silva,noa@uni.example\n")
    (tmp_path / "aliases.csv").write_text("alias,student_id\naliceng,ngalice\n")
    hub = tmp_path / "submitted"
    for login in ("aliceng", "visitor7"):
        (hub / login / SLUG).mkdir(parents=True)
        (hub / login / SLUG / f"{SLUG}.ipynb").write_text(EMPTY)
    term = intake.Term(roster=tmp_path / "students.csv", aliases=tmp_path / "aliases.csv")
    taken = intake.gather(hub, tmp_path / "out", f"sqlite:///{tmp_path / 'gradebook.db'}", term, [SLUG],
                          log=lambda line: None)
    assert [(s.student_id, s.problem) for s in taken.class_] == [
        ("ngalice", ""), ("silvanoa", "no submission"), ("visitor7", "")]
    assert taken.unmatched == ["visitor7"] and "visitor7" in intake.summary(taken)[0]
    again = intake.gather(hub, tmp_path / "out", f"sqlite:///{tmp_path / 'gradebook.db'}", intake.Term(), [SLUG],
                          log=lambda line: None)  # the roster and aliases are kept in the gradebook
    assert [s.student_id for s in again.class_] == ["ngalice", "silvanoa", "visitor7"]


def test_extensions_are_checked_against_the_class_before_grading(tmp_path):
    from autograder.records import intake

    (tmp_path / "students.csv").write_text("id,first_name,last_name,email\nkimdave,Dave,Kim,d@uni.example\n")
    (tmp_path / "ext.csv").write_text("student_id,days\nkimdav,1\n")
    (tmp_path / "class" / "kimdave").mkdir(parents=True)
    (tmp_path / "class" / "kimdave" / f"{SLUG}.ipynb").write_text(EMPTY)
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    term = intake.Term(deadline="2026-12-01T23:59:00+01:00", late_penalty=10, extensions=tmp_path / "ext.csv",
                       roster=tmp_path / "students.csv")
    taken = intake.gather(tmp_path / "class", tmp_path / "out", db, term, [SLUG], log=lambda line: None)
    from autograder.course import make_course

    make_course(tmp_path / "out" / "course", db, [SLUG])
    with pytest.raises(UsageError, match="unknown student id.*'kimdav'.*known ids: kimdave"):
        intake.lateness(taken, db, term, log=lambda line: None)


def test_a_kernel_that_cannot_start_says_why(tmp_path, monkeypatch):
    """Finding 1's cause: the student's folder given as a relative path, which bubblewrap (started in the
    scratch folder) could not find. Now it is resolved first; a folder that is really missing is an error of the
    run with bubblewrap's own words, not a silent 0."""
    from autograder.boundary.remote import Kernel, KernelCannotStart
    from autograder.boundary.sandbox import Limits

    (tmp_path / "subs" / "alice").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    with Kernel("subs/alice", Limits(), use_sandbox=True):
        pass
    with pytest.raises(KernelCannotStart, match="could not start.*subs/ghost"):
        with Kernel("subs/ghost", Limits(), use_sandbox=True):
            pass


