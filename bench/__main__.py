"""`python -m bench [--quick] [--out DIR] [--record FILE] [NAME ...]`: run the benchmarks, print a table.

Runs every benchmark module `bench/<name>.py` that has `run(quick)` (or only the NAMEs given), then writes

- `DIR/results.json`: the list of entries (name, ours, baseline, baseline_name, unit, ratio);
- `DIR/record.json`: the same entries with the date, the machine and what was run;
- `DIR/figures/*.png`: the figures of the book's "How fast is it?" page, drawn from those entries;
- with `--record FILE` (a full run only): the record also to FILE, which the book page shows
  (`make bench` records into `bench/results/latest.json`; commit it to publish the numbers).
"""

import argparse
import importlib
import json
import os
import pkgutil
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import bench
from bench import report

DEFAULT_OUT = report.ROOT / "_build" / "bench"


class UsageError(Exception):
    """A mistake on the command line; printed as one line."""


def discover():
    """`{name: module}` of every benchmark module in `bench/`: public modules that define `run(quick)`."""
    modules = {}
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda info: info.name):
        if info.name.startswith("_") or info.ispkg:
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if callable(getattr(module, "run", None)):
            modules[info.name] = module
    return modules


def machine():
    """What the numbers were measured on: CPU, cores, memory, software versions, load."""
    import numpy
    import torch

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]
        cpu = names[0] if names else cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") if hasattr(os, "sysconf") else 0
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory / 2**30, 1),
            "system": platform.platform(), "python": platform.python_version(),
            "numpy": numpy.__version__, "torch": torch.__version__,
            "load_average_at_start": [round(load, 2) for load in os.getloadavg()]}


def _parser():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="a small, fast variant that only proves it all works")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    parser.add_argument("--record", type=Path, help="also write the record here (full runs only)")
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        modules = discover()
        unknown = sorted(set(args.names) - set(modules))
        if unknown:
            raise UsageError(f"unknown benchmark(s) {unknown}; choose from {sorted(modules)}")
        chosen = args.names or list(modules)
        if args.record and (args.quick or set(chosen) != set(modules)):
            raise UsageError("--record needs a full run: every benchmark, without --quick")
        record = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "quick": args.quick,
                  "benchmarks": chosen, "machine": machine(), "seconds": {}, "results": []}
        for name in chosen:
            print(f"running bench/{name}.py{' (quick)' if args.quick else ''} ...", flush=True)
            start = time.perf_counter()
            entries = bench.validate(modules[name].run(args.quick), f"bench/{name}.py run()")
            record["seconds"][name] = round(time.perf_counter() - start, 1)
            record["results"] += entries
            print(report.table(entries), f"\n[bench/{name}.py: {record['seconds'][name]:.1f} s]\n", flush=True)
    except UsageError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 2
    record["machine"]["load_average_at_end"] = [round(load, 2) for load in os.getloadavg()]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(record["results"], indent=1) + "\n")
    report.save_record(record, args.out / "record.json")
    figures = report.write_figures(record["results"], args.out / "figures")
    print(f"wrote {args.out / 'results.json'}, {args.out / 'record.json'} and {len(figures)} figure(s) "
          f"in {args.out / 'figures'}")
    if args.record:
        report.save_record(record, args.record)
        print(f"recorded this run in {args.record}: commit it to show these numbers in the book")
    return 0


if __name__ == "__main__":
    sys.exit(main())
