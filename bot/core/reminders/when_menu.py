"""The "when?" questions of a set-up and their menus of proposed moments.

A menu never shows the same moment twice (on a Friday, 「明日」 and 「土曜」 are one day). What was
proposed is kept in the state (:class:`AskWhen`), so 「はい」 takes the one moment shown and
「夜中」 or 「午後の方」 picks one of a morning/afternoon pair.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

from bot.core.dates.jptime import WEEKDAYS, WhenAsk, format_date, format_time, utc_stamp
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command, RemindAt, SetupControl
from bot.core.dialogue.messages import Choice, Reply
from bot.core.dialogue.state import Outcome
from bot.core.reminders.host import Ctx
from bot.core.reminders.setup_state import AskWhen, Spec

_WHEN_QUESTIONS = {
    "day": texts.WHEN_WHICH_DAY,
    "vague": texts.WHEN_VAGUE,
    "repeat": texts.WHEN_REPEAT,
    "time": texts.WHEN_WHAT_TIME,
    "unknown": texts.WHEN_PART_UNREAD,
}
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
_QUIT = Choice(texts.LABEL_QUIT, SetupControl("no"))
# Questions whose answer completes the phrase asked about (its hour, or its day) instead of replacing it.
_COMPLETED_BY_ANSWER = ("time", "day")


def distinct(moments: Iterable[datetime]) -> list[datetime]:
    """The moments in order, each once (the same instant twice is one)."""
    seen: set[datetime] = set()
    kept = []
    for moment in moments:
        if moment not in seen:
            seen.add(moment)
            kept.append(moment)
    return kept


def ask_when(ctx: Ctx, out: Outcome, message: str, spec: Spec, now: datetime, context: str = "") -> None:
    """When should it arrive? Tomorrow morning and evening and the next Saturday, as choices.

    ``context``: what of a phrase already said still holds (「2月」), for the answer to complete.
    """
    out.state.pending = AskWhen(spec.but(at=None), context=context)
    tomorrow = ctx.local(now).date() + timedelta(days=1)
    saturday = ctx.local(now).date() + timedelta(days=(5 - ctx.local(now).weekday()) % 7 or 7)
    if saturday == tomorrow:
        saturday += timedelta(days=1)  # on a Friday tomorrow is Saturday: the weekend's other day
    options = [datetime.combine(d, time(h, 0), ctx.tz) for d, h in ((tomorrow, 10), (tomorrow, 18), (saturday, 10))]
    choices = [
        Choice(f"{format_date(o.date())} {format_time(o.time())}", RemindAt(datetime.fromisoformat(utc_stamp(o))))
        for o in distinct(options)
    ]
    out.replies.append(Reply(message, (*choices, Choice(texts.LABEL_MENU, Command("menu"))), ask="datetime"))


def label(moment: datetime, today: date) -> str:
    """A choice's label: 「今日の14:00」「今夜の20:00」「明日の2:00」, or the date for a day further on."""
    days = (moment.date() - today).days
    clock = format_time(moment.time())
    word = {0: "今夜" if moment.hour >= 18 else "今日", 1: "明日", 2: "明後日"}.get(days)
    return f"{word}の{clock}" if word else f"{format_date(moment.date(), today)} {clock}"


def hour_said(moment: time) -> str:
    """The hour as people write it: 2:00 -> 「2時」, 2:30 -> 「2時半」, 2:15 -> 「2時15分」."""
    minutes = "" if moment.minute == 0 else "半" if moment.minute == 30 else f"{moment.minute}分"
    return f"{moment.hour}時{minutes}"


# ---------------------------------------------------------------------- questions about a time phrase

Question = tuple[str, list[str]]  # the message and the labels of the proposed moments


def _tomorrow(ask: WhenAsk, moments: list[datetime], today: date) -> Question | None:
    if not moments:
        return None
    clock = format_time(moments[0].timetz())
    return texts.WHEN_TOMORROW.format(time=clock), [f"明日の{clock}"]


def _tonight(ask: WhenAsk, moments: list[datetime], today: date) -> Question | None:
    if len(moments) != 2:
        return None
    evening, morning = (format_time(o.time()) for o in moments)
    message = texts.WHEN_TONIGHT.format(said=hour_said(moments[1].time()), time=morning, evening=evening)
    return message, [label(o, today) for o in moments]


def _ampm(ask: WhenAsk, moments: list[datetime], today: date) -> Question | None:
    if len(moments) != 2:
        return None
    afternoon, night = (o.time() for o in moments)
    # 5時 and 6時 are early morning, 1時 to 4時 the middle of the night.
    night_word = "朝" if night.hour >= 5 else "夜中"
    message = texts.WHEN_AMPM.format(
        said=hour_said(night), pm=format_time(afternoon), am=format_time(night), night=night_word
    )
    return message, [label(o, today) for o in moments]


def _weekday(ask: WhenAsk, moments: list[datetime], today: date) -> Question | None:
    if not moments:
        return None
    days = [o.date() for o in moments]
    labels = [format_date(d, today) for d in days]
    if len(days) == 2 and re.search(r"\d\s*(?:/|月)", ask.understood):
        written = f"{days[0].month}月{days[0].day}日"
        return texts.WHEN_WEEKDAY.format(day=written, weekday=WEEKDAYS[days[0].weekday()]), labels
    return texts.WHEN_WHICH_ONE.format(understood=ask.understood), labels


_QUESTIONS: dict[str, Callable[[WhenAsk, list[datetime], date], Question | None]] = {
    "tomorrow": _tomorrow,
    "tonight": _tonight,
    "ampm": _ampm,
    "weekday": _weekday,
}


def when_question(ctx: Ctx, out: Outcome, spec: Spec, ask: WhenAsk, now: datetime) -> None:
    """Ask about a time phrase instead of guessing; proposed moments come as choices."""
    moments = distinct(ctx.local(o) for o in ask.options)
    build = _QUESTIONS.get(ask.reason)
    question = build(ask, moments, ctx.local(now).date()) if build is not None else None
    if question is None:
        message = _WHEN_QUESTIONS.get(ask.reason, texts.WHEN_PART_UNREAD).format(understood=ask.understood)
        question = message, []
    message, labels = question
    # Every moment shown is kept: 「はい」 takes it when it is the only one, else the choices come again.
    shown = moments[: len(labels)]
    # 「水曜の仕事終わり」: what was understood holds while the missing part is asked.
    context = ask.understood if ask.reason in _COMPLETED_BY_ANSWER else ""
    out.state.pending = AskWhen(spec.but(at=None), tuple(utc_stamp(o) for o in shown), context)
    choices = [Choice(text[:20], RemindAt(o)) for text, o in zip(labels, shown, strict=False)]
    out.replies.append(Reply(message, (*choices, _QUIT), ask="datetime"))


def offer_again(ctx: Ctx, out: Outcome, pending: AskWhen, now: datetime) -> None:
    """The moments a question proposed, as choices again (a yes did not say which one)."""
    today = ctx.local(now).date()
    moments = distinct(ctx.local(datetime.fromisoformat(o)) for o in pending.options)
    choices = [Choice(label(m, today)[:20], RemindAt(_utc(m))) for m in moments]
    out.replies.append(Reply(texts.WHEN_PICK_ONE, (*choices, _QUIT), ask="datetime"))


def half_of_day(ctx: Ctx, key: str, options: tuple[str, ...]) -> datetime | None:
    """The one of two proposed moments (one before noon, one after) that words like 「夜中」 or
    「午後」 point to; None when the text is no such word or the proposals are not such a pair."""
    moments = [ctx.local(datetime.fromisoformat(o)) for o in options]
    morning = [m for m in moments if m.hour < 12]
    later = [m for m in moments if m.hour >= 12]
    if len(moments) != 2 or len(morning) != 1 or len(later) != 1 or len(key) > 12:
        return None
    if any(w in key for w in _MORNING_WORDS):  # before 夜: 夜中 is the small hours
        return morning[0]
    if any(w in key for w in _LATER_WORDS):
        return later[0]
    return None


def _utc(moment: datetime) -> datetime:
    return datetime.fromisoformat(utc_stamp(moment))
