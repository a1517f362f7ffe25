"""A day the money comes in, said after a repayment talk (「来週の金曜なら給料入る」): the bot offers to
remind the person to repay on that day (a draft they can change or decline), instead of 「そうなんですね」."""

from __future__ import annotations

import re
from datetime import datetime

from bot.core.dates.jptime import When, parse_when, utc_stamp
from bot.core.dialogue.state import Outcome
from bot.core.reminders.asking import confirm
from bot.core.reminders.host import Ctx
from bot.core.reminders.kinds.registry import task_kind
from bot.core.reminders.setup_state import Spec

_PAYDAY = re.compile(
    r"(?:給料|きゅうりょう|給与|きゅうよ|ボーナス|ぼーなす|お金|おかね|入金|にゅうきん|年金|ねんきん)(?:が|は|も)?"
    r"(?:入る|はいる|入っ|はいっ|出る|でる|出た|入れば|はいれば|振り込まれ|ふりこまれ)"
)
PAYDAY_LEAD = "その日に、返済のことをお知らせしましょうか？（時刻や内容は変えられます）"
PAYDAY_TASK = "返済する"
PAYDAY_HOUR = 9


def payday_draft(ctx: Ctx, out: Outcome, text: str, now: datetime) -> bool:
    """「来週の金曜なら給料入る」: a draft to repay on that day (9:00 unless a time is said)."""
    if not _PAYDAY.search(text):
        return False
    when = parse_when(text, ctx.local(now))
    if not isinstance(when, When) or when.kind != "once" or when.at is None:
        return False
    at = when.at if when.clock is not None else when.at.replace(hour=PAYDAY_HOUR, minute=0)
    if at <= now:
        return False
    confirm(ctx, out, Spec(task_kind().name, what=PAYDAY_TASK, at=utc_stamp(at)), now, lead=PAYDAY_LEAD)
    return True
