"""Money words in a login conversation: a repayment that is late, due today or hard gets the call and the counselling centre first, and the reminder offered after."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.dialogue import texts
from bot.core.dialogue.actions import (
    Command,
)
from bot.core.dialogue.messages import (
    Choice,
    RecordFacts,
    Reply,
)
from bot.core.dialogue.state import Outcome
from bot.core.dialogue.words import (
    _HARD_WITH_REPAY,
    _HARD_WORDS,
    _LOGIN_WORDS,
    _PAID,
    _REPAY_WORDS,
    _TODAY_WORDS,
)
from bot.core.reminders.repayment import LATE_WORDS, NOT_LATE, only_past_late, without_worry
from bot.core.situation.statements import maybe_late

if TYPE_CHECKING:
    from bot.core.diagnosis.steps import DiagnosisSteps


_OVERDUE_WORDS = ("延滞", "えんたい", "滞納", "たいのう")


_REMINDER_ASKED = re.compile(r"りまいんど|りまいんだー|知らせて|しらせて|通知して|あらーむ")


class RepayTalk:
    """Money words in a login conversation: a repayment that is late, due today or hard gets the call and the counselling centre first, and the reminder offered after."""

    def __init__(self, host: DiagnosisSteps) -> None:
        self.host = host

    def _repay_urgency(self, out: Outcome, key: str, now: datetime) -> bool:
        """A repayment late or due today (not a login problem): call soon, the counselling centre once."""
        urgent = self.host.conv.flow.repay_urgent
        said = self._money_said(key, now, bool(urgent.get("hard")))
        if said == "paid":
            # 「延滞分はもう払いました」: no scolding and no call; the record says it is settled.
            out.effects.append(RecordFacts({"overdue": False}))
            out.replies.append(Reply(texts.LATE_PAID))
            return True
        if said is None or not urgent:
            return False
        if said == "late":
            out.effects.append(RecordFacts({"overdue": True}))  # 「返済日を過ぎちゃってる」 is kept, as its button is
        lines = [urgent.get(said) or urgent["hard" if urgent.get("hard") else "late"]]
        for cid in urgent["contacts"]:
            block = self.host.conv.render._contact_block(cid, urgent["hours"], out)
            if block:
                lines += ["", *block]
        out.replies.append(Reply("\n".join(lines)))
        return True

    def _money_said(self, key: str, now: datetime, can_be_hard: bool) -> str | None:
        """What the words say of a repayment: "paid", "hard", "maybe" (late feared or to come), "late",
        "today", or None (not urgent)."""

        def has(words: tuple[str, ...]) -> bool:
            return any(w in key for w in words)

        # 「延滞なし」: nothing late; 「返済日を忘れてしまうので」: afraid to forget, not forgotten.
        key = without_worry(key)
        if only_past_late(key):
            return None  # 「先月1回遅れた」: a lateness told of the past (kept as told), not one to call about now
        login = has(_LOGIN_WORDS) or bool(NOT_LATE.search(key))
        if has(LATE_WORDS) and _PAID.search(key) and not login:
            return "paid"
        # 「延滞してしまった」: being late is about repaying (no other repayment word needed).
        maybe = maybe_late(key)
        repaying = has(_REPAY_WORDS) or has(_OVERDUE_WORDS) or maybe
        hard = can_be_hard and _hard(key, repaying)
        if login or not (repaying or hard):
            return None
        if hard:
            return "hard"
        if maybe:
            return "maybe"  # 「延滞かも」 「来月遅れそう」: call before the due day; nothing kept as late
        return self._late_or_today(key, now)

    def _late_or_today(self, key: str, now: datetime) -> str | None:
        """A repayment spoken of: "late", "today" (its day is today), or None."""
        if any(w in key for w in LATE_WORDS):
            return "late"
        if _REMINDER_ASKED.search(key):
            return None  # 「今日の20時に返済リマインドして」: a reminder asked for, not a due date today
        return "today" if any(w in key for w in _TODAY_WORDS) or self._names_today(key, now) else None

    def _names_today(self, key: str, now: datetime) -> bool:
        """「返済日は3日」 on the 3rd: the due day named is today's date."""
        local = now.astimezone(self.host.conv.tz)
        # 「3日後」「3日前」「3日間」 are spans, not dates; a month, when given, must be this one.
        match = re.search(r"(?:(\d{1,2})月)?(\d{1,2})日(?![後前間ご])", key)
        if match is None or int(match.group(2)) != local.day:
            return False
        return match.group(1) is None or int(match.group(1)) == local.month

    def _repay_choices(self) -> tuple[Choice, ...]:
        return (
            Choice("返済日のお知らせを設定", Command("remind_repay")),
            Choice(texts.LABEL_DIAGNOSE, Command("diagnose")),
            Choice(texts.LABEL_MENU, Command("menu")),
        )


def _hard(key: str, repaying: bool) -> bool:
    """「返せない」 「首が回らない」; with a repayment word also 「無理」 「苦しい」."""
    return any(w in key for w in _HARD_WORDS) or (repaying and any(w in key for w in _HARD_WITH_REPAY))
