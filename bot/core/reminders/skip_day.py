"""Which time of a repeating reminder a skip means: the one still to come (a time skipped before is
not), a day named (「来週の金曜だけ休み」), or a day it never comes on (「明日だけ休み」 for a Tuesday one)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from bot.core.dates.jptime import When, numerals_to_digits, parse_when
from bot.core.reminders.host import Ctx
from bot.core.reminders.kinds.registry import kind_of
from bot.core.reminders.model import ReminderView
from bot.core.understanding.textnorm import clean


def coming_sends(view: ReminderView, now: datetime) -> list:
    """The sends still to come, from the one planned (a time skipped before is not coming)."""
    after = view.planned_at - timedelta(seconds=1) if view.planned_at is not None and view.planned_at > now else now
    return kind_of(view.kind).next_sends(view, after, fired=0)


NOT_ON_THAT_DAY = "{day}には、このお知らせは届きません。次は{coming}です。"


def comes_on(view: ReminderView, day: date) -> bool:
    """True when the reminder has a time on ``day``."""
    start = datetime.combine(day, datetime.min.time(), view.tz) - timedelta(seconds=1)
    sends = kind_of(view.kind).next_sends(view, start, fired=0)
    return bool(sends) and sends[0].due_at.astimezone(view.tz).date() == day


SKIP_NOT_THAT_DAY = (
    "いま止められるのは、次の回（{coming}）だけです。{day}の分は、その前の回が過ぎてから"
    "「今回だけ止めて」と送ってください。"
)
_DAY_WORDS = re.compile(
    r"来週|らいしゅう|再来週|さらいしゅう|(?<![0-9])[0-9]{1,2}日|明日|あした|明後日|あさって|今日|きょう"
)


def day_named(ctx: Ctx, text: str, now: datetime) -> date | None:
    """The day a skip names (「来週の金曜だけ休み」 「8日だけなし」); None when none is."""
    body = numerals_to_digits(clean(text))
    if not _DAY_WORDS.search(body):
        return None
    when = parse_when(body, ctx.local(now))
    return when.at.date() if isinstance(when, When) and when.kind == "once" and when.at else None
