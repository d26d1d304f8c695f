"""A failed fitness assessment falls back to the general template, loudly and without values."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from bot.services.prescription import DEFAULT_TEMPLATE, ensure_plan
from storage import fitness_tests, people
from storage.db import Database
from storage.schema import Person


def test_a_failed_assessment_logs_a_warning_with_no_health_value(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import models.fitness

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("pull_ups 17.5 is outside what the classifier saw")

    monkeypatch.setattr(models.fitness, "assess", broken)
    caplog.set_level(logging.WARNING, logger="bot.services.prescription")
    with sqlite_db.session() as s:
        person = people.get_or_create_person(s, 77, "Ada")
        people.give_consent(s, person, {"health_data": True})
        people.update_profile(person, sex="F")
        fitness_tests.add_results(s, person.id, dt.date(2026, 11, 20),
                                  {"pull_ups": (17.5, "reps")})
        loaded = s.get(Person, person.id)
        assert loaded is not None
        plan = ensure_plan(s, loaded, dt.date(2026, 11, 23))
        assert plan.template == DEFAULT_TEMPLATE
        assert "assessment_error" in plan.meta
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    text = warnings[0].getMessage()
    assert "ValueError" in text and "pull_ups" in text and DEFAULT_TEMPLATE in text
    assert "17.5" not in text and "pull_ups # is outside" in text
