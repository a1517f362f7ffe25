"""Reading a reminder request from a sentence: 「明日10時に電話」, 「毎週金曜の夜8時にジム」,
「電話するのリマインドして」 (the task kept, the time asked), 「10時にリマインドして」 (the time kept,
the task asked). The repayment day said in a sentence is read by its kind.

:func:`detect` runs the reading of the kind named by ``stage``; :func:`dated_task` is the reading
of a task with a time, whatever kind the task turns out to be (:func:`task_spec`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import datetime

from bot.core.dates.jptime import When, WhenAsk, WhenError, parse_when, task_of
from bot.core.dialogue import texts
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.state import Outcome
from bot.core.reminders.asking import WHEN_ERRORS, ask_what, ask_what_repeat, confirm, confirm_several, when_given
from bot.core.reminders.host import Ctx
from bot.core.reminders.kinds.registry import for_task, get, rule_kind, task_kind
from bot.core.reminders.mixed import mixed_drafts
from bot.core.reminders.recurrence import parse_rule
from bot.core.reminders.setup_state import AskTask, Confirm, Spec
from bot.core.reminders.several import several_drafts
from bot.core.reminders.when_menu import ask_when
from bot.core.situation.facts import Situation
from bot.core.understanding.textnorm import clean

Parsed = When | WhenAsk | WhenError | None
# Words about the reminder itself, never a task (「リマインダーを設定したい」).
_META = re.compile(r"リマインド|リマインダ|りまいんど|お知らせ|おしらせ|通知|アラーム|設定|追加|登録|予定")
# The request itself in the words (a time said with it is the reminder's, whatever joins them).
_ASKS_TO_REMIND = re.compile(
    r"教えて|おしえて|知らせて|しらせて|リマインド|りまいんど|通知して|忘れないよう|わすれないよう"
)
# Words that tell or ask of a time, not a request (「夜になったら入れへん」 「明日になったら戻るん？」 「昼間は
# 入れてたのに」): without the request said in so many words, no reminder is made of them.
_TOLD_NOT_ASKED = re.compile(r"[?？]\s*$|(?:に|く)なっ(?:たら|て)|になると|のに[、,\s]|ようになっ")
# "<when>に<what>": the time phrase joined to what follows.
_JOINED = re.compile(r"(?:時|分|日|\d|旬|週|月|後|け|頭|末|曜|午|方|夜|朝|\)|）)\s*(?:に|、|,|\s)")


def detect(
    ctx: Ctx, out: Outcome, text: str, situation: Situation, now: datetime, stage: str, explicit: bool = False
) -> bool:
    """Reminders asked for in free text, read the way the kind named by ``stage`` reads them.

    ``explicit``: the user asked for a reminder, so a time alone is kept and the task asked for.
    """
    kind = get(stage)
    return kind is not None and kind.detect(ctx, out, text, situation, now, explicit)


def task_spec(what: str, situation: Situation) -> Spec:
    """The draft for a task said in words: the kind that claims it (a visit), else a plain one."""
    return for_task(what).task_spec(what, situation)


def plain_spec(what: str = "", replace: int | None = None) -> Spec:
    """The draft of a plain reminder (its task, if known)."""
    return Spec(task_kind().name, what=what, replace=replace)


def repeat_spec(rule: str, what: str, replace: int | None = None) -> Spec:
    """The draft of a repeating reminder."""
    return Spec(rule_kind().name, rule=rule, what=what[:100], replace=replace)


def detect_repeat(ctx: Ctx, out: Outcome, text: str, now: datetime, explicit: bool, carry: AskTask | None) -> bool:
    """ "毎週金曜の夜8時に電話": a repeating reminder, confirmed with its next two occurrences."""
    read = parse_rule(text, ctx.local(now))
    if read is None:
        return False
    if read.rule is None:
        message = texts.WHEN_WHICH_WEEKDAY if read.error == "weekday" else texts.REPEAT_INVALID
        out.replies.append(Reply(message, ctx.host.menu_choices()))
        return True
    replace = carry.replace if carry is not None else None
    what = read.rest or (carry.what if carry is not None else "")
    if not what:
        if not explicit:
            return False
        ask_what_repeat(ctx, out, read.rule)
        return True
    confirm(ctx, out, repeat_spec(read.rule.to_json(), what, replace), now)
    return True


def dated_task(ctx: Ctx, out: Outcome, text: str, situation: Situation, now: datetime, explicit: bool) -> bool:
    """A task with a time, a repeat rule, or (asked for in so many words) one of the two alone."""
    carry = out.state.pending if isinstance(out.state.pending, AskTask) else None
    text = _that_day(ctx, out, text)
    mixed = mixed_drafts(text, ctx.local(now), lambda w: task_spec(w, situation), repeat_spec) if not carry else None
    if mixed:
        confirm_several(ctx, out, mixed, now)  # 「毎週火曜にゴミ、あと明日10時に歯医者」: both, one yes
        return True
    if detect_repeat(ctx, out, text, now, explicit, carry):
        return True
    drafts = several_drafts(text, ctx.local(now), lambda what: task_spec(what, situation)) if carry is None else None
    if drafts:
        confirm_several(ctx, out, drafts, now)  # 「明日12時にランチ、12時半に郵便局」: both, one yes
        return True
    text, first = _clean_sentence(text, parse_when(text, ctx.local(now)), ctx.local(now))
    parsed = _same_as_before(ctx, out, first)
    if carry is not None and carry.what and isinstance(parsed, When | WhenAsk) and not parsed.rest:
        # Changing a reminder: a new time alone keeps its task (and replaces it when saved).
        when_given(ctx, out, plain_spec(carry.what, carry.replace), parsed, now)
        return True
    turn = _Turn(ctx, out, text, situation, now, explicit, bool(_JOINED.search(clean(text))))
    # 「ATMにお金おろしに行くの、月曜の昼休みに教えて」: a time with the request in so many words.
    turn.asked = explicit or parsed.ahead if isinstance(parsed, When) else explicit
    turn.asked = turn.asked or bool(_ASKS_TO_REMIND.search(text))
    if parsed is None:
        return _no_time(turn)
    return _READINGS[type(parsed)](turn, parsed)


# 「その日の昼に…12時にもう1個」: the day of the draft on the screen, or of the reminder just set.
_THAT_DAY = re.compile(r"その日|そのひ|同じ日|おなじひ|当日")


def _that_day(ctx: Ctx, out: Outcome, text: str) -> str:
    """「その日」 read as the date of the draft (or the newest reminder), when there is one."""
    if not _THAT_DAY.search(text):
        return text
    draft = out.state.pending.spec if isinstance(out.state.pending, Confirm) else None
    newest = ctx.newest(out)
    at = datetime.fromisoformat(draft.at) if draft is not None and draft.at else (newest.at if newest else None)
    if at is None:
        return text
    day = ctx.local(at)
    return _THAT_DAY.sub(f"{day.month}月{day.day}日", text, count=1)


def _clean_sentence(text: str, parsed: Parsed, now: datetime) -> tuple[str, Parsed]:
    """「じゃあ今日はあきらめる。月曜に電話するの忘れそう」 「明日やるわ。明日の昼に思い出させて」:
    when the whole reads badly (a time in two sentences), the last sentence that reads well alone."""
    sentences = [p for p in re.split(r"(?<=[。！!？?\n])", text) if p.strip()]
    messy = isinstance(parsed, WhenAsk) and parsed.reason == "unknown"
    messy = messy or (isinstance(parsed, When | WhenAsk) and bool(re.search(r"[。！!？?]", parsed.rest or "")))
    if len(sentences) < 2 or not messy:
        return text, parsed
    last = sentences[-1].strip()
    alone = parse_when(last, now)
    if isinstance(alone, When) or (isinstance(alone, WhenAsk) and alone.reason != "unknown"):
        return last, alone
    return text, parsed


# 「日曜も同じやつで」: the task of the reminder set just before, not a task called 「同じやつ」.
_SAME_TASK = re.compile(
    r"^(?:(?:それ|これ|さっき|前)と)?(?:同じ|おなじ)(?:やつ|の|内容|もの|こと|ので|用件)?(?:で|を|に)?$"
)


def _same_as_before(ctx: Ctx, out: Outcome, parsed: When | WhenAsk | WhenError | None) -> Parsed:
    """The phrase with 「同じやつ」 read as the newest reminder's task ("" when there is none: then it is asked)."""
    if parsed is None or not _SAME_TASK.match(parsed.rest):
        return parsed
    draft = out.state.pending.spec if isinstance(out.state.pending, Confirm) else None
    newest = ctx.newest(out)
    what = draft.what if draft is not None and draft.what else newest.what if newest is not None else ""
    return dataclasses.replace(parsed, rest=what)


class _Turn:
    """What the readings of a sentence share."""

    def __init__(
        self, ctx: Ctx, out: Outcome, text: str, situation: Situation, now: datetime, explicit: bool, joined: bool
    ) -> None:
        self.ctx, self.out, self.text, self.situation = ctx, out, text, situation
        self.now, self.explicit, self.joined = now, explicit, joined
        self.asked = explicit  # asked for in so many words, with a time

    def spec(self, rest: str) -> Spec:
        return task_spec(rest, self.situation) if rest else plain_spec()


def _no_time(t: _Turn) -> bool:
    """「電話するのリマインドして」: the task is kept and only the time asked for."""
    if not t.explicit:
        return False
    what = task_of(t.text)
    if not what or _META.search(what):
        return False
    ask_when(t.ctx, t.out, texts.ASK_FREE_WHEN, task_spec(what, t.situation), t.now)
    return True


def _error(t: _Turn, parsed: object) -> bool:
    """ "<when>に<what>" with a date that cannot be: say why (a bare past date is just chat)."""
    assert isinstance(parsed, WhenError)
    if not (t.asked or t.joined):
        return False
    if parsed.rest or t.asked:
        # The set-up goes on: the task is kept and only a new time is asked for.
        ask_when(t.ctx, t.out, WHEN_ERRORS[parsed.reason], t.spec(parsed.rest), t.now, parsed.context)
    else:
        t.out.replies.append(Reply(WHEN_ERRORS[parsed.reason], t.ctx.host.menu_choices()))
    return True


def _question(t: _Turn, parsed: object) -> bool:
    """A time phrase to ask about (「2時に電話」: afternoon or night?)."""
    assert isinstance(parsed, WhenAsk)
    if not (t.explicit or ((t.asked or t.joined) and parsed.rest)):
        return False  # a request without its task here (「…のリマインドして。月曜の仕事帰り」): the kind's own reading
    if not t.asked and _TOLD_NOT_ASKED.search(t.text):
        return False
    when_given(t.ctx, t.out, t.spec(parsed.rest), parsed, t.now)
    return True


def _moment(t: _Turn, parsed: object) -> bool:
    """ "<when>に<what>": the time expression must be joined to a task, else it is just chat
    (今日はいい天気ですね, 朝からログインできない)."""
    assert isinstance(parsed, When)
    if parsed.kind == "monthly":
        return False
    if not parsed.rest:
        if t.explicit and parsed.at is not None:
            ask_what(t.ctx, t.out, parsed.at, t.now)
            return True
        return False
    # 「…なので、前の日に教えて」 「月末くらいに教えて、更新のやつ」: a reminder asked for in so many words.
    explicit = t.asked
    # 「夜中にもかかってくる」: a time told of, not a reminder (a task never starts with a particle).
    if not explicit and (
        parsed.joined_by not in ("に", "、", ",", " ")
        or parsed.rest.startswith(("から", "も", "は", "が"))
        or _TOLD_NOT_ASKED.search(t.text)
    ):
        return False
    when_given(t.ctx, t.out, task_spec(parsed.rest, t.situation), parsed, t.now)
    return True


_READINGS: dict[type, Callable[[_Turn, object], bool]] = {WhenError: _error, WhenAsk: _question, When: _moment}
