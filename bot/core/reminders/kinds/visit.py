"""Going to an automatic contract machine with ID: reminded the evening before (what to bring) and
at the time. 「来店のお知らせ」 or a task like 「自動契約機に行く」 makes one."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.dates.jptime import When, WhenAsk, format_datetime, format_time, parse_when, utc_stamp
from bot.core.diagnosis.flow import Flow
from bot.core.dialogue import texts
from bot.core.dialogue.messages import Effect, RecordFacts
from bot.core.dialogue.state import Outcome
from bot.core.reminders.asking import when_given
from bot.core.reminders.host import Ctx
from bot.core.reminders.kinds.base import PlannedSend
from bot.core.reminders.kinds.timed import Timed
from bot.core.reminders.model import ReminderView
from bot.core.reminders.refs import CANCEL, CHANGE
from bot.core.reminders.setup_state import Spec
from bot.core.reminders.when_menu import ask_when
from bot.core.situation.facts import Situation

MACHINE_OPEN = time(9, 0)
MACHINE_CLOSE = time(21, 0)
# The evening-before reminder of a visit: at this time the day before, unless that is too close.
EVE_AT = time(20, 0)
EVE_MIN_GAP = timedelta(hours=6)
# A task about going to the machine or the counter makes a visit reminder (ID list, hours).
_VISIT_WORDS = ("自動契約機", "契約機", "来店", "店頭", "窓口", "再発行", "お店に行", "店に行")
_VISIT_CAUSES = ("locked", "forgot_pin", "lost_card")
# 「来店のお知らせ」 「契約機に行く日のリマインダー」 (normalised: katakana folded to hiragana).
_ASKED = re.compile(
    r"(?:来店|らいてん|契約機|けいやくき)[^、。]{0,8}?(?:お知らせ|おしらせ|りまいんど|りまいんだ|通知|あらーむ)"
)
# 「来店のお知らせを見たい」 「一覧」: the list, not a new one.
_SEE = re.compile(r"一覧|いちらん|確認|かくにん|見|み[せた]|りすと|ある[?？]?$|あります")


class Visit(Timed):
    """Going to an automatic contract machine with ID: the evening before and at the time."""

    about_lender = True

    name = "visit"
    order = 20
    label = "自動契約機へ行く日のお知らせ"
    useful_for = timedelta(hours=3)
    ask_when_text = texts.ASK_VISIT_WHEN
    commands = ("remind_visit",)
    command_labels = {"remind_visit": "来店のお知らせを設定"}
    offer = ("来店のお知らせを設定", "remind_visit")
    name_words = ("来店", "らいてん", "契約機", "けいやくき", "お店", "店舗")
    slot_labels = {"eve": "前日の持ち物のお知らせ"}

    def start(self, ctx: Ctx, out: Outcome, command: str, situation: Situation, now: datetime) -> None:
        spec = self.task_spec("", situation)
        # 「月曜の仕事帰りに〇〇の機械行く」: the time said with the request is kept (its hour asked if missing).
        said = parse_when(out.said, ctx.local(now)) if out.said else None
        if isinstance(said, When | WhenAsk) and (said.at is not None if isinstance(said, When) else True):
            when_given(ctx, out, spec, said, now)
        else:
            ask_when(ctx, out, texts.ASK_VISIT_WHEN, spec, now)

    def asked_for(self, said: str) -> bool:
        return bool(_ASKED.search(said)) and not (CANCEL.search(said) or CHANGE.search(said) or _SEE.search(said))

    def claims_task(self, what: str) -> bool:
        return any(w in what for w in _VISIT_WORDS)

    def task_spec(self, what: str, situation: Situation) -> Spec:
        return Spec(self.name, reason=situation.cause if situation.cause in _VISIT_CAUSES else "")

    def confirm_lines(self, spec: Spec, now: datetime, tz: ZoneInfo, flow: Flow) -> list[str]:
        at = datetime.fromisoformat(spec.at or "").astimezone(tz)
        today = now.astimezone(tz).date()
        lines = [f"{format_datetime(at, today)}に自動契約機へ行く予定ですね。その時刻にお知らせします。"]
        # A closed day comes right after the date, before anything else is said about that day.
        lines += visit_warnings(at)
        eve = visit_eve(at)
        if eve is not None and eve > now:
            lines.append(texts.VISIT_EVE.format(when=format_datetime(eve, today)))
        return lines

    def fields(self, spec: Spec, tz: str) -> dict[str, Any]:
        return {"at": spec.at, "reason": spec.reason, "tz": tz}

    def done(self, view: ReminderView, now: datetime) -> tuple[str, list[Effect]]:
        return texts.VISIT_DONE, [RecordFacts({"visit_done_at": utc_stamp(now)})]

    def subject(self, view: ReminderView) -> str:
        return "自動契約機へ行く"

    def short_label(self, view: ReminderView) -> str:
        return f"来店 {view.at.month}/{view.at.day} {format_time(view.at.time())}" if view.at else "来店"

    def fire_lines(
        self, view: ReminderView, flow: Flow, due_at: datetime, now: datetime, real_due: date | None, slot: str
    ) -> list[str]:
        if slot == "eve" and view.at is not None:
            lines = [
                "【自動契約機へ行く予定のお知らせ】",
                f"{format_datetime(view.at.astimezone(view.tz))}ごろの予定です。本人確認書類を準備しておきましょう。",
            ]
        else:
            lines = [
                "【自動契約機へ行く日です】",
                f"{format_datetime(due_at.astimezone(view.tz))}ごろ、本人確認書類を持って自動契約機へ行く予定です。",
            ]
        lines.append(flow.id_title)
        lines.extend(f"・{item}" for item in flow.id_items)
        if view.reason == "lost_card":
            lines.append("警察に届け出たときの受理番号も控えて持っていきましょう。")
        lines.append(f"営業時間：{flow.machine_hours}")
        if flow.machine_note:
            lines.append(flow.machine_note)
        return lines

    def next_sends(self, view: ReminderView, after: datetime, fired: int) -> list[PlannedSend]:
        sends = super().next_sends(view, after, fired)
        if sends and view.at is not None:
            eve = visit_eve(view.at.astimezone(view.tz))
            if eve is not None and eve > after:
                sends.insert(0, PlannedSend("eve", eve))
        return sends


def visit_eve(at: datetime) -> datetime | None:
    """When to remind the evening before a visit at ``at`` (local), or None when it is too close."""
    eve = datetime.combine(at.date() - timedelta(days=1), EVE_AT, at.tzinfo)
    return eve if at - eve >= EVE_MIN_GAP else None


def visit_warnings(at: datetime) -> list[str]:
    """Gentle warnings for a visit outside the machines' usual hours or on 1 January."""
    notes = []
    if at.month == 1 and at.day == 1:
        notes.append("1月1日は、自動契約機がお休みです（店舗により異なる場合があります）。")
    if not MACHINE_OPEN <= at.time() < MACHINE_CLOSE:  # 21:00 is closing time, too late to start
        notes.append("自動契約機の営業時間は、おおむね9:00〜21:00です（店舗により異なります）。")
    if notes:
        notes.append(texts.CHANGE_TIME_HINT)
    return notes


KIND = Visit()
