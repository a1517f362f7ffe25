"""Typed text through the router's fixed order (see Router.text)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.dates.jptime import When, WhenAsk, WhenError, parse_when
from bot.core.diagnosis.answers import pick_answer
from bot.core.dialogue import texts
from bot.core.dialogue.actions import (
    Command,
    FactEdit,
)
from bot.core.dialogue.messages import (
    Choice,
    Reply,
    SaveReminder,
)
from bot.core.dialogue.state import Outcome
from bot.core.dialogue.words import (
    _ABOUT_REMINDERS,
    _ASIDES,
    _HAPPENED,
    _LABEL_FILLER,
    _LOGIN_TOPIC,
    _MEANINGFUL,
    _NEVER_SUGGESTED,
    _NUMBER,
    _REMINDER_CHOICE,
    _STOP_WORDS,
    _SYNONYM_OF,
    _SYNONYMS,
    ACT,
    ASK,
    MATCH_LIMIT,
    MAX_MAYBE,
    _acts,
    _exact_reading,
    _one_record,
)
from bot.core.reminders.setup_state import AskTask, AskWhat, Confirm, ConfirmForget, Spec
from bot.core.safety.guard import ends_with_keyword, looks_like_value, nothing_else, redact
from bot.core.safety.net import (
    card_at_hand,
    deletion_scope,
    is_crisis,
    is_urgent_loss,
)
from bot.core.situation.facts import Situation
from bot.core.understanding import Reading, Scored
from bot.core.understanding.textnorm import clean, normalize

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


@dataclass(slots=True)
class Turn:
    """One typed message on its way down the route: what it says and what has been read of it."""

    out: Outcome
    text: str
    key: str  # the text normalized
    situation: Situation
    now: datetime
    reading: Reading | None = None
    # The reading points to something else than the question in front of the person (it acts).
    elsewhere: bool = False
    # A login cause read during a reminder set-up without words about logging in: the set-up stays.
    held: bool = False
    when: When | WhenAsk | WhenError | None = None

    @property
    def pending(self) -> object:
        return self.out.state.pending

    @property
    def top(self) -> Scored:
        assert self.reading is not None
        return self.reading.top


class Router:
    """Typed text through the router's fixed order (see Router.text)."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def _text(self, out: Outcome, raw: str, situation: Situation, now: datetime) -> None:
        """Typed text, through the router's fixed order: the safety net first (care, secrets, fraud,
        leaving, what a deletion is about), then the question the user is in, then the reading."""
        announced, out.state.secret_next = out.state.secret_next, False
        out.cared_before, out.state.cared = out.state.cared, False
        if self.conv.flow.crisis and is_crisis(raw[: MATCH_LIMIT * 2]):
            self.conv.safety._crisis(out)  # care before anything else, whatever else the message holds
            return
        guarded = redact(raw)
        if guarded.whole or (guarded.found and nothing_else(guarded.text)) or (announced and looks_like_value(raw)):
            self.conv.safety._secret(out)  # nothing of it can be kept, and there is no request left to answer
            return
        text = clean(guarded.text[: MATCH_LIMIT * 2])[:MATCH_LIMIT]
        out.said = normalize(text)
        if not text:
            self.conv.fallback._reprompt(out, texts.EMPTY)
            return
        # 「パスワードは」 alone: the next message may be the value itself.
        out.state.secret_next = ends_with_keyword(text)
        start = len(out.replies)
        waiting = out.state.pending
        self._guarded_text(out, text, situation, now)
        if self._replaced_unsaved(waiting, out):
            # 「明日の10時に…」 then another reminder before the yes: the first is not kept, and that is said.
            out.replies.insert(start, Reply(texts.SETUP_DROPPED))
        if guarded.found:
            # The rest of the request was answered; the warning goes first, after an urgent answer.
            first = out.replies[start] if len(out.replies) > start else None
            at = start + 1 if first is not None and first.important else start
            out.replies.insert(at, Reply(texts.SECRET_HIDDEN))

    @staticmethod
    def _loose_choice(out: Outcome, key: str) -> str | None:
        """The one reminder choice a short answer can mean, said in other words; None when not one.

        Only among a reminder question's own choices (a time, a stop, a change): there the person is
        answering, and a word of the label (or the label in fewer words) says which.
        """
        if not key or len(key) > 10:
            return None
        offered = [(label, value) for label, value in out.state.offered if _REMINDER_CHOICE.match(value)]
        if not offered:
            return None

        def core(text: str) -> str:
            return _LABEL_FILLER.sub("", _SYNONYMS.sub(lambda m: _SYNONYM_OF[m.group(0)], normalize(text)))

        said = core(key)
        if not said:
            return None
        hits = [value for label, value in offered if said in core(label)]
        return hits[0] if len(set(hits)) == 1 else None

    @staticmethod
    def _replaced_unsaved(waiting: object, out: Outcome) -> bool:
        """True when a reminder waiting for its yes was replaced by a new one this turn, unsaved."""
        after = out.state.pending
        if not isinstance(waiting, Confirm) or any(isinstance(e, SaveReminder) for e in out.effects):
            return False
        if any(r.text == texts.SETUP_DROPPED for r in out.replies) or waiting.spec.replace is not None:
            return False
        spec = getattr(after, "spec", None)
        if isinstance(spec, Spec):
            return (spec.kind, spec.what) != (waiting.spec.kind, waiting.spec.what) and spec.replace is None
        if after is None:
            # Left for something else (the list, a question): unless the person said no, say it was not kept.
            said = {r.text for r in out.replies}
            return not said & {texts.CANCELLED_SETUP, texts.NOT_CANCELLED, texts.FORGOTTEN} and not out.state.cared
        return isinstance(after, AskTask | AskWhat)

    # ------------------------------------------------------------------ the route
    #
    # One turn of typed text goes down this table, in this order, until a stage answers (returns
    # True). The order is the product's rule of precedence:
    #   1. the choices on the screen (a number, a label, a label in other words) and the bot's own
    #      button words: what the person was shown decides first what an answer means;
    #   2. the reading (understanding), then the safety net read for recall (fraud, a number asked
    #      about, leaving, what a deletion is about);
    #   3. the state the person is in: its own handler (forget?, a fact yes/no, a reminder set-up's
    #      question, a flow question);
    #   4. skills that read a whole sentence (a bare time, an urgent repayment, a named reminder, a
    #      change to the one just saved, one record deleted, a reminder request);
    #   5. the intent, then もしかして; the fallback keeps the state and asks its question again.

    def _guarded_text(self, out: Outcome, text: str, situation: Situation, now: datetime) -> None:
        turn = Turn(out, text, normalize(text), situation, now)
        for stage in self._route:
            if stage(turn):
                return
        self.conv.fallback._not_understood(out, now)

    @property
    def _route(self) -> tuple[Callable[[Turn], bool], ...]:
        return (
            self._offered,
            self._question_mark,
            self._button_words,
            self._nothing_to_read,
            self._read,
            self._safety_net,
            self._forget_guessed,
            self._state_handler,
            self._flow_question,
            self._bare_time_said,
            self._repayment,
            self._reminder_named,
            self._newest_changed,
            self._record_deleted,
            self._reminder_request,
            self._aside,
            self._intent,
            self._about_repaying,
            self._maybe,
        )

    def _offered(self, turn: Turn) -> bool:
        """A typed number, a label, or a label in other words, of the choices on the screen."""
        out, key = turn.out, turn.key
        number = _NUMBER.fullmatch(turn.text)
        # A typed number is the numbered choice shown (as the console prints them); beyond the
        # choices, a question that asks for a value (a day, a time) reads it as that value.
        if number and out.state.offered:
            index = int(number.group(1)) - 1
            if 0 <= index < len(out.state.offered):
                self.conv._dispatch_offered(out, out.state.offered[index][1], turn.situation, turn.now)
                return True
            if not self.conv.dialog.wants_value(out):
                self.conv.fallback._reprompt(out, texts.NO_SUCH_NUMBER)
                return True
        value = next((v for label, v in out.state.offered if key and normalize(label) == key), None)
        # 「今回だけ」 for 「今回の分だけ止める」, 「夜」 for 「今夜の20:00」: the one choice it can mean.
        value = value or self._loose_choice(out, key)
        if value is None:
            return False
        self.conv._dispatch_offered(out, value, turn.situation, turn.now)
        return True

    def _question_mark(self, turn: Turn) -> bool:
        if turn.text not in ("?", "？"):
            return False
        self.conv.dispatch(turn.out, Command("help"), turn.situation, turn.now)
        return True

    def _button_words(self, turn: Turn) -> bool:
        """The exact words of one of the bot's own buttons (typed, or a rich-menu message): no guess."""
        labelled = self.conv._label_actions.get(turn.key)
        if labelled is None or not (turn.pending is None or isinstance(turn.pending, Confirm)):
            return False
        self.conv.dispatch(turn.out, labelled, turn.situation, turn.now)
        return True

    def _nothing_to_read(self, turn: Turn) -> bool:
        """Only emoji, punctuation or symbols: there is nothing to read, so nothing to guess."""
        if _MEANINGFUL.search(turn.key):
            return False
        self.conv.fallback._not_understood(turn.out, turn.now)
        return True

    def _read(self, turn: Turn) -> bool:
        """Understanding, once per turn; then what the words say about a lost card (never answers)."""
        reading = self.conv.understanding.read(turn.text)
        if reading.english:
            turn.out.replies.append(Reply(texts.ENGLISH_NOTE))
        turn.reading = self._card_words(turn, reading)
        return False

    def _card_words(self, turn: Turn, reading: Reading) -> Reading:
        lost = self.conv.diagnosis._lost_cause()
        if lost is None:
            return reading
        lost_node = self.conv.flow.result_for(lost)
        after_loss = (
            lost_node is not None and turn.out.state.node == lost_node.id and bool(_STOP_WORDS.search(turn.key))
        )
        if reading.top.intent != lost and (is_urgent_loss(turn.text) or after_loss):
            # 「カード番号…なんだけど止めたい」: stopping the card is the 24-hour line, now.
            reading = replace(reading, ranked=(Scored(lost, 1.0), *reading.ranked))
        at_hand = card_at_hand(turn.text)
        if at_hand is not None and (reading.top.intent == lost or (at_hand == "have" and turn.situation.card_lost)):
            # 「カードは持ってます」 「カードレスだから持ってない」: said of a card that is not lost.
            said = Scored("card_found" if at_hand == "have" else "none", 0.6)
            reading = replace(reading, ranked=(said, *reading.ranked[1:]))
        return reading

    def _safety_net(self, turn: Turn) -> bool:
        return self.conv.safety._safety(turn.out, turn.text, turn.top.intent, turn.situation, turn.now)

    def _forget_guessed(self, turn: Turn) -> bool:
        """Everything goes only when the words say everything; then weigh where the reading points."""
        if (
            turn.top.intent == "forget"
            and not isinstance(turn.pending, ConfirmForget)
            and deletion_scope(turn.text) != "all"
        ):
            self.conv.records._delete_which(turn.out)
            return True
        turn.elsewhere = _acts(turn.top)
        # 「朝って何時？」 at a reminder's confirmation is about the reminder, not a login cause: a cause
        # leaves a set-up only in words about logging in.
        turn.held = (
            turn.elsewhere
            and self.conv.dialog.in_progress(turn.out)
            and turn.top.intent in self.conv.flow.causes
            and turn.top.intent != self.conv.diagnosis._lost_cause()
            and not _LOGIN_TOPIC.search(turn.key)
        )
        turn.elsewhere = turn.elsewhere and not turn.held
        return False

    def _state_handler(self, turn: Turn) -> bool:
        """The question the person is in reads its own answers first."""
        out, pending, reading = turn.out, turn.pending, turn.reading
        assert reading is not None
        if isinstance(pending, ConfirmForget) and self.conv.records._forget_answer(
            out, turn.key, reading, turn.situation, turn.now
        ):
            return True
        if pending is None and self.conv.diagnosis._yes_no_to_a_fact(out, turn.key, reading, turn.situation, turn.now):
            return True
        if pending is not None and self.conv.dialog.text(
            out, turn.text, reading, turn.situation, turn.now, turn.elsewhere
        ):
            return True
        if turn.held:
            self.conv.fallback._repeat_question(out, turn.now, texts.KEEP_GOING)
            return True
        return False

    def _flow_question(self, turn: Turn) -> bool:
        node = self.conv.flow.nodes.get(turn.out.state.node or "")
        if node is None or node.is_final or turn.pending is not None:
            return False
        assert turn.reading is not None
        choice = pick_answer(node, turn.text, turn.reading, self.conv.flow, turn.elsewhere, self.conv.understanding)
        if choice is None:
            return False
        self.conv.diagnosis._choose(turn.out, node, choice, turn.situation, turn.now)
        return True

    def _bare_time_said(self, turn: Turn) -> bool:
        turn.when = parse_when(turn.text, turn.now.astimezone(self.conv.tz))
        if turn.pending is not None or (turn.elsewhere and turn.top.intent != "remind_free"):
            return False
        return self._bare_time(turn.out, turn.when, turn.now)

    def _repayment(self, turn: Turn) -> bool:
        """Late or due today: the call and the counselling centre come first; the reminder follows."""
        if turn.pending is not None or not self.conv.diagnosis._repay_urgency(turn.out, turn.key, turn.now):
            return False
        if not self.conv.dialog.detect(turn.out, turn.text, turn.situation, turn.now, stage="repay"):
            turn.out.replies.append(Reply(texts.REPAY_REMINDER_OFFER, self.conv.diagnosis._repay_choices()))
        return True

    def _reminder_named(self, turn: Turn) -> bool:
        if turn.pending is not None or (turn.elsewhere and turn.top.intent not in _ABOUT_REMINDERS):
            return False
        return self.conv.dialog.by_name(turn.out, turn.text, turn.now)

    def _newest_changed(self, turn: Turn) -> bool:
        if turn.pending is not None or not turn.out.saved_last_turn:
            return False
        return self.conv.dialog.change_newest(turn.out, turn.text, turn.now)

    def _record_deleted(self, turn: Turn) -> bool:
        """「紛失の記録だけ消して」: that record, never everything (a yes there would delete it all)."""
        key = turn.key
        deleting = turn.top.intent == "forget" or (
            "記録" in key and any(w in key for w in ("削除", "消し", "消す", "けし"))
        )
        one = _one_record(key) if deleting else None
        if one is None:
            return False
        self.conv.dispatch(turn.out, FactEdit("del", one), turn.situation, turn.now)
        return True

    def _reminder_request(self, turn: Turn) -> bool:
        """A reminder asked for in a sentence; the exact date parser reads its date."""
        assert turn.reading is not None
        exact = _exact_reading(turn.key, turn.text, turn.top)
        if exact is not None:
            turn.reading = replace(turn.reading, ranked=(exact, *turn.reading.ranked[1:]))
            turn.elsewhere = _acts(exact)
        top, when = turn.top, turn.when
        # 「金曜にコールセンターに電話するのを知らせて」: a time makes a call a reminder to call.
        # 「あさっての朝9時半に自動契約機に行く」 reads as the machines, but "<when>に<task>" is a reminder
        # (a cause with a time, 「昨日からロックされてる」, stays a cause).
        timed_task = (
            isinstance(when, When) and when.kind == "once" and bool(when.rest) and when.joined_by == "に"
        ) and (top.intent not in self.conv.flow.causes or not _HAPPENED.search(when.rest))
        timed_call = (top.intent == "call" and when is not None) or timed_task
        if top.intent not in ("remind_repay", "remind_free", "remind_visit") and turn.elsewhere and not timed_call:
            return False
        if self.conv.dialog.detect(turn.out, turn.text, turn.situation, turn.now, stage="repay"):
            return True
        # Asked for a reminder in so many words: a time alone is kept and the task asked for.
        explicit = top.intent == "remind_free" and top.score >= ACT
        return self.conv.dialog.detect(turn.out, turn.text, turn.situation, turn.now, stage="free", explicit=explicit)

    def _aside(self, turn: Turn) -> bool:
        """「電話番号って何番？」 while a reminder waits: answered, and the set-up question comes back."""
        if not (turn.elsewhere and self.conv.dialog.in_progress(turn.out) and turn.top.intent in _ASIDES):
            return False
        assert turn.reading is not None
        waiting = turn.out.state.pending
        self.conv.diagnosis._act_on(turn.out, turn.reading, turn.situation, turn.now)
        turn.out.state.pending = waiting
        self.conv.fallback._repeat_question(turn.out, turn.now, texts.KEEP_GOING)
        return True

    def _intent(self, turn: Turn) -> bool:
        if not turn.elsewhere:
            return False
        assert turn.reading is not None
        out = turn.out
        dropped = self.conv.dialog.in_progress(out) and turn.top.intent != "quit"
        if dropped:
            out.state.pending = None
        self.conv.diagnosis._act_on(out, turn.reading, turn.situation, turn.now)
        if dropped:
            # Said after the answer (an urgent one comes first), before the bubble with the choices.
            out.replies.insert(max(len(out.replies) - 1, 0), Reply(texts.SETUP_DROPPED))
        return True

    def _about_repaying(self, turn: Turn) -> bool:
        """About repaying, without a day or a login problem: offer what the bot can do for it."""
        if turn.top.intent not in ("remind_repay", "none") or not any(
            w in turn.key for w in ("返済", "へんさい", "支払", "しはらい")
        ):
            return False
        turn.out.replies.append(Reply(texts.ABOUT_REPAYING, self.conv.diagnosis._repay_choices()))
        return True

    def _maybe(self, turn: Turn) -> bool:
        """もしかして: the likely readings as choices (never 「すべて削除」)."""
        assert turn.reading is not None
        maybe = [
            s
            for s in turn.reading.ranked
            if s.score >= ASK and s.intent not in _NEVER_SUGGESTED and self.conv._intent_action(s.intent) is not None
        ]
        if not maybe or turn.top.intent == "none" or turn.out.cared_before:
            return False
        options = [
            Choice(self.conv._intent_label(s.intent), a) for s in maybe if (a := self.conv._intent_action(s.intent))
        ]
        options = options[:MAX_MAYBE] + [Choice(texts.LABEL_NONE_OF_THESE, Command("none_of_these"))]
        turn.out.replies.append(Reply(texts.MAYBE, tuple(options)))
        return True

    def _bare_time(self, out: Outcome, parsed: When | WhenAsk | WhenError | None, now: datetime) -> bool:
        """A date and time with nothing else (「明日の10時」): ask what to remind about then.

        An hour that could be morning or evening (「2時」, 「8時」 at 19:00) is asked about first.
        ``parsed``: the message's time phrase, read once per turn by the caller.
        """
        if isinstance(parsed, When) and parsed.kind == "once" and not parsed.rest and parsed.at is not None:
            self.conv.dialog.ask_what(out, parsed.at, now)
            return True
        if isinstance(parsed, WhenAsk) and parsed.reason in ("ampm", "tonight") and not parsed.rest:
            self.conv.dialog.ask_about(out, parsed, now)
            return True
        return False
