"""`make bench QUICK=1` runs every benchmark and writes valid results; no timing is checked here."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import bench
from bench import __main__ as runner
from bench import report

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_quick_run_writes_valid_results(tmp_path):
    committed = report.RECORD.read_bytes()
    run = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"python -m bench --quick failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    results = json.loads((tmp_path / "results.json").read_text())
    bench.validate(results, "results.json")
    record = report.load_record(tmp_path / "record.json")
    assert record["quick"] is True and record["results"] == results
    assert set(record["benchmarks"]) == set(runner.discover()), "a benchmark module did not run"
    for name in record["benchmarks"]:
        assert name in run.stdout, f"no table printed for bench/{name}.py"
    assert {path.name for path in (tmp_path / "figures").iterdir()} >= {"optimizers.png", "training.png", "book.png"}
    assert report.RECORD.read_bytes() == committed, "a quick run must never touch the committed record"


def test_committed_record_is_a_full_run_the_book_can_show():
    record = report.load_record()  # validates every entry
    assert record["quick"] is False
    assert {"cpu", "cores", "numpy", "torch"} <= set(record["machine"])
    assert {"optimizers", "training", "book"} <= set(record["benchmarks"])


def test_discover_finds_every_module_with_run_and_nothing_else():
    modules = runner.discover()
    assert {"optimizers", "training", "book"} <= set(modules)
    assert "report" not in modules  # no run(): a helper, not a benchmark
    assert all(callable(module.run) for module in modules.values())


def test_the_figures_know_every_optimizer_benchmarked():
    from bench import optimizers

    assert tuple(optimizers.OPTIMIZERS) == report.OPTIMIZERS


def test_a_record_needs_a_full_run(capsys):
    assert runner.main(["--quick", "--record", "somewhere.json"]) == 2
    assert "--record needs a full run" in capsys.readouterr().err
    assert runner.main(["no_such_benchmark"]) == 2
    assert "unknown benchmark(s) ['no_such_benchmark']" in capsys.readouterr().err


@pytest.mark.parametrize("bad, message", [
    ({"name": "x", "ours": 1.0, "baseline": 2.0, "baseline_name": "y", "unit": "s"}, "exactly the fields"),
    ({"name": "x", "ours": 1.0, "baseline": 2.0, "baseline_name": "y", "unit": "s", "ratio": 0.4}, "not ours / baseline"),
    ({"name": "x", "ours": "1", "baseline": 2.0, "baseline_name": "y", "unit": "s", "ratio": 0.5}, "finite number"),
    ({"name": "x", "ours": 1.0, "baseline": 0.0, "baseline_name": "y", "unit": "s", "ratio": 0.5}, "baseline > 0"),
    ({"name": "", "ours": 1.0, "baseline": 2.0, "baseline_name": "y", "unit": "s", "ratio": 0.5}, "non-empty string"),
])
def test_validate_says_what_is_wrong(bad, message):
    with pytest.raises(ValueError, match=message):
        bench.validate([bench.entry("fine", 1, 2, "y", "s"), bad])


def test_entry_ratio_is_ours_over_baseline():
    assert bench.entry("x", 3, 4, "y", "ms")["ratio"] == 0.75
    with pytest.raises(ValueError, match="expected a list"):
        bench.validate({"name": "x"})


def test_importing_nbformat_builds_no_parser():
    """jsonschema 4.24+ (through jupyter-events' format-nongpl extra) imports rfc3987-syntax, which builds Lark
    parsers for 0.75 s in every process that imports nbformat: each chapter (myst_nb.glue), each grading process.
    requirements.txt pins jsonschema 4.23.0 for that; a re-freeze that brings it back fails here, not in a timing."""
    code = "import sys, nbformat, myst_nb; print(sorted({'lark', 'rfc3987_syntax'} & set(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "[]", f"importing nbformat imported {run.stdout.strip()}: see requirements.txt's jsonschema"
