"""A lender's repayment rules as data (``[repayment]`` of its flow): which due days it offers, the
next due date of a 35-day cycle, and whether a due day on a closed day moves.

Pure functions over the flow's data, for the reminder set-up to ask only what the lender leaves
open and to compute what it fixes: the monthly days to offer (``monthly_days``, 31 = month end),
the debit day known without asking (one ``debit_days``), the 35-day cycle (``cycle_days``, counted
from the day after the last payment), and ``holiday_shift``: only a lender known to move a due day
to the next business day has it moved; an unknown rule keeps the date (never moved later on a guess).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from bot.core.reminders.repayment import next_business_day

MONTH_END = 31
MONTHLY, CYCLE = "monthly", "every_35_days"
NEXT_BUSINESS_DAY = "next_business_day"


def schedules(rules: Mapping[str, Any]) -> tuple[str, ...]:
    """The schedules a lender offers (a flow without ``[repayment]``: a day each month)."""
    return tuple(rules.get("schedules") or (MONTHLY,))


def asks_schedule(rules: Mapping[str, Any]) -> bool:
    """True when the set-up must ask which schedule the person has (the lender offers both)."""
    return len(schedules(rules)) > 1


def day_choices(rules: Mapping[str, Any]) -> tuple[int, ...]:
    """The due days to offer as choices (31 = month end); empty: any day 1-31 may be typed."""
    return tuple(rules.get("monthly_days") or ())


def accepts_day(rules: Mapping[str, Any], day: int) -> bool:
    """True when a monthly due day is one this lender has (any 1-31 when it names none)."""
    allowed = day_choices(rules)
    return 1 <= day <= MONTH_END and (not allowed or day in allowed)


def debit_days(rules: Mapping[str, Any]) -> tuple[int, ...]:
    """The days an automatic debit falls on whatever the bank (empty: the lender names none)."""
    return tuple(int(d) for d in rules.get("debit_days") or ())


def debit_day(rules: Mapping[str, Any], own_bank: bool = False) -> int | None:
    """The due day of an automatic debit when the lender fixes it: its one ``debit_days`` (whatever the
    bank), else ``debit_day`` for banks other than its own; None when it must be asked."""
    days = debit_days(rules)
    if len(days) == 1:
        return int(days[0])
    if not days and rules.get("debit_day") and not own_bank:
        return int(rules["debit_day"])
    return None


def monthly_due(rules: Mapping[str, Any], year: int, month: int, day: int) -> date:
    """The due date of a monthly day in a month: clamped to the month's end, moved only as the lender does."""
    nominal = date(year, month, min(day, calendar.monthrange(year, month)[1]))
    return shifted(rules, nominal)


def cycle_due(rules: Mapping[str, Any], last_paid: date) -> date:
    """The next due date of a cycle: the ``cycle_days``-th day counted from the day after ``last_paid``
    (the first: from the day after borrowing), moved only as the lender does."""
    days = rules.get("cycle_days")
    if not days:
        raise ValueError("this lender has no repayment cycle")
    return shifted(rules, last_paid + timedelta(days=int(days)))


def shifted(rules: Mapping[str, Any], due: date) -> date:
    """A due date as the lender moves it: the next business day when known to, else the date itself."""
    return next_business_day(due) if moves_on_holidays(rules) else due


def moves_on_holidays(rules: Mapping[str, Any]) -> bool:
    """True when the lender is known to move a due day on a closed day to the next business day."""
    return rules.get("holiday_shift") == NEXT_BUSINESS_DAY
