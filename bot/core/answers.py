"""Short answers in context: which choice of the question in front of the user a typed answer means.

「はい」 picks 「はい、表示がある」, 「3回」 picks 「3回以上」, 「覚えてない」 picks 「覚えていない」,
「その他」 picks 「その他・わからない」. The question decides: the same 「はい」 means nothing on its own.
Tried in order, most exact first: a part of a label, a near spelling of a label, a count inside a
range a label names, the short-answer meaning a choice stands for, and a cause a choice leads to.
"""

from __future__ import annotations

import re

from bot.core.flow import Flow, FlowChoice, Node
from bot.core.textnorm import normalize
from bot.core.understanding import ANSWERS, Reading

# Near spellings: "覚えてない" against "覚えていない" (character-bigram overlap, Dice coefficient).
SIMILAR = 0.6
# A short answer's meaning counts from this confidence on (the question gives the context).
MEANING_MIN = 0.3
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


def pick_answer(node: Node, text: str, reading: Reading, flow: Flow, elsewhere: bool) -> FlowChoice | None:
    """The choice of ``node`` that ``text`` answers, or None when it is not an answer to it.

    ``elsewhere``: the text confidently means something else (a command, a cause); then only the
    exact tests apply, so "データを削除して" during a question is not taken for one of its answers.
    """
    key = normalize(text)
    if not key:
        return None
    for choice in node.choices:
        parts = [normalize(p) for p in re.split(r"[・/、]", choice.label)]
        if key in parts:
            return choice
    best = max(node.choices, key=lambda c: similarity(key, normalize(c.label)))
    if similarity(key, normalize(best.label)) >= SIMILAR and len(key) >= 2:
        return best
    if reading.count is not None:
        for choice in node.choices:
            rng = label_range(choice.label)
            if rng and rng[0] <= reading.count <= rng[1]:
                return choice
    top = reading.top
    if not elsewhere or top.intent in ANSWERS:
        for scored in reading.ranked:
            if scored.intent in ANSWERS and scored.score >= MEANING_MIN:
                match = [c for c in node.choices if scored.intent in _meanings(c)]
                if match:
                    return match[0]
                break
    if top.intent in flow.causes and top.score >= CAUSE_MIN:
        leads = [c for c in node.choices if (t := flow.nodes.get(c.next or "")) is not None and t.result == top.intent]
        if len(leads) == 1:
            return leads[0]
    return None
