"""Morphological analysis: text -> tokens with lemmas, clause numbers and negation marks.

The analyser is MeCab (through fugashi) with the UniDic-lite dictionary, chosen by measurement
(README, "Understanding"): it folds 無くす / なくす / 失くす / 無くしちゃった to one lemma, loads in a
few tens of milliseconds and analyses a message in well under a millisecond.

Negation is read on the analysed tokens, not on characters: a negating auxiliary (ない, ぬ/ん, ず,
and the adjective ない after じゃ / では / て) marks the predicate it follows, reaching back over
auxiliaries and particles to the verb, adjective or noun it negates, and for a light verb (する,
できる) to the noun it carries (延滞はしてません, ロックされてない). 「〜と思ったけど違う」 negates the
clause before it. Negation never reaches across a clause (けど, が, し, ので, punctuation).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

# Conjunctive particles that end a clause (UniDic lemmas).
_CLAUSE_PARTICLES = frozenset({"けれど", "けれども", "けど", "が", "し", "のに", "ので", "から", "ながら"})
_CLAUSE_SYMBOLS = frozenset("、。,.!?！？\n…;；")
_NEG_AUX = frozenset({"ない", "ぬ", "ず", "ん", "無い"})
# Words between a predicate and its negation that carry no meaning of their own here.
_TRANSPARENT = frozenset(
    {
        "て",
        "で",
        "てる",
        "でる",
        "いる",
        "居る",
        "れる",
        "られる",
        "せる",
        "させる",
        "ちゃう",
        "じゃう",
        "仕舞う",
        "しまう",
        "た",
        "だ",
        "は",
        "も",
        "じゃ",
        "わけ",
        "訳",
        "の",
        "ん",
        "こと",
        "事",
        "なんて",
        "なんか",
        "など",
        "とか",
        "ます",
        "です",
        "おる",
        "しか",
        "ちゃ",
        "ては",
        "では",
        # 「〜したことはありません」「一度もない」「全然〜ない」: the negation reaches past these.
        "有る",
        "ある",
        "一",
        "度",
        "回",
        "全然",
        "全く",
        "まったく",
        "決して",
        "別に",
        "特に",
        "そんな",
        "一度",
    }
)
# Verbs that carry a noun: "延滞(を)する", "ロックがかかる", "停止になる", "ログインできる".
_LIGHT_VERBS = frozenset(
    {"為る", "する", "出来る", "できる", "致す", "なさる", "遣る", "掛かる", "かかる", "成る", "なる", "受ける"}
)
_OBJECT_PARTICLES = frozenset({"は", "も", "を", "が", "に", "なんて", "なんか", "など", "とか", "だけ", "まで"})
# English: "not" / "n't" / "never" negate their clause; these words end a clause.
_EN_NEGATION = frozenset({"not", "never", "no", "t", "dont", "cant", "didnt", "havent", "isnt", "wasnt", "wont"})
_EN_CLAUSE_WORDS = frozenset({"but", "and", "so", "though", "although", "however", "because"})
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞", "代名詞", "接頭辞", "連体詞", "感動詞"})


@dataclass(frozen=True, slots=True)
class Token:
    """One analysed word: what was written, its dictionary form, part of speech, clause and polarity."""

    surface: str
    lemma: str
    pos: str
    pos2: str
    reading: str = ""  # in katakana, as the dictionary reads it ("利用" -> "リヨウ")
    clause: int = 0
    negated: bool = False

    @property
    def is_content(self) -> bool:
        """True for words that carry meaning (nouns, verbs, adjectives...), not particles or symbols."""
        return self.pos in _CONTENT_POS


class Analyser:
    """A loaded MeCab tagger; one per process (loading the dictionary is the expensive part)."""

    def __init__(self) -> None:
        import fugashi  # imported here: only the understanding component needs it

        self._tagger = fugashi.Tagger()
        # MeCab's tagger is not thread-safe; the bot analyses on several worker threads.
        self._lock = threading.Lock()

    def raw(self, text: str) -> list[Token]:
        """Tokens with lemmas, without clauses or negation."""
        with self._lock:
            words = [(w.surface, w.feature) for w in self._tagger(text)]
        return [_token(surface, feature) for surface, feature in words]

    def analyse(self, text: str) -> list[Token]:
        """Tokens with clause numbers and negation marks (the text should be NFKC-normalised)."""
        return mark_negation(split_clauses(self.raw(text)))


def _token(surface: str, feature: Any) -> Token:
    lemma = getattr(feature, "lemma", None) or surface
    # UniDic writes loanwords with their origin: "カード-card", "ロック-lock".
    lemma = lemma.split("-", 1)[0] or surface
    reading = getattr(feature, "kana", None) or surface
    return Token(surface, unicodedata.normalize("NFKC", lemma).lower(), feature.pos1 or "", feature.pos2 or "", reading)


def split_clauses(tokens: list[Token]) -> list[Token]:
    """Number the clauses: a conjunctive particle or a punctuation mark ends one."""
    out: list[Token] = []
    clause = 0
    for tok in tokens:
        out.append(replace(tok, clause=clause))
        ends = (
            (tok.pos == "助詞" and tok.pos2 == "接続助詞" and tok.lemma in _CLAUSE_PARTICLES)
            or tok.surface in _CLAUSE_SYMBOLS
            or (tok.pos == "補助記号" and tok.pos2 == "句点")
            or tok.surface.lower() in _EN_CLAUSE_WORDS
        )
        if ends:
            clause += 1
    return out


def _is_neg_marker(tokens: list[Token], i: int) -> bool:
    tok = tokens[i]
    # Kansai "へん" / "ひん" (行かへん, してへん): the dictionary may read it as 変 after て.
    if tok.surface in ("へん", "ひん") and i > 0 and tokens[i - 1].pos in ("動詞", "助動詞", "助詞"):
        return True
    if tok.surface == "ない" and i > 0 and tokens[i - 1].surface in ("や", "やあ"):
        return True  # 「わけやない」 (Kansai for わけじゃない)
    if tok.surface in ("なし", "無し") and i > 0 and tokens[i - 1].pos == "名詞":
        return True  # 「延滞なし」 「ロックなし」: none of it (a form's way of saying no)
    if tok.lemma not in _NEG_AUX:
        return False
    if tok.pos == "助動詞":
        return True
    if tok.pos == "形容詞" and i > 0:
        return _adjective_negates(tokens, i)
    return False


def _adjective_negates(tokens: list[Token], i: int) -> bool:
    """The adjective ない negates only after じゃ / では / て / く: "わけじゃない", "してない", "よくない".
    After が or alone it says something is missing ("表示がない", "カードがない"): a fact, kept as is."""
    prev = tokens[i - 1]
    if prev.surface == "も" and i > 1 and tokens[i - 2].lemma in ("度", "回", "事", "こと"):
        return True  # "一度もない", "一回もない", "こともない": never
    return prev.surface in ("じゃ", "は", "て", "で", "く", "じゃあ") or prev.lemma in ("て", "てる", "だ")


# Verbs that follow て and lend the negation to the verb before them: 「受け付けてくれん」, 「入れてもらえない」.
_SUBSIDIARY = frozenset({"呉れる", "くれる", "貰える", "もらえる", "貰う", "もらう", "来る", "くる", "行く", "いく"})


def _is_contracted_neg(tokens: list[Token], i: int) -> bool:
    """A verb written with its negation fused in one word: 「入れん」, 「できん」 (read as 入れる, 出来る)."""
    tok = tokens[i]
    return tok.pos == "動詞" and tok.surface.endswith("ん") and not tok.lemma.endswith("ん") and len(tok.surface) > 1


def mark_negation(tokens: list[Token]) -> list[Token]:
    """Mark the words each negation applies to (see the module docstring)."""
    negated = [False] * len(tokens)
    for i in range(len(tokens)):
        if tokens[i].surface.lower() in _EN_NEGATION and tokens[i].surface.isascii():
            # English: the whole clause ("I haven't lost my card", "the card isn't lost").
            for j, tok in enumerate(tokens):
                if tok.clause == tokens[i].clause:
                    negated[j] = True
            continue
        contracted = _is_contracted_neg(tokens, i)
        if contracted or _is_neg_marker(tokens, i):
            negated[i] = True
            _deny_predicate(tokens, negated, i, contracted)
    _mark_thought_but_not(tokens, negated)
    return [replace(t, negated=n) if n != t.negated else t for t, n in zip(tokens, negated, strict=True)]


def _helps(tokens: list[Token], j: int) -> bool:
    """An auxiliary, a particle, or a verb that only helps the one before て (「受け付けてくれん」)."""
    tok = tokens[j]
    if not tok.is_content or tok.lemma in _TRANSPARENT:
        return True
    return tok.lemma in _SUBSIDIARY and j > 0 and tokens[j - 1].lemma in ("て", "で")


def _deny_predicate(tokens: list[Token], negated: list[bool], i: int, contracted: bool) -> None:
    """From the negation at ``i``, back over auxiliaries and particles to the predicate it denies."""
    clause = tokens[i].clause
    j = i if contracted else i - 1
    while j >= 0 and tokens[j].clause == clause and _helps(tokens, j):
        negated[j] = True
        j -= 1
    if j < 0 or tokens[j].clause != clause:
        return
    negated[j] = True
    _deny_compound(tokens, negated, j)


def _deny_compound(tokens: list[Token], negated: list[bool], j: int) -> None:
    """A suru-noun or a compound: "紛失 し て ない", "ロック さ れ て ない", "ログイン でき ない"."""
    head, clause = tokens[j], tokens[j].clause
    k = j - 1
    if head.lemma in _LIGHT_VERBS:
        while k >= 0 and tokens[k].clause == clause and tokens[k].lemma in _OBJECT_PARTICLES:
            k -= 1
    while (
        k >= 0
        and tokens[k].clause == clause
        and tokens[k].pos in ("名詞", "接頭辞")
        and (head.pos != "名詞" or k == j - 1)
    ):
        negated[k] = True
        if head.lemma not in _LIGHT_VERBS and head.pos != "名詞":
            break
        k -= 1


def _mark_thought_but_not(tokens: list[Token], negated: list[bool]) -> None:
    """「ロックかと思ったけど違う」: the clause before 思う is denied, and 違う is not a complaint itself."""
    for i, tok in enumerate(tokens):
        if tok.lemma != "違う":
            continue
        clause = tok.clause
        before = [t for t in tokens[:i] if t.clause == clause and t.is_content]
        if before:
            continue  # "IDが違う": 違う has a subject of its own
        think = next((j for j in range(i - 1, -1, -1) if tokens[j].lemma in ("思う", "気")), None)
        if think is None or tokens[think].clause < clause - 1:
            continue
        negated[i] = True
        for j in range(think - 1, -1, -1):
            if tokens[j].clause < tokens[think].clause:
                break
            negated[j] = True
