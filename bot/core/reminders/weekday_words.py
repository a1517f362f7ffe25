"""The weekdays a message names (「火曜じゃなくて水曜」 -> Wednesday only)."""

from __future__ import annotations

import re

from bot.core.dates.jptime import WEEKDAYS
from bot.core.reminders.setup_answers import after_negation

_WEEKDAY_SAID = re.compile(r"([月火水木金土日])曜")


def weekdays_said(text: str) -> list[int]:
    """The weekdays a message names (0 = Monday), a denied part left out: 「火曜じゃなくて水曜」 -> [2]."""
    return [WEEKDAYS.index(d) for d in _WEEKDAY_SAID.findall(after_negation(text))]
