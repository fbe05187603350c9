"""After shards: the merged report from a PostgreSQL gradebook alone, and `export --feedback` on it."""

import os
import subprocess

from notebook_cells import ROOT
from test_grading_scale import autograder, postgres, read_csv, small_class  # noqa: F401 (postgres: a fixture)


def test_the_merged_report_and_feedback_after_shards(tmp_path, postgres):  # noqa: F811
    expected = small_class(tmp_path / "class")
    for k in (1, 2):
        done = subprocess.run([os.sys.executable, "-m", "autograder", "grade", tmp_path / "class", "--out",
                               tmp_path / f"out{k}", "--jobs", "1", "--db-url", postgres, "--shard", f"{k}/2"],
                              cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    done = autograder("report", "--db-url", postgres, "--out", tmp_path / "merged")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "merged" / "report.html").read_text()
    assert f"{len(expected)} students, {len(expected)} notebooks" in page
    assert all(f"<td>{student}</td>" in page for student in expected)
    assert "not attempted (the stub raises NotImplementedError)" in page  # bob's mistakes, kept in the gradebook
    mine = read_csv(tmp_path / "out1" / "grades.csv")
    done = autograder("export", "--db-url", postgres, "--out", tmp_path / "out1", "--feedback",
                      "--csv", tmp_path / "all.csv")
    assert done.returncode == 0, done.stderr
    graded = [s for s in mine if not mine[s]["reason"]]
    assert f"rewrote {len(graded)} feedback page(s)" in done.stdout
    assert set(read_csv(tmp_path / "all.csv")) == set(expected)  # the whole class, not this machine's part
