"""The repayment reminder: the monthly chain, N days before and on the due date. One per user and
lender (a new day replaces the old); saving it records the day in the situation; its own questions
(day, lead, time, automatic debit) are in :mod:`.repay_setup`.

A due date on a closed day moves to the next business day only for a lender whose rules say so
(``holiday_shift`` of its flow's ``[repayment]``); any other keeps the date, and the reminder says
softly to check with the lender."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.dates.jptime import clock_in, format_date, format_datetime, format_time, numerals_to_digits
from bot.core.diagnosis.flow import Flow
from bot.core.dialogue import texts
from bot.core.dialogue.actions import SetupControl
from bot.core.dialogue.messages import Choice, Effect, RecordFacts
from bot.core.dialogue.state import Outcome
from bot.core.lenders import repayment as rules
from bot.core.reminders.asking import confirm
from bot.core.reminders.host import Ctx
from bot.core.reminders.kinds import repay_setup as setup
from bot.core.reminders.kinds.base import Asker, Kind, PlannedSend, TextHandler
from bot.core.reminders.kinds.repay_day import parse_day
from bot.core.reminders.kinds.repay_talk import talk_at_confirm
from bot.core.reminders.model import ReminderView, due_day_text, moved_note
from bot.core.reminders.repayment import (
    MONTH_END,
    RepayFire,
    closed_reason,
    next_business_day,
    next_repay_fire,
    nominal_due,
)
from bot.core.reminders.setup_answers import Correction, correction, debit_in
from bot.core.reminders.setup_state import AskDaysBefore, AskDebit, AskRepayDay, AskRepayTime, Spec
from bot.core.situation.facts import Situation
from bot.core.understanding.textnorm import clean, normalize

# The lead and the day itself share one time, and the day itself is always sent (the model has one
# time and one lead): said plainly when asked otherwise.
SAME_TIME_BOTH = (
    "申し訳ありません。お知らせの時刻は、前もってのお知らせと当日とで別々にはできないため、どちらも{time}にしました。"
)
DAY_OF_KEPT = "返済日の当日のお知らせは外せないため、{days}日前と当日にお知らせします。"
# 「当日のだけ20時に」 「それと当日の朝8時にもお願い」: a time for the day itself, the lead kept.
_DAY_OF_ONLY = re.compile(r"当日(?:の)?(?:分|やつ|ほう|方)?(?:だけ|のみ)|当日[^。、]{0,10}?(?:に|で)も")
_DAY_OF_DROPPED = re.compile(
    r"当日(?:の)?(?:分|やつ|ほう|方)?(?:は|も)?(?:いらない|いらん|要らない|不要|なし|無し|なくていい)"
)


def _one_time_and_the_day(fixed: Correction, spec: Spec, said: str) -> tuple[str, int | None]:
    """「当日のだけ20時にして」: the time for both (the lead kept); 「当日はいらない。前日にして」: the
    lead taken, the day itself kept and said so. Else no lead, and the days the words say."""
    if fixed.clock is not None and _DAY_OF_ONLY.search(said):
        return SAME_TIME_BOTH.format(time=format_time(fixed.clock)), spec.days_before
    if fixed.days_before and _DAY_OF_DROPPED.search(said):
        return DAY_OF_KEPT.format(days=fixed.days_before), fixed.days_before
    return "", fixed.days_before


WEEKEND_KEPT = "時刻を変えました。お知らせの日が土日にあたるときも、その日にお届けします（平日だけにはできません）。"
# A new repayment day said with the change: 「28日に変えて」, 「末日にして」.
_NEW_DAY = re.compile(r"(?<![\d/])(\d{1,2})日(?!後|間|前)|(末日|月末)")


def lead_words(days_before: int) -> str:
    """「返済日の3日前と当日」, or 「返済日の当日」 when no notice comes before the day."""
    return "返済日の当日" if days_before == 0 else f"返済日の{days_before}日前と当日"


class Repay(Kind):
    """The monthly repayment chain: N days before and on the (business-day-adjusted) due date."""

    name = setup.NAME
    order = 10
    label = "返済日のお知らせ"
    restated = ("毎月", "まいつき", "月1", "月一", "つきいち")
    repeats = True
    done_label = "返済した"
    done_text = texts.REPAY_DONE
    skipped_text = texts.SKIPPED_REPAY
    commands = ("remind_repay",)
    command_labels = {"remind_repay": "返済日のお知らせを設定"}
    offer = ("返済日のお知らせを設定", "remind_repay")
    name_words = ("返済", "へんさい", "支払", "しはらい", "約定")
    slot_labels = {"before": "返済日の前", "day": "返済日の当日"}
    one_per_user = True
    about_lender = True
    records_due_day = True
    completes = "cycle"
    snooze_keeps_due = True
    value_states = (AskRepayDay, AskDebit, AskDaysBefore, AskRepayTime)

    # ------------------------------------------------------------------ set-up

    def start(self, ctx: Ctx, out: Outcome, command: str, situation: Situation, now: datetime) -> None:
        if situation.due_day and rules.accepts_day(ctx.flow.repayment, situation.due_day):
            confirm(ctx, out, setup.repay_spec(situation.due_day, situation), now)
        else:
            setup.ask_repay_day(ctx, out, texts.ASK_REPAY_DAY, Spec(self.name))

    def on_repay_day(self, ctx: Ctx, out: Outcome, day: int, situation: Situation, now: datetime) -> None:
        """A day picked: only a repayment set-up in progress is continued; else a fresh one starts."""
        pending = out.state.pending
        base = pending.spec if isinstance(pending, AskRepayDay) else None
        setup.confirm_day(ctx, out, setup.repay_spec(day, situation, base), now)

    def detect(self, ctx: Ctx, out: Outcome, text: str, situation: Situation, now: datetime, explicit: bool) -> bool:
        return setup.read_sentence(ctx, out, text, normalize(text), situation, now)

    def text_handlers(self) -> dict[type, TextHandler]:
        return {
            AskRepayDay: setup.on_day,
            AskDebit: setup.on_debit,
            AskDaysBefore: setup.on_days,
            AskRepayTime: setup.on_time,
        }

    def askers(self) -> dict[type, Asker]:
        return {
            AskRepayDay: lambda ctx, out, p, now: setup.ask_repay_day(ctx, out, texts.ASK_REPAY_DAY, p.spec),
            AskDebit: lambda ctx, out, p, now: setup.ask_debit(ctx, out, p.spec),
            AskDaysBefore: lambda ctx, out, p, now: setup.ask_days(ctx, out, p.spec),
            AskRepayTime: lambda ctx, out, p, now: setup.ask_time(ctx, out, p.spec),
        }

    def pending_control(self, ctx: Ctx, out: Outcome, verb: str, situation: Situation, now: datetime) -> bool:
        pending = out.state.pending
        if verb == "unknown_day" and isinstance(pending, AskRepayDay):
            setup.day_unknown(ctx, out, pending.spec)
        elif verb == "debit" and isinstance(pending, AskDebit):
            setup.debit_day(ctx, out, pending.spec, situation, now)
        elif verb == "no_debit" and isinstance(pending, AskDebit):
            setup.day_unknown(ctx, out, pending.spec)
        else:
            return False
        return True

    def on_days_before(self, ctx: Ctx, out: Outcome, spec: Spec, days: int, now: datetime) -> bool:
        if not spec.due_day:
            return False
        confirm(ctx, out, spec.but(days_before=days), now)
        return True

    # ------------------------------------------------------------------ confirmation

    def confirm_lines(self, spec: Spec, now: datetime, tz: ZoneInfo, flow: Flow) -> list[str]:
        clock = time.fromisoformat(spec.time)
        moves = rules.moves_on_holidays(flow.repayment)
        fire = next_repay_fire(spec.due_day or 1, spec.days_before, clock, tz, now, moves)
        if spec.skip_first:  # this month's is paid: the first reminder is the next month's
            after = datetime.combine(fire.real, time(23, 59), tz)
            fire = next_repay_fire(spec.due_day or 1, spec.days_before, clock, tz, max(after, now), moves)
        local_today = now.astimezone(tz).date()
        lines = [
            f"返済日は{due_day_text(spec.due_day or 1)}ですね。",
            f"{lead_words(spec.days_before)}、{format_time(clock)}にお知らせします。",
            f"次のお知らせ：{format_datetime(fire.fire_at, local_today)}（返済日 {format_date(fire.real, local_today)}）",
        ]
        note = moved_note(fire.nominal, fire.real)
        if note:
            lines.append(note)
        if moves:
            lines.append(texts.REPAY_SHIFT_NOTE)
        else:
            lines.append(texts.REPAY_NO_SHIFT_NOTE.format(name=flow.lender.get("name", "")))
        return lines

    def confirm_extra(self, ctx: Ctx, spec: Spec) -> tuple[list[str], Spec]:
        if spec.replace is not None or spec.mail_noted or not ctx.flow.repayment.get("mail_opt_in"):
            return [], spec
        # Once per new repayment reminder: the lender's own mail needs the member service, which a
        # locked-out person cannot reach; this bot's reminder does not.
        return [texts.REPAY_MAIL_NOTE.format(name=ctx.flow.lender.get("name", ""))], spec.but(mail_noted=True)

    def confirm_controls(self, spec: Spec) -> list[Choice]:
        return [Choice("日数を変える", SetupControl("days")), Choice("時刻を変える", SetupControl("time"))]

    def on_control(self, ctx: Ctx, out: Outcome, verb: str, spec: Spec, now: datetime) -> bool:
        if verb == "days":
            setup.ask_days(ctx, out, spec)
        elif verb == "time":
            setup.ask_time(ctx, out, spec)
        else:
            return False
        return True

    def at_confirm(self, ctx: Ctx, out: Outcome, spec: Spec, text: str, now: datetime) -> bool:
        if talk_at_confirm(ctx, out, spec, text, now):
            return True
        clock, _ = clock_in(text)
        if clock is not None and re.search(r"平日|へいじつ|土日|どにち|週末", text):
            # 「土日休みなんで平日の夜8時がいいです」: the time taken; days that fall on a weekend, said.
            confirm(ctx, out, spec.but(time=format_time(clock).zfill(5)), now, lead=WEEKEND_KEPT)
            return True
        said = parse_day(text) if not re.search(r"時|前|後|毎週|曜", text) else None
        if said is not None and said != spec.due_day and rules.accepts_day(ctx.flow.repayment, said):
            # 「調べたら27日だった」 「確認したら27日でした、すみません」: the day corrected, the rest kept.
            setup.confirm_day(ctx, out, spec.but(due_day=said), now)
            return True
        fixed_day = setup.debit_day_said(ctx, debit_in(text, ctx.flow.repayment.get("own_bank_words", ())))
        if fixed_day is None:
            return False
        # 「口座振替で地銀からだった」: the fixed day, the draft's lead and time kept.
        confirm(ctx, out, spec.but(due_day=fixed_day), now, lead=setup.debit_fixed_line(ctx))
        return True

    def correct(self, ctx: Ctx, out: Outcome, spec: Spec, fixed: Correction, now: datetime) -> bool:
        if fixed.day is not None:
            setup.confirm_day(ctx, out, spec.but(due_day=fixed.day), now)
            return True
        fixed = _half_as_clock(fixed, time.fromisoformat(spec.time))
        if fixed.days_before is None and fixed.clock is None:
            return False
        if fixed.days_before is not None and not 0 <= fixed.days_before <= 7:
            setup.ask_days(ctx, out, spec, texts.ASK_DAYS_AGAIN)
            return True
        lead, days = _one_time_and_the_day(fixed, spec, out.said)
        changed = spec.but(days_before=days) if days is not None else spec
        if fixed.clock is not None:
            changed = changed.but(time=format_time(fixed.clock).zfill(5))
        lead = lead or (setup.ONE_LEAD.format(days=changed.days_before) if fixed.several else "")
        confirm(ctx, out, changed, now, lead=lead)
        return True

    def fields(self, spec: Spec, tz: str) -> dict[str, Any]:
        return {"due_day": spec.due_day, "days_before": spec.days_before, "time_of_day": spec.time, "tz": tz}

    def saved_effects(self, spec: Spec) -> list[Effect]:
        return [RecordFacts({"due_day": spec.due_day, "reminder_time": spec.time})]

    # ------------------------------------------------------------------ a saved one

    def _changing(self, view: ReminderView, **values: Any) -> Spec:
        spec = Spec(self.name, days_before=view.days_before, replace=view.id, **values)
        return spec.but(time=format_time(view.time_of_day).zfill(5))

    def change(self, ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
        setup.ask_repay_day(ctx, out, texts.ASK_REPAY_DAY, self._changing(view))

    def change_in_words(self, ctx: Ctx, out: Outcome, view: ReminderView, text: str, now: datetime) -> None:
        day = _NEW_DAY.search(numerals_to_digits(clean(text)))
        due = (MONTH_END if day.group(2) else int(day.group(1))) if day is not None else 0
        fixed = correction(text) if not 1 <= due <= 31 else None
        if 1 <= due <= 31:
            # 「返済日を28日に変えて」: the new day is in the sentence, so the confirmation comes next.
            setup.confirm_day(ctx, out, self._changing(view, due_day=due), now)
        elif fixed is not None and self.correct(ctx, out, self._changing(view, due_day=view.due_day), fixed, now):
            pass  # 「返済のお知らせ、夜にしてほしい」 「前日の20時に」: the time or lead said
        else:
            self.change(ctx, out, view, now)

    def change_newest(self, ctx: Ctx, out: Outcome, view: ReminderView, fixed: Correction, now: datetime) -> bool:
        return self.correct(ctx, out, self._changing(view, due_day=view.due_day), fixed, now)

    # ------------------------------------------------------------------ the list and the sends

    def describe(self, view: ReminderView, now: datetime) -> str:
        # The delivery's own plan when it has one (a month skipped is not in it), else the rule's.
        nxt = (
            view.planned_at if view.planned_at is not None and view.planned_at > now else _next_fire(view, now).fire_at
        )
        return (
            f"返済日（{due_day_text(view.due_day or 1)}・{lead_words(view.days_before)[4:]} {format_time(view.time_of_day)}）"
            f" 次回 {format_datetime(nxt, now.astimezone(view.tz).date())}"
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
        if rules.moves_on_holidays(flow.repayment):
            nominal = _moved_from(real, view.due_day or 1)
            if nominal is not None:
                lines.append(moved_note(nominal, real))
        elif closed_reason(real):
            # Not known to move: the date is kept, and where to check it is said (nothing invented).
            name = flow.lender.get("name", "")
            lines.append(
                texts.REPAY_CLOSED_DAY_NOTE.format(
                    date=f"{real.month}月{real.day}日", reason=closed_reason(real), name=name
                )
            )
        if days > 0:
            lines.append("お支払いの方法と金額を、前もってご確認ください。")
        else:
            # The day itself: the same advice as when the user says so (FACTS: contact the lender early).
            for cid in flow.repay_urgent.get("contacts", ())[:1]:
                contact = flow.contacts[cid]
                lines.append(f"今日中の返済が難しいときは、早めに{contact.name}（{contact.phone}）にご連絡ください。")
        return lines

    def next_sends(self, view: ReminderView, after: datetime, fired: int) -> list[PlannedSend]:
        fire = _next_fire(view, after)
        return [PlannedSend(fire.slot, fire.fire_at, fire.real)]


def _next_fire(view: ReminderView, after: datetime) -> RepayFire:
    """The reminder's next send after ``after``, its due date moved only as its lender moves it."""
    moves = rules.moves_on_holidays(view.repayment)
    return next_repay_fire(view.due_day or 1, view.days_before, view.time_of_day, view.tz, after, moves)


def _moved_from(real: date, due_day: int) -> date | None:
    """The chosen due date that moved forward to ``real`` (this month's or last month's), if any."""
    for offset in (0, -1):
        year, month = divmod(real.year * 12 + real.month - 1 + offset, 12)
        nominal = nominal_due(year, month + 1, due_day)
        if nominal < real and next_business_day(nominal) == real:
            return nominal
    return None


KIND = Repay()


def _half_as_clock(fixed: Correction, draft: time) -> Correction:
    """「夜にできる？」 with no time: the draft's hour in that half of the day (9:00 -> 21:00)."""
    if fixed.clock is not None or fixed.days_before is not None or not fixed.half:
        return fixed
    hour = draft.hour + 12 if fixed.half == "pm" and draft.hour < 12 else draft.hour
    hour = hour - 12 if fixed.half == "am" and hour >= 12 else hour
    return dataclasses.replace(fixed, clock=time(hour, draft.minute))
