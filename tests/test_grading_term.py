"""A whole term on a small class: a Canvas zip graded with a deadline, a late penalty and an extension,
a written answer graded by hand (CSV), the Canvas and Moodle exports, the report in Chromium, the
Gradescope bundle run in its `/autograder` layout, and `--shard auto` under Slurm and Kubernetes.

The course is a copy of this one with exercise 1 only: 11 autograded points and a written answer graded by
hand (`explain_batch_size`, 2 points)."""

import csv
import datetime
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from notebook_cells import ROOT
from test_grading import GD, MB_FROM_REFERENCE, PREDICT, SLUG, meta, model_mb

DEADLINE = "2026-11-20T23:59:00+00:00"
WRITTEN = "explain_batch_size"  # exercise 1's written answer, 2 points
CANVAS_IDS = {"smithalice": 101, "jonesbob": 102, "leecarol": 103, "kimdave": 104, "ngerin": 105}


def run(course, *args):
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=course, capture_output=True,
                          text=True, env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})


def make_course(folder):
    """This course's grader and library, and exercise 1 (solution, and the student version it releases)."""
    for part in ("autograder", "trainfaster"):
        shutil.copytree(ROOT / part, folder / part, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("requirements.txt", "pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, folder / name)
    (folder / "solutions").mkdir()
    shutil.copyfile(ROOT / "solutions" / f"{SLUG}.ipynb", folder / "solutions" / f"{SLUG}.ipynb")
    released = run(folder, "release")
    assert released.returncode == 0, released.stderr
    assert meta(next(c for c in nbformat.read(folder / "notebooks" / f"{SLUG}.ipynb", as_version=4).cells
                     if meta(c).get("grade_id") == WRITTEN))["points"] == 2
    return folder


def handed_in(course, gd=None, mb=None, written=None, predict=None):
    notebook = nbformat.read(course / "notebooks" / f"{SLUG}.ipynb", as_version=4)
    answers = {"update_parameters_with_gd": gd, "random_mini_batches": mb, "predict_mini_batches": predict,
               WRITTEN: written}
    for cell in notebook.cells:
        if answers.get(meta(cell).get("grade_id")) is not None:
            cell.source = answers[meta(cell)["grade_id"]]
    notebook.cells = [c for c in notebook.cells if meta(c) or c.cell_type != "code"]  # no experiment: faster
    return nbformat.writes(notebook)


def read_csv(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    """The class, graded from a Canvas zip: times of submission are the zip's (`--zip-times`: this zip keeps
    real ones, unlike a real LMS download; `test_term_lms` grades those)."""
    tmp = tmp_path_factory.mktemp("term")
    course = make_course(tmp / "course")
    mb, essay = model_mb(), "Without shuffling every epoch sees the same batches in the same order."
    work = {  # student: (notebook, handed in at); autograded: gd 2, mb 3, predict 2 points
        "smithalice": (handed_in(course, GD, mb, essay, PREDICT), (2026, 11, 20, 12, 0, 0)),  # on time
        "jonesbob": (handed_in(course), (2026, 11, 20, 13, 0, 0)),  # untouched: 0, nothing to grade by hand
        "leecarol": (handed_in(course, GD, None, essay, PREDICT), (2026, 11, 22, 11, 59, 0)),  # 36 h late: 2 days
        "kimdave": (handed_in(course, GD, mb, essay, PREDICT), (2026, 11, 21, 2, 59, 0)),  # 3 h late, 1 day's extension
        "ngerin": (handed_in(course, GD, MB_FROM_REFERENCE, None, PREDICT), (2026, 11, 21, 0, 30, 0)),  # 31 min late: 1 day;
        # not in the Canvas roster; copies the reference implementation (an integrity flag)
    }
    with zipfile.ZipFile(tmp / "submissions.zip", "w") as archive:
        for student, (text, when) in work.items():
            archive.writestr(zipfile.ZipInfo(f"{student}_{CANVAS_IDS[student]}_9{CANVAS_IDS[student]}_{SLUG}.ipynb",
                                             date_time=when), text)
    (tmp / "extensions.csv").write_text("student_id,days\nkimdave,1\n")
    graded = run(course, "grade", tmp / "submissions.zip", "--out", tmp / "out", "--jobs", "2",
                 "--deadline", DEADLINE, "--late-penalty", "10", "--extensions", tmp / "extensions.csv", "--zip-times")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    return course, tmp, graded


def by_student(rows):
    return {r["student_id"]: r for r in rows}


def test_late_submissions_are_penalised_and_extensions_honoured(term):
    _, tmp, _ = term
    rows = by_student(read_csv(tmp / "out" / "grades.csv"))
    assert (rows["leecarol"]["late_by"], rows["leecarol"]["penalty"], rows["leecarol"]["score"]) == \
        ("1d 12:00:00", "0.8", "3.2")  # 4 of 11 autograded points, 20% off: 2 days (or part of one) at 10% a day
    # gd's 2 and the prediction's 2; the imported (withheld) reference earns nothing; 10% off for 31 minutes
    assert (rows["ngerin"]["late_by"], rows["ngerin"]["penalty"], rows["ngerin"]["score"]) == ("0d 00:31:00", "0.4", "3.6")
    assert (rows["kimdave"]["late_by"], rows["kimdave"]["penalty"]) == ("0", "0")  # the extension
    assert (rows["smithalice"]["late_by"], rows["smithalice"]["score"], rows["smithalice"]["max_score"]) == ("0", "7", "13")
    page = (tmp / "out" / "feedback" / "leecarol" / f"{SLUG}.html").read_text()
    assert "1d 12:00:00 after the deadline" in page and "20% of 4 points, 0.8 points, taken off" in page
    waits = "are graded by hand: this score does not include them yet"  # the page's note (the cell says "graded by hand")
    assert "Score: 3.2 / 13" in page and waits in page
    assert waits not in (tmp / "out" / "feedback" / "jonesbob" / f"{SLUG}.html").read_text()  # a stub


def test_written_answers_wait_for_manual_grading_then_count(term):
    course, tmp, _ = term
    rows = by_student(read_csv(tmp / "out" / "grades.csv"))
    assert rows["smithalice"]["status"] == f"needs manual grading: {WRITTEN} (2 points)"
    assert rows["jonesbob"]["status"] == "final"  # the stub answer scores 0 without a grader
    assert rows["ngerin"]["status"] == "final"  # no written answer either
    (tmp / "manual.csv").write_text(f"student_id,assignment,grade_id,score\nsmithalice,{SLUG},{WRITTEN},1.5\n"
                                    f"leecarol,{SLUG},{WRITTEN},2\n")
    exported = run(course, "export", "--out", tmp / "out", "--manual-scores", tmp / "manual.csv",
                   "--csv", tmp / "all.csv", "--feedback")
    assert exported.returncode == 0, exported.stderr
    rows = by_student(read_csv(tmp / "all.csv"))
    assert (rows["smithalice"]["score"], rows["smithalice"]["status"]) == ("8.5", "final")
    assert (rows["leecarol"]["score"], rows["leecarol"]["penalty"]) == ("4.8", "1.2")  # 20% of 4 + 2 points
    assert rows["kimdave"]["status"].startswith("needs manual grading")
    assert "rewrote 5 feedback page(s)" in exported.stdout
    page = lambda student: (tmp / "out" / "feedback" / student / f"{SLUG}.html").read_text()  # noqa: E731
    assert "Score: 8.5 / 13" in page("smithalice") and "graded by hand: 1.5 / 2 points" in page("smithalice")
    assert "Score: 4.8 / 13" in page("leecarol") and "20% of 6 points, 1.2 points, taken off" in page("leecarol")
    assert "graded by hand: this score does not include them yet" in page("kimdave")


def test_canvas_roster_filled_and_moodle_csv(term):
    course, tmp, _ = term
    assignment = f"Exercise 1: {SLUG} (5501)"
    (tmp / "canvas.csv").write_text(
        f"Student,ID,SIS User ID,SIS Login ID,Section,{assignment},Current Score\n"
        "    Points Possible,,,,,9.00,(read only)\n"
        '"Smith, Alice",101,S1,asmith,A,,\n'  # matched by the Canvas ID kept from the zip
        '"Jones, Bob",999,S2,jonesbob,A,,\n'  # by SIS login
        '"Lee, Carol",998,S3,clee,A,3,\n'  # by name
        '"Kim, Dave",104,S4,dkim,A,,\n'  # matched, but waits for manual grading
        '"Park, Fay",106,S6,fpark,A,,\n')  # handed nothing in
    exported = run(course, "export", "--out", tmp / "out", "--format", "canvas", "--roster", tmp / "canvas.csv",
                   "--csv", tmp / "canvas_import.csv")
    assert exported.returncode == 0, exported.stderr
    with open(tmp / "canvas_import.csv", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0][5] == assignment and table[1][5] == "9.00"
    scores = {row[0]: row[5] for row in table[2:]}
    assert scores == {"Smith, Alice": "8.5", "Jones, Bob": "0", "Lee, Carol": "4.8", "Kim, Dave": "", "Park, Fay": ""}
    assert "NOT in the roster, not exported: ngerin (01_mini_batches)" in exported.stdout
    assert "needs manual grading: kimdave (01_mini_batches)" in exported.stdout
    assert "1 student(s) of the roster have no grade in this gradebook" in exported.stdout  # Fay: said, not silent
    (tmp / "moodle_roster.csv").write_text("First name,Last name,Username,Email address\n"
                                          "Alice,Smith,smithalice,alice@example.org\nErin,Ng,ngerin,erin@example.org\n")
    exported = run(course, "export", "--out", tmp / "out", "--format", "moodle", "--roster", tmp / "moodle_roster.csv",
                   "--csv", tmp / "moodle.csv")
    assert exported.returncode == 0, exported.stderr
    assert (tmp / "moodle.csv").read_text().splitlines() == [f"Email address,{SLUG}", "alice@example.org,8.5",
                                                             "erin@example.org,3.6"]
    for student in ("jonesbob", "leecarol", "kimdave"):
        assert student in exported.stdout.split("NOT in the roster")[1]


def test_bad_input_gets_one_line(term):
    course, tmp, _ = term
    (tmp / "bad_roster.csv").write_text("Name,Score\nAlice,3\n")
    (tmp / "bad_ext.csv").write_text("student_id,days\nkimdave,tomorrow\n")
    cases = [(("export", "--out", tmp / "out", "--format", "canvas", "--roster", tmp / "bad_roster.csv"),
              "not a Canvas gradebook export"),
             (("export", "--out", tmp / "out", "--format", "moodle"), "needs --roster"),
             (("export", "--db-url", f"sqlite:///{tmp}/none.db", "--feedback"), "--feedback needs --out OUT"),
             (("export", "--out", tmp / "out", "--manual-scores", tmp / "bad_ext.csv"), "expected the header"),
             (("grade", tmp / "submissions.zip", "--out", tmp / "o", "--deadline", "next friday", "--late-penalty", "5"),
              "is not an ISO-8601 date"),
             (("grade", tmp / "submissions.zip", "--out", tmp / "o", "--deadline", DEADLINE, "--late-penalty", "5",
               "--extensions", tmp / "bad_ext.csv"), "line 2: days 'tomorrow' is not a number"),
             (("grade", tmp / "submissions.zip", "--out", tmp / "o", "--deadline", DEADLINE), "needs --late-penalty"),
             (("grade", tmp / "submissions.zip", "--out", tmp / "o", "--shard", "auto"), "neither SLURM_ARRAY_TASK_ID")]
    for args, says in cases:
        result = run(course, *args)
        assert result.returncode == 2 and says in result.stderr and result.stderr.count("\n") == 1, (args, result.stderr)


def test_the_report_in_chromium(term, browser):
    _, tmp, graded = term
    page_path = tmp / "out" / "report.html"
    assert "report:" in graded.stdout
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_path.as_uri())
    images = page.evaluate("() => [...document.images].map(i => i.complete && i.naturalWidth > 300)")
    text = page.inner_text("body")
    page.screenshot(path=str(tmp / "report.png"), full_page=True)
    page.close()
    assert images == [True, True, True] and not errors
    assert "moves along the gradient" not in text  # nobody handed that mistake in
    # export rebuilds the report: once the hand scores are entered (test above: all.csv), two fewer wait
    waiting = 1 if (tmp / "all.csv").exists() else 3
    assert f"5 students, 5 notebooks, 0 not graded (missing or refused), {waiting} waiting for manual grading" in text
    assert "not attempted (the stub raises NotImplementedError)\t2" in text  # random_mini_batches: bob and carol
    assert "imports the reference implementation\t1" in text and "from trainfaster.minibatch import" in text


def test_gradescope_bundle_in_its_autograder_layout(term, tmp_path):
    course, _, _ = term
    built = run(course, "gradescope", SLUG, "--out", tmp_path / "autograder.zip")
    assert built.returncode == 0, built.stderr
    home = tmp_path / "autograder"
    with zipfile.ZipFile(tmp_path / "autograder.zip") as archive:
        names = set(archive.namelist())
        archive.extractall(home / "source")
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
    assert {"setup.sh", "run_autograder", f"course/solutions/{SLUG}.ipynb", "course/requirements.txt"} <= names
    assert not [n for n in names if n.startswith("course/tests/") or "02_" in n]
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    setup = (home / "source" / "setup.sh").read_text()
    assert subprocess.run(["bash", "-n", home / "source" / "setup.sh"]).returncode == 0
    assert "apt-get install -y --no-install-recommends bubblewrap" in setup and "requirements-gradescope.txt" in setup
    shutil.copy(home / "source" / "run_autograder", home / "run_autograder")  # as Gradescope does
    os.chmod(home / "run_autograder", 0o755)

    def gradescope(upload):
        shutil.rmtree(home / "submission", ignore_errors=True)
        shutil.rmtree(home / "results", ignore_errors=True)
        (home / "submission").mkdir()
        (home / "results").mkdir()
        for name, text in upload.items():
            (home / "submission" / name).write_text(text)
        done = subprocess.run(["bwrap", "--bind", "/", "/", "--dev-bind", "/dev", "/dev", "--bind", home,
                               "/autograder", "/autograder/run_autograder"], capture_output=True, text=True,
                              env={**os.environ, "AUTOGRADER_PYTHON": sys.executable})
        assert done.returncode == 0, done.stdout + done.stderr
        return json.loads((home / "results" / "results.json").read_text())

    fixed_rate = GD.replace("learning_rate * grads", "0.1 * grads")  # passes the visible test, not the hidden
    stub = "def random_mini_batches(X, Y, mini_batch_size=64, seed=0):\n    return [(X, Y)]\n"
    results = gradescope({f"{SLUG}.ipynb": handed_in(course, fixed_rate, stub)})
    (tmp_path.parent / "results.json").write_text(json.dumps(results, indent=2))  # for a person to look at
    tests = {t["name"]: t for t in results["tests"]}
    assert list(tests) == ["test_update_parameters_with_gd", "test_random_mini_batches", "test_predict_mini_batches",
                           "test_gradient_noise_scale", "test_predict_highest_cost"]
    assert all(t["visibility"] == "visible" and set(t) >= {"name", "score", "max_score", "output"} for t in tests.values())
    assert [t["max_score"] for t in tests.values()] == [2, 3, 2, 3, 1]
    assert "mini_batches has 1 items; expected 3" in tests["test_random_mini_batches"]["output"]
    hidden = tests["test_update_parameters_with_gd"]["output"]
    assert "the hidden tests failed (1 point): update_parameters_with_gd: every W and b moves against its gradient" in hidden
    assert tests["test_update_parameters_with_gd"]["score"] == 1  # the visible part's point, as `grade` gives
    assert "layers" not in hidden and "learning_rate=" not in hidden and "reference" not in json.dumps(results)
    assert results["score"] == sum(t["score"] for t in results["tests"])  # grade's score: the cells' sum
    assert "graded by hand" in results["output"]
    missing = gradescope({"homework1.ipynb": handed_in(course), "01_minibatches.ipynb": handed_in(course)})
    assert missing["score"] == 0 and missing["tests"] == []
    assert f"rename 01_minibatches.ipynb to {SLUG}.ipynb" in missing["output"]


@pytest.mark.parametrize("name, expected", [
    (f"smithalice_101_9101_{SLUG}.ipynb", {"lms": "canvas", "lms_id": "101", "name": "smithalice"}),
    (f"smithalice_LATE_101_9101_{SLUG}-1.ipynb", {"lms": "canvas", "lms_id": "101", "name": "smithalice"}),
    (f"Carol Jones_789_assignsubmission_file_/{SLUG}.ipynb", {"lms": "moodle", "lms_id": "789", "name": "Carol Jones"}),
    (f"jdoe/{SLUG}.ipynb", None),
])
def test_the_lms_ids_in_a_zip_are_kept(name, expected):
    from autograder.records.collect import identity

    assert identity(name) == expected


SLURM = {"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "0"}


@pytest.mark.parametrize("env, shards, expected", [
    (SLURM, None, (4, 4)),
    ({**SLURM, "SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "1"}, None, (1, 4)),  # --array=1-4
    ({"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "0",
      "SLURM_ARRAY_TASK_STEP": "2"}, None, (3, 3)),  # --array=0-4:2
    ({"JOB_COMPLETION_INDEX": "0"}, 5, (1, 5)),
    ({"JOB_COMPLETION_INDEX": "4"}, 5, (5, 5)),
])
def test_shard_auto_reads_the_scheduler(env, shards, expected):
    from autograder.records.shards import resolve_shard

    assert resolve_shard("auto", shards, env) == expected


@pytest.mark.parametrize("env, shards, says", [
    ({}, None, "neither SLURM_ARRAY_TASK_ID"),
    ({"JOB_COMPLETION_INDEX": "2"}, None, "needs --shards N"),
    ({"JOB_COMPLETION_INDEX": "5"}, 5, "outside 0..4"),
    ({"JOB_COMPLETION_INDEX": "x"}, 5, "is not a whole number"),
    (SLURM, 3, "disagrees with the Slurm array's 4 tasks"),
    ({**SLURM, "SLURM_ARRAY_TASK_ID": "9"}, None, "is not one of the array's 4 tasks"),
])
def test_shard_auto_errors(env, shards, says):
    from autograder.course import UsageError
    from autograder.records.shards import resolve_shard

    with pytest.raises(UsageError, match=says):
        resolve_shard("auto", shards, env)


def test_nbgrader_timestamp_times_a_folder_submission(tmp_path):
    from autograder.records.deadlines import Policy, parse_time, timestamp

    (tmp_path / "timestamp.txt").write_text("2026-11-21 10:00:00.000000 UTC")
    when = timestamp(tmp_path / "timestamp.txt")
    assert when == datetime.datetime(2026, 11, 21, 10, tzinfo=datetime.timezone.utc)
    policy = Policy(parse_time(DEADLINE), 40, {})
    assert policy.lateness("x", SLUG, when).percent == 40  # 10 h 1 min late: part of a day
    assert policy.lateness("x", SLUG, when + datetime.timedelta(days=2)).percent == 100  # 3 days: capped


def test_the_guide_s_slurm_script_and_kubernetes_manifest():
    """The instructor guide's scheduler files: the shell script parses, the manifest is an Indexed Job whose
    completions are the --shards it passes, and both grade with --shard auto into PostgreSQL."""
    import re

    import yaml

    guide = (ROOT / "instructors.md").read_text()
    [script] = [b for b in re.findall(r"```bash\n(.*?)```", guide, re.S) if "#SBATCH --array" in b]
    assert subprocess.run(["bash", "-n"], input=script, text=True).returncode == 0
    assert "--shard auto" in script and "--db-url postgresql://" in script
    [manifest] = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", guide, re.S)]
    spec = manifest["spec"]
    command = spec["template"]["spec"]["containers"][0]["command"]
    assert manifest["kind"] == "Job" and spec["completionMode"] == "Indexed"
    assert command[command.index("--shards") + 1] == str(spec["completions"]) and "auto" in command
    assert any(a.startswith("postgresql://") for a in command)
