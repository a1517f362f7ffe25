"""The lender desk: one conversation per lender, one turn routed to the lender it is about.

The desk keeps the core's interface (``handle``, ``menu_choices``, ``redacts``, ``flow``), so doors and
the service do not know how many lenders there are. Per turn:

1. The answer to 「どちらの会社ですか？」 (a button, its number or label, a name): the message that waited
   for it is replayed with that lender's conversation, from the state it was asked in.
2. A lender named in the message (「〇〇にログインできない」) becomes the user's lender, also after
   another one (the switch is said).
3. Otherwise the user's lender (``ConversationState.lender``) answers; while it is not known, the
   generic flow does. The core is pure, so that turn can be tried: when its answer depends on the
   lender (a diagnosis result with numbers, a repayment reminder), it is not sent; the lender is asked
   instead, once, with every served lender and 「その他」.

All lenders share one understanding (causes share their ids across the flows).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.diagnosis.flow import Flow
from bot.core.diagnosis.flow_model import Node
from bot.core.dialogue import texts as core_texts
from bot.core.dialogue.actions import Command, GoCause, PickLender, decode, encode
from bot.core.dialogue.conversation import Conversation
from bot.core.dialogue.messages import Choice, Incoming, Reply, ResultCard, SaveReminder
from bot.core.dialogue.state import ConversationState, Outcome
from bot.core.export.view import StoredRows
from bot.core.lenders import texts
from bot.core.lenders.detect import Detector, key
from bot.core.lenders.facts import FactsByLender, StatusByLender, recorded
from bot.core.lenders.heard import NameReader, declines_company, other_fine
from bot.core.lenders.moved import correct_company
from bot.core.lenders.notes import LenderNotes
from bot.core.lenders.registry import Lenders
from bot.core.lenders.replay_more import answered_too
from bot.core.lenders.switch_draft import _after, saved_before_switch
from bot.core.lenders.told import days_in, keep_days
from bot.core.reminders.kinds.registry import kind_of
from bot.core.reminders.model import ReminderView
from bot.core.situation.facts import Situation
from bot.core.understanding import Reading, Understanding, build

MONTH_END = 31
# The status answer's first words (the core's copy): the lender lines go just before it.
STATUS_OPENINGS = (core_texts.STATUS_HEAD, core_texts.STATUS_EMPTY)
# The past turns a conversation may read: given, or read only when asked for.
History = Sequence[dict[str, Any]] | Callable[[], Sequence[dict[str, Any]]]


class NamesOut(Understanding):
    """The shared understanding, reading each message with the lenders' names taken out."""

    def __init__(self, inner: Understanding, detector: Detector) -> None:
        super().__init__(inner.analyser, inner.model, inner.causes)
        self._mask = detector.mask

    def read(self, text: str) -> Reading:
        """Read the message as if it named no lender."""
        return super().read(self._mask(text))


class LenderDesk:
    """Routes each turn to the conversation of the lender it is about (see the module doc)."""

    def __init__(
        self, lenders: Lenders, tz: ZoneInfo, understanding: Understanding | None = None, cache_dir: Path | None = None
    ) -> None:
        self.lenders = lenders
        self.tz = tz
        if understanding is None:
            understanding = build(lenders.paths, lenders.causes, cache_dir=cache_dir)
        # A lender's name says nothing about what a message asks: the shared model reads it without.
        understanding = NamesOut(understanding, Detector([*lenders.flows, *lenders.unserved]))
        self.understanding = understanding
        flows = [*lenders.flows, *([lenders.fallback] if lenders.fallback else [])]
        # Every lender with a flow file, served or not, by name: the record shows its name, never its id.
        names = {f.lender_id: f.lender["name"] for f in (*flows, *lenders.unserved)}
        self.conversations = {f.lender_id: Conversation(f, tz, understanding, lender_names=names) for f in flows}
        self.names = NameReader(lenders)
        self.notes = LenderNotes(lenders)
        self.detector = self.names.detector
        self.status = StatusByLender(
            lambda lender: names.get(lender or "", lender or texts.LENDER_UNSET),
            lambda lender: self.flow_of(lender).cause_titles(),
            tz,
        )

    # ------------------------------------------------------------------ the core's interface

    @property
    def flow(self) -> Flow:
        """The first served lender's flow (what reminders are about when they name no lender)."""
        return self.lenders.primary

    def flow_of(self, lender: str | None) -> Flow:
        """A lender's flow; the first served lender's for an unknown or unserved one."""
        return self.lenders.get(lender) or self.lenders.primary

    def menu_choices(self) -> tuple[Choice, ...]:
        """The main menu's choices (the same for every lender)."""
        return self.conversations[self.lenders.unknown.lender_id].menu_choices()

    redacts = staticmethod(Conversation.redacts)

    def conversation(self, lender: str | None) -> Conversation:
        """The conversation of a served lender, else the one for an unknown lender."""
        if lender is not None and lender in self.conversations:
            return self.conversations[lender]
        return self.conversations[self.lenders.unknown.lender_id]

    def handle(
        self,
        state: ConversationState,
        situation: Situation,
        incoming: Incoming,
        now: datetime,
        reminders: Sequence[ReminderView] = (),
        history: History = (),
        record: Callable[[], StoredRows] | None = None,
        by_lender: Mapping[str, Situation] | None = None,
    ) -> Outcome:
        """One turn: the lender's answer, a lender named, or the user's lender (see the module doc).

        ``situation`` is the person's own row (with what was told before any lender was named),
        ``by_lender`` each lender's stored facts (see :mod:`bot.core.lenders.facts`)."""
        facts = FactsByLender(situation, by_lender or {})
        run = partial(self._run, facts=facts, now=now, reminders=reminders, history=history, record=record)
        state = self._still_served(state)
        picked = self._picked(state, incoming)
        if picked is not None:
            return self._replay(state, picked, incoming, run)
        if isinstance(incoming.choice, PickLender):
            return run(state.lender, replace(state, asked=None), replace(incoming, choice=None, stale=True))
        waited, state = self._unanswered(state, incoming, situation, now)
        named, unserved = self.names.heard(incoming)
        name_of = lambda lender: self.flow_of(lender).lender["name"]  # noqa: E731
        alone = self._without_company(state, incoming, unserved, run) or other_fine(
            state, incoming, named, run, name_of
        )
        if alone is not None:
            return _after(waited, alone)
        days = days_in(self.detector, state, named, incoming)
        if days:
            return _after(waited, keep_days(state, incoming, days, facts, run, name_of))
        before = state.lender
        state, lender, switched, heard = self._lender_of_turn(state, named, incoming)
        waited, state, heard = saved_before_switch(
            state, before, switched, incoming, run, _label_reminders, waited, heard
        )
        out = run(lender, state, heard)
        if lender is None and self.lenders.asks and not state.lender_skipped and _held_for_company(state, out):
            return self._ask(state, incoming, out)
        _label_reminders(out, lender or self.lenders.unknown.lender_id)  # unknown: by its own rules
        self.notes.by_lender(out, lender)
        self.notes.say_lender(out, state, lender, switched, only_named=heard is not incoming)
        if switched and heard is not incoming:
            correct_company(out, incoming, facts, (before, lender), now, record, self.status.names)
        self.notes.say_others(out, named, lender)
        return _after(waited, out)

    def _without_company(
        self, state: ConversationState, incoming: Incoming, unserved: bool, run: Callable
    ) -> Outcome | None:
        """A lender not served named, or the company not told (「言いたくない」): the general advice (the
        number on the card), and the company is not asked again in this conversation."""
        generic = self.lenders.fallback.lender_id if self.lenders.fallback else state.lender
        if unserved:
            # Another lender's facts would be wrong.
            out: Outcome = self.notes.not_served(run(generic, state, incoming), state.lender)
        elif state.lender is None and self.lenders.asks and declines_company(incoming.text or ""):
            out = run(None, state, replace(incoming, text=None, choice=Command("go_on")))
            out.replies.insert(0, Reply(texts.LENDER_DECLINED))
        else:
            return None
        out.state.lender_skipped = out.state.lender_skipped or out.state.lender is None
        return out

    def _unanswered(
        self, state: ConversationState, incoming: Incoming, situation: Situation, now: datetime
    ) -> tuple[Outcome | None, ConversationState]:
        """The question about the lender not answered: the message that waited for it is read without a
        lender (a set-up it starts stays, a reminder its yes saved is saved), then this one on top of it."""
        if state.asked is None:
            return None, state
        waited = self._waited(state, incoming, situation, now)
        return waited, replace(waited.state if waited is not None else state, asked=None, lender_skipped=True)

    def _lender_of_turn(
        self, state: ConversationState, named: list[str], incoming: Incoming
    ) -> tuple[ConversationState, str | None, bool, Incoming]:
        """The state, the lender of the turn, whether it switched, and the message as the lender's
        conversation reads it (a name alone: the question again, or the same result for that lender)."""
        at_result = self.flow_of(state.lender).nodes.get(state.node or "")
        before = state.lender
        state, lender, switched = self._switched(state, named)
        heard = self.names.only_the_name(incoming, lender)
        # 「じゃあ〇〇」 after the general advice, too: that lender's own answer to the same cause.
        first = before is None and lender is not None  # named for the first time, after the general advice
        if (switched or first) and heard is not incoming and at_result is not None and at_result.result:
            # Another lender's name alone right after a result: the same answer, for that lender.
            heard = replace(heard, choice=GoCause(at_result.result))
        return _left_result(state, at_result) if switched or first else state, lender, switched, heard

    def _run(
        self,
        lender: str | None,
        st: ConversationState,
        inc: Incoming,
        *,
        facts: FactsByLender,
        now: datetime,
        reminders: Sequence[ReminderView],
        history: History,
        record: Callable[[], StoredRows] | None,
    ) -> Outcome:
        """The turn answered by ``lender``'s conversation, on that lender's facts (another lender's stay
        kept for it); what it records goes to that lender's row, the person's own facts to theirs."""
        conv = self.conversation(lender)
        st = self._fit(st, conv.flow, lender)
        out = conv.handle(st, facts.of(lender), inc, now, reminders, history, record)
        out.effects = [*facts.adopted(lender), *recorded(out.effects, lender)]
        self.status.show(out, facts, lender, self.lenders.ids)
        return out

    def _still_served(self, state: ConversationState) -> ConversationState:
        if state.lender is not None and self.lenders.get(state.lender) is None:
            return replace(state, lender=None)  # a lender this bot no longer serves
        return state

    def _switched(self, state: ConversationState, named: list[str]) -> tuple[ConversationState, str | None, bool]:
        """The state, the lender of the turn, and whether the message switched from another lender."""
        lender = state.lender
        if not named or named[0] == lender:
            return state, lender, False
        switched = lender is not None
        if switched:
            # Another lender's diagnosis starts from its beginning (in a question: its first question).
            start = self.flow_of(named[0]).start if state.node is not None else None
            state = replace(state, node=start, back=[], stuck_at=None)
        return state, named[0], switched

    # ------------------------------------------------------------------ asking and answering

    def lender_choices(self) -> tuple[Choice, ...]:
        """Every served lender, the generic one last as 「その他」."""
        return tuple(
            Choice(texts.LABEL_OTHER if f.generic else f.lender["name"][:20], PickLender(f.lender_id))
            for f in self.lenders.flows
        )

    def _ask(self, state: ConversationState, incoming: Incoming, tried: Outcome) -> Outcome:
        saved: dict[str, Any] = {"offered": [list(c) for c in state.offered]}
        if incoming.choice is not None:
            saved["choice"] = encode(incoming.choice)
        else:
            # Kept until the answer: never a secret it may hold (the same rule as the doors' own copy).
            text = incoming.text or ""
            kept = Conversation.redacts(text)
            saved["text"] = text if kept is None else kept
        choices = self.lender_choices()
        new = replace(
            state,
            asked=saved,
            welcomed=True,
            offered=[(c.label, c.value) for c in choices],
            shown_once=list(state.shown_once),
            back=list(state.back),
        )
        node = self.conversation(None).flow.nodes.get(tried.state.node or "")
        if node is not None and node.urgent:
            # Urgent (a card lost): the general advice now (the number on the card), the company's
            # own number once it is chosen; the question comes after, not before.
            urgent = [replace(r, choices=()) for r in tried.replies]
            return Outcome(state=new, replies=[*urgent, Reply(texts.ASK_LENDER_URGENT, choices)])
        replies = [r for r in tried.replies[:1] if not state.welcomed]  # the first greeting stays
        # A secret hidden from the message is said now, not only after the company is chosen.
        replies += [r for r in tried.replies if r.text == core_texts.SECRET_HIDDEN and r not in replies]
        return Outcome(state=new, replies=[*replies, Reply(texts.ASK_LENDER, choices)])

    def _picked(self, state: ConversationState, incoming: Incoming) -> str | None:
        """The lender a message answers the question with (a button, its number or label, a name)."""
        choice = incoming.choice
        if isinstance(choice, PickLender):
            return choice.lender if self.lenders.serves(choice.lender) else None
        if state.asked is None or choice is not None or not incoming.text:
            return None
        text = incoming.text.strip()
        shown = self._shown_lender(state, text)
        if shown is not None:
            return shown
        named = self.detector.answer(text)
        if named is None:
            # 「どこの会社かって？〇〇と△△両方」: an answer in a sentence; the first one named
            # is answered now, the others are said to be a name away (see _replay).
            named = next((n for n in self.detector.find(text) if self.lenders.serves(n)), None)
        return named if named is not None and self.lenders.serves(named) else None

    def _shown_lender(self, state: ConversationState, text: str) -> str | None:
        """The lender button a typed answer names (its label or its number), if answerable."""
        offered = {key(label): decode(value) for label, value in state.offered}
        if text.isdigit() and 1 <= int(text) <= len(state.offered):
            offered[key(text)] = decode(state.offered[int(text) - 1][1])
        action = offered.get(key(text))
        return action.lender if isinstance(action, PickLender) and self.lenders.serves(action.lender) else None

    def _replay(self, state: ConversationState, lender: str, incoming: Incoming, run: Callable) -> Outcome:
        saved = state.asked or {}
        offered = _saved_offered(saved)
        st = replace(state, lender=lender, asked=None, offered=offered)
        waited = decode(saved.get("choice")) if saved.get("choice") else None
        if waited is not None:
            again = Incoming(incoming.user, choice=waited, event_id=incoming.event_id)
        elif saved.get("text"):
            again = Incoming(incoming.user, text=str(saved["text"]), event_id=incoming.event_id)
        else:
            again = Incoming(incoming.user, choice=Command("menu"), event_id=incoming.event_id)
        out: Outcome = answered_too(self.lenders.get(lender) or self.flow, run(lender, st, again), incoming, run)
        out.state.lender = lender
        _label_reminders(out, lender)
        out.replies.insert(0, Reply(self.notes.noted(texts.LENDER_NOTED, lender, out)))
        self.notes.say_others(out, self.names.heard(incoming)[0], lender)
        return out

    def _waited(
        self, state: ConversationState, incoming: Incoming, situation: Situation, now: datetime
    ) -> Outcome | None:
        """The message that waited for 「どちらの会社ですか？」, read without a lender (None: none waited,
        or this message names one, which starts afresh)."""
        saved = state.asked or {}
        if not saved.get("text") or not incoming.text or self.detector.find(incoming.text):
            return None
        offered = _saved_offered(saved)
        again = Incoming(incoming.user, text=str(saved["text"]), event_id=incoming.event_id)
        conv = self.conversation(None)
        return conv.handle(replace(state, asked=None, offered=offered), situation, again, now)

    @staticmethod
    def _depends(out: Outcome) -> bool:
        """True when a turn's answer depends on the lender: a result, or a repayment reminder's day
        asked (the lender's own days are offered). A draft whose day was said is read back and saved
        without asking: its read-back says plainly that a holiday is not moved for an unknown lender."""
        if any(isinstance(r.card, ResultCard) for r in out.replies):
            return True
        spec = getattr(out.state.pending, "spec", None)
        return kind_of(str(getattr(spec, "kind", ""))).one_per_user and getattr(spec, "due_day", None) is None

    @staticmethod
    def _fit(state: ConversationState, flow: Flow, lender: str | None) -> ConversationState:
        """The state as this lender's flow can take it: a node it does not have is dropped."""
        node = state.node if state.node in flow.nodes else None
        back = [b for b in state.back if b in flow.nodes] if node is not None else []
        return replace(state, node=node, back=back, lender=lender)


def _left_result(state: ConversationState, at_result: Node | None) -> ConversationState:
    """Another lender's result is new, never 「the same as above」: the result shown is left."""
    return replace(state, node=None) if at_result is not None and at_result.is_final else state


def _held_for_company(before: ConversationState, out: Outcome) -> bool:
    """True when the turn's answer waits for the company; care said this turn (「…作って。もう消えたい」)
    is never held back behind that question."""
    return not (out.state.cared and not before.cared) and LenderDesk._depends(out)


def _saved_offered(saved: dict[str, Any]) -> list[tuple[str, str]]:
    """The choices that were on the screen when the lender was asked, as they were kept."""
    return [(str(c[0]), str(c[1])) for c in saved.get("offered", []) if isinstance(c, list) and len(c) == 2]


def _label_reminders(out: Outcome, lender: str | None) -> None:
    """A new repayment or visit reminder is about the lender of the turn (stored with it)."""
    if lender is None:
        return
    out.effects = [
        replace(e, fields={**e.fields, "lender": lender})
        if isinstance(e, SaveReminder) and kind_of(e.kind).about_lender and e.replace_id is None
        else e
        for e in out.effects
    ]
