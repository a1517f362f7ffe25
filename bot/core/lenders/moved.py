"""The company corrected (「あ、AじゃなくてBだった」 「会社間違えた、Cです」): what was just told moves.

The facts told about the lender of the conversation in the last minutes (its stored history says when)
were meant for the lender named now: they are taken off the first and kept for the second, and the
person is told so. Older facts of the first lender stay where they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.core.dialogue.messages import Effect, Incoming, RecordFacts, Reply
from bot.core.dialogue.state import Outcome
from bot.core.lenders import texts
from bot.core.lenders.facts import LENDER_FACTS, FactsByLender
from bot.core.situation.facts import FIELD_LABELS, Situation

Rows = Mapping[str, Sequence[Mapping[str, Any]]]
# What was told this long before the correction counts as just told.
JUST_TOLD = timedelta(minutes=30)
# Words that take back the company named before (the name denied itself is left out by the detector).
_CORRECTS = re.compile(
    r"間違え|間違い|まちがえ|まちがい|違った|ちがった|違う|ちがう|違い|ちがい|じゃなく|じゃなかった|ではなく|でなく|やなくて|訂正|ていせい"
)
# Facts said along with another one (when it was told): not named on their own in the answer.
_SAID_WITH = ("card_lost_at",)


def corrects_company(text: str) -> bool:
    """True when a message takes back the company named before (「会社間違えた」 「Aじゃなくて」)."""
    return bool(_CORRECTS.search(text))


def just_told(rows: Rows, lender: str, now: datetime) -> list[str]:
    """The lender's facts recorded in the last minutes, from the stored history (first told first)."""
    names: dict[str, None] = {}
    for row in rows.get("situation_history", ()):
        if row.get("lender") != lender or row.get("field") not in LENDER_FACTS:
            continue
        try:
            at = datetime.fromisoformat(str(row.get("at")))
        except ValueError:
            continue
        if at.tzinfo is not None and now - at <= JUST_TOLD:
            names[str(row["field"])] = None
    return list(names)


def moved(old: Situation, fields: Iterable[str], old_lender: str, new_lender: str) -> tuple[list[Effect], list[str]]:
    """The effects that move ``fields`` of ``old`` to ``new_lender``, and the labels of what moved."""
    facts = {name: getattr(old, name) for name in fields if getattr(old, name) is not None}
    if not facts:
        return [], []
    effects: list[Effect] = [
        RecordFacts(dict.fromkeys(facts), lender=old_lender),
        RecordFacts(facts, lender=new_lender),
    ]
    return effects, [FIELD_LABELS[name] for name in facts if name not in _SAID_WITH]


def correct_company(
    out: Outcome,
    incoming: Incoming,
    facts: FactsByLender,
    switch: tuple[str | None, str | None],
    now: datetime,
    record: Callable[[], Rows] | None,
    name_of: Callable[[str | None], str],
) -> None:
    """「AじゃなくてBだった」 (a switch from A to B said with nothing else): what was just told about A
    is kept for B instead, and that is said, in the bubble of 「Bですね」."""
    old, new = switch
    if old is None or new is None or old not in facts.lenders or not corrects_company(incoming.text or ""):
        return
    fields = just_told(record() if record is not None else {}, old, now)
    effects, labels = moved(facts.lenders[old], fields, old, new)
    if not effects:
        return
    out.effects[:0] = effects
    said = texts.FACTS_MOVED.format(facts="・".join(labels), old=name_of(old), new=name_of(new))
    first = out.replies[0] if out.replies else None
    if first is not None and not first.choices and first.card is None:
        out.replies[0] = replace(first, text=f"{first.text}\n{said}")
    else:
        out.replies.insert(0, Reply(said))
