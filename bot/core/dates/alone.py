"""Parts of a time phrase read on their own: an hour from 1 to 6 (the afternoon likelier), a time of
day with no day, and a day whose time of day comes in a later clause."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from bot.core.dates import jptime_rules as rules
from bot.core.dates.phrases import When, WhenAsk

# Where one clause ends and the next begins (「…行く予定。朝イチで」 「…行くから、前の日の夜9時」).
_CLAUSE_END = re.compile(r"[。.!！?？\n、,]|から|ので|けど")


def time_said_after(names: list[str], gaps: list[str]) -> bool:
    """「あさって日曜に自動契約機行く予定。朝イチで」: the day in one clause, then words, then only its
    time of day in a later clause. One moment, the words between its task."""
    unread = [i for i, gap in enumerate(gaps) if not rules.FILLER.match(gap)]
    if len(unread) != 1 or not _CLAUSE_END.search(gaps[unread[0]]):
        return False
    before, after = names[: unread[0] + 1], names[unread[0] + 1 :]
    time_only = {"clock", "period"}
    return bool(set(before) - time_only) and not set(before) & {"clock"} and set(after) <= time_only


def afternoon(parts: rules.Parts) -> time | None:
    """The afternoon reading of an hour from 1 to 6 said without 午前/午後/朝/夜 ("2時" -> 14:00)."""
    if not parts.open_hour or parts.clock is None or not 1 <= parts.clock.hour <= 6:
        return None
    return parts.clock.replace(hour=parts.clock.hour + 12)


def time_alone(
    parts: rules.Parts, clock: time, now: datetime, understood: str, rest: str, joined_by: str
) -> When | WhenAsk:
    """A time of day with no day: today while ahead, else a question with the next moments it can be."""
    today_at = datetime.combine(now.date(), clock, now.tzinfo)
    if parts.next_day_clock or clock == time(0, 0):  # 午前0時: the coming midnight
        today_at += timedelta(days=1)
    evening = today_at + timedelta(hours=12)
    if afternoon(parts) is not None:
        # 2時 alone: the next 14:00 and the next 2:00 (today or tomorrow each), the afternoon first.
        day = timedelta(days=1)
        options = (evening if evening > now else evening + day, today_at if today_at > now else today_at + day)
        return WhenAsk("ampm", options=options, understood=understood, rest=rest)
    if today_at > now:
        return When("once", at=today_at, clock=clock, rest=rest, joined_by=joined_by)
    tomorrow = today_at + timedelta(days=1)
    if parts.open_hour and evening > now:
        # 8時 said at 19:00: the morning has passed but tonight's 20:00 has not; offer both.
        return WhenAsk("tonight", options=(evening, tomorrow), understood=understood, rest=rest)
    return WhenAsk("tomorrow", options=(tomorrow,), understood=understood, rest=rest)
