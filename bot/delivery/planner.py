"""Turn reminder wishes into outbox rows: the first send, the next one after each send, snoozes.

Every planned send gets a stable key (a UUID derived from the reminder, its revision, the slot and
the due time), so planning the same send twice is a no-op and every retry reuses the same key.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.diagnosis.flow import Flow, load_flow
from bot.core.dialogue.messages import SaveReminder
from bot.core.reminders.kinds import kind_of
from bot.core.reminders.model import ReminderView
from storage.reminders import ReminderRepo, from_iso, iso

_NAMESPACE = uuid.UUID("5d6f3c1e-1b1a-4c8e-9a53-0c1f6a7b8d90")


def send_key(reminder: dict[str, Any], slot: str, due_at: datetime) -> str:
    """The idempotency key of one planned send (also LINE's X-Line-Retry-Key, hence a UUID)."""
    return str(uuid.uuid5(_NAMESPACE, f"{reminder['id']}|{reminder['revision']}|{slot}|{iso(due_at)}"))


# How long after its due date a repayment is still "this time" (a late payment is completed then).
_STILL_THIS_CYCLE_DAYS = 7


@cache
def _default_flow() -> Flow:
    return load_flow()


class Planner:
    """Writes reminders and their planned sends (inside the caller's transaction).

    ``flow_for`` gives the flow of the lender a reminder is about (its ``lender``): its repayment rules
    decide the due dates planned. Without it, the default flow's (a bot with one lender).
    """

    def __init__(self, repo: ReminderRepo, flow_for: Callable[[str | None], Flow] | None = None) -> None:
        self.repo = repo
        self.flow_for = flow_for or (lambda lender: _default_flow())

    def save(self, user_id: int, platform: str, platform_user_id: str, effect: SaveReminder, now: datetime) -> int:
        """Create or change a reminder and plan its first send; return the reminder id."""
        fields = {"kind": effect.kind, **effect.fields}
        replace_id = effect.replace_id
        if replace_id is not None:
            existing = self.repo.get(replace_id)
            if existing is None or existing["user_id"] != user_id:
                replace_id = None  # never touch another user's reminder
        if replace_id is None and kind_of(effect.kind).one_per_user:
            # One repayment schedule per user and lender: a new due day replaces the old one (one set
            # up before the bot knew several lenders, without a lender, too).
            lender = fields.get("lender")
            current = [
                r
                for r in self.repo.for_user(user_id)
                if r["kind"] == effect.kind and (r.get("lender") in (None, lender) or self._unnamed(r.get("lender")))
            ]
            replace_id = current[0]["id"] if current else None
        if replace_id is not None:
            self.repo.cancel_pending(replace_id)
            self.repo.update(replace_id, fields, now)
            reminder_id = replace_id
        else:
            reminder_id = self.repo.add(user_id, fields, now)
        reminder = self.repo.get(reminder_id)
        assert reminder is not None
        self.plan_next(reminder, platform, platform_user_id, now)
        if effect.skip_first:
            self.skip(reminder, platform, platform_user_id, now)  # 「今月分はもう払った」 「今週は休む」
        return reminder_id

    def _unnamed(self, lender: str | None) -> bool:
        """True for a reminder set while the lender was not known (a later one of a named lender replaces it)."""
        return self.flow_for(lender).generic

    def plan_next(self, reminder: dict[str, Any], platform: str, platform_user_id: str, after: datetime) -> bool:
        """Plan what the reminder's kind sends next after ``after``; True when something new was planned.

        A repeating kind whose rule has ended (a count, an end date) becomes "done".
        """
        if reminder["status"] not in ("active", "sent"):
            return False
        kind = kind_of(reminder["kind"])
        fired = self.repo.sent_count(reminder["id"], kind.name) if kind.counted else 0
        view = ReminderView.from_row(reminder, self.flow_for(reminder.get("lender")).repayment)
        sends = kind.next_sends(view, after, fired)
        if not sends and kind.counted and not self.repo.pending_for(reminder["id"]):
            self.repo.set_status(reminder["id"], "done", after)
        planned = False
        for send in sends:
            key = send_key(reminder, send.slot, send.due_at)
            real_due = send.real_due.isoformat() if send.real_due else None
            planned = (
                self.repo.plan(reminder, platform, platform_user_id, send.slot, send.due_at, key, real_due) or planned
            )
        return planned

    def snooze(self, reminder: dict[str, Any], platform: str, platform_user_id: str, until: datetime, now: datetime):
        """Plan one more send of the reminder at ``until``."""
        if reminder["status"] == "sent":
            self.repo.set_status(reminder["id"], "active", now)
        if any(row["due_at"] == iso(until) for row in self.repo.pending_for(reminder["id"])):
            return  # already arriving then: one message is enough
        # A snoozed repayment reminder still speaks of the due date of the message it postpones.
        last = self.repo.last_sent(reminder["id"]) if kind_of(reminder["kind"]).snooze_keeps_due else None
        real_due = last["real_due"] if last else None
        key = send_key(reminder, "snooze", until)
        self.repo.plan(reminder, platform, platform_user_id, "snooze", until, key, real_due=real_due)

    def cancel(self, reminder_id: int, now: datetime) -> None:
        """Stop the reminder: no send not yet made will be made."""
        self.repo.set_status(reminder_id, "cancelled", now)
        self.repo.cancel_pending(reminder_id)

    def _this_cycle(self, reminder: dict[str, Any], now: datetime) -> date:
        """The due date "this time" means: the one whose messages have started, else the next planned
        (「今回の分だけ止める」 before its first message, or when the last one sent was last month's)."""
        last = self.repo.last_sent(reminder["id"])
        today = now.astimezone(ZoneInfo(reminder["tz"])).date()
        started = date.fromisoformat(last["real_due"]) if last and last["real_due"] else None
        # A due date a few days past is still this one (paid late); an older one was last time's.
        if started is not None and started >= today - timedelta(days=_STILL_THIS_CYCLE_DAYS):
            return started
        planned = [date.fromisoformat(r["real_due"]) for r in self.repo.pending_for(reminder["id"]) if r["real_due"]]
        return min(planned, default=started or today)

    def complete(self, reminder: dict[str, Any], platform: str, platform_user_id: str, now: datetime) -> None:
        """The user did it. Once: finished. Repay: skip the rest of this due date, plan the next one.

        Repeat: this occurrence is over (its snoozes are skipped); the next one stays planned.
        """
        completes = kind_of(reminder["kind"]).completes
        if completes == "occurrence":
            for row in self.repo.pending_for(reminder["id"]):
                if row["slot"] == "snooze" or from_iso(row["due_at"]) <= now:
                    self.repo.set_send_status(row["id"], "skipped")
            if not self.repo.pending_for(reminder["id"]):
                self.plan_next(reminder, platform, platform_user_id, now)
            return
        if completes != "cycle":
            self.repo.set_status(reminder["id"], "done", now)
            self.repo.cancel_pending(reminder["id"])
            return
        cycle_due = self._this_cycle(reminder, now)
        for row in self.repo.pending_for(reminder["id"]):
            if row["slot"] == "snooze" or (row["real_due"] and date.fromisoformat(row["real_due"]) <= cycle_due):
                self.repo.set_send_status(row["id"], "skipped")
        if not self.repo.pending_for(reminder["id"]):
            anchor = datetime.combine(cycle_due, time(23, 59), ZoneInfo(reminder["tz"]))
            self.plan_next(reminder, platform, platform_user_id, max(anchor, now))

    def skip(
        self, reminder: dict[str, Any], platform: str, platform_user_id: str, now: datetime, undo: bool = False
    ) -> None:
        """「今回だけ止める」: the time just sent is over, else the coming one is not sent (a repayment
        reminder: the rest of this due date). ``undo``: every send planned again from now, so what
        was skipped comes back (「やっぱりスキップやめて」)."""
        if undo:
            self.repo.cancel_pending(reminder["id"])
            self.repo.update(reminder["id"], {}, now)
            again = self.repo.get(reminder["id"])
            if again is not None:
                self.plan_next(again, platform, platform_user_id, now)
            return
        kind = kind_of(reminder["kind"])
        last = self.repo.last_sent(reminder["id"])
        just_sent = last is not None and now - kind.useful_for < from_iso(last["due_at"]) <= now
        coming = [row for row in self.repo.pending_for(reminder["id"]) if row["slot"] != "snooze"]
        if kind.completes != "occurrence" or just_sent or not coming:
            self.complete(reminder, platform, platform_user_id, now)
            return
        self.repo.set_send_status(coming[0]["id"], "skipped")
        self.plan_next(reminder, platform, platform_user_id, from_iso(coming[0]["due_at"]))
