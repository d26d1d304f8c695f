"""German: how athletes say effort, time, sleep, pain and mood.

Patterns match the folded text (``nlu.lang.text.fold``): lower case, "ß" written "ss" (as
athletes often type it); umlauts are matched with and without ("müde", "muede"). Compounds
carry the site and the pain in one word ("Knieschmerzen", "Wadenkrampf",
"Leistenzerrung"), so site words allow a tail and pain words a head. Sports idiom:
"Muskelkater" is muscle soreness after training, not injury; "fest", "verspannt" are tight
muscles (watch, not pain); "zwickt", "zieht" are mild pain, still pain.
"""

from __future__ import annotations

from nlu.lang.numbers import word_numbers
from nlu.lang.spec import (
    DurationRule,
    LanguageSpec,
    PainLexicon,
    SentimentLexicon,
    WellnessRule,
)

_U = r"(?:ü|ue)"
_A = r"(?:ä|ae)"
_O = r"(?:ö|oe)"

_UNITS = {
    "null": 0, "ein": 1, "eins": 1, "eine": 1, "einer": 1, "einen": 1, "einem": 1,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5, "sechs": 6, "sieben": 7,
    "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwoelf": 12,
    "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "fuenfzehn": 15, "sechzehn": 16,
    "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, "anderthalb": 1.5,
    "eineinhalb": 1.5, "zweieinhalb": 2.5, "dreieinhalb": 3.5,
}  # fmt: skip
_TENS = {
    "zwanzig": 20, "dreissig": 30, "vierzig": 40, "fünfzig": 50, "fuenfzig": 50,
    "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90, "hundert": 100,
}  # fmt: skip

_H = rf"h|std\.?|stunden?|st{_U}ndchen"
_M = rf"min\.?|mins|minuten?|min{_U}tig\w*|'"

_COMMON = frozenset(
    (
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "und", "oder",
        "aber", "nicht", "kein", "keine", "ich", "mir", "mich", "mein", "meine", "bin", "ist",
        "war", "hatte", "habe", "hab", "heute", "gestern", "sehr", "schon", "noch", "nur", "mit",
        "ohne", "nach", "vor", "beim", "im", "am", "zum", "zur", "auf", "fur", "fuer", "auch",
        "gut", "schlecht", "training", "einheit", "lauf", "laufen", "gelaufen", "rad", "schwimmen",
        "kraft", "beine", "knie", "ruecken", "rücken", "stunde", "stunden", "minuten",
        "geschlafen", "schlaf", "mude", "müde", "schmerzen", "tut", "weh", "belastung",
        "anstrengung", "spiel", "tempo", "woche", "tag", "locker",
    )
)

SPEC = LanguageSpec(
    code="de",
    name="Deutsch",
    letters={"ß": "ss"},
    script=r"[a-zA-ZäöüßÄÖÜ]",
    common_words=_COMMON,
    numbers=word_numbers(_UNITS, _TENS, "und", unit_first=True),
    hour_units=_H,
    minute_units=_M,
    durations=(
        DurationRule(r"(?P<h>\d)\s*h\s*(?P<m>[0-5]\d)(?!\d)"),
        DurationRule(r"(?P<h>{NUM})\s*{H}\s*(?:und\s+)?(?P<m>{NUM})\s*{M}"),
        DurationRule(r"(?:eine\s+)?dreiviertel\s*stunde", fixed=45.0),
        DurationRule(r"(?:eine\s+)?viertel\s*stunde", fixed=15.0),
        DurationRule(r"(?:eine\s+)?halbe\s+stunde", fixed=30.0),
        DurationRule(r"(?P<h>{NUM})\s*-?\s*{H}"),
        DurationRule(r"(?P<m>{NUM})\s*-?\s*{M}", in_hours=False),
    ),
    rpe_keys=(
        rf"belastung(?:sempfinden|sgef{_U}hl)?|anstrengung(?:sgrad)?|intensit{_A}t|"
        rf"gef{_U}hlte\s+(?:anstrengung|belastung)|h{_A}rte|borg(?:-?wert)?"
    ),
    rpe_fillers=(
        rf"war|ist|bei|lag\s+bei|etwa|ca\.?|circa|ungef{_A}hr|so|eine?|von|auf|um\s+die|"
        rf"gef{_U}hlt|knapp|{_U}ber|zwischen|:|=|-|~"
    ),
    out_of_ten=r"von\s+(?:10|zehn)(?!\d)",
    rpe_rated=(
        rf"(?<!\w)(?:gebe?|w{_U}rde)\s+(?:ich\s+)?(?:\w+\s+){{0,3}}?(?:eine\s+)?{{N}}",
    ),
    not_rpe_before=rf"schlaf\w*|geschlafen|stimmung|laune|schmerz\w*|stress|motivation|"
    rf"energie|m{_U}digkeit",
    sleep_words=r"(?<!\w)(?:geschlafen|schlaf|schlafe|schlief|schlafen|nachtruhe|gepennt)(?!\w)",
    distance_units={r"km|kilometer|k": 1.0, r"m|meter": 0.001, r"meilen?": 1.609344},
    repetition_before=rf"mal|(?:wiederholungen|serien|s{_A}tze)\s+(?:à|a|zu|{_U}ber)",
    not_session_after=rf"(?:ein|aus)laufen|aufw{_A}rm\w*|einfahren|ausfahren|warm-?up|cool-?down",
    time_of_day_before=r"(?<!\w)(?:um|ab|bis|gegen)",
    wellness=(
        WellnessRule(
            "soreness",
            rf"muskelkater|steif\w*|schwere\s+beine|beine\s+(?:sind\s+|waren\s+)?"
            rf"(?:schwer|hart|fest|bleischwer)|verspannt\w*|verh{_A}rt\w*",
            5,
        ),
        WellnessRule(
            "soreness",
            r"frische\s+beine|beine\s+(?:sind\s+|waren\s+)?(?:frisch|leicht|locker)|"
            r"lockere\s+beine",
            2,
        ),
        WellnessRule(
            "fatigue",
            rf"platt|tot|(?:fix\s+und\s+|v{_O}llig\s+|total\s+|komplett\s+)fertig|kaputt|"
            rf"ersch{_O}pft|ausgelaugt|am\s+ende|keine\s+kraft|keine\s+energie|ausgebrannt",
            6,
        ),
        WellnessRule(
            "fatigue",
            rf"m{_U}de|m{_U}digkeit|schlapp|erm{_U}det|tr{_A}ge|lustlos|z{_A}h|ausgepowert",
            5,
        ),
        WellnessRule(
            "fatigue", r"frisch|ausgeruht|erholt|energiegeladen|voller\s+energie|spritzig", 2
        ),
        WellnessRule(
            "stress",
            rf"stress|gestresst|angespannt|nerv{_O}s|{_U}berfordert|unter\s+druck|hektisch",
            5,
        ),
        WellnessRule("stress", r"entspannt|gelassen|stressfrei|tiefenentspannt", 2),
        WellnessRule("mood", r"deprimiert|am\s+boden|niedergeschlagen", 6),
        WellnessRule(
            "mood",
            rf"schlechte\s+laune|mies(?:e)?\s+(?:drauf|gelaunt|laune)|genervt|frustriert|"
            rf"traurig|unmotiviert|demotiviert|keinen?\s+bock|schlecht\s+gelaunt|sauer|"
            rf"{_A}rgerlich",
            5,
        ),
        WellnessRule(
            "mood",
            rf"gute\s+laune|gut\s+gelaunt|motiviert|gl{_U}cklich|{_U}bergl{_U}cklich|happy|"
            rf"zufrieden|froh|begeistert|euphorisch|stolz|gut\s+drauf",
            2,
        ),
        WellnessRule(
            "sleep_quality",
            r"(?:schlecht|mies|miserabel|kaum|wenig|unruhig)\s+geschlafen|"
            r"nicht\s+(?:gut\s+)?geschlafen|schlaflos\w*|(?:unruhige|schlechte|kurze)\s+nacht|"
            r"schlechter\s+schlaf",
            6,
        ),
        WellnessRule(
            "sleep_quality",
            r"(?:gut|super|tief|prima)\s+geschlafen|wie\s+ein\s+stein\s+geschlafen|"
            r"erholsame\s+nacht|ausgeschlafen",
            2,
        ),
    ),
    wellness_negator=r"(?<!\w)(?:nicht|kein\w*|nie|ohne)\s+(?:\w+\s+)?",
    intensifiers=(
        rf"(?<!\w)(?:sehr|total|v{_O}llig|extrem|richtig|mega|super|echt|komplett|ziemlich|"
        r"voll|so|wahnsinnig|unglaublich)\s+"
    ),
    softeners=r"(?<!\w)(?:etwas|ein\s+bisschen|bisschen|leicht|ein\s+wenig|eher)\s+",
    pain=PainLexicon(
        sides={"left": r"link\w*", "right": r"recht\w*", "both": r"beide\w*|beidseitig\w*"},
        side_after=True,
        sites={
            "lower_back": rf"unter(?:e[nrms]?)?\s+r{_U}cken\w*|lendenwirbel\w*|lws|lende\w*|"
            r"kreuz(?!heb|band)\w*|ischias\w*|hexenschuss|steiss\w*|iliosakral\w*|isg",
            "upper_back": rf"ober(?:e[nrms]?)?\s+r{_U}cken\w*|bws|schulterbl(?:a|{_A})tt\w*|"
            r"brustwirbel\w*",
            "back": rf"r{_U}cken(?!schwimm)\w*",
            "hip_flexor": rf"h{_U}ftbeuger\w*|psoas\w*|iliopsoas",
            "it_band": r"it-?band\w*|tractus\w*|iliotibial\w*",
            "achilles": r"achilles\w*|achillodynie",
            "hamstring": rf"hamstrings?|beinbeuger\w*|oberschenkelr{_U}ckseite\w*|"
            r"hinter(?:e[nrms]?)?\s+oberschenkel\w*|ischiocrural\w*",
            "knee": r"knie(?!beug)\w*|patella\w*|meniskus\w*|kreuzband\w*",
            "shin": r"schienbein\w*",
            "ankle": r"kn(?:ö|oe|o)chel\w*|sprunggelenk\w*|fussgelenk\w*|au(?:ss|ß)enband\w*",
            "shoulder": r"schulter(?!bl)\w*|rotatorenmanschette",
            "calf": r"wade\w*|soleus",
            "groin": r"leiste|leisten(?:schmerz|zerrung|bereich|gegend|bruch|region)\w*|"
            r"adduktor\w*|schambein\w*",
            "hip": rf"h{_U}ft(?!beuger)\w*",
            "wrist": r"handgelenk\w*",
            "elbow": r"ell(?:en)?bogen\w*",
            "neck": r"nacken\w*|halswirbel\w*|hws",
            "toe": r"zehe\w*|zehen\w*|grosszeh\w*",
            "foot": rf"fuss(?!ball)\w*|f{_U}sse\w*|ferse\w*|sohle\w*|plantar\w*|mittelfuss\w*|"
            r"spann",
            "quad": rf"oberschenkel(?!r{_U}ck)\w*|quadrizeps\w*|quads?",
            "glute": rf"ges{_A}ss\w*|po|pobacke\w*|hintern|glute\w*",
            "hand": rf"hand(?!y|tuch|ball|gelenk|schuh|werk)\w*|h{_A}nde|finger\w*|daumen\w*",
            "chest": r"brust(?!schwimm|wirbel)\w*|rippe\w*",
            "head": rf"kopf(?!h{_O}rer|ball)\w*|migr{_A}ne",
        },
        pain_cues=(
            rf"\w*schmerz\w*|tut\s+weh|weh(?:getan)?|wehtun|wehtut|\w*verletz\w*|\w*zerrung\w*|"
            rf"gezerrt|verstauch\w*|umgeknickt|verknack\w*|verdreht|angeschlagen|\w*prellung|geprellt|"
            rf"\w*entz{_U}ndung\w*|entz{_U}ndet|\w*kr(?:a|{_A})mpf(?!t)\w*|geschwollen|"
            rf"schwellung|stechend\w*|sticht|zwick(?:t|en|te)|zieht(?!\s+sich)|ziehend\w*|ziehen|"
            rf"mach\w*\s+(?:mir\s+)?(?:wieder\s+)?probleme|"
            rf"beschwerden|\w+probleme|\w*riss|gerissen|bluterguss|\w*fasziitis|tendinitis|"
            rf"tendinopathie|\w*reizung|migr{_A}ne|hexenschuss|l{_A}uferknie|springerknie|"
            rf"tennisarm|golferarm|fersensporn|aua|autsch"
        ),
        sore_cues=r"muskelkater|muskelschmerz\w*",
        tight_cues=rf"fest|verspannt\w*|verspannung\w*|verh{_A}rt\w*|hart|steif|zugemacht|blockiert",
        negators=(
            r"nicht|kein|keine|keinen|keiner|keinem|keines|keinerlei|nie|niemals|ohne|null|"
            r"nichts"
        ),
        implied_sites={
            rf"l{_A}uferknie|springerknie": "knee",
            r"tennisarm|golferarm": "elbow",
            rf"migr{_A}ne": "head",
            r"hexenschuss": "lower_back",
            r"fersensporn|fasziitis": "foot",
            r"knochenhaut|schienbeinkant": "shin",
        },
        post_negation=(
            r"^\s*[:=-]?\s*(?:keine?|keinerlei|null|nein|0)(?!\w)|"
            r"^\s+(?:\w+\s+)?(?:nicht|gar\s+nicht|kaum|{u}berhaupt\s+nicht)(?!\w)|"
            r"^\s+(?:habe|hab|hatte|gab\s+es|gibt\s+es)\s+(?:ich\s+)?(?:heute\s+)?"
            r"(?:keine?|keinerlei)(?!\w)"
        ).replace("{u}", _U),
        resolved=(
            r"(?<!\w)(?:weg|verschwunden|vorbei|verheilt|ausgeheilt|abgeklungen|auskuriert)"
            r"(?!\w)|(?:schmerz|beschwerde|verletzungs)(?:frei|los)"
        ),
        hedges=(
            r"(?<!\w)(?:nicht|kein\w*)\s+(?:mehr\s+)?(?:so|sehr|allzu|besonders|zu|ganz\s+so|"
            r"wirklich|sonderlich|viel)(?:\s+\w+)?\s*$"
        ),
        post_hedges=(
            r"^\s+(?:\w+\s+)?(?:nicht|kaum)\s+(?:mehr\s+)?(?:so|sehr|allzu|besonders|"
            r"sonderlich)(?!\w)"
        ),
        double_negation=(
            r"(?<!\w)(?:nicht|kaum|nie)\s+ohne\s+(?:\w+\s+){0,2}$|"
            r"(?<!\w)(?:kann|konnte)\s+(?:\w+\s+){0,3}?nicht\s+(?:\w+\s+){0,3}?ohne\s+"
            r"(?:\w+\s+){0,2}$"
        ),
        injury_cues=r"verletz|zerrung|riss|bruch|prellung",
        history=(
            rf"(?<!\w)(?:nach|seit)\s+(?:der|meiner|dem|meinem|einer|einem|langer|l{_A}ngerer)"
            r"\s+(?:\w+\s+){0,2}$"
        ),
    ),
    sentiment=SentimentLexicon(
        negators=r"nicht|kein\w*|nie|niemals|ohne|nichts|null",
        boosters=(
            rf"sehr|total|v{_O}llig|extrem|richtig|mega|super|echt|komplett|voll|so|"
            rf"wahnsinnig|unglaublich|absolut|besonders|ziemlich|h{_O}chst|zu|hammer"
        ),
        dampeners=r"etwas|bisschen|leicht|wenig|eher|kaum",
        contrast=r"aber|doch|jedoch|allerdings|trotzdem",
    ),
    clause_split=(
        r"[.!?;\n]+|(?<!\w)(?:aber|doch|jedoch|trotzdem|allerdings|obwohl|sondern)(?!\w)"
    ),
    intents={
        "greet": r"^\s*(?:hallo|hi|hey|moin|servus|guten\s+(?:morgen|tag|abend))(?!\w)",
        "help": r"(?<!\w)(?:hilfe|wie\s+funktioniert|was\s+kannst\s+du)(?!\w)",
        "ask_today": rf"(?<!\w)(?:was\s+(?:mache|trainiere|steht)\s+(?:ich\s+)?heute|"
        rf"plan\s+f{_U}r\s+heute|heutiges\s+training|was\s+steht\s+an)(?!\w)",
        "ask_why": r"(?<!\w)(?:warum|wieso|weshalb)(?!\w)",
        "thanks": rf"(?<!\w)(?:danke|vielen\s+dank|dankesch{_O}n)(?!\w)",
    },
)
