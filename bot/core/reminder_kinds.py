"""Each kind of reminder as one strategy: what the set-up repeats back, what is stored, how it is
listed, what it says when it fires, and which sends to plan next.

The four kinds: ``repay`` (the monthly repayment chain), ``visit`` (going to an automatic contract
machine with ID), ``free`` (anything, once) and ``repeat`` (anything, by a rule). Adding a kind is
adding a class here and registering it in :data:`KINDS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import texts
from bot.core.actions import ReminderOp
from bot.core.flow import Flow
from bot.core.jptime import format_date, format_datetime, format_time
from bot.core.messages import Choice, ReminderCard, Reply
from bot.core.previews import reminder_preview
from bot.core.recurrence import Rule, first_two
from bot.core.reminders import LATE_AFTER, ReminderView, due_day_text, moved_note
from bot.core.repayment import next_business_day, next_repay_fire, nominal_due
from bot.core.setup_state import Spec

MACHINE_OPEN = time(9, 0)
MACHINE_CLOSE = time(21, 0)
# The evening-before reminder of a visit: at this time the day before, unless that is too close.
EVE_AT = time(20, 0)
EVE_MIN_GAP = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class PlannedSend:
    """One send to plan: its slot, when, and (repayments) the real due date it speaks of."""

    slot: str
    due_at: datetime
    real_due: date | None = None


class Kind:
    """The behaviour every kind shares; each kind overrides what differs."""

    name = ""
    repeats = False  # 「止める」 asks "this one or all", and every send plans the next one
    counted = False  # its rule may end after a number of sends (「3回」): the planner counts them
    useful_for = timedelta(hours=12)  # how long after its time a failing send is still worth retrying
    done_label = "完了した"

    def confirm_lines(self, spec: Spec, now: datetime, tz: ZoneInfo, flow: Flow) -> list[str]:
        """What the set-up repeats back before saving."""
        raise NotImplementedError

    def fields(self, spec: Spec, tz: str) -> dict[str, Any]:
        """The stored columns of a saved reminder."""
        raise NotImplementedError

    def describe(self, view: ReminderView, now: datetime) -> str:
        """One line for the list."""
        local_now = now.astimezone(view.tz)
        when = format_datetime(view.at, local_now.date()) if view.at else "—"
        done = "（お知らせ済み）" if view.status == "sent" else ""
        if view.next_at is not None and view.at is not None:
            when = f"{when} → 次回 {format_datetime(view.next_at, local_now.date())}"  # snoozed
            done = ""
        return f"{self.subject(view)} {when}{done}"

    def subject(self, view: ReminderView) -> str:
        """What the reminder is about, in a few words."""
        return view.what

    def short_label(self, view: ReminderView) -> str:
        """A choice label (≤ 20 characters): what, and when."""
        if view.at is None:
            return _clip(view.what, 8)
        return f"{_clip(view.what, 7)} {view.at.month}/{view.at.day} {format_time(view.at.time())}"

    def fire_lines(
        self, view: ReminderView, flow: Flow, due_at: datetime, now: datetime, real_due: date | None, slot: str
    ) -> list[str]:
        """The body of the message sent when it falls due: what, and for when."""
        return ["【お知らせ】", f"{view.what}（{format_datetime(due_at.astimezone(view.tz))}）"]

    def next_sends(self, view: ReminderView, after: datetime, fired: int) -> list[PlannedSend]:
        """The sends to plan after ``after`` (a once kind: its one send, if still ahead or not yet sent)."""
        if view.at is None or (view.at <= after and view.status == "sent"):
            return []
        return [PlannedSend("once", view.at)]


class Repay(Kind):
    """The monthly repayment chain: N days before and on the (business-day-adjusted) due date."""

    name = "repay"
    repeats = True
    done_label = "返済した"

    def confirm_lines(self, spec: Spec, now: datetime, tz: ZoneInfo, flow: Flow) -> list[str]:
        clock = time.fromisoformat(spec.time)
        fire = next_repay_fire(spec.due_day or 1, spec.days_before, clock, tz, now)
        local_today = now.astimezone(tz).date()
        lines = [
            f"返済日は{due_day_text(spec.due_day or 1)}ですね。",
            f"返済日の{spec.days_before}日前と当日、{format_time(clock)}にお知らせします。",
            f"次のお知らせ：{format_datetime(fire.fire_at, local_today)}（返済日 {format_date(fire.real, local_today)}）",
        ]
        note = moved_note(fire.nominal, fire.real)
        if note:
            lines.append(note)
        lines.append("※返済日が土日祝・年末年始（12月31日〜1月3日）にあたるときは、翌営業日で計算します。")
        return lines

    def fields(self, spec: Spec, tz: str) -> dict[str, Any]:
        return {"due_day": spec.due_day, "days_before": spec.days_before, "time_of_day": spec.time, "tz": tz}

    def describe(self, view: ReminderView, now: datetime) -> str:
        fire = next_repay_fire(view.due_day or 1, view.days_before, view.time_of_day, view.tz, now)
        return (
            f"返済日（{due_day_text(view.due_day or 1)}・{view.days_before}日前と当日 {format_time(view.time_of_day)}）"
            f" 次回 {format_datetime(fire.fire_at, now.astimezone(view.tz).date())}"
        )

    def short_label(self, view: ReminderView) -> str:
        return f"返済日（{due_day_text(view.due_day or 1)[2:]}）"

    def fire_lines(
        self, view: ReminderView, flow: Flow, due_at: datetime, now: datetime, real_due: date | None, slot: str
    ) -> list[str]:
        real = real_due or due_at.astimezone(view.tz).date()
        # Counted from today, not from the planned time: a late message must not say "あと3日" on the day.
        days = (real - now.astimezone(view.tz).date()).days
        lines = ["【返済日のお知らせ】"]
        lines.append(
            f"返済日は{format_date(real)}です（あと{days}日）。"
            if days > 0
            else f"今日（{format_date(real)}）が返済日です。"
        )
        nominal = _moved_from(real, view.due_day or 1)
        if nominal is not None:
            lines.append(moved_note(nominal, real))
        if days > 0:
            lines.append("お支払いの方法と金額を、前もってご確認ください。")
        else:
            # The day itself: the same advice as when the user says so (FACTS: contact the lender early).
            for cid in flow.repay_urgent.get("contacts", ())[:1]:
                contact = flow.contacts[cid]
                lines.append(f"今日中の返済が難しいときは、早めに{contact.name}（{contact.phone}）にご連絡ください。")
        return lines

    def next_sends(self, view: ReminderView, after: datetime, fired: int) -> list[PlannedSend]:
        fire = next_repay_fire(view.due_day or 1, view.days_before, view.time_of_day, view.tz, after)
        return [PlannedSend(fire.slot, fire.fire_at, fire.real)]


class Visit(Kind):
    """Going to an automatic contract machine with ID: the evening before and at the time."""

    name = "visit"
    useful_for = timedelta(hours=3)

    def confirm_lines(self, spec: Spec, now: datetime, tz: ZoneInfo, flow: Flow) -> list[str]:
        at = datetime.fromisoformat(spec.at or "").astimezone(tz)
        today = now.astimezone(tz).date()
        lines = [f"{format_datetime(at, today)}に自動契約機へ行く予定ですね。その時刻にお知らせします。"]
        # A closed day comes right after the date, before anything else is said about that day.
        warnings = visit_warnings(at)
        lines += warnings
        eve = visit_eve(at)
        if eve is not None and eve > now:
            lines.append(texts.VISIT_EVE.format(when=format_datetime(eve, today)))
        return lines

    def fields(self, spec: Spec, tz: str) -> dict[str, Any]:
        return {"at": spec.at, "reason": spec.reason, "tz": tz}

    def subject(self, view: ReminderView) -> str:
        return "自動契約機へ行く"

    def short_label(self, view: ReminderView) -> str:
        return f"来店 {view.at.month}/{view.at.day} {format_time(view.at.time())}" if view.at else "来店"

    def fire_lines(
        self, view: ReminderView, flow: Flow, due_at: datetime, now: datetime, real_due: date | None, slot: str
    ) -> list[str]:
        if slot == "eve" and view.at is not None:
            lines = [
                "【自動契約機へ行く予定のお知らせ】",
                f"{format_datetime(view.at.astimezone(view.tz))}ごろの予定です。本人確認書類を準備しておきましょう。",
            ]
        else:
            lines = [
                "【自動契約機へ行く日です】",
                f"{format_datetime(due_at.astimezone(view.tz))}ごろ、本人確認書類を持って自動契約機へ行く予定です。",
            ]
        lines.append(flow.id_title)
        lines.extend(f"・{item}" for item in flow.id_items)
        if view.reason == "lost_card":
            lines.append("警察に届け出たときの受理番号も控えて持っていきましょう。")
        lines.append(f"営業時間：{flow.machine_hours}")
        if flow.machine_note:
            lines.append(flow.machine_note)
        return lines

    def next_sends(self, view: ReminderView, after: datetime, fired: int) -> list[PlannedSend]:
        sends = super().next_sends(view, after, fired)
        if sends and view.at is not None:
            eve = visit_eve(view.at.astimezone(view.tz))
            if eve is not None and eve > after:
                sends.insert(0, PlannedSend("eve", eve))
        return sends


class Free(Kind):
    """Anything, once."""

    name = "free"

    def confirm_lines(self, spec: Spec, now: datetime, tz: ZoneInfo, flow: Flow) -> list[str]:
        at = datetime.fromisoformat(spec.at or "").astimezone(tz)
        lines = [f"{format_datetime(at, now.astimezone(tz).date())}に「{spec.what}」をお知らせします。"]
        return lines + call_note(flow, spec.what, at)

    def fields(self, spec: Spec, tz: str) -> dict[str, Any]:
        return {"at": spec.at, "what": spec.what, "tz": tz}


class Repeat(Kind):
    """Anything, by a rule (毎週金曜 20:00), planned one occurrence at a time."""

    name = "repeat"
    repeats = True
    counted = True

    def confirm_lines(self, spec: Spec, now: datetime, tz: ZoneInfo, flow: Flow) -> list[str]:
        rule = Rule.from_json(spec.rule or "")
        return [f"{rule.describe()}に「{spec.what}」をお知らせします。", first_two(rule, now, tz)]

    def fields(self, spec: Spec, tz: str) -> dict[str, Any]:
        return {"rule": spec.rule, "what": spec.what, "tz": tz}

    def describe(self, view: ReminderView, now: datetime) -> str:
        if view.rule is None:
            return super().describe(view, now)
        upcoming = view.rule.upcoming(now, view.tz, 1)
        nxt = f" 次回 {format_datetime(upcoming[0], now.astimezone(view.tz).date())}" if upcoming else ""
        return f"{view.what}（{view.rule.describe()}）{nxt}"

    def short_label(self, view: ReminderView) -> str:
        rule = view.rule.describe().split()[0] if view.rule else ""
        return f"{_clip(view.what, 8)} {rule}"[:20]

    def fire_lines(
        self, view: ReminderView, flow: Flow, due_at: datetime, now: datetime, real_due: date | None, slot: str
    ) -> list[str]:
        lines = super().fire_lines(view, flow, due_at, now, real_due, slot)
        if view.rule is not None:
            lines.append(f"（{view.rule.describe().split()[0]}のお知らせです）")
        return lines

    def next_sends(self, view: ReminderView, after: datetime, fired: int) -> list[PlannedSend]:
        if view.rule is None:
            return []
        moment = view.rule.next_after(after, view.tz, fired=fired)
        return [PlannedSend(self.name, moment)] if moment is not None else []


KINDS: dict[str, Kind] = {k.name: k for k in (Repay(), Visit(), Free(), Repeat())}


def kind_of(name: str) -> Kind:
    """The strategy of a kind (an unknown one behaves like a plain reminder)."""
    return KINDS.get(name, KINDS["free"])


# ---------------------------------------------------------------------- shared helpers


def visit_eve(at: datetime) -> datetime | None:
    """When to remind the evening before a visit at ``at`` (local), or None when it is too close."""
    eve = datetime.combine(at.date() - timedelta(days=1), EVE_AT, at.tzinfo)
    return eve if at - eve >= EVE_MIN_GAP else None


def visit_warnings(at: datetime) -> list[str]:
    """Gentle warnings for a visit outside the machines' usual hours or on 1 January."""
    notes = []
    if at.month == 1 and at.day == 1:
        notes.append("1月1日は、自動契約機がお休みです（店舗により異なる場合があります）。")
    if not MACHINE_OPEN <= at.time() < MACHINE_CLOSE:  # 21:00 is closing time, too late to start
        notes.append("自動契約機の営業時間は、おおむね9:00〜21:00です（店舗により異なります）。")
    if notes:
        notes.append(texts.CHANGE_TIME_HINT)
    return notes


def call_note(flow: Flow, what: str, at: datetime) -> list[str]:
    """A gentle note when a call is planned for a time nobody answers that number."""
    for contact in flow.contacts.values():
        if any(w in what for w in contact.call_words) and not contact.staffed(at):
            # Only the operators' hours: "24 h for a lost card" would contradict "may not get through".
            hours = contact.hour_parts.get("operator") or contact.hours
            return [texts.CALL_OUTSIDE_HOURS.format(name=contact.name, hours=hours)]
    return []


def _moved_from(real: date, due_day: int) -> date | None:
    """The chosen due date that moved forward to ``real`` (this month's or last month's), if any."""
    for offset in (0, -1):
        year, month = divmod(real.year * 12 + real.month - 1 + offset, 12)
        nominal = nominal_due(year, month + 1, due_day)
        if nominal < real and next_business_day(nominal) == real:
            return nominal
    return None


# ---------------------------------------------------------------------- what the doors and the list use


def describe(view: ReminderView, now: datetime) -> str:
    """One line for the list: what, when, the rule or the new time after a snooze."""
    return kind_of(view.kind).describe(view, now)


def _clip(text: str, size: int) -> str:
    """At most ``size`` characters; a cut shows as 「…」 so no word looks complete when it is not."""
    return text if len(text) <= size else text[: size - 1] + "…"


# The list offers the first reminders as choices (numbered by the door: 「1) …」 in the console).
LISTED_CHOICES = 5


def listed_mark(index: int, count: int) -> str:
    """How the list marks its ``index``-th line (from 1): a bullet when every reminder is a choice
    below it (the door numbers those; 「1. …」 then 「1) …」 would name one thing twice), a number
    when there are more reminders than choices (「7番を取り消して」 must find the 7th)."""
    return "・" if count <= LISTED_CHOICES else f"{index}. "


def short_label(view: ReminderView) -> str:
    """A choice label (≤ 20 characters) naming the reminder."""
    return kind_of(view.kind).short_label(view)[:20]


def reminder_choices(view: ReminderView) -> tuple[Choice, ...]:
    """Snooze / done / stop buttons that come with every reminder message."""
    kind = kind_of(view.kind)
    return (
        Choice("1時間後にもう一度", ReminderOp("s1h", view.id)),
        Choice("明日の同じ時刻に", ReminderOp("s1d", view.id)),
        Choice(kind.done_label, ReminderOp("done", view.id)),
        # A repeating reminder asks first: this one only, or all of them.
        Choice("このお知らせを止める", ReminderOp("stop" if kind.repeats else "cancel", view.id)),
    )


def fire_message(
    view: ReminderView,
    flow: Flow,
    due_at: datetime,
    now: datetime,
    real_due: date | None = None,
    slot: str = "",
    detailed: bool = False,
) -> Reply:
    """The message a reminder sends when it falls due (``due_at``: when it was planned to arrive).

    ``detailed``: the user asked for detailed previews (its title and first line on the lock screen)."""
    late = [texts.LATE_NOTICE] if now - due_at > LATE_AFTER else []
    body = kind_of(view.kind).fire_lines(view, flow, due_at, now, real_due, slot)
    # Every kind's first line is its title in 【】: the card shows it as a heading.
    title = body[0].strip("【】") if body else ""
    # By default the preview names nothing (no lender, no repayment, no date): the card, once opened, says it all.
    preview = reminder_preview(title, body[1:], detailed)
    card = ReminderCard(title, tuple(body[1:]), late[0] if late else "", preview=preview)
    return Reply("\n".join(late + body), reminder_choices(view), card=card)
