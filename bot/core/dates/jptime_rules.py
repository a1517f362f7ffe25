"""The rules of the Japanese time parser: one (pattern, handler) pair per kind of expression.

Each handler reads its match into a :class:`Parts` (what the phrase says: a year, a month offset, a
weekday, a time of day...). The parser (:func:`bot.core.dates.jptime.parse_when`) applies every rule
once, left to right without overlaps, then turns the parts into one moment, or a question when a
part is missing, contradictory or not understood. Adding an expression is adding a rule here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta

from bot.core.dates import month_words as months
from bot.core.dates.hours import _KANA_PERIODS, _PERIOD_DEFAULT, hour_of
from bot.core.dates.month_words import MAX_YEAR

WEEKDAYS = "月火水木金土日"
# How far ahead a reminder can be set, and the largest offsets read: beyond is a question, never
# an overflow ("10000000日後", "9999年").
MAX_DAYS_AHEAD = 3660
__all__ = ["MAX_YEAR"]


@dataclass(slots=True)
class Parts:
    """What a time phrase says, piece by piece (None: not said)."""

    monthly_day: int | None = None  # 毎月N日 (31 = month end)
    delta: timedelta | None = None  # N分後, N時間後, 1時間半後
    day_offset: int | None = None  # 明日 = 1, N日後, N週間後
    month_offset: int | None = None  # 来月 = 1, Nか月後
    year_offset: int | None = None  # 来年 = 1
    year: int | None = None
    month: int | None = None
    day: int | None = None
    month_end: bool = False
    month_start: bool = False
    nth_weekday: tuple[int, int] | None = None  # 第2火曜 -> (2, 1)
    weekday: int | None = None  # 0 = Monday
    week_offset: int | None = None  # 今週 0, 来週 1, 再来週 2
    weekday_check: int | None = None  # 11/20(金): the weekday written beside a date
    next_monday: bool = False  # 週明け
    new_year: bool = False  # 年明け
    new_year_day: int = 1  # the day of January it means when no day is said (三が日明け: 4)
    past: bool = False  # 昨日, 先週, 先月, 去年
    clock: time | None = None
    clock_default: bool = False  # the clock is a word's usual hour (今夜 20:00), not a time said
    occasion: str = ""  # 仕事終わり, 寝る前: a moment of the day that needs its hour
    next_day_clock: bool = False  # 夜12時 = 0:00 of the next day
    said: tuple[int, int] | None = None  # the hour and minute as written (2時半 -> (2, 30))
    open_hour: bool = False  # 1-11時 with nothing saying morning or evening: either half of the day
    vague: str = ""  # 上旬, そのうち: a question, not a guess
    same_day: bool = False  # Nか月後 / N年後: the same day of the month
    day_period: str = ""  # 今晩 / 今夜: 夜 ("9時" then means 21:00); 今朝: 朝 (2時 is 2:00, not asked)
    invalid: str = ""  # "date" or "time"


Handler = Callable[[re.Match[str], Parts], None]


def _int(text: str | None, default: int = 0) -> int:
    return int(text) if text else default


# ---------------------------------------------------------------- handlers


def _monthly(m: re.Match[str], p: Parts) -> None:
    p.monthly_day = 31 if m.group(2) else _int(m.group(1))
    if not 1 <= p.monthly_day <= 31:
        p.invalid = "date"


def _delta(m: re.Match[str], p: Parts) -> None:
    hours = _int(m.group("h")) + _int(m.group("h2"))
    minutes = _int(m.group("m")) + _int(m.group("m2")) + (30 if m.group("half") else 0)
    if hours > MAX_DAYS_AHEAD * 24 or minutes > MAX_DAYS_AHEAD * 24 * 60:
        p.invalid = "date"
        return
    p.delta = timedelta(hours=hours, minutes=minutes)


def _days_after(m: re.Match[str], p: Parts) -> None:
    amount = _int(m.group(1) or m.group(3))
    unit = m.group(2) or m.group(4)
    if unit in ("ヶ月", "か月", "カ月", "ケ月", "ヵ月", "年"):
        months = amount * (12 if unit == "年" else 1)
        if months > MAX_DAYS_AHEAD // 28:
            p.invalid = "date"
        else:
            p.month_offset = months
            p.same_day = True  # "3か月後": the same day of the month, three months on
        return
    days = amount * (7 if unit == "週間" else 1)
    if days > MAX_DAYS_AHEAD:
        p.invalid = "date"
    else:
        p.day_offset = days


def _half_year(m: re.Match[str], p: Parts) -> None:
    p.month_offset = 6
    p.same_day = True


def _before_now(m: re.Match[str], p: Parts) -> None:
    p.past = True


_WEEK_WORDS = {"今週": 0, "こんしゅう": 0, "来週": 1, "らいしゅう": 1, "再来週": 2, "さらいしゅう": 2, "先週": -1}


def _week(m: re.Match[str], p: Parts) -> None:
    p.week_offset = _WEEK_WORDS[m.group(1)]


_DAY_WORDS = {
    "明々後日": 3, "しあさって": 3, "明後日": 2, "あさって": 2, "明日": 1, "あした": 1, "あす": 1,
    "今日": 0, "きょう": 0, "本日": 0, "今晩": 0, "今夜": 0, "こんばん": 0, "今朝": 0, "けさ": 0,
    "昨日": -1, "きのう": -1, "一昨日": -2, "おととい": -2, "昨晩": -1, "昨夜": -1, "明明後日": 3,
}  # fmt: skip
# A period word whose usual hour is this late lasts until midnight: 「今夜」 at 21:30 is still ahead
# (its hour is asked), unlike 「今朝」 or 「正午」 said in the afternoon (past).
_NIGHT = 20
_EVENING = {"今晩": 20, "今夜": 20, "こんばん": 20, "昨晩": 20, "昨夜": 20, "今朝": 8, "けさ": 8}


def _day_word(m: re.Match[str], p: Parts) -> None:
    word = m.group(0)
    p.day_offset = _DAY_WORDS[word]
    if p.day_offset < 0:
        p.past = True
    if word in _EVENING and p.clock is None:
        p.clock = time(_EVENING[word])
        p.clock_default = _EVENING[word] >= _NIGHT  # 今夜 lasts till midnight; 今朝 is over by noon
        p.day_period = "夜" if _EVENING[word] >= 17 else "朝"


def _day_only(m: re.Match[str], p: Parts) -> None:
    p.day = int(m.group(1))
    if not 1 <= p.day <= 31:
        p.invalid = "date"


def _weekday_check(m: re.Match[str], p: Parts) -> None:
    p.weekday_check = WEEKDAYS.index(m.group(1))


def _nth_weekday(m: re.Match[str], p: Parts) -> None:
    n = int(m.group(1))
    if not 1 <= n <= 5:
        p.invalid = "date"
    else:
        p.nth_weekday = (n, WEEKDAYS.index(m.group(2)))


def _weekday(m: re.Match[str], p: Parts) -> None:
    week = m.group(1)
    if week in _WEEK_WORDS:
        p.week_offset = _WEEK_WORDS[week]
        if week == "先週":
            p.past = True
    p.weekday = WEEKDAYS.index(m.group(2))


def _next_monday(m: re.Match[str], p: Parts) -> None:
    p.next_monday = True


# Moments of the day named by what one does then, and the half of the day an hour said with them is
# in (寝る前、11時 = 23:00). Only 昼休み has a usual hour; the others need theirs said.
_OCCASIONS = {
    "夜": "寝る前|ねる前|寝るまえ|ねるまえ|寝る時|寝るとき|就寝前",
    "夕方": "仕事終わり|仕事おわり|仕事の後|仕事のあと|仕事帰り|帰ったら|帰宅後|帰宅したら|退勤後|夕飯の後|夕飯後|夕食後"
    "|晩ご飯の後|晩ごはんの後",
    "朝": "朝起きたら|起きたら|起きてすぐ|出勤前|出かける前|朝食後|朝ご飯の後|朝ごはんの後",
    "昼": "お昼休み|昼休み|お昼休憩|昼休憩|昼ご飯の後|昼ごはんの後|昼食後",
}
_OCCASION_PERIOD = {word: period for period, words in _OCCASIONS.items() for word in words.split("|")}


def _occasion(m: re.Match[str], p: Parts) -> None:
    p.occasion = m.group(0)
    period = _OCCASION_PERIOD[p.occasion]
    p.day_period = p.day_period or period
    if period == "昼" and p.clock is None:
        p.clock, p.clock_default = time(12), True


def _vague(m: re.Match[str], p: Parts) -> None:
    p.vague = m.group(0)


def _set_clock(p: Parts, hour: int, minute: int) -> None:
    p.next_day_clock = hour >= 24
    p.clock = time(hour % 24, minute)
    p.clock_default = False


def _clock(m: re.Match[str], p: Parts) -> None:
    period = m.group("period") or p.day_period or None
    written = m.group("h")
    hour = hour_of(period, int(written), m.group("suffix"))
    minute = 30 if m.group("half") else _int(m.group("m"))
    if hour is None or minute > 59:
        p.invalid = "time"
        return
    _set_clock(p, hour, minute)
    p.said = (int(written), minute)
    # A leading zero (02:00, 08時) is a 24-hour clock; 1-11 with no period word could be either.
    p.open_hour = period is None and not m.group("suffix") and 1 <= int(written) <= 11 and written[0] != "0"


def _period(m: re.Match[str], p: Parts) -> None:
    word = m.group(0)
    if p.said is None:
        p.clock = time(_PERIOD_DEFAULT[word])
        p.clock_default = _PERIOD_DEFAULT[word] >= _NIGHT
        return
    # The parser only reads a period word standing before the clock ("夜、8時"): it says which half
    # of the day an hour written without one is in; it never replaces a time already qualified.
    hour = hour_of(word, p.said[0]) if p.open_hour else None
    if hour is not None:
        _set_clock(p, hour, p.said[1])
        p.open_hour = False


# ---------------------------------------------------------------- the table

_N = r"(\d{1,9})"
_PERIOD = (
    r"(?P<period>午前|午後|朝|昼|お昼|夕方|夜中|夜|晩|深夜|AM|PM|am|pm|"
    + "|".join(sorted(_KANA_PERIODS, key=len, reverse=True))
    + ")?"
)

RULES: list[tuple[str, re.Pattern[str], Handler]] = [
    ("monthly", re.compile(r"毎月\s*(?:(\d{1,2})\s*日|(末日?|最終日))"), _monthly),
    (
        "delta",
        re.compile(
            r"(?:(?P<h>\d{1,9})\s*時間\s*(?:(?P<half>半)|(?P<m>\d{1,9})\s*分)?|(?P<m2>\d{1,9})\s*分)\s*(?:後|ご|あと)"
            r"|あと\s*(?:(?P<h2>\d{1,9})\s*時間|(?P<mm>\d{1,9})\s*分)"
        ),
        lambda m, p: _delta_after(m, p),
    ),
    (
        "days_after",
        re.compile(_N + r"\s*(日|週間|ヶ月|か月|カ月|ケ月|ヵ月|年)\s*(?:後|ご)|あと\s*" + _N + r"\s*(日|週間)"),
        _days_after,
    ),
    ("half_year", re.compile(r"半年\s*(?:後|ご)"), _half_year),
    ("before_now", re.compile(_N + r"\s*(?:日|時間|分|週間|か月|ヶ月)\s*前"), _before_now),
    ("era", re.compile(r"令和\s*(\d{1,2})\s*年"), months.era),
    (
        "named_day",
        re.compile(
            r"大晦日|大みそか|おおみそか|元日|元旦|お正月(?!明け)|正月(?!明け)|クリスマスイブ|クリスマス・イブ|イブ(?=の|に)|クリスマス"
        ),
        months.named_day,
    ),
    ("nth_weekday", re.compile(r"第\s*(\d)\s*([月火水木金土日])曜(?:日)?"), _nth_weekday),
    ("weekday_check", re.compile(r"[(（]\s*([月火水木金土日])\s*(?:曜日?)?\s*[)）]"), _weekday_check),
    (
        "full_date",
        re.compile(r"(?:(?P<y>\d{1,9})\s*年\s*)?(?P<mo>\d{1,9})\s*月\s*(?P<d>\d{1,9})\s*日"),
        months.full_date,
    ),
    (
        "slash_date",
        re.compile(r"(?<![\d:])(?:(?P<y>\d{4})/)?(?P<mo>\d{1,2})/(?P<d>\d{1,2})(?![\d/])"),
        months.full_date,
    ),
    ("iso_date", re.compile(r"(?<![\d:])(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})(?![\d-])"), months.full_date),
    ("month_only", re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<mo>\d{1,2})\s*月(?![\d日曜])"), months.month_only),
    ("year_only", re.compile(r"(\d{4})\s*年"), months.year_only),
    (
        "relative_period",
        re.compile(r"再来年|来年|らいねん|今年|ことし|去年|昨年|再来月|来月|らいげつ|今月|先月"),
        months.relative_period,
    ),
    (
        "weekday",
        re.compile(
            r"(再来週|さらいしゅう|来週|らいしゅう|今週|こんしゅう|先週|次|今度)?\s*の?\s*"
            r"([月火水木金土日])(?:曜|よう)(?:日|び)?"
        ),
        _weekday,
    ),
    ("week", re.compile(r"(再来週|さらいしゅう|来週|らいしゅう|今週|こんしゅう)(?:中|のうち)?"), _week),
    ("last_week", re.compile(r"先週"), lambda m, p: months.relative_period(m, p)),
    ("next_monday", re.compile(r"週明け"), _next_monday),
    ("new_year", re.compile(r"三が日明け|(?:お)?正月明け|年明け"), months.new_year),
    (
        "vague",
        re.compile(
            r"上旬|中旬|下旬|そのうち|近いうちに?|いつか|今度|週末|のちほど|後ほど|あとで|後で|年内|月内|今月中"
            r"|三が日|休み明け"
        ),
        _vague,
    ),
    ("repeat", re.compile(r"毎週|毎日|平日|隔週|毎朝|毎晩|毎年"), _vague),
    ("month_end", re.compile(r"月末|末日|最終日|月の終わり|(?<=月)の?\s*末(?!日)"), months.month_end),
    ("month_start", re.compile(r"月初め|月初|月の頭|月のはじめ|(?<=月)の?\s*(?:頭|初め|はじめ)"), months.month_start),
    (
        "day_word",
        re.compile("(?:" + "|".join(sorted(_DAY_WORDS, key=len, reverse=True)) + ")(?![子香美菜奈実花])"),
        _day_word,
    ),
    ("day_only", re.compile(r"(?<![\d/])(\d{1,9})\s*日(?!\s*(?:後|間|ご|月|前))"), _day_only),
    ("occasion", re.compile("|".join(sorted(_OCCASION_PERIOD, key=len, reverse=True))), _occasion),
    (
        "clock",
        re.compile(
            _PERIOD
            + r"\s*の?\s*(?P<h>\d{1,9})\s*(?:時(?!間)|じ(?!かん)|:)\s*(?:(?P<m>\d{1,9})\s*分?|(?P<half>半|はん))?"
            r"(?:\s*(?P<suffix>AM|PM|am|pm))?"
        ),
        _clock,
    ),
    (
        "period",
        re.compile(
            r"朝一|朝イチ|正午|午前中|お昼|夕方|深夜|夜中|(?<![午今])朝(?![\d時日食])|(?<!お)昼(?![\d時])"
            r"|(?<![今昨])夜(?![\d時食])|(?<![今昨])晩(?![\d時])|午後(?![\d時])"
        ),
        _period,
    ),
]


def _delta_after(m: re.Match[str], p: Parts) -> None:
    # "あと30分" fills mm; read it as minutes.
    if m.group("mm"):
        minutes = int(m.group("mm"))
        if minutes > MAX_DAYS_AHEAD * 24 * 60:
            p.invalid = "date"
        else:
            p.delta = timedelta(minutes=minutes)
        return
    _delta(m, p)


# Words that only ever talk about time: left in a task, they mean part of the phrase was not read.
TIME_WORDS = re.compile(
    r"来月|再来月|来年|再来年|先月|先週|今週|来週|再来週|週明け|月初|月末|上旬|中旬|下旬|明日(?![子香美菜奈実花])"
    r"|明後日|今日(?![子香美菜奈実花])|昨日|一昨日|正午|夕方|深夜|朝一|午前|午後|年明け"
    r"|\d+\s*(?:時|分|日|月|年)(?!間?後)|昼|夜(?!食)|(?<!今)朝(?![日食])"
    r"|曜日?|日後|\d+\s*時間|時(?=に|から|まで|ごろ|頃)|\d+\s*[字持](?=に|の|、)|の時間|今頃|今ごろ|^明け"
)
# Rules whose words qualify a clock only when written before it ("夜8時", "夜、8時"); after the clock
# and a particle they belong to the task ("10時に昼の会議" is a meeting at 10:00).
BEFORE_CLOCK_ONLY = ("period",)
# What may separate a time phrase from a task word that follows it ("10時に昼の会議", "10時、夜の準備").
TASK_JOIN = re.compile(r"^[\s、,]*(?:ごろ|頃|くらい|ぐらい)?[\s、,]*(?:に|で|の|は|から|までに?)?[\s、,]*$")
# 「10時までに」: a deadline; the task keeps it ("10:00までに書類出す").
DEADLINE = re.compile(r"\s*までに(?:は)?")
# What may sit between the parts of one time phrase ("来月の5日 10時ごろ").
# 「来週の金曜ね、21時」 「22時で、今日」: a softening ね/よ or a で between two parts is no unread word.
FILLER = re.compile(r"^(?:[\s、,のにはごろ頃くらいぐらい目位お()（）ねよで]|から|まで)*$")
