"""Repayment dates: business days in Japan and the monthly reminder plan.

A due date that falls on a Saturday, Sunday, national holiday (jpholiday) or the year-end break
(12/31–1/3, treated as closed) moves to the next business day when the lender moves it (``moves``:
the caller reads that from the lender's rules, :mod:`bot.core.lenders.repayment`). Day 31 (or any
day a short month lacks) means that month's last day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jpholiday

MONTH_END = 31
# Words that say a repayment is already late (shared by the urgent answer and the reminder set-up).
LATE_WORDS = (
    "遅れ",
    "おくれ",
    "遅延",
    "延滞",
    "えんたい",
    "滞納",
    # Forgotten, not "afraid to forget" (「忘れそうで不安」 is no late payment).
    "忘れて",
    "忘れた",
    "わすれて",
    "わすれた",
    "払い忘れ",
    "はらいわすれ",
    "返済忘れ",
    "過ぎ",
    "すぎ",
    "間に合わなかった",
    # Could not pay (「先月の分がまだ払えてなくて」): late, unlike 「まだ払ってない」 before the day.
    "払えてな",
    "はらえてな",
    "払えなかった",
    "はらえなかった",
    "払えへんかった",
    # An automatic debit that did not go through is a late repayment too (「残高不足で落ちなかった」).
    "落ちなかった",
    "落ちてなかった",
    "落ちていなかった",
    "落とされなかった",
    "落とされてなかった",
    "落とせなかった",
    "引き落としできな",
    "引き落としされな",
    "残高不足",
    "ざんだかぶそく",
)
# 「遅れてない」 「延滞なし」 「ちゃんと払ってる」: nothing late now.
NOT_LATE = re.compile(
    r"(?:延滞|えんたい|遅れ|おくれ|遅延|滞納|たいのう)(?:は|も)?"
    r"(?:なし|無し|ない|なく|してない|していない|してません|てない|ていない|てません|ていません|ありません|したことない"
    r"|してなかった|していなかった|してませんでした|てなかった|ていなかった)"
    r"|(?:ちゃんと|きちんと|毎月)(?:返して|払って|はらって|返済して)(?:る|います|ます)"
    # 「先月ちょっと遅れたけど、もう払ったで」: late once, paid since: not late now
    r"|(?:延滞|えんたい|遅れ|おくれ|滞納)(?:た|し|して)?(?:た)?(?:けど|けれど|が)[^。]{0,6}(?:もう|すでに|既に)(?:払|はら|返|かえ)"
    # 「遅れてはいません」 「延滞してはない」: the は of contrast before the negative
    r"|(?:延滞|えんたい|遅れ|おくれ|滞納)(?:して|て)(?:は|も)(?:い)?(?:ない|ません)"
    # 「まだ遅れたことはない」: never late
    r"|(?:延滞|えんたい|遅れ|おくれ|滞納)(?:た|し)?(?:た)?(?:こと)(?:は|も|が)?(?:ない|ありません|ねえ|あらへん|ないで|ないです)"
    # 「延滞じゃなかった、まだ期日前だった」: not late after all
    r"|(?:延滞|えんたい|遅れ|おくれ|滞納)(?:じゃ|では|でも)(?:なかった|ない|なく|ありません)"
    r"|(?:期日|きじつ|期限|きげん|返済日|へんさいび)(?:の|は)?(?:まだ)?(?:前|まえ)(?:だった|です|でした|だ)"
)
# 「返済日を忘れてしまうので」 「忘れがち」: afraid to forget, not forgotten (no late payment in it).
_WILL_FORGET = re.compile(
    r"(?:忘れ|わすれ)(?:てしまう|ちゃう|がち|そう|ないよう|やすい|っぽい|ます|る|たら|てしまったら|ちゃったら)(?:ので|から|ため|し|けど|どうしよう)?"
)


def without_worry(key: str) -> str:
    """The key without a fear of forgetting (so that it is not read as a repayment already missed)."""
    return _WILL_FORGET.sub("", key)


def late_said(key: str) -> bool:
    """True when the words say a repayment is already late (「遅れてる」 「払い忘れた」), not one late
    in the past only (「先月1回遅れた」)."""
    key = without_worry(key)
    return any(w in key for w in LATE_WORDS) and not only_past_late(key)


# A lateness of the past (「先月1回遅れた」 「前に一度延滞した」), and words that it is still so.
_PAST_LATE = re.compile(
    r"(?:先月|せんげつ|先々月|せんせんげつ|前に|まえに|以前|いぜん|昔|むかし|去年|きょねん|この前|このまえ)"
    r"[^。]{0,10}?(?:[0-9一二]回|いっかい|一度|いちど)?(?:遅れ|おくれ|延滞|えんたい)(?:た|ました|ちゃった|てしまった|したこと|ことが)"
)
_STILL_LATE = re.compile(
    r"まだ|払えてな|はらえてな|払ってな|はらってな|過ぎて(?:る|いる)|すぎて(?:る|いる)|今も|いまも"
)


def only_past_late(key: str) -> bool:
    """True when a lateness is told of the past (「先月1回遅れた」) and nothing says it still is."""
    return bool(_PAST_LATE.search(key)) and not _STILL_LATE.search(key)


def is_closed(day: date) -> bool:
    """True on weekends, national holidays and the year-end break (12/31 to 1/3)."""
    if day.weekday() >= 5:
        return True
    if (day.month == 12 and day.day == 31) or (day.month == 1 and day.day <= 3):
        return True
    return bool(jpholiday.is_holiday(day))


def closed_reason(day: date) -> str:
    """Why a day is closed, in Japanese (「土曜日」「祝日（勤労感謝の日）」「年末年始のお休み」), or ""."""
    if (day.month == 12 and day.day == 31) or (day.month == 1 and day.day <= 3):
        return "年末年始のお休み"
    if day.weekday() == 5:
        return "土曜日"
    if day.weekday() == 6:
        return "日曜日"
    name = jpholiday.is_holiday_name(day)
    return f"祝日（{name}）" if name else ""


def next_business_day(day: date) -> date:
    """The day itself when open, else the first open day after it."""
    while is_closed(day):
        day += timedelta(days=1)
    return day


def nominal_due(year: int, month: int, due_day: int) -> date:
    """The due date as chosen: ``due_day`` of that month, or its last day when the month is shorter."""
    return date(year, month, min(due_day, calendar.monthrange(year, month)[1]))


def real_due(year: int, month: int, due_day: int) -> date:
    """The due date after moving it to the next business day."""
    return next_business_day(nominal_due(year, month, due_day))


@dataclass(frozen=True, slots=True)
class RepayFire:
    """One planned repayment reminder: when it fires, and for which due date."""

    fire_at: datetime  # aware, in the user's timezone
    slot: str  # "before" (N days before) or "day" (on the due date)
    nominal: date
    real: date


def fires_for_month(
    year: int, month: int, due_day: int, days_before: int, at: time, tz: ZoneInfo, moves: bool = True
) -> list[RepayFire]:
    """The (up to two) reminders of one month's due date, in time order (``moves``: a due date on a
    closed day is the next business day; else the date itself)."""
    nominal = nominal_due(year, month, due_day)
    real = next_business_day(nominal) if moves else nominal
    fires = []
    if days_before > 0:
        fires.append(RepayFire(datetime.combine(real - timedelta(days=days_before), at, tz), "before", nominal, real))
    fires.append(RepayFire(datetime.combine(real, at, tz), "day", nominal, real))
    return fires


def next_repay_fire(
    due_day: int, days_before: int, at: time, tz: ZoneInfo, after: datetime, moves: bool = True
) -> RepayFire:
    """The first reminder strictly after ``after`` (``moves``: as in :func:`fires_for_month`)."""
    local = after.astimezone(tz)
    year, month = local.year, local.month
    # Start one month back: a due date early in this month may move its "before" reminder into it.
    index = year * 12 + month - 2
    for offset in range(0, 15):
        y, m = divmod(index + offset, 12)
        for fire in fires_for_month(y, m + 1, due_day, days_before, at, tz, moves):
            if fire.fire_at > after:
                return fire
    raise AssertionError("no reminder within 15 months")  # unreachable: every month has a due date
