"""Run the benchmarks of bench/ and print a table; results go to bench/results.json.

    .venv/bin/python bench/run.py [--quick] [name ...]

Results of benchmarks not run are kept. Names: cold_start, roundtrip, http_throughput, polling,
memory, load, replicas, render_cost (default: all, in that order).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

BENCHMARKS = (
    "cold_start",
    "roundtrip",
    "http_throughput",
    "polling",
    "memory",
    "load",
    "replicas",
    "render_cost",
)


def machine() -> dict[str, Any]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "mcp": importlib.metadata.version("mcp"),
        "platform": platform.platform(),
        "git_head": commit,
        "load_average_at_start": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer runs, shorter durations")
    parser.add_argument("names", nargs="*", choices=[*BENCHMARKS, []], metavar="name")
    args = parser.parse_args(argv)
    names = args.names or list(BENCHMARKS)
    out = HERE / "results.json"
    # Running some benchmarks keeps the others' last results; each result says when and how.
    previous = json.loads(out.read_text()).get("results", {}) if out.exists() else {}
    report: dict[str, Any] = {"machine": machine(), "results": previous}
    rows: list[tuple[str, str, str, str, str]] = []
    for name in names:
        module = importlib.import_module(name)
        print(f"running {name} …", file=sys.stderr, flush=True)
        start = time.perf_counter()
        result = module.run(args.quick)
        result["bench_seconds"] = round(time.perf_counter() - start, 1)
        result["quick"] = args.quick
        result["measured_at"] = datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"
        )
        result["load_average_after"] = os.getloadavg()
        report["results"][name] = result
        ok = result.get("ok")
        verdict = "-" if ok is None else ("yes" if ok else "NO")
        # Rows whose target is in parentheses are context (a floor, a baseline), not a verdict.
        rows.extend(
            (*row, "-" if row[3].startswith("(") else verdict) for row in module.summary(result)
        )
    report["machine"]["load_average_at_end"] = os.getloadavg()
    out.write_text(json.dumps(report, indent=2) + "\n")
    header = ("benchmark", "measured", "result", "target", "met")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    m = report["machine"]
    print(
        f"\n{m['date']}  nproc={m['nproc']}  python {m['python']}  mcp {m['mcp']}  "
        f"load {m['load_average_at_start'][0]:.2f}→{m['load_average_at_end'][0]:.2f}  "
        f"→ {HERE / 'results.json'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
