"""Several reminders of different kinds in one message: 「毎週火曜と金曜の朝7時に燃えるゴミ、あと明日10時に
歯医者」. Each part says its own time and task; a part that repeats is a repeating draft, the others
one-time drafts. They are confirmed together, with one yes (as :mod:`.several`'s are)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from bot.core.dates.jptime import When, parse_when, utc_stamp
from bot.core.reminders.recurrence import parse_rule
from bot.core.reminders.setup_state import Spec

# Where one request ends and the next begins: 「、あと」 「。それと」 「、それから」.
_SPLIT = re.compile(
    r"[、,，。\n]\s*(?:あと|それと|それから|あとは|あとさ)?[、,\s]*|\s*(?:あと|それと|それから)[、,]\s*"
)


DAY_ONLY_HOUR = 9


def mixed_drafts(
    text: str, now: datetime, task_spec: Callable[[str], Spec], repeat_spec: Callable[[str, str], Spec]
) -> list[Spec] | None:
    """The drafts of two or more reminders, at least one repeating, each part with its time and task;
    None when the message is not that."""
    parts = [p.strip() for p in _SPLIT.split(text) if p and p.strip()]
    if len(parts) < 2:
        return None
    drafts = [_draft(part, now, task_spec, repeat_spec) for part in parts]
    if any(d is None for d in drafts) or not any(d.rule for d in drafts if d is not None):
        return None
    return [d for d in drafts if d is not None]


def _draft(
    part: str, now: datetime, task_spec: Callable[[str], Spec], repeat_spec: Callable[[str, str], Spec]
) -> Spec | None:
    """One part's draft: a rule and a task, or a future moment with its clock and a task."""
    read = parse_rule(part, now)
    if read is not None:
        return repeat_spec(read.rule.to_json(), read.rest) if read.rule is not None and read.rest else None
    when = parse_when(part, now)
    if not isinstance(when, When) or when.kind != "once" or when.at is None or not when.rest:
        return None
    # 「12月20日は母の誕生日」 beside timed ones: that day at the usual hour (changed by a word after).
    at = when.at if when.clock is not None else when.at.replace(hour=DAY_ONLY_HOUR, minute=0)
    return task_spec(when.rest).but(at=utc_stamp(at)) if at > now else None
