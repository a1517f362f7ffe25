"""Japanese dates and times: formatting (「12月7日(月) 9:00」) and parsing what people type.

The parser understands 今日/明日/明後日, N日後/N時間後/N分後, 来週の金曜, 12/5 9:00, 12月5日9時,
25日 (the next 25th), 月末, 毎月25日, 毎月末, 午前/午後/朝/昼/夜, 半, full-width digits and kanji
numerals (三日後). The reference time and timezone are arguments: nothing here reads the clock.
A past time, an impossible date or an unknown expression is reported, never guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from bot.core.textnorm import clean

WEEKDAYS = "月火水木金土日"
DEFAULT_TIME = time(9, 0)


def format_date(day: date, ref: date | None = None) -> str:
    """「12月7日(月)」; with the year in front when it differs from ``ref``'s year."""
    year = f"{day.year}年" if ref is not None and ref.year != day.year else ""
    return f"{year}{day.month}月{day.day}日({WEEKDAYS[day.weekday()]})"


def format_datetime(moment: datetime, ref: date | None = None) -> str:
    """「12月7日(月) 9:00」 in the datetime's own timezone (year shown when not ``ref``'s)."""
    return f"{format_date(moment.date(), ref)} {format_time(moment.time())}"


def utc_stamp(moment: datetime) -> str:
    """An aware datetime as UTC ISO 8601 to the second (how the core hands times to storage)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def format_time(moment: time) -> str:
    """「9:00」."""
    return f"{moment.hour}:{moment.minute:02d}"


@dataclass(frozen=True, slots=True)
class When:
    """A parsed time: once at ``at``, or monthly on ``day`` (31 = the month's last day)."""

    kind: Literal["once", "monthly"]
    at: datetime | None = None
    day: int | None = None
    clock: time | None = None  # the time of day the user gave, if any
    rest: str = ""  # the text with the time expression removed (what to be reminded of)
    joined_by: str = ""  # the character right after the time expression ("に" in 明日10時に電話)


@dataclass(frozen=True, slots=True)
class WhenError:
    """Why a time could not be used: ``past``, ``invalid_date``, ``invalid_time`` or ``unparsed``."""

    reason: Literal["past", "invalid_date", "invalid_time", "unparsed"]


# ---------------------------------------------------------------- kanji numerals

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = re.compile(r"[〇零一二三四五六七八九十]+(?=\s*(?:日|時|分|月|週|年|ヶ月|か月|カ月|半))")


def _kanji_to_int(text: str) -> int:
    total, current = 0, 0
    for ch in text:
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _KANJI_DIGITS[ch]
    return total + current


def _digits(text: str) -> str:
    """Kanji numerals written before a unit (三日後, 十二月二十五日) become digits."""
    return _KANJI_NUMBER.sub(lambda m: str(_kanji_to_int(m.group(0))), text)


# ---------------------------------------------------------------- patterns

_MONTHLY = re.compile(r"毎月\s*(?:(\d{1,2})\s*日|(末日?|最終日))")
_RELATIVE = re.compile(r"あと\s*(\d{1,3})\s*(日|時間|分|週間)|(\d{1,3})\s*(日|時間|分|週間)\s*(?:後|ご|あと)")
_DAY_WORDS = {
    "明々後日": 3, "しあさって": 3, "明後日": 2, "あさって": 2, "明日": 1, "あした": 1, "あす": 1,
    "今日": 0, "きょう": 0, "本日": 0, "今晩": 0, "今夜": 0, "こんばん": 0,
}  # fmt: skip
_EVENING_WORDS = ("今晩", "今夜", "こんばん")  # "今晩9時" is 21:00
_DAY_WORD = re.compile("|".join(sorted(_DAY_WORDS, key=len, reverse=True)))
_WEEKDAY = re.compile(r"(再来週|来週|今週)?\s*の?\s*([月火水木金土日])曜(?:日)?")
_FULL_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SLASH_DATE = re.compile(r"(?<![\d:])(?:(\d{4})/)?(\d{1,2})/(\d{1,2})(?![\d/])")
_MONTH_END = re.compile(r"(?:今月の?)?(?:月末|末日)")
_DAY_ONLY = re.compile(r"(?<![\d月/])(\d{1,2})\s*日(?!\s*(?:後|間|ご))")
_PERIOD = r"(午前|午後|朝|昼|夕方|夜|晩|深夜|AM|PM|am|pm)"
# 時 but not 時間 ("2時間後" is a duration, not two o'clock).
_TIME = re.compile(_PERIOD + r"?\s*(\d{1,2})\s*(?:時(?!間)|:)\s*(?:(\d{1,2})\s*分?|(半))?" + r"(?:\s*(AM|PM|am|pm))?")
_PERIOD_ONLY = re.compile(r"(?<![午今])(朝|昼|夕方|夜|晩)(?![\d時])")
_PERIOD_DEFAULTS = {"朝": 9, "昼": 12, "夕方": 17, "夜": 20, "晩": 20}


@dataclass(slots=True)
class _Found:
    spans: list[tuple[int, int]]

    def take(self, match: re.Match[str]) -> re.Match[str]:
        self.spans.append(match.span())
        return match


def _search(pattern: re.Pattern[str], text: str, found: _Found) -> re.Match[str] | None:
    """The first match that does not overlap what was already found (retrying one character on:
    in 今晩9時 the day word took 晩, and 9時 must still be found)."""
    pos = 0
    while pos <= len(text):
        match = pattern.search(text, pos)
        if match is None:
            return None
        if not any(s < match.end() and match.start() < e for s, e in found.spans):
            return found.take(match)
        pos = match.start() + 1
    return None


def _hour(period: str | None, hour: int, suffix: str | None) -> int | None:
    """The 24-hour hour; 24 means midnight at the end of the day (夜12時 / 深夜12時)."""
    period = period or suffix or ""
    if period in ("夜", "晩", "深夜") and hour == 12:
        return 24
    if period in ("午後", "夕方", "夜", "晩", "PM", "pm") and hour < 12:
        hour += 12
    elif period in ("昼",) and 1 <= hour <= 6:
        hour += 12
    elif period in ("午前", "AM", "am") and hour == 12:
        hour = 0
    return hour if 0 <= hour <= 23 else None


def _rest(text: str, spans: list[tuple[int, int]]) -> str:
    keep = "".join(ch for i, ch in enumerate(text) if not any(s <= i < e for s, e in spans))
    keep = re.sub(r"^[\s、,のにでまで]+", "", keep)
    keep = re.sub(
        r"(?:を|と|って)?(?:リマインド(?:して)?|教えて|知らせて|お知らせ(?:して)?|通知(?:して)?)(?:ください|下さい|ね)?[。!！]*$",
        "",
        keep,
    )
    keep = re.sub(r"^(?:に|の|で|は)\s*", "", keep.strip())
    return keep.strip(" 、,。")


def _add_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def parse_when(text: str, now: datetime, default_time: time = DEFAULT_TIME) -> When | WhenError | None:
    """Parse a Japanese time expression relative to ``now`` (an aware datetime in the user's zone).

    Returns None when the text holds no time expression at all, a :class:`WhenError` when it holds
    one that cannot be used (in the past, 2月30日, 25時), else a :class:`When`.
    """
    text = _digits(clean(text))
    tz = now.tzinfo
    found = _Found([])

    monthly = _search(_MONTHLY, text, found)
    clock_match = None
    relative = _search(_RELATIVE, text, found)
    day_word = _search(_DAY_WORD, text, found)
    weekday = _search(_WEEKDAY, text, found)
    full = _search(_FULL_DATE, text, found) or _search(_SLASH_DATE, text, found)
    month_end = _search(_MONTH_END, text, found) if not monthly else None
    day_only = _search(_DAY_ONLY, text, found) if not (monthly or full) else None
    clock_match = _search(_TIME, text, found)
    period_only = _search(_PERIOD_ONLY, text, found) if not clock_match else None

    clock: time | None = None
    next_day = False  # 夜12時: midnight, i.e. 0:00 of the following day
    if clock_match:
        period, hour_text, minute_text, half, suffix = clock_match.groups()
        if period is None and day_word and day_word.group(0) in _EVENING_WORDS:
            period = "夜"
        hour = _hour(period, int(hour_text), suffix)
        minute = 30 if half else int(minute_text or 0)
        if hour is None or minute > 59:
            return WhenError("invalid_time")
        next_day = hour == 24
        clock = time(0 if next_day else hour, minute)
    elif period_only:
        clock = time(_PERIOD_DEFAULTS[period_only.group(1)], 0)
    elif day_word and day_word.group(0) in _EVENING_WORDS:
        clock = time(_PERIOD_DEFAULTS["夜"], 0)
    rest = _rest(text, found.spans)
    end = max((e for _, e in found.spans), default=0)
    joined_by = text[end : end + 1]

    if monthly:
        day = 31 if monthly.group(2) else int(monthly.group(1))
        if not 1 <= day <= 31:
            return WhenError("invalid_date")
        return When("monthly", day=day, clock=clock, rest=rest, joined_by=joined_by)

    today = now.date()
    at_time = clock or default_time
    target: date | None = None
    if relative:
        amount, unit = int(relative.group(1) or relative.group(3)), relative.group(2) or relative.group(4)
        if unit == "時間":
            at = (now + timedelta(hours=amount)).replace(second=0, microsecond=0)
            return When("once", at=at, rest=rest, joined_by=joined_by)
        if unit == "分":
            at = (now + timedelta(minutes=amount)).replace(second=0, microsecond=0)
            return When("once", at=at, rest=rest, joined_by=joined_by)
        target = today + timedelta(days=amount * (7 if unit == "週間" else 1))
    elif day_word:
        target = today + timedelta(days=_DAY_WORDS[day_word.group(0)])
    elif weekday:
        week, name = weekday.groups()
        wanted = WEEKDAYS.index(name)
        if week:
            monday = today - timedelta(days=today.weekday())
            offset = {"今週": 0, "来週": 7, "再来週": 14}[week]
            target = monday + timedelta(days=offset + wanted)
        else:
            target = today + timedelta(days=(wanted - today.weekday()) % 7)
            if target == today and datetime.combine(target, at_time, tz) <= now:
                target += timedelta(days=7)
    elif full:
        year_text, month, day = full.group(1), int(full.group(2)), int(full.group(3))
        year = int(year_text) if year_text else today.year
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            return WhenError("invalid_date")
        if day > calendar.monthrange(year, month)[1]:
            # 2月29日 without a year means the next year that has one.
            if year_text or not (month == 2 and day == 29):
                return WhenError("invalid_date")
            while not calendar.isleap(year) or date(year, 2, 29) < today:
                year += 1
        target = date(year, month, day)
        if not year_text and datetime.combine(target, at_time, tz) <= now:
            next_year = year + 1
            if day > calendar.monthrange(next_year, month)[1]:
                return WhenError("past")
            target = date(next_year, month, day)
    elif month_end:
        target = date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
        if datetime.combine(target, at_time, tz) <= now:
            y, m = _add_month(today, 1)
            target = date(y, m, calendar.monthrange(y, m)[1])
    elif day_only:
        day = int(day_only.group(1))
        if not 1 <= day <= 31:
            return WhenError("invalid_date")
        for months in range(0, 13):
            y, m = _add_month(today, months)
            if day <= calendar.monthrange(y, m)[1]:
                candidate = date(y, m, day)
                if datetime.combine(candidate, at_time, tz) > now:
                    target = candidate
                    break
    elif clock:
        target = today if datetime.combine(today, clock, tz) > now else today + timedelta(days=1)
    if target is None:
        return None
    if next_day and not (clock_match and not (relative or day_word or weekday or full or month_end or day_only)):
        target += timedelta(days=1)
    at = datetime.combine(target, at_time, tz)
    if at <= now:
        return WhenError("past")
    return When("once", at=at, clock=clock, rest=rest, joined_by=joined_by)


def parse_clock(text: str) -> time | None:
    """A time of day alone ("9時", "20:30", "夜8時半", "朝"), or None."""
    text = _digits(clean(text))
    match = _TIME.search(text)
    if match:
        period, hour_text, minute_text, half, suffix = match.groups()
        hour = _hour(period, int(hour_text), suffix)
        minute = 30 if half else int(minute_text or 0)
        if hour == 24:
            hour = 0
        return time(hour, minute) if hour is not None and minute <= 59 else None
    period = _PERIOD_ONLY.search(text)
    return time(_PERIOD_DEFAULTS[period.group(1)], 0) if period else None
