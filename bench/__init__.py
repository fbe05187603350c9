"""Benchmarks of the course: `make bench` (or `python -m bench`) runs them side by side.

Each benchmark is a module `bench/<name>.py` with a function `run(quick: bool) -> list[dict]`; the runner
(`bench/__main__.py`) finds them all. Each entry compares one measurement of ours with one baseline:

    {"name": ..., "ours": float, "baseline": float, "baseline_name": ..., "unit": ..., "ratio": ours / baseline}

Every unit is a cost (seconds, milliseconds per step, ...), so a ratio below 1 means ours is faster.
`quick=True` runs a small, fast variant that only proves the benchmark works (`make test` runs it).
"""

import math
import time

#: The fields of every entry, in the order the table and the JSON show them.
FIELDS = ("name", "ours", "baseline", "baseline_name", "unit", "ratio")


def entry(name, ours, baseline, baseline_name, unit):
    """One result: `ours` against `baseline`, both in `unit` (a cost: lower is better)."""
    return {"name": name, "ours": float(ours), "baseline": float(baseline), "baseline_name": baseline_name,
            "unit": unit, "ratio": float(ours) / float(baseline)}


def validate(entries, source="results"):
    """Raise a one-line ValueError unless `entries` is a list of well-formed entries; return it."""
    if not isinstance(entries, list):
        raise ValueError(f"{source}: expected a list of entries, got {type(entries).__name__}")
    for index, item in enumerate(entries):
        where = f"{source}[{index}]"
        if not isinstance(item, dict) or set(item) != set(FIELDS):
            got = sorted(item) if isinstance(item, dict) else type(item).__name__
            raise ValueError(f"{where}: an entry has exactly the fields {list(FIELDS)}, got {got}")
        for field in ("name", "baseline_name", "unit"):
            if not isinstance(item[field], str) or not item[field]:
                raise ValueError(f"{where}: {field!r} must be a non-empty string, got {item[field]!r}")
        for field in ("ours", "baseline", "ratio"):
            value = item[field]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{where} ({item['name']}): {field!r} must be a finite number, got {value!r}")
        if item["baseline"] <= 0 or item["ours"] < 0:
            raise ValueError(f"{where} ({item['name']}): need ours >= 0 and baseline > 0")
        if not math.isclose(item["ratio"], item["ours"] / item["baseline"], rel_tol=1e-9):
            raise ValueError(f"{where} ({item['name']}): ratio {item['ratio']} is not ours / baseline")
    return entries


def best_times(functions, repeat, number=1, clock=time.process_time):
    """The best (smallest) seconds per call of each function in `functions = {label: f}`.

    The functions take turns (`repeat` rounds, each calling every function `number` times in a row), so a
    burst of load from other processes hits them all alike; the minimum is the least disturbed round.
    The default clock counts the CPU time of this process, so time other processes take is left out:
    right for the single-threaded benchmarks; use `time.perf_counter` for wall-clock time.
    """
    best = dict.fromkeys(functions, math.inf)
    for _ in range(repeat):
        for label, function in functions.items():
            start = clock()
            for _ in range(number):
                function()
            best[label] = min(best[label], (clock() - start) / number)
    return best
