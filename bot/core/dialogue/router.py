"""Typed text through the router's fixed order (see Router.text)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from bot.core.diagnosis.answers import pick_answer, pick_in_passing
from bot.core.dialogue import guidance, texts
from bot.core.dialogue.actions import (
    Command,
)
from bot.core.dialogue.aftercare import Aftercare
from bot.core.dialogue.aside import Stages, answer_in_parts
from bot.core.dialogue.asked import asks_what_is_kept
from bot.core.dialogue.card_words import card_words
from bot.core.dialogue.care_beside import hear_despair_beside
from bot.core.dialogue.choices_said import declined, loose_choice, offered_reminder, the_only_one
from bot.core.dialogue.draft_left import beside_the_draft, left_draft
from bot.core.dialogue.faq import Faq
from bot.core.dialogue.fraud_talk import FraudTalk
from bot.core.dialogue.loss_told import LossTold
from bot.core.dialogue.messages import (
    Reply,
)
from bot.core.dialogue.secret_talk import SecretTalk
from bot.core.dialogue.secret_turn import hear_beside_secret, warn_hidden, with_what_it_showed, without_the_secret
from bot.core.dialogue.sentence import SentenceStages
from bot.core.dialogue.signs import as_words
from bot.core.dialogue.state import Outcome
from bot.core.dialogue.stated import StatedFacts
from bot.core.dialogue.turn import Turn
from bot.core.dialogue.words import (
    _LOGIN_TOPIC,
    _MEANINGFUL,
    _NUMBER,
    MATCH_LIMIT,
    _acts,
    _one_record,
)
from bot.core.reminders.repayment import LATE_WORDS
from bot.core.reminders.setup_state import Confirm, ConfirmForget
from bot.core.safety.guard import Redaction, ends_with_keyword, looks_like_value, nothing_else, redact
from bot.core.safety.net import (
    beside_the_crisis,
    deletion_scope,
    is_crisis,
    is_emergency,
)
from bot.core.situation.facts import Situation
from bot.core.understanding import Scored
from bot.core.understanding.dialect import standard_negation
from bot.core.understanding.textnorm import clean, normalize

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


# 「いや、やっぱいいや。それより…」: taking back what was being set up, then something else.
_RETRACTION = re.compile(
    r"^\s*(?:いや|いえ|あー|あ|うーん)?[、,。…\s]*(?:やっぱ(?:り)?|やはり|もう)[、,\s]*"
    r"(?:いい(?:や|です|よ|わ)?|やめ(?:る|とく|ておく|ます|た)?|なし(?:で)?|いらない|大丈夫)[、,。!！…\s]*"
    r"(?:それより(?:も)?|それよか|それか|で、|じゃあ|あと)?[、,\s]*"
)
_CANCEL_ONLY = re.compile(
    r"(?:きゃんせる|キャンセル|やめ(?:る|て|ます)?|取り消し|とりけし|なし|なしで|中止|ちゅうし)(?:で|して|します)?[!！。]*"
)
# Screens looked at while a draft waits for its yes: the draft is not taken for approved.
_SEEN_BESIDE_A_DRAFT = frozenset({"reminders", "status", "export"})
# Faces and signs of distress sent alone (「😭」 「😢😢」): heard as a feeling, not 「読み取れませんでした」.
_SAD_SIGNS = re.compile(
    "[\U0001f62d\U0001f622\U0001f97a\U0001f61e\U0001f629\U0001f630\U0001f625\U0001f613\U0001f628\U0001f631\U0001f494]"
)
_HEDGE = re.compile(
    r"(?:たぶん|多分|まあ|まぁ|うーん|うーむ|んー|えーと|えっと|あの|あのー|そうだな|そうですね)[ー〜…。.、!！?？\s]*"
)


# 「〇〇使ってます。会員番号は…」: which company is used (the desk hears it), beside a hidden value.
_USING = re.compile(
    r"[^。、,]{1,12}?(?:を|で|も)?(?:使って|つかって|利用して|りようして|借りて|かりて)(?:い)?(?:ます|る|て)?[。、,]?"
)


class Router:
    """Typed text through the router's fixed order (see Router.text)."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv
        self.aftercare = Aftercare(conv)
        self.faq = Faq(conv)
        self.sentence = SentenceStages(self)
        self.stated = StatedFacts(conv)
        self.loss = LossTold(conv)
        self.fraud_talk = FraudTalk(conv)
        self.secret_talk = SecretTalk(conv)

    def _text(self, out: Outcome, raw: str, situation: Situation, now: datetime, screened: str | None = None) -> None:
        """Typed text, through the router's fixed order: the safety net first (care, secrets, fraud,
        leaving, what a deletion is about), then the question the user is in, then the reading."""
        announced, out.state.secret_next = out.state.secret_next, False
        out.take_marks()
        head = raw[: MATCH_LIMIT * 2]
        if self._care_first(out, head, situation, now):
            return
        guarded = Redaction(raw, False) if raw == screened else redact(raw)  # screened: a door found no secret
        if (
            guarded.whole
            or (guarded.found and nothing_else(_USING.sub(" ", guarded.text)))
            or (announced and looks_like_value(raw))
        ):
            self.conv.safety._secret(out)  # nothing of it can be kept, and there is no request left to answer
            return
        # The clause that held a secret is no part of the request (「…、ついでにPIN 4729もメモっといて」).
        kept = without_the_secret(guarded.text) if guarded.found else guarded.text
        kept = with_what_it_showed(kept, raw, guarded.found)
        text = as_words(clean(kept[: MATCH_LIMIT * 2])[:MATCH_LIMIT], out.state.pending is not None)
        text = standard_negation(text)  # 「してへん」 read as 「してない」 by every stage after this
        out.said = normalize(text)
        if not text:
            self.conv.fallback._reprompt(out, texts.EMPTY)
            return
        # 「パスワードは」 alone: the next message may be the value itself.
        out.state.secret_next = ends_with_keyword(text)
        start = len(out.replies)
        waiting = out.state.pending
        hear_beside_secret(out, guarded.found, text)
        in_question = self.conv.fallback._in_question(out)
        unread, asked = (
            (None, self.faq.unknown_question, self.sentence._maybe),
            (self._state_handler, self._flow_question),
        )
        stages = Stages(unread=lambda s: s in unread, asked=lambda s: s in asked)
        answer_in_parts(out, text, situation, now, self._guarded_text, in_question, stages)
        left_draft(self.conv, out, waiting, start)
        hear_despair_beside(self.conv, out, start)
        if guarded.found:
            warn_hidden(out, start)

    def _care_first(self, out: Outcome, head: str, situation: Situation, now: datetime) -> bool:
        """Care before anything else, whatever else the message holds (harm under way: 119 first);
        the request said beside it (「返済日リマインド作りたい…。来月まで生きてるかわかんないけど」) after."""
        if not self.conv.flow.crisis or not (is_crisis(head) or is_emergency(head)):
            return False
        self.conv.safety._crisis(out, emergency=is_emergency(head), said=head)
        rest = "" if is_emergency(head) else beside_the_crisis(head)
        if rest:
            cared = out.state.cared
            self._text(out, rest, situation, now)
            out.state.cared = cared or out.state.cared
        return True

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

    def _guarded_text(self, out: Outcome, text: str, situation: Situation, now: datetime) -> object:
        """The stage that answered (None: the fallback's 「読み取れませんでした」)."""
        turn = Turn(out, text, normalize(text), situation, now)
        for stage in self._route:
            if stage(turn):
                return stage
        self.conv.fallback._not_understood(out, now)
        return None

    @property
    def _route(self) -> tuple[Callable[[Turn], bool], ...]:
        return (
            self._offered,
            self._question_mark,
            self._button_words,
            self._newcomer,
            self._nothing_to_read,
            partial(_retracted, self),
            self._read,
            self.aftercare.after_care,
            self.aftercare.after_danger,
            self.faq.after_fraud,
            self.fraud_talk.after,
            self.aftercare.after_fraud,
            self.secret_talk.after,
            self._safety_net,
            self.faq.calendar,
            self.faq.answer,
            self.stated.asked_to_keep,
            self._forget_guessed,
            self._state_handler,
            self.loss.known,
            self._flow_question,
            self.aftercare.acknowledged_at_result,
            self.aftercare.step_done_at_result,
            self.loss.handled,
            self.aftercare.denied_at_result,
            self.aftercare.question_at_result,
            self.aftercare.unkept_fact,
            self.sentence._bare_time_said,
            self.sentence._repayment,
            self.stated.told,
            self.sentence._reminder_named,
            self.sentence._newest_changed,
            self.sentence._record_deleted,
            self.sentence._reminder_request,
            self.sentence._aside,
            self.sentence._intent,
            self.sentence._yes_after_saving,
            self.sentence._about_repaying,
            self.faq.unknown_question,
            self.sentence._maybe,
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
        value = value or loose_choice(out, key) or declined(out, key) or the_only_one(out, key)
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
        if (
            isinstance(turn.pending, Confirm)
            and isinstance(labelled, Command)
            and labelled.name in _SEEN_BESIDE_A_DRAFT
        ):
            beside_the_draft(self.conv, turn, labelled)  # 「一覧」 at a confirmation: the draft waits
            return True
        self.conv.dispatch(turn.out, labelled, turn.situation, turn.now)
        return True

    def _newcomer(self, turn: Turn) -> bool:
        """「初めてでよくわからない」 「何ができるの？」: a welcome with examples, not an apology (only outside
        a diagnosis: there 「どうすればいい？」 is about the question or the result on the screen)."""
        marked = turn.out.warned_before or turn.out.cared_before or turn.out.endangered_before  # still that talk
        if turn.pending is not None or turn.out.state.node is not None or marked or not guidance.is_lost(turn.key):
            return False
        turn.out.replies.append(guidance.welcome(self.conv._fill(texts.NEWCOMER), self.conv.menu_choices()))
        return True

    def _nothing_to_read(self, turn: Turn) -> bool:
        """Only emoji, punctuation or symbols: there is nothing to read, so nothing to guess."""
        if _MEANINGFUL.search(turn.key):
            return False
        if _SAD_SIGNS.search(turn.text):
            self.conv.fallback._heard(turn.out, turn.now, angry=False)  # 「😭」: a feeling, heard
            return True
        self.conv.fallback._not_understood(turn.out, turn.now)
        return True

    def _read(self, turn: Turn) -> bool:
        """Understanding, once per turn; then what the words say about a lost card (never answers)."""
        reading = self.conv.understanding.read(turn.text)
        if reading.english:
            turn.out.replies.append(Reply(texts.ENGLISH_NOTE))
        offered = offered_reminder(turn.out, reading.top.intent, turn.key)
        if offered is not None and turn.pending is None:
            # 「それでリマインダーも作って」 after 「返済日のお知らせを設定」 was offered: that one.
            reading = replace(reading, ranked=(Scored(offered, 1.0), *reading.ranked))
        if asks_what_is_kept(turn.key) and (reading.top.intent != "status" or reading.top.score < 1.0):
            # 「何覚えてる？」 at any question: the record, read first (the question is kept).
            reading = replace(reading, ranked=(Scored("status", 1.0), *reading.ranked))
        turn.reading = card_words(self.conv, turn, reading)
        return False

    def _safety_net(self, turn: Turn) -> bool:
        return self.conv.safety._safety(turn.out, turn.text, turn.top.intent, turn.situation, turn.now)

    def _forget_guessed(self, turn: Turn) -> bool:
        """Everything goes only when the words say everything; then weigh where the reading points."""
        scope = deletion_scope(turn.text)
        # 「それ消して」 at a set-up: the draft on the screen (its own question reads it), not the record.
        drafted = self.conv.dialog.in_progress(turn.out) and scope in (None, "ask", "reminder")
        if (
            turn.top.intent == "forget"
            and not isinstance(turn.pending, ConfirmForget)
            and scope not in ("all", None)  # no word of deleting (「全部払った！更新して」): no delete menu
            and not drafted
            and not _one_record(turn.key)  # 「カードの記録も消して」: that record (a later stage), not the menu
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
            and not any(w in turn.key for w in LATE_WORDS)  # 「先月の分が払えてなくて」: the repayment's answer
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
        if _HEDGE.fullmatch(turn.key):
            # 「たぶん」 「うーん」 alone say no answer yet: the question again, without hurry.
            self.conv.fallback._repeat_question(turn.out, turn.now, texts.TAKE_YOUR_TIME)
            return True
        choice = pick_answer(node, turn.text, turn.reading, self.conv.flow, turn.elsewhere, self.conv.understanding)
        if choice is None:
            return False
        start = len(turn.out.replies)
        self.conv.diagnosis._choose(turn.out, node, choice, turn.situation, turn.now)
        # One message may answer the next question too (「メンテナンス中って出る」 at the first one):
        # then that question is not shown, its answer is taken.
        for _ in range(3):
            at = self.conv.flow.nodes.get(turn.out.state.node or "")
            more = (
                pick_in_passing(at, turn.text, turn.reading, self.conv.flow)
                if at is not None and not at.is_final
                else None
            )
            if at is None or more is None or turn.out.state.pending is not None:
                break
            del turn.out.replies[start:]
            self.conv.diagnosis._choose(turn.out, at, more, turn.situation, turn.now)
        return True


def _retracted(router: Router, turn: Turn) -> bool:
    """「いや、やっぱいいや。それより〇〇入れない」 during a set-up: the set-up is dropped, and what
    follows is read as a message of its own (a retraction alone is the set-up's own question's)."""
    if not router.conv.dialog.in_progress(turn.out):
        return False
    match = _RETRACTION.match(turn.text)
    rest = turn.text[match.end() :].strip() if match else ""
    if not rest or not _MEANINGFUL.search(normalize(rest)) or _CANCEL_ONLY.fullmatch(normalize(rest)):
        return False  # 「やっぱやめた、キャンセル」: the retraction said twice is the question's own
    turn.out.state.pending = None
    turn.out.replies.append(Reply(texts.CANCELLED_SETUP))
    router._guarded_text(turn.out, rest, turn.situation, turn.now)
    return True
