"""How a failure is recorded: its class and where in our code, never its message.

An exception's message may quote what a person wrote or a health value, so the inbox, the job
table and the logs keep only this (a quarantined update, a failed job).
"""

from __future__ import annotations

OUR_PACKAGES = ("bot", "nlu", "planner", "models", "storage")


def describe(error: BaseException) -> str:
    """An error's class, the last place in our code it passed through, and, when it was
    raised inside a library, the place there (a library's assert says little by its class)."""
    place = raised = ""
    tb = error.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        where = f"{module}:{tb.tb_frame.f_code.co_name}:{tb.tb_lineno}"
        if module.split(".")[0] in OUR_PACKAGES:
            place, raised = f" at {where}", ""
        else:
            raised = f" in {where}"
        tb = tb.tb_next
    return f"{type(error).__name__}{place}{raised if place else ''}"
