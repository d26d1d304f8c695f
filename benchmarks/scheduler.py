"""Scheduler benchmark: every method on the same held-out athletes, ratios to the fixed plan.

    python -m benchmarks.scheduler [--quick] [--athletes N] [--days D] [--populations a,b]

Decision latency (ms per athlete-day) and outcomes (performance gain %, fatigue, injuries per
1,000 athlete-days, Eq. 9 reward) measured side by side in one run; ratios are method / fixed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.sim.evaluate import compare

SHIPPED = Path(__file__).resolve().parents[1] / "models" / "shipped" / "ppo-scheduler"


def main() -> None:
    """Parse arguments, run the comparison per population, print the table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="4 athletes x 28 days, one population")
    ap.add_argument("--athletes", type=int, default=20)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--populations", default="college,youth")
    args = ap.parse_args()
    n, days, pops = args.athletes, args.days, args.populations.split(",")
    if args.quick:
        n, days, pops = 4, 28, pops[:1]
    for pop in pops:
        results = compare(n, days, args.seed, pop, SHIPPED)
        base = next(r for r in results if r.method == "fixed")
        print(f"\n{pop}: {n} held-out athletes x {days} days (seed {args.seed})")
        print(f"{'method':7} {'gain%':>7} {'x fixed':>8} {'fatigue':>8} {'inj/1kd':>8} "
              f"{'reward':>8} {'ms/day':>9} {'x fixed':>9}")
        for r in results:
            ratio = r.perf_gain_pct / base.perf_gain_pct if base.perf_gain_pct else float("nan")
            lat = r.latency_ms_per_day / base.latency_ms_per_day
            print(f"{r.method:7} {r.perf_gain_pct:7.2f} {ratio:8.2f} {r.fatigue:8.3f} "
                  f"{r.injuries_per_1000_days:8.2f} {r.reward:8.2f} {r.latency_ms_per_day:9.3f} "
                  f"{lat:9.1f}")


if __name__ == "__main__":
    main()
