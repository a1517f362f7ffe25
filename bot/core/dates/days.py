"""Which day a time phrase names: days said from today (明日, 来週の金曜), then days inside a month (25日, 月末, 第2火曜)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from bot.core.dates import jptime_rules as rules
from bot.core.dates.phrases import WhenError


def _add_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _nth_weekday(year: int, month: int, n: int, weekday: int) -> date | None:
    first = date(year, month, 1)
    day = 1 + (weekday - first.weekday()) % 7 + 7 * (n - 1)
    return date(year, month, day) if day <= calendar.monthrange(year, month)[1] else None


@dataclass(frozen=True, slots=True)
class _DayAsk:
    """A question about the day, with the days it could be."""

    reason: Literal["day", "weekday"]
    days: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class _Today:
    """Where a day phrase is read from: now, and the time of day it will be set at."""

    now: datetime
    at_time: time

    @property
    def today(self) -> date:
        return self.now.date()

    def ahead(self, day: date) -> bool:
        return datetime.combine(day, self.at_time, self.now.tzinfo) > self.now


@dataclass(frozen=True, slots=True)
class _Month:
    """The year and month a phrase points into, and whether the phrase said a month at all."""

    year: int
    month: int
    given: bool

    @property
    def last(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]


_DayFound = date | WhenError | _DayAsk | None


def _date_of(p: rules.Parts, now: datetime, at_time: time) -> _DayFound:
    """The day the parts name, or why there is none (None: no day was said).

    Days said relative to today are tried first, then days inside a month; each reader answers
    None when the phrase is not its kind.
    """
    ctx = _Today(now, at_time)
    for relative in (_new_year, _week_ask, _next_monday, _weekday_of_week, _day_offset):
        found = relative(p, ctx)
        if found is not None:
            return found
    month = _month_of(p, ctx.today)
    if not 2000 <= month.year <= rules.MAX_YEAR:
        return WhenError("invalid_date")
    for inside in (_nth_weekday_in, _month_end, _month_start, _same_day, _day_in, _weekday_next, _month_only):
        found = inside(p, ctx, month)
        if found is not None:
            return found
    return None


def _new_year(p: rules.Parts, ctx: _Today) -> _DayFound:
    """年明け (4日): the coming January, on the day said with it (三が日明け alone: the 4th)."""
    if not p.new_year:
        return None
    day = p.day if p.day is not None else p.new_year_day
    if not day:
        return _DayAsk("day")
    # Said in early January (「年明け4日」 on the 2nd), it is this January while the day is ahead.
    year = ctx.today.year if ctx.today.month == 1 and day >= ctx.today.day else ctx.today.year + 1
    return date(year, 1, day) if 1 <= day <= 31 else WhenError("invalid_date")


def _week_ask(p: rules.Parts, ctx: _Today) -> _DayFound:
    return _DayAsk("day") if p.week_offset is not None and p.weekday is None else None  # 来週: which day?


def _next_monday(p: rules.Parts, ctx: _Today) -> _DayFound:
    today = ctx.today
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7) if p.next_monday else None


def _weekday_of_week(p: rules.Parts, ctx: _Today) -> _DayFound:
    if p.weekday is None or p.week_offset is None or p.day is not None:
        return None
    monday = ctx.today - timedelta(days=ctx.today.weekday())
    day = monday + timedelta(days=7 * p.week_offset + p.weekday)
    if p.weekday == 6 and p.week_offset >= 1:
        # 来週の日曜: weeks that start on Sunday put it a week earlier; ask which one.
        return _DayAsk("weekday", (day - timedelta(days=7), day))
    return day


def _day_offset(p: rules.Parts, ctx: _Today) -> _DayFound:
    if p.day_offset is None or p.month_offset is not None or p.year_offset is not None:
        return None
    return ctx.today + timedelta(days=p.day_offset)


def _month_of(p: rules.Parts, today: date) -> _Month:
    year = p.year if p.year is not None else today.year + (p.year_offset or 0)
    given = p.month is not None or p.month_offset is not None or p.year_offset is not None
    if p.month is not None and p.month < today.month and p.year is None and p.year_offset is None:
        year += 1  # "2月末" said in December: next February
    if p.month is not None:
        month = p.month
    elif p.month_offset is not None:
        year, month = _add_month(year, today.month, p.month_offset)
    elif p.year_offset:
        month = 1 if p.day is None and not (p.month_end or p.month_start) else today.month
    else:
        month = today.month
    return _Month(year, month, given)


def _nth_weekday_in(p: rules.Parts, ctx: _Today, m: _Month) -> _DayFound:
    if p.nth_weekday is None:
        return None
    n, weekday = p.nth_weekday
    for step in range(0 if m.given else 13):
        y, mo = _add_month(m.year, m.month, step)
        found = _nth_weekday(y, mo, n, weekday)
        if found is not None and ctx.ahead(found):
            return found
    found = _nth_weekday(m.year, m.month, n, weekday)
    return found if found is not None else WhenError("invalid_date")


def _month_end(p: rules.Parts, ctx: _Today, m: _Month) -> _DayFound:
    if not p.month_end:
        return None
    year, month = m.year, m.month
    if not m.given and not ctx.ahead(date(year, month, m.last)):
        year, month = _add_month(year, month, 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_start(p: rules.Parts, ctx: _Today, m: _Month) -> _DayFound:
    return date(m.year, m.month, 1) if p.month_start else None


def _same_day(p: rules.Parts, ctx: _Today, m: _Month) -> _DayFound:
    if not p.same_day or p.day is not None:
        return None
    return date(m.year, m.month, min(ctx.today.day, m.last))


def _day_in(p: rules.Parts, ctx: _Today, m: _Month) -> _DayFound:
    if p.day is None:
        return None
    if p.month is None and not m.given:
        return _next_day_numbered(p.day, ctx, m)
    if p.day > m.last:
        return _leap_day(p, ctx) if p.month == 2 and p.day == 29 else WhenError("invalid_date")
    day = date(m.year, m.month, p.day)
    if p.year is None and p.year_offset is None and p.month_offset is None and not ctx.ahead(day):
        # A date already behind us this year: a few weeks back is the past; further back, next year.
        if ctx.today - day <= timedelta(days=31):
            return WhenError("past") if day < ctx.today else day
        return date(m.year + 1, m.month, p.day)
    return day


def _next_day_numbered(number: int, ctx: _Today, m: _Month) -> _DayFound:
    """ "25日": the next 25th (a month that has one)."""
    for step in range(13):
        y, mo = _add_month(m.year, m.month, step)
        if number <= calendar.monthrange(y, mo)[1] and ctx.ahead(date(y, mo, number)):
            return date(y, mo, number)
    return WhenError("invalid_date")


def _leap_day(p: rules.Parts, ctx: _Today) -> _DayFound:
    """2月29日 without a year: the next one there is."""
    if p.year is not None or p.year_offset is not None:
        return WhenError("invalid_date")
    year = ctx.today.year if p.month is None or p.month >= ctx.today.month else ctx.today.year + 1
    while not calendar.isleap(year) or date(year, 2, 29) < ctx.today:
        year += 1
    return date(year, 2, 29)


def _weekday_next(p: rules.Parts, ctx: _Today, m: _Month) -> _DayFound:
    if p.weekday is None:
        return None
    today = ctx.today
    if p.weekday == today.weekday():
        # 火曜 said on a Tuesday: today, or a week from today?
        later = today + timedelta(days=7)
        return _DayAsk("weekday", ((today,) if ctx.ahead(today) else ()) + (later,))
    return today + timedelta(days=(p.weekday - today.weekday()) % 7)


def _month_only(p: rules.Parts, ctx: _Today, m: _Month) -> _DayFound:
    return _DayAsk("day") if m.given else None  # 来月, 12月: which day?
