"""Check-in extraction: RPE, minutes, distance, sleep, wellness, exercises and pain from text.

Only explicit statements are extracted ("rpe 7", "effort 7/10", "7 out of 10", "rpe seven",
"rated it a 7"); "easy" or "hard" are left to sentiment and to the dialogue, which asks for
missing fields. A duration said of sleep ("slept badly 5 hours") is sleep, never session
minutes; "1:15 run" is 75 minutes, "at 7:30" is a time of day and not read.
Ranges follow the scales: CR-10 RPE 0-10 (Foster et al. 2001, session-RPE, J Strength Cond
Res 15(1):109-115), session minutes 1-600, sleep 0-16 h, distance 0-1000 km. A stated value out
of range is not extracted: the field stays ``None``, its confidence is 0, and the value is kept
in ``CheckInReport.rejected`` so the dialogue can say why it asks again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from nlu.numbers import NUM, is_word_number, to_number
from nlu.pain import normalize, read_pain
from nlu.report import CheckInReport, Sentiment
from nlu.wellness import read_wellness

EXERCISES_FILE = Path(__file__).resolve().parent / "data" / "exercises.tsv"

RPE_RANGE = (0.0, 10.0)
MINUTES_RANGE = (1.0, 600.0)
SLEEP_RANGE = (0.0, 16.0)
DISTANCE_RANGE = (0.0, 1000.0)
#: Hooper soreness for a muscle said to be tight: as "stiff" in nlu.wellness (5, bad side).
TIGHT_SORENESS = 5

_FLAGS = re.ASCII
_N = rf"(?P<n>{NUM})"
_RANGE_TAIL = rf"(?:\s*(?:-|to|or)\s*(?P<n2>{NUM}))?"
_OUT_OF_10 = r"\s*(?:/\s*10|out\s+of\s+(?:10|ten)|of\s+10)\b"

_RPE_KEYED = re.compile(
    r"\b(?:s?rpe|rate\s+of\s+perceived\s+exertion|effort|exertion|intensity)\b"
    r"(?:\s*(?:was|is|of|at|about|around|approx|maybe|like|level|score|=|:|-|~))*\s*"
    rf"{_N}{_RANGE_TAIL}(?:{_OUT_OF_10})?",
    _FLAGS,
)
#: "rated it a 7", "I'd rate the session 6/10", "gave it a solid 8", "call it a 6". "rate"
#: needs an object ("heart rate 150" is not an RPE); the number must end the phrase
#: ("gave it 100%", "gave it 2 goes" are not ratings).
_RATED_OBJECT = (
    r"(?:it|that|this|today|the\s+(?:session|run|ride|workout|swim|effort|game|match|"
    r"training|practice|day|race|set))"
)
_RPE_RATED = re.compile(
    rf"\b(?:(?:rated|rating)(?:\s+{_RATED_OBJECT})?|(?:rate|gave|give|giving|call|called)\s+"
    rf"{_RATED_OBJECT})\s+(?:(?:as|at|about|around|maybe|like|a|an|solid|hard|strong|easy|good|"
    rf"high|low)\s+){{0,2}}{_N}{_RANGE_TAIL}(?:{_OUT_OF_10})?"
    r"(?=\s*(?:$|[^\w\s%]|out\b|of\b|for\b|today|tonight|effort|overall|on\b|and\b|but\b|"
    r"though|rpe))",
    _FLAGS,
)
_RPE_BARE = re.compile(rf"(?<![\w/.]){_N}{_OUT_OF_10}", _FLAGS)
# "sleep 7/10", "mood 3/10", "pain 6/10": a score, but not an RPE.
_NOT_RPE_CONTEXT = re.compile(
    r"(?:sleep|slept|mood|stress|pain|hurt\w*|sore\w*|motivation|energy|fatigue)\W+(?:\w+\W+){0,2}$",
    _FLAGS,
)

_HOUR = r"(?:h|hr|hrs|hour|hours)"
_MIN = r"(?:m|min|mins|minute|minutes|')"
_DUR_HM = re.compile(
    rf"(?<![\w.]){_N}\s*{_HOUR}\s*(?:and\s+)?(?P<m>\d{{1,2}}|{NUM})\s*(?:{_MIN})?(?![\w'])",
    _FLAGS,
)
_DUR_HALF = re.compile(
    r"\b(?:(?P<half_an>half\s+an?\s+hour)|(?:(?:an?|one)\s+)?hour\s+and\s+a\s+half"
    rf"|{_N}\s+and\s+a\s+half\s+hours?|an?\s+hour)\b",
    _FLAGS,
)
_DUR_H = re.compile(rf"(?<![\w.:]){_N}\s*-?\s*{_HOUR}(?!\w)", _FLAGS)
_DUR_M = re.compile(
    rf"(?<![\w.:]){_N}\s*-?\s*{_MIN}(?![\w'])(?!\s*(?:/|per)\s*(?:km|k|mi|mile))", _FLAGS
)
#: h:mm[:ss] read as a duration only when clearly one: an hour unit after it ("1:15h"), a
#: session noun after it ("1:15 run", h <= 3, since "7:30 run" is a time of day), or a duration
#: verb before it ("ran 1:15", "rode for 4:30"). Never after "at", "by", "until"... (a time
#: of day), before am/pm, or as a pace ("5:40/km"); mm:ss ("46:12", "2:28") is not read.
_DUR_COLON = re.compile(
    r"(?<![\w:.@/])(?P<h>\d):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?(?![\d:])"
    r"(?!\s*(?:am|pm|a\.m|p\.m|o'?clock|/|per\b|pace|min\s*/))",
    _FLAGS,
)
_COLON_HOUR_UNIT = re.compile(rf"^\s*{_HOUR}\b", _FLAGS)
_SESSION_NOUN = re.compile(
    r"^\s*-?\s*(?:(?:easy|steady|long|hard|slow|recovery|tempo|endurance|z2|trail|road|indoor|"
    r"outdoor|hilly|hill|aerobic|base)\s+){0,2}(?:run|ride|jog|bike|spin|swim|hike|walk|row|"
    r"session|workout|trainer|turbo|climb|paddle|ski|skate|class|lift|erg)s?\b",
    _FLAGS,
)
_COLON_DURATION_BEFORE = re.compile(
    r"\b(?:ran|run|rode|ride|swam|swim|cycled|biked|bike|hiked|walked|jogged|rowed|trained|"
    r"lasted|took|for|total|moving\s+time|duration|elapsed)\s+"
    r"(?:(?:for|in|about|around|approx|just|over|under)\s+)?$",
    _FLAGS,
)
_COLON_TIME_BEFORE = re.compile(
    r"\b(?:at|by|until|till|til|from|since|before|after|around|about|to|between|and|@)\s*$",
    _FLAGS,
)
#: Words that may stand between "slept" and its hours: amounts ("only about 5h") and how the
#: night was ("slept badly 5 hours", "slept poorly 5h", "sleep was ok, 7 hours").
_SLEEP_FILLER = (
    r"(?:for|about|around|only|just|like|maybe|roughly|approx|approximately|barely|nearly|"
    r"almost|under|over|less\s+than|more\s+than|a|an|solid|good|bad|badly|poorly|terribly|"
    r"horribly|awfully|awful|terrible|poor|well|ok|okay|alright|fine|great|decent|rough|restless|"
    r"really|very|so|pretty|quite|was|is|of|at|not|last\s+night|total)"
)
_SLEEP_BEFORE = re.compile(
    r"(?:slept|sleep|sleeping|kip|nap|napped|in\s+bed)"
    rf"(?P<gap>\W+(?:{_SLEEP_FILLER}\W+){{0,4}})~?$",
    _FLAGS,
)
_CLAUSE_PUNCT = re.compile(r"[,.;!?]")
#: After a comma, hours belong to sleep only when they stand alone: "slept badly, 5 hours" is
#: sleep, "slept well, 2h ride" and "slept ok, 45 min run" are the session.
_STANDS_ALONE = re.compile(r"^\s*(?:$|[,.;!?)]|and\b|but\b|then\b)", _FLAGS)
_SLEEP_AFTER = re.compile(
    r"^\s*(?:of\s+)?(?:sleep|kip|shut-?eye|in\s+bed|a\s+night|last\s+night|of\s+rest)", _FLAGS
)

_DIST = re.compile(
    rf"(?<![\w.])(?:(?P<reps>\d{{1,2}})\s*x\s*)?{_N}\s*-?\s*"
    r"(?P<u>km|kms|k|kilometers?|kilometres?|mi|miles?|meters?|metres?|m)(?![\w'])"
    r"(?!\s*(?:/|per)\s*(?:h|hr|hour))",
    _FLAGS,
)


@dataclass(frozen=True, slots=True)
class _Found:
    value: float | None
    confidence: float
    rejected: float | None = None


def _in_range(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _number(match: re.Match[str], group: str = "n") -> float | None:
    raw = match.group(group)
    return None if raw is None else to_number(raw)


def _rpe(norm: str) -> _Found:
    rejected: float | None = None
    for pattern, base_conf in ((_RPE_KEYED, 0.95), (_RPE_RATED, 0.85), (_RPE_BARE, 0.75)):
        for match in pattern.finditer(norm):
            if pattern is not _RPE_KEYED and _NOT_RPE_CONTEXT.search(norm[: match.start()]):
                continue
            value = _number(match)
            if value is None:
                continue
            second = _number(match, "n2") if "n2" in pattern.groupindex else None
            if second is not None:
                value = (value + second) / 2.0
            if not _in_range(value, RPE_RANGE):
                rejected = value if rejected is None else rejected
                continue
            conf = base_conf - (0.1 if is_word_number(match.group("n")) else 0.0)
            return _Found(value, conf)
    return _Found(None, 0.0, rejected=rejected)


@dataclass(frozen=True, slots=True)
class _Duration:
    minutes: float
    start: int
    end: int
    in_hours: bool  # said in hours ("5h", "an hour", "1h15"), as sleep is
    sleep: bool = False


def _is_sleep_context(norm: str, d: _Duration) -> bool:
    if not d.in_hours and _SESSION_NOUN.match(norm[d.end :]):
        return False  # "slept well 45 min run": the run's ("slept 6h run ok" stays sleep)
    before = _SLEEP_BEFORE.search(norm[: d.start])
    if before is not None:
        if not _CLAUSE_PUNCT.search(before.group("gap")):
            return True  # "slept badly 5 hours", "sleep: 6h"
        if d.in_hours and _STANDS_ALONE.match(norm[d.end :]):
            return True  # "slept badly, 5 hours"
    return bool(_SLEEP_AFTER.search(norm[d.end :]))


def _colon_duration(norm: str, match: re.Match[str]) -> float | None:
    """Minutes of an h:mm[:ss] that is clearly a duration (see ``_DUR_COLON``), else None."""
    hours, mins, secs = int(match.group("h")), int(match.group("m")), match.group("s")
    before, after = norm[: match.start()], norm[match.end() :]
    if _COLON_TIME_BEFORE.search(before) and not _COLON_DURATION_BEFORE.search(before):
        return None
    clear = (
        _COLON_HOUR_UNIT.match(after) is not None
        or _COLON_DURATION_BEFORE.search(before) is not None
        or (hours <= 3 and _SESSION_NOUN.match(after) is not None)
    )
    if not clear:
        return None
    return hours * 60.0 + mins + (int(secs) / 60.0 if secs else 0.0)


def _durations(norm: str) -> list[_Duration]:
    """All durations in minutes, without overlaps, each marked when it is said of sleep."""
    found: list[_Duration] = []

    def free(a: int, b: int) -> bool:
        return all(b <= d.start or a >= d.end for d in found)

    for match in _DUR_COLON.finditer(norm):
        minutes = _colon_duration(norm, match)
        if minutes is not None:
            found.append(_Duration(round(minutes, 2), *match.span(), in_hours=False))
    for match in _DUR_HM.finditer(norm):
        hours, mins = _number(match), _number(match, "m")
        if hours is not None and mins is not None and mins < 60 and free(*match.span()):
            found.append(_Duration(hours * 60 + mins, *match.span(), in_hours=True))
    for match in _DUR_HALF.finditer(norm):
        if not free(*match.span()):
            continue
        text = match.group(0)
        if match.group("half_an"):
            minutes = 30.0
        elif "and a half" in text:
            base = _number(match) if match.group("n") else 1.0
            minutes = ((base or 0.0) + 0.5) * 60
        else:
            minutes = 60.0
        found.append(_Duration(minutes, *match.span(), in_hours=True))
    for pattern, scale in ((_DUR_H, 60.0), (_DUR_M, 1.0)):
        for match in pattern.finditer(norm):
            value = _number(match)
            if value is None or not free(*match.span()):
                continue
            unit = norm[match.end("n") : match.end()].strip(" -")
            if scale == 1.0 and unit == "m" and value >= 100:
                continue  # "400m" is a distance, not minutes
            found.append(_Duration(value * scale, *match.span(), in_hours=scale == 60.0))
    found.sort(key=lambda d: d.start)
    return [replace(d, sleep=_is_sleep_context(norm, d)) for d in found]


def _minutes(durations: list[_Duration]) -> _Found:
    """Session minutes from the durations the sleep extraction did not consume."""
    session = [d.minutes for d in durations if not d.sleep]
    if not session:
        return _Found(None, 0.0)
    valid = [v for v in session if _in_range(v, MINUTES_RANGE)]
    if not valid:
        return _Found(None, 0.0, rejected=max(session))
    # Several durations ("1h run, last 20 min hard"): the longest is most often the session,
    # but not surely, so the dialogue may confirm.
    return _Found(max(valid), 0.9 if len(set(session)) == 1 else 0.5)


#: "slept 7", "slept only about 6": a unit-less number right after "slept" (same phrase).
_SLEPT_BARE = re.compile(rf"\bslept\s+(?:{_SLEEP_FILLER}\s+){{0,4}}{_N}\b(?!\s*(?:/|x\b))")


def _sleep(durations: list[_Duration], norm: str) -> _Found:
    sleep = [d.minutes / 60.0 for d in durations if d.sleep]
    if not sleep:
        bare = _SLEPT_BARE.search(norm)
        if bare is not None and any(d.start <= bare.start("n") < d.end for d in durations):
            bare = None  # that number is a session duration ("slept well 45 min run" is odd)
        value = _number(bare) if bare else None
        if value is None:
            return _Found(None, 0.0)
        sleep = [value]
    value = sleep[0]
    if not _in_range(value, SLEEP_RANGE):
        return _Found(None, 0.0, rejected=value)
    return _Found(round(value, 2), 0.9)


def _distance(norm: str) -> _Found:
    total: float | None = None
    for match in _DIST.finditer(norm):
        value = _number(match)
        if value is None:
            continue
        unit = match.group("u")
        if unit == "m" and value < 100:
            continue  # "45m" is minutes
        if unit in ("k",) and is_word_number(match.group("n")):
            continue
        if unit.startswith("mi"):
            km = value * 1.609344
        elif unit.startswith("m"):
            km = value / 1000.0
        else:
            km = value
        reps = match.group("reps")
        km *= float(reps) if reps else 1.0
        if not _in_range(km, DISTANCE_RANGE) or km == 0:
            return _Found(None, 0.0, rejected=km)
        total = km if total is None else max(total, km)
    return _Found(None, 0.0) if total is None else _Found(round(total, 3), 0.85)


@cache
def _exercise_patterns(path: Path = EXERCISES_FILE) -> tuple[tuple[str, re.Pattern[str]], ...]:
    entries: list[tuple[str, str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#") or raw.startswith("id\t"):
            continue
        ex_id, _, synonyms = raw.partition("\t")
        entries.extend((ex_id.strip(), syn.strip()) for syn in synonyms.split("|") if syn.strip())
    entries.sort(key=lambda e: len(e[1]), reverse=True)
    return tuple(
        (ex_id, re.compile(rf"(?<![\w-]){re.escape(syn)}(?![\w-])")) for ex_id, syn in entries
    )


def _exercises(norm: str) -> tuple[str, ...]:
    taken: list[tuple[int, int]] = []
    hits: list[tuple[int, str]] = []
    for ex_id, pattern in _exercise_patterns():
        for match in pattern.finditer(norm):
            a, b = match.span()
            if all(b <= s or a >= e for s, e in taken):
                taken.append((a, b))
                hits.append((a, ex_id))
    return tuple(dict.fromkeys(ex_id for _, ex_id in sorted(hits)))


def extract(
    text: str, sentiment: Sentiment | None = None, intent: str | None = None
) -> CheckInReport:
    """Read one free-text check-in into a ``CheckInReport`` (pure, no model needed)."""
    norm = normalize(text)
    durations = _durations(norm)
    rpe, minutes, sleep, dist = (
        _rpe(norm),
        _minutes(durations),
        _sleep(durations, norm),
        _distance(norm),
    )
    wellness = read_wellness(norm)
    pain = read_pain(text)
    if pain.watch_sites:
        # Tightness is a soreness signal (Hooper item), not pain: see nlu.pain.
        wellness["soreness"] = max(wellness.get("soreness", TIGHT_SORENESS), TIGHT_SORENESS)
    exercises = _exercises(norm)
    confidence = {
        "rpe": rpe.confidence,
        "minutes": minutes.confidence,
        "sleep_h": sleep.confidence,
        "distance_km": dist.confidence,
        "pain": pain.confidence,
        "exercises": 0.8 if exercises else 0.0,
    }
    for item in ("sleep_quality", "fatigue", "soreness", "stress", "mood"):
        confidence[item] = 0.6 if item in wellness else 0.0
    rejected = {
        name: found.rejected
        for name, found in (
            ("rpe", rpe),
            ("minutes", minutes),
            ("sleep_h", sleep),
            ("distance_km", dist),
        )
        if found.rejected is not None
    }
    return CheckInReport(
        text=text,
        rpe=rpe.value,
        minutes=minutes.value,
        distance_km=dist.value,
        sleep_h=sleep.value,
        sleep_quality=wellness.get("sleep_quality"),
        fatigue=wellness.get("fatigue"),
        soreness=wellness.get("soreness"),
        stress=wellness.get("stress"),
        mood=wellness.get("mood"),
        pain=pain.pain,
        pain_sites=pain.sites,
        pain_sides=pain.sides,
        watch_sites=pain.watch_sites,
        exercises=exercises,
        sentiment=sentiment,
        intent=intent,
        confidence=confidence,
        rejected=rejected,
    )
