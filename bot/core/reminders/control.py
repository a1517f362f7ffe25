"""Acting on reminders: the set-up's yes / no / change buttons, and opening, stopping, skipping,
snoozing, completing, changing and cancelling saved reminders (one, or all of them, asked once).

Each operation is one small handler in a table (verb -> handler). A repeating or repayment reminder
is never stopped without asking 「今回だけ／今後すべて」 first.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.core.dates.jptime import format_datetime, numerals_to_digits
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command, ReminderOp, SetupControl, decode
from bot.core.dialogue.messages import (
    CancelReminder,
    Choice,
    CompleteReminder,
    Reply,
    SaveReminder,
    SkipReminder,
    SnoozeReminder,
)
from bot.core.dialogue.state import Outcome
from bot.core.reminders.asking import ask_what, list_reminders
from bot.core.reminders.host import ANSWER_MIN, MAX_LISTED, Ctx
from bot.core.reminders.kinds.messages import describe, stop_verb
from bot.core.reminders.kinds.registry import kind_of
from bot.core.reminders.model import ReminderView
from bot.core.reminders.setup_answers import PLAIN_NO, yes_no
from bot.core.reminders.setup_state import REMINDER_SETUPS, Confirm, ConfirmCancel, ConfirmCancelAll
from bot.core.reminders.skip_day import NOT_ON_THAT_DAY, SKIP_NOT_THAT_DAY, comes_on, coming_sends, day_named
from bot.core.understanding import Reading
from bot.core.understanding.textnorm import clean

# ---------------------------------------------------------------------- the set-up's buttons


def setup_control(ctx: Ctx, out: Outcome, verb: str, now: datetime) -> None:
    """Yes / no / change something at a set-up (「やめる」 works at every step)."""
    pending = out.state.pending
    if verb == "no" and isinstance(pending, ConfirmCancel | ConfirmCancelAll):
        out.state.pending = None
        out.replies.append(Reply(texts.NOT_CANCELLED, ctx.host.menu_choices()))
        return
    if verb == "no" and isinstance(pending, REMINDER_SETUPS):
        out.state.pending = None
        out.replies.append(Reply(texts.CANCELLED_SETUP, ctx.host.menu_choices()))
        return
    if not isinstance(pending, Confirm):
        ctx.host.stale(out)
        return
    spec = pending.spec
    kind = kind_of(spec.kind)
    if verb == "yes":
        out.state.pending = None
        out.state.just_saved = True
        _save(ctx, out, pending)  # several asked for at once: one yes for all
        out.replies.append(Reply(texts.SAVED, ctx.host.menu_choices()))
    elif not kind.on_control(ctx, out, verb, spec, now):
        ctx.host.stale(out)


def keep_draft(ctx: Ctx, out: Outcome, draft: Confirm) -> None:
    """A draft shown in full and not objected to, left for something else: saved as if approved (people
    move on without tapping 「はい」; losing it silently loses the task). Nothing is said here."""
    _save(ctx, out, draft)


def _save(ctx: Ctx, out: Outcome, draft: Confirm) -> None:
    """The effects that save a draft and those asked for with it in the same message."""
    for spec in (draft.spec, *draft.queued):
        kind = kind_of(spec.kind)
        out.effects.append(SaveReminder(spec.kind, kind.fields(spec, ctx.tz.key), spec.replace, spec.skip_first))
        out.effects.extend(kind.saved_effects(spec))


# ---------------------------------------------------------------------- operations on a saved one

Op = Callable[[Ctx, Outcome, ReminderView, datetime], None]


def _open(ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
    choices = (
        Choice("日時を変える", ReminderOp("change", view.id)),
        # A repeating or repayment reminder asks first: this one only, or all of them.
        Choice("取り消す", ReminderOp(stop_verb(view), view.id)),
        Choice("一覧に戻る", Command("reminders")),
    )
    out.replies.append(Reply(describe(view, now), choices))


def _cancel(ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
    out.effects.append(CancelReminder(view.id))
    out.replies.append(Reply(texts.REMINDER_CANCELLED, ctx.host.menu_choices()))


def _stop(ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
    if not kind_of(view.kind).repeats:
        _cancel(ctx, out, view, now)
        return
    choices = (
        Choice("今回の分だけ止める", ReminderOp("skip", view.id)),
        Choice("今後すべて止める", ReminderOp("cancel", view.id)),
        Choice(texts.LABEL_MENU, Command("menu")),
    )
    out.replies.append(Reply(texts.STOP_WHICH, choices))


def _skip(ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
    kind = kind_of(view.kind)
    if not kind.repeats:
        ctx.host.stale(out)
        return
    out.effects.append(SkipReminder(view.id))
    # Which time is skipped, said (「明日の分」 and 「今週の分」 are the person's words, not a date).
    coming = coming_sends(view, now)
    when = format_datetime(ctx.local(coming[0].due_at), ctx.local(now).date()) if coming else "今回"
    out.replies.append(Reply(kind.skipped_text.format(when=when, what=view.what), ctx.host.menu_choices()))


UNSKIP_WHICH = "どのお知らせを、止めずに届くように戻しますか？"
_UNSKIPPED = "わかりました。止めていた分も、予定どおりお知らせします。"


def unskip(ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
    """「やっぱりスキップやめて」: the times skipped come back (a one-off reminder was never skipped)."""
    if kind_of(view.kind).repeats:
        out.effects.append(SkipReminder(view.id, undo=True))
    # Said by its rule, as it will be planned again (the plan read this turn still lacks what was skipped).
    again = dataclasses.replace(view, planned_at=None, next_at=None)
    out.replies.append(Reply(f"{_UNSKIPPED}\n{describe(again, now)}", ctx.host.menu_choices()))


_MONTH_NAMED = re.compile(r"(?<![0-9])([0-9]{1,2})月")


def skip_in_words(ctx: Ctx, out: Outcome, view: ReminderView, text: str, now: datetime) -> None:
    """「今月だけスキップ」: the coming time of a repeating reminder is skipped (a one-off one is asked
    about as a cancel). A month named that is not the coming one is said plainly, nothing skipped."""
    kind = kind_of(view.kind)
    if not kind.repeats:
        ask_cancel(ctx, out, view, now)
        return
    named = _MONTH_NAMED.search(numerals_to_digits(clean(text)))
    coming = coming_sends(view, now)
    if named and coming:
        at = coming[-1].real_due or coming[-1].due_at.astimezone(view.tz).date()
        if int(named.group(1)) != at.month:
            said = texts.SKIP_NOT_YET.format(month=int(named.group(1)), coming=f"{at.month}月{at.day}日")
            out.replies.append(Reply(said, ctx.host.menu_choices()))
            return
    day = day_named(ctx, text, now)
    if day is not None and coming:
        at = coming[0].due_at.astimezone(view.tz).date()
        if day != at and day != coming[0].real_due:
            first = format_datetime(ctx.local(coming[0].due_at), ctx.local(now).date())
            # A day it never comes on (「明日だけ休み」 for a Tuesday one): said so, nothing skipped.
            said = SKIP_NOT_THAT_DAY if comes_on(view, day) else NOT_ON_THAT_DAY
            out.replies.append(
                Reply(said.format(coming=first, day=f"{day.month}月{day.day}日"), ctx.host.menu_choices())
            )
            return
    _skip(ctx, out, view, now)


def snooze(ctx: Ctx, out: Outcome, view: ReminderView, until: datetime, now: datetime) -> None:
    """Send it again at ``until``."""
    out.effects.append(SnoozeReminder(view.id, until))
    when = format_datetime(ctx.local(until), ctx.local(now).date())
    out.replies.append(Reply(f"{when}にもう一度お知らせします。", ctx.host.menu_choices()))


def _in_an_hour(ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
    snooze(ctx, out, view, (now + timedelta(hours=1)).replace(second=0, microsecond=0), now)


def _tomorrow_same_time(ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
    clock = view.at.astimezone(view.tz).time() if view.at else view.time_of_day
    snooze(ctx, out, view, datetime.combine(ctx.local(now).date() + timedelta(days=1), clock, view.tz), now)


def _done(ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
    message, effects = kind_of(view.kind).done(view, now)
    out.effects.append(CompleteReminder(view.id))
    out.effects.extend(effects)
    out.replies.append(Reply(message, ctx.host.menu_choices()))


def _change(ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
    kind_of(view.kind).change(ctx, out, view, now)


def _drop(ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
    """Picked where the list asked which to stop: a repeating one asks this time or all, another one
    is confirmed (nothing goes on one tap)."""
    if kind_of(view.kind).repeats:
        _stop(ctx, out, view, now)
    else:
        ask_cancel(ctx, out, view, now)


OPS: dict[str, Op] = {
    "open": _open,
    "drop": _drop,
    "cancel": _cancel,
    "stop": _stop,
    "skip": _skip,
    "s1h": _in_an_hour,
    "s1d": _tomorrow_same_time,
    "done": _done,
    "change": _change,
}


def act(ctx: Ctx, out: Outcome, verb: str, reminder_id: int, now: datetime) -> None:
    """Run one operation on one of the user's reminders."""
    view = ctx.owned(out, reminder_id)
    if view is None:
        out.replies.append(Reply(texts.REMINDER_NOT_FOUND, ctx.host.menu_choices()))
        return
    out.state.pending = None
    op = OPS.get(verb)
    if op is None:
        ctx.host.stale(out)
    else:
        op(ctx, out, view, now)


# ---------------------------------------------------------------------- snoozing in words

# 「あとでもう一回」 「30分後にもう一回教えて」 「1時間後にまた」: the reminder just received, again later.
_AGAIN = re.compile(
    r"もう一回|もういっかい|もう一度|もういちど|もう1回|もう1度|また(?:教え|知らせ|お知らせ|連絡|通知)|再通知"
)
_LATER = re.compile(r"あとで|後で|のちほど|後ほど|(?P<n>\d{1,3})\s*(?P<unit>分|時間)\s*後")
_NOT = re.compile(r"いらない|要らない|不要|しないで|やめ|止め|とめ")


def snooze_said(ctx: Ctx, out: Outcome, text: str, now: datetime) -> bool:
    """「あとでもう一回」 right after a reminder came: it comes again (in an hour, or when said)."""
    fired = next(
        (a.reminder_id for _l, v in out.state.offered if isinstance(a := decode(v), ReminderOp) and a.verb == "s1h"),
        None,
    )
    view = ctx.owned(out, fired) if fired is not None else None
    body = numerals_to_digits(clean(text))
    later = _LATER.search(body)
    if later is None or not _AGAIN.search(body) or _NOT.search(body):
        return False
    if view is None:
        return _again_of_nothing(ctx, out, later, body, now)
    out.state.pending = None
    if later["n"] is None:
        _in_an_hour(ctx, out, view, now)
        return True
    minutes = int(later["n"]) * (60 if later["unit"] == "時間" else 1)
    if not 1 <= minutes <= 24 * 60:
        return False
    snooze(ctx, out, view, (now + timedelta(minutes=minutes)).replace(second=0, microsecond=0), now)
    return True


NOTHING_CAME = "さきほど届いたお知らせはありません。"
_ONLY_PARTICLES = re.compile(
    r"[にでをはのもと、。!！?？\s]|教えて|おしえて|知らせて|しらせて|お願い(?:します)?|ください|して|ね|よ"
)


def _again_of_nothing(ctx: Ctx, out: Outcome, later: re.Match[str], body: str, now: datetime) -> bool:
    """「30分後にもう一回」 with no reminder just come: said so; with a time, what to say then is asked."""
    if (
        later["n"] is None
        or out.state.pending is not None
        or _ONLY_PARTICLES.sub("", _LATER.sub("", _AGAIN.sub("", body)))
    ):
        return False  # 「3時間後にもう一回ログイン試す」: a task of its own, a reminder like any other
    minutes = int(later["n"]) * (60 if later["unit"] == "時間" else 1)
    if not 1 <= minutes <= 24 * 60:
        return False
    out.replies.append(Reply(NOTHING_CAME))
    ask_what(ctx, out, (now + timedelta(minutes=minutes)).replace(second=0, microsecond=0), now)
    return True


# ---------------------------------------------------------------------- cancelling, asked first


def ask_cancel(ctx: Ctx, out: Outcome, view: ReminderView, now: datetime, number: int | None = None) -> None:
    """「このお知らせを取り消しますか？」 for a reminder named in words (nothing goes on a guess)."""
    out.state.pending = ConfirmCancel(view.id)
    choices = (
        Choice("取り消す", ReminderOp(stop_verb(view), view.id)),
        Choice("取り消さない", SetupControl("no")),
        Choice("日時を変える", ReminderOp("change", view.id)),
    )
    head = texts.CANCEL_NUMBERED.format(number=number) if number else texts.CANCEL_THIS
    out.replies.append(Reply(f"{head}\n{describe(view, now)}", choices))


# The words of the request again, or 「今後ぜんぶ」 「もう全部いらない」: every time to come, a yes.
_CANCEL_SAID = re.compile(
    r"取り消|とりけ|消して|けして|やめて|キャンセル|いらない|要らない|(?:今後|こんご|これから|以降|ずっと)(?:は|も)?(?:ぜんぶ|全部|すべて|全て|なし|いらない)"
)


def cancel_answer(ctx: Ctx, out: Outcome, key: str, reading: Reading, cancel: Callable[[], None]) -> bool:
    """A typed answer to 「取り消しますか？」: a yes (or the words of the request) cancels, a no keeps;
    anything else leaves the question (False), so a later 「はい」 cancels nothing."""
    answer = yes_no(key, reading, ANSWER_MIN)
    if answer == "yes" or _CANCEL_SAID.search(key):
        cancel()
    elif answer in ("no", "unsure") or key in PLAIN_NO:
        out.state.pending = None
        out.replies.append(Reply(texts.NOT_CANCELLED, ctx.host.menu_choices()))
    else:
        out.state.pending = None
        return False
    return True


def shown_one(ctx: Ctx, out: Outcome) -> ReminderView | None:
    """The one reminder the choices last shown were about (a reminder opened, or one that came)."""
    ids = {a.reminder_id for _l, v in out.state.offered if isinstance(a := decode(v), ReminderOp)}
    return ctx.owned(out, ids.pop()) if len(ids) == 1 else None


def stop_requested(ctx: Ctx, out: Outcome, now: datetime) -> None:
    """「止めて」 「取り消したい」: the reminder just shown (a repeating or repayment one asks
    「今回だけ／今後すべて」, another one asks to confirm); else which one?"""
    view = shown_one(ctx, out)
    if view is None:
        list_reminders(ctx, out, now, head=texts.CANCEL_WHICH, verb="drop")
    elif kind_of(view.kind).repeats:
        act(ctx, out, "stop", view.id, now)
    else:
        ask_cancel(ctx, out, view, now)


def confirm_cancel_all(ctx: Ctx, out: Outcome, now: datetime) -> None:
    """「リマインダー全部消して」: every reminder, named, asked once (the rest of the record stays)."""
    reminders = list(out.reminders)
    if len(reminders) == 1:
        ask_cancel(ctx, out, reminders[0], now)
        return
    if not reminders:
        list_reminders(ctx, out, now)
        return
    out.state.pending = ConfirmCancelAll()
    lines = [texts.CANCEL_ALL_CONFIRM.format(count=len(reminders))]
    lines += [f"No.{i} {describe(r, now)}" for i, r in enumerate(reminders[:MAX_LISTED], 1)]
    choices = (
        Choice(texts.LABEL_CANCEL_ALL, Command("cancel_all_yes")),
        Choice("取り消さない", SetupControl("no")),
    )
    out.replies.append(Reply("\n".join(lines), choices))


def cancel_all(ctx: Ctx, out: Outcome, now: datetime) -> None:
    """Every reminder of the user cancelled (after the yes); nothing else of them is touched."""
    if not isinstance(out.state.pending, ConfirmCancelAll):
        ctx.host.stale(out)
        return
    out.state.pending = None
    for view in out.reminders:
        out.effects.append(CancelReminder(view.id))
    out.replies.append(Reply(texts.ALL_CANCELLED.format(count=len(out.reminders)), ctx.host.menu_choices()))
