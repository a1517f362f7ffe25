"""The conversation core: ``handle(state, situation, incoming, now) -> Outcome``.

Pure and synchronous: the stored state, the user's situation, the message and the current time go
in; the new state, the replies and the effects (facts to record, ...) come out. Nothing is read
from the clock, the network or the database here, so every conversation is a table-driven test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.diagnosis.flow import Flow
from bot.core.diagnosis.render import ResultRender
from bot.core.diagnosis.steps import DiagnosisSteps
from bot.core.dialogue import texts
from bot.core.dialogue.actions import (
    Action,
    Command,
    DaysBefore,
    FactEdit,
    GoCause,
    Pick,
    PickLender,
    RemindAt,
    ReminderOp,
    RepayDay,
    SetupControl,
    decode,
)
from bot.core.dialogue.basics import Basics, ReminderCommands, ResultCommands
from bot.core.dialogue.commands import CommandSpec, Registered, collect
from bot.core.dialogue.fallback import Fallback
from bot.core.dialogue.messages import (
    Choice,
    Incoming,
    RecordFacts,
    Reply,
)
from bot.core.dialogue.router import Router
from bot.core.dialogue.state import ConversationState, Outcome
from bot.core.export.view import StoredRows
from bot.core.lenders.repayment import day_choices
from bot.core.reminders.dialog import ReminderDialog
from bot.core.reminders.kinds.registry import all_kinds, kind_of
from bot.core.reminders.model import ReminderView
from bot.core.reminders.setup_state import Spec
from bot.core.safety.guard import redact
from bot.core.safety.replies import SafetyReplies
from bot.core.situation.fact_edit import FactEditor
from bot.core.situation.facts import Situation
from bot.core.situation.records import Records
from bot.core.understanding import Understanding, build
from bot.core.understanding.textnorm import normalize


class Conversation:
    """The conversation rules for one flow and one default timezone."""

    def __init__(
        self,
        flow: Flow,
        tz: ZoneInfo,
        understanding: Understanding | None = None,
        skills: Sequence[Callable[[Conversation], object]] = (),
        lender_names: Mapping[str, str] | None = None,
    ) -> None:
        """``skills``: more skills (built with this conversation) whose declared commands join the table;
        ``lender_names``: every lender's name by its id (the record names the lenders stored in it)."""
        self.flow = flow
        self.tz = tz
        self.lender_names = dict(lender_names or {flow.lender_id: flow.lender.get("name", "")})
        if understanding is None:
            if flow.path is None:
                raise ValueError("a flow built in memory needs an explicit understanding")
            understanding = build(flow.path, flow.causes)
        self.understanding = understanding
        self.dialog = ReminderDialog(flow, tz, self)
        self.safety = SafetyReplies(self)
        self.records = Records(self)
        self.diagnosis = DiagnosisSteps(self)
        self.render = ResultRender(self)
        self.router = Router(self)
        self.fallback = Fallback(self)
        self.facts = FactEditor(
            tz, flow.cause_titles(), self.menu_choices, self.dispatch, due_days=day_choices(flow.repayment)
        )
        self.facts.lost_causes = frozenset(self.diagnosis.lost_card.causes())
        # One handler per action type, one per command: adding an action is one line here.
        self._handlers: dict[type, Callable[[Outcome, Any, Situation, datetime], None]] = {
            Command: self._on_command,
            Pick: self.diagnosis._on_pick,
            GoCause: self.diagnosis._on_cause,
            RepayDay: self.dialog.on_repay_day,
            DaysBefore: self.dialog.on_days_before,
            RemindAt: self.dialog.on_remind_at,
            SetupControl: self.dialog.on_setup_control,
            ReminderOp: self.dialog.on_reminder_op,
            FactEdit: self.facts.on_edit,
            # Which lender: answered by the lender desk (bot/core/lenders); here only an old button.
            PickLender: lambda out, a, s, n: self.stale(out),
        }
        self.basics = Basics(self)
        self.reminder_commands = ReminderCommands(self)
        self.result_commands = ResultCommands(self)
        # Every command, declared once where it is handled (see bot.core.dialogue.commands).
        extra = [make(self) for make in skills]
        self.commands = collect(
            self.basics, self.reminder_commands, self.result_commands, self.diagnosis, self.records, self.safety, *extra
        )
        self.commands.update(self._kind_commands())
        self._label_actions = self._labelled_actions()

    def _kind_commands(self) -> dict[str, Registered]:
        """The commands each reminder kind declares (its set-up started from a button or words): a new
        kind brings its own, with no declaration here."""
        table: dict[str, Registered] = {}
        for kind in all_kinds():
            for name in kind.commands:
                if name in self.commands or name in table:
                    raise ValueError(f"command {name!r} is declared twice")
                spec = CommandSpec(name, kind.command_labels.get(name, ""), followup=True)
                table[name] = Registered(spec, partial(self.reminder_commands._act, name))
        return table

    def _labelled_actions(self) -> dict[str, Action]:
        """Every command's button label and other exact words (normalized): typed, they need no reading."""
        table: dict[str, Action] = {}
        for name, registered in self.commands.items():
            for words in (registered.spec.label, *registered.spec.words):
                if normalize(words):
                    table[normalize(words)] = Command(name)
        return table

    # ------------------------------------------------------------------ entry point

    def handle(
        self,
        state: ConversationState,
        situation: Situation,
        incoming: Incoming,
        now: datetime,
        reminders: Sequence[ReminderView] = (),
        history: Sequence[dict[str, Any]] | Callable[[], Sequence[dict[str, Any]]] = (),
        record: Callable[[], StoredRows] | None = None,
    ) -> Outcome:
        """Process one incoming message and return the new state, the replies and the effects.

        ``history`` (the situation's changes, for the export) may be given as a loader that is
        called only when the turn needs it. ``record`` reads every stored row about the user, table
        by table; it too is called only by the export. Without it the export shows what was given.
        """
        saved_last_turn, stuck_before = state.just_saved, state.stuck_at
        state = replace(state, back=list(state.back), offered=list(state.offered), just_saved=False, stuck_at=None)
        if callable(history):
            out = Outcome(state=state, replies=[], reminders=tuple(reminders), load_history=history)
        else:
            out = Outcome(state=state, replies=[], reminders=tuple(reminders), history=tuple(history))
        out.load_record = record
        out.saved_last_turn = saved_last_turn
        out.stuck_before = stuck_before
        if not state.welcomed:
            state.welcomed = True
            state.disclaimed = True  # the welcome says it: results do not repeat it
            out.replies.append(Reply(self._fill(texts.WELCOME)))
            if (
                incoming.choice is None
                and not incoming.stale
                and not (incoming.text or "").strip()
                and not incoming.params
            ):
                self._menu(out)
                return self._finish(out)
        picked = incoming.params.get("datetime")
        if picked:
            # LINE's datetime picker answers with a local "YYYY-MM-DDTHH:MM" in the user's zone.
            try:
                at = datetime.fromisoformat(picked).replace(tzinfo=self.tz)
            except ValueError:
                at = None
            self.dialog.picked(out, at if at is not None and 2000 <= at.year <= 2999 else None, situation, now)
            return self._finish(out)
        if incoming.stale:
            self.stale(out)
        elif incoming.choice is not None:
            self.dispatch(out, incoming.choice, situation, now)
        else:
            self.router._text(out, incoming.text or "", situation, now, incoming.screened)
        self._draft_day_told(out, situation)
        return self._finish(out)

    @staticmethod
    def _draft_day_told(out: Outcome, situation: Situation) -> None:
        """A repayment day told in words is kept at once (see StatedFacts); a correction of the draft
        (「26日だった」) corrects that record too, before the yes. A day only tapped is kept when saved."""
        spec = getattr(out.state.pending, "spec", None)
        if not isinstance(spec, Spec) or spec.due_day is None or spec.replace is not None:
            return
        if situation.due_day is None:
            return
        if not kind_of(spec.kind).records_due_day or spec.due_day == situation.due_day:
            return
        if any(isinstance(e, RecordFacts) and "due_day" in e.facts for e in out.effects):
            return
        out.effects.append(RecordFacts({"due_day": spec.due_day}))

    def _finish(self, out: Outcome) -> Outcome:
        # Remember the choices last shown, so "2" or a label typed later can be resolved.
        for reply in reversed(out.replies):
            if reply.choices:
                out.state.offered = [(c.label, c.value) for c in reply.choices]
                break
        return out

    # ------------------------------------------------------------------ typed text

    @staticmethod
    def redacts(raw: str) -> str | None:
        """What a door may keep of a message: the text with its secrets hidden, "" when nothing of it
        may be kept, None when it holds no secret (keep it as it came)."""
        guarded = redact(raw)
        return (guarded.text if not guarded.whole else "") if guarded.found else None

    def _command_for(self, intent: str) -> CommandSpec | None:
        """The declared command an intent means (its own name, or one of the intents it lists)."""
        found = self.commands.get(intent)
        if found is not None:
            return found.spec
        return next((r.spec for r in self.commands.values() if intent in r.spec.intents), None)

    def _intent_action(self, intent: str) -> Action | None:
        """What a reading may lead to: a cause, or a command that has a button of its own."""
        if intent in self.flow.causes:
            return GoCause(intent)
        spec = self._command_for(intent)
        return Command(spec.name) if spec is not None and spec.label else None

    def _intent_label(self, intent: str) -> str:
        node = self.flow.result_for(intent)
        spec = self._command_for(intent)
        label = (node.ask or node.title) if node else spec.label if spec is not None and spec.label else intent
        return label[:20]

    # ------------------------------------------------------------------ choices and actions

    def dispatch(self, out: Outcome, action: Action, situation: Situation, now: datetime) -> None:
        """Run one typed action through its handler."""
        self._handlers[type(action)](out, action, situation, now)

    def _dispatch_offered(self, out: Outcome, value: str, situation: Situation, now: datetime) -> None:
        action = decode(value)
        if action is None:
            self.stale(out)
        else:
            self.dispatch(out, action, situation, now)

    def _on_command(self, out: Outcome, action: Command, situation: Situation, now: datetime) -> None:
        registered = self.commands.get(action.name)
        if registered is None:
            self.stale(out)  # a button from an older version of the bot
        else:
            registered.run(out, situation, now)

    def _quit(self, out: Outcome, situation: Situation, now: datetime) -> None:
        if self.dialog.in_progress(out):
            self.dialog.quit(out, now)
            return
        self._menu(out)
        out.replies[-1] = Reply(texts.QUIT, out.replies[-1].choices)

    # ------------------------------------------------------------------ moving and rendering

    def _nav(self) -> list[Choice]:
        return [Choice(texts.LABEL_BACK, Command("back")), Choice(texts.LABEL_RESTART, Command("restart"))]

    def _fill(self, template: str) -> str:
        """Lender-neutral copy with the flow's lender fields filled in."""
        return template.format(**{k: self.flow.lender.get(k, "") for k in ("name", "company", "disclaimer")})

    def menu_choices(self) -> tuple[Choice, ...]:
        """The main menu's choices (also the reminder dialog's host interface)."""
        return (
            Choice(texts.LABEL_DIAGNOSE, Command("diagnose")),
            Choice(texts.LABEL_REMINDERS, Command("reminders")),
            Choice(texts.LABEL_STATUS, Command("status")),
            Choice(texts.LABEL_HELP, Command("help")),
        )

    def _choice_menu(self) -> Choice:
        return Choice(texts.LABEL_MENU, Command("menu"))

    def _menu(self, out: Outcome) -> None:
        out.state.pending = None
        out.state.node = None
        out.state.back = []
        out.replies.append(Reply(texts.MENU, self.menu_choices()))

    def stale(self, out: Outcome) -> None:
        """Answer a button that no longer applies (also the reminder dialog's host interface)."""
        out.state.pending = None
        out.state.node = None
        out.state.back = []
        out.replies.append(Reply(texts.STALE_BUTTON, self.menu_choices()))
