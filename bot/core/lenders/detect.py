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


# Small katakana of the phonetic extensions (「アイフㇽ」 typed by a flick slip): their full-size letters.
_SMALL_KANA = str.maketrans("ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ", "クシストヌハヒフヘホムラリルレロ")
# Several lenders in one message: which one the trouble is about. After a name, 「は大丈夫」 「は普通に
# 入れる」 say that one is fine; 「前は〇〇」 「〇〇から乗り換え」 name the one before; 「〇〇だけ」
# 「〇〇の方」 point at the one in trouble.
_FINE_AFTER = re.compile(
    r"^(?:は|も|の(?:かーど|アプリ|あぷり)?は)?(?:普通に|ふつうに|平気|へいき|大丈夫|だいじょうぶ|問題な|もんだいな|入れ|はいれ|使え|つかえ|ある|手元|てもと|財布|さいふ|ok|おk|無事|ぶじ)"
)
_PAST_BEFORE = re.compile(r"(?:前は|以前は|昔は|むかしは|もともと|元々|前に)$")
_PAST_AFTER = re.compile(r"^(?:から|に|へ)?(?:乗り換え|のりかえ)|^(?:を)?(?:使ってた|つかってた|解約|かいやく)")
_POINTED_AFTER = re.compile(r"^(?:の(?:かーど|アプリ|あぷり|会員|かいいん)?)?(?:だけ|の方|のほう|が)")


def key(text: str) -> str:
    """The form a message and an alias are compared in."""
    return _SPACES.sub(" ", fold_kana(clean(text).lower().translate(_SMALL_KANA)))


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
        spans: list[tuple[int, int, str]] = []
        for alias, lender in aliases:
            start = body.find(alias)
            while start >= 0:
                end = start + len(alias)
                if not any(taken[start:end]) and _whole(body, alias, start, end):
                    taken[start:end] = [True] * len(alias)
                    if not _DENIED.match(body[end:]):
                        spans.append((start, end, lender))
                start = body.find(alias, start + 1)
        order = list(dict.fromkeys(lender for _, _, lender in sorted(spans)))
        if len(order) < 2:
            return order
        return sorted(order, key=lambda lender: _weight(body, [(s, e) for s, e, named in spans if named == lender]))


def _whole(body: str, alias: str, start: int, end: int) -> bool:
    """A Latin alias counts only as a whole word (a short romaji name inside an English word does not)."""
    if not _LATIN.fullmatch(alias):
        return True
    before = body[start - 1] if start else " "
    after = body[end] if end < len(body) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def _weight(body: str, spans: list[tuple[int, int]]) -> int:
    """How much the words around a lender's name say the trouble is about it: -1 pointed at (「だけ」
    「の方」), 1 said to be fine or a former lender; 0 otherwise (sorted stably: first named first)."""
    weight = 0
    for start, end in spans:
        after, before = body[end : end + 16], body[max(0, start - 6) : start]
        if _POINTED_AFTER.match(after):
            return -1
        if _FINE_AFTER.match(after) or _PAST_BEFORE.search(before) or _PAST_AFTER.match(after):
            weight = 1
    return weight
