"""Typed answers at 「この内容で設定しますか？」: a yes, a no, a correction of the draft
(「11時で」 「やっぱり明後日」 「30分遅らせて」), 「ちがう」, or hesitation (the question again).

What a correction means for one kind is the kind's (:meth:`Kind.correct`); a moment's corrections,
shared by the kinds set for one moment, are :func:`correct_moment`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date, datetime

from bot.core.dates.jptime import When, WhenAsk, parse_when, utc_stamp
from bot.core.dialogue import texts
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.state import Outcome
from bot.core.reminders.asking import confirm, confirm_several, when_given
from bot.core.reminders.control import setup_control
from bot.core.reminders.day_parts import moved_by
from bot.core.reminders.host import ANSWER_MIN, Ctx
from bot.core.reminders.kinds.base import Answer, Kind
from bot.core.reminders.kinds.registry import kind_of, task_kind
from bot.core.reminders.setup_answers import (
    HESITATION,
    NO,
    YES,
    Correction,
    correction,
    is_wrong,
    near_draft,
    on_day_at,
    yes_no,
)
from bot.core.reminders.setup_state import Confirm, Spec
from bot.core.reminders.several import one_named, with_days_before
from bot.core.reminders.several_answers import drafts_on_screen, repeated, some_of_several
from bot.core.reminders.titles import quoted_only, title_said
from bot.core.understanding.textnorm import normalize

# What may follow restating words for them to be a yes (「毎月ね」 「毎月でお願いします」).
_RESTATED_TAIL = re.compile(
    r"(?:で|ね|です|でお願い(?:します)?|でおねがい(?:します)?|だよ|よ|でいい|でok)?[。！!〜ー]*"
)


def at_confirm(ctx: Ctx, pending: Confirm, a: Answer) -> bool:
    """Typed text at the confirmation; False when it is no answer to it."""
    if a.key in YES or a.key in NO:
        setup_control(ctx, a.out, "yes" if a.key in YES else "no", a.now)
        return True
    kind = kind_of(pending.spec.kind)
    # The first reading that takes the text answers it (the order matters: a yes said plainly first);
    # 「開いてない。じゃあ続き、6時半で」: else the last sentence, then the last clause, alone.
    for said in _tails(a.text):
        answer = dataclasses.replace(a, text=said, key=normalize(said)) if said != a.text else a
        if any(read(ctx, kind, pending.spec, answer) for read in _READINGS):
            return True
    return False


def _tails(text: str) -> list[str]:
    """The text, then its last sentence and its last clause when it has more than one, then the
    value said instead of another (「5日前じゃなくて2日前」 「夜っていうか18時」), then the value
    without 「ぜんぶ」 (「時間はぜんぶ朝7時」)."""
    sentence = re.split(r"[。.!！?？\n]+", text.strip(" 。.!！"))[-1].strip()
    clause = re.split(r"[、,]+", sentence)[-1].strip()
    plain = _HEDGE.sub("", clause)  # 「たぶん30日」: the value, without the hedge before it
    instead = _INSTEAD.split(plain)[-1].strip(" 、,")
    # Only beside a time (「全部消して」 is no 「消して」 of the draft).
    whole = _FOR_ALL.sub("", instead) if re.search(r"\d|時", instead) else ""
    return list(dict.fromkeys(t for t in (text, sentence, clause, plain, instead, whole) if t))


# 「5日前じゃなくて2日前」 「夜っていうか18時」: what follows is the value meant.
_INSTEAD = re.compile(r"(?:じゃなくて|ではなくて|じゃなく|でなくて|っていうか|というか|ってか|っつーか)")
# 「時間はぜんぶ朝7時」 「どれも7時で」: one value for every send.
_FOR_ALL = re.compile(
    r"^(?:時間|時刻|じかん)?(?:は|を|も)?(?:ぜんぶ|全部|どれも|両方|りょうほう|みんな|すべて|全て|どっちも|どちらも|2つとも|二つとも)[、,\s]*"
)


_HEDGE = re.compile(r"^(?:たぶん|多分|えっと|えーと|うーん|んー|まあ|一応|いちおう|確か|たしか)[、,\s]*")


def _restated(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    """「毎月ね」: what the draft already says, a yes."""
    said = next((a.key[len(w) :] for w in kind.restated if a.key.startswith(w)), "-")
    if not (kind.restated and _RESTATED_TAIL.fullmatch(said)):
        return False
    setup_control(ctx, a.out, "yes", a.now)
    return True


# 「時間はそのままで」 「日にちは同じで」: what the draft already says, kept (the draft asked again).
_UNCHANGED = re.compile(
    r"^(?:時間|時刻|じかん|じこく|日にち|日付|ひにち|日|曜日|内容|タイトル)(?:は|も)?(?:そのまま|同じ|おなじ|変えない|かえない|変えず|一緒|いっしょ)"
    r"(?:で|でいい|でok|でお願い(?:します)?|でおねがい(?:します)?|です|だよ)?[。!！]*$"
)
UNCHANGED = "はい、そのままにします。"


def _unchanged(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    if not _UNCHANGED.match(a.key):
        return False
    confirm(ctx, a.out, spec, a.now, lead=UNCHANGED)
    return True


# 「やっぱ1時間後でいい」 「やっぱ15分後」: counted from now, not from the draft.
_FROM_NOW = re.compile(r"\d{1,3}\s*(?:分|時間半?)\s*(?:半)?後(?!ろ)")


def _from_now(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    if not spec.at or spec.rule or not _FROM_NOW.search(a.key):
        return False
    parsed = parse_when(a.text, ctx.local(a.now))
    if not isinstance(parsed, When) or parsed.at is None:
        return False
    when_given(ctx, a.out, spec, dataclasses.replace(parsed, rest=""), a.now)
    return True


# 「じゃあ月曜の同じ時間に」: another day, the draft's time of day kept.
_SAME_TIME = re.compile(r"(?:の)?(?:同じ|おなじ)(?:時間|時刻|じかん|じこく)(?:に|で|にして)?")


# 「銀行は金曜にずれた」 「明日雨だから月曜にずらして」: the day moved, no time said (the draft's kept).
_DAY_MOVED = re.compile(
    r"(?:[月火水木金土日]曜日?|明日|あした|明後日|あさって|(?<!\d)\d{1,2}日(?!後|前|間|ずつ))(?:に|へ)"
    r"(?:ずれ|ずら|変更|へんこう|変わ|かわ|延期|えんき|なっ|移|うつ)"
)
_CLOCK_SAID = re.compile(r"\d\s*(?:時|:|分)|朝|昼|夜|夕方|午前|午後")


def _same_time_other_day(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    moved = _DAY_MOVED.search(a.key) and not _CLOCK_SAID.search(_SAME_TIME.sub("", a.key))
    if not spec.at or spec.rule or not (_SAME_TIME.search(a.key) or moved):
        return False
    meant = re.sub(r"^.*(?:じゃなくて|ではなくて|じゃなく|ではなく)", "", a.text)  # 「明日じゃなくて日曜の」
    # The clause that names the new day (「明日雨だから、月曜にずらして」: not 「明日」).
    clauses = [c for c in re.split(r"[。、,]|から|ので", _SAME_TIME.sub("", meant)) if c.strip()]
    day = next((d for c in reversed(clauses) if (d := _day_named(c, ctx.local(a.now))) is not None), None)
    if day is None:
        return False
    draft = ctx.local(datetime.fromisoformat(spec.at))
    when_given(ctx, a.out, spec, When("once", at=datetime.combine(day, draft.timetz())), a.now)
    return True


def _day_named(clause: str, now: datetime) -> date | None:
    """The day a clause names (「金曜に」 said on a Friday night: the coming one, the only one offered)."""
    parsed = parse_when(clause, now)
    if isinstance(parsed, When) and parsed.at is not None:
        return parsed.at.date()
    if isinstance(parsed, WhenAsk) and parsed.reason == "weekday" and len(parsed.options) == 1:
        return parsed.options[0].date()
    return None


def _before_too(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    """「前の日にも教えて」 at a one-time draft: the day before too, both confirmed with one yes."""
    pending = a.out.state.pending
    queued = pending.queued if isinstance(pending, Confirm) else ()
    both = with_days_before(spec, a.text, a.now) if not queued and spec.kind == task_kind().name else None
    if not both:
        return False
    confirm_several(ctx, a.out, both, a.now)
    return True


def _one_of_several_moved(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    """「病院のほう9時に変えて」 when several were asked for at once: that one at the new time, the others kept."""
    drafts = drafts_on_screen(spec, a)
    named = one_named(drafts, a.text) if len(drafts) > 1 else None
    fixed = correction(named[1]) if named is not None and named[1] else None
    old = drafts[named[0]] if named is not None else None
    if fixed is None or old is None or not old.at:
        return False
    draft = ctx.local(datetime.fromisoformat(old.at))
    clock = near_draft(draft.time(), fixed)
    at = moved_by(draft, fixed) if fixed.shift is not None else on_day_at(draft, clock) if clock is not None else None
    if at is None or at <= a.now:
        return False
    assert named is not None
    drafts[named[0]] = old.but(at=utc_stamp(at))
    confirm_several(ctx, a.out, drafts, a.now)
    return True


def _kind_answer(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    return kind.at_confirm(ctx, a.out, spec, a.text, a.now)


def _retitled(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    """「内容を「電話する」に変えて」 or 「じゃあ「電話する」で」: the draft's text, its time kept."""
    said = title_said(a.text)
    title = said[0] if said is not None else quoted_only(a.text)
    if not title or not spec.what:
        return False
    confirm(ctx, a.out, spec.but(what=title), a.now)
    return True


# 「当日の朝もお願い」: the day itself too (a lead added), not the lead replaced by the day.
_DAY_TOO = re.compile(r"当日(?:の)?(?:朝|あさ|昼|ひる|夜|よる|夕方)?(?:に)?も|とうじつ(?:の)?(?:あさ|ひる|よる)?も")


def _corrected(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    fixed = correction(a.text)
    if fixed is not None and fixed.days_before == 0 and spec.days_before and _DAY_TOO.search(a.text):
        fixed = dataclasses.replace(fixed, days_before=None)
    return fixed is not None and kind.correct(ctx, a.out, spec, fixed, a.now)


def _reworded(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    return kind.reword(ctx, a.out, spec, a.text, a.now)


def _wrong(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    if not is_wrong(a.key):
        return False
    # 「ちがう」: something is to be changed, not the whole set-up dropped.
    if not kind.on_wrong(ctx, a.out, a.now):
        confirm(ctx, a.out, spec, a.now, lead=texts.CONFIRM_WHAT_TO_CHANGE)
    return True


def _yes_no_or_unsure(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    answer = yes_no(a.key, a.reading, ANSWER_MIN)
    if answer in ("yes", "no"):
        setup_control(ctx, a.out, answer, a.now)
    elif a.key in HESITATION or _thinking(a.key):
        confirm(ctx, a.out, spec, a.now, lead=texts.CONFIRM_THINKING)
    elif answer == "unsure":
        confirm(ctx, a.out, spec, a.now, lead=texts.CONFIRM_UNSURE)
    else:
        return False
    return True


# 「じゃあマイナンバーカード持ってく。それで設定」: thoughts, then the answer.
_THOUGHTS = re.compile(r"[。.!！、,…]+")


def _yes_last(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    """A yes said last, after words that change nothing of the draft (no time in them)."""
    thoughts = [_LEAD_IN.sub("", k) for t in _THOUGHTS.split(a.text) if (k := normalize(t))]
    last = thoughts[-1] if thoughts else ""
    if len(thoughts) < 2 or not (last in YES or _YES_SAID.fullmatch(last)) or parse_when(a.text, a.now) is not None:
        return False
    setup_control(ctx, a.out, "yes", a.now)
    return True


# 「ありがとう、それでお願い」 「…リマインドは設定して」: a yes in a few words of its own.
_YES_SAID = re.compile(
    r"(?:それで|これで|その内容で|この内容で|そのないようで|このないようで)?"
    r"(?:お願い(?:します)?|おねがい(?:します)?|よろしく(?:お願いします)?|設定して|せっていして|設定で|せっていで|ok|おk|いいよ|いいです"
    r"|大丈夫です|だいじょうぶです|はい)(?:ください)?"
)
# 「OK、じゃあリマインダーそれで」: words before the yes that name nothing new.
_LEAD_IN = re.compile(
    r"^(?:じゃあ|じゃ|なら|では|よし|うん|はい)?(?:リマインダー|りまいんだー|りまいんど|リマインド|お知らせ|おしらせ|設定)?(?:は)?"
)


# 「もうちょい早く」 「少し遅めがいい」: earlier or later, by no amount said.
_VAGUE_SHIFT = re.compile(
    r"(?:やっぱり?|やっぱ|じゃあ|うーん|んー)?[、,\s]*(?:もう)?(?:ちょっと|ちょい|少し|すこし|少しだけ|ちょっとだけ)?"
    r"(?:早く|はやく|早め|はやめ|遅く|おそく|遅め|おそめ|前に|後ろに|うしろに)"
    r"(?:に|で|が)?(?:して|したい|しよう|できる|できます|お願い|おねがい|いい|がいい|ほしい|欲しい|かな|なる)*"
    r"(?:ください|下さい|か|かな|です|ね|よ)*[。.!！?？〜ー]*"
)
ASK_HOW_MUCH = "何時にしましょうか？「19時」「30分早く」のように送ってください。"


def _vague_shift(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    """「もうちょい早く」: which time is not said, so it is asked, the draft kept as it is."""
    if not _VAGUE_SHIFT.fullmatch(a.text.strip()):
        return False
    a.out.replies.append(Reply(ASK_HOW_MUCH))  # the draft waits as it is: the time said next changes it
    return True


def _thinking(key: str) -> bool:
    """「ちょっと待って、何時がいいかな」: thinking aloud (a hesitation first, no new value after it)."""
    return any(key.startswith(h) for h in HESITATION) and correction(key) is None


# 「やっぱ飛ばさないで」 「スキップしなくていい」: nothing skipped after all (not a no to the draft).
_KEEP_EVERY = re.compile(r"(?:飛ばさ|とばさ|すきっぷし|休ま|やすま)(?:ない|ず|んで)")
NOT_SKIPPED = "わかりました。飛ばさずに、次の分からお知らせします。"


def _not_skipped(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    if not _KEEP_EVERY.search(a.key):
        return False
    confirm(ctx, a.out, spec.but(skip_first=False), a.now, lead=NOT_SKIPPED)
    return True


# 「何時でもいい」 「時間はおまかせ」: the draft's time is fine.
_ANY_TIME = re.compile(
    r"(?:何時|なんじ|いつ|時間|じかん)(?:は)?(?:でも|は)?(?:いい|大丈夫|だいじょうぶ|かまわない|構わない|おまかせ|お任せ|任せる|まかせる)"
)
ANY_TIME_KEPT = "では、時刻はこのままにしておきます。"
# 「ありがとう、おやすみ」 at the confirmation: the person leaves; the draft shown in full is kept.
_FAREWELL = re.compile(
    r"^(?:ありがと(?:う)?(?:ございます)?|さんきゅ|どうも)?(?:おやすみ(?:なさい)?|またね|ばいばい|じゃあね|では|それじゃ|またあした|また明日)$"
)
GOOD_NIGHT = "おやすみなさい。お知らせは、この内容で設定しておきました。"


def _any_time(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    if not _ANY_TIME.search(a.key) or re.search(r"\d|日前|前日|当日", a.key):
        return False  # 「2日前でいいよ、時間はおまかせ」: the lead said is read by the other readings
    confirm(ctx, a.out, spec, a.now, lead=ANY_TIME_KEPT)
    return True


def _farewell(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    if not _FAREWELL.match(a.key):
        return False
    setup_control(ctx, a.out, "yes", a.now)
    a.out.replies[-1] = dataclasses.replace(a.out.replies[-1], text=GOOD_NIGHT)
    return True


_READINGS: tuple[Callable[[Ctx, Kind, Spec, Answer], bool], ...] = (
    _not_skipped,
    _any_time,
    _farewell,
    _restated,
    _from_now,
    _same_time_other_day,
    _unchanged,
    some_of_several,
    _one_of_several_moved,
    _before_too,
    _kind_answer,
    _retitled,
    repeated,
    _corrected,
    _reworded,
    _wrong,
    _yes_no_or_unsure,
    _yes_last,
    _vague_shift,
)


def _moves_a_moment(fixed: Correction) -> bool:
    """False for a lead alone (「前日にして」: a repayment's); 「2日前にして」 also moves a moment, and
    「当日の朝7時で」 is the same day at that time."""
    on_the_day = fixed.days_before == 0 and fixed.clock is not None
    return fixed.days_before is None or fixed.shift is not None or on_the_day


def correct_moment(ctx: Ctx, out: Outcome, spec: Spec, fixed: Correction, now: datetime) -> bool:
    """A new time or day for a reminder set for one moment: the draft changed and confirmed again."""
    if not _moves_a_moment(fixed):
        return False
    draft = ctx.local(datetime.fromisoformat(spec.at)) if spec.at else None
    if draft is not None and (fixed.shift is not None or fixed.half):
        when_given(ctx, out, spec, When("once", at=moved_by(draft, fixed)), now)
        return True
    clock = near_draft(draft.time(), fixed) if draft is not None else None
    if clock is not None and draft is not None:
        # 「11時で」: the same day at the new time (「2時」 to a 13:00 draft: 14:00).
        when_given(ctx, out, spec, When("once", at=on_day_at(draft, clock)), now)
        return True
    parsed = parse_when(fixed.text, ctx.local(now))
    if parsed is None:
        return False
    if isinstance(parsed, When) and parsed.at is not None and parsed.clock is None and draft is not None:
        # 「やっぱり明後日で」: the new day at the time already chosen.
        parsed = When("once", at=datetime.combine(parsed.at.date(), draft.timetz()))
    when_given(ctx, out, spec, parsed, now)
    return True
