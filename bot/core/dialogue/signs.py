"""A message that is only a sign (👍 🙆 🙏): read as the words it stands for, so a 👍 at a
confirmation is a yes and a 🙏 after an answer is a thank-you (never 「読み取れませんでした」)."""

from __future__ import annotations

import re

# Marks that only dress an emoji (joiners, variation selectors, skin tones, gender signs).
_DRESSING = re.compile(r"[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\u2640\u2642\s!！]")
_YES = frozenset("👍👌🆗🙆⭕○✅💯")
_PLEASE = frozenset("🙏🙇")


def as_words(text: str, waiting: bool) -> str:
    """The words a message of signs alone stands for; the text itself otherwise. ``waiting``: a question
    of a set-up waits (🙏 there is 「お願いします」, elsewhere a thank-you)."""
    signs = _DRESSING.sub("", text)
    if not signs or len(signs) > 4:
        return text
    if all(ch in _YES for ch in signs):
        return "はい"
    if all(ch in _PLEASE for ch in signs):
        return "お願いします" if waiting else "ありがとう"
    return text
