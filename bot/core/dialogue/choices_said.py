"""What a short typed answer means among the choices on the screen, said in other words: 「今回だけ」
for 「今回の分だけ止める」, 「夜」 for 「今夜の20:00」, 「いいえ」 for a menu's 「やめる」."""

from __future__ import annotations

import re
from datetime import datetime

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command, decode
from bot.core.dialogue.state import Outcome
from bot.core.dialogue.words import _DECLINE, _LABEL_FILLER, _REMINDER_CHOICE, _SYNONYM_OF, _SYNONYMS
from bot.core.understanding.textnorm import normalize


def loose_choice(out: Outcome, key: str) -> str | None:
    """The one reminder choice a short answer can mean, said in other words; None when not one.

    Only among a reminder question's own choices (a time, a stop, a change): there the person is
    answering, and a word of the label (or the label in fewer words) says which.
    """
    if not key or len(key) > 10:
        return None
    offered = [(label, value) for label, value in out.state.offered if _REMINDER_CHOICE.match(value)]
    if not offered:
        return None

    def core(text: str) -> str:
        return _LABEL_FILLER.sub("", _SYNONYMS.sub(lambda m: _SYNONYM_OF[m.group(0)], normalize(text)))

    said = core(key)
    if not said:
        return None
    hits = [value for label, value in offered if said in core(label)]
    return hits[0] if len(set(hits)) == 1 else _by_period(offered, key)


# 「朝の」 「夜で」 where moments are offered: the one moment in that part of the day.
_PERIODS = {
    "朝": (4, 11), "あさ": (4, 11), "午前": (0, 12), "ごぜん": (0, 12), "昼": (11, 15), "ひる": (11, 15),
    "午後": (12, 24), "ごご": (12, 24), "夕方": (15, 19), "ゆうがた": (15, 19), "夜": (18, 24), "よる": (18, 24),
    "晩": (18, 24), "ばん": (18, 24),
}  # fmt: skip
_PERIOD_SAID = re.compile(
    r"^(?:その|あの)?(朝|あさ|午前|ごぜん|昼|ひる|午後|ごご|夕方|ゆうがた|夜|よる|晩|ばん)(?:の|のほう|の方|で|のやつ|にして)*$"
)


def _by_period(offered: list[tuple[str, str]], key: str) -> str | None:
    said = _PERIOD_SAID.match(key)
    if said is None:
        return None
    start, end = _PERIODS[said.group(1)]
    hits = []
    for _label, value in offered:
        if value.startswith("rt:"):
            try:
                hour = datetime.fromisoformat(value[3:]).hour
            except ValueError:
                continue
            if start <= hour < end:
                hits.append(value)
    return hits[0] if len(hits) == 1 else None


# 「はい」 「それで」 「お願い」: agreement, where one reminder is the only one to pick.
_AGREE = re.compile(
    r"(?:はい|うん|ええ|そう|そうそう|そうです|それ|それで|それです|これ|これで|おk|ok|おっけー|お願い(?:します)?|おねがい(?:します)?)[。!！w]*"
)


def the_only_one(out: Outcome, key: str) -> str | None:
    """「はい」 where one reminder is listed to pick (「取り消したいお知らせを選んでください」 with one):
    that one (what is done to it is still asked); None otherwise."""
    if not _AGREE.fullmatch(key) or out.state.pending is not None:
        return None
    picks = [value for _label, value in out.state.offered if value.startswith("r:")]
    return picks[0] if len(picks) == 1 else None


def declined(out: Outcome, key: str) -> str | None:
    """「いいえ」 to a menu without a yes or a no (「どれを消しますか？」): its 「やめる」 choice."""
    if not _DECLINE.fullmatch(key) or out.state.pending is not None:
        return None
    labels = [normalize(label) for label, _value in out.state.offered]
    if any(label.startswith(("はい", "いいえ")) for label in labels):
        return None
    quits = [value for label, value in out.state.offered if normalize(label) == normalize(texts.LABEL_QUIT)]
    return quits[0] if len(quits) == 1 else None


# A moment said in the words (then it is a reminder of its own, read with its date).
_MOMENT = re.compile(r"\d|明日|あした|今日|きょう|今夜|こんや|曜|朝|夜|昼|午前|午後|時|週|来月|らいげつ")


def offered_reminder(out: Outcome, intent: str, key: str) -> str | None:
    """「それでリマインダーも作って」 right after a reminder of one kind was offered: that kind (its
    command), when the words ask for a reminder without a moment of their own; else None."""
    if intent not in ("remind_free", "reminders") or _MOMENT.search(key):
        return None
    kinds = {
        action.name
        for _label, value in out.state.offered
        if isinstance(action := decode(value), Command) and action.name.startswith("remind_")
    }
    return kinds.pop() if len(kinds) == 1 else None
