"""Repayment rules as data: each lender's schedules, days, cycle and holiday rule from its flow."""

from __future__ import annotations

from datetime import date

from bot.core.diagnosis.flow import FLOWS_DIR, load_flow
from bot.core.lenders import repayment as rules

ACOM = load_flow(FLOWS_DIR / "acom.toml").repayment
MOBIT = load_flow(FLOWS_DIR / "mobit.toml").repayment
LAKE = load_flow(FLOWS_DIR / "lake.toml").repayment
OTHER = load_flow(FLOWS_DIR / "other.toml").repayment


def test_two_schedules_are_asked_one_is_not():
    assert rules.asks_schedule(ACOM) and not rules.asks_schedule(MOBIT) and not rules.asks_schedule(OTHER)


def test_monthly_days_offered_and_checked():
    assert rules.day_choices(MOBIT) == (5, 15, 25, 31)
    assert rules.accepts_day(MOBIT, 25) and not rules.accepts_day(MOBIT, 20)
    assert rules.day_choices(LAKE) == () and rules.accepts_day(LAKE, 20)


def test_a_single_debit_day_is_known_without_asking():
    assert rules.debit_day(ACOM) == 6
    assert rules.debit_day(LAKE) is None  # the 14th or the 27th: asked
    assert rules.debit_day(OTHER) is None


def test_a_35_day_cycle_counts_from_the_day_after_the_payment():
    # Paid on Monday 2026-11-02: the 35th day counted from 11-03 is Monday 12-07.
    assert rules.cycle_due(ACOM, date(2026, 11, 2)) == date(2026, 12, 7)


def test_a_due_day_moves_only_where_the_lender_is_known_to_move_it():
    # 2027-01-31 is a Sunday, 2026-12-05 a Saturday.
    assert rules.monthly_due(MOBIT, 2027, 1, 31) == date(2027, 2, 1)
    assert rules.monthly_due(MOBIT, 2026, 12, 5) == date(2026, 12, 7)
    assert rules.monthly_due(ACOM, 2026, 12, 5) == date(2026, 12, 5)  # unknown rule: never moved on a guess
    assert rules.monthly_due(LAKE, 2027, 2, 31) == date(2027, 3, 1)  # month end (Sunday 2-28) moved on
