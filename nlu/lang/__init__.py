"""The languages coachloop reads, each one module of data (``nlu/lang/<code>.py``).

English is read by the original rules (``nlu/extract.py``, ``nlu/pain.py``) and models; the
other languages are ``LanguageSpec``s read by the multilingual readers. ``SUPPORTED`` is the
order in which pain words are looked for in every message whatever its detected language.
"""

from __future__ import annotations

from nlu.lang import de, en, es, ru, zh
from nlu.lang.spec import LanguageSpec

ENGLISH = "en"
SPECS: dict[str, LanguageSpec] = {spec.code: spec for spec in (es.SPEC, de.SPEC, ru.SPEC, zh.SPEC)}
SUPPORTED: tuple[str, ...] = (ENGLISH, *SPECS)

__all__ = ["ENGLISH", "SPECS", "SUPPORTED", "LanguageSpec", "de", "en", "es", "ru", "zh"]
