"""Features of a message for the intent classifier: lemmas with their polarity, and character n-grams.

Lemmas (from the analyser) make 無くした, なくしました and 失くしちゃった one word; a negated word is
a different feature ("~無くす"), so "カードはなくしてない" does not look like a lost card. Character
n-grams of the kana-folded text reach what the dictionary does not know (typos such as 暗唱番号,
kana-only messages, slang); they are taken separately from negated words for the same reason.
N-grams of the words' readings make "利用停止", "りようていし" and "ﾘﾖｳﾃｲｼ" meet.
"""

from __future__ import annotations

from bot.core.understanding.analyser import Token
from bot.core.understanding.textnorm import normalize

NGRAMS = (1, 2, 3)
# Cost bound: nobody describes a login problem in more than this many characters.
MAX_CHARS = 400


def _char_ngrams(text: str, prefix: str) -> list[str]:
    out: list[str] = []
    for n in NGRAMS:
        out.extend(f"{prefix}{n}:{text[i : i + n]}" for i in range(len(text) - n + 1))
    return out


def features(tokens: list[Token], count: int | None = None) -> list[str]:
    """The feature names of one analysed message (repeats allowed; the vectoriser counts presence).

    ``count``: a number of times the message mentions ("5回ミスした"), read by an exact rule; only
    its size matters (several misses lock the login, one or two do not).
    """
    feats: list[str] = []
    if count is not None:
        feats.append("count:many" if count >= 3 else "count:few")
    content = [t for t in tokens if t.is_content]
    feats += _word_features(content)
    feats += _run_ngrams(tokens)
    feats += _shape_features(content)
    return feats


def _mark(tok: Token) -> str:
    return "~" if tok.negated else ""


def _word_features(content: list[Token]) -> list[str]:
    """Each content word and each pair of neighbours in one clause, with their negation."""
    feats = [f"w:{_mark(tok)}{tok.lemma}" for tok in content]
    feats += [
        f"b:{_mark(a)}{a.lemma}|{_mark(b)}{b.lemma}"
        for a, b in zip(content, content[1:], strict=False)
        if a.clause == b.clause
    ]
    return feats


def _run_ngrams(tokens: list[Token]) -> list[str]:
    """Character n-grams (of the text and of its reading) over runs of same-polarity words."""
    feats: list[str] = []
    run: list[Token] = []
    polarity = False
    for tok in [*tokens, Token("", "", "", "", negated=not (tokens[-1].negated if tokens else False))]:
        if tok.negated != polarity and run:
            mark = "~" if polarity else ""
            feats.extend(_char_ngrams(normalize("".join(t.surface for t in run)), mark + "c"))
            feats.extend(_char_ngrams(normalize("".join(t.reading for t in run)), mark + "r"))
            run = []
        polarity = tok.negated
        run.append(tok)
    return feats


def _shape_features(content: list[Token]) -> list[str]:
    """The last predicate says what is asked for ("見せて" or "消して", "止めて" or "設定して")."""
    feats: list[str] = []
    predicates = [t for t in content if t.pos in ("動詞", "形容詞", "形状詞")]
    if predicates:
        feats.append(f"end:{_mark(predicates[-1])}{predicates[-1].lemma}")
    if not content:
        return [*feats, "shape:empty"]
    feats.append("endw:" + content[-1].lemma)
    if len(content) <= 2:
        feats.append("shape:short")
    return feats
