"""Finding a lender's name in a message, from the aliases in the flow files.

Both sides are matched in one form: NFKC (half-width ｶﾅ and full-width ＡＢＣ become カナ and ABC),
lower case, katakana as hiragana, runs of spaces as one. Longer aliases are tried first (a bank's
name plus the brand before the brand alone), Latin ones only as whole words (a short romaji alias is
not found inside a longer English word), and a name denied right after it (「〇〇じゃなくて」) does not
count. Typos are data: each flow lists the ones people make. The generic flow's aliases (「その他」
「ほかの会社」) count only as an answer to the question which lender it is: in a free message
「ほかの会社」 usually means borrowing elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.diagnosis.flow import Flow
from bot.core.understanding.textnorm import clean, fold_kana

_SPACES = re.compile(r"\s+")
_LATIN = re.compile(r"[a-z0-9 .]+")
# Said right after a name: it is not that lender (「〇〇じゃなくて」, 「〇〇ではない」).
_DENIED = re.compile(r"^(?:の方)?(?:じゃなく|じゃない|ではなく|ではない|でなく|じゃな|とちが|と違|ちが|違)")


def key(text: str) -> str:
    """The form a message and an alias are compared in."""
    return _SPACES.sub(" ", fold_kana(clean(text).lower()))


class Detector:
    """Finds the lenders named in a text, in the order they are named."""

    def __init__(self, flows: Iterable[Flow]) -> None:
        named: list[tuple[str, str]] = []
        answers: list[tuple[str, str]] = []
        for flow in flows:
            for alias in {key(a) for a in (*flow.aliases, flow.lender["name"]) if key(a)}:
                (answers if flow.generic else named).append((alias, flow.lender_id))
        # Longest first: a bank's name plus the brand is found before the brand alone.
        self._named = sorted(named, key=lambda pair: -len(pair[0]))
        self._answers = sorted([*named, *answers], key=lambda pair: -len(pair[0]))
        # Every name at once, longest first, for :meth:`mask` (the names only, without their spaces).
        names = sorted({a for a, _ in named if " " not in a}, key=len, reverse=True)
        pieces = [rf"(?<![a-z0-9]){re.escape(n)}(?![a-z0-9])" if _LATIN.fullmatch(n) else re.escape(n) for n in names]
        self._names = re.compile("|".join(pieces)) if pieces else None

    def find(self, text: str) -> list[str]:
        """The lenders a message names (not the generic one), first named first."""
        return self._scan(key(text), self._named)

    def mask(self, text: str) -> str:
        """The text without the lenders' names (for reading what it asks: a name says nothing about that).

        Matched in the same form as :meth:`find`, on the NFKC text; a text whose form changes length
        (rare letters whose lower case is longer) is returned as it is.
        """
        body = clean(text)
        low = fold_kana(body.lower())
        if len(low) != len(body) or self._names is None:
            return text
        pieces, at = [], 0
        for match in self._names.finditer(low):
            pieces.append(body[at : match.start()])
            at = match.end()
        return "".join(pieces) + body[at:] if pieces else text

    def answer(self, text: str) -> str | None:
        """The lender an answer to 「どちらの会社ですか？」 names (the generic one too), or None."""
        found = self._scan(key(text), self._answers)
        return found[0] if len(found) == 1 else None

    @staticmethod
    def _scan(body: str, aliases: list[tuple[str, str]]) -> list[str]:
        taken = [False] * len(body)
        hits: list[tuple[int, str]] = []
        for alias, lender in aliases:
            start = body.find(alias)
            while start >= 0:
                end = start + len(alias)
                free = not any(taken[start:end])
                if free and _LATIN.fullmatch(alias):
                    before = body[start - 1] if start else " "
                    after = body[end] if end < len(body) else " "
                    free = not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())
                if free:
                    taken[start:end] = [True] * len(alias)
                    if not _DENIED.match(body[end:]):
                        hits.append((start, lender))
                start = body.find(alias, start + 1)
        return list(dict.fromkeys(lender for _, lender in sorted(hits)))
