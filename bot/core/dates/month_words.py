"""The handlers of month and year phrases (来月, 12月25日, 2027年, 月末, 月の頭, 年明け, 三が日明け):
what each says of the year, the month and the day, for :mod:`bot.core.dates.jptime_rules`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parts are built in the rules module, which reads these handlers
    from bot.core.dates.jptime_rules import Parts

MAX_YEAR = 2100
# The day work starts again after the New Year holidays (三が日明け): the 4th of January.
AFTER_NEW_YEAR_HOLIDAYS = 4


def era(m: re.Match[str], p: Parts) -> None:
    """令和N年."""
    p.year = 2018 + int(m.group(1))  # 令和1年 = 2019


def named_day(m: re.Match[str], p: Parts) -> None:
    """元日 / 正月 (1 January), 大晦日 (31 December), クリスマスイブ (24) and クリスマス (25 December)."""
    word = m.group(0)
    if word in ("元日", "元旦", "お正月", "正月"):  # 1 January itself
        p.new_year = True
    elif "クリスマス" in word or word == "イブ":
        p.month, p.day = 12, 24 if ("イブ" in word) else 25
    else:
        p.month, p.day = 12, 31  # 大晦日


def relative_period(m: re.Match[str], p: Parts) -> None:
    """来年, 今月, 先月...: a year or month counted from now."""
    word = m.group(0)
    if word in ("来年", "らいねん"):
        p.year_offset = 1
    elif word == "再来年":
        p.year_offset = 2
    elif word in ("今年", "ことし"):
        p.year_offset = 0
    elif word in ("去年", "昨年"):
        p.past = True
        p.year_offset = -1
    elif word in ("来月", "らいげつ"):
        p.month_offset = 1
    elif word == "再来月":
        p.month_offset = 2
    elif word == "今月":
        p.month_offset = 0
    elif word == "先月":
        p.past = True
        p.month_offset = -1
    elif word == "先週":
        p.past = True
        p.week_offset = -1


def full_date(m: re.Match[str], p: Parts) -> None:
    """12月25日, 2027年1月4日, 12/25, 2027-01-04."""
    if m.group("y"):
        p.year = int(m.group("y"))
    p.month = int(m.group("mo"))
    p.day = int(m.group("d"))
    if not 1 <= p.month <= 12 or not 1 <= p.day <= 31:
        p.invalid = "date"
    elif p.year is not None and not 2000 <= p.year <= MAX_YEAR:
        p.invalid = "date"


def month_only(m: re.Match[str], p: Parts) -> None:
    """12月 (a month without its day)."""
    if m.group("y"):
        p.year = int(m.group("y"))
    p.month = int(m.group("mo"))
    if not 1 <= p.month <= 12 or (p.year is not None and not 2000 <= p.year <= MAX_YEAR):
        p.invalid = "date"


def year_only(m: re.Match[str], p: Parts) -> None:
    """2027年."""
    p.year = int(m.group(1))
    if not 2000 <= p.year <= MAX_YEAR:
        p.invalid = "date"


def month_end(m: re.Match[str], p: Parts) -> None:
    """月末, 末日."""
    p.month_end = True


def month_start(m: re.Match[str], p: Parts) -> None:
    """月初, 月の頭."""
    p.month_start = True
    if p.month_offset is None and p.month is None:
        p.month_offset = 1  # 月初 alone: the next first of a month


def new_year(m: re.Match[str], p: Parts) -> None:
    """年明け, 正月明け, 三が日明け: the coming January (the day said with it, else the 1st, or the 4th
    after the three holidays)."""
    p.new_year = True
    if m.group(0).startswith("三が日"):
        p.new_year_day = AFTER_NEW_YEAR_HOLIDAYS
    elif "正月" in m.group(0):
        p.new_year_day = 0  # 正月明け alone: some time in early January, which day is asked
