"""Repayment due dates for 2026-2027: month ends, weekends, national holidays, the year-end break."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.core.reminders.repayment import closed_reason, is_closed, next_repay_fire, real_due

TZ = ZoneInfo("Asia/Tokyo")

# month -> real due date (month/day) for due days 5, 15, 25 and 31 (末日). Checked against the calendar:
# e.g. 2026-05-05..06 are holidays (こどもの日, 振替休日), 2026-12-31 to 2027-01-03 is the year-end break.
TABLE = {
    (2026, 1): ("1/5", "1/15", "1/26", "2/2"),
    (2026, 2): ("2/5", "2/16", "2/25", "3/2"),
    (2026, 3): ("3/5", "3/16", "3/25", "3/31"),
    (2026, 4): ("4/6", "4/15", "4/27", "4/30"),
    (2026, 5): ("5/7", "5/15", "5/25", "6/1"),
    (2026, 6): ("6/5", "6/15", "6/25", "6/30"),
    (2026, 7): ("7/6", "7/15", "7/27", "7/31"),
    (2026, 8): ("8/5", "8/17", "8/25", "8/31"),
    (2026, 9): ("9/7", "9/15", "9/25", "9/30"),
    (2026, 10): ("10/5", "10/15", "10/26", "11/2"),
    (2026, 11): ("11/5", "11/16", "11/25", "11/30"),
    (2026, 12): ("12/7", "12/15", "12/25", "1/4"),
    (2027, 1): ("1/5", "1/15", "1/25", "2/1"),
    (2027, 2): ("2/5", "2/15", "2/25", "3/1"),
    (2027, 3): ("3/5", "3/15", "3/25", "3/31"),
    (2027, 4): ("4/5", "4/15", "4/26", "4/30"),
    (2027, 5): ("5/6", "5/17", "5/25", "5/31"),
    (2027, 6): ("6/7", "6/15", "6/25", "6/30"),
    (2027, 7): ("7/5", "7/15", "7/26", "8/2"),
    (2027, 8): ("8/5", "8/16", "8/25", "8/31"),
    (2027, 9): ("9/6", "9/15", "9/27", "9/30"),
    (2027, 10): ("10/5", "10/15", "10/25", "11/1"),
    (2027, 11): ("11/5", "11/15", "11/25", "11/30"),
    (2027, 12): ("12/6", "12/15", "12/27", "1/4"),
}


@pytest.mark.parametrize(("year", "month"), sorted(TABLE))
def test_real_due_dates(year, month):
    got = tuple(f"{d.month}/{d.day}" for d in (real_due(year, month, day) for day in (5, 15, 25, 31)))
    assert got == TABLE[(year, month)]


def test_short_months_use_the_last_day():
    assert real_due(2027, 4, 31) == date(2027, 4, 30)
    assert real_due(2028, 2, 30) == date(2028, 2, 29)
    assert real_due(2027, 2, 29) == date(2027, 3, 1)  # 2/28 is a Sunday


def test_closed_days_and_reasons():
    assert closed_reason(date(2026, 12, 5)) == "土曜日"
    assert closed_reason(date(2026, 12, 6)) == "日曜日"
    assert closed_reason(date(2026, 11, 23)).startswith("祝日")
    assert closed_reason(date(2027, 1, 2)) == "年末年始のお休み"
    assert is_closed(date(2026, 12, 31)) and not is_closed(date(2026, 12, 30))
    assert not is_closed(date(2027, 1, 4))


def test_reminders_are_planned_from_the_real_due_date():
    # Due day 5 in December 2026: the 5th is a Saturday, so the real date is Monday the 7th.
    fire = next_repay_fire(5, 3, time(9), TZ, datetime(2026, 12, 1, tzinfo=TZ))
    assert (fire.slot, fire.real, fire.fire_at) == ("before", date(2026, 12, 7), datetime(2026, 12, 4, 9, tzinfo=TZ))
    fire = next_repay_fire(5, 3, time(9), TZ, fire.fire_at)
    assert (fire.slot, fire.fire_at) == ("day", datetime(2026, 12, 7, 9, tzinfo=TZ))
    fire = next_repay_fire(5, 3, time(9), TZ, fire.fire_at)
    assert fire.real == date(2027, 1, 5) and fire.fire_at == datetime(2027, 1, 2, 9, tzinfo=TZ)


def test_a_before_reminder_can_fall_in_the_previous_month():
    # Due on the 1st of February (31 Jan 2027 is a Sunday): 3 days before is 29 January.
    fire = next_repay_fire(31, 3, time(20, 30), TZ, datetime(2027, 1, 20, tzinfo=TZ))
    assert fire.real == date(2027, 2, 1) and fire.fire_at == datetime(2027, 1, 29, 20, 30, tzinfo=TZ)
