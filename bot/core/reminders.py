"""Reminders as the core sees them: a read-only view, descriptions, and the message sent when one fires."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import texts
from bot.core.actions import ReminderOp
from bot.core.flow import Flow
from bot.core.jptime import format_date, format_datetime, format_time
from bot.core.messages import Choice, Reply
from bot.core.recurrence import Rule
from bot.core.repayment import closed_reason, next_business_day, next_repay_fire, nominal_due

LATE_AFTER = timedelta(minutes=10)
# The evening-before reminder of a visit: at this time the day before, unless that is too close.
EVE_AT = time(20, 0)
EVE_MIN_GAP = timedelta(hours=6)
MACHINE_OPEN = time(9, 0)
MACHINE_CLOSE = time(21, 0)


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

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ReminderView:
        """Build from a storage row (dict of columns)."""
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
    """「12月5日が土曜日のため、返済期日は12月7日(月)です。」 when the due date moved, else ""."""
    if nominal == real:
        return ""
    return f"{nominal.month}月{nominal.day}日が{closed_reason(nominal)}のため、返済期日は{format_date(real)}です。"


def describe(view: ReminderView, now: datetime) -> str:
    """One line for the list: what and when."""
    local_now = now.astimezone(view.tz)
    if view.kind == "repay" and view.due_day:
        fire = next_repay_fire(view.due_day, view.days_before, view.time_of_day, view.tz, now)
        return (
            f"返済日（{due_day_text(view.due_day)}・{view.days_before}日前と当日 {format_time(view.time_of_day)}）"
            f" 次回 {format_datetime(fire.fire_at, local_now.date())}"
        )
    if view.kind == "repeat" and view.rule is not None:
        upcoming = view.rule.upcoming(now, view.tz, 1)
        nxt = f" 次回 {format_datetime(upcoming[0], local_now.date())}" if upcoming else ""
        return f"{view.what}（{view.rule.describe()}）{nxt}"
    when = format_datetime(view.at, local_now.date()) if view.at else "—"
    done = "（お知らせ済み）" if view.status == "sent" else ""
    if view.next_at is not None and view.at is not None:
        # Snoozed: say when it comes now.
        when = f"{when} → 次回 {format_datetime(view.next_at, local_now.date())}"
        done = ""
    if view.kind == "visit":
        return f"自動契約機へ行く {when}{done}"
    return f"{view.what} {when}{done}"


def short_label(view: ReminderView) -> str:
    """A choice label (≤ 20 characters) naming the reminder."""
    if view.kind == "repay" and view.due_day:
        return f"返済日（{due_day_text(view.due_day)[2:]}）"
    if view.kind == "visit" and view.at:
        return f"来店 {view.at.month}/{view.at.day} {format_time(view.at.time())}"
    if view.kind == "repeat" and view.rule is not None:
        return f"{view.what[:8]} {view.rule.describe().split()[0]}"[:20]
    what = view.what[:8]
    return f"{what} {view.at.month}/{view.at.day}" if view.at else what


def visit_eve(at: datetime) -> datetime | None:
    """When to remind the evening before a visit at ``at`` (local), or None when it is too close."""
    eve = datetime.combine(at.date() - timedelta(days=1), EVE_AT, at.tzinfo)
    return eve if at - eve >= EVE_MIN_GAP else None


def visit_warnings(at: datetime) -> list[str]:
    """Gentle warnings for a visit outside the machines' usual hours or on 1 January."""
    notes = []
    if at.month == 1 and at.day == 1:
        notes.append("1月1日は自動契約機もお休みのことが多いです。")
    if not MACHINE_OPEN <= at.time() < MACHINE_CLOSE:  # 21:00 is closing time, too late to start
        notes.append("自動契約機の営業時間はおおむね9:00〜21:00です（店舗により異なります）。")
    return notes


def reminder_choices(view: ReminderView) -> tuple[Choice, ...]:
    """Snooze / done / cancel buttons that come with every reminder message."""
    done = "返済した" if view.kind == "repay" else "完了した"
    return (
        Choice("1時間後にもう一度", ReminderOp("s1h", view.id)),
        Choice("明日の同じ時刻に", ReminderOp("s1d", view.id)),
        Choice(done, ReminderOp("done", view.id)),
        # A repeating reminder asks first: this one only, or all of them.
        Choice("このお知らせを止める", ReminderOp("stop" if view.kind in ("repay", "repeat") else "cancel", view.id)),
    )


def fire_message(
    view: ReminderView,
    flow: Flow,
    due_at: datetime,
    now: datetime,
    real_due: date | None = None,
    slot: str = "",
) -> Reply:
    """The message a reminder sends when it falls due (``due_at``: when it was planned to arrive).

    ``slot`` "eve": the evening before a visit (what to prepare, and when the visit is).
    """
    local_due = due_at.astimezone(view.tz)
    lines: list[str] = []
    if now - due_at > LATE_AFTER:
        lines.append(texts.LATE_NOTICE)
    if view.kind == "repay" and view.due_day:
        real = real_due or local_due.date()
        # Counted from today, not from the planned time: a late message must not say "あと3日" on the day.
        days = (real - now.astimezone(view.tz).date()).days
        lines.append("【返済日のお知らせ】")
        if days > 0:
            lines.append(f"返済期日は{format_date(real)}です（あと{days}日）。")
        else:
            lines.append(f"今日（{format_date(real)}）が返済期日です。")
        nominal = _moved_from(real, view.due_day)
        if nominal is not None:
            lines.append(moved_note(nominal, real))
        lines.append("お支払いの準備ができているか、ご確認ください。")
    elif view.kind == "visit" and slot == "eve" and view.at is not None:
        lines.append("【明日は自動契約機へ行く日です】")
        lines.append(
            f"{format_datetime(view.at.astimezone(view.tz))}ごろの予定です。本人確認書類を準備しておきましょう。"
        )
        lines.append(flow.id_title)
        lines.extend(f"・{item}" for item in flow.id_items)
        if view.reason == "lost_card":
            lines.append("警察に届け出たときの受理番号も控えて持っていきましょう。")
    elif view.kind == "visit":
        lines.append("【自動契約機へ行く日です】")
        lines.append(f"{format_datetime(local_due)}ごろ、本人確認書類を持って自動契約機（または店頭窓口）へ。")
        lines.append(flow.id_title)
        lines.extend(f"・{item}" for item in flow.id_items)
        if view.reason == "lost_card":
            lines.append("警察に届け出たときの受理番号も控えて持っていきましょう。")
        lines.append(f"営業時間：{flow.machine_hours}")
        if flow.machine_note:
            lines.append(flow.machine_note)
    else:
        lines.append("【リマインダー】")
        lines.append(view.what)
        if view.kind == "repeat" and view.rule is not None:
            lines.append(f"（{view.rule.describe()}のお知らせです）")
    return Reply("\n".join(lines), reminder_choices(view))


def _moved_from(real: date, due_day: int) -> date | None:
    """The chosen due date that moved forward to ``real`` (this month's or last month's), if any."""
    for offset in (0, -1):
        year, month = divmod(real.year * 12 + real.month - 1 + offset, 12)
        nominal = nominal_due(year, month + 1, due_day)
        if nominal < real and next_business_day(nominal) == real:
            return nominal
    return None
