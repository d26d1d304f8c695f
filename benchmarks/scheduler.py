"""Scheduler benchmark: every method on the same held-out athletes, ratios to the fixed plan.

    python -m benchmarks.scheduler [--quick] [--athletes N] [--days D] [--populations a,b]

Decision latency (ms per athlete-day) and outcomes (performance gain %, fatigue, injuries per
1,000 athlete-days, Eq. 9 reward) measured side by side in one run. Latency and injuries are
given as ratios to the fixed plan; gain and reward as differences (they can be negative).
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
        print(f"{'method':7} {'gain%':>7} {'d gain':>7} {'fatigue':>8} {'inj/1kd':>8} "
              f"{'x fixed':>8} {'reward':>8} {'d rew':>7} {'ms/day':>9} {'x fixed':>9}")
        for r in results:
            inj = (r.injuries_per_1000_days / base.injuries_per_1000_days
                   if base.injuries_per_1000_days else float("nan"))
            lat = r.latency_ms_per_day / base.latency_ms_per_day
            d_gain = r.perf_gain_pct - base.perf_gain_pct
            print(f"{r.method:7} {r.perf_gain_pct:7.2f} {d_gain:7.2f} "
                  f"{r.fatigue:8.3f} {r.injuries_per_1000_days:8.2f} {inj:8.2f} {r.reward:8.2f} "
                  f"{r.reward - base.reward:7.2f} {r.latency_ms_per_day:9.3f} {lat:9.1f}")
        print("d = difference to the fixed plan (gains can be negative, so no ratio); "
              "x fixed = ratio to the fixed plan")

if __name__ == "__main__":
    main()
