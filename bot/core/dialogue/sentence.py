"""Stages that read a whole sentence once the question on the screen has had its turn: a bare time, an urgent repayment, a named reminder, a change to the one just saved, one record deleted, a reminder request, an aside during a set-up, the intent, もしかして."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.dates.jptime import When, WhenAsk, WhenError, parse_when
from bot.core.dates.task_text import PUT_IN_ASKED
from bot.core.dialogue import guidance, texts
from bot.core.dialogue.actions import (
    Command,
    FactEdit,
)
from bot.core.dialogue.asked import ASKED
from bot.core.dialogue.draft_left import beside_the_draft, said_to_drop, saved_one_called_off
from bot.core.dialogue.fallback import is_remark
from bot.core.dialogue.messages import (
    Choice,
    RecordFacts,
    Reply,
)
from bot.core.dialogue.state import Outcome
from bot.core.dialogue.turn import Turn
from bot.core.dialogue.words import (
    _ABOUT_REMINDERS,
    _ANGER,
    _ASIDES,
    _FEAR,
    _HAPPENED,
    _LOGIN_TOPIC,
    _MOVE,
    _NEVER_SUGGESTED,
    _NOT_THROUGH,
    ACT,
    ASK,
    MAX_MAYBE,
    STILL_STUCK,
    _acts,
    _exact_reading,
    _records_named,
)
from bot.core.reminders.kinds.registry import all_kinds
from bot.core.reminders.payday import payday_draft
from bot.core.reminders.refs import acts_on_one
from bot.core.reminders.setup_answers import YES
from bot.core.reminders.setup_state import Confirm
from bot.core.situation.statements import keeps, stated_facts
from bot.core.understanding import Scored
from bot.core.understanding.textnorm import normalize

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation
    from bot.core.dialogue.router import Router


# 「さっきのリマインダー」 「前のやつ」: the reminder set last, named as such.
_THE_LAST_ONE = re.compile(r"(?:さっき|先ほど|さきほど|前|最後|今)の(?:リマインダー|リマインド|お知らせ|やつ)")
_DUE_DAY_SAID = re.compile(r"返済日(?:は|が)?(?:毎月)?\d{1,2}日|毎月\d{1,2}日(?:が|に|の)?(?:返済|支払)")

# The intents that ask for a reminder: the commands each kind declares (a new kind adds its own).
_REMINDER_INTENTS = frozenset(c for kind in all_kinds() for c in kind.commands)

# Answers that only inform: in the middle of a diagnosis they are given and the question comes back.
# Screens of their own (with their own choices) that a set-up in progress waits through.
_WAITING_SCREENS = frozenset({"status", "export"})
# What the person has set or told: asked while a draft waits for its yes, the draft is said unsaved.
_LISTS = frozenset({"reminders", "status"})
_INFO_ASIDES = frozenset({"machines", "show_ids", "call", "about_bot", "pin_by_phone", "thanks"})


# The repayment named (「来月の返済」 「支払いのこと」), in a request with no day of its own.
_REPAYING = re.compile(r"返済|へんさい|支払|しはらい|引き落と|ひきおと|返しの日|返す日|かえすひ|払う日|はらうひ")
# 「内容は「返済用にお金よける」」 「返済アプリ見るって」: a task of its own that names the repayment.
_TASK_NAMED = re.compile(r"内容|「|って(?:リマインド|教え|知らせ|入れ)|見る|よける|確認する|振り込む|ATM|atm")


_RECORD_WORD = re.compile(r"記録|きろく")
_FIX_WORD = re.compile(r"直し|なおし|修正|しゅうせい|変え|かえ|更新|こうしん|訂正|ていせい")
_NUMBER = re.compile(r"\d")


def _read_exactly(turn: Turn) -> None:
    """The exact date parser's reading first, when it has one (「明日10時に電話」 is a reminder)."""
    assert turn.reading is not None
    exact = _exact_reading(turn.key, turn.text, turn.top)
    if exact is not None:
        turn.reading = replace(turn.reading, ranked=(exact, *turn.reading.ranked[1:]))
        turn.elsewhere = _acts(exact)


def _about_the_record(key: str) -> bool:
    """True when the words are about the stored record and give no new value (no digit)."""
    return bool(_RECORD_WORD.search(key)) and not _NUMBER.search(key)


class SentenceStages:
    """Stages that read a whole sentence once the question on the screen has had its turn: a bare time, an urgent repayment, a named reminder, a change to the one just saved, one record deleted, a reminder request, an aside during a set-up, the intent, もしかして."""

    def __init__(self, host: Router) -> None:
        self.host = host

    def _bare_time_said(self, turn: Turn) -> bool:
        turn.when = parse_when(turn.text, turn.now.astimezone(self.host.conv.tz))
        if turn.pending is not None or (turn.elsewhere and turn.top.intent != "remind_free"):
            return False
        if (turn.out.saved_last_turn or len(turn.out.reminders) == 1) and _MOVE.search(turn.key):
            return False  # 「11時にずらして」 after a save, or with one set: that reminder changes (a later stage)
        return self._bare_time(turn.out, turn.when, turn.now)

    def _repayment(self, turn: Turn) -> bool:
        """Late or due today: the call and the counselling centre come first; the reminder follows."""
        if keeps(turn.key) and stated_facts(turn.key):
            return False  # 「延滞してることも記録しといて」: kept and read back (the next stage)
        if not self.host.conv.diagnosis.repay._repay_urgency(turn.out, turn.key, turn.now):
            return False
        if turn.pending is not None:
            # 「今月ちょっと遅れそう」 in the middle of a set-up: answered, and the set-up goes on.
            self.host.conv.fallback._repeat_question(turn.out, turn.now, texts.KEEP_GOING)
            return True
        # 「返済日15日、先月1回遅れた」: the day told beside it is kept too (the urgent answer says the rest).
        told = {k: v for k, v in stated_facts(turn.key).items() if k != "overdue"}
        if told:
            turn.out.effects.append(RecordFacts(told))
        if not self.host.conv.dialog.detect(turn.out, turn.text, turn.situation, turn.now, stage="repay"):
            turn.out.replies.append(Reply(texts.REPAY_REMINDER_OFFER, self.host.conv.diagnosis.repay._repay_choices()))
        return True

    def _reminder_named(self, turn: Turn) -> bool:
        # 「次だけお休みで」 is not a good night; 「筋トレって名前にして」 is not about the bot's name.
        skip = bool(turn.out.reminders) and acts_on_one(turn.text)
        if isinstance(turn.pending, Confirm) and saved_one_called_off(self.host.conv, turn, turn.pending):
            return True
        if turn.pending is not None or (turn.elsewhere and turn.top.intent not in _ABOUT_REMINDERS and not skip):
            return False
        return self.host.conv.dialog.by_name(turn.out, turn.text, turn.now)

    def _newest_changed(self, turn: Turn) -> bool:
        """「やっぱり11時で」 right after a save, or 「さっきのリマインダー、18時にしといて」 later: that one changes."""
        if turn.pending is not None or not (turn.out.saved_last_turn or _THE_LAST_ONE.search(turn.text)):
            return False
        return self.host.conv.dialog.change_newest(turn.out, turn.text, turn.now)

    def _record_deleted(self, turn: Turn) -> bool:
        """「紛失の記録だけ消して」: that record, never everything (a yes there would delete it all)."""
        key = turn.key
        deleting = turn.top.intent == "forget" or (
            "記録" in key and any(w in key for w in ("削除", "消し", "消す", "けし"))
        )
        one = _records_named(key) if deleting else None
        if one is None and _RECORD_WORD.search(key) and _FIX_WORD.search(key) and not _NUMBER.search(key):
            # 「記録の返済日も直しといて」 with no new value: the record as it is now, with its buttons to fix it.
            self.host.conv.dispatch(turn.out, Command("status"), turn.situation, turn.now)
            return True
        if one is None:
            return False
        self.host.conv.dispatch(turn.out, FactEdit("del", one), turn.situation, turn.now)
        return True

    def _reminder_request(self, turn: Turn) -> bool:
        """A reminder asked for in a sentence; the exact date parser reads its date."""
        _read_exactly(turn)
        top = turn.top
        if _about_the_record(turn.key):
            return False  # 「記録の返済日も直しといて」: the record, not a reminder (no new day said)
        repeating = self._repeating(turn)
        timed_call = self._timed_call(turn) or repeating
        asked = _asked_for_one(turn)
        due_said = self._due_day_said(turn)
        if not asked and turn.elsewhere and not (timed_call or due_said):
            return False
        if self.host.conv.dialog.detect(turn.out, turn.text, turn.situation, turn.now, stage="repay"):
            return True
        if due_said and not (asked or timed_call):
            return False  # a due day with other words: not made a one-off reminder of the whole sentence
        if self._repaying_with_no_day(turn, asked):
            return True
        # Asked for a reminder in so many words: a time alone is kept and the task asked for.
        explicit = (top.intent == "remind_free" and top.score >= ACT) or repeating
        return self.host.conv.dialog.detect(
            turn.out, turn.text, turn.situation, turn.now, stage="free", explicit=explicit
        )

    def _repaying_with_no_day(self, turn: Turn, asked: bool) -> bool:
        """「来月の返済、忘れないようにして」: no day to put it on; the repayment set-up asks for it."""
        wanted = asked or turn.top.intent == "remind_repay"
        when = turn.when
        vague = when is None or (isinstance(when, WhenAsk) and when.reason in ("vague", "day"))  # 「来月の」
        if not wanted or not _REPAYING.search(turn.key) or not vague or _TASK_NAMED.search(turn.text):
            return False
        self.host.conv.dispatch(turn.out, Command("remind_repay"), turn.situation, turn.now)
        return True

    def _timed_call(self, turn: Turn) -> bool:
        """「金曜にコールセンターに電話するのを知らせて」: a time makes a call a reminder to call."""
        return (turn.top.intent == "call" and turn.when is not None) or self._timed_task(turn)

    @staticmethod
    def _due_day_said(turn: Turn) -> bool:
        """「〇〇、返済日14日、延滞なし」: a due day stated outright (not about logging in) is the
        repayment set-up, whatever else the reading says."""
        return bool(_DUE_DAY_SAID.search(turn.key)) and not _LOGIN_TOPIC.search(turn.key)

    def _timed_task(self, turn: Turn) -> bool:
        """「あさっての朝9時半に自動契約機に行く」 reads as the machines, but "<when>に<task>" is a reminder
        (a cause with a time, 「昨日からロックされてる」, stays a cause)."""
        when = turn.when
        if not (isinstance(when, When) and when.kind == "once" and bool(when.rest)):
            return False
        if when.joined_by != "に":
            # 「日曜20時 家計簿」: a moment and a few words of a task, nothing about logging in or asked.
            rest = normalize(when.rest)
            return not (
                _LOGIN_TOPIC.search(rest) or _HAPPENED.search(when.rest) or "?" in turn.text or "？" in turn.text
            )
        return turn.top.intent not in self.host.conv.flow.causes or not _HAPPENED.search(when.rest)

    def _repeating(self, turn: Turn) -> bool:
        """「毎週金曜20時」 「毎日21時に家計簿」: a repeating time is a reminder asked for, task or not."""
        when = turn.when
        return isinstance(when, WhenAsk) and when.repeats and turn.top.intent not in self.host.conv.flow.causes

    def _aside(self, turn: Turn) -> bool:
        """「電話番号って何番？」 while a reminder waits or a flow question is open: answered, and the
        question the person is in comes back (the task is kept)."""
        conv = self.host.conv
        node = conv.flow.nodes.get(turn.out.state.node or "")
        if conv.dialog.in_progress(turn.out):
            asides = _ASIDES
        elif node is not None:
            asides = _INFO_ASIDES  # a screen of its own (the status, the list) is left for, not an aside
        else:
            return False
        if not (turn.elsewhere and turn.top.intent in asides):
            return False
        assert turn.reading is not None
        waiting, at, back = turn.out.state.pending, turn.out.state.node, list(turn.out.state.back)
        start = len(turn.out.replies)
        conv.diagnosis._act_on(turn.out, turn.reading, turn.situation, turn.now)
        # The aside's own choices give way to the question's, which come back below (once: an aside
        # that brought the question back itself, like the help, keeps only its answer).
        again = (texts.KEEP_GOING, texts.BACK_TO_QUESTION)
        cut = next((i for i, r in enumerate(turn.out.replies[start:]) if r.text.startswith(again)), None)
        if cut is not None:
            del turn.out.replies[start + cut :]
        turn.out.replies[start:] = [replace(r, choices=()) for r in turn.out.replies[start:]]
        turn.out.state.pending, turn.out.state.node, turn.out.state.back = waiting, at, back
        lead = texts.KEEP_GOING if waiting is not None else texts.BACK_TO_QUESTION
        if isinstance(waiting, Confirm) and turn.top.intent in _LISTS:
            lead = texts.DRAFT_NOT_SAVED  # 「リマインダー入った？」: the draft on the screen is not saved yet
        conv.fallback._repeat_question(turn.out, turn.now, lead)
        return True

    def _intent(self, turn: Turn) -> bool:
        if not turn.elsewhere:
            return False
        assert turn.reading is not None
        out = turn.out
        waiting = out.state.pending if self.host.conv.dialog.in_progress(out) else None
        kept = waiting is not None and turn.top.intent in _WAITING_SCREENS
        if kept and _status_beside(self.host.conv, turn, waiting):
            return True
        dropped = waiting is not None and not kept and turn.top.intent != "quit"
        if dropped:
            out.state.pending = None
        if turn.top.intent == "call" and _NOT_THROUGH.search(turn.key):
            # 「電話したけどつながらない」: heard first, so 「電話がいちばん確実」 does not read as deaf.
            out.replies.append(Reply(texts.PHONE_NOT_THROUGH))
        self.host.conv.diagnosis._act_on(out, turn.reading, turn.situation, turn.now)
        if kept:
            # The record or the status, with their own choices; the set-up still waits for its yes.
            out.state.pending = waiting
        if kept or dropped:
            self._say_left(out, waiting, kept)
        return True

    def _say_left(self, out: Outcome, waiting: object, kept: bool) -> None:
        """Said after the answer (an urgent one comes first), before the bubble with the choices: the
        set-up still waits, or a draft shown in full that the person moved on from is saved (see
        ReminderDialog.keep_draft), or an unfinished one is dropped."""
        saved = not kept and not said_to_drop(out) and self.host.conv.dialog.keep_draft(out, waiting)
        note = texts.SETUP_WAITING if kept else texts.SETUP_KEPT if saved else texts.SETUP_DROPPED
        out.replies.insert(max(len(out.replies) - 1, 0), Reply(note))

    def _yes_after_saving(self, turn: Turn) -> bool:
        """「はい、設定する」 once more right after a save: it is set (not a guess at what else it means)."""
        if turn.pending is not None or not turn.out.saved_last_turn:
            return False
        if turn.key not in YES and turn.key != normalize(texts.LABEL_SAVE):
            return False
        turn.out.replies.append(Reply(texts.ALREADY_SAVED, self.host.conv.menu_choices()))
        return True

    def _about_repaying(self, turn: Turn) -> bool:
        """About repaying, without a day or a login problem: offer what the bot can do for it; the
        day money comes in (「来週の金曜なら給料入る」): a draft to repay then."""
        if turn.pending is None and payday_draft(self.host.conv.dialog.ctx, turn.out, turn.text, turn.now):
            return True
        if turn.top.intent not in ("remind_repay", "none") or not any(
            w in turn.key for w in ("返済", "へんさい", "支払", "しはらい")
        ):
            return False
        turn.out.replies.append(Reply(texts.ABOUT_REPAYING, self.host.conv.diagnosis.repay._repay_choices()))
        return True

    def _maybe(self, turn: Turn) -> bool:
        """もしかして: the likely readings as choices (never 「すべて削除」)."""
        assert turn.reading is not None
        maybe = [
            s
            for s in turn.reading.ranked
            if s.score >= ASK
            and s.intent not in _NEVER_SUGGESTED
            and self.host.conv._intent_action(s.intent) is not None
        ]
        if turn.pending is not None or not maybe or turn.top.intent == "none" or turn.out.cared_before:
            return False  # in a set-up, its own question is asked again (the fallback), never a guess
        if self._heard_first(turn, maybe):
            return False  # a feeling or a remark is heard first (the fallback's one line), not guessed at
        if self._told_in_a_diagnosis(turn):
            return True
        options = [
            Choice(self.host.conv._intent_label(s.intent), a)
            for s in maybe
            if (a := self.host.conv._intent_action(s.intent))
        ]
        options = options[:MAX_MAYBE] + [Choice(texts.LABEL_NONE_OF_THESE, Command("none_of_these"))]
        turn.out.replies.append(guidance.maybe(options))
        return True

    def _heard_first(self, turn: Turn, maybe: list[Scored]) -> bool:
        """A feeling, or 「妻は今寝てる」: a remark of a few words whose likeliest guess is no cause
        (「スリにあった」 may be one, and is offered), is heard rather than guessed at."""
        if _FEAR.search(turn.key) or _ANGER.search(turn.key):
            return True
        likeliest = maybe[0].intent if maybe else ""
        return (
            len(turn.out.said) >= 4 and is_remark(turn.out.said, False) and likeliest not in self.host.conv.flow.causes
        )

    def _told_in_a_diagnosis(self, turn: Turn) -> bool:
        """Told in the middle of a diagnosis (「メールは登録してるはず」): heard, and the question or the
        result again, whose choices are the likely next steps; a guess at other intents is not (a
        cause read at a question of the flow is still offered)."""
        conv = self.host.conv
        node = conv.flow.nodes.get(turn.out.state.node or "")
        if node is None or ASKED.search(turn.text):
            return False
        if not node.is_final and turn.top.intent in conv.flow.causes:
            return False
        stuck = turn.top.intent in STILL_STUCK  # 「時間をおいても同じ」: the result again, to step up from
        if stuck or not conv.fallback.remark_at_result(turn.out):
            conv.fallback._repeat_question(turn.out, turn.now, texts.REMARK_HEARD)
        return True

    def _bare_time(self, out: Outcome, parsed: When | WhenAsk | WhenError | None, now: datetime) -> bool:
        """A date and time with nothing else (「明日の10時」): ask what to remind about then.

        An hour that could be morning or evening (「2時」, 「8時」 at 19:00) is asked about first.
        ``parsed``: the message's time phrase, read once per turn by the caller.
        """
        if isinstance(parsed, When) and parsed.kind == "once" and not parsed.rest and parsed.at is not None:
            self.host.conv.dialog.ask_what(out, parsed.at, now)
            return True
        if isinstance(parsed, WhenAsk) and parsed.reason in ("ampm", "tonight") and not parsed.rest:
            self.host.conv.dialog.ask_about(out, parsed, now)
            return True
        return False


def _asked_for_one(turn: Turn) -> bool:
    """A reminder asked for: its reading, or 「8時に薬のリマインダー」 (a time with the word for the list is
    a reminder asked for, not the list), or 「月曜の朝7時に燃えないごみって入れて」 (the words to put in,
    with a time)."""
    top = turn.top
    timed = turn.when is not None
    return top.intent in _REMINDER_INTENTS or (
        timed and (top.intent == "reminders" or bool(PUT_IN_ASKED.search(turn.text)))
    )


def _status_beside(conv: Conversation, turn: Turn, waiting: object) -> bool:
    """「今なにが登録されてるか見せて」 at a draft: the record, then the draft asked again (unsaved)."""
    if not isinstance(waiting, Confirm) or turn.top.intent != "status":
        return False
    beside_the_draft(conv, turn, Command("status"))
    return True
