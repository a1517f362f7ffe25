"""The set-up's questions and the list: what to remind of, when (handed to the menus), the
confirmation that repeats the draft back, and the list of the user's reminders."""

from __future__ import annotations

from datetime import datetime

from bot.core.dates.jptime import When, WhenAsk, WhenError, format_datetime, utc_stamp
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command, ReminderOp, SetupControl
from bot.core.dialogue.messages import Choice, Reply
from bot.core.dialogue.state import Outcome
from bot.core.reminders.host import MAX_LISTED, Ctx
from bot.core.reminders.kinds.messages import describe, listed_mark, short_label
from bot.core.reminders.kinds.registry import all_kinds, kind_of
from bot.core.reminders.model import ReminderView
from bot.core.reminders.recurrence import Rule
from bot.core.reminders.setup_state import AskTask, AskWhat, Confirm, Spec
from bot.core.reminders.several import several_lines
from bot.core.reminders.when_menu import ask_when, when_question

WHEN_ERRORS = {
    "past": texts.WHEN_PAST,
    "invalid_date": texts.WHEN_INVALID_DATE,
    "invalid_time": texts.WHEN_INVALID_TIME,
    "unparsed": texts.WHEN_UNPARSED,
}
QUIT = Choice(texts.LABEL_QUIT, SetupControl("no"))


def ask_task(ctx: Ctx, out: Outcome) -> None:
    """Ask for a reminder's date and task together."""
    out.state.pending = AskTask()
    out.replies.append(Reply(texts.ASK_FREE_WHAT, (QUIT,)))


def ask_new_time(ctx: Ctx, out: Outcome, what: str, replace: int | None) -> None:
    """A repeating reminder being changed: its new time (a rule or a moment), its task kept."""
    out.state.pending = AskTask(what=what, replace=replace)
    out.replies.append(Reply(texts.ASK_REPEAT_CHANGE.format(what=what), (QUIT,)))


def ask_what(ctx: Ctx, out: Outcome, at: datetime, now: datetime) -> None:
    """A time without a task: ask what to remind about (the time is kept)."""
    out.state.pending = AskWhat(at=utc_stamp(at))
    when = format_datetime(ctx.local(at), ctx.local(now).date())
    out.replies.append(Reply(texts.ASK_WHAT.format(when=when), (QUIT,)))


def ask_what_repeat(ctx: Ctx, out: Outcome, rule: Rule) -> None:
    """A repeat rule without a task: ask what to remind about (the rule is kept)."""
    out.state.pending = AskWhat(rule=rule.to_json())
    out.replies.append(Reply(texts.ASK_WHAT.format(when=rule.describe()), (QUIT,)))


def confirm(ctx: Ctx, out: Outcome, spec: Spec, now: datetime, lead: str = "") -> None:
    """Repeat the draft back and ask for the yes (nothing is saved before it)."""
    held = out.state.pending
    if isinstance(held, Confirm) and held.queued and spec == held.spec:
        confirm_several(ctx, out, [spec, *held.queued], now, lead)  # asked again: all of them
        return
    kind = kind_of(spec.kind)
    lines = ([lead] if lead else []) + kind.confirm_lines(spec, now, ctx.tz, ctx.flow)
    extra, spec = kind.confirm_extra(ctx, spec)
    lines += extra
    out.state.pending = Confirm(spec)
    controls = [Choice(texts.LABEL_SAVE, SetupControl("yes")), *kind.confirm_controls(spec)]
    lines.append(texts.CONFIRM_QUESTION)
    out.replies.append(Reply("\n".join(lines), (*controls, Choice("やめる", SetupControl("no")))))


def confirm_several(ctx: Ctx, out: Outcome, drafts: list[Spec], now: datetime, lead: str = "") -> None:
    """Several reminders asked for in one message, listed and approved with one yes."""
    lines = ([lead] if lead else []) + several_lines(drafts, now, ctx.tz) + [texts.CONFIRM_QUESTION]
    out.state.pending = Confirm(drafts[0], tuple(drafts[1:]))
    choices = (Choice(texts.LABEL_SAVE, SetupControl("yes")), Choice("やめる", SetupControl("no")))
    out.replies.append(Reply("\n".join(lines), choices))


def when_given(ctx: Ctx, out: Outcome, spec: Spec, parsed: When | WhenError | WhenAsk, now: datetime) -> None:
    """A time phrase for the draft: a question about it, a reason it cannot be, or the confirmation."""
    if isinstance(parsed, WhenAsk):
        when_question(ctx, out, spec, parsed, now)
    elif isinstance(parsed, WhenError):
        ask_when(ctx, out, WHEN_ERRORS[parsed.reason], spec, now, parsed.context)
    elif parsed.kind == "monthly" or parsed.at is None:
        ask_when(ctx, out, texts.WHEN_MONTHLY_ONCE, spec, now)
    elif parsed.at <= now:
        ask_when(ctx, out, texts.WHEN_PAST, spec, now)
    elif kind_of(spec.kind).needs_what(spec):
        ask_what(ctx, out, parsed.at, now)  # the time came first (「10時にリマインドして」)
    else:
        confirm(ctx, out, spec.but(at=utc_stamp(parsed.at)), now)


def list_reminders(
    ctx: Ctx,
    out: Outcome,
    now: datetime,
    head: str = texts.REMINDERS_HEAD,
    only: tuple[ReminderView, ...] = (),
    verb: str = "open",
) -> None:
    """The user's reminders (or ``only`` these), each a choice that does ``verb`` to it (opens it, or
    asks to stop it where the list asked which to stop); none: what can be set."""
    out.state.pending = None
    reminders = list(only or out.reminders)[:MAX_LISTED]
    if not reminders:
        offers = tuple(Choice(k.offer[0], Command(k.offer[1])) for k in all_kinds() if k.offer)
        out.replies.append(Reply(texts.REMINDERS_EMPTY, (*offers, Choice(texts.LABEL_MENU, Command("menu")))))
        return
    lines = [head] + [f"{listed_mark(i, len(reminders))}{describe(r, now)}" for i, r in enumerate(reminders, 1)]
    choices = [Choice(short_label(r), ReminderOp(verb, r.id)) for r in reminders[:5]]
    out.replies.append(Reply("\n".join(lines), (*choices, Choice(texts.LABEL_MENU, Command("menu")))))
