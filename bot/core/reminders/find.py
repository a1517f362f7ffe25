"""Finding the reminder a message means: by a word of its task or its kind (「ジムのやつやめたい」),
by its place in the list shown (「1番目のを消して」), or the one just saved (「やっぱり11時で」).

One found: a cancel asks first, a change goes to its new value (the kind reads it). Several: which
one? None named but reminders spoken of: the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from bot.core.dates.jptime import When, WhenAsk, WhenError, clock_in, numerals_to_digits, parse_when, task_without
from bot.core.dialogue import texts
from bot.core.dialogue.actions import ReminderOp, decode
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.state import Outcome
from bot.core.reminders.asking import confirm, list_reminders
from bot.core.reminders.control import UNSKIP_WHICH, ask_cancel, skip_in_words, snooze_said, unskip
from bot.core.reminders.host import MAX_LISTED, Ctx
from bot.core.reminders.kinds.registry import all_kinds, kind_of
from bot.core.reminders.model import ReminderView
from bot.core.reminders.refs import PAID_OFF_WORDS, ReminderRef, named_reminder, naming
from bot.core.reminders.setup_answers import correction
from bot.core.reminders.setup_state import Confirm
from bot.core.reminders.titles import title_said
from bot.core.safety.net import position
from bot.core.understanding.textnorm import clean


@dataclass(frozen=True, slots=True)
class Said:
    """The time words of a change request: a time of day alone, or a moment."""

    body: str  # the text, cleaned, numerals as digits
    clock: time | None  # a time of day said
    parsed: When | WhenAsk | WhenError | None  # the whole phrase read
    only_clock: bool  # a time of day and no date


def said_time(ctx: Ctx, text: str, now: datetime) -> Said:
    """What a change request says of the new time (「ジムを21時に変えて」 「明後日に変えて」)."""
    local = ctx.local(now)
    body = numerals_to_digits(clean(text))
    clock, spans = clock_in(body)
    only_clock = clock is not None and parse_when(task_without(body, spans), local) is None
    return Said(body, clock, parse_when(body, local), only_clock)


# A value said with the change (「10日に」 「5日前」): with no reminder to change, a request.
_VALUE = re.compile(r"[0-9０-９]")


def _nothing_to_change(ref: ReminderRef, out: Outcome, text: str) -> bool:
    """「返済日を10日に…リマインダーも5日前に」 with no reminder set: a request, read later."""
    return ref.verb == "change" and not out.reminders and not ref.recent and bool(_VALUE.search(text))


def by_name(ctx: Ctx, out: Outcome, text: str, now: datetime) -> bool:
    """「ジムのやつやめたい」 「電話のリマインダーを11時に変えて」: a reminder named with what to do;
    「あとでもう一回」 right after one came: it again later. False when no reminder is meant."""
    if snooze_said(ctx, out, text, now) or retitle(ctx, out, text, now) or by_reference(ctx, out, text, now):
        return True
    ref = named_reminder(text, out.reminders)
    if ref is None or _nothing_to_change(ref, out, text):
        return False
    node = ctx.flow.nodes.get(out.state.node or "")
    if not ref.matches and ref.recent and not ref.general and (node is not None and not node.is_final):
        return False  # 「やっぱりやめる」 in the middle of a diagnosis: leaving it, not a reminder
    if ref.verb == "cancel" and PAID_OFF_WORDS.search(text):
        out.replies.append(Reply(texts.PAID_OFF))  # 「完済した！」 is heard before the reminder goes
    _on_ref(ctx, out, ref, text, now)
    return True


_NO_TEXT_OF_ITS_OWN = "このお知らせの内容は変えられません。日時の変更や取り消しはできます。"


def retitle(ctx: Ctx, out: Outcome, text: str, now: datetime) -> bool:
    """「薬のやつ、サプリに名前変えて」: the reminder named (the only one, or the one just saved) gets the
    new text, confirmed first at its same times. False when no text is given or nothing is set."""
    said = title_said(text)
    if said is None or not out.reminders:
        return False
    title, rest = said
    matches = naming(rest, out.reminders)
    if len(matches) > 1:
        list_reminders(ctx, out, now, head=texts.CHANGE_WHICH, only=matches)
        return True
    view = matches[0] if matches else out.reminders[0] if len(out.reminders) == 1 else ctx.newest(out)
    if view is None or not (matches or len(out.reminders) == 1 or out.saved_last_turn or _THAT.search(rest)):
        list_reminders(ctx, out, now, head=texts.CHANGE_WHICH)
        return True
    spec = kind_of(view.kind).renamed(view, title)
    if spec is None:
        out.replies.append(Reply(_NO_TEXT_OF_ITS_OWN, ctx.host.menu_choices()))
    else:
        confirm(ctx, out, spec, now)
    return True


# A change asked for in words (「21時にして」 「11時に変えて」 「明後日にずらして」).
_CHANGE = re.compile(
    r"変え|かえて|かえたい|変更|へんこう|ずらし|ずらす|にして|にする|に直し|になおし|移動|動かし|うごかし"
)
# The reminder pointed at: the one listed or just saved.
_THAT = re.compile(r"それ|そっち|そいつ|あれ|これ|その(?:お知らせ|リマインダー|やつ)|さっきの|今の|いまの")


def by_reference(ctx: Ctx, out: Outcome, text: str, now: datetime) -> bool:
    """「2つ目を21時にして」 「それ11時に変えて」: the reminder at that place in the list last shown, or
    the one pointed at (the only one listed, else the one just saved), changes to what is said."""
    if not _CHANGE.search(text):
        return False
    shown = [a.reminder_id for _l, v in out.state.offered if isinstance(a := decode(v), ReminderOp)]
    order = [r for rid in dict.fromkeys(shown) if (r := ctx.owned(out, rid)) is not None]
    number = position(text)
    view: ReminderView | None = None
    if number is not None:
        listed = order or list(out.reminders)[:MAX_LISTED]
        index = len(listed) - 1 if number == -1 else number - 1
        view = listed[index] if 0 <= index < len(listed) else None
    elif _THAT.search(text):
        view = order[0] if len(order) == 1 else ctx.newest(out) if out.saved_last_turn else None
    if view is None:
        return False
    kind_of(view.kind).change_in_words(ctx, out, view, text, now)
    return True


def _on_ref(ctx: Ctx, out: Outcome, ref: ReminderRef, text: str, now: datetime) -> None:
    matches = ref.matches
    if not matches and ref.recent and out.reminders:
        matches = (max(out.reminders, key=lambda r: r.id),)  # 「さっきの」: the newest
    head = texts.CANCEL_WHICH if ref.verb == "cancel" else texts.CHANGE_WHICH
    pick = "drop" if ref.verb == "cancel" else "change"  # a pick from the list does what was asked
    if ref.verb in ("skip", "unskip") and not matches:
        _skip_unnamed(ctx, out, ref.verb, text, now)
        return
    if len(matches) == 1:
        on_named(ctx, out, ref.verb, matches[0], text, now)
    elif matches:
        list_reminders(ctx, out, now, head=head, only=matches, verb=pick)
    elif len(out.reminders) == 1 and ref.general:
        on_named(ctx, out, ref.verb, out.reminders[0], text, now)  # 「お知らせもういらない」: the only one
    elif out.reminders:
        list_reminders(ctx, out, now, head=head, verb=pick)
    else:
        list_reminders(ctx, out, now)  # none set: says so, with what can be set


def _skip_unnamed(ctx: Ctx, out: Outcome, verb: str, text: str, now: datetime) -> None:
    """「今月だけスキップ」 (or 「スキップやめて」) naming no reminder: the one that repeats, or which of them
    is asked."""
    repeating = tuple(r for r in out.reminders if kind_of(r.kind).repeats)
    if len(repeating) == 1:
        on_named(ctx, out, verb, repeating[0], text, now)
    elif repeating:
        list_reminders(ctx, out, now, head=texts.SKIP_WHICH if verb == "skip" else UNSKIP_WHICH, only=repeating)
    else:
        list_reminders(ctx, out, now)  # nothing repeats: the list says what is set


def on_named(ctx: Ctx, out: Outcome, verb: str, view: ReminderView, text: str, now: datetime) -> None:
    """One reminder named: a cancel asks first; a change goes to its kind (the new value in words)."""
    if verb == "cancel":
        ask_cancel(ctx, out, view, now)
    elif verb == "skip":
        skip_in_words(ctx, out, view, text, now)
    elif verb == "unskip":
        unskip(ctx, out, view, now)
    else:
        kind_of(view.kind).change_in_words(ctx, out, view, text, now)


def change_newest(ctx: Ctx, out: Outcome, text: str, now: datetime) -> bool:
    """A correction right after a reminder was saved (「やっぱり11時で」): the one just saved changes."""
    view = ctx.newest(out)
    if view is not None and _names_another_kind(text, view):
        return (
            False  # 「返済日は27日」 right after 「明日10時に電話」: a repayment reminder, not a new date for the call
        )
    if view is not None and kind_of(view.kind).change_days(ctx, out, view, text, now):
        return True
    fixed = correction(text)
    if fixed is None or view is None:
        return False
    kind = kind_of(view.kind)
    start = len(out.replies)
    if not kind.change_newest(ctx, out, view, fixed, now):
        return False
    pending = out.state.pending
    if _ALSO.search(text) and not kind.one_per_user and isinstance(pending, Confirm):
        # 「その5分後にももう一回」: one more, beside the one just saved (not moved): read back as new.
        del out.replies[start:]
        confirm(ctx, out, pending.spec.but(replace=None), now, lead=ONE_MORE)
    return True


# 「…にも」 「もう一回」 「追加で」: another reminder beside the one just saved.
_ALSO = re.compile(r"(?:後|あと|前|まえ|時|分)にも|もう(?:一回|1回|いっかい|一度|1度|ひとつ|一つ|1つ)|追加|ついか")
ONE_MORE = "もう1件、追加します。"


def _names_another_kind(text: str, view: ReminderView) -> bool:
    """True when the words name a kind other than the reminder's own (返済 for a call reminder)."""
    return any(k.name != view.kind and any(w in text for w in k.name_words) for k in all_kinds())


def cancel_at(ctx: Ctx, out: Outcome, number: int, now: datetime) -> None:
    """「1番目のを消して」: the reminder at that place in the list last shown (named before it goes)."""
    shown = [a.reminder_id for _l, v in out.state.offered if isinstance(a := decode(v), ReminderOp)]
    order = [r for rid in shown if (r := ctx.owned(out, rid)) is not None] or list(out.reminders)[:MAX_LISTED]
    index = len(order) - 1 if number == -1 else number - 1
    if not 0 <= index < len(order):
        list_reminders(ctx, out, now, head=texts.NO_SUCH_REMINDER)
        return
    ask_cancel(ctx, out, order[index], now, number=index + 1)
