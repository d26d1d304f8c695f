"""RPE, session minutes, sleep hours and distance from a check-in in any ``LanguageSpec``.

The same reader for every language other than English (``nlu/extract.py``); what differs is
data (``nlu/lang/<code>.py``). The rules follow the English extractor: only explicit
statements ("esfuerzo 8", "Belastung 7/10", "нагрузка семь", "强度8"), the ranges of
``nlu.extract`` (CR-10 RPE 0-10, Foster et al. 2001; minutes 1-600; sleep 0-16 h; distance
0-1000 km) with an out-of-range statement kept in ``rejected``; a duration said of sleep is
never session minutes; a repetition ("4 series de 10 min", "4 по 10 минут") or a warm-up is
not the session; of several session durations the longest is taken, less surely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from nlu.extract import DISTANCE_RANGE, MINUTES_RANGE, RPE_RANGE, SLEEP_RANGE
from nlu.lang.spec import LanguageSpec
from nlu.lang.text import fold

#: Forms every language shares: "rpe 7", "7/10", "45 min", "1:15", "10 km".
SHARED_RPE_KEYS = r"s?rpe"
SHARED_OUT_OF_TEN = r"/\s*10(?!\d)"
#: "esfuerzo 7 u 8", "Belastung 7 bis 8", "нагрузка 7-8", "强度7到8": the middle of the two.
RANGE_JOINERS = (
    r"(?:\s*[-\u2013]\s*|\s*(?:到|至|或)\s*|\s+(?:a|o|u|y|bis|oder|до|или)\s+)"
)
_PACE_AFTER = r"\s*(?:/|per\b|por\s+km|pro\s+km|на\s+км|每公里|min\s*/)"
#: Words between a sleep word and its hours, counted in words (characters for Chinese).
SLEEP_GAP_WORDS = 4
SLEEP_GAP_CHARS = 6
_CLAUSE = re.compile(r"[,.;!?\n]")


@dataclass(frozen=True, slots=True)
class Found:
    """One field read from text: its value (None: not said), confidence, rejected value."""

    value: float | None
    confidence: float
    rejected: float | None = None


@dataclass(frozen=True, slots=True)
class _Duration:
    minutes: float
    start: int
    end: int
    in_hours: bool
    session: bool = True
    sleep: bool = False


@dataclass(frozen=True, slots=True)
class _Patterns:
    """One language's patterns, compiled once."""

    spec: LanguageSpec
    number: re.Pattern[str]
    rpe_keyed: re.Pattern[str]
    rpe_rated: tuple[re.Pattern[str], ...]
    rpe_bare: re.Pattern[str]
    not_rpe_before: re.Pattern[str]
    durations: tuple[tuple[re.Pattern[str], float, bool], ...]
    colon: re.Pattern[str]
    repetition_before: re.Pattern[str]
    not_session_after: re.Pattern[str]
    time_of_day_before: re.Pattern[str]
    sleep_words: re.Pattern[str]
    distance: re.Pattern[str]
    distance_units: tuple[tuple[re.Pattern[str], float], ...]
    word: re.Pattern[str]


def _fill(pattern: str, spec: LanguageSpec) -> str:
    return (
        pattern.replace("{NUM}", f"(?:{spec.numbers.pattern})")
        .replace("{H}", f"(?:{spec.hour_units})")
        .replace("{M}", f"(?:{spec.minute_units})")
    )


def _bounded(pattern: str, spec: LanguageSpec) -> str:
    """Whole words for spaced languages; Chinese has no word boundaries to hold."""
    return rf"(?<![\w.])(?:{pattern})(?![\w'])" if spec.spaced else f"(?:{pattern})"


_CACHE: dict[str, _Patterns] = {}


def patterns(spec: LanguageSpec) -> _Patterns:
    """The compiled patterns of ``spec`` (built on first use, then kept)."""
    found = _CACHE.get(spec.code)
    if found is not None:
        return found
    n = rf"(?P<n>{spec.numbers.pattern})"
    n2 = rf"(?P<n2>{spec.numbers.pattern})"
    units = rf"(?:{spec.hour_units}|{spec.minute_units}|km|{'|'.join(spec.distance_units)})"
    word_end = r"(?!\w)" if spec.spaced else ""
    not_unit = rf"(?!\s*{units}{word_end})"
    out_of_ten = rf"(?:{SHARED_OUT_OF_TEN}|{spec.out_of_ten})"
    keys = rf"(?:{SHARED_RPE_KEYS}|{spec.rpe_keys})"
    if spec.spaced:
        keys = rf"(?<!\w){keys}(?!\w)"
    keyed = (
        rf"{keys}(?:\s*(?:{spec.rpe_fillers}))*\s*{n}(?:{RANGE_JOINERS}{n2})?"
        rf"(?:\s*{out_of_ten})?{not_unit}"
    )
    rated = tuple(
        re.compile(_fill(p, spec).replace("{N}", n) + not_unit) for p in spec.rpe_rated
    )
    gap = r"\W*(?:\w+\W+){0,2}$" if spec.spaced else r".{0,3}$"
    durations = tuple(
        (re.compile(_bounded(_fill(rule.pattern, spec), spec)), rule.fixed, rule.in_hours)
        for rule in spec.durations
    )
    unit_alt = "|".join(f"(?:{u})" for u in spec.distance_units)
    distance = (
        rf"(?:(?P<reps>\d{{1,2}})\s*(?:x|×|\*|{spec.repetition_before})\s*)?{n}\s*-?\s*"
        rf"(?P<u>{unit_alt})(?!\s*(?:/|per\b)\s*(?:h\b|{spec.hour_units}))"
    )
    compiled = _Patterns(
        spec=spec,
        number=re.compile(spec.numbers.pattern),
        rpe_keyed=re.compile(keyed),
        rpe_rated=rated,
        rpe_bare=re.compile(rf"(?<![\w/.]){n}\s*{out_of_ten}"),
        not_rpe_before=re.compile(rf"(?:{spec.not_rpe_before}){gap}"),
        durations=durations,
        colon=re.compile(
            r"(?<![\w:.])(?P<h>[0-3]):(?P<m>[0-5]\d)(?![\d:])"
            rf"(?!\s*(?:am|pm|uhr|点)|{_PACE_AFTER})"
        ),
        repetition_before=re.compile(
            rf"(?:\d{{1,2}}|{spec.numbers.pattern})\s*(?:x|×|\*|{spec.repetition_before})\s*$"
        ),
        not_session_after=re.compile(rf"^\s*(?:{spec.not_session_after})"),
        time_of_day_before=re.compile(rf"(?:{spec.time_of_day_before})\s*$"),
        sleep_words=re.compile(spec.sleep_words),
        distance=re.compile(_bounded(distance, spec)),
        distance_units=tuple(
            (re.compile(u), factor) for u, factor in spec.distance_units.items()
        ),
        word=re.compile(r"\w+" if spec.spaced else r"\w"),
    )
    _CACHE[spec.code] = compiled
    return compiled


def _value(p: _Patterns, match: re.Match[str], group: str = "n") -> float | None:
    raw = match.groupdict().get(group)
    return None if raw is None else p.spec.numbers.value(raw)


def _is_word_number(raw: str) -> bool:
    return not any(ch.isdigit() for ch in raw)


def _rpe(p: _Patterns, norm: str) -> Found:
    rejected: float | None = None
    sources = ((p.rpe_keyed, 0.95), *((r, 0.85) for r in p.rpe_rated), (p.rpe_bare, 0.75))
    for pattern, base in sources:
        for match in pattern.finditer(norm):
            if pattern is not p.rpe_keyed and p.not_rpe_before.search(norm[: match.start()]):
                continue  # "sueño 7/10", "Stimmung 3/10": a score, not an RPE
            value = _value(p, match)
            if value is None:
                continue
            second = _value(p, match, "n2")
            if second is not None and value < second <= RPE_RANGE[1]:
                value = (value + second) / 2.0  # "7 y 45 minutos" is no range
            if not RPE_RANGE[0] <= value <= RPE_RANGE[1]:
                rejected = value if rejected is None else rejected
                continue
            word = _is_word_number(match.group("n"))
            return Found(value, base - (0.1 if word else 0.0))
    return Found(None, 0.0, rejected=rejected)


def _rule_minutes(p: _Patterns, match: re.Match[str], fixed: float) -> float | None:
    groups = match.groupdict()
    minutes = fixed
    for name, scale in (("h", 60.0), ("m", 1.0)):
        if groups.get(name) is not None:
            value = p.spec.numbers.value(groups[name])
            if value is None:
                return None
            minutes += value * scale
    if groups.get("half") is not None:
        minutes += 30.0
    if groups.get("quarter") is not None:
        minutes += 15.0
    return minutes


def _durations(p: _Patterns, norm: str) -> list[_Duration]:
    found: list[_Duration] = []

    def free(a: int, b: int) -> bool:
        return all(b <= d.start or a >= d.end for d in found)

    for match in p.colon.finditer(norm):
        if p.time_of_day_before.search(norm[: match.start()]):
            continue
        clock = int(match.group("h")) * 60.0 + int(match.group("m"))
        found.append(_Duration(clock, *match.span(), in_hours=False))
    for pattern, fixed, in_hours in p.durations:
        for match in pattern.finditer(norm):
            a, b = match.span()
            if not free(a, b):
                continue
            minutes = _rule_minutes(p, match, fixed)
            if minutes is None:
                continue
            before, after = norm[:a], norm[b:]
            if p.time_of_day_before.search(before):
                continue
            session = not (
                p.repetition_before.search(before) or p.not_session_after.match(after)
            )
            found.append(_Duration(minutes, a, b, in_hours, session=session))
    found.sort(key=lambda d: d.start)
    return [replace(d, sleep=_is_sleep(p, norm, d, found)) for d in found]


def _gap_words(p: _Patterns, text: str) -> int:
    return len(p.word.findall(text))


def _is_sleep(p: _Patterns, norm: str, d: _Duration, all_found: list[_Duration]) -> bool:
    """Hours said of sleep: a sleep word shortly before in the clause, or right after."""
    limit = SLEEP_GAP_WORDS if p.spec.spaced else SLEEP_GAP_CHARS
    previous_end = max((o.end for o in all_found if o.end <= d.start), default=0)
    before = norm[previous_end : d.start]
    last = None
    for match in p.sleep_words.finditer(before):
        last = match
    if last is not None:
        gap = before[last.end() :]
        if not _CLAUSE.search(gap) and _gap_words(p, gap) <= limit:
            return True
        # "спал ужасно, всего 4 часа": hours standing alone right after the sleep clause
        clause_after = _CLAUSE.split(norm[d.end :], maxsplit=1)[0]
        gap_clauses = _CLAUSE.split(gap)
        if (
            d.in_hours
            and len(gap_clauses) == 2
            and _gap_words(p, gap_clauses[-1]) <= 2
            and _gap_words(p, clause_after) <= 1
        ):
            return True
    after = norm[d.end :]
    window = after[: 16 if p.spec.spaced else 4]
    head = _CLAUSE.split(window, maxsplit=1)[0]
    hit = p.sleep_words.search(head)
    return hit is not None and _gap_words(p, head[: hit.start()]) <= 1


def _minutes(durations: list[_Duration]) -> Found:
    session = [d.minutes for d in durations if d.session and not d.sleep]
    if not session:
        return Found(None, 0.0)
    valid = [v for v in session if MINUTES_RANGE[0] <= v <= MINUTES_RANGE[1]]
    if not valid:
        return Found(None, 0.0, rejected=max(session))
    return Found(max(valid), 0.9 if len(set(session)) == 1 else 0.5)


def _sleep(durations: list[_Duration]) -> Found:
    sleep = [d.minutes / 60.0 for d in durations if d.sleep]
    if not sleep:
        return Found(None, 0.0)
    value = round(sleep[0], 2)
    if not SLEEP_RANGE[0] <= value <= SLEEP_RANGE[1]:
        return Found(None, 0.0, rejected=value)
    return Found(value, 0.9)


def _distance(p: _Patterns, norm: str) -> Found:
    total: float | None = None
    for match in p.distance.finditer(norm):
        value = _value(p, match)
        if value is None:
            continue
        unit = match.group("u")
        factor = next((f for u, f in p.distance_units if u.fullmatch(unit)), None)
        if factor is None:
            continue
        if factor == 0.001 and value < 100:
            continue  # "45m" is minutes, not 45 metres
        km = value * factor * (float(match.group("reps")) if match.group("reps") else 1.0)
        if km == 0 or not DISTANCE_RANGE[0] <= km <= DISTANCE_RANGE[1]:
            return Found(None, 0.0, rejected=km)
        total = km if total is None else max(total, km)
    return Found(None, 0.0) if total is None else Found(round(total, 3), 0.85)


@dataclass(frozen=True, slots=True)
class Numbers:
    """The numeric fields of one check-in read in one language."""

    rpe: Found
    minutes: Found
    sleep_h: Found
    distance_km: Found


def read_numbers(text: str, spec: LanguageSpec) -> Numbers:
    """RPE, session minutes, sleep hours and distance stated in ``text`` in ``spec``'s words."""
    p = patterns(spec)
    norm = fold(text, spec.letters)
    durations = _durations(p, norm)
    return Numbers(_rpe(p, norm), _minutes(durations), _sleep(durations), _distance(p, norm))
