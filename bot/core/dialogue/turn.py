"""One typed message on its way down the router's stages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.dates.jptime import When, WhenAsk, WhenError
from bot.core.dialogue.state import Outcome
from bot.core.situation.facts import Situation
from bot.core.understanding import Reading, Scored


@dataclass(slots=True)
class Turn:
    """One typed message on its way down the route: what it says and what has been read of it."""

    out: Outcome
    text: str
    key: str  # the text normalized
    situation: Situation
    now: datetime
    reading: Reading | None = None
    # The reading points to something else than the question in front of the person (it acts).
    elsewhere: bool = False
    # A login cause read during a reminder set-up without words about logging in: the set-up stays.
    held: bool = False
    when: When | WhenAsk | WhenError | None = None

    @property
    def pending(self) -> object:
        return self.out.state.pending

    @property
    def top(self) -> Scored:
        assert self.reading is not None
        return self.reading.top
