"""Pain and injury signals with body sites, and the negations that cancel them.

A pain site is a safety flag for the planner (never increase load on it), so this module errs
towards flagging: a pain word near a site flags it unless a negation or resolution cue governs
that word ("no pain today", "knee doesn't hurt anymore", "ankle pain is gone"). "Sore" alone
is muscle soreness (a Hooper wellness item, Hooper & Mackinnon 1995), not injury: it flags only
joints and tendons ("sore knee"), not muscles ("sore quads" after squats is DOMS).

Negation that does not cancel: a double negation is pain ("can't run without knee pain", "not
without pain"), and a negated amount is mild pain, still pain ("not too much pain in the knee",
"not very painful"); severity is not graded, since the guard treats any pain alike. A negator
governs only its own comma-separated phrase ("can't run, knee pain" is pain).

A cramp is pain at its site ("calf cramp" mid-session stops the session). Tightness is not pain:
"tight hamstring" is what athletes say of loaded muscles, and flagging it would strip the plan
on every "tight hips"; it is a watch-level signal instead (``PainSignal.watch_sites``), read as
Hooper soreness by the extractor. "Tight and sore achilles" is still pain (sore tendon).

Method: the text is split into clauses at sentence punctuation and contrastive words ("but",
"though", "however"); inside a clause every site is attached to its nearest pain cue, and the
site is flagged only when that cue is not negated. "No knee pain and the ankle hurts" therefore
flags the ankle only.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from nlu.sides import ENGLISH_SIDES, merge_sides, side_of, side_words

#: Canonical site -> regex of the ways athletes name it (plural and slang included).
SITE_PATTERNS: dict[str, str] = {
    "lower_back": r"lower[\s-]?back|low(?:er)?\s+back|lumbar|lower\s+spine|\bsi\s+joint",
    "upper_back": r"upper[\s-]?back|thoracic|between\s+(?:my\s+)?shoulder\s*blades",
    # "back to running", "back on the bike", "welcome back": the adverb, not the body part.
    "back": r"\bback\b(?!\s+(?:to|on|in|into|at|from|out|home|again|off|up|down)\b)"
    r"(?<!\bcome\sback)(?<!\bcame\sback)(?<!\bwelcome\sback)(?<!\bgot\sback)",
    "hip_flexor": r"hip[\s-]?flexors?|psoas",
    "it_band": r"\bit[\s-]?band|\bitb\b|\bitbs\b|iliotibial",
    "achilles": r"achill[ei]s|achilles\s+tendon",
    "hamstring": r"hamstrings?|hammys?|hammies",
    "knee": r"knees?|patell(?:a|ar)|kneecap",
    "shin": r"shins?|tibia",
    "ankle": r"ankles?",
    "shoulder": r"shoulders?|rotator\s+cuff",
    "calf": r"calf|calves|calfs",
    "groin": r"groin|adductors?",
    "hip": r"hips?",
    "wrist": r"wrists?",
    "elbow": r"elbows?",
    "neck": r"neck",
    "foot": r"foot|feet|heels?|plantar|arch(?:es)?|instep|metatarsals?",
    "toe": r"toes?|big\s+toe|toenails?",
    "quad": r"quads?|quadriceps|thighs?",
    "glute": r"glutes?|buttocks?|bum|butt",
    "hand": r"hands?|fingers?|thumbs?",
    "chest": r"chest|ribs?|pec(?:s|toral)?",
    "head": r"head(?:ache)?",
}

#: Muscles: "sore" there is ordinary soreness (DOMS), not an injury signal.
MUSCLE_SITES = frozenset({"hamstring", "calf", "quad", "glute", "groin", "chest", "upper_back"})

#: Words that signal pain or injury wherever they stand.
_PAIN_CUES = (
    r"pain(?:s|ful)?|hurt(?:s|ing)?|aches?|ached|aching|achy|injur(?:y|ed|ies)|tweak(?:ed)?|"
    r"strain(?:ed)?|sprain(?:ed)?|pulled|twinges?|niggles?|niggly|tender(?:ness)?|"
    r"swollen|swelling|stabbing|throbbing|twisted|(?<!foam\s)rolled(?!\s+out)|inflamed|tendinitis|"
    r"cramp(?:s|ed|ing)?|"
    r"tendonitis|tendinopathy|fasciitis|fracture|bruised|bursitis|shin\s+splints|"
    r"runner'?s\s+knee|jumper'?s\s+knee|tennis\s+elbow|golfer'?s\s+elbow|itbs|"
    r"headache|migraine|\bow+\b|ouch|killing\s+me|giving\s+me\s+(?:grief|trouble|hell)|"
    r"playing\s+up|flared?\s+up|acting\s+up"
)
#: Injury names that carry their site.
_SITE_IMPLIED = {
    "shin splints": "shin",
    "runner's knee": "knee",
    "runners knee": "knee",
    "jumper's knee": "knee",
    "jumpers knee": "knee",
    "tennis elbow": "elbow",
    "golfer's elbow": "elbow",
    "golfers elbow": "elbow",
    "fasciitis": "foot",
    "itbs": "it_band",
    "headache": "head",
    "migraine": "head",
}
_SORE = r"sore(?:ness)?"

_NEGATORS = re.compile(
    r"\b(?:no|not|never|without|zero|nothing|none|nor|isn't|isnt|doesn't|doesnt|don't|dont|"
    r"didn't|didnt|wasn't|wasnt|aren't|arent|haven't|havent|hasn't|hasnt|ain't|cannot|can't)\b"
)
_RESOLVED = re.compile(
    r"\b(?:no\s+longer|anymore|any\s+more|gone|went\s+away|disappeared|healed|resolved|"
    r"cleared(?:\s+up)?|free|painless)\b"
)
#: "can't run without knee pain", "couldn't even jog without my shin hurting", "not without
#: pain": the negated ability and the "without" cancel out. ("can't wait" is eagerness.)
_DOUBLE_NEGATION = re.compile(
    r"(?:\b(?:can't|cant|cannot|can\s+not|couldn't|couldnt|unable\s+to|impossible\s+to|hard\s+to)"
    r"(?!\s+wait\b)(?:\s+[a-z']+){0,4}?|\b(?:not|never))\s+without\s+(?:[a-z']+\s+){0,3}$"
)
#: A negated amount right before the pain word: "not too much pain", "not much knee pain",
#: "not very painful", "nothing too sore", "without a lot of pain": some pain, mild.
_HEDGED = re.compile(
    r"\b(?:not|nothing|without)\s+(?:(?:too|that|so|very|overly|terribly|all\s+that)\s+)?"
    r"(?:much|many|a\s+lot\s+of|lots\s+of|a\s+ton\s+of|too|that|so|very|overly|terribly)\s+"
    r"(?:[a-z']+\s+)?$"
)
#: Negation scope ends at a comma, colon, bracket or dash ("can't run, knee pain").
_PHRASE_BREAK = re.compile(r"[,:;()\u2013\u2014]|\s-\s")
_TIGHT = r"tight(?:ness|er|ened(?:\s+up)?)?"
#: Words allowed between "tight" and the site after it ("tight left hamstring", "tightness in
#: my calf") or between the site and "tight" ("hips are so tight", "calves felt a bit tight").
_TIGHT_BEFORE_SITE = re.compile(
    rf"(?<!\bno\s)(?<!\bnot\s)(?<!\bzero\s)\b{_TIGHT}"
    r"(?:\s+(?:in|on|at|my|the|both|left|right|upper|lower|inner|outer|and|a|bit|little))*\s+$"
)
_TIGHT_AFTER_SITE = re.compile(
    r"^(?:\s+(?:is|are|was|were|feel|feels|felt|feeling|still|getting|got|a|bit|little|very|"
    r"really|so|super|quite|pretty|kinda|kind|of|slightly|bit|too|and))*"
    rf"\s+{_TIGHT}\b"
)
_HISTORY = re.compile(
    r"\b(?:after|since|from|post|recovering\s+from|recovered\s+from|returning\s+from)\s+"
    r"(?:the|my|a|an|that|this|last|old)?\s*(?:\w+\s+){0,2}$"
)
_CLAUSE_SPLIT = re.compile(r"[.!?;\n]+|\bbut\b|\bthough\b|\balthough\b|\bhowever\b|\bwhereas\b")
_WORD = re.compile(r"[a-z0-9']+")

#: Whole words only: "terrible" holds "rib", "headed" holds "head", "bumped" holds "bum".
_SITE_RE = re.compile(
    "|".join(rf"(?P<{name}>\b(?:{pat})\b)" for name, pat in SITE_PATTERNS.items()),
    re.IGNORECASE,
)
_CUE_RE = re.compile(rf"\b(?:{_PAIN_CUES}|{_SORE})\b")

_SIDES = side_words(ENGLISH_SIDES, after=False)

#: How many words back a negator may stand and still govern a pain word
#: ("no real pain in the knee"; VADER uses the same three-word window for negation).
NEGATION_WINDOW = 3


@dataclass(frozen=True, slots=True)
class PainSignal:
    """Result of reading pain from one text."""

    pain: bool
    sites: tuple[str, ...]
    mentioned: bool  # some pain word appeared (negated or not): we know rather than guess
    confidence: float
    #: Sites said to be tight but not painful: watch them, do not guard them.
    watch_sites: tuple[str, ...] = ()
    #: The side said of a flagged site ("left knee" -> {"knee": "left"}; see nlu.sides).
    sides: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Cue:
    word_index: int
    negated: bool
    sore_only: bool
    implied_site: str | None


def normalize(text: str) -> str:
    """Lower-case, straight apostrophes: the form every extractor reads."""
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def _clause_cues(clause: str, starts: list[int]) -> list[_Cue]:
    cues: list[_Cue] = []
    for match in _CUE_RE.finditer(clause):
        word = match.group(0)
        idx = bisect_right(starts, match.start()) - 1
        before = clause[: match.start()]
        phrase = _PHRASE_BREAK.split(before)[-1]
        window_words = _WORD.findall(phrase)[-NEGATION_WINDOW:]
        negated = any(_NEGATORS.fullmatch(w) for w in window_words)
        if negated and (_DOUBLE_NEGATION.search(phrase) or _HEDGED.search(phrase)):
            negated = False  # "can't run without pain", "not too much pain": still pain
        if _RESOLVED.search(clause[match.start() :]) or re.search(r"\bno\s+longer\b", before):
            negated = True
        if word.startswith("injur") and _HISTORY.search(before):
            negated = True  # "back after the injury", "since my injury": history, not a new signal
        implied = next((site for key, site in _SITE_IMPLIED.items() if key in word), None)
        cues.append(_Cue(idx, negated, bool(re.fullmatch(_SORE, word)), implied))
    return cues


def _clause_sites(clause: str, starts: list[int]) -> list[tuple[str, int, int, int]]:
    """(site, word index, start, end) of every body site named in the clause."""
    out = []
    for m in _SITE_RE.finditer(clause):
        if m.lastgroup is not None:
            out.append((m.lastgroup, max(bisect_right(starts, m.start()) - 1, 0), *m.span()))
    return out


def _is_tight(clause: str, start: int, end: int) -> bool:
    return bool(
        _TIGHT_BEFORE_SITE.search(clause[:start]) or _TIGHT_AFTER_SITE.match(clause[end:])
    )


def read_pain(text: str) -> PainSignal:
    """Pain flag and flagged sites of a free-text check-in (see module docstring)."""
    norm = normalize(text)
    flagged: list[str] = []
    sided: list[tuple[str, str]] = []
    tight: list[str] = []
    any_cue = False
    any_pain = False
    for clause in _CLAUSE_SPLIT.split(norm):
        if not clause.strip():
            continue
        starts = [m.start() for m in _WORD.finditer(clause)]
        sites = _clause_sites(clause, starts)
        tight.extend(site for site, _, a, b in sites if _is_tight(clause, a, b))
        cues = _clause_cues(clause, starts)
        if not cues:
            continue
        any_cue = True
        for cue in cues:
            if cue.implied_site and not cue.negated:
                flagged.append(cue.implied_site)
        for site, idx, start, end in sites:
            cue = min(cues, key=lambda c: abs(c.word_index - idx))
            if cue.negated or (cue.sore_only and site in MUSCLE_SITES):
                continue
            flagged.append(site)
            side = side_of(_SIDES, clause, start, end)
            if side is not None:
                sided.append((site, side))
        # A real pain word counts even when no site stands near it ("it hurts").
        any_pain = any_pain or any(not c.negated and not c.sore_only for c in cues)
    sites_out = tuple(dict.fromkeys(flagged))
    watch = tuple(dict.fromkeys(site for site in tight if site not in sites_out))
    pain = bool(sites_out) or any_pain
    # Site named: sure. Pain word without site: less sure. Nothing said about pain: we do not
    # know (low confidence, so the dialogue may ask), unless a tight site was named.
    confidence = 0.3
    if pain:
        confidence = 0.9 if sites_out else 0.6
    elif any_cue:
        confidence = 0.9
    elif watch:
        confidence = 0.6
    return PainSignal(
        pain=pain,
        sites=sites_out,
        mentioned=any_cue,
        confidence=confidence,
        watch_sites=watch,
        sides=merge_sides(sided),
    )
