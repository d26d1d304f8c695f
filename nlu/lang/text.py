"""The one form of a text that every multilingual reader matches: ``fold``.

NFKC turns full-width digits and punctuation (common in Chinese input: "８", "，", "：")
into ASCII, lower-casing makes patterns case-free, curly apostrophes become straight, and a
language may fold letters its writers often drop or swap (Spanish accents, Russian ё, German
ß), so its patterns are written once in the folded form.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

#: Straight apostrophes; the ideographic comma gets a space after it, since NFKC would make
#: "强度7，1个小时" read "7,1" as one decimal number.
_BEFORE_NFKC = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'", "\uff0c": ", ", "\u3001": "、 "}
)


def fold(text: str, letters: Mapping[str, str] | None = None) -> str:
    """NFKC, lower case, straight apostrophes, then the language's own letter folds."""
    out = unicodedata.normalize("NFKC", text.translate(_BEFORE_NFKC)).lower()
    if letters:
        table: dict[str, str | int | None] = dict(letters)
        out = out.translate(str.maketrans(table))
    return out
