"""History -> load metrics -> readiness -> prescription -> schedule -> adjustment -> why.

The package's public types (ARCHITECTURE.md "Key types"); functions live in the modules named
for what they hold (`planner.readiness`, `planner.daily`, `planner.aco`, ...).
"""

from planner.daily import DayContext, PlannedDay, plan_day
from planner.explanation import Explanation, FiredRule, ShapFactor
from planner.loadtypes import DailyLoad, Flag, LoadMetrics, SessionLoad, WellnessDay
from planner.session import Prescription, Session

__all__ = [
    "DailyLoad",
    "DayContext",
    "Explanation",
    "FiredRule",
    "Flag",
    "LoadMetrics",
    "PlannedDay",
    "Prescription",
    "Session",
    "SessionLoad",
    "ShapFactor",
    "WellnessDay",
    "plan_day",
]
