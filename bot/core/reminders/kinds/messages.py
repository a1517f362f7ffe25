"""What the doors and the list show of a reminder, whatever its kind: its line, its label, the
buttons that come with it and the message it sends when it falls due."""

from __future__ import annotations

from datetime import date, datetime

from bot.core.diagnosis.flow import Flow
from bot.core.dialogue import texts
from bot.core.dialogue.actions import ReminderOp
from bot.core.dialogue.messages import Choice, ReminderCard, Reply
from bot.core.reminders.kinds.registry import kind_of
from bot.core.reminders.model import LATE_AFTER, ReminderView
from bot.core.situation.previews import reminder_preview


def describe(view: ReminderView, now: datetime) -> str:
    """One line for the list: what, when, the rule or the new time after a snooze."""
    return kind_of(view.kind).describe(view, now)


def short_label(view: ReminderView) -> str:
    """A choice label (≤ 20 characters) naming the reminder."""
    return kind_of(view.kind).short_label(view)[:20]


def stop_verb(view: ReminderView) -> str:
    """A repeating or repayment reminder asks first (「今回だけ／今後すべて」): "stop"; else "cancel"."""
    return "stop" if kind_of(view.kind).repeats else "cancel"


def reminder_choices(view: ReminderView) -> tuple[Choice, ...]:
    """Snooze / done / stop buttons that come with every reminder message."""
    return (
        Choice("1時間後にもう一度", ReminderOp("s1h", view.id)),
        Choice("明日の同じ時刻に", ReminderOp("s1d", view.id)),
        Choice(kind_of(view.kind).done_label, ReminderOp("done", view.id)),
        Choice("このお知らせを止める", ReminderOp(stop_verb(view), view.id)),
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


# The list offers the first reminders as choices (numbered by the door: 「1) …」 in the console).
LISTED_CHOICES = 5


def listed_mark(index: int, count: int) -> str:
    """How the list marks its ``index``-th line (from 1): a bullet when every reminder is a choice
    below it (the door numbers those; 「1. …」 then 「1) …」 would name one thing twice), a number
    when there are more reminders than choices (「7番を取り消して」 must find the 7th)."""
    return "・" if count <= LISTED_CHOICES else f"{index}. "
