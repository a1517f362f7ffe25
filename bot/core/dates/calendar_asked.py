"""Questions about the calendar, answered from the date the bot knows: 「今月の12日って土曜？」,
「明後日って何日？」, 「それ日曜だよね？」 (the day of the draft on the screen).

Only the calendar is answered here (a weekday, a date, a national holiday); what a lender does on
such a day is the flow's to say.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import jpholiday

from bot.core.dates.jptime import WEEKDAYS, format_date, numerals_to_digits
from bot.core.understanding.textnorm import clean

_RELATIVE = {"今日": 0, "きょう": 0, "明日": 1, "あした": 1, "あす": 1, "明後日": 2, "あさって": 2, "しあさって": 3}
# The day asked about: a date, a word for a near day, or 「それ」 (the draft's day).
_DAY = (
    r"(?:(?P<rel>今月|こんげつ|来月|らいげつ)(?:の|って|は)?)?(?:(?P<m>\d{1,2})月(?:の)?)?(?P<d>\d{1,2})(?:日|にち)"
    # 「23日って今月は何曜日」: the month said after the day
    r"(?:(?:って|は)?(?P<rel_after>今月|来月)(?:は|の|って)?)?"
    r"|(?P<near>しあさって|明後日|あさって|明日|あした|あす|今日|きょう)|(?P<that>それ|その日|そこ)"
    # 「来週の水曜って何日？」: a weekday of a week named
    r"|(?P<week>再来週|来週|今週)(?:の)?(?P<wday>[月火水木金土日])曜(?:日)?"
)
_WEEKS = {"今週": 0, "来週": 1, "再来週": 2}
# What is asked of it: its weekday, its date, whether it is a given weekday or a holiday.
_ASKED = re.compile(
    rf"(?:{_DAY})(?:って|は|も|が)?(?:(?P<what_day>何曜|なん曜|なんよう|なによう)|(?P<what_date>何日|なんにち)"
    r"|(?P<wd>[月火水木金土日])曜(?:日)?|(?P<holiday>祝日|しゅくじつ|休日|祭日))"
    r"(?:日|び)?(?:だよね|だよな|だっけ|ですか|でしたっけ|じゃない|じゃないの|じゃね|かな|か|よね|なの|なん|やったっけ|やっけ|だ|や)?[?？]*$"
)


def _day_meant(match: re.Match[str], today: date, draft_day: date | None) -> date | None:
    if match["that"]:
        return draft_day
    if match["near"]:
        return today + timedelta(days=_RELATIVE[match["near"]])
    if match["week"]:
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(days=7 * _WEEKS[match["week"]] + WEEKDAYS.index(match["wday"]))
    day, month = int(match["d"]), int(match["m"]) if match["m"] else None
    year = today.year
    if month is None:
        rel = match["rel"] or match["rel_after"]
        month = today.month + (1 if rel in ("来月", "らいげつ") else 0)
        if rel is None and day < today.day:
            month += 1  # 「12日」 said on the 20th: the coming 12th
    elif month < today.month:
        year += 1  # 「1月5日」 said in December: next year's
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    try:
        return date(year, month, day)
    except ValueError:
        return None


def calendar_answer(text: str, today: date, draft_day: date | None = None) -> str | None:
    """The answer to a question about a day's weekday or date (None: the text asks no such thing)."""
    key = re.sub(r"(?:笑|w+|ｗ+)+$", "", numerals_to_digits(clean(text)).replace(" ", "").rstrip("。!！"))
    key = re.sub(r"^(?:ありがと(?:う)?|了解|りょ|ok|OK|あ|ってか|てか|ちなみに|ところで)[、,!！]*", "", key)
    match = _ASKED.search(key)
    if match is None:
        return None
    day = _day_meant(match, today, draft_day)
    if day is None:
        return None
    said = f"{format_date(day, today)}"
    holiday = jpholiday.is_holiday_name(day)
    tail = f"（{holiday}）" if holiday else ""
    if match["wd"]:
        asked = WEEKDAYS.index(match["wd"])
        lead = "はい" if day.weekday() == asked else "いいえ"
        return f"{lead}、{said}{tail}です。"
    if match["holiday"]:
        return f"はい、{said}は{holiday}です。" if holiday else f"いいえ、{said}は祝日ではありません。"
    subject = f"{match['near']}は" if match["near"] else ""
    return f"{subject}{said}{tail}です。"
