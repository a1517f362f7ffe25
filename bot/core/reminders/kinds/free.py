"""A plain reminder: anything, once (「明日の10時に電話する」). Tasks said with a time are this kind
unless another kind claims them; a call planned from the call step is one too."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.dates.jptime import format_datetime, parse_when
from bot.core.diagnosis.flow import Flow
from bot.core.dialogue import texts
from bot.core.dialogue.state import Outcome
from bot.core.reminders.asking import ask_task, confirm
from bot.core.reminders.detect import dated_task
from bot.core.reminders.host import Ctx
from bot.core.reminders.kinds.timed import Timed
from bot.core.reminders.setup_answers import SWAP
from bot.core.reminders.setup_state import Spec
from bot.core.reminders.when_menu import ask_when
from bot.core.situation.facts import Situation
from bot.core.understanding.textnorm import clean


class Free(Timed):
    """Anything, once."""

    name = "free"
    order = 30
    default_for_tasks = True
    commands = ("remind_free", "remind_call")
    command_labels = {"remind_free": "お知らせを追加"}

    def start(self, ctx: Ctx, out: Outcome, command: str, situation: Situation, now: datetime) -> None:
        last = ctx.flow.nodes.get(ctx.flow.last_step or "") if command == "remind_call" else None
        contact = ctx.flow.contacts.get(last.contacts[0]) if last is not None and last.contacts else None
        if contact is None:
            ask_task(ctx, out)
            return
        # From the call step: the task is known (the button says so); only the time is asked.
        what = texts.CALL_TASK.format(name=contact.name)
        ask_when(ctx, out, texts.ASK_CALL_WHEN.format(what=what), Spec(self.name, what=what), now)

    def detect(self, ctx: Ctx, out: Outcome, text: str, situation: Situation, now: datetime, explicit: bool) -> bool:
        return dated_task(ctx, out, text, situation, now, explicit)

    def needs_what(self, spec: Spec) -> bool:
        return not spec.what

    def confirm_lines(self, spec: Spec, now: datetime, tz: ZoneInfo, flow: Flow) -> list[str]:
        at = datetime.fromisoformat(spec.at or "").astimezone(tz)
        lines = [f"{format_datetime(at, now.astimezone(tz).date())}に「{spec.what}」をお知らせします。"]
        return lines + call_note(flow, spec.what, at)

    def reword(self, ctx: Ctx, out: Outcome, spec: Spec, text: str, now: datetime) -> bool:
        """「電話じゃなくてメール」 at the confirmation: the task with that word replaced."""
        swap = SWAP.search(clean(text))
        if not swap or parse_when(swap["new"], now) is not None:
            return False
        # 「やっぱ病院じゃなくて歯医者」: the longest end of the words before 「じゃなくて」 that is in the task.
        said = swap["old"]
        old = next((said[i:] for i in range(len(said)) if said[i:] in spec.what), "")
        new = re.sub(r"(?:で|に|にして|です|でした|だった|でお願い(?:します)?)$", "", swap["new"].strip())
        if len(old) < 2 or not new:
            return False
        confirm(ctx, out, spec.but(what=spec.what.replace(old, new)[:100]), now)
        return True

    def fields(self, spec: Spec, tz: str) -> dict[str, Any]:
        return {"at": spec.at, "what": spec.what, "tz": tz}


def call_note(flow: Flow, what: str, at: datetime) -> list[str]:
    """A gentle note when a call is planned for a time nobody answers that number."""
    for contact in flow.contacts.values():
        if any(w in what for w in contact.call_words) and not contact.staffed(at):
            # Only the operators' hours: "24 h for a lost card" would contradict "may not get through".
            hours = contact.hour_parts.get("operator") or contact.hours
            return [texts.CALL_OUTSIDE_HOURS.format(name=contact.name, hours=hours)]
    return []


KIND = Free()
