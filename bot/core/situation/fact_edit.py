"""Correcting the recorded situation from 「状況」: one fact at a time, fixed or deleted.

Each correction is a :class:`~bot.core.dialogue.messages.RecordFacts` effect like any other, so the history
keeps the change (a deleted fact is recorded as ``None``). A fact with its own dialog leads into it
(a repayment day with a repayment reminder changes that reminder; a found card gets its advice).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Action, Command, FactEdit, ReminderOp
from bot.core.dialogue.messages import Choice, RecordFacts, Reply
from bot.core.dialogue.state import Outcome
from bot.core.reminders.kinds.registry import kind_of
from bot.core.situation.facts import FIELD_LABELS, FIELD_TYPES, FactError, Situation, check_fact, format_value

# The facts a user can correct, with the choice that offers it (≤ 20 characters).
FIX_LABELS: dict[str, str] = {
    "cause": "原因の記録を修正",
    "card_lost": "カードの記録を修正",
    "wrong_attempts": "回数の記録を修正",
    "overdue": "返済の遅れの記録を修正",
    "suspended": "利用停止の記録を修正",
    "due_day": "返済日の記録を修正",
    "reminder_time": "お知らせ時刻を修正",
    "detailed_previews": "通知の表示を変える",
}
QUESTIONS: dict[str, str] = {
    "cause": "いちばん近い原因を選んでください。",
    "card_lost": "カードは見つかりましたか？",
    "wrong_attempts": "ログインは続けて何回エラーになりましたか？",
    "overdue": "最近、返済が遅れたことはありますか？",
    "suspended": "利用停止になっている可能性はありますか？",
    "due_day": "返済日はいつですか？",
    "reminder_time": "お知らせは何時がよいですか？",
    "detailed_previews": "通知（ロック画面など）に、お知らせの内容を表示しますか？",
}
# Fixed answers of the short questions (the cause's come from the flow).
ANSWERS: dict[str, tuple[tuple[str, str], ...]] = {
    "wrong_attempts": (("0回", "0"), ("1回", "1"), ("2回", "2"), ("3回以上", "3")),
    "overdue": (("遅れたことがある", "1"), ("遅れていない", "0")),
    "suspended": (("可能性がある", "1"), ("ないと思う", "0")),
    "due_day": (("5日", "5"), ("15日", "15"), ("25日", "25"), ("末日", "31")),
    "reminder_time": (("8:00", "08:00"), ("9:00", "09:00"), ("12:00", "12:00"), ("20:00", "20:00")),
    "detailed_previews": (("内容を表示する", "1"), ("内容を隠す", "0")),
}


class FactEditor:
    """The 「状況」 corrections, with the conversation as host (menu choices, stale, dispatch)."""

    def __init__(
        self,
        tz: ZoneInfo,
        cause_titles: dict[str, str],
        menu_choices: Callable[[], tuple[Choice, ...]],
        dispatch: Callable[[Outcome, Action, Situation, datetime], None],
        due_days: tuple[int, ...] = (),
    ) -> None:
        """``due_days``: the repayment days the lender offers (its flow's ``monthly_days``), shown as the
        answers to 「返済日はいつですか？」 instead of the usual ones."""
        self.tz = tz
        self.cause_titles = cause_titles
        self.menu_choices = menu_choices
        self.dispatch = dispatch
        self.answers = dict(ANSWERS)
        # The causes whose result records a lost card (flow data): deleting the loss deletes that cause.
        self.lost_causes: frozenset[str] = frozenset()
        if due_days:
            self.answers["due_day"] = tuple((_day_label(d), str(d)) for d in due_days)

    def status_choices(self, situation: Situation) -> tuple[Choice, ...]:
        """After the recorded facts: a choice to correct each, one to delete one, and the menu."""
        told = [name for name in FIX_LABELS if getattr(situation, name) is not None]
        fixes = [Choice(FIX_LABELS[name], FactEdit("ask", name)) for name in told]
        delete = [Choice(texts.LABEL_DELETE_FACT, FactEdit("del"))] if _deletable(situation) else []
        return (*fixes, *delete, Choice(texts.LABEL_MENU, Command("menu")))

    def on_edit(self, out: Outcome, action: FactEdit, situation: Situation, now: datetime) -> None:
        """Handle one :class:`FactEdit` choice."""
        out.state.pending = None
        if action.verb == "del":
            self._delete(out, action.field, situation)
        elif action.field not in FIX_LABELS:
            self._stale(out)
        elif action.verb == "ask":
            self._ask(out, action.field, situation, now)
        else:
            self._set(out, action.field, action.value)

    def _ask(self, out: Outcome, name: str, situation: Situation, now: datetime) -> None:
        if name == "due_day":
            repay = next((r for r in out.reminders if kind_of(r.kind).records_due_day), None)
            if repay is not None:
                # The repayment reminder's own dialog: it records the new day when saved.
                self.dispatch(out, ReminderOp("change", repay.id), situation, now)
                return
        if name == "cause":
            answers = tuple((title[:20], cause) for cause, title in self.cause_titles.items())
        elif name == "card_lost":
            # A found card leads into its own advice (the card may need to be turned back on).
            found = (
                Choice("なくしたまま", FactEdit("set", "card_lost", "1")),
                Choice("見つかった", Command("card_found")),
                Choice(texts.LABEL_BACK_TO_STATUS, Command("status")),
            )
            out.replies.append(Reply(QUESTIONS[name], found))
            return
        else:
            answers = self.answers[name]
        choices = tuple(Choice(label, FactEdit("set", name, value)) for label, value in answers)
        out.replies.append(Reply(QUESTIONS[name], (*choices, Choice(texts.LABEL_BACK_TO_STATUS, Command("status")))))

    def _set(self, out: Outcome, name: str, raw: str) -> None:
        value = _typed(name, raw)
        try:
            check_fact(name, value)
        except FactError:
            self._stale(out)
            return
        if value is None or (name == "cause" and value not in self.cause_titles):
            self._stale(out)
            return
        out.effects.append(RecordFacts({name: value}))
        # The words of the choice the user tapped (「9:00」, 「末日」), else the fact's usual words.
        labels = {v: label for label, v in self.answers.get(name, ())}
        shown = labels.get(raw) or format_value(name, value, self.cause_titles, self.tz)
        message = texts.FACT_FIXED.format(label=FIELD_LABELS[name], value=shown)
        if name == "reminder_time":
            # Only the default for new reminders: say so, or the user believes the set ones moved.
            message += "\n" + texts.REMINDER_TIME_IS_DEFAULT
        out.replies.append(Reply(message, self._after()))

    def _delete(self, out: Outcome, name: str, situation: Situation) -> None:
        if not name:
            told = [n for n in FIELD_LABELS if n != "language" and getattr(situation, n) is not None]
            if not told:
                out.replies.append(Reply(texts.STATUS_EMPTY, self.menu_choices()))
                return
            choices = tuple(Choice(FIELD_LABELS[n][:20], FactEdit("del", n)) for n in told)
            out.replies.append(
                Reply(texts.DELETE_WHICH, (*choices, Choice(texts.LABEL_BACK_TO_STATUS, Command("status"))))
            )
            return
        if "," in name:
            self._delete_several(out, name.split(","), situation)
            return
        if name not in FIELD_LABELS or name == "language":
            self._stale(out)
            return
        if getattr(situation, name) is None:
            # Nothing to delete: said so (「消しました」 would claim a record that never was).
            out.replies.append(Reply(texts.FACT_NOT_RECORDED.format(label=FIELD_LABELS[name]), self._after()))
            return
        out.effects.append(RecordFacts(dict.fromkeys((name, *_WITH.get(name, ()), *self._cause_with(name, situation)))))
        message = texts.FACT_DELETED.format(label=FIELD_LABELS[name])
        choices = self._after()
        repay = next((r for r in out.reminders if kind_of(r.kind).records_due_day), None)
        if name == "due_day" and repay is not None:
            # The record and the reminder are two things: the reminder keeps its day until stopped.
            message += "\n" + texts.REPAY_REMINDER_STAYS
            choices = (Choice(texts.LABEL_SEE_REPAY_REMINDER, ReminderOp("open", repay.id)), *choices)
        out.replies.append(Reply(message, choices))

    def _delete_several(self, out: Outcome, names: list[str], situation: Situation) -> None:
        """「カードの件と返済日を消して」: each record named, in one answer (what was never kept, said so)."""
        known = [n for n in names if n in FIELD_LABELS and n != "language"]
        kept = [n for n in known if getattr(situation, n) is not None]
        lines = _deleted_lines(known, kept)
        if kept:
            with_them = [n for k in kept for n in (k, *_WITH.get(k, ()), *self._cause_with(k, situation))]
            out.effects.append(RecordFacts(dict.fromkeys(with_them)))
        choices = self._after()
        repay = next((r for r in out.reminders if kind_of(r.kind).records_due_day), None)
        if "due_day" in kept and repay is not None:
            lines.append(texts.REPAY_REMINDER_STAYS)
            choices = (Choice(texts.LABEL_SEE_REPAY_REMINDER, ReminderOp("open", repay.id)), *choices)
        out.replies.append(Reply("\n".join(lines) or texts.STATUS_EMPTY, choices))

    def _cause_with(self, name: str, situation: Situation) -> tuple[str, ...]:
        """The lost card deleted: a cause that only says the card was lost goes with it (the status
        would otherwise still say 「カードの紛失・盗難」)."""
        return ("cause",) if name == "card_lost" and situation.cause in self.lost_causes else ()

    def _after(self) -> tuple[Choice, ...]:
        # 「状況に戻る」 replaces the menu's own 「わたしの状況」: two buttons to one place confuse.
        rest = [c for c in self.menu_choices() if c.action != Command("status")]
        return (Choice(texts.LABEL_BACK_TO_STATUS, Command("status")), *rest)

    def _stale(self, out: Outcome) -> None:
        out.replies.append(Reply(texts.STALE_BUTTON, self.menu_choices()))


# A record that goes with another: deleting the lost card deletes when it was recorded too.
_WITH = {"card_lost": ("card_lost_at",)}


def _deleted_lines(known: list[str], kept: list[str]) -> list[str]:
    """One line per record named: deleted, or never kept."""
    lines = [texts.FACT_DELETED.format(label=FIELD_LABELS[n]) for n in kept]
    return lines + [texts.FACT_NOT_RECORDED.format(label=FIELD_LABELS[n]) for n in known if n not in kept]


def _day_label(day: int) -> str:
    return "末日" if day >= 31 else f"{day}日"


def _deletable(situation: Situation) -> bool:
    return any(getattr(situation, n) is not None for n in FIELD_LABELS if n != "language")


def _typed(name: str, raw: str) -> Any:
    """The text form of a choice's value as the fact's type (None when it does not read)."""
    kind = FIELD_TYPES.get(name)
    if kind is bool:
        return {"1": True, "0": False}.get(raw)
    if kind is int:
        return int(raw) if raw.isdigit() and len(raw) <= 2 else None
    return raw or None
