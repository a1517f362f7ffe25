"""Short answers in context: which choice of the question in front of the user a typed answer means.

「はい」 picks 「はい、表示がある」, 「3回」 picks 「3回以上」, 「覚えてない」 picks 「覚えていない」,
「その他」 picks 「その他・わからない」. The question decides: the same 「はい」 means nothing on its own.
Tried in order, most exact first: a part of a label (or of a phrasing the flow file gives for the
choice), a near spelling of a label, a count inside a range a label names, a yes/no question answered
by repeating its verb (「増えた」, 「遅れてない」), the short-answer meaning a choice stands for, and a
cause the choice leads to by the shortest way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.core.diagnosis.flow import Flow, FlowChoice, Node
from bot.core.understanding import ANSWERS, Reading, Understanding
from bot.core.understanding.textnorm import normalize

# Near spellings: "覚えてない" against "覚えていない" (character-bigram overlap, Dice coefficient).
SIMILAR = 0.6
# A short answer's meaning counts from this confidence on (the question gives the context).
MEANING_MIN = 0.2
CAUSE_MIN = 0.5
_RANGE = re.compile(r"(\d+)\s*[〜~～-]\s*(\d+)\s*回")
_AT_LEAST = re.compile(r"(\d+)\s*回以上")
_AT_MOST = re.compile(r"(\d+)\s*回(?:以下|まで)")


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two normalised texts (0-1)."""
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def label_range(label: str) -> tuple[int, int] | None:
    """The range of counts a label names: "1〜2回" -> (1, 2), "3回以上" -> (3, 999), else None."""
    if m := _RANGE.search(label):
        return int(m.group(1)), int(m.group(2))
    if m := _AT_LEAST.search(label):
        return int(m.group(1)), 999
    if m := _AT_MOST.search(label):
        return 0, int(m.group(1))
    return None


def _meanings(choice: FlowChoice) -> tuple[str, ...]:
    if choice.means:
        return choice.means
    key = normalize(choice.label)
    if key.startswith("はい"):
        return ("yes",)
    if key.startswith("いいえ"):
        return ("no",)
    return ()


def _parts(choice: FlowChoice) -> list[str]:
    """A label's alternatives ("その他・わからない" -> その他, わからない) and the choice's other phrasings."""
    return [p for p in (normalize(x) for x in [*re.split(r"[・/、〜~]", choice.label), *choice.aliases]) if p]


def _echo(node: Node, text: str, understanding: Understanding) -> str | None:
    """A yes/no question answered by repeating its verb: "yes" ("増えた"), "no" ("遅れてない"), or None."""
    asked = _asked_verbs(understanding, node.text)
    said = [t for t in understanding.analyser.analyse(text) if t.lemma in asked]
    if not said:
        return None
    return "no" if any(t.negated for t in said) else "yes"


@lru_cache(maxsize=256)
def _asked_verbs(understanding: Understanding, question: str) -> frozenset[str]:
    """The verbs and adjectives of a question (the flow's questions are few: analysed once each)."""
    tokens = understanding.analyser.analyse(question)
    return frozenset(t.lemma for t in tokens if t.pos in ("動詞", "形容詞") and t.is_content) - _LIGHT


# Verbs too common to say anything when repeated ("ある", "する", "なる").
_LIGHT = frozenset({"有る", "為る", "成る", "居る", "出来る", "思う", "言う", "当てはまる", "表示", "間違える"})


def _distance(flow: Flow, start: str, cause: str, limit: int = 6) -> int | None:
    """How many steps from node ``start`` to the result of ``cause`` (None when it cannot be reached)."""
    frontier, seen = [start], {start}
    for depth in range(limit):
        nxt = []
        for node_id in frontier:
            node = flow.nodes.get(node_id)
            if node is None:
                continue
            if node.result == cause:
                return depth
            for choice in node.choices:
                if choice.next and choice.next not in seen:
                    seen.add(choice.next)
                    nxt.append(choice.next)
        frontier = nxt
    return None


@dataclass(frozen=True, slots=True)
class _Answer:
    """A typed answer to one flow question, with what has been read of it."""

    node: Node
    text: str
    key: str
    reading: Reading
    flow: Flow
    elsewhere: bool
    understanding: Understanding


def pick_answer(
    node: Node, text: str, reading: Reading, flow: Flow, elsewhere: bool, understanding: Understanding
) -> FlowChoice | None:
    """The choice of ``node`` that ``text`` answers, or None when it is not an answer to it.

    ``elsewhere``: the text confidently means something else (a command, a cause); then only the
    exact tests apply, so "データを削除して" during a question is not taken for one of its answers.
    The tests go from the most exact to the loosest; the first that finds a choice wins.
    """
    key = normalize(text)
    if not key:
        return None
    answer = _Answer(node, text, key, reading, flow, elsewhere, understanding)
    for test in (_by_label, _by_spelling, _by_count, _by_echo, _by_meaning, _by_cause, _by_vagueness):
        choice = test(answer)
        if choice is not None:
            return choice
    return None


def _by_label(a: _Answer) -> FlowChoice | None:
    """A label (or a part of one, or a phrasing the flow gives), found in the message."""
    # 「暗証番号がわからない」 holds 「わからない」 but names a cause: a label found inside a message
    # counts only when the message names no cause with confidence (then the cause decides below).
    names_cause = a.reading.top.intent in a.flow.causes and a.reading.top.score >= CAUSE_MIN
    for choice in a.node.choices:
        parts = _parts(choice)
        if a.key in parts or (not names_cause and any(len(p) >= 3 and _named_as_trouble(a.key, p) for p in parts)):
            return choice
    return None


# After a choice's words, the person says it is fine (「暗証番号はわかる」 「カードは持ってる」).
_FINE_AFTER = re.compile(
    r"^(?:の方|のほう)?(?:は|も|が)?(?:ちゃんと|ちゃんと)?(?:わかる|わかります|わかって|分かる|分かって|覚えて|おぼえて|知って|しって|合って|あって"
    r"|ある|あります|持って|もって|手元|てもと|大丈夫|だいじょうぶ|問題な|もんだいな|平気|へいき)"
)


_THINGS = re.compile(r"暗証番号|あんしょうばんごう|ぱすわーど|かーど|id|ろぐいんid|会員番号|かいいんばんごう")


def _said_fine(key: str) -> bool:
    """「暗証番号はわかる」 「カードは手元にある」: a thing named and said to be fine, and no trouble said."""
    found = _THINGS.search(key)
    return found is not None and bool(_FINE_AFTER.match(key[found.end() :])) and not _TROUBLE.search(key)


_TROUBLE = re.compile(
    r"ない|なく|わから[んへ]|知らん|しらん|忘れ|わすれ|なくし|落と|おと|盗|ぬす|ろっく|えらー|違|ちが|だめ|ダメ|無理|むり"
)


_SECRET_THING = re.compile(r"暗証番号|あんしょうばんごう|ぱすわーど")
KNOWN_SECRET = "わかりました。{thing}はわかっているのですね。"


def known_secret(key: str) -> str:
    """「暗証番号はわかる」 「パスワードは合ってる」: the thing said to be known ("" when none is)."""
    found = _SECRET_THING.search(key)
    # 「IDはわかる、パスワードがわからん」: the secret itself is said fine, not another thing.
    after = key[found.end() :] if found is not None else ""
    if found is None or not _said_fine(key) or not _FINE_AFTER.match(after) or _TROUBLE.search(after):
        return ""
    return "暗証番号" if "暗証" in found.group(0) or "あんしょう" in found.group(0) else "パスワード"


def _named_as_trouble(key: str, part: str) -> bool:
    """True when ``part`` is in the message and not said to be fine right after it."""
    at = key.find(part)
    return at >= 0 and not _FINE_AFTER.match(key[at + len(part) :])


def _by_spelling(a: _Answer) -> FlowChoice | None:
    best = max(a.node.choices, key=lambda c: similarity(a.key, normalize(c.label)))
    return best if similarity(a.key, normalize(best.label)) >= SIMILAR and len(a.key) >= 2 else None


def _by_count(a: _Answer) -> FlowChoice | None:
    """「3回」 picks 「3回以上」: a count inside the range a label names."""
    count = a.reading.count
    if count is None:
        return None
    for choice in a.node.choices:
        rng = label_range(choice.label)
        if rng and rng[0] <= count <= rng[1]:
            return choice
    return None


def _by_echo(a: _Answer) -> FlowChoice | None:
    """A yes/no question answered by repeating its verb (「増えた」, 「遅れてない」)."""
    if a.elsewhere:
        return None
    echoed = _echo(a.node, a.text, a.understanding)
    return next((c for c in a.node.choices if echoed in _meanings(c)), None) if echoed else None


def _by_meaning(a: _Answer) -> FlowChoice | None:
    """The short-answer meaning a choice stands for (はい, いいえ, わからない)."""
    if a.elsewhere and a.reading.top.intent not in ANSWERS:
        return None
    scored = next((s for s in a.reading.ranked if s.intent in ANSWERS and s.score >= MEANING_MIN), None)
    if scored is None:
        return None
    return next((c for c in a.node.choices if scored.intent in _meanings(c)), None)


def _by_cause(a: _Answer) -> FlowChoice | None:
    """The choice on the shortest way to the cause the message names, when only one is shortest:
    the flow's own questions still run (「違うって出る」 at the start still asks how many times)."""
    top = a.reading.top
    if top.intent not in a.flow.causes or top.score < CAUSE_MIN or _said_fine(a.key):
        return None
    ways = [(d, c) for c in a.node.choices if c.next and (d := _distance(a.flow, c.next, top.intent)) is not None]
    if not ways:
        return None
    nearest = min(d for d, _ in ways)
    shortest = [c for d, c in ways if d == nearest]
    return shortest[0] if len(shortest) == 1 else None


# 「なんかダメ」 「とにかく入れない」: nothing more precise to give: the question's 「わからない」 choice.
_VAGUE = re.compile(
    r"^(?:なんか|何か|なにか|とにかく|全部|ぜんぶ|どれも|なんとなく)?(?:だめ|ダメ|無理|むり|変|へん|おかしい|入れない|はいれない|あかん)"
    r"(?:みたい|っぽい|です|だ|なんだけど|なんです|で)?$|^(?:なんか|何か|なにか|全然|ぜんぜん|さっぱり)?(?:よく)?(?:わからん|わかんない|わからない|わかんね)"
)


def _by_vagueness(a: _Answer) -> FlowChoice | None:
    """A vague answer (nothing the reading can place): the choice that stands for 「わからない」."""
    if not _VAGUE.search(a.key):
        return None
    return next((c for c in a.node.choices if "dont_know" in _meanings(c)), None)


def pick_by_words(node: Node, text: str) -> FlowChoice | None:
    """A choice of ``node`` the message names in so many words (a label part or a phrasing of at least
    three characters, not denied right after), never a yes/no/don't-know choice: a message that
    answered one question may answer the next one as well."""
    key = normalize(text)
    for choice in node.choices:
        if _meanings(choice):
            continue
        for part in _parts(choice):
            at = key.find(part) if len(part) >= 3 else -1
            if at >= 0 and not _DENIED_AFTER.match(key, at + len(part)):
                return choice
    return None


def pick_in_passing(node: Node, text: str, reading: Reading, flow: Flow) -> FlowChoice | None:
    """The choice of the next question that a message answering the one before also answers: one it
    names in so many words (:func:`pick_by_words`), else the one on the only shortest way to the
    cause the message names with confidence (「利用停止って出てる」 at 「何と表示されていますか？」).
    Never a yes/no/don't-know choice nor a count: a question of fact (「返済が遅れましたか？」, 「何回？」)
    is still asked."""
    named = pick_by_words(node, text)
    if named is not None:
        return named
    top = reading.top
    if top.intent not in flow.causes or top.score < CAUSE_MIN:
        return None
    ways = [
        (d, c)
        for c in node.choices
        if c.next
        and not _meanings(c)
        and label_range(c.label) is None
        and (d := _distance(flow, c.next, top.intent)) is not None
    ]
    if not ways:
        return None
    nearest = min(d for d, _ in ways)
    shortest = [c for d, c in ways if d == nearest]
    return shortest[0] if len(shortest) == 1 else None


# 「メンテナンスじゃない」: the words of a choice, then denied.
_DENIED_AFTER = re.compile(r"(?:って|と|は)?(?:じゃ|では|でわ|ちゃう|ちゃいま|じゃな)")
