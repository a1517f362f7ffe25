"""A reminder some days before the day said: 「孫の誕生日が12月20日なので、前の日に教えて」 is
19 December, and its text is the event (「孫の誕生日の前日」)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.core.dates.phrases import When

# 「孫の誕生日が12月20日なので、前の日に教えて」 「20日の2日前に」: a moment some days before the day said.
_LEAD = re.compile(r"(?:の|その)?(?:前の日|前日|まえのひ|(?<!\d)(\d)\s*日前)(?:の)?(?:に|くらい|ぐらい|には)?")
# What ends the words that name the event: 「が」 「は」 「なので」 「だから」, a request.
_EVENT_TAIL = re.compile(
    r"(?:[\s、,。]|が|は|の|に|で|も|って|なので|なんで|だから|ですので|ですから|から|ので|教えて.*|知らせて.*|リマインド.*)+$"
)
_VERB_END = "るくすつうぐぶむぬ"
# The rules that name a day (a lead needs one: 「前の日に」 alone is a day before nothing said).
_TIME_ONLY = frozenset({"clock", "period", "occasion"})


def ahead_of_the_day(
    text: str, now: datetime, apply: Callable[[str], Any], parse: Callable[[str, Any], object]
) -> When | None:
    """The moment ``N`` days before the day the text names, when it says so; None otherwise.

    ``apply`` reads a text's time words, ``parse`` makes a moment of them (the parser's own steps)."""
    lead = _LEAD.search(text)
    if lead is None:
        return None
    without = (text[: lead.start()] + " " + text[lead.end() :]).strip()
    read = apply(without)
    if not read.spans or not set(read.names) - _TIME_ONLY:
        return None
    day = parse(without, read)
    if not isinstance(day, When) or day.kind != "once" or day.at is None:
        return None
    days = int(lead.group(1) or 1)
    moved = day.at - timedelta(days=days)
    if moved <= now:
        return None
    # The event is the reminder's text (「孫の誕生日が12月20日なので」 -> 孫の誕生日の前日).
    event = _EVENT_TAIL.sub("", without[: read.spans[0][0]]) or _EVENT_TAIL.sub("", day.rest)
    # 「病院行く」 is a doing: the day of it (「病院行く日の前日」); 「誕生日」 is a day already.
    event = f"{event}日" if event and event[-1] in _VERB_END else event
    title = f"{event}の{'前日' if days == 1 else f'{days}日前'}" if event else day.rest
    return replace(day, at=moved, ahead=True, rest=title, joined_by="に")
