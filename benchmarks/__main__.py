"""Run every benchmark in turn: ``python -m benchmarks [--quick]`` (what ``make bench`` does).

Each benchmark prints its own ratios, measured side by side in one run; this runner only
sequences them and reports which failed.
"""

from __future__ import annotations

import subprocess
import sys
import time

BENCHMARKS = ("nlu", "load", "readiness", "wearables", "sync_import", "classifier", "scheduler",
              "checkin", "replay")


def main(argv: list[str]) -> int:
    """Run each benchmark module as its own process (clean imports and timings)."""
    extra = [a for a in argv if a == "--quick"]
    failed = []
    for name in BENCHMARKS:
        print(f"\n=== benchmarks.{name} {' '.join(extra)} ===", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{name}", *extra])
        took = time.perf_counter() - start
        print(f"--- benchmarks.{name}: exit {code}, {took:.1f} s", flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
