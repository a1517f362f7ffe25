"""Japanese text normalisation for matching what people type against small keyword tables.

NFKC folds full-width digits/letters and half-width katakana; katakana is then folded to hiragana
so that "カード", "ｶｰﾄﾞ" and "かーど" all compare equal; case, spaces and punctuation are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_KATAKANA_START = 0x30A1
_KATAKANA_END = 0x30F6
_KANA_SHIFT = 0x60
# Characters that carry no meaning for matching (spaces, punctuation, symbols, emoji selectors).
_NOISE = re.compile(r"[\s\u3000、。，．,.!?！？・…〜~\-_「」『』（）()\[\]【】\"'`:;：；/／♪☆★※]+")
# Control characters and the characters that show nothing but can sit inside a word or a number
# (soft hyphen, zero-width spaces and joiners, word joiner, bidi marks, byte-order mark).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    r"\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)


def fold_kana(text: str) -> str:
    """Turn katakana into hiragana (the long-vowel mark stays as is)."""
    out = []
    for ch in text:
        code = ord(ch)
        if _KATAKANA_START <= code <= _KATAKANA_END:
            out.append(chr(code - _KANA_SHIFT))
        else:
            out.append(ch)
    return "".join(out)


def clean(text: str) -> str:
    """NFKC plus control characters removed and surrounding space trimmed; keeps the text readable."""
    return _CONTROL.sub("", unicodedata.normalize("NFKC", text)).strip()


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """The matching key of a text: NFKC, lower case, katakana as hiragana, no spaces or punctuation.

    The long-vowel mark stays: dropping it would make "カード" collide with "かど" (as in かどうか).
    Cached: the same labels and short answers are compared many times a turn.
    """
    text = clean(text).lower()
    return _NOISE.sub("", fold_kana(text))
