"""A repeating reminder: anything, by a rule (「毎週金曜の20時にジム」), planned one occurrence at a
time. A repeat rule said with a task makes one; stopping it asks 「今回だけ／今後すべて」."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.dates.jptime import format_datetime, format_time
from bot.core.diagnosis.flow import Flow
from bot.core.dialogue import texts
from bot.core.dialogue.state import Outcome
from bot.core.reminders.asking import ask_new_time, ask_task, confirm, confirm_several
from bot.core.reminders.find import said_time
from bot.core.reminders.host import Ctx
from bot.core.reminders.kinds import repeat_split
from bot.core.reminders.kinds.base import Kind, PlannedSend, clip
from bot.core.reminders.kinds.skip_first import SKIPPED_FIRST, USUAL_AFTER, back_to_usual, skips_the_first
from bot.core.reminders.model import ReminderView
from bot.core.reminders.recurrence import Rule, first_two
from bot.core.reminders.rule_edits import days_edit
from bot.core.reminders.setup_answers import Correction, near_draft
from bot.core.reminders.setup_state import Spec
from bot.core.reminders.weekday_words import weekdays_said

# A weekday said (「土曜」 「土曜日」): the new days of a weekly reminder.


_FROM_NEXT_WEEK = re.compile(r"来週から|らいしゅうから|次の週から|つぎのしゅうから")


# 「今日からで」 「じゃあ明日からでいいや」: the day the repeating reminder starts.
_STARTS = re.compile(
    r"(?:^|[、,。\s]|だけど|けど)(?:じゃあ|じゃ|では|なら|あ、?)?[、,\s]*(?P<day>今日|きょう|本日|明日|あした|あす)から"
    r"(?:で|にして|でいい|でいいや|でいいよ|でお願い|お願い|ね|よ|いける|できる|大丈夫|始められる|はじめられる|でも)?"
    r"(?:の|かな|ですか)?[。!！?？]*$"
)
FROM_TODAY = "今日からです。"
TODAY_PASSED = "今日の{clock}はもう過ぎているので、明日からになります。"
FROM_TOMORROW = "明日からにします。"


def _starts_said(ctx: Ctx, out: Outcome, spec: Spec, text: str, now: datetime) -> bool:
    """「今日からで」 (today's time may have passed: said so) or 「明日からで」 (today's left out)."""
    said = _STARTS.search(text.strip()) if len(text) <= 30 else None
    if said is None or re.search(r"\d|時", text.strip()[: said.start()]):
        return False  # 「22時で、今日から」: a new time, read as a correction
    rule = Rule.from_json(spec.rule or "")
    first = rule.upcoming(now, ctx.tz, 1)
    today = bool(first) and first[0].date() == now.astimezone(ctx.tz).date()
    if said["day"] in ("今日", "きょう", "本日"):
        clock = format_time(rule.clock) if rule.clock else ""
        confirm(
            ctx, out, spec.but(skip_first=False), now, lead=FROM_TODAY if today else TODAY_PASSED.format(clock=clock)
        )
    else:
        confirm(ctx, out, spec.but(skip_first=today), now, lead=FROM_TOMORROW)
    return True


class Repeat(Kind):
    """Anything, by a rule (毎週金曜 20:00), planned one occurrence at a time."""

    name = "repeat"
    order = 40
    label = "繰り返しのお知らせ"
    repeats = True
    counted = True
    by_rule = True
    completes = "occurrence"
    done_text = texts.REPEAT_DONE
    slot_labels = {"repeat": "繰り返しの日時"}

    def confirm_lines(self, spec: Spec, now: datetime, tz: ZoneInfo, flow: Flow) -> list[str]:
        rule = Rule.from_json(spec.rule or "")
        first = rule.upcoming(now, tz, 1) if spec.skip_first else []
        after = first[0] if first else now  # 「今週は休む」: the listing starts after the time skipped
        lines = [f"{rule.describe()}に「{spec.what}」をお知らせします。", first_two(rule, after, tz)]
        return [
            *lines,
            *([SKIPPED_FIRST.format(day=format_datetime(first[0], now.astimezone(tz).date()))] if first else []),
        ]

    def on_control(self, ctx: Ctx, out: Outcome, verb: str, spec: Spec, now: datetime) -> bool:
        if verb != "when":
            return False
        ask_task(ctx, out)  # a new rule and task, said whole
        return True

    def fields(self, spec: Spec, tz: str) -> dict[str, Any]:
        return {"rule": spec.rule, "what": spec.what, "tz": tz}

    def at_confirm(self, ctx: Ctx, out: Outcome, spec: Spec, text: str, now: datetime) -> bool:
        """「金曜はなしで」 「やっぱり月水金で」: the draft's days changed, its time and task kept;
        「今週の土曜は休むから飛ばして」: the first time skipped."""
        if skips_the_first(text):
            confirm(ctx, out, spec.but(skip_first=True), now)
            return True
        if spec.rule and _starts_said(ctx, out, spec, text, now):
            return True
        if spec.skip_first and back_to_usual(text):
            confirm(ctx, out, spec, now, lead=USUAL_AFTER)
            return True
        edit = days_edit(Rule.from_json(spec.rule), text) if spec.rule else None
        if edit is None:
            return False
        if edit.rule is None:
            confirm(ctx, out, spec, now, lead=texts.REPEAT_NO_DAY_LEFT)
        else:
            confirm(ctx, out, spec.but(rule=edit.rule.to_json()), now)
        return True

    def correct(self, ctx: Ctx, out: Outcome, spec: Spec, fixed: Correction, now: datetime) -> bool:
        """「22時で」 「1時間早めて」 at the confirmation: the same days at the new time of day."""
        if fixed.days_before is not None or not spec.rule:
            return False
        rule = Rule.from_json(spec.rule)
        days = weekdays_said(fixed.text) if fixed.text else []
        if days and rule.weekday is not None:
            # 「曜日まちがえた、木曜だった」: the same time on the days said (a time said too is taken).
            said = said_time(ctx, fixed.text, now)
            rule = dataclasses.replace(rule, weekday=days[0], also=tuple(dict.fromkeys(days[1:])))
            rule = dataclasses.replace(rule, clock=said.clock or rule.clock)
            confirm(ctx, out, spec.but(rule=rule.to_json()), now)
            return True
        if fixed.shift is not None and fixed.shift.days:
            return False  # 「1日後ろに」 for a weekly one: its days are said by name instead
        clock = near_draft(rule.clock, fixed)
        if fixed.shift is not None and rule.clock is not None:  # 「1時間早めて」
            clock = (datetime.combine(date(2000, 1, 3), rule.clock) + fixed.shift).time()
        if clock is None:
            return False
        rule = dataclasses.replace(rule, clock=clock)
        confirm(ctx, out, spec.but(rule=rule.to_json()), now)
        return True

    def _at_clock(self, ctx: Ctx, out: Outcome, view: ReminderView, rule: Rule, now: datetime) -> None:
        confirm(ctx, out, Spec(self.name, rule=rule.to_json(), what=view.what, replace=view.id), now)

    def change(self, ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
        ask_new_time(ctx, out, view.what, view.id)

    def renamed(self, view: ReminderView, what: str) -> Spec | None:
        return Spec(self.name, rule=view.rule.to_json(), what=what, replace=view.id) if view.rule else None

    def change_days(self, ctx: Ctx, out: Outcome, view: ReminderView, text: str, now: datetime) -> bool:
        if view.rule is not None and self._split(ctx, out, view, view.rule, text, now):
            return True
        days = weekdays_said(text)
        if view.rule is None or view.rule.weekday is None or not days:
            return False
        said = said_time(ctx, text, now)
        clock = said.clock or view.rule.clock
        rule = dataclasses.replace(view.rule, weekday=days[0], also=tuple(dict.fromkeys(days[1:])), clock=clock)
        spec = Spec(self.name, rule=rule.to_json(), what=view.what, replace=view.id)
        # 「来週から土曜にして」: a time still in this week is not the first one.
        local = now.astimezone(view.tz)
        first = rule.upcoming(now, view.tz, 1)
        this_week = bool(first) and (first[0].date() - local.date()).days < 7 - local.weekday()
        confirm(ctx, out, spec.but(skip_first=bool(_FROM_NEXT_WEEK.search(text)) and this_week), now)
        return True

    def _split(self, ctx: Ctx, out: Outcome, view: ReminderView, rule: Rule, text: str, now: datetime) -> bool:
        """「土日は8時がいい」: those days at that time; the others as they were (two drafts, one yes)."""
        parts = repeat_split.split(rule, text, said_time(ctx, text, now).clock)
        if parts is None:
            return False
        kept, named = parts
        lead = repeat_split.SPLIT_LEAD.format(
            named=repeat_split.group_name(repeat_split.named_days(text)),
            named_time=format_time(named.clock),
            kept_time=format_time(kept.clock),
        )
        drafts = [
            Spec(self.name, rule=kept.to_json(), what=view.what, replace=view.id),
            Spec(self.name, rule=named.to_json(), what=view.what),
        ]
        confirm_several(ctx, out, drafts, now, lead=lead)
        return True

    def change_in_words(self, ctx: Ctx, out: Outcome, view: ReminderView, text: str, now: datetime) -> None:
        if self.change_days(ctx, out, view, text, now):
            return
        said = said_time(ctx, text, now)
        if view.rule is not None and said.only_clock and said.clock is not None:
            # 「ジムを21時に変えて」: the same days at the new time.
            self._at_clock(ctx, out, view, dataclasses.replace(view.rule, clock=said.clock), now)
        else:
            self.change(ctx, out, view, now)

    def change_newest(self, ctx: Ctx, out: Outcome, view: ReminderView, fixed: Correction, now: datetime) -> bool:
        if view.rule is None or fixed.clock is None:
            return False
        # 「時間を20時半にしたい」 right after 「毎日21時に薬」: the same days at the new time.
        self._at_clock(ctx, out, view, dataclasses.replace(view.rule, clock=fixed.clock), now)
        return True

    def describe(self, view: ReminderView, now: datetime) -> str:
        if view.rule is None:
            return super().describe(view, now)
        # The delivery's own plan when it has one (a time skipped is not in it), else the rule's.
        planned = [view.planned_at] if view.planned_at is not None and view.planned_at > now else []
        upcoming = planned or view.rule.upcoming(now, view.tz, 1)
        nxt = f" 次回 {format_datetime(upcoming[0], now.astimezone(view.tz).date())}" if upcoming else ""
        return f"{view.what}（{view.rule.describe()}）{nxt}"

    def short_label(self, view: ReminderView) -> str:
        rule = view.rule.describe().split()[0] if view.rule else ""
        return f"{clip(view.what, 8)} {rule}"[:20]

    def fire_lines(
        self, view: ReminderView, flow: Flow, due_at: datetime, now: datetime, real_due: date | None, slot: str
    ) -> list[str]:
        lines = super().fire_lines(view, flow, due_at, now, real_due, slot)
        if view.rule is not None:
            lines.append(f"（{view.rule.describe().split()[0]}のお知らせです）")
        return lines

    def next_sends(self, view: ReminderView, after: datetime, fired: int) -> list[PlannedSend]:
        if view.rule is None:
            return []
        moment = view.rule.next_after(after, view.tz, fired=fired)
        return [PlannedSend(self.name, moment)] if moment is not None else []


KIND = Repeat()
