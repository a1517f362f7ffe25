"""The questions a reminder set-up can wait on, each a state with one handler of typed answers.

:data:`HANDLERS` maps a state type to the handler of text typed while it waits; :data:`ASKERS` maps
it to asking the question again. The kinds add the handlers of their own questions (the repayment
day, its lead and time). A handler returns False when the text is no answer to its question: the
conversation then reads it otherwise, and asks the question again when nothing else fits.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from typing import Any

from bot.core.dates.jptime import When, numerals_to_digits, open_hour_in, parse_answer, parse_clock, parse_when, task_of
from bot.core.dialogue import texts
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.state import Outcome
from bot.core.reminders.asking import ask_new_time, ask_task, ask_what, ask_what_repeat, confirm, when_given
from bot.core.reminders.confirm_answers import at_confirm, moved_by
from bot.core.reminders.control import act, ask_cancel, cancel_all, cancel_answer, confirm_cancel_all, setup_control
from bot.core.reminders.detect import detect, repeat_spec, task_spec
from bot.core.reminders.host import ANSWER_MIN, SHORT_ANSWER_MIN, Ctx
from bot.core.reminders.keep_some import all_but_named
from bot.core.reminders.kinds.base import Answer, Asker, Kind, TextHandler
from bot.core.reminders.kinds.messages import stop_verb
from bot.core.reminders.kinds.registry import all_kinds, kind_of, task_kind
from bot.core.reminders.recurrence import Rule
from bot.core.reminders.setup_answers import (
    NO,
    PLAIN_NO,
    YES,
    Correction,
    correction,
    drops_draft,
    last_thought,
    near_draft,
    on_day_at,
)
from bot.core.reminders.setup_state import (
    REMINDER_SETUPS,
    AskTask,
    AskWhat,
    AskWhen,
    Confirm,
    ConfirmCancel,
    ConfirmCancelAll,
)
from bot.core.reminders.weekday_words import weekdays_said
from bot.core.reminders.when_menu import ask_when, half_of_day, offer_again
from bot.core.understanding import Reading
from bot.core.understanding.textnorm import clean

# ---------------------------------------------------------------------- typed answers


def _cancel_all(ctx: Ctx, pending: ConfirmCancelAll, a: Answer) -> bool:
    if all_but_named(ctx, a.out, a.text, a.now):
        return True  # 「ゴミ出しのは残して」: the others go
    return cancel_answer(ctx, a.out, a.key, a.reading, lambda: cancel_all(ctx, a.out, a.now))


def _cancel_one(ctx: Ctx, pending: ConfirmCancel, a: Answer) -> bool:
    rid = pending.reminder_id
    view = ctx.owned(a.out, rid)
    verb = stop_verb(view) if view is not None else "cancel"
    if re.search(r"今後|こんご|これから|以降|ずっと", a.key):
        verb = "cancel"  # 「今後ぜんぶ」: every time to come, nothing left to ask
    return cancel_answer(ctx, a.out, a.key, a.reading, lambda: act(ctx, a.out, verb, rid, a.now))


# 「まだ決めてない」 「未定」: no moment yet (「そのうち」 has its own answer: 日時が決まりません).
_UNDECIDED = re.compile(
    r"(?:まだ)?(?:日にち|日付|ひにち|日時|いつ)?(?:は|も)?(?:決めてな|きめてな|決まってな|きまってな|決まってませ|未定|みてい)"
)


# A tag question (「今日寒くない？」 「明日雨かな？」): talk beside the question, not its answer.
_REMARK = re.compile(r"(?:ない|よね|かな|でしょ|じゃん|かね|くない)[?？]+$")


def _when(ctx: Ctx, pending: AskWhen, a: Answer) -> bool:
    """「明日の10時」, 「はい」 to the one moment proposed, 「夜中」 for one of two; 「いいえ」: asked again."""
    out, key, top = a.out, a.key, a.reading.top
    if _REMARK.search(a.text.strip()) and not re.search(r"\d|時|朝|夜|昼", a.text):
        return False  # 「今日寒くない？」: a remark, not the moment (the question stays)
    if _UNDECIDED.search(key):
        # 「まだ日にち決めてない」: nothing to set yet; said so, and the question stays for when it is.
        out.replies.append(Reply(texts.WHEN_UNDECIDED))
        repeat_question(ctx, out, a.now)
        return True
    if key in PLAIN_NO:
        # 「いいえ」 to 「明日の10時にしますか？」: not that moment; the task stays, the question too.
        repeat_question(ctx, out, a.now)
        return True
    if pending.options and (key in YES or (top.intent == "yes" and top.score >= ANSWER_MIN)):
        if len(pending.options) > 1:
            # 「はい」 to 「今夜の20:00と明日の8:00の、どちらにしますか？」 does not say which.
            offer_again(ctx, out, pending, a.now)
        else:
            # 「はい」 to 「明日の10時にしますか？」: the one moment proposed.
            at = ctx.local(datetime.fromisoformat(pending.options[0]))
            when_given(ctx, out, pending.spec, When("once", at=at), a.now)
        return True
    picked = half_of_day(ctx, key, pending.options)
    if picked is not None:
        # 「夜中」 「午後の方」 to 「2時は、午後2時ですか？ 夜中の2時ですか？」: one of the two shown.
        when_given(ctx, out, pending.spec, When("once", at=picked), a.now)
        return True
    near = _near_the_proposal(ctx, pending, a.text)
    if near is not None:
        when_given(ctx, out, pending.spec, When("once", at=near), a.now)
        return True
    text, context = last_thought(a.text, pending.context)
    parsed = parse_answer(text, context, ctx.local(a.now))
    if parsed is None:
        return False
    when_given(ctx, out, pending.spec, parsed, a.now)
    return True


def _near_the_proposal(ctx: Ctx, pending: AskWhen, text: str) -> datetime | None:
    """「8時くらい」 to 「明日の20:00にしますか？」: an hour alone, on the day proposed, in the half of the
    day nearer the proposal (20:00, not 8:00)."""
    if len(pending.options) != 1:
        return None
    body = numerals_to_digits(clean(text))
    if parse_clock(body) is None or not open_hour_in(body):
        return None
    fixed = correction(body)
    if fixed is None or fixed.clock is None:
        return None
    proposed = ctx.local(datetime.fromisoformat(pending.options[0]))
    clock = near_draft(proposed.time(), fixed) or fixed.clock
    return datetime.combine(proposed.date(), clock, proposed.tzinfo)


def _short_answer(key: str, reading: Reading) -> bool:
    """A yes or no given where a task was asked for (short, and read as such with confidence)."""
    if key in YES or key in NO:
        return True
    top = reading.top
    return len(key) <= 12 and top.intent in ("yes", "no", "quit") and top.score >= SHORT_ANSWER_MIN


def _yes_or_no_for_a_task(ctx: Ctx, a: Answer) -> bool:
    """「はい」 or 「いいえ」 is no task: a no leaves the set-up, a yes hears the question again."""
    if not _short_answer(a.key, a.reading):
        return False
    if a.key in NO or a.reading.top.intent in ("no", "quit"):
        setup_control(ctx, a.out, "no", a.now)
    else:
        repeat_question(ctx, a.out, a.now)
    return True


def _task(ctx: Ctx, pending: AskTask, a: Answer) -> bool:
    """What and when together (「明日の10時に電話する」), or a task alone (then: when?)."""
    if _yes_or_no_for_a_task(ctx, a):
        return True
    if _ABOUT_THE_BOT.search(a.key):
        return False  # 「そもそも何ができるの？」: a question about the bot, answered by its help
    named = _kind_named(a.key)
    if named is not None and named.detect(ctx, a.out, a.text, a.situation, a.now, True):
        return True  # 「じゃあ返済日のやつで、毎月20日」: that kind, with what was said of it
    if named is not None and len(a.key) <= 8:
        # 「へんさいび」 alone: that kind's own set-up (its day asked), not a task called 「へんさいび」.
        named.start(ctx, a.out, named.commands[0], a.situation, a.now)
        return True
    if detect(ctx, a.out, a.text, a.situation, a.now, stage=task_kind().name, explicit=True):
        return True
    what = task_of(a.text)
    if not what and not a.elsewhere and _ASKS_A_REMINDER.search(a.key):
        repeat_question(ctx, a.out, a.now)  # 「リマインダー欲しいんだけど」: the question again, plainly
        return True

    if (a.elsewhere and not _PUT_IN.search(a.text)) or not what:
        return False
    # A task without a time: keep it and ask when.
    ask_when(ctx, a.out, texts.ASK_FREE_WHEN, task_spec(what, a.situation), a.now)
    return True


# 「そもそも何ができるの？」 「使い方は？」 where a task is asked: about the bot, not a task.
_ABOUT_THE_BOT = re.compile(
    r"(?:何|なに|なん)が(?:でき|出来)|(?:そもそも|このぼっと|これ)(?:って)?(?:何|なに|なん)|使い方|つかいかた"
)


def _kind_named(key: str) -> Kind | None:
    """The kind with a set-up of its own that an answer names (「返済日」 「来店」), or None."""
    return next((k for k in all_kinds() if k.offer and k.commands and any(w in key for w in k.name_words)), None)


def _what(ctx: Ctx, pending: AskWhat, a: Answer) -> bool:
    """What to remind of at the time (or by the rule) already given."""
    if _yes_or_no_for_a_task(ctx, a) or _when_corrected(ctx, pending, a):
        return True
    # A call is a task like any other here (「カード会社に電話する」), not a request for the call step;
    # words named to be put in (「歯医者って入れて」) are the task, whatever else they sound like.
    elsewhere = a.elsewhere and a.reading.top.intent != "call" and not _PUT_IN.search(a.text)
    what = _CONTENT_SAID.sub("", task_of(a.text))  # 「内容は書類を探す」: the content itself
    what = _POINTED.sub("", what) or what  # 「さっきの電話のやつ」: 電話
    if not what and not elsewhere and _ASKS_A_REMINDER.search(a.key):
        repeat_question(ctx, a.out, a.now)  # 「リマインダー欲しいんだけど」: no task yet; asked again
        return True
    if not what or elsewhere or _OTHER_TOPIC.search(a.text):
        return False
    if pending.rule:
        spec = repeat_spec(pending.rule, what)
    else:
        spec = task_spec(what, a.situation).but(at=pending.at)
    confirm(ctx, a.out, spec, a.now)
    return True


# 「歯医者って入れて」: the words named as the reminder's own.
_PUT_IN = re.compile(r"(?:って|と)(?:入れ|いれ|登録|追加|書い|書き|メモ|セット)")
# 「リマインダー欲しいんだけど」: a reminder asked for again, with nothing to remind of in it.
_ASKS_A_REMINDER = re.compile(r"りまいんだー|りまいんど|お知らせ|おしらせ|通知|知らせて")
_CONTENT_SAID = re.compile(r"^(?:内容|中身|タイトル|用件)(?:は|を|:|：)\s*")
# 「さっきの電話のやつ」 「例の振込の件」: words that point at the task, not part of it.
_POINTED = re.compile(
    r"^(?:さっきの|さっき言った|さっきいった|例の|れいの|いつもの)|(?:のやつ|のヤツ|の件|のけん|のこと)$"
)
# 「やっぱ先にログインの話」 「その前に質問」: another topic, not what to be reminded of.
_OTHER_TOPIC = re.compile(r"の話|のはなし|先に|さきに|その前に|そのまえに|質問|しつもん|ちょっと待って|ちょっとまって")


def _when_corrected(ctx: Ctx, pending: AskWhat, a: Answer) -> bool:
    """「やっぱ火曜にして」 「11時にして」 while the task is asked: the time changes (never the task's title),
    and the task is asked again."""
    fixed = correction(a.text)
    if fixed is None or fixed.days_before is not None or fixed.day is not None:
        return False
    if pending.rule:
        return _rule_corrected(ctx, Rule.from_json(pending.rule), fixed, a)
    return _moment_corrected(ctx, pending.at, fixed, a)


def _rule_corrected(ctx: Ctx, rule: Rule, fixed: Correction, a: Answer) -> bool:
    days = weekdays_said(a.text)
    if days and rule.weekday is not None:
        rule = dataclasses.replace(rule, weekday=days[0], also=tuple(dict.fromkeys(days[1:])))
    elif fixed.clock is None:
        return False
    if fixed.clock is not None:
        rule = dataclasses.replace(rule, clock=near_draft(rule.clock, fixed) or fixed.clock)
    ask_what_repeat(ctx, a.out, rule)
    return True


def _moment_corrected(ctx: Ctx, at: str | None, fixed: Correction, a: Answer) -> bool:
    if not at:
        return False
    draft = ctx.local(datetime.fromisoformat(at))
    if fixed.shift is not None or fixed.half:
        # 「夜」 「30分遅らせて」 while the task is asked: the same day, the hour moved.
        ask_what(ctx, a.out, moved_by(draft, fixed), a.now)
        return True
    clock = near_draft(draft.time(), fixed)
    if clock is not None and not fixed.text:
        ask_what(ctx, a.out, on_day_at(draft, clock), a.now)
        return True
    parsed = parse_when(fixed.text, ctx.local(a.now)) if fixed.text else None
    if not isinstance(parsed, When) or parsed.at is None:
        return False
    moment = parsed.at if parsed.clock is not None else datetime.combine(parsed.at.date(), draft.timetz())
    ask_what(ctx, a.out, moment, a.now)
    return True


HANDLERS: dict[type, TextHandler] = {
    Confirm: at_confirm,
    ConfirmCancelAll: _cancel_all,
    ConfirmCancel: _cancel_one,
    AskWhen: _when,
    AskTask: _task,
    AskWhat: _what,
}


def on_text(ctx: Ctx, a: Answer) -> bool:
    """Typed text while the dialog waits on a question; False when it is no answer to it."""
    pending = a.out.state.pending
    if isinstance(pending, REMINDER_SETUPS) and drops_draft(a.key):
        # 「取り消し」 「やめとく」 at any question of the set-up: the draft goes, nothing is saved.
        setup_control(ctx, a.out, "no", a.now)
        return True
    handlers = dict(HANDLERS)
    for kind in all_kinds():
        handlers.update(kind.text_handlers())
    handler = handlers.get(type(pending))
    return handler is not None and handler(ctx, pending, a)


# ---------------------------------------------------------------------- asking again


def _ask_confirm(ctx: Ctx, out: Outcome, pending: Confirm, now: datetime) -> None:
    confirm(ctx, out, pending.spec, now)


def _ask_when(ctx: Ctx, out: Outcome, pending: AskWhen, now: datetime) -> None:
    ask_when(ctx, out, kind_of(pending.spec.kind).ask_when_text, pending.spec, now)


def _ask_task(ctx: Ctx, out: Outcome, pending: AskTask, now: datetime) -> None:
    if pending.what:
        ask_new_time(ctx, out, pending.what, pending.replace)
    else:
        ask_task(ctx, out)


def _ask_what(ctx: Ctx, out: Outcome, pending: AskWhat, now: datetime) -> None:
    if pending.rule:
        ask_what_repeat(ctx, out, Rule.from_json(pending.rule))
    elif pending.at:
        ask_what(ctx, out, datetime.fromisoformat(pending.at), now)


def _ask_cancel_all(ctx: Ctx, out: Outcome, pending: ConfirmCancelAll, now: datetime) -> None:
    confirm_cancel_all(ctx, out, now)


def _ask_cancel(ctx: Ctx, out: Outcome, pending: ConfirmCancel, now: datetime) -> None:
    view = ctx.owned(out, pending.reminder_id)
    if view is not None:
        ask_cancel(ctx, out, view, now)


ASKERS: dict[type, Asker] = {
    Confirm: _ask_confirm,
    AskWhen: _ask_when,
    AskTask: _ask_task,
    AskWhat: _ask_what,
    ConfirmCancelAll: _ask_cancel_all,
    ConfirmCancel: _ask_cancel,
}


def _askable(out: Outcome, pending: Any) -> bool:
    if isinstance(pending, AskWhat):
        return bool(pending.rule or pending.at)
    if isinstance(pending, ConfirmCancel):
        return any(r.id == pending.reminder_id for r in out.reminders)
    return True


def repeat_question(ctx: Ctx, out: Outcome, now: datetime) -> bool:
    """Ask again the set-up question the user is in (after a resume or a misunderstanding)."""
    pending = out.state.pending
    askers = dict(ASKERS)
    for kind in all_kinds():
        askers.update(kind.askers())
    asker = askers.get(type(pending))
    if asker is None or not _askable(out, pending):
        return False
    asker(ctx, out, pending, now)
    return True
