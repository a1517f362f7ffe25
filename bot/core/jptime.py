"""Japanese date and time formatting (and, with the reminders, parsing)."""

from __future__ import annotations

from datetime import date, datetime

WEEKDAYS = "月火水木金土日"


def format_date(day: date) -> str:
    """「12月7日(月)」."""
    return f"{day.month}月{day.day}日({WEEKDAYS[day.weekday()]})"


def format_datetime(moment: datetime) -> str:
    """「12月7日(月) 9:00」 in the datetime's own timezone."""
    return f"{format_date(moment.date())} {moment.hour}:{moment.minute:02d}"
