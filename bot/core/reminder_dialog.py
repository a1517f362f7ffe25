"""Setting up, listing, changing and acting on reminders inside the conversation.

The dialog is a component the conversation owns (it does not inherit from it): the conversation
hands it the turn's :class:`~bot.core.state.Outcome` and a :class:`Host` for the two things it
needs back (the menu's choices, the answer to a stale button). What it waits for is a typed
set-up state (:mod:`bot.core.setup_state`): a value still missing, or the user's approval of the
exact date and time it repeated back. Nothing is saved before that approval. What differs between
repayment, visit, free and repeating reminders lives in :mod:`bot.core.reminder_kinds`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core import texts
from bot.core.actions import Command, DaysBefore, RemindAt, ReminderOp, RepayDay, SetupControl, decode
from bot.core.flow import Flow
from bot.core.jptime import (
    WEEKDAYS,
    When,
    WhenAsk,
    WhenError,
    clock_in,
    format_date,
    format_datetime,
    format_time,
    numerals_to_digits,
    parse_clock,
    parse_when,
    task_of,
    task_without,
    utc_stamp,
)
from bot.core.messages import (
    CancelReminder,
    Choice,
    CompleteReminder,
    RecordFacts,
    Reply,
    SaveReminder,
    SnoozeReminder,
)
from bot.core.recurrence import Rule, parse_rule
from bot.core.reminder_kinds import describe, kind_of, listed_mark, short_label
from bot.core.reminder_refs import named_reminder
from bot.core.reminders import ReminderView
from bot.core.repayment import LATE_WORDS, MONTH_END
from bot.core.setup_answers import (
    HESITATION,
    NO,
    PLAIN_NO,
    SWAP,
    YES,
    Correction,
    after_negation,
    correction,
    days_before_in,
    debit_in,
    is_wrong,
    yes_no,
)
from bot.core.setup_state import (
    REMINDER_SETUPS,
    AskDaysBefore,
    AskDebit,
    AskRepayDay,
    AskRepayTime,
    AskTask,
    AskWhat,
    AskWhen,
    Confirm,
    ConfirmCancel,
    ConfirmCancelAll,
    Spec,
)
from bot.core.situation import Situation
from bot.core.state import Outcome
from bot.core.textnorm import clean, normalize
from bot.core.understanding import Reading

_DAY = re.compile(r"(\d{1,2})\s*日?")
_MONTH_END_WORDS = ("末日", "月末", "末", "最終日", "まつじつ", "げつまつ")
_REPAY_WORDS = ("返済", "へんさい", "支払", "しはらい", "約定日")
# 「わからない」 「覚えてない」 to the question of the repayment day (a short answer, no day in it).
_DAY_UNKNOWN = re.compile(r"わから|分から|わかん|知らな|しらな|覚えて(?:い)?な|おぼえて(?:い)?な|忘れ|わすれ|不明")
# A short answer read by the classifier counts from this confidence on (the question gives context).
ANSWER_MIN = 0.3
# Where a task is asked for, a yes or no must be read with more confidence (a task is free text).
SHORT_ANSWER_MIN = 0.6
_WHEN_ERRORS = {
    "past": texts.WHEN_PAST,
    "invalid_date": texts.WHEN_INVALID_DATE,
    "invalid_time": texts.WHEN_INVALID_TIME,
    "unparsed": texts.WHEN_UNPARSED,
}
_WHEN_QUESTIONS = {
    "day": texts.WHEN_WHICH_DAY,
    "vague": texts.WHEN_VAGUE,
    "repeat": texts.WHEN_REPEAT,
    "time": texts.WHEN_WHAT_TIME,
    "unknown": texts.WHEN_PART_UNREAD,
}
MAX_LISTED = 8
# A new repayment day said with the change: 「28日に変えて」, 「末日にして」.
_NEW_DAY = re.compile(r"(?<![\d/])(\d{1,2})日(?!後|間|前)|(末日|月末)")
# A task about going to the machine or the counter makes a visit reminder (ID list, hours).
_VISIT_WORDS = ("自動契約機", "契約機", "来店", "店頭", "窓口", "再発行", "むじんくん", "お店に行", "店に行")
_VISIT_CAUSES = ("locked", "forgot_pin", "lost_card")
# Which half of the day a short answer means (normalized, kana folded): 夜中 before 夜.
_MORNING_WORDS = ("夜中", "よなか", "深夜", "しんや", "午前", "ごぜん", "朝", "あさ", "am", "明日", "あした", "あす")
_LATER_WORDS = (
    "午後",
    "ごご",
    "昼",
    "ひる",
    "夜",
    "よる",
    "夕方",
    "ゆうがた",
    "今夜",
    "こんや",
    "pm",
    "今日",
    "きょう",
)
# Words about the reminder itself, never a task (「リマインダーを設定したい」).
_META = re.compile(r"リマインド|リマインダ|りまいんど|お知らせ|おしらせ|通知|アラーム|設定|追加|登録|予定")


class Host(Protocol):
    """What the dialog needs from the conversation that owns it."""

    def menu_choices(self) -> tuple[Choice, ...]:
        """The main menu's choices."""
        ...

    def stale(self, out: Outcome) -> None:
        """Answer a button that no longer applies."""
        ...


class ReminderDialog:
    """Reminder set-ups and operations for one flow and one default timezone."""

    def __init__(self, flow: Flow, tz: ZoneInfo, host: Host) -> None:
        self.flow = flow
        self.tz = tz
        self.host = host

    # ------------------------------------------------------------------ entry points

    def action(self, out: Outcome, name: str, situation: Situation, now: datetime) -> bool:
        """Run a reminder command ("remind_repay", "remind_visit", "reminders"...); False if not one."""
        if name == "remind_repay":
            if situation.due_day:
                self._confirm(out, self._repay_spec(situation.due_day, situation), now)
            else:
                self._ask_repay_day(out, texts.ASK_REPAY_DAY, Spec("repay"))
            return True
        if name == "remind_visit":
            reason = situation.cause if situation.cause in _VISIT_CAUSES else ""
            self._ask_when(out, texts.ASK_VISIT_WHEN, Spec("visit", reason=reason), now)
            return True
        if name == "reminders":
            self._list(out, now)
            return True
        if name == "cancel_reminder":
            self._list(out, now, head=texts.CANCEL_WHICH)
            return True
        if name == "remind_free":
            self.ask_task(out)
            return True
        if name == "remind_call":
            # From the call step: the task is known (the button says so); only the time is asked.
            last = self.flow.nodes.get(self.flow.last_step or "")
            contact = self.flow.contacts.get(last.contacts[0]) if last is not None and last.contacts else None
            if contact is None:
                self.ask_task(out)
            else:
                what = texts.CALL_TASK.format(name=contact.name)
                self._ask_when(out, texts.ASK_CALL_WHEN.format(what=what), Spec("free", what=what), now)
            return True
        return False

    def in_progress(self, out: Outcome) -> bool:
        """True while a reminder set-up waits for a value or an approval."""
        return isinstance(out.state.pending, REMINDER_SETUPS)

    def takes_task(self, out: Outcome) -> bool:
        """True while the question is what to be reminded of (any words, 「通知を消す」 too, are the answer)."""
        return isinstance(out.state.pending, AskTask | AskWhat)

    def wants_value(self, out: Outcome) -> bool:
        """True while the question asks for a value a bare number can be (a day, a count, a time)."""
        return isinstance(out.state.pending, AskRepayDay | AskDebit | AskDaysBefore | AskRepayTime)

    def on_repay_day(self, out: Outcome, action: RepayDay, situation: Situation, now: datetime) -> None:
        """The repayment day was picked."""
        pending = out.state.pending
        # Only a repayment set-up in progress is continued; anything else starts a fresh one.
        base = pending.spec if isinstance(pending, AskRepayDay) else None
        self._confirm(out, self._repay_spec(action.day, situation, base), now)

    def on_days_before(self, out: Outcome, action: DaysBefore, situation: Situation, now: datetime) -> None:
        """How many days before: only while a repayment reminder with a due day is being set up."""
        pending = out.state.pending
        spec = pending.spec if isinstance(pending, AskDaysBefore | Confirm) else None
        if spec is not None and spec.kind == "repay" and spec.due_day:
            self._confirm(out, spec.but(days_before=action.days), now)
        else:
            self.host.stale(out)

    def on_remind_at(self, out: Outcome, action: RemindAt, situation: Situation, now: datetime) -> None:
        """A proposed date was picked: only while asking when a visit or free reminder should arrive."""
        pending = out.state.pending
        if not isinstance(pending, AskWhen) or pending.spec.kind not in ("visit", "free"):
            self.host.stale(out)
        else:
            self._when_given(out, pending.spec, When("once", at=action.at.astimezone(self.tz)), now)

    def on_setup_control(self, out: Outcome, action: SetupControl, situation: Situation, now: datetime) -> None:
        """Yes / no / change something at a reminder set-up."""
        if not self._repay_day_control(out, action.verb, situation, now):
            self._control(out, action.verb, now)

    def on_reminder_op(self, out: Outcome, action: ReminderOp, situation: Situation, now: datetime) -> None:
        """Open, stop, skip, cancel, snooze, complete or change one of the user's reminders."""
        self._act(out, action.verb, action.reminder_id, now)

    def quit(self, out: Outcome, now: datetime) -> None:
        """Leave the set-up in progress (「やめる」 at any step)."""
        self._control(out, "no", now)

    def text(
        self, out: Outcome, text: str, reading: Reading, situation: Situation, now: datetime, elsewhere: bool
    ) -> bool:
        """Typed text while the dialog waits for a value; False when the text is not an answer to it.

        ``elsewhere``: the text confidently means something else (a command, a cause); then a value
        that cannot be read is not asked for again: the caller handles the other meaning.
        """
        pending = out.state.pending
        key = normalize(text)
        if isinstance(pending, Confirm):
            return self._at_confirm(out, pending.spec, text, key, reading, now)
        if isinstance(pending, ConfirmCancelAll):
            return self._cancel_answer(out, key, reading, lambda: self.cancel_all(out, now))
        if isinstance(pending, ConfirmCancel):
            rid = pending.reminder_id
            view = self._owned(out, rid)
            verb = "stop" if view is not None and kind_of(view.kind).repeats else "cancel"
            return self._cancel_answer(out, key, reading, lambda: self._act(out, verb, rid, now))
        if isinstance(pending, AskRepayDay):
            day = self._parse_day(text)
            days = days_before_in(text)
            if day is not None and days is not None and 1 <= days <= 7:
                pending = AskRepayDay(pending.spec.but(days_before=days))
            if self._by_debit(out, text, situation, pending.spec, day, now):
                return True  # 「口座振替で地方銀行から」: the fixed day; 「口座振替です」: which bank (asked once)
            if day is not None:
                self._confirm(out, self._repay_spec(day, situation, pending.spec), now)
            elif len(key) <= 15 and (
                _DAY_UNKNOWN.search(key) or (reading.top.intent == "dont_know" and reading.top.score >= ANSWER_MIN)
            ):
                self._day_unknown(out, pending.spec)
                return True
            elif not elsewhere:
                self._ask_repay_day(out, texts.ASK_REPAY_DAY_AGAIN, pending.spec)
            return day is not None or not elsewhere
        if isinstance(pending, AskDebit):
            return self._at_debit(out, pending.spec, text, key, reading, situation, now, elsewhere)
        if isinstance(pending, AskDaysBefore):
            match = re.fullmatch(r"(\d)\s*(?:日前?)?", clean(text))
            days = int(match.group(1)) if match else days_before_in(text)
            if days is not None and 1 <= days <= 7:
                self._confirm(out, pending.spec.but(days_before=days), now)
                return True
            if days is not None:
                self._ask_days(out, pending.spec, texts.ASK_DAYS_AGAIN)
                return True
            if not elsewhere:
                self._ask_days(out, pending.spec, texts.ASK_DAYS_AGAIN)
            return not elsewhere
        if isinstance(pending, AskRepayTime):
            clock = parse_clock(text)
            if (
                clock is not None
                and 1 <= clock.hour <= 6
                and not re.search(r"午前|朝|あさ|夜中|深夜|am|:", clean(text).lower())
            ):
                # 「2時」 for a repayment reminder is the afternoon; the confirmation shows 14:00 to check.
                clock = clock.replace(hour=clock.hour + 12)
            if clock is not None:
                self._confirm(out, pending.spec.but(time=format_time(clock).zfill(5)), now)
                return True
            if not elsewhere:
                self._ask_time(out, pending.spec, texts.ASK_TIME_AGAIN)
            return not elsewhere
        if isinstance(pending, AskWhen):
            top = reading.top
            if key in PLAIN_NO:
                # 「いいえ」 to 「明日の10時にしますか？」: not that moment; the task stays, the question too.
                self.repeat_question(out, now)
                return True
            if pending.options and (key in YES or (top.intent == "yes" and top.score >= ANSWER_MIN)):
                if len(pending.options) > 1:
                    # 「はい」 to 「今夜の20:00と明日の8:00の、どちらにしますか？」 does not say which.
                    self._offer_again(out, pending, now)
                    return True
                # 「はい」 to 「明日の10時にしますか？」: the one moment proposed.
                at = datetime.fromisoformat(pending.options[0]).astimezone(self.tz)
                self._when_given(out, pending.spec, When("once", at=at), now)
                return True
            picked = self._half_of_day(key, pending.options)
            if picked is not None:
                # 「夜中」 「午後の方」 to 「2時は、午後2時ですか？ 夜中の2時ですか？」: one of the two shown.
                self._when_given(out, pending.spec, When("once", at=picked), now)
                return True
            parsed = parse_when(text, now.astimezone(self.tz))
            if parsed is None:
                return False
            self._when_given(out, pending.spec, parsed, now)
            return True
        if isinstance(pending, AskTask | AskWhat) and self._short_answer(key, reading):
            # 「はい」 or 「いいえ」 is no task: a no leaves the set-up, a yes hears the question again.
            if key in NO or reading.top.intent in ("no", "quit"):
                self._control(out, "no", now)
            else:
                self.repeat_question(out, now)
            return True
        if isinstance(pending, AskTask):
            if self.detect(out, text, situation, now, stage="free", explicit=True):
                return True
            what = task_of(text)
            if elsewhere or not what:
                return False
            # A task without a time: keep it and ask when.
            self._ask_when(out, texts.ASK_FREE_WHEN, self._task_spec(what, situation), now)
            return True
        # A call is a task like any other here (「プロミスコールに電話する」), not a request for the call step.
        elsewhere = elsewhere and reading.top.intent != "call"
        if isinstance(pending, AskWhat):
            what = task_of(text)
            if not what or elsewhere:
                return False
            if pending.rule:
                spec = Spec("repeat", rule=pending.rule, what=what[:100])
            else:
                spec = self._task_spec(what, situation).but(at=pending.at)
            self._confirm(out, spec, now)
            return True
        return False

    def _at_confirm(self, out: Outcome, spec: Spec, text: str, key: str, reading: Reading, now: datetime) -> bool:
        """Typed text at 「この内容で設定しますか？」: a yes, a no, a change, or a question again."""
        if key in YES:
            self._control(out, "yes", now)
            return True
        if key in NO:
            self._control(out, "no", now)
            return True
        fixed_day = self.flow.repayment.get("debit_day")
        if spec.kind == "repay" and fixed_day and debit_in(text, self.flow.repayment["own_bank_words"]) == "other":
            # 「口座振替で地銀からだった」: the fixed day, the draft's lead and time kept.
            self._confirm(out, spec.but(due_day=fixed_day), now, lead=self._debit_fixed_line())
            return True
        fixed = correction(text)
        if fixed is not None and self._correct(out, spec, fixed, now):
            return True
        swap = SWAP.search(clean(text))
        if swap and spec.kind == "free" and swap["old"] in spec.what and parse_when(swap["new"], now) is None:
            # 「電話じゃなくてメール」: the task with that word replaced.
            new = re.sub(r"(?:で|に|にして|です|でした|だった|でお願い(?:します)?)$", "", swap["new"].strip())
            if new:
                self._confirm(out, spec.but(what=spec.what.replace(swap["old"], new)[:100]), now)
                return True
        if is_wrong(key):
            # 「ちがう」: something is to be changed, not the whole set-up dropped.
            if spec.kind in ("free", "visit"):
                self._control(out, "when", now)
            else:
                self._confirm(out, spec, now, lead=texts.CONFIRM_WHAT_TO_CHANGE)
            return True
        answer = yes_no(key, reading, ANSWER_MIN)
        if answer in ("yes", "no"):
            self._control(out, answer, now)
        elif answer == "unsure" or key in HESITATION:
            self._confirm(out, spec, now, lead=texts.CONFIRM_UNSURE)
        else:
            return False
        return True

    def _correct(self, out: Outcome, spec: Spec, fixed: Correction, now: datetime) -> bool:
        """A new time, day or lead given at the confirmation: the draft changed and confirmed again."""
        if spec.kind == "repay":
            if fixed.day is not None:
                self._confirm(out, spec.but(due_day=fixed.day), now)
                return True
            if fixed.days_before is None and fixed.clock is None:
                return False
            if fixed.days_before is not None and not 1 <= fixed.days_before <= 7:
                self._ask_days(out, spec, texts.ASK_DAYS_AGAIN)
                return True
            changed = spec.but(days_before=fixed.days_before) if fixed.days_before is not None else spec
            if fixed.clock is not None:
                changed = changed.but(time=format_time(fixed.clock).zfill(5))
            self._confirm(out, changed, now)
            return True
        if spec.kind not in ("free", "visit") or fixed.days_before is not None:
            return False
        draft = datetime.fromisoformat(spec.at).astimezone(self.tz) if spec.at else None
        if draft is not None and (fixed.shift is not None or fixed.half):
            if fixed.shift is not None:
                moved = draft + fixed.shift
            else:
                hours = (
                    12
                    if fixed.half == "pm" and draft.hour < 12
                    else -12
                    if fixed.half == "am" and draft.hour >= 12
                    else 0
                )
                moved = draft + timedelta(hours=hours)
            self._when_given(out, spec, When("once", at=moved), now)
            return True
        if fixed.clock is not None and draft is not None:
            # 「11時で」: the same day at the new time.
            at = datetime.combine(draft.date(), fixed.clock, self.tz)
            self._when_given(out, spec, When("once", at=at), now)
            return True
        parsed = parse_when(fixed.text, now.astimezone(self.tz))
        if parsed is None:
            return False
        if isinstance(parsed, When) and parsed.at is not None and parsed.clock is None and draft is not None:
            # 「やっぱり明後日で」: the new day at the time already chosen.
            parsed = When("once", at=datetime.combine(parsed.at.date(), draft.timetz()))
        self._when_given(out, spec, parsed, now)
        return True

    def by_name(self, out: Outcome, text: str, now: datetime) -> bool:
        """「ジムのやつやめたい」 「電話のリマインダーを11時に変えて」: a reminder named with what to do.

        One fits: a cancel asks to confirm (nothing is cancelled on a guess), a change with a new time
        goes to the confirmation, without one it asks for the time. Several fit: which one? None
        named but reminders spoken of: the list. No reminders at all: said so.
        """
        ref = named_reminder(text, out.reminders)
        if ref is None:
            return False
        matches = ref.matches
        node = self.flow.nodes.get(out.state.node or "")
        if not matches and ref.recent and not ref.general and (node is not None and not node.is_final):
            return False  # 「やっぱりやめる」 in the middle of a diagnosis: leaving it, not a reminder
        if not matches and ref.recent and out.reminders:
            matches = (max(out.reminders, key=lambda r: r.id),)  # 「さっきの」: the newest
        if len(matches) == 1:
            self._on_named(out, ref.verb, matches[0], text, now)
        elif matches:
            head = texts.CANCEL_WHICH if ref.verb == "cancel" else texts.CHANGE_WHICH
            self._list(out, now, head=head, only=matches)
        elif len(out.reminders) == 1 and ref.general:
            self._on_named(out, ref.verb, out.reminders[0], text, now)  # 「お知らせもういらない」: the only one
        elif out.reminders:
            self._list(out, now, head=texts.CANCEL_WHICH if ref.verb == "cancel" else texts.CHANGE_WHICH)
        else:
            self._list(out, now)  # none set: says so, with what can be set
        return True

    def change_newest(self, out: Outcome, text: str, now: datetime) -> bool:
        """A correction right after a reminder was saved (「やっぱり11時で」): the one just saved changes."""
        fixed = correction(text)
        if fixed is None or not out.reminders:
            return False
        view = max(out.reminders, key=lambda r: r.id)
        if view.kind == "repay":
            spec = Spec("repay", due_day=view.due_day, days_before=view.days_before, replace=view.id)
            spec = spec.but(time=format_time(view.time_of_day).zfill(5))
        elif view.kind in ("free", "visit") and view.at is not None:
            spec = Spec(view.kind, what=view.what, reason=view.reason, at=utc_stamp(view.at), replace=view.id)
        elif view.kind == "repeat" and view.rule is not None and fixed.clock is not None:
            # 「時間を20時半にしたい」 right after 「毎日21時に薬」: the same days at the new time.
            rule = dataclasses.replace(view.rule, clock=fixed.clock)
            self._confirm(out, Spec("repeat", rule=rule.to_json(), what=view.what, replace=view.id), now)
            return True
        else:
            return False
        return self._correct(out, spec, fixed, now)

    def _on_named(
        self, out: Outcome, verb: str, view: ReminderView, text: str, now: datetime, number: int | None = None
    ) -> None:
        if verb == "cancel":
            out.state.pending = ConfirmCancel(view.id)
            stop = "stop" if kind_of(view.kind).repeats else "cancel"
            choices = (
                Choice("取り消す", ReminderOp(stop, view.id)),
                Choice("取り消さない", SetupControl("no")),
                Choice("日時を変える", ReminderOp("change", view.id)),
            )
            head = texts.CANCEL_NUMBERED.format(number=number) if number else texts.CANCEL_THIS
            out.replies.append(Reply(f"{head}\n{describe(view, now)}", choices))
            return
        local = now.astimezone(self.tz)
        body = numerals_to_digits(clean(text))
        clock, spans = clock_in(body)
        parsed = parse_when(body, local)
        only_clock = clock is not None and parse_when(task_without(body, spans), local) is None
        if view.kind == "repeat" and view.rule is not None and only_clock and clock is not None:
            # 「ジムを21時に変えて」: the same days at the new time.
            rule = dataclasses.replace(view.rule, clock=clock)
            self._confirm(out, Spec("repeat", rule=rule.to_json(), what=view.what, replace=view.id), now)
            return
        day = _NEW_DAY.search(body)
        if view.kind == "repay" and day is not None:
            # 「返済日を28日に変えて」: the new day is in the sentence, so the confirmation comes next.
            due = MONTH_END if day.group(2) else int(day.group(1))
            if 1 <= due <= 31:
                spec = Spec("repay", due_day=due, days_before=view.days_before, replace=view.id)
                self._confirm(out, spec.but(time=format_time(view.time_of_day).zfill(5)), now)
                return
        if view.kind == "repeat" or view.kind == "repay" or parsed is None:
            self._act(out, "change", view.id, now)
            return
        spec = Spec(view.kind, what=view.what, reason=view.reason, replace=view.id)
        if clock is not None and view.at is not None and parse_when(task_without(body, spans), local) is None:
            # 「11時に変えて」: the same day at the new time.
            at = datetime.combine(view.at.date(), clock, view.at.tzinfo)
            self._when_given(out, spec, When("once", at=at), now)
        elif isinstance(parsed, When) and parsed.at is not None and parsed.clock is None and view.at is not None:
            # 「明後日に変えて」: the new day at the same time.
            self._when_given(out, spec, When("once", at=datetime.combine(parsed.at.date(), view.at.timetz())), now)
        else:
            self._when_given(out, spec, parsed, now)

    def _half_of_day(self, key: str, options: tuple[str, ...]) -> datetime | None:
        """The one of two proposed moments (one before noon, one after) that words like 「夜中」 or
        「午後」 point to; None when the text is no such word or the proposals are not such a pair."""
        moments = [datetime.fromisoformat(o).astimezone(self.tz) for o in options]
        morning = [m for m in moments if m.hour < 12]
        later = [m for m in moments if m.hour >= 12]
        if len(moments) != 2 or len(morning) != 1 or len(later) != 1 or len(key) > 12:
            return None
        if any(w in key for w in _MORNING_WORDS):  # before 夜: 夜中 is the small hours
            return morning[0]
        if any(w in key for w in _LATER_WORDS):
            return later[0]
        return None

    @staticmethod
    def _short_answer(key: str, reading: Reading) -> bool:
        """A yes or no given where a task was asked for (short, and read as such with confidence)."""
        if key in YES or key in NO:
            return True
        top = reading.top
        return len(key) <= 12 and top.intent in ("yes", "no", "quit") and top.score >= SHORT_ANSWER_MIN

    def repeat_question(self, out: Outcome, now: datetime) -> bool:
        """Ask again the set-up question the user is in (after a resume or a misunderstanding)."""
        pending = out.state.pending
        if isinstance(pending, Confirm):
            self._confirm(out, pending.spec, now)
        elif isinstance(pending, AskRepayDay):
            self._ask_repay_day(out, texts.ASK_REPAY_DAY, pending.spec)
        elif isinstance(pending, AskDebit):
            self._ask_debit(out, pending.spec)
        elif isinstance(pending, AskDaysBefore):
            self._ask_days(out, pending.spec)
        elif isinstance(pending, AskRepayTime):
            self._ask_time(out, pending.spec)
        elif isinstance(pending, AskWhen):
            message = texts.ASK_VISIT_WHEN if pending.spec.kind == "visit" else texts.ASK_FREE_WHEN
            self._ask_when(out, message, pending.spec, now)
        elif isinstance(pending, AskTask) and pending.what:
            message = texts.ASK_REPEAT_CHANGE.format(what=pending.what)
            out.replies.append(Reply(message, (Choice(texts.LABEL_QUIT, SetupControl("no")),)))
        elif isinstance(pending, AskTask):
            self.ask_task(out)
        elif isinstance(pending, AskWhat) and pending.rule:
            self._ask_what_repeat(out, Rule.from_json(pending.rule))
        elif isinstance(pending, AskWhat) and pending.at:
            self.ask_what(out, datetime.fromisoformat(pending.at), now)
        elif isinstance(pending, ConfirmCancelAll):
            self.confirm_cancel_all(out, now)
        elif isinstance(pending, ConfirmCancel) and (view := self._owned(out, pending.reminder_id)) is not None:
            self._on_named(out, "cancel", view, "", now)
        else:
            return False
        return True

    def _cancel_answer(self, out: Outcome, key: str, reading: Reading, cancel: Callable[[], None]) -> bool:
        """A typed answer to 「取り消しますか？」: a yes (or the words of the request) cancels, a no keeps;
        anything else leaves the question (False), so a later 「はい」 cancels nothing."""
        answer = yes_no(key, reading, ANSWER_MIN)
        if answer == "yes" or any(w in key for w in ("取り消", "とりけ", "消して", "けして", "やめて", "キャンセル")):
            cancel()
        elif answer in ("no", "unsure") or key in PLAIN_NO:
            out.state.pending = None
            out.replies.append(Reply(texts.NOT_CANCELLED, self.host.menu_choices()))
        else:
            out.state.pending = None
            return False
        return True

    def cancel_at(self, out: Outcome, number: int, now: datetime) -> None:
        """「1番目のを消して」: the reminder at that place in the list last shown (named before it goes)."""
        shown = [a.reminder_id for _l, v in out.state.offered if isinstance(a := decode(v), ReminderOp)]
        order = [r for rid in shown if (r := self._owned(out, rid)) is not None] or list(out.reminders)[:MAX_LISTED]
        index = len(order) - 1 if number == -1 else number - 1
        if not 0 <= index < len(order):
            self._list(out, now, head=texts.NO_SUCH_REMINDER)
            return
        self._on_named(out, "cancel", order[index], "", now, number=index + 1)

    def confirm_cancel_all(self, out: Outcome, now: datetime) -> None:
        """「リマインダー全部消して」: every reminder, named, asked once (the rest of the record stays)."""
        reminders = list(out.reminders)
        if len(reminders) <= 1:
            if reminders:
                self._on_named(out, "cancel", reminders[0], "", now)
            else:
                self._list(out, now)
            return
        out.state.pending = ConfirmCancelAll()
        lines = [texts.CANCEL_ALL_CONFIRM.format(count=len(reminders))]
        lines += [f"No.{i} {describe(r, now)}" for i, r in enumerate(reminders[:MAX_LISTED], 1)]
        choices = (
            Choice(texts.LABEL_CANCEL_ALL, Command("cancel_all_yes")),
            Choice("取り消さない", SetupControl("no")),
        )
        out.replies.append(Reply("\n".join(lines), choices))

    def cancel_all(self, out: Outcome, now: datetime) -> None:
        """Every reminder of the user cancelled (after the yes); nothing else of them is touched."""
        if not isinstance(out.state.pending, ConfirmCancelAll):
            self.host.stale(out)
            return
        out.state.pending = None
        for view in out.reminders:
            out.effects.append(CancelReminder(view.id))
        out.replies.append(Reply(texts.ALL_CANCELLED.format(count=len(out.reminders)), self.host.menu_choices()))

    def picked(self, out: Outcome, at: datetime | None, situation: Situation, now: datetime) -> None:
        """LINE's date picker: a moment for the "when" question, or a stale picker."""
        if at is not None and isinstance(out.state.pending, AskWhen):
            self.on_remind_at(out, RemindAt(at), situation, now)
        else:
            self.host.stale(out)

    def ask_task(self, out: Outcome) -> None:
        """Ask for a reminder's date and task together."""
        out.state.pending = AskTask()
        out.replies.append(Reply(texts.ASK_FREE_WHAT, (Choice(texts.LABEL_QUIT, SetupControl("no")),)))

    # ------------------------------------------------------------------ reading reminders in text

    def detect(
        self, out: Outcome, text: str, situation: Situation, now: datetime, stage: str, explicit: bool = False
    ) -> bool:
        """Reminders asked for in free text: "返済日は25日" (stage "repay"), "明日10時に電話" ("free").

        ``explicit``: the user asked for a reminder, so a time alone is kept and the task asked for.
        """
        key = normalize(text)
        if stage == "repay":
            debit = debit_in(text, self.flow.repayment.get("own_bank_words", ()))
            if not (any(w in key for w in _REPAY_WORDS) or debit) or any(w in key for w in LATE_WORDS):
                return False
            parsed = parse_when(text, now.astimezone(self.tz))
            if isinstance(parsed, When) and parsed.kind == "monthly":
                day = parsed.day
            else:
                # 「3日前」 is a lead, not a day.
                body = numerals_to_digits(clean(text))
                # 「25日じゃなくて27日」: the day after the negation, when one is there.
                corrected = after_negation(body)
                match = re.search(r"(\d{1,2})\s*日(?!\s*前)", corrected) or re.search(r"(\d{1,2})\s*日(?!\s*前)", body)
                day = int(match.group(1)) if match else (MONTH_END if "末" in text else None)
            fixed = self.flow.repayment.get("debit_day") if debit == "other" else None
            if fixed is None and debit == "debit" and day is None and self.flow.repayment.get("debit_day"):
                self._ask_debit(out, Spec("repay"))  # which bank it is decides the day
                return True
            if debit == "own" and day is None:
                self._ask_repay_day(out, texts.ASK_REPAY_DAY, Spec("repay"))  # from those banks the day was chosen
                return True
            day = fixed or day
            if day is None or not 1 <= day <= 31:
                return False
            spec = self._repay_spec(day, situation)
            # 「返済日は27日で、前日の夜8時に」: the lead and the time said with it are kept.
            days = days_before_in(text)
            lead = self._debit_fixed_line() if fixed else ""
            if days is not None and 1 <= days <= 7:
                spec = spec.but(days_before=days)
            elif days is not None and days > 7:
                # Said, not silently changed.
                spec, lead = spec.but(days_before=7), "\n".join(x for x in (lead, texts.REPAY_LEAD_MAX) if x)
            clock, _spans = clock_in(numerals_to_digits(clean(text)))
            if clock is not None:
                spec = spec.but(time=format_time(clock).zfill(5))
            self._confirm(out, spec, now, lead=lead)
            return True
        carry = out.state.pending if isinstance(out.state.pending, AskTask) else None
        if self._detect_repeat(out, text, now, explicit, carry):
            return True
        parsed = parse_when(text, now.astimezone(self.tz))
        if carry is not None and carry.what and isinstance(parsed, When | WhenAsk) and not parsed.rest:
            # Changing a reminder: a new time alone keeps its task (and replaces it when saved).
            self._when_given(out, Spec("free", what=carry.what, replace=carry.replace), parsed, now)
            return True
        if parsed is None and explicit:
            # 「電話するのリマインドして」: the task is kept and only the time asked for.
            what = task_of(text)
            if what and not _META.search(what):
                self._ask_when(out, texts.ASK_FREE_WHEN, self._task_spec(what, situation), now)
                return True
        joined = re.search(r"(?:時|分|日|\d|旬|週|月|後|け|頭|末|曜|午|方|夜|朝|\)|）)\s*(?:に|、|,|\s)", clean(text))
        if isinstance(parsed, WhenError):
            # "<when>に<what>" with a date that cannot be: say why (a bare past date is just chat).
            if not (explicit or joined):
                return False
            if parsed.rest or explicit:
                # The set-up goes on: the task is kept and only a new time is asked for.
                spec = self._task_spec(parsed.rest, situation) if parsed.rest else Spec("free")
                self._ask_when(out, _WHEN_ERRORS[parsed.reason], spec, now)
            else:
                out.replies.append(Reply(_WHEN_ERRORS[parsed.reason], self.host.menu_choices()))
            return True
        if isinstance(parsed, WhenAsk):
            if not (explicit or (joined and parsed.rest)):
                return False
            spec = self._task_spec(parsed.rest, situation) if parsed.rest else Spec("free")
            self._when_given(out, spec, parsed, now)
            return True
        if parsed is None or parsed.kind == "monthly":
            return False
        if not parsed.rest:
            if explicit and parsed.at is not None:
                self.ask_what(out, parsed.at, now)
                return True
            return False
        # "<when>に<what>": the time expression must be joined to a task, else it is just chat
        # (今日はいい天気ですね, 朝からログインできない).
        if not explicit and (parsed.joined_by not in ("に", "、", ",", " ") or parsed.rest.startswith("から")):
            return False
        self._when_given(out, self._task_spec(parsed.rest, situation), parsed, now)
        return True

    def _detect_repeat(
        self, out: Outcome, text: str, now: datetime, explicit: bool, carry: AskTask | None = None
    ) -> bool:
        """ "毎週金曜の夜8時に電話": a repeating reminder, confirmed with its next two occurrences."""
        read = parse_rule(text, now.astimezone(self.tz))
        if read is None:
            return False
        if read.rule is None:
            message = texts.WHEN_WHICH_WEEKDAY if read.error == "weekday" else texts.REPEAT_INVALID
            out.replies.append(Reply(message, self.host.menu_choices()))
            return True
        replace = carry.replace if carry is not None else None
        what = read.rest or (carry.what if carry is not None else "")
        if not what:
            if not explicit:
                return False
            self._ask_what_repeat(out, read.rule)
            return True
        self._confirm(out, Spec("repeat", rule=read.rule.to_json(), what=what[:100], replace=replace), now)
        return True

    def _task_spec(self, what: str, situation: Situation) -> Spec:
        """A free reminder's spec, or a visit's when the task is going to the machine or the counter."""
        if any(w in what for w in _VISIT_WORDS):
            return Spec("visit", reason=situation.cause if situation.cause in _VISIT_CAUSES else "")
        return Spec("free", what=what[:100])

    # ------------------------------------------------------------------ asking

    def _ask_repay_day(self, out: Outcome, message: str, spec: Spec) -> None:
        out.state.pending = AskRepayDay(spec)
        choices = [Choice(f"{d}日", RepayDay(d)) for d in (5, 15, 25)] + [Choice("末日", RepayDay(MONTH_END))]
        choices.append(Choice(texts.LABEL_DAY_UNKNOWN, SetupControl("unknown_day")))
        out.replies.append(Reply(message, (*choices, Choice(texts.LABEL_MENU, Command("menu")))))

    # ------------------------------------------------------------------ repayment: automatic debit

    def _banks(self) -> str:
        """The lender's own banks, as one phrase (「三井住友銀行・PayPay銀行」)."""
        return "・".join(self.flow.repayment.get("own_banks", ()))

    def _debit_fixed_line(self) -> str:
        """Why the day is the fixed one: automatic debit from another bank."""
        return texts.DEBIT_FIXED.format(banks=self._banks(), day=self.flow.repayment["debit_day"])

    def _ask_debit(self, out: Outcome, spec: Spec) -> None:
        """The day is not known: is it an automatic debit from another bank (then the day is fixed)?"""
        out.state.pending = AskDebit(spec.but(debit_asked=True))
        message = texts.ASK_DEBIT.format(banks=self._banks(), day=self.flow.repayment["debit_day"])
        choices = (
            Choice(texts.LABEL_DEBIT_YES, SetupControl("debit")),
            Choice(texts.LABEL_DEBIT_NO, SetupControl("no_debit")),
            Choice(texts.LABEL_QUIT, SetupControl("no")),
        )
        out.replies.append(Reply(message, choices))

    def _day_unknown(self, out: Outcome, spec: Spec) -> None:
        """「わからない」 to the repayment day: the debit question once (when the lender fixes a debit
        day), else where the day can be found."""
        if self.flow.repayment.get("debit_day") and not spec.debit_asked:
            self._ask_debit(out, spec)
        else:
            name = self.flow.lender.get("name", "")
            self._ask_repay_day(out, texts.ASK_REPAY_DAY_UNKNOWN.format(name=name), spec)

    def _debit_day(self, out: Outcome, spec: Spec, situation: Situation, now: datetime) -> None:
        """Automatic debit from another bank: the fixed day, said with its reason, then confirmed."""
        day = self.flow.repayment["debit_day"]
        self._confirm(out, self._repay_spec(day, situation, spec), now, lead=self._debit_fixed_line())

    def _repay_day_control(self, out: Outcome, verb: str, situation: Situation, now: datetime) -> bool:
        """The buttons of the repayment day's questions: 「わからない」, and the debit question's answers."""
        pending = out.state.pending
        if verb == "unknown_day" and isinstance(pending, AskRepayDay):
            self._day_unknown(out, pending.spec)
        elif verb == "debit" and isinstance(pending, AskDebit):
            self._debit_day(out, pending.spec, situation, now)
        elif verb == "no_debit" and isinstance(pending, AskDebit):
            self._day_unknown(out, pending.spec)
        else:
            return False
        return True

    def _by_debit(
        self, out: Outcome, text: str, situation: Situation, spec: Spec, day: int | None, now: datetime
    ) -> bool:
        """A debit said while the day is asked: from another bank, the fixed day; without the bank and
        without a day, the debit question (once). False when the text says neither."""
        if not self.flow.repayment.get("debit_day"):
            return False
        debit = debit_in(text, self.flow.repayment.get("own_bank_words", ()))
        if debit == "other":
            self._debit_day(out, spec, situation, now)
            return True
        if debit == "debit" and day is None and not spec.debit_asked:
            self._ask_debit(out, spec)
            return True
        return False

    def _at_debit(
        self,
        out: Outcome,
        spec: Spec,
        text: str,
        key: str,
        reading: Reading,
        situation: Situation,
        now: datetime,
        elsewhere: bool,
    ) -> bool:
        """Typed text at the debit question: a day, another bank (or a yes), our banks (or a no)."""
        day = self._parse_day(text)
        if day is not None:
            self._confirm(out, self._repay_spec(day, situation, spec), now)
            return True
        debit = debit_in(text, self.flow.repayment.get("own_bank_words", ()), asked=True)
        answer = yes_no(key, reading, ANSWER_MIN)
        if debit == "other" or (debit is None and answer == "yes") or debit == "debit":
            # 「口座振替です」 to 「…以外の銀行口座からの口座振替ですか？」 says yes to the question asked.
            self._debit_day(out, spec, situation, now)
        elif debit == "own" or answer == "no" or key in PLAIN_NO or _DAY_UNKNOWN.search(key):
            self._day_unknown(out, spec)
        elif not elsewhere:
            self._ask_debit(out, spec)
        else:
            return False
        return True

    def _ask_days(self, out: Outcome, spec: Spec, message: str = texts.ASK_DAYS_BEFORE) -> None:
        out.state.pending = AskDaysBefore(spec)
        choices = tuple(Choice(f"{n}日前", DaysBefore(n)) for n in (1, 2, 3, 5, 7))
        out.replies.append(Reply(message, (*choices, Choice(texts.LABEL_QUIT, SetupControl("no")))))

    def _ask_time(self, out: Outcome, spec: Spec, message: str = texts.ASK_TIME) -> None:
        out.state.pending = AskRepayTime(spec)
        out.replies.append(Reply(message, (Choice(texts.LABEL_QUIT, SetupControl("no")),)))

    def _ask_when(self, out: Outcome, message: str, spec: Spec, now: datetime) -> None:
        out.state.pending = AskWhen(spec.but(at=None))
        local = now.astimezone(self.tz)
        tomorrow = local.date() + timedelta(days=1)
        options = [datetime.combine(tomorrow, time(10, 0), self.tz), datetime.combine(tomorrow, time(18, 0), self.tz)]
        saturday = local.date() + timedelta(days=(5 - local.weekday()) % 7 or 7)
        options.append(datetime.combine(saturday, time(10, 0), self.tz))
        if saturday == tomorrow:
            # On a Friday tomorrow is Saturday: the same moment is not offered twice.
            options[-1] = datetime.combine(saturday + timedelta(days=1), time(10, 0), self.tz)
        choices = [
            Choice(f"{format_date(o.date())} {format_time(o.time())}", RemindAt(datetime.fromisoformat(utc_stamp(o))))
            for o in options
        ]
        out.replies.append(Reply(message, (*choices, Choice(texts.LABEL_MENU, Command("menu"))), ask="datetime"))

    def ask_what(self, out: Outcome, at: datetime, now: datetime) -> None:
        """A time without a task: ask what to remind about (the time is kept)."""
        out.state.pending = AskWhat(at=utc_stamp(at))
        when = format_datetime(at.astimezone(self.tz), now.astimezone(self.tz).date())
        out.replies.append(Reply(texts.ASK_WHAT.format(when=when), (Choice(texts.LABEL_QUIT, SetupControl("no")),)))

    def _ask_what_repeat(self, out: Outcome, rule: Rule) -> None:
        out.state.pending = AskWhat(rule=rule.to_json())
        message = texts.ASK_WHAT.format(when=rule.describe())
        out.replies.append(Reply(message, (Choice(texts.LABEL_QUIT, SetupControl("no")),)))

    # ------------------------------------------------------------------ specs and confirmation

    def _repay_spec(self, day: int, situation: Situation, base: Spec | None = None) -> Spec:
        time_of_day = (base.time if base else "") or situation.reminder_time or "09:00"
        # A repayment day already recorded means a set-up was saved before: the lender's mail was mentioned then.
        noted = situation.due_day is not None
        if base is not None and base.kind == "repay":
            return base.but(due_day=day, time=time_of_day, mail_noted=base.mail_noted or noted)
        return Spec("repay", due_day=day, time=time_of_day, mail_noted=noted)

    def _when_given(self, out: Outcome, spec: Spec, parsed: When | WhenError | WhenAsk, now: datetime) -> None:
        if isinstance(parsed, WhenAsk):
            self._when_question(out, spec, parsed, now)
        elif isinstance(parsed, WhenError):
            self._ask_when(out, _WHEN_ERRORS[parsed.reason], spec, now)
        elif parsed.kind == "monthly" or parsed.at is None:
            self._ask_when(out, texts.WHEN_MONTHLY_ONCE, spec, now)
        elif parsed.at <= now:
            self._ask_when(out, texts.WHEN_PAST, spec, now)
        elif spec.kind == "free" and not spec.what:
            self.ask_what(out, parsed.at, now)  # the time came first (「10時にリマインドして」)
        else:
            self._confirm(out, spec.but(at=utc_stamp(parsed.at)), now)

    def ask_about(self, out: Outcome, ask: WhenAsk, now: datetime) -> None:
        """A time alone that needs a question first (「2時」): ask it; the task is asked after."""
        self._when_question(out, Spec("free"), ask, now)

    def _when_question(self, out: Outcome, spec: Spec, ask: WhenAsk, now: datetime) -> None:
        """Ask about a time phrase instead of guessing; proposed moments come as choices."""
        local_today = now.astimezone(self.tz).date()
        labels: list[str] = []
        if ask.reason == "tomorrow" and ask.options:
            clock = format_time(ask.options[0].timetz())
            message = texts.WHEN_TOMORROW.format(time=clock)
            labels = [f"明日の{clock}"]
        elif ask.reason == "tonight" and len(ask.options) == 2:
            evening, morning = (format_time(o.astimezone(self.tz).time()) for o in ask.options)
            message = texts.WHEN_TONIGHT.format(
                said=_hour_said(ask.options[1].astimezone(self.tz).time()), time=morning, evening=evening
            )
            labels = [_label(o.astimezone(self.tz), local_today) for o in ask.options]
        elif ask.reason == "ampm" and len(ask.options) == 2:
            afternoon, night = (o.astimezone(self.tz).time() for o in ask.options)
            said = _hour_said(night)
            # 5時 and 6時 are early morning, 1時 to 4時 the middle of the night.
            night_word = "朝" if night.hour >= 5 else "夜中"
            message = texts.WHEN_AMPM.format(
                said=said, pm=format_time(afternoon), am=format_time(night), night=night_word
            )
            labels = [_label(o.astimezone(self.tz), local_today) for o in ask.options]
        elif ask.reason == "weekday" and ask.options:
            days = [o.astimezone(self.tz).date() for o in ask.options]
            labels = [format_date(d, local_today) for d in days]
            if len(days) == 2 and re.search(r"\d\s*(?:/|月)", ask.understood):
                written = f"{days[0].month}月{days[0].day}日"
                message = texts.WHEN_WEEKDAY.format(day=written, weekday=WEEKDAYS[days[0].weekday()])
            else:
                message = texts.WHEN_WHICH_ONE.format(understood=ask.understood)
        else:
            message = _WHEN_QUESTIONS.get(ask.reason, texts.WHEN_PART_UNREAD).format(understood=ask.understood)
        # Every moment shown is kept: 「はい」 takes it when it is the only one, else the choices come again.
        proposed = tuple(utc_stamp(o) for o in ask.options[: len(labels)])
        out.state.pending = AskWhen(spec.but(at=None), proposed)
        choices = [Choice(label[:20], RemindAt(o)) for label, o in zip(labels, ask.options, strict=False)]
        out.replies.append(Reply(message, (*choices, Choice(texts.LABEL_QUIT, SetupControl("no"))), ask="datetime"))

    def _offer_again(self, out: Outcome, pending: AskWhen, now: datetime) -> None:
        """The moments a question proposed, as choices again (a yes did not say which one)."""
        today = now.astimezone(self.tz).date()
        moments = [datetime.fromisoformat(o).astimezone(self.tz) for o in pending.options]
        choices = [Choice(_label(m, today)[:20], RemindAt(datetime.fromisoformat(utc_stamp(m)))) for m in moments]
        choices.append(Choice(texts.LABEL_QUIT, SetupControl("no")))
        out.replies.append(Reply(texts.WHEN_PICK_ONE, tuple(choices), ask="datetime"))

    def _confirm(self, out: Outcome, spec: Spec, now: datetime, lead: str = "") -> None:
        lines = ([lead] if lead else []) + kind_of(spec.kind).confirm_lines(spec, now, self.tz, self.flow)
        if (
            spec.kind == "repay"
            and spec.replace is None
            and not spec.mail_noted
            and self.flow.repayment.get("mail_opt_in")
        ):
            # Once per new repayment reminder: the lender's own mail needs the member service, which a
            # locked-out person cannot reach; this bot's reminder does not.
            lines.append(texts.REPAY_MAIL_NOTE.format(name=self.flow.lender.get("name", "")))
            spec = spec.but(mail_noted=True)
        out.state.pending = Confirm(spec)
        controls = [Choice("はい、設定する", SetupControl("yes"))]
        if spec.kind == "repay":
            controls += [Choice("日数を変える", SetupControl("days")), Choice("時刻を変える", SetupControl("time"))]
        else:
            controls.append(Choice("日時を変える", SetupControl("when")))
        lines.append(texts.CONFIRM_QUESTION)
        out.replies.append(Reply("\n".join(lines), (*controls, Choice("やめる", SetupControl("no")))))

    def _control(self, out: Outcome, verb: str, now: datetime) -> None:
        pending = out.state.pending
        if verb == "no" and isinstance(pending, ConfirmCancel | ConfirmCancelAll):
            out.state.pending = None
            out.replies.append(Reply(texts.NOT_CANCELLED, self.host.menu_choices()))
            return
        if verb == "no" and self.in_progress(out):
            # "やめる" works at every step of a set-up, not only at the confirmation.
            out.state.pending = None
            out.replies.append(Reply(texts.CANCELLED_SETUP, self.host.menu_choices()))
            return
        if not isinstance(pending, Confirm):
            self.host.stale(out)
            return
        spec = pending.spec
        if verb == "yes":
            out.state.pending = None
            out.state.just_saved = True
            out.effects.append(SaveReminder(spec.kind, kind_of(spec.kind).fields(spec, self.tz.key), spec.replace))
            if spec.kind == "repay":
                out.effects.append(RecordFacts({"due_day": spec.due_day, "reminder_time": spec.time}))
            out.replies.append(Reply(texts.SAVED, self.host.menu_choices()))
        elif verb == "days" and spec.kind == "repay":
            self._ask_days(out, spec)
        elif verb == "time" and spec.kind == "repay":
            self._ask_time(out, spec)
        elif verb == "when" and spec.kind == "repeat":
            self.ask_task(out)
        elif verb == "when" and spec.kind != "repay":
            message = texts.ASK_VISIT_WHEN if spec.kind == "visit" else texts.ASK_FREE_WHEN
            self._ask_when(out, message, spec, now)
        else:
            self.host.stale(out)

    # ------------------------------------------------------------------ list and actions

    def _owned(self, out: Outcome, reminder_id: int) -> ReminderView | None:
        """The user's own reminder; anyone else's looks exactly like a missing one."""
        return next((r for r in out.reminders if r.id == reminder_id), None)

    def _list(
        self, out: Outcome, now: datetime, head: str = texts.REMINDERS_HEAD, only: tuple[ReminderView, ...] = ()
    ) -> None:
        out.state.pending = None
        reminders = list(only or out.reminders)[:MAX_LISTED]
        if not reminders:
            offers = (
                Choice("返済日のお知らせを設定", Command("remind_repay")),
                Choice("来店のお知らせを設定", Command("remind_visit")),
                Choice(texts.LABEL_MENU, Command("menu")),
            )
            out.replies.append(Reply(texts.REMINDERS_EMPTY, offers))
            return
        lines = [head] + [f"{listed_mark(i, len(reminders))}{describe(r, now)}" for i, r in enumerate(reminders, 1)]
        choices = [Choice(short_label(r), ReminderOp("open", r.id)) for r in reminders[:5]]
        out.replies.append(Reply("\n".join(lines), (*choices, Choice(texts.LABEL_MENU, Command("menu")))))

    def _act(self, out: Outcome, verb: str, reminder_id: int, now: datetime) -> None:
        view = self._owned(out, reminder_id)
        if view is None:
            out.replies.append(Reply(texts.REMINDER_NOT_FOUND, self.host.menu_choices()))
            return
        out.state.pending = None
        kind = kind_of(view.kind)
        local_now = now.astimezone(self.tz)
        if verb == "open":
            choices = (
                Choice("日時を変える", ReminderOp("change", view.id)),
                # A repeating or repayment reminder asks first: this one only, or all of them.
                Choice("取り消す", ReminderOp("stop" if kind.repeats else "cancel", view.id)),
                Choice("一覧に戻る", Command("reminders")),
            )
            out.replies.append(Reply(describe(view, now), choices))
        elif verb == "cancel" or (verb == "stop" and not kind.repeats):
            out.effects.append(CancelReminder(view.id))
            out.replies.append(Reply(texts.REMINDER_CANCELLED, self.host.menu_choices()))
        elif verb == "stop":
            choices = (
                Choice("今回の分だけ止める", ReminderOp("skip", view.id)),
                Choice("今後すべて止める", ReminderOp("cancel", view.id)),
                Choice(texts.LABEL_MENU, Command("menu")),
            )
            out.replies.append(Reply(texts.STOP_WHICH, choices))
        elif verb == "skip" and kind.repeats:
            out.effects.append(CompleteReminder(view.id))
            message = texts.SKIPPED_REPAY if view.kind == "repay" else texts.SKIPPED_ONE
            out.replies.append(Reply(message, self.host.menu_choices()))
        elif verb in ("s1h", "s1d"):
            if verb == "s1h":
                until = (now + timedelta(hours=1)).replace(second=0, microsecond=0)
            else:
                clock = view.at.astimezone(view.tz).time() if view.at else view.time_of_day
                until = datetime.combine(local_now.date() + timedelta(days=1), clock, view.tz)
            out.effects.append(SnoozeReminder(view.id, until))
            when = format_datetime(until.astimezone(self.tz), local_now.date())
            out.replies.append(Reply(f"{when}にもう一度お知らせします。", self.host.menu_choices()))
        elif verb == "done":
            out.effects.append(CompleteReminder(view.id))
            if view.kind == "visit":
                out.effects.append(RecordFacts({"visit_done_at": utc_stamp(now)}))
                message = texts.VISIT_DONE
            else:
                message = {"repay": texts.REPAY_DONE, "repeat": texts.REPEAT_DONE}.get(view.kind, texts.FREE_DONE)
            out.replies.append(Reply(message, self.host.menu_choices()))
        elif verb == "change":
            if view.kind == "repay":
                spec = Spec(
                    "repay", replace=view.id, days_before=view.days_before, time=format_time(view.time_of_day).zfill(5)
                )
                self._ask_repay_day(out, texts.ASK_REPAY_DAY, spec)
            elif view.kind == "repeat":
                out.state.pending = AskTask(what=view.what, replace=view.id)
                message = texts.ASK_REPEAT_CHANGE.format(what=view.what)
                out.replies.append(Reply(message, (Choice(texts.LABEL_QUIT, SetupControl("no")),)))
            else:
                spec = Spec(view.kind, what=view.what, reason=view.reason, replace=view.id)
                message = texts.ASK_VISIT_WHEN if view.kind == "visit" else texts.ASK_FREE_WHEN
                self._ask_when(out, message, spec, now)
        else:
            self.host.stale(out)

    @staticmethod
    def _parse_day(text: str) -> int | None:
        body = numerals_to_digits(clean(text))
        # 「返済日は毎月27日です」: the day with the words people put around it.
        body = re.sub(r"^(?:返済日|へんさいび|支払日|約定日)?\s*(?:は|が|:)?\s*", "", body)
        body = re.sub(r"(?:です|でした|だよ|だ|かな|くらい|ぐらい|ごろ|頃|になります|ね|よ|[。!！\s])+$", "", body)
        if any(w in body for w in _MONTH_END_WORDS):
            return MONTH_END
        match = _DAY.fullmatch(body.removeprefix("毎月"))
        if match and 1 <= int(match.group(1)) <= 31:
            return int(match.group(1))
        return None


def _label(moment: datetime, today: date) -> str:
    """A choice's label: 「今日の14:00」「今夜の20:00」「明日の2:00」, or the date for a day further on."""
    days = (moment.date() - today).days
    clock = format_time(moment.time())
    word = {0: "今夜" if moment.hour >= 18 else "今日", 1: "明日", 2: "明後日"}.get(days)
    return f"{word}の{clock}" if word else f"{format_date(moment.date(), today)} {clock}"


def _hour_said(moment: time) -> str:
    """The hour as people write it: 2:00 -> 「2時」, 2:30 -> 「2時半」, 2:15 -> 「2時15分」."""
    minutes = "" if moment.minute == 0 else "半" if moment.minute == 30 else f"{moment.minute}分"
    return f"{moment.hour}時{minutes}"
