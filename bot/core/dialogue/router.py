"""Typed text through the router's fixed order (see Router.text)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

# Longer messages are cut before matching: nobody describes a login problem in 1,000 characters,
# and it keeps the cost of a 10,000-character paste bounded.
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
from bot.core.understanding import Scored
from bot.core.understanding.textnorm import clean, normalize

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


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

    def _guarded_text(self, out: Outcome, text: str, situation: Situation, now: datetime) -> None:
        pending = out.state.pending
        number = _NUMBER.fullmatch(text)
        # A typed number is the numbered choice shown (as the console prints them); beyond the
        # choices, a question that asks for a value (a day, a time) reads it as that value.
        if number and out.state.offered:
            index = int(number.group(1)) - 1
            if 0 <= index < len(out.state.offered):
                self.conv._dispatch_offered(out, out.state.offered[index][1], situation, now)
                return
            if not self.conv.dialog.wants_value(out):
                self.conv.fallback._reprompt(out, texts.NO_SUCH_NUMBER)
                return
        key = normalize(text)
        for label, value in out.state.offered:
            if key and normalize(label) == key:
                self.conv._dispatch_offered(out, value, situation, now)
                return
        loose = self._loose_choice(out, key)
        if loose is not None:
            # 「今回だけ」 for 「今回の分だけ止める」, 「夜」 for 「今夜の20:00」: the one choice it can mean.
            self.conv._dispatch_offered(out, loose, situation, now)
            return
        if text in ("?", "？"):
            self.conv.dispatch(out, Command("help"), situation, now)
            return
        labelled = self.conv._label_actions.get(key)
        if labelled is not None and (out.state.pending is None or isinstance(out.state.pending, Confirm)):
            # The exact words of one of the bot's own buttons (typed, or a rich-menu message): no guess needed.
            self.conv.dispatch(out, labelled, situation, now)
            return
        if not _MEANINGFUL.search(key):
            # Only emoji, punctuation or symbols: there is nothing to read, so nothing to guess.
            self.conv.fallback._not_understood(out, now)
            return
        reading = self.conv.understanding.read(text)
        if reading.english:
            out.replies.append(Reply(texts.ENGLISH_NOTE))
        if self.conv.safety._safety(out, text, reading.top.intent, situation, now):
            return
        lost = self.conv.diagnosis._lost_cause()
        lost_node = self.conv.flow.result_for(lost) if lost is not None else None
        after_loss = lost_node is not None and out.state.node == lost_node.id and bool(_STOP_WORDS.search(key))
        if lost is not None and reading.top.intent != lost and (is_urgent_loss(text) or after_loss):
            # 「カード番号…なんだけど止めたい」: stopping the card is the 24-hour line, now.
            reading = replace(reading, ranked=(Scored(lost, 1.0), *reading.ranked))
        at_hand = card_at_hand(text)
        if (
            lost is not None
            and at_hand is not None
            and (reading.top.intent == lost or (at_hand == "have" and situation.card_lost))
        ):
            # 「カードは持ってます」 「カードレスだから持ってない」: said of a card that is not lost.
            reading = replace(
                reading, ranked=(Scored("card_found" if at_hand == "have" else "none", 0.6), *reading.ranked[1:])
            )
        top = reading.top
        if top.intent == "forget" and not isinstance(pending, ConfirmForget) and deletion_scope(text) != "all":
            self.conv.records._delete_which(out)  # everything goes only when the words say everything
            return
        elsewhere = _acts(top)
        # 「朝って何時？」 at a reminder's confirmation is about the reminder, not a login cause: a cause
        # leaves a set-up only in words about logging in.
        held = (
            elsewhere
            and self.conv.dialog.in_progress(out)
            and top.intent in self.conv.flow.causes
            and top.intent != lost
            and not _LOGIN_TOPIC.search(key)
        )
        if held:
            elsewhere = False
        if isinstance(pending, ConfirmForget) and self.conv.records._forget_answer(out, key, reading, situation, now):
            return
        if pending is None and self.conv.diagnosis._yes_no_to_a_fact(out, key, reading, situation, now):
            return
        if pending is not None and self.conv.dialog.text(out, text, reading, situation, now, elsewhere):
            return
        if held:
            self.conv.fallback._repeat_question(out, now, texts.KEEP_GOING)
            return
        node = self.conv.flow.nodes.get(out.state.node or "")
        if node is not None and not node.is_final and pending is None:
            choice = pick_answer(node, text, reading, self.conv.flow, elsewhere, self.conv.understanding)
            if choice is not None:
                self.conv.diagnosis._choose(out, node, choice, situation, now)
                return
        when = parse_when(text, now.astimezone(self.conv.tz))
        if pending is None and (not elsewhere or top.intent == "remind_free") and self._bare_time(out, when, now):
            return
        if pending is None and self.conv.diagnosis._repay_urgency(out, key, now):
            # Late or due today: the call and the counselling centre came first; the reminder follows.
            if not self.conv.dialog.detect(out, text, situation, now, stage="repay"):
                out.replies.append(Reply(texts.REPAY_REMINDER_OFFER, self.conv.diagnosis._repay_choices()))
            return
        if (
            pending is None
            and (not elsewhere or top.intent in _ABOUT_REMINDERS)
            and self.conv.dialog.by_name(out, text, now)
        ):
            return
        if pending is None and out.saved_last_turn and self.conv.dialog.change_newest(out, text, now):
            return
        deleting = top.intent == "forget" or ("記録" in key and any(w in key for w in ("削除", "消し", "消す", "けし")))
        if deleting and (one := _one_record(key)) is not None:
            # 「紛失の記録だけ消して」: that record, never everything (a yes there would delete it all).
            self.conv.dispatch(out, FactEdit("del", one), situation, now)
            return
        exact = _exact_reading(key, text, top)
        if exact is not None:
            top = exact
            reading = replace(reading, ranked=(top, *reading.ranked[1:]))
            elsewhere = _acts(top)
        # 「金曜にコールセンターに電話するのを知らせて」: a time makes a call a reminder to call.
        # 「あさっての朝9時半に自動契約機に行く」 reads as the machines, but "<when>に<task>" is a reminder
        # (a cause with a time, 「昨日からロックされてる」, stays a cause).
        timed_task = (
            isinstance(when, When) and when.kind == "once" and bool(when.rest) and when.joined_by == "に"
        ) and (top.intent not in self.conv.flow.causes or not _HAPPENED.search(when.rest))
        timed_call = (top.intent == "call" and when is not None) or timed_task
        if top.intent in ("remind_repay", "remind_free", "remind_visit") or not elsewhere or timed_call:
            # Reminders with their date in the text are read by the exact date parser.
            if self.conv.dialog.detect(out, text, situation, now, stage="repay"):
                return
            # Asked for a reminder in so many words: a time alone is kept and the task asked for.
            explicit = top.intent == "remind_free" and top.score >= ACT
            if self.conv.dialog.detect(out, text, situation, now, stage="free", explicit=explicit):
                return
        if elsewhere and self.conv.dialog.in_progress(out) and top.intent in _ASIDES:
            # 「電話番号って何番？」 while a reminder waits: answered, and the set-up question comes back.
            waiting = out.state.pending
            self.conv.diagnosis._act_on(out, reading, situation, now)
            out.state.pending = waiting
            self.conv.fallback._repeat_question(out, now, texts.KEEP_GOING)
            return
        if elsewhere:
            dropped = self.conv.dialog.in_progress(out) and top.intent != "quit"
            if dropped:
                out.state.pending = None
            self.conv.diagnosis._act_on(out, reading, situation, now)
            if dropped:
                # Said after the answer (an urgent one comes first), before the bubble with the choices.
                out.replies.insert(max(len(out.replies) - 1, 0), Reply(texts.SETUP_DROPPED))
            return
        if top.intent in ("remind_repay", "none") and any(w in key for w in ("返済", "へんさい", "支払", "しはらい")):
            # About repaying, without a day or a login problem: offer what the bot can do for it.
            out.replies.append(Reply(texts.ABOUT_REPAYING, self.conv.diagnosis._repay_choices()))
            return
        maybe = [
            s
            for s in reading.ranked
            if s.score >= ASK and s.intent not in _NEVER_SUGGESTED and self.conv._intent_action(s.intent) is not None
        ]
        if maybe and top.intent != "none" and not out.cared_before:
            options = [
                Choice(self.conv._intent_label(s.intent), a) for s in maybe if (a := self.conv._intent_action(s.intent))
            ]
            options = options[:MAX_MAYBE] + [Choice(texts.LABEL_NONE_OF_THESE, Command("none_of_these"))]
            out.replies.append(Reply(texts.MAYBE, tuple(options)))
            return
        self.conv.fallback._not_understood(out, now)

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
