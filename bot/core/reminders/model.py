"""Reminders as the core sees them: a read-only view of a stored row, and shared wording.

What each kind says and plans lives in :mod:`bot.core.reminders.kinds`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.dates.jptime import format_date
from bot.core.reminders.recurrence import Rule
from bot.core.reminders.repayment import closed_reason

LATE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class ReminderView:
    """One of the user's reminders, as stored."""

    id: int
    kind: str
    tz: ZoneInfo
    status: str = "active"
    what: str = ""
    reason: str = ""
    due_day: int | None = None
    days_before: int = 3
    time_of_day: time = time(9, 0)
    at: datetime | None = None  # once: aware, in tz
    rule: Rule | None = None  # repeat: when it fires
    next_at: datetime | None = None  # when a snoozed message comes
    # When its next planned message comes (a time skipped is not planned), if the delivery knows.
    planned_at: datetime | None = None
    # The repayment rules of the lender it is about (``[repayment]`` of that lender's flow; empty: none
    # known): whether a due date on a closed day moves. Not stored with it: read from the flow data.
    repayment: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: dict[str, Any], repayment: Mapping[str, Any] | None = None) -> ReminderView:
        """Build from a storage row (dict of columns), with the repayment rules of its lender."""
        tz = ZoneInfo(row.get("tz") or "Asia/Tokyo")
        at = datetime.fromisoformat(row["at"]).astimezone(tz) if row.get("at") else None
        clock = time.fromisoformat(row["time_of_day"]) if row.get("time_of_day") else (at.time() if at else time(9))
        return cls(
            id=int(row["id"]),
            kind=row["kind"],
            tz=tz,
            status=row.get("status") or "active",
            what=row.get("what") or "",
            reason=row.get("reason") or "",
            due_day=row.get("due_day"),
            days_before=int(row["days_before"]) if row.get("days_before") is not None else 3,
            time_of_day=clock,
            at=at,
            rule=_rule(row.get("rule")),
            next_at=datetime.fromisoformat(row["next_at"]).astimezone(tz) if row.get("next_at") else None,
            planned_at=datetime.fromisoformat(row["planned_at"]).astimezone(tz) if row.get("planned_at") else None,
            repayment=repayment or {},
        )


def _rule(text: str | None) -> Rule | None:
    if not text:
        return None
    try:
        return Rule.from_json(text)
    except (ValueError, KeyError, TypeError):
        return None  # an unreadable rule shows as a plain reminder rather than breaking the list


def due_day_text(day: int) -> str:
    """「毎月25日」 or 「毎月末日」."""
    return "毎月末日" if day >= 31 else f"毎月{day}日"


def moved_note(nominal: date, real: date) -> str:
    """「12月5日は土曜日のため、返済日は12月7日(月)になります。」 when the due date moved, else ""."""
    if nominal == real:
        return ""
    return f"{nominal.month}月{nominal.day}日は{closed_reason(nominal)}のため、返済日は{format_date(real)}になります。"
