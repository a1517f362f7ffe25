"""A reminder some days before a day said (「孫の誕生日が12月20日なので、前の日に教えて」): the moment is
that many days before, the event is the text, and a lead alone (「前の日に」) is no moment."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.dates.jptime import When, parse_when
from tests.conftest import ORDINARY_MORNING

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 12, 4, 21, 30, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("said", "day", "title"),
    [
        ("孫の誕生日が12月20日なので、前の日に教えてもらえますか", 19, "孫の誕生日の前日"),
        ("12月20日に孫の誕生日だから、前日に知らせて", 19, "孫の誕生日の前日"),
        ("15日の会議の2日前に教えて", 13, "会議の2日前"),
        ("12月18日の飲み会、3日前にリマインドして", 15, "飲み会の3日前"),
    ],
)
def test_days_before_a_day_said(said, day, title):
    when = parse_when(said, NOW)
    assert isinstance(when, When) and when.at is not None
    assert (when.at.month, when.at.day) == (12, day) and when.rest == title


@pytest.mark.parametrize("said", ["前の日に教えて", "3日前にログインできなくなった", "明日の10時に電話"])
def test_no_lead_or_no_day_is_read_as_before(said):
    when = parse_when(said, NOW)
    assert not (isinstance(when, When) and when.ahead)


def test_a_day_before_that_has_passed_is_not_planned():
    when = parse_when("12月5日の前の日に教えて", NOW)
    assert not (isinstance(when, When) and when.ahead)


def test_the_conversation_sets_it_up(chat_turns):
    talk = chat_turns()
    day = ORDINARY_MORNING.astimezone(TOKYO).date() + timedelta(days=20)  # the chat's clock
    (said,) = talk(f"孫の誕生日が{day.month}月{day.day}日なので、前の日に教えてもらえますか")
    before = day - timedelta(days=1)
    assert "「孫の誕生日の前日」" in said and f"{before.month}月{before.day}日" in said


@pytest.mark.parametrize(
    ("said", "month", "day", "hour"),
    [
        ("クリスマスイブの夜7時にケーキ受け取りってリマインド", 12, 24, 19),
        ("クリスマスの朝に電話", 12, 25, 8),
        ("大晦日の10時に掃除", 12, 31, 10),
    ],
)
def test_named_days_of_the_year_end(said, month, day, hour):
    when = parse_when(said, NOW)
    assert (
        isinstance(when, When)
        and when.at is not None
        and (when.at.month, when.at.day, when.at.hour) == (month, day, hour)
    )
