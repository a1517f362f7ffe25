"""The Japanese time parser: table-driven, with the reference time and timezone as arguments."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.core.dates.jptime import When, WhenAsk, WhenError, format_date, format_datetime, parse_clock, parse_when

TZ = ZoneInfo("Asia/Tokyo")
THU = datetime(2026, 12, 3, 10, 15, tzinfo=TZ)  # Thursday morning
NYE = datetime(2026, 12, 31, 22, 0, tzinfo=TZ)  # New Year's Eve, late
FEB = datetime(2028, 2, 27, 12, 0, tzinfo=TZ)  # leap year
JAN31 = datetime(2027, 1, 31, 8, 0, tzinfo=TZ)


def at(y, mo, d, h=9, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


CASES = [
    # (text, now, expected datetime | ("monthly", day) | error reason | None)
    ("明日", THU, at(2026, 12, 4)),
    ("あした", THU, at(2026, 12, 4)),
    ("明日の10時", THU, at(2026, 12, 4, 10)),
    ("明後日", THU, at(2026, 12, 5)),
    ("あさっての夜", THU, at(2026, 12, 5, 20)),
    ("今日の15時", THU, at(2026, 12, 3, 15)),
    ("今日の8時", THU, "tonight"),  # 8:00 has passed, 20:00 has not: asked, not refused
    ("今日の朝8時", THU, "past"),
    ("きょう 午後3時半", THU, at(2026, 12, 3, 15, 30)),
    ("3日後", THU, at(2026, 12, 6)),
    ("三日後", THU, at(2026, 12, 6)),
    ("３日後の朝", THU, at(2026, 12, 6, 8)),
    ("十日後", THU, at(2026, 12, 13)),
    ("2時間後", THU, at(2026, 12, 3, 12, 15)),
    ("二時間後", THU, at(2026, 12, 3, 12, 15)),
    ("30分後", THU, at(2026, 12, 3, 10, 45)),
    ("1週間後", THU, at(2026, 12, 10)),
    ("来週の金曜", THU, at(2026, 12, 11)),
    ("来週の月曜 18時", THU, at(2026, 12, 7, 18)),
    ("今週の土曜日", THU, at(2026, 12, 5)),
    ("今週の月曜", THU, "past"),
    ("金曜", THU, at(2026, 12, 4)),
    ("木曜の9時", THU, "weekday"),  # said on a Thursday: today or a week on? asked
    ("木曜の11時", THU, "weekday"),
    ("再来週の水曜", THU, at(2026, 12, 16)),
    ("12/5 9:00", THU, at(2026, 12, 5, 9)),
    ("１２/５ ９:００", THU, at(2026, 12, 5, 9)),
    ("12/5", THU, at(2026, 12, 5)),
    ("12/1", THU, "past"),  # two days ago: the past, not next year
    ("1/10", THU, at(2027, 1, 10)),
    ("2027/1/4 10:00", THU, at(2027, 1, 4, 10)),
    ("12月5日9時", THU, at(2026, 12, 5, 9)),
    ("12月5日 午後2時", THU, at(2026, 12, 5, 14)),
    ("十二月二十五日", THU, at(2026, 12, 25)),
    ("1月4日", NYE, at(2027, 1, 4)),
    ("1/1 10:00", NYE, at(2027, 1, 1, 10)),
    ("明日", NYE, at(2027, 1, 1)),
    ("2日後", NYE, at(2027, 1, 2)),
    ("2時間後", NYE, at(2027, 1, 1, 0)),
    ("25日", THU, at(2026, 12, 25)),
    ("２５日", THU, at(2026, 12, 25)),
    ("3日", THU, at(2027, 1, 3)),
    ("31日", datetime(2027, 2, 2, 9, 0, tzinfo=TZ), at(2027, 3, 31)),
    ("月末", THU, at(2026, 12, 31)),
    ("月末", JAN31, at(2027, 1, 31)),
    ("月末の夜", datetime(2027, 1, 31, 21, 0, tzinfo=TZ), at(2027, 2, 28, 20)),
    ("毎月25日", THU, ("monthly", 25)),
    ("毎月５日", THU, ("monthly", 5)),
    ("毎月末", THU, ("monthly", 31)),
    ("毎月末日", THU, ("monthly", 31)),
    ("2月29日", FEB, at(2028, 2, 29)),
    ("2028年2月29日", THU, at(2028, 2, 29)),
    ("2027年2月29日", THU, "invalid_date"),
    ("2月29日", THU, at(2028, 2, 29)),
    ("2月30日", THU, "invalid_date"),
    ("13月1日", THU, "invalid_date"),
    ("明日の25時", THU, "invalid_time"),
    ("明日の10時75分", THU, "invalid_time"),
    ("2025年12月1日", THU, "past"),
    ("朝", THU, "tomorrow"),  # this morning has passed: "明日の8:00のことですか？"
    ("夜8時", THU, at(2026, 12, 3, 20)),
    ("昼1時", THU, at(2026, 12, 3, 13)),
    ("午前0時", THU, at(2026, 12, 4, 0)),
    ("10時", THU, "tonight"),  # 10:00 has passed, 22:00 has not: both are proposed
    ("11時半", THU, at(2026, 12, 3, 11, 30)),
    ("9:30pm", THU, at(2026, 12, 3, 21, 30)),
    ("夜12時", THU, at(2026, 12, 4, 0)),
    ("明日の夜12時", THU, at(2026, 12, 5, 0)),
    ("深夜12時", THU, at(2026, 12, 4, 0)),
    ("あと2時間", THU, at(2026, 12, 3, 12, 15)),
    ("あと30分", THU, at(2026, 12, 3, 10, 45)),
    ("あと3日", THU, at(2026, 12, 6)),
    ("今晩9時", THU, at(2026, 12, 3, 21)),
    ("今夜", THU, at(2026, 12, 3, 20)),
    ("あいうえお", THU, None),
    ("ログインできない", THU, None),
    ("一覧", THU, None),
]


def test_at_least_fifty_cases():
    assert len(CASES) >= 50


@pytest.mark.parametrize(("text", "now", "expected"), CASES, ids=[f"{c[0]}@{c[1]:%m%d}" for c in CASES])
def test_parse(text, now, expected):
    result = parse_when(text, now)
    if expected is None:
        assert result is None
    elif expected in ("tomorrow", "tonight", "ampm", "day", "weekday", "vague", "unknown", "repeat"):
        assert isinstance(result, WhenAsk) and result.reason == expected, result
    elif isinstance(expected, str):
        assert isinstance(result, WhenError) and result.reason == expected, result
    elif isinstance(expected, tuple):
        assert isinstance(result, When) and (result.kind, result.day) == expected, result
    else:
        assert isinstance(result, When) and result.kind == "once", result
        assert result.at == expected, f"{result.at} != {expected}"
        assert result.at > now


def test_rest_is_what_to_be_reminded_of():
    result = parse_when("明日の10時にプロミスコールに電話する", THU)
    assert isinstance(result, When) and result.rest == "プロミスコールに電話する" and result.joined_by == "に"
    result = parse_when("12/5 18:00 本人確認書類を持って行く", THU)
    assert result.rest == "本人確認書類を持って行く"


def test_timezone_is_an_argument():
    utc_now = datetime(2026, 12, 3, 1, 15, tzinfo=ZoneInfo("UTC"))
    in_tokyo = parse_when("明日の10時", utc_now.astimezone(TZ))
    in_utc = parse_when("明日の10時", utc_now)
    assert in_tokyo.at - in_utc.at != 0  # ten o'clock in different zones are different instants
    assert in_tokyo.at.utcoffset().total_seconds() == 9 * 3600


def test_formatting_has_weekday_and_year_when_needed():
    assert format_date(at(2026, 12, 7).date()) == "12月7日(月)"
    assert format_datetime(at(2026, 12, 7, 9)) == "12月7日(月) 9:00"
    assert format_datetime(at(2027, 1, 4, 18, 30), THU.date()) == "2027年1月4日(月) 18:30"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("9時", time(9)), ("20:30", time(20, 30)), ("夜8時半", time(20, 30)), ("朝", time(8)), ("ねこ", None)],
)
def test_parse_clock(text, expected):
    assert parse_clock(text) == expected
