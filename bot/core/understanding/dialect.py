"""Kansai negatives read as standard ones (「延滞してへん」 -> 「延滞してない」, 「でけへん」 -> 「できない」),
so every reading after it (facts, answers, the classifier) meets the form it knows."""

from __future__ import annotations

import re

# 「してへん」 「入れへん」 「わからへん」: the e-row, the a-row or て/で, then へん (ひん after the i-row).
_HENN = re.compile(
    r"(?<=[てでえけせねめれべげへぺらかさたなまばがわ])へん(?=かった|で|ねん|よ|わ|やん|[。、,.!！?？\s]|$)"
)
_HINN = re.compile(r"(?<=[きしちにみりぎじびい])ひん(?=かった|で|ねん|よ|わ|やん|[。、,.!！?？\s]|$)")
# Whole words first: 「でけへん」 (can't), 「せえへん」 「せーへん」 「しいひん」 (don't).
_WORDS = (
    ("でけへん", "できない"),
    ("でけへんかった", "できなかった"),
    ("せえへん", "しない"),
    ("せーへん", "しない"),
    ("しいひん", "しない"),
)


# Tohoku: 「月曜でねぐて火曜」 「わがんねぐなった」 (じゃなくて, わからなく).
_TOHOKU = (("でねぐて", "じゃなくて"), ("でねくて", "じゃなくて"), ("じゃねぐて", "じゃなくて"))


def standard_negation(text: str) -> str:
    """The text with Kansai and Tohoku negatives in their standard form (the rest untouched)."""
    for word, plain in _TOHOKU:
        text = text.replace(word, plain)
    if "へん" not in text and "ひん" not in text:
        return text
    for word, plain in sorted(_WORDS, key=lambda w: -len(w[0])):
        text = text.replace(word, plain)
    text = _HENN.sub("ない", text)
    return _HINN.sub("ない", text)
