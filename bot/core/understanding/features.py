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
    for tok in content:
        feats.append(("w:~" if tok.negated else "w:") + tok.lemma)
    for a, b in zip(content, content[1:], strict=False):
        if a.clause == b.clause:
            feats.append(f"b:{'~' if a.negated else ''}{a.lemma}|{'~' if b.negated else ''}{b.lemma}")
    # Character n-grams (of the text and of its reading) over runs of same-polarity words.
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
    # The last predicate says what is asked for ("見せて" or "消して", "止めて" or "設定して").
    predicates = [t for t in content if t.pos in ("動詞", "形容詞", "形状詞")]
    if predicates:
        last = predicates[-1]
        feats.append(("end:~" if last.negated else "end:") + last.lemma)
    if content:
        feats.append("endw:" + content[-1].lemma)
    if not content:
        feats.append("shape:empty")
    elif len(content) <= 2:
        feats.append("shape:short")
    return feats
