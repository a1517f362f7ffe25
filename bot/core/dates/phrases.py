"""What reading a time phrase gives: a moment (or a monthly day), a question to ask first, or why it cannot be used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal


@dataclass(frozen=True, slots=True)
class When:
    """A parsed time: once at ``at``, or monthly on ``day`` (31 = the month's last day)."""

    kind: Literal["once", "monthly"]
    at: datetime | None = None
    day: int | None = None
    clock: time | None = None  # the time of day the user gave, if any
    rest: str = ""  # the text with the time expression removed (what to be reminded of)
    joined_by: str = ""  # the character right after the time expression ("に" in 明日10時に電話)
    ahead: bool = False  # some days before the day said (「前の日に教えて」): a reminder asked for


@dataclass(frozen=True, slots=True)
class WhenAsk:
    """The phrase needs a question before it can be used.

    ``reason``: ``tomorrow`` (a time of day already past today: 「明日の◯時のことですか？」),
    ``tonight`` (8時 at 19:00: tonight's 20:00, or tomorrow's 8:00), ``ampm`` (2時 alone: 14:00 or
    2:00, afternoon first), ``day`` (a month or a part of it without the day: 上旬, 来月),
    ``weekday`` (11/20(金) when the 20th is not a Friday), ``vague`` (そのうち), ``unknown`` (a word
    inside the phrase not read). ``options``: the moments the question proposes, the likelier
    first; ``understood``: the part that was read.
    """

    reason: Literal["tomorrow", "tonight", "ampm", "day", "weekday", "vague", "unknown", "repeat", "time"]
    options: tuple[datetime, ...] = ()
    understood: str = ""
    rest: str = ""

    @property
    def repeats(self) -> bool:
        """True for a repeating time (「毎週金曜20時」): a rule to be read, not one moment to choose."""
        return self.reason == "repeat"


@dataclass(frozen=True, slots=True)
class WhenError:
    """Why a time could not be used: ``past``, ``invalid_date``, ``invalid_time`` or ``unparsed``."""

    reason: Literal["past", "invalid_date", "invalid_time", "unparsed"]
    rest: str = ""  # the text without the time expression: the task, kept while a new time is asked
    context: str = ""  # what of the phrase still holds (「2月」 of 「2月30日」): the next answer completes it


# ---------------------------------------------------------------- kanji numerals
