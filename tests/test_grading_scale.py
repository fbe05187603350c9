"""Beyond one machine: shards of one class graded into one real PostgreSQL gradebook (a server started
from Debian's packages on a temporary data folder and a loopback port, stopped afterwards), `export`, and
the zip an LMS gives for download."""

import csv
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import zipfile
from pathlib import Path

import nbformat
import pytest

from notebook_cells import ROOT
from test_grading import GD, SLUG, autograder, student_notebook

NOBODY = 65534


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL server; its URL. Runs as `nobody` when the tests run as root (initdb refuses root)."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    assert binaries, "PostgreSQL is not installed: apt-get install postgresql (.ci/run does)"
    bin_dir = Path(binaries[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="autograder-pg-"))
    as_user = []
    if os.geteuid() == 0:
        os.chown(folder, NOBODY, NOBODY)
        as_user = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    subprocess.run([*as_user, bin_dir / "initdb", "-D", folder / "data", "-U", "grader", "--auth=trust",
                    "--no-locale", "-E", "UTF8"], check=True, capture_output=True, env=env, cwd=folder)
    subprocess.run([*as_user, bin_dir / "pg_ctl", "-D", folder / "data", "-l", folder / "log", "-w", "-o",
                    f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True, env=env, cwd=folder)
    try:
        yield f"postgresql://grader@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, bin_dir / "pg_ctl", "-D", folder / "data", "-m", "immediate", "stop"],
                       capture_output=True, env=env, cwd=folder)
        shutil.rmtree(folder, ignore_errors=True)


def small_class(folder):
    """alice: full marks (11 autograded, her written answer waits for its grader); bob: untouched; carol: one
    function right; dave: no notebook."""
    notebooks = {"alice": nbformat.read(ROOT / "solutions" / f"{SLUG}.ipynb", as_version=4),
                 "bob": student_notebook(), "carol": student_notebook(gd=GD)}
    notebooks["alice"].cells = [c for c in notebooks["alice"].cells if c.metadata.get("nbgrader") or c.cell_type != "code"]
    for student, notebook in notebooks.items():
        (folder / student).mkdir(parents=True)
        nbformat.write(notebook, folder / student / f"{SLUG}.ipynb")
    (folder / "dave").mkdir()
    return {"alice": "11", "bob": "0", "carol": "2", "dave": "0"}


def read_csv(path):
    with open(path) as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def test_shards_on_many_machines_fill_one_postgresql_gradebook(tmp_path, postgres):
    expected = small_class(tmp_path / "class")
    machines = [subprocess.Popen(  # two "machines" at once, as a Slurm array or a Kubernetes Job would start them
        [os.sys.executable, "-m", "autograder", "grade", tmp_path / "class", "--out", tmp_path / f"out{k}",
         "--jobs", "1", "--db-url", postgres, "--shard", f"{k}/2"], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True) for k in (1, 2)]
    for machine in machines:
        stdout, stderr = machine.communicate(timeout=600)
        assert machine.returncode == 0, stdout + stderr
    shards = [set(read_csv(tmp_path / f"out{k}" / "grades.csv")) for k in (1, 2)]
    assert not shards[0] & shards[1] and shards[0] | shards[1] == set(expected)
    run = autograder("export", "--db-url", postgres, "--csv", tmp_path / "grades.csv")
    assert run.returncode == 0, run.stderr
    merged = read_csv(tmp_path / "grades.csv")
    assert {s: r["score"] for s, r in merged.items()} == expected
    assert "missing notebook" in merged["dave"]["reason"]


def test_an_lms_zip_is_graded_and_unmatched_names_are_reported(tmp_path):
    solution = (ROOT / "solutions" / f"{SLUG}.ipynb").read_text()
    untouched = nbformat.writes(student_notebook())
    with zipfile.ZipFile(tmp_path / "submissions.zip", "w") as archive:
        archive.writestr(f"alice_123_456_{SLUG}.ipynb", solution)  # Canvas
        archive.writestr(f"bob_LATE_124_457_{SLUG}-1.ipynb", untouched)  # Canvas, late resubmission
        archive.writestr(f"Carol Jones_789_assignsubmission_file_/{SLUG}.ipynb", nbformat.writes(student_notebook(gd=GD)))
        archive.writestr("homework.ipynb", untouched)
    run = autograder("grade", tmp_path / "submissions.zip", "--out", tmp_path / "out", "--jobs", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "cannot tell whose notebook 'homework.ipynb' is" in run.stdout
    rows = read_csv(tmp_path / "out" / "grades.csv")
    assert {s: r["score"] for s, r in rows.items()} == {"alice": "11", "bob": "0", "carol_jones": "2"}
    alice = nbformat.read(tmp_path / "out" / "course" / "autograded" / "alice" / SLUG / f"{SLUG}.ipynb", as_version=4)
    assert "not run while grading" in alice.cells[-2].outputs[0].text  # the experiment, after the last test


def test_export_from_an_out_folder_and_bad_input(tmp_path):
    run = autograder("export", "--out", tmp_path)
    assert run.returncode == 2 and "no gradebook" in run.stderr
    (tmp_path / "bad.zip").write_text("not a zip")
    run = autograder("grade", tmp_path / "bad.zip", "--out", tmp_path / "out")
    assert run.returncode == 2 and "cannot read" in run.stderr and run.stderr.count("\n") == 1
    run = autograder("grade", tmp_path, "--out", tmp_path / "o", "--shard", "3/2")
    assert run.returncode == 2 and "--shard 3/2" in run.stderr
