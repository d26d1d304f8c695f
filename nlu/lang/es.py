"""Spanish (Spain and Latin America): how athletes say effort, time, sleep, pain and mood.

Patterns match the folded text (``nlu.lang.text.fold``): lower case, acute accents dropped
(athletes often type "sesion", "lesion", "despues"), so every word here is written without
them. Sports idiom: "agujetas" is muscle soreness after training, not injury; "cargado",
"sobrecarga" are tight, loaded muscles (watch, not pain); "contractura", "tirón",
"rampa" (Spain: cramp), "tocado", "fastidiado" are pain.
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

_UNITS = {
    "cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
    "trece": 13, "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17,
    "dieciocho": 18, "diecinueve": 19, "veintiun": 21, "veintiuno": 21, "veintiuna": 21,
    "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
}  # fmt: skip
_TENS = {
    "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60,
    "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100,
}  # fmt: skip

_H = r"h|hr|hrs|hs|horas?|horitas?"
_M = r"min|mins|minutos?|minutitos?|'"

_COMMON = frozenset(
    (
        "de", "la", "el", "los", "las", "un", "una", "unos", "y", "o", "pero", "que", "me", "mi",
        "mis", "te", "se", "lo", "le", "con", "sin", "por", "para", "en", "al", "del", "hoy",
        "ayer", "muy", "mas", "menos", "ya", "no", "si", "estoy", "estaba", "fue", "ha", "he",
        "hice", "tengo", "tenia", "siento", "senti", "noto", "todo", "nada", "bien", "mal",
        "entreno", "entrenamiento", "sesion", "rodaje", "carrera", "correr", "corri", "bici",
        "natacion", "gimnasio", "series", "piernas", "rodilla", "espalda", "hora", "horas",
        "minutos", "dormi", "sueño", "cansado", "duele", "dolor", "esfuerzo", "intensidad",
        "partido", "tirada", "cuestas", "tobillo", "gemelo", "semana", "dia",
    )
)

SPEC = LanguageSpec(
    code="es",
    name="español",
    letters={"á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "ü": "u"},
    script=r"[a-zA-ZáéíóúñÁÉÍÓÚÑ]",
    common_words=_COMMON,
    numbers=word_numbers(_UNITS, _TENS, r"\s+y\s+"),
    hour_units=_H,
    minute_units=_M,
    durations=(
        DurationRule(r"(?P<h>\d)\s*h\s*(?P<m>[0-5]\d)(?!\d)"),
        DurationRule(r"(?P<h>{NUM})\s*{H}\s*(?:y\s+)?(?P<m>{NUM})\s*{M}"),
        DurationRule(r"(?P<h>{NUM})\s*{H}\s+y\s+(?P<half>media)"),
        DurationRule(r"(?P<h>{NUM})\s*{H}\s+y\s+(?P<quarter>cuarto)"),
        DurationRule(r"hora\s+y\s+(?P<half>media)", fixed=60.0),
        DurationRule(r"hora\s+y\s+(?P<quarter>cuarto)", fixed=60.0),
        DurationRule(r"(?:tres\s+)?cuartos\s+de\s+hora", fixed=45.0),
        DurationRule(r"media\s+hora", fixed=30.0),
        DurationRule(r"(?P<h>{NUM})\s*-?\s*{H}"),
        DurationRule(r"(?P<m>{NUM})\s*-?\s*{M}", in_hours=False),
    ),
    rpe_keys=(
        r"esfuerzo(?:\s+percibido)?|intensidad|percepcion\s+del\s+esfuerzo|exigencia|"
        r"nivel\s+de\s+esfuerzo|dureza|carga|nota"
    ),
    rpe_fillers=(
        r"de|del|fue|es|era|un|una|sobre|como|alrededor\s+de|aprox\w*|unos|mas\s+o\s+menos|"
        r"percibid[oa]|en|a|entre|:|=|-|~"
    ),
    out_of_ten=r"(?:de|sobre)\s+(?:10|diez)(?!\d)",
    rpe_rated=(
        r"(?<!\w)(?:le|lo|la)\s+(?:doy|pongo|puse|di|califico|calificaria|pondria|daria)\s+"
        r"(?:(?:un|una|con|como)\s+)?{N}",
        r"(?<!\w)(?:un|una)\s+{N}\s+de\s+(?:esfuerzo|intensidad)",
    ),
    not_rpe_before=r"sueño|dorm\w*|animo|humor|dolor|estres|motivacion|energia|cansancio|fatiga",
    sleep_words=r"(?<!\w)(?:dorm\w*|sueño|siesta|descanse)(?!\w)",
    distance_units={r"km|kms|kilometros?|k": 1.0, r"m|metros?|mts": 0.001, r"millas?": 1.609344},
    repetition_before=r"series\s+de|repeticiones\s+de|veces|bloques\s+de|por",
    not_session_after=r"(?:de\s+)?(?:calentamiento|calentar|vuelta\s+a\s+la\s+calma|enfriamiento)",
    time_of_day_before=r"(?<!\w)(?:a|desde|hasta|sobre)\s+las?",
    wellness=(
        WellnessRule(
            "soreness",
            r"agujetas|dolorid[oa]s?|adolorid[oa]s?|piernas\s+(?:cargadas|pesadas|duras)|"
            r"cargad[oa]s?|rigid[oa]s?|entumecid[oa]s?|molid[oa]s?",
            5,
        ),
        WellnessRule("soreness", r"piernas\s+(?:frescas|ligeras|sueltas)", 2),
        WellnessRule(
            "fatigue",
            r"agotad[oa]s?|reventad[oa]s?|muert[oa]s?|destrozad[oa]s?|hech[oa]\s+polvo|"
            r"sin\s+energia|sin\s+fuerzas?|exhaust[oa]s?|fundid[oa]s?|petad[oa]s?|"
            r"cansadisim[oa]s?|rendid[oa]s?",
            6,
        ),
        WellnessRule(
            "fatigue",
            r"cansad[oa]s?|cansancio|fatigad[oa]s?|fatiga|flojo|floja|pesad[oa]s?|"
            r"sin\s+chispa|somnolient[oa]s?|con\s+sueño",
            5,
        ),
        WellnessRule(
            "fatigue",
            r"fresc[oa]s?|descansad[oa]s?|con\s+energia|llen[oa]\s+de\s+energia|"
            r"recuperad[oa]s?|con\s+fuerzas?|a\s+tope",
            2,
        ),
        WellnessRule(
            "stress",
            r"estres|estresad[oa]s?|ansios[oa]s?|ansiedad|agobiad[oa]s?|nervios[oa]s?|"
            r"presion|preocupad[oa]s?",
            5,
        ),
        WellnessRule("stress", r"relajad[oa]s?|calmad[oa]s?|sin\s+estres", 2),
        WellnessRule("mood", r"deprimid[oa]s?|hundid[oa]s?|fatal\s+de\s+animo", 6),
        WellnessRule(
            "mood",
            r"(?:de\s+)?mal\s+humor|desmotivad[oa]s?|tristes?|bajon|frustrad[oa]s?|hart[oa]s?|"
            r"enfadad[oa]s?|mosquead[oa]s?|sin\s+ganas|desanimad[oa]s?|rabia",
            5,
        ),
        WellnessRule(
            "mood",
            r"motivad[oa]s?|content[oa]s?|contentisim[oa]s?|feliz|felices|animad[oa]s?|"
            r"de\s+buen\s+humor|ilusionad[oa]s?|con\s+ganas|alegres?|satisfech[oa]s?",
            2,
        ),
        WellnessRule(
            "sleep_quality",
            r"dormi\s+(?:muy\s+)?(?:mal|fatal|poco|regular|horrible|de\s+pena)|"
            r"mal\s+dormid[oa]|(?:mala|horrible|fatal)\s+noche|noche\s+(?:mala|horrible|fatal)|"
            r"insomnio|no\s+(?:he\s+)?(?:pude\s+)?dormi(?:do|r)?(?:\s+bien)?|"
            r"apenas\s+(?:he\s+)?dormi(?:do)?|casi\s+no\s+dormi",
            6,
        ),
        WellnessRule(
            "sleep_quality",
            r"dormi\s+(?:muy\s+)?(?:bien|genial|de\s+maravilla|como\s+un\s+(?:tronco|bebe|liron))|"
            r"buen\s+descanso|descanse\s+bien|(?:buena|gran)\s+noche",
            2,
        ),
    ),
    wellness_negator=r"(?<!\w)(?:no|sin|nada|ni|nunca)\s+(?:\w+\s+)?",
    intensifiers=(
        r"(?<!\w)(?:muy|super|re|bastante|demasiado|tan|totalmente|completamente|mega|"
        r"extremadamente|realmente)\s+"
    ),
    softeners=r"(?<!\w)(?:un\s+poco|algo|un\s+poquito|ligeramente|medio|un\s+pelin)\s+",
    pain=PainLexicon(
        sides={
            "left": r"izquierd[oa]s?|izq",
            "right": r"derech[oa]s?|dcha",
            "both": r"ambos|ambas|dos",
        },
        side_after=True,
        sites={
            "lower_back": r"espalda\s+baja|zona\s+lumbar|lumbar(?:es)?|lumbago|"
            r"parte\s+baja\s+de\s+la\s+espalda|riñones|sacro",
            "upper_back": r"espalda\s+alta|parte\s+alta\s+de\s+la\s+espalda|dorsal(?:es)?|"
            r"omoplatos?|escapulas?",
            "back": r"espalda",
            "hip_flexor": r"flexor(?:es)?\s+de\s+(?:la\s+)?cadera|psoas|iliopsoas",
            "it_band": r"cintilla(?:\s+iliotibial)?|banda\s+iliotibial",
            "achilles": r"(?:tendon\s+de\s+)?aquiles|aquileo",
            "hamstring": r"isquiotibial(?:es)?|isquios?|isquiosurales?|femoral(?:es)?|"
            r"biceps\s+femoral|parte\s+(?:de\s+atras|posterior)\s+del\s+muslo",
            "knee": r"rodillas?|rodiyas?|rodila|rotulas?|rotulian[oa]|menisco|patelar|"
            r"ligamento\s+cruzado",
            "shin": r"espinillas?|tibias?",
            "ankle": r"tobillos?|tobiyos?",
            "shoulder": r"hombros?|manguito\s+rotador",
            "calf": r"gemelos?|pantorrillas?|soleo",
            "groin": r"ingle|aductor(?:es)?|pubis",
            "hip": r"caderas?",
            "wrist": r"muñecas?",
            "elbow": r"codos?",
            "neck": r"cuello|cervical(?:es)?|nuca",
            "toe": r"dedos?\s+(?:del|de\s+los)\s+pies?|dedo\s+gordo|uñas?\s+del\s+pie",
            "foot": r"planta\s+del\s+pie|(?<!de\s)(?<!a\s)pies?|talon(?:es)?|fascia\s+plantar|"
            r"empeine|metatarsos?|arco\s+del\s+pie",
            "quad": r"cuadriceps|muslos?|cuadris?",
            "glute": r"gluteos?|nalgas?|culo|trasero",
            "hand": r"manos?|dedos?|pulgar(?:es)?|nudillos?",
            "chest": r"pecho|costillas?|pectoral(?:es)?|esternon",
            "head": r"cabeza|jaquecas?|migrañas?",
        },
        pain_cues=(
            r"dolor(?:es)?|duelen?|dolian?|dolio|dolieron|doler(?:me|le)?|doliendo|"
            r"molestias?|molesta(?:n|ba|ban)?|lesion(?:es)?|lesionad[oa]s?|lesione|lesiono|"
            r"esguinces?|torcedura|torci(?:do|da)?|torcio|tiron(?:es)?|contracturas?|"
            r"contracturad[oa]s?|calambres?|distension|rotura(?:\s+fibrilar)?|"
            r"desgarros?|tendinitis|tendinopatia|tendinosis|fascitis|periostitis|bursitis|"
            r"epicondilitis|condromalacia|lumbago|pubalgia|inflamad[oa]s?|inflamacion|"
            r"hinchad[oa]s?|hinchazon|pinchazos?|punzadas?|punzante|fracturad?[oa]?s?|"
            r"luxacion|jaquecas?|migrañas?|me\s+mata|me\s+esta\s+matando|(?<!me\s)(?<!ha\s)tocad[oa]|"
            r"fastidiad[oa]|resentid[oa]|daño|lastim\w*|golpe\w*|moreton\w*|moraton\w*|"
            r"se\s+me\s+(?:ha\s+)?(?:subio|subido)|ay+|auch"
        ),
        sore_cues=r"agujetas|dolorid[oa]s?|adolorid[oa]s?",
        tight_cues=(
            r"cargad[oa]s?|sobrecargad[oa]s?|sobrecarga|tens[oa]s?|tirantes?|tirantez|"
            r"rigid[oa]s?|entumecid[oa]s?|dur[oa]s?"
        ),
        negators=r"no|sin|nada|ningun[oa]?|ni|nunca|jamas|tampoco|cero|dejo|dejaron",
        implied_sites={
            r"periostitis": "shin",
            r"fascitis": "foot",
            r"jaqueca|migraña": "head",
            r"lumbago": "lower_back",
            r"pubalgia": "groin",
            r"epicondilitis": "elbow",
            r"condromalacia": "knee",
        },
        negation_phrases=r"(?<!\w)(?:no|sin|ningun[oa]?)\s+(?:\w+\s+)?(?:ningun|ningun[oa]|nada|"
        r"ningun\s+tipo)\s+(?:de\s+)?(?:tipo\s+de\s+)?",
        post_negation=r"^\s*[:=-]?\s*(?:ninguno|ninguna|cero|nada|0)(?!\w)",
        resolved=(
            r"se\s+(?:me\s+|le\s+)?(?:fue|ha\s+ido|paso|ha\s+pasado|quito|ha\s+quitado|curo)|"
            r"ya\s+paso|desaparecio|desaparecid[oa]|curad[oa]|libre\s+de\s+dolor|superad[oa]"
        ),
        hedges=(
            r"(?<!\w)(?:no|sin|nada|ningun[oa]?)\s+(?:\w+\s+)?(?:mucho|mucha|muy|tanto|tanta|"
            r"tan|demasiado|demasiada|gran)\s+(?:\w+\s+)?$"
        ),
        post_hedges=r"^\s+(?:\w+\s+){0,3}?(?:mucho|tanto|demasiado)(?!\w)",
        double_negation=(
            r"(?<!\w)(?:no\s+(?:puedo|pude|podia|consigo|logro)|imposible)\s+"
            r"(?:\w+\s+){0,3}?sin\s+(?:\w+\s+){0,2}$"
        ),
        injury_cues=r"lesion|esguince|rotura|desgarro|fractura",
        history=(
            r"(?<!\w)(?:tras|despues\s+de|desde|post|vuelta\s+de|volviendo\s+de|vuelvo\s+de|"
            r"recuperand\w*\s+de)\s+(?:(?:la|mi|el|una|un|esa|aquella|mis)\s+)?(?:\w+\s+){0,2}$"
        ),
    ),
    sentiment=SentimentLexicon(
        negators=r"no|nunca|jamas|sin|nada|ni|tampoco|ningun[oa]?",
        boosters=(
            r"muy|super|re|mega|tan|bastante|demasiado|totalmente|realmente|increiblemente|"
            r"sumamente|extremadamente|tremendamente|muchisimo|mucho|mas"
        ),
        dampeners=r"poco|algo|ligeramente|medio|casi|pelin",
        contrast=r"pero|aunque|sin\s+embargo",
    ),
    clause_split=r"[.!?;\n¡¿]+|(?<!\w)(?:pero|aunque|sin\s+embargo|mientras\s+que)(?!\w)",
    intents={
        "greet": r"^\s*(?:hola|buenas|buenos\s+dias|hey)(?!\w)",
        "help": r"(?<!\w)(?:ayuda|como\s+funciona|que\s+puedes\s+hacer)(?!\w)",
        "ask_today": r"(?<!\w)(?:que\s+(?:hago|entreno|toca|tengo)\s+hoy|plan\s+de\s+hoy|"
        r"entreno\s+de\s+hoy|que\s+me\s+toca)(?!\w)",
        "ask_why": r"(?<!\w)(?:por\s+que|explica\w*)(?!\w)",
        "thanks": r"(?<!\w)gracias(?!\w)",
    },
)
