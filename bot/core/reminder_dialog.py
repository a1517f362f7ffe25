"""Setting up, listing, changing and acting on reminders inside the conversation.

The dialog keeps what it is asking for in ``state.pending``: ``{"ask": ..., "spec": {...}}`` while a
value is missing, ``{"confirm": spec}`` while the bot waits for the user to approve the exact date
and time it repeated back. Nothing is saved before that approval.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.core import texts
from bot.core.actions import Command, DaysBefore, RemindAt, ReminderOp, RepayDay, SetupControl
from bot.core.jptime import (
    WEEKDAYS,
    When,
    WhenAsk,
    WhenError,
    format_date,
    format_datetime,
    format_time,
    parse_clock,
    parse_when,
    task_of,
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
from bot.core.recurrence import Rule, first_two, parse_rule
from bot.core.reminders import (
    ReminderView,
    describe,
    due_day_text,
    moved_note,
    short_label,
    visit_eve,
    visit_warnings,
)
from bot.core.repayment import MONTH_END, next_repay_fire
from bot.core.situation import Situation
from bot.core.textnorm import clean, normalize
from bot.core.understanding import Reading

if TYPE_CHECKING:
    from bot.core.conversation import Outcome
    from bot.core.flow import Flow

_DAY = re.compile(r"(\d{1,2})\s*日?")
_MONTH_END_WORDS = ("末日", "月末", "末", "最終日", "まつじつ", "げつまつ")
_REPAY_WORDS = ("返済", "へんさい", "支払", "しはらい", "約定日")
_LATE_WORDS = ("遅れ", "おくれ", "延滞", "滞納", "忘れ")
_YES = {normalize(w) for w in "はい うん ok okay yes お願いします おねがいします 設定 設定する それで".split()}
_NO = {normalize(w) for w in "いいえ いや no やめる やめます キャンセル 中止 取り消し".split()}
# A short answer read by the classifier counts from this confidence on (the question gives context).
ANSWER_MIN = 0.3
_WHEN_ERRORS = {
    "past": texts.WHEN_PAST,
    "invalid_date": texts.WHEN_INVALID_DATE,
    "invalid_time": texts.WHEN_INVALID_TIME,
    "unparsed": texts.WHEN_UNPARSED,
}
MAX_LISTED = 8
# A task about going to the machine or the counter makes a visit reminder (ID list, hours).
_VISIT_WORDS = ("自動契約機", "契約機", "来店", "店頭", "窓口", "再発行", "むじんくん", "お店に行", "店に行")


class ReminderDialog:
    """Mixin for :class:`~bot.core.conversation.Conversation` (uses its flow, tz and helpers)."""

    # Provided by the conversation that mixes this in.
    tz: ZoneInfo
    flow: Flow

    def _stale(self, out: Outcome) -> None:
        raise NotImplementedError

    def _menu_choices(self) -> tuple[Choice, ...]:
        raise NotImplementedError

    # ------------------------------------------------------------------ entry points

    def reminder_action(self, out: Outcome, action: str, situation: Situation, now: datetime) -> bool:
        """Run a reminder action ("remind_repay", "remind_visit", "reminders"); False if not one."""
        if action == "remind_repay":
            if situation.due_day:
                self._confirm(out, self._repay_spec(situation.due_day, situation), now)
            else:
                self._ask_repay_day(out, texts.ASK_REPAY_DAY, {"kind": "repay"})
            return True
        if action == "remind_visit":
            reason = situation.cause if situation.cause in ("locked", "forgot_pin", "lost_card") else ""
            self._ask_when(out, texts.ASK_VISIT_WHEN, {"kind": "visit", "reason": reason}, now)
            return True
        if action == "reminders":
            self._list(out, now)
            return True
        if action == "cancel_reminder":
            self._list(out, now, head=texts.CANCEL_WHICH)
            return True
        if action == "remind_free":
            self.ask_free(out)
            return True
        return False

    def on_repay_day(self, out: Outcome, action: RepayDay, situation: Situation, now: datetime) -> None:
        """The repayment day was picked."""
        pending = out.state.pending
        # Only a repayment set-up in progress is continued; anything else starts a fresh one.
        spec = pending.get("spec") if (pending.get("spec") or {}).get("kind") == "repay" else None
        self._confirm(out, self._repay_spec(action.day, situation, spec), now)

    def on_days_before(self, out: Outcome, action: DaysBefore, situation: Situation, now: datetime) -> None:
        """How many days before: only while a repayment reminder with a due day is being set up."""
        pending = out.state.pending
        spec = pending.get("spec") or pending.get("confirm") or {}
        if spec.get("kind") == "repay" and spec.get("due_day"):
            self._confirm(out, {**spec, "days_before": action.days}, now)
        else:
            self._stale(out)

    def on_remind_at(self, out: Outcome, action: RemindAt, situation: Situation, now: datetime) -> None:
        """A proposed date was picked: only while asking when a visit or free reminder should arrive."""
        pending = out.state.pending
        spec = pending.get("spec") if pending.get("ask") == "when" else None
        if not spec or spec.get("kind") not in ("visit", "free"):
            self._stale(out)
        else:
            self._when_given(out, spec, When("once", at=action.at.astimezone(self.tz)), now)

    def on_setup_control(self, out: Outcome, action: SetupControl, situation: Situation, now: datetime) -> None:
        """Yes / no / change something at a reminder set-up."""
        self._confirm_control(out, action.verb, now)

    def on_reminder_op(self, out: Outcome, action: ReminderOp, situation: Situation, now: datetime) -> None:
        """Open, cancel, snooze, complete or change one of the user's reminders."""
        self._act(out, action.verb, action.reminder_id, now)

    def setup_in_progress(self, out: Outcome) -> bool:
        """True while a reminder set-up waits for a value or an approval."""
        return "ask" in out.state.pending or "confirm" in out.state.pending

    def reminder_text(
        self, out: Outcome, text: str, reading: Reading, situation: Situation, now: datetime, elsewhere: bool
    ) -> bool:
        """Typed text while the dialog waits for a value; False when the text is not an answer to it.

        ``elsewhere``: the text confidently means something else (a command, a cause); then a value
        that cannot be read is not asked for again: the caller handles the other meaning.
        """
        pending = out.state.pending
        key = normalize(text)
        if "confirm" in pending:
            top = reading.top
            if key in _YES or (top.intent == "yes" and top.score >= ANSWER_MIN):
                self._confirm_control(out, "yes", now)
                return True
            if key in _NO or (top.intent in ("no", "quit") and top.score >= ANSWER_MIN):
                self._confirm_control(out, "no", now)
                return True
            return False
        ask = pending.get("ask")
        spec = dict(pending.get("spec") or {})
        if ask == "repay_day":
            day = self._parse_day(text)
            if day is not None:
                self._confirm(out, self._repay_spec(day, situation, spec), now)
            elif not elsewhere:
                self._ask_repay_day(out, texts.ASK_REPAY_DAY_AGAIN, spec)
            return day is not None or not elsewhere
        if ask == "repay_days":
            match = re.fullmatch(r"(\d)\s*(?:日前?)?", clean(text))
            if match and 1 <= int(match.group(1)) <= 7:
                self._confirm(out, {**spec, "days_before": int(match.group(1))}, now)
                return True
            if not elsewhere:
                self._ask_days(out, spec, texts.ASK_DAYS_AGAIN)
            return not elsewhere
        if ask == "repay_time":
            clock = parse_clock(text)
            if clock is not None:
                self._confirm(out, {**spec, "time": format_time(clock).zfill(5)}, now)
                return True
            if not elsewhere:
                self._ask_time(out, spec, texts.ASK_TIME_AGAIN)
            return not elsewhere
        if ask == "when":
            parsed = parse_when(text, now.astimezone(self.tz))
            if parsed is None:
                return False
            self._when_given(out, spec, parsed, now)
            return True
        if ask == "free":
            if self.detect_reminder(out, text, situation, now, stage="free", explicit=True):
                return True
            if elsewhere:
                return False
            # A task without a time: keep it and ask when.
            what = task_of(text)
            if what:
                self._ask_when(out, texts.ASK_FREE_WHEN, self._task_spec(what, situation), now)
                return True
            return False
        if ask == "what":
            what = task_of(text)
            if not what or elsewhere:
                return False
            if pending.get("rule"):
                spec = {"kind": "repeat", "rule": pending["rule"], "what": what[:100]}
            else:
                spec = {**self._task_spec(what, situation), "at": pending["at"]}
            self._confirm(out, spec, now)
            return True
        return False

    def _task_spec(self, what: str, situation: Situation) -> dict[str, Any]:
        """A free reminder's spec, or a visit's when the task is going to the machine or the counter."""
        if any(w in what for w in _VISIT_WORDS):
            reason = situation.cause if situation.cause in ("locked", "forgot_pin", "lost_card") else ""
            return {"kind": "visit", "reason": reason}
        return {"kind": "free", "what": what[:100]}

    def repeat_setup_question(self, out: Outcome, now: datetime) -> bool:
        """Ask again the set-up question the user is in (after a resume or a misunderstanding)."""
        pending = out.state.pending
        spec = dict(pending.get("spec") or {})
        if "confirm" in pending:
            self._confirm(out, dict(pending["confirm"]), now)
        elif pending.get("ask") == "repay_day":
            self._ask_repay_day(out, texts.ASK_REPAY_DAY, spec)
        elif pending.get("ask") == "repay_days":
            self._ask_days(out, spec)
        elif pending.get("ask") == "repay_time":
            self._ask_time(out, spec)
        elif pending.get("ask") == "when":
            message = texts.ASK_VISIT_WHEN if spec.get("kind") == "visit" else texts.ASK_FREE_WHEN
            self._ask_when(out, message, spec, now)
        elif pending.get("ask") == "free":
            self.ask_free(out)
        elif pending.get("ask") == "what" and pending.get("rule"):
            self._ask_what_repeat(out, Rule.from_json(pending["rule"]))
        elif pending.get("ask") == "what":
            self._ask_what(out, datetime.fromisoformat(pending["at"]), now)
        else:
            return False
        return True

    def ask_free(self, out: Outcome) -> None:
        """Ask for a free reminder's date and task together."""
        out.state.pending = {"ask": "free"}
        out.replies.append(Reply(texts.ASK_FREE_WHAT, (Choice(texts.LABEL_QUIT, SetupControl("no")),)))

    def _ask_what(self, out: Outcome, at: datetime, now: datetime) -> None:
        """A time without a task: ask what to remind about (the time is kept)."""
        out.state.pending = {"ask": "what", "at": utc_stamp(at)}
        when = format_datetime(at.astimezone(self.tz), now.astimezone(self.tz).date())
        out.replies.append(Reply(texts.ASK_WHAT.format(when=when), (Choice(texts.LABEL_QUIT, SetupControl("no")),)))

    def _ask_what_repeat(self, out: Outcome, rule: Rule) -> None:
        out.state.pending = {"ask": "what", "rule": rule.to_json()}
        message = texts.ASK_WHAT.format(when=rule.describe())
        out.replies.append(Reply(message, (Choice(texts.LABEL_QUIT, SetupControl("no")),)))

    def _detect_repeat(self, out: Outcome, text: str, now: datetime, explicit: bool) -> bool:
        """ "毎週金曜の夜8時に電話": a repeating reminder, confirmed with its next two occurrences."""
        read = parse_rule(text, now.astimezone(self.tz))
        if read is None:
            return False
        if read.rule is None:
            out.replies.append(Reply(texts.REPEAT_INVALID, self._menu_choices()))
            return True
        if not read.rest:
            if not explicit:
                return False
            self._ask_what_repeat(out, read.rule)
            return True
        self._confirm(out, {"kind": "repeat", "rule": read.rule.to_json(), "what": read.rest[:100]}, now)
        return True

    def detect_reminder(
        self, out: Outcome, text: str, situation: Situation, now: datetime, stage: str, explicit: bool = False
    ) -> bool:
        """Reminders asked for in free text: "返済日は25日" (stage "repay"), "明日10時に電話" ("free").

        ``explicit``: the user asked for a reminder, so a time alone is kept and the task asked for.
        """
        key = normalize(text)
        if stage == "repay":
            if not any(w in key for w in _REPAY_WORDS) or any(w in key for w in _LATE_WORDS):
                return False
            parsed = parse_when(text, now.astimezone(self.tz))
            day = None
            if isinstance(parsed, When) and parsed.kind == "monthly":
                day = parsed.day
            else:
                match = re.search(r"(\d{1,2})\s*日", clean(text))
                day = int(match.group(1)) if match else (MONTH_END if "末" in text else None)
            if day is None or not 1 <= day <= 31:
                return False
            self._confirm(out, self._repay_spec(day, situation), now)
            return True
        if self._detect_repeat(out, text, now, explicit):
            return True
        parsed = parse_when(text, now.astimezone(self.tz))
        joined = re.search(r"(?:時|分|日|\d|旬|週|月|後|け|頭|末|曜|午|方|夜|朝|\)|）)\s*(?:に|、|,|\s)", clean(text))
        if isinstance(parsed, WhenError):
            # "<when>に<what>" with a date that cannot be: say why (a bare past date is just chat).
            if explicit or joined:
                out.replies.append(Reply(_WHEN_ERRORS[parsed.reason], self._menu_choices()))
                return True
            return False
        if isinstance(parsed, WhenAsk):
            if not (explicit or (joined and parsed.rest)):
                return False
            spec = self._task_spec(parsed.rest, situation) if parsed.rest else {"kind": "free", "what": ""}
            self._when_given(out, spec, parsed, now)
            return True
        if parsed is None or parsed.kind == "monthly":
            return False
        if not parsed.rest:
            if explicit and parsed.at is not None:
                self._ask_what(out, parsed.at, now)
                return True
            return False
        # "<when>に<what>": the time expression must be joined to a task, else it is just chat
        # (今日はいい天気ですね, 朝からログインできない).
        if not explicit and (parsed.joined_by not in ("に", "、", ",", " ") or parsed.rest.startswith("から")):
            return False
        self._when_given(out, self._task_spec(parsed.rest, situation), parsed, now)
        return True

    # ------------------------------------------------------------------ asking

    def _ask_repay_day(self, out: Outcome, message: str, spec: dict[str, Any]) -> None:
        out.state.pending = {"ask": "repay_day", "spec": spec}
        choices = [Choice(f"{d}日", RepayDay(d)) for d in (5, 15, 25)] + [Choice("末日", RepayDay(MONTH_END))]
        out.replies.append(Reply(message, (*choices, Choice(texts.LABEL_MENU, Command("menu")))))

    def _ask_days(self, out: Outcome, spec: dict[str, Any], message: str = texts.ASK_DAYS_BEFORE) -> None:
        out.state.pending = {"ask": "repay_days", "spec": spec}
        choices = tuple(Choice(f"{n}日前", DaysBefore(n)) for n in (1, 2, 3, 5, 7))
        out.replies.append(Reply(message, (*choices, Choice(texts.LABEL_QUIT, SetupControl("no")))))

    def _ask_time(self, out: Outcome, spec: dict[str, Any], message: str = texts.ASK_TIME) -> None:
        out.state.pending = {"ask": "repay_time", "spec": spec}
        out.replies.append(Reply(message, (Choice(texts.LABEL_QUIT, SetupControl("no")),)))

    def _ask_when(self, out: Outcome, message: str, spec: dict[str, Any], now: datetime) -> None:
        out.state.pending = {"ask": "when", "spec": spec}
        local = now.astimezone(self.tz)
        tomorrow = local.date() + timedelta(days=1)
        options = [datetime.combine(tomorrow, time(10, 0), self.tz), datetime.combine(tomorrow, time(18, 0), self.tz)]
        saturday = local.date() + timedelta(days=(5 - local.weekday()) % 7 or 7)
        options.append(datetime.combine(saturday, time(10, 0), self.tz))
        choices = [
            Choice(f"{format_date(o.date())} {format_time(o.time())}", RemindAt(datetime.fromisoformat(utc_stamp(o))))
            for o in options
        ]
        out.replies.append(Reply(message, (*choices, Choice(texts.LABEL_MENU, Command("menu"))), ask="datetime"))

    # ------------------------------------------------------------------ specs and confirmation

    def _repay_spec(self, day: int, situation: Situation, base: dict[str, Any] | None = None) -> dict[str, Any]:
        base = base or {}
        return {
            "kind": "repay",
            "due_day": day,
            "days_before": base.get("days_before", 3),
            "time": base.get("time") or situation.reminder_time or "09:00",
            "replace": base.get("replace"),
        }

    def _when_given(
        self, out: Outcome, spec: dict[str, Any], parsed: When | WhenError | WhenAsk, now: datetime
    ) -> None:
        if isinstance(parsed, WhenAsk):
            self._when_question(out, spec, parsed, now)
        elif isinstance(parsed, WhenError):
            self._ask_when(out, _WHEN_ERRORS[parsed.reason], spec, now)
        elif parsed.kind == "monthly" or parsed.at is None:
            self._ask_when(out, texts.WHEN_MONTHLY_ONCE, spec, now)
        elif parsed.at <= now:
            self._ask_when(out, texts.WHEN_PAST, spec, now)
        else:
            self._confirm(out, {**spec, "at": utc_stamp(parsed.at)}, now)

    def _when_question(self, out: Outcome, spec: dict[str, Any], ask: WhenAsk, now: datetime) -> None:
        """Ask about a time phrase instead of guessing; proposed moments come as choices."""
        local_today = now.astimezone(self.tz).date()
        if ask.reason == "tomorrow" and ask.options:
            clock = format_time(ask.options[0].timetz())
            message = texts.WHEN_TOMORROW.format(time=clock)
            labels = [f"明日の{clock}"]
        elif ask.reason == "weekday" and len(ask.options) == 2:
            day, by_weekday = (o.astimezone(self.tz).date() for o in ask.options)
            message = texts.WHEN_WEEKDAY.format(day=format_date(day, local_today), weekday=WEEKDAYS[day.weekday()])
            labels = [format_date(day, local_today), format_date(by_weekday, local_today)]
        else:
            template = {
                "day": texts.WHEN_WHICH_DAY,
                "vague": texts.WHEN_VAGUE,
                "repeat": texts.WHEN_REPEAT,
            }.get(ask.reason, texts.WHEN_PART_UNREAD)
            message = template.format(understood=ask.understood)
            labels = []
        out.state.pending = {"ask": "when", "spec": spec}
        choices = [Choice(label[:20], RemindAt(o)) for label, o in zip(labels, ask.options, strict=False)]
        out.replies.append(Reply(message, (*choices, Choice(texts.LABEL_QUIT, SetupControl("no"))), ask="datetime"))

    def _confirm(self, out: Outcome, spec: dict[str, Any], now: datetime) -> None:
        out.state.pending = {"confirm": spec}
        local_now = now.astimezone(self.tz)
        lines: list[str] = []
        controls = [Choice("はい、設定する", SetupControl("yes"))]
        if spec["kind"] == "repay":
            clock = time.fromisoformat(spec["time"])
            fire = next_repay_fire(spec["due_day"], spec["days_before"], clock, self.tz, now)
            lines.append(f"返済日は{due_day_text(spec['due_day'])}ですね。")
            lines.append(f"返済期日の{spec['days_before']}日前と当日の{format_time(clock)}にお知らせします。")
            lines.append(
                f"次のお知らせ：{format_datetime(fire.fire_at, local_now.date())}"
                f"（返済期日 {format_date(fire.real, local_now.date())}）"
            )
            note = moved_note(fire.nominal, fire.real)
            if note:
                lines.append(note)
            lines.append("※期日が土日祝・年末年始（12/31〜1/3）にあたるときは、翌営業日を期日として計算します。")
            controls += [Choice("日数を変える", SetupControl("days")), Choice("時刻を変える", SetupControl("time"))]
        elif spec["kind"] == "repeat":
            rule = Rule.from_json(spec["rule"])
            lines.append(f"{rule.describe()}に「{spec['what']}」をお知らせします。")
            lines.append(first_two(rule, now, self.tz))
            controls.append(Choice("日時を変える", SetupControl("when")))
        else:
            at = datetime.fromisoformat(spec["at"]).astimezone(self.tz)
            when = format_datetime(at, local_now.date())
            if spec["kind"] == "visit":
                lines.append(f"{when}に、本人確認書類を持って自動契約機へ行く予定をお知らせします。")
                eve = visit_eve(at)
                if eve is not None and eve > now:
                    lines.append(texts.VISIT_EVE.format(when=format_time(eve.time())))
                lines.extend(visit_warnings(at))
            else:
                lines.append(f"{when}に「{spec['what']}」をお知らせします。")
                lines.extend(self._call_note(spec.get("what") or "", at))
            controls.append(Choice("日時を変える", SetupControl("when")))
        lines.append(texts.CONFIRM_QUESTION)
        out.replies.append(Reply("\n".join(lines), (*controls, Choice("やめる", SetupControl("no")))))

    def _call_note(self, what: str, at: datetime) -> list[str]:
        """A gentle note when a call is planned for a time nobody answers that number."""
        for contact in self.flow.contacts.values():
            if any(w in what for w in contact.call_words) and not contact.staffed(at):
                return [texts.CALL_OUTSIDE_HOURS.format(name=contact.name, hours=contact.hours)]
        return []

    def _confirm_control(self, out: Outcome, arg: str, now: datetime) -> None:
        if arg == "no" and out.state.pending:
            # "やめる" works at every step of a set-up, not only at the confirmation.
            out.state.pending = {}
            out.replies.append(Reply(texts.CANCELLED_SETUP, self._menu_choices()))
            return
        spec = out.state.pending.get("confirm")
        if not spec:
            self._stale(out)
            return
        if arg == "yes":
            out.state.pending = {}
            out.effects.append(self._save_effect(spec))
            if spec["kind"] == "repay":
                out.effects.append(RecordFacts({"due_day": spec["due_day"], "reminder_time": spec["time"]}))
            out.replies.append(Reply(texts.SAVED, self._menu_choices()))
        elif arg == "days" and spec["kind"] == "repay":
            self._ask_days(out, spec)
        elif arg == "time" and spec["kind"] == "repay":
            self._ask_time(out, spec)
        elif arg == "when" and spec["kind"] == "repeat":
            self.ask_free(out)
        elif arg == "when" and spec["kind"] != "repay":
            message = texts.ASK_VISIT_WHEN if spec["kind"] == "visit" else texts.ASK_FREE_WHEN
            self._ask_when(out, message, {k: v for k, v in spec.items() if k != "at"}, now)
        elif arg == "no":
            out.state.pending = {}
            out.replies.append(Reply(texts.CANCELLED_SETUP, self._menu_choices()))
        else:
            self._stale(out)

    def _save_effect(self, spec: dict[str, Any]) -> SaveReminder:
        tz = self.tz.key
        if spec["kind"] == "repay":
            fields = {
                "due_day": spec["due_day"],
                "days_before": spec["days_before"],
                "time_of_day": spec["time"],
                "tz": tz,
            }
        elif spec["kind"] == "visit":
            fields = {"at": spec["at"], "reason": spec.get("reason") or "", "tz": tz}
        elif spec["kind"] == "repeat":
            fields = {"rule": spec["rule"], "what": spec.get("what") or "", "tz": tz}
        else:
            fields = {"at": spec["at"], "what": spec.get("what") or "", "tz": tz}
        return SaveReminder(spec["kind"], fields, spec.get("replace"))

    # ------------------------------------------------------------------ list and actions

    def _owned(self, out: Outcome, reminder_id: int) -> ReminderView | None:
        """The user's own reminder; anyone else's looks exactly like a missing one."""
        return next((r for r in out.reminders if r.id == reminder_id), None)

    def _list(self, out: Outcome, now: datetime, head: str = texts.REMINDERS_HEAD) -> None:
        out.state.pending = {}
        reminders = list(out.reminders)[:MAX_LISTED]
        if not reminders:
            offers = (
                Choice("返済リマインダーを設定", Command("remind_repay")),
                Choice("来店リマインダーを設定", Command("remind_visit")),
                Choice(texts.LABEL_MENU, Command("menu")),
            )
            out.replies.append(Reply(texts.REMINDERS_EMPTY, offers))
            return
        lines = [head] + [f"{i}. {describe(r, now)}" for i, r in enumerate(reminders, 1)]
        choices = [Choice(short_label(r)[:20], ReminderOp("open", r.id)) for r in reminders[:5]]
        out.replies.append(Reply("\n".join(lines), (*choices, Choice(texts.LABEL_MENU, Command("menu")))))

    def _act(self, out: Outcome, verb: str, reminder_id: int, now: datetime) -> None:
        view = self._owned(out, reminder_id)
        if view is None:
            out.replies.append(Reply(texts.REMINDER_NOT_FOUND, self._menu_choices()))
            return
        out.state.pending = {}
        local_now = now.astimezone(self.tz)
        if verb == "open":
            choices = (
                Choice("日時を変更する", ReminderOp("change", view.id)),
                Choice("取り消す", ReminderOp("cancel", view.id)),
                Choice("一覧に戻る", Command("reminders")),
            )
            out.replies.append(Reply(describe(view, now), choices))
        elif verb == "cancel":
            out.effects.append(CancelReminder(view.id))
            out.replies.append(Reply(texts.REMINDER_CANCELLED, self._menu_choices()))
        elif verb == "stop" and view.kind in ("repay", "repeat"):
            choices = (
                Choice("今回の分だけ止める", ReminderOp("skip", view.id)),
                Choice("今後すべて止める", ReminderOp("cancel", view.id)),
                Choice(texts.LABEL_MENU, Command("menu")),
            )
            out.replies.append(Reply(texts.STOP_WHICH, choices))
        elif verb == "stop":
            out.effects.append(CancelReminder(view.id))
            out.replies.append(Reply(texts.REMINDER_CANCELLED, self._menu_choices()))
        elif verb == "skip" and view.kind in ("repay", "repeat"):
            out.effects.append(CompleteReminder(view.id))
            out.replies.append(Reply(texts.SKIPPED_ONE, self._menu_choices()))
        elif verb in ("s1h", "s1d"):
            if verb == "s1h":
                until = (now + timedelta(hours=1)).replace(second=0, microsecond=0)
            else:
                clock = view.at.astimezone(view.tz).time() if view.at else view.time_of_day
                until = datetime.combine(local_now.date() + timedelta(days=1), clock, view.tz)
            out.effects.append(SnoozeReminder(view.id, until))
            when = format_datetime(until.astimezone(self.tz), local_now.date())
            out.replies.append(Reply(f"{when}にもう一度お知らせします。", self._menu_choices()))
        elif verb == "done":
            out.effects.append(CompleteReminder(view.id))
            if view.kind == "visit":
                out.effects.append(RecordFacts({"visit_done_at": utc_stamp(now)}))
                message = texts.VISIT_DONE
            else:
                message = texts.REPAY_DONE if view.kind == "repay" else texts.FREE_DONE
            out.replies.append(Reply(message, self._menu_choices()))
        elif verb == "change":
            if view.kind == "repay":
                spec = {"kind": "repay", "replace": view.id, "days_before": view.days_before}
                spec["time"] = format_time(view.time_of_day).zfill(5)
                self._ask_repay_day(out, texts.ASK_REPAY_DAY, spec)
            else:
                spec = {"kind": view.kind, "what": view.what, "reason": view.reason, "replace": view.id}
                message = texts.ASK_VISIT_WHEN if view.kind == "visit" else texts.ASK_FREE_WHEN
                self._ask_when(out, message, spec, now)
        else:
            self._stale(out)

    @staticmethod
    def _parse_day(text: str) -> int | None:
        body = clean(text)
        if any(w in body for w in _MONTH_END_WORDS):
            return MONTH_END
        match = _DAY.fullmatch(body.removeprefix("毎月"))
        if match and 1 <= int(match.group(1)) <= 31:
            return int(match.group(1))
        return None
