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
_DENIED = re.compile(r"^(?:の方|から|からは)?(?:じゃなく|じゃない|ではなく|ではない|でなく|じゃな|とちが|と違|ちが|違)")


# Small katakana of the phonetic extensions (「アイフㇽ」 typed by a flick slip): their full-size letters.
_SMALL_KANA = str.maketrans("ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ", "クシストヌハヒフヘホムラリルレロ")
# Several lenders in one message: which one the trouble is about. After a name, 「は大丈夫」 「のサイトは
# 普通に開ける」 say that one is fine (unless denied: 「も使えない」); 「前は〇〇」 「〇〇から乗り換え」
# 「〇〇を使ってた」 name the one before; 「〇〇と間違えて」 「〇〇と同じID」 name the one confused with;
# 「〇〇だけ」 「〇〇の方」 「…のは〇〇」 point at the one in trouble. Matched on the key (kana as hiragana).
_FINE_AFTER = re.compile(
    r"^(?:の[^、。,]{0,6}?)?(?:は|も)?(?:普通に|ふつうに|平気|へいき|大丈夫|だいじょうぶ|問題な|もんだいな|入れ|はいれ|使え|つかえ"
    r"|開け|ひらけ|開く|ひらく|見れ|みれ|ある|手元|てもと|財布|さいふ|ok|おk|無事|ぶじ|ちゃんと|できて|ろぐいんでき)"
)
_DENIED_AFTER_FINE = re.compile(r"^[^、。,]{0,4}?(?:ない|なく|ません|なかった|じゃ|では|ず)")
# 「〇〇はカードレスだから大丈夫なんだけど」 「〇〇は会員番号で入るけど」: a clause about that lender, up to
# 「けど」 「のに」, saying it is fine (and denying nothing).
_CLAUSE = re.compile(r"^(?:の[^、。,]{0,6}?)?は([^、。,]{0,24}?)(?:けど|けれど|のに|が、|ですが|から、)")
_FINE_WORDS = re.compile(
    r"大丈夫|だいじょうぶ|平気|へいき|いい|入れ|はいれ|入る|はいる|開|ひら|見れ|みれ|ちゃんと|払った|はらった|できて|できる|使え|つかえ|問題な"
    r"|何もない|なにもない|何ともない|なんともない|異常な|いじょうな|(?:家|いえ|手元|てもと|財布|さいふ)にあ|見つかっ|みつかっ"
)
_NOT = re.compile(r"(?:ない|なく|ません|なかった|ず|だめ|ダメ|無理|むり|じゃ|では)")
# A lender no longer or not the one: 「今は」 another company follows.
_ELSEWHERE = re.compile(r"今は|いまは|かーどろーん|銀行|ぎんこう|のほう|の方")
_BUT = re.compile(r"けど|けれど|のに|ですが|が、|、")
# 「〇〇と間違えて」: confused with it (「〇〇の方は間違えすぎてロック」 is about that one: と or で is needed).
_CONFUSED_AFTER = re.compile(
    r"^(?:の[^、。,]{0,8}?)?(?:と|で)(?:間違え|まちがえ|ごっちゃ|同じ|おなじ|勘違い|かんちがい)"
    # 「〇〇って言ったけど△△の間違い」: the one said before, taken back
    r"|^(?:って|と)(?:言|い)(?:った|いました)(?:けど|けれど|が)"
)
_PAST_BEFORE = re.compile(r"(?:前は|以前は|昔は|むかしは|もともと|元々|前に)$")
_PAST_AFTER = re.compile(
    r"^から(?:乗り換え|のりかえ)|^(?:に|へ)(?:乗り換え|のりかえ)(?:よう|たい|るか)|^(?:を)?(?:使ってた|つかってた|解約|かいやく)"
)
_POINTED_BEFORE = re.compile(r"(?:のは|なのは|方は|ほうは)$")
_POINTED_AFTER = re.compile(r"^(?:の[^、。,]{0,6}?)?(?:から)?(?:だけ|の方|のほう|ほう)")


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
        # Short katakana names (「モビ」), found only as words of their own, stand for the lender's name.
        short = {a: flow.lender["name"] for flow in flows for a in flow.short_aliases}
        self._short = (
            re.compile(r"(?<![ァ-ヺー])(?:" + "|".join(map(re.escape, short)) + r")(?![ァ-ヺー])") if short else None
        )
        self._short_names = short
        # Longest first: a bank's name plus the brand is found before the brand alone.
        self._named = sorted(named, key=lambda pair: -len(pair[0]))
        self._answers = sorted([*named, *answers], key=lambda pair: -len(pair[0]))
        # Every name at once, longest first, for :meth:`mask` (the names only, without their spaces).
        names = sorted({a for a, _ in named if " " not in a}, key=len, reverse=True)
        pieces = [rf"(?<![a-z0-9]){re.escape(n)}(?![a-z0-9])" if _LATIN.fullmatch(n) else re.escape(n) for n in names]
        self._names = re.compile("|".join(pieces)) if pieces else None

    def find(self, text: str) -> list[str]:
        """The lenders a message names (not the generic one), first named first."""
        return self._scan(key(self._expanded(text)), self._named)

    def places(self, text: str) -> tuple[str, list[tuple[int, int, str]]]:
        """The text in the compared form, and where each lender is named in it (start, end, lender),
        in order (a name denied right after it left out)."""
        body = key(self._expanded(text))
        return body, sorted(_spans(body, self._named))

    def _expanded(self, text: str) -> str:
        """The text with each short katakana name said as the lender's name."""
        if self._short is None:
            return text
        return self._short.sub(lambda m: self._short_names[m.group(0)], clean(text))

    def mask(self, text: str) -> str:
        """The text without the lenders' names (for reading what it asks: a name says nothing about that).

        Matched in the same form as :meth:`find`, on the NFKC text; a text whose form changes length
        (rare letters whose lower case is longer) is returned as it is.
        """
        body = self._expanded(clean(text))
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
        found = self._scan(key(self._expanded(text)), self._answers)
        return found[0] if len(found) == 1 else None

    @staticmethod
    def _scan(body: str, aliases: list[tuple[str, str]]) -> list[str]:
        spans = _spans(body, aliases)
        order = list(dict.fromkeys(lender for _, _, lender in sorted(spans)))
        if not order:
            return order
        weights = {lender: _weight(body, [(s, e) for s, e, named in spans if named == lender]) for lender in order}
        if all(w > 0 for w in weights.values()) and (len(order) > 1 or _elsewhere(body, max(e for _, e, _ in spans))):
            # Every lender named is fine, former or confused with: the trouble is with another company.
            return []
        return order if len(order) < 2 else sorted(order, key=weights.__getitem__)


def _spans(body: str, aliases: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Where each lender is named (start, end, lender): longest aliases first, each place once, a Latin
    alias only as a whole word, a name denied right after it left out."""
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
    return spans


def _whole(body: str, alias: str, start: int, end: int) -> bool:
    """A Latin alias counts only as a whole word (a short romaji name inside an English word does not)."""
    if not _LATIN.fullmatch(alias):
        return True
    before = body[start - 1] if start else " "
    after = body[end] if end < len(body) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def _weight(body: str, spans: list[tuple[int, int]]) -> int:
    """How much the words around a lender's name say the trouble is about it: -1 pointed at (「だけ」
    「の方」), 1 said to be fine, former or confused with; 0 otherwise (sorted stably: first named first)."""
    weight = 0
    for start, end in spans:
        after, before = body[end : end + 16], body[max(0, start - 6) : start]
        fine = _FINE_AFTER.match(after)
        clause = _CLAUSE.match(body[end : end + 40])
        if fine and not _DENIED_AFTER_FINE.match(after[fine.end() :]):
            weight = 1
        elif clause and _fine_clause(clause.group(1)):
            weight = 1
        elif _PAST_BEFORE.search(before) or _PAST_AFTER.match(after) or _CONFUSED_AFTER.match(after):
            weight = 1
        elif _POINTED_AFTER.match(after) or _POINTED_BEFORE.search(before):
            return -1
    return weight


def _elsewhere(body: str, end: int) -> bool:
    """True when, past a 「けど」 or 「、」 after the last lender named, another company is spoken of
    (「…のほう」 「…銀行のカードローン」 「今は…」)."""
    but = _BUT.search(body, end)
    return but is not None and bool(_ELSEWHERE.search(body, but.end()))


def _fine_clause(clause: str) -> bool:
    """「カードレスだから大丈夫なんだ」: the last word of being fine in the clause, not denied right after."""
    found = list(_FINE_WORDS.finditer(clause))
    return bool(found) and not _NOT.match(clause, found[-1].end())
