"""The conversation core: ``handle(state, situation, incoming, now) -> Outcome``.

Pure and synchronous: the stored state, the user's situation, the message and the current time go
in; the new state, the replies and the effects (facts to record, ...) come out. Nothing is read
from the clock, the network or the database here, so every conversation is a table-driven test.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import texts
from bot.core.flow import NOW, Flow, Node
from bot.core.guard import looks_secret
from bot.core.intents import match_cause, match_command, wants_diagnosis
from bot.core.jptime import format_datetime, utc_stamp
from bot.core.messages import Choice, Effect, ForgetUser, Incoming, RecordFacts, Reply
from bot.core.reminder_dialog import ReminderDialog
from bot.core.reminders import ReminderView
from bot.core.reminders import describe as describe_reminder
from bot.core.situation import FIELD_LABELS, Situation, describe, format_value
from bot.core.textnorm import clean, normalize

# Longer messages are cut before matching: nobody describes a login problem in 1,000 characters,
# and it keeps the cost of a 10,000-character paste bounded.
MATCH_LIMIT = 1000
_NUMBER = re.compile(r"(\d{1,3})[).．。番]?")


@dataclass(slots=True)
class ConversationState:
    """Where the user is: the current node, the way back, and the choices last shown."""

    node: str | None = None
    back: list[str] = field(default_factory=list)
    offered: list[tuple[str, str]] = field(default_factory=list)  # (label, value) last shown
    welcomed: bool = False
    pending: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "node": self.node,
            "back": list(self.back),
            "offered": [list(c) for c in self.offered],
            "welcomed": self.welcomed,
            "pending": dict(self.pending),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ConversationState:
        """Rebuild from :meth:`to_dict`; tolerant of missing or malformed keys (older versions)."""
        if not isinstance(data, dict):
            return cls()
        offered = [
            (str(c[0]), str(c[1])) for c in data.get("offered") or [] if isinstance(c, list | tuple) and len(c) == 2
        ]
        node = data.get("node")
        return cls(
            node=node if isinstance(node, str) else None,
            back=[b for b in data.get("back") or [] if isinstance(b, str)],
            offered=offered,
            welcomed=bool(data.get("welcomed")),
            pending=data.get("pending") if isinstance(data.get("pending"), dict) else {},
        )


@dataclass(slots=True)
class Outcome:
    """What one turn produced."""

    state: ConversationState
    replies: list[Reply]
    effects: list[Effect] = field(default_factory=list)
    # Input carried through the turn: the user's own reminders (for listing and ownership checks)
    # and the history of their situation (for the export).
    reminders: tuple[ReminderView, ...] = ()
    history: tuple[dict[str, Any], ...] = ()


class Conversation(ReminderDialog):
    """The conversation rules for one flow and one default timezone."""

    def __init__(self, flow: Flow, tz: ZoneInfo) -> None:
        self.flow = flow
        self.tz = tz
        self._prefix = f"f{flow.version}:"

    # ------------------------------------------------------------------ entry point

    def handle(
        self,
        state: ConversationState,
        situation: Situation,
        incoming: Incoming,
        now: datetime,
        reminders: Sequence[ReminderView] = (),
        history: Sequence[dict[str, Any]] = (),
    ) -> Outcome:
        """Process one incoming message and return the new state, the replies and the effects."""
        state = replace(state, back=list(state.back), offered=list(state.offered), pending=dict(state.pending))
        out = Outcome(state=state, replies=[], reminders=tuple(reminders), history=tuple(history))
        if not state.welcomed:
            state.welcomed = True
            out.replies.append(Reply(texts.WELCOME))
            if incoming.choice is None and not (incoming.text or "").strip() and not incoming.params:
                self._menu(out)
                return self._finish(out)
        picked = incoming.params.get("datetime")
        if picked:
            # LINE's datetime picker answers with a local "YYYY-MM-DDTHH:MM" in the user's zone.
            try:
                at = datetime.fromisoformat(picked).replace(tzinfo=self.tz)
            except ValueError:
                at = None
            if at is not None and state.pending.get("ask") == "when":
                self._dispatch(out, "rt:" + at.isoformat(), situation, now)
            else:
                self._stale(out)  # a picker left over from an earlier question
            return self._finish(out)
        if incoming.choice is not None:
            self._dispatch(out, incoming.choice, situation, now)
        else:
            self._text(out, incoming.text or "", situation, now)
        return self._finish(out)

    def _finish(self, out: Outcome) -> Outcome:
        # Remember the choices last shown, so "2" or a label typed later can be resolved.
        for reply in reversed(out.replies):
            if reply.choices:
                out.state.offered = [(c.label, c.value) for c in reply.choices]
                break
        return out

    # ------------------------------------------------------------------ typed text

    def _text(self, out: Outcome, raw: str, situation: Situation, now: datetime) -> None:
        text = clean(raw[: MATCH_LIMIT * 2])[:MATCH_LIMIT]
        if not text:
            self._reprompt(out, texts.EMPTY)
            return
        if looks_secret(text):
            # Nothing of this message may be kept: no effect, no state change beyond the reprompt.
            out.replies.append(Reply(texts.SECRET_WARNING))
            self._reprompt(out, texts.CONTINUE)
            return
        pending = out.state.pending
        number = _NUMBER.fullmatch(text)
        # While asking for a day or a count, a typed number is that value, not a choice index.
        if number and out.state.offered and pending.get("ask") not in ("repay_day", "repay_days", "repay_time"):
            index = int(number.group(1)) - 1
            if 0 <= index < len(out.state.offered):
                self._dispatch(out, out.state.offered[index][1], situation, now)
            else:
                self._reprompt(out, texts.NO_SUCH_NUMBER)
            return
        key = normalize(text)
        for label, value in out.state.offered:
            if key and normalize(label) == key:
                self._dispatch(out, value, situation, now)
                return
        # Commands first: "メニュー", "やめる" or "ヘルプ" always get out of a question.
        action = match_command(text)
        if action:
            self._dispatch(out, "a:" + action, situation, now)
            return
        if pending and self.reminder_text(out, text, situation, now):
            return
        if self.detect_reminder(out, text, situation, now, stage="repay"):
            return
        cause = match_cause(self.flow, text)
        if cause is not None:
            self._go(out, cause, now, from_node=out.state.node, situation=situation)
            return
        if wants_diagnosis(text):
            self._start_diagnosis(out)
            return
        if self.detect_reminder(out, text, situation, now, stage="free"):
            return
        if pending.get("ask") == "when":
            self._ask_when(out, texts.WHEN_UNPARSED, dict(pending.get("spec") or {}), now)
            return
        if any(w in key for w in ("返済", "へんさい", "支払", "しはらい")):
            # About repaying, without a day or a login problem: offer what the bot can do for it.
            choices = (
                Choice("返済リマインダーを設定", "a:remind_repay"),
                Choice(texts.LABEL_DIAGNOSE, "a:diagnose"),
                Choice(texts.LABEL_MENU, "a:menu"),
            )
            out.replies.append(Reply(texts.ABOUT_REPAYING, choices))
            return
        self._reprompt(out, texts.NOT_UNDERSTOOD)

    # ------------------------------------------------------------------ choices and actions

    def _dispatch(self, out: Outcome, value: str, situation: Situation, now: datetime) -> None:
        if value.startswith("a:"):
            self._action(out, value[2:], situation, now)
            return
        if value.startswith("f") and ":" in value:
            self._flow_choice(out, value, situation, now)
            return
        if self.reminder_choice(out, value, situation, now):
            return
        self._stale(out)

    def _action(self, out: Outcome, action: str, situation: Situation, now: datetime) -> None:
        state = out.state
        if action == "menu":
            self._menu(out)
        elif action in ("diagnose", "restart"):
            self._start_diagnosis(out)
        elif action == "back":
            if state.back:
                previous = self.flow.nodes.get(state.back.pop())
                if previous is not None:
                    state.node = previous.id
                    if previous.is_result:
                        out.replies.append(Reply(texts.AFTER_RESULT, self._result_choices(previous)))
                    else:
                        out.replies.extend(self._render_question(previous))
                    return
            self._menu(out)
        elif action == "forget":
            state.pending = {"confirm_forget": True}
            choices = (Choice("削除する", "a:forget_yes"), Choice("やめる", "a:forget_no"))
            out.replies.append(Reply(texts.FORGET_CONFIRM, choices))
        elif action == "forget_yes":
            if not state.pending.get("confirm_forget"):
                self._stale(out)
                return
            # Nothing of this user is kept: the service deletes every row and does not save the state.
            out.effects.append(ForgetUser())
            out.replies.append(Reply(texts.FORGOTTEN))
        elif action == "forget_no":
            state.pending = {}
            out.replies.append(Reply(texts.FORGET_KEPT, self._menu_choices()))
        elif action == "export":
            out.replies.append(Reply(self._export_text(situation, out, now), self._menu_choices()))
        elif action == "nontext":
            self._reprompt(out, texts.NON_TEXT)
        elif action == "welcome_back":
            out.replies.append(Reply(texts.WELCOME_BACK))
            self._menu(out)
        elif action == "resume":
            if state.offered:
                self._reprompt(out, texts.RESUME)
            else:
                self._menu(out)
        elif action == "help":
            out.replies.append(Reply(texts.HELP, self._menu_choices()))
        elif action == "status":
            lines = describe(situation, self.flow.cause_titles(), self.tz)
            body = "\n".join([texts.STATUS_HEAD, *lines, texts.STATUS_FOOT]) if lines else texts.STATUS_EMPTY
            out.replies.append(Reply(body, self._menu_choices()))
        elif action == "show_ids":
            out.replies.append(Reply(self._ids_text(), (self._choice_menu(),)))
        elif self.reminder_action(out, action, situation, now):
            pass
        else:
            self._stale(out)

    def _flow_choice(self, out: Outcome, value: str, situation: Situation, now: datetime) -> None:
        if not value.startswith(self._prefix):
            self._stale(out)
            return
        node_id, _, index_text = value[len(self._prefix) :].rpartition(":")
        node = self.flow.nodes.get(node_id)
        if node is None or node.is_result or not index_text.isdigit() or int(index_text) >= len(node.choices):
            self._stale(out)
            return
        choice = node.choices[int(index_text)]
        if choice.facts:
            out.effects.append(RecordFacts(self._facts(choice.facts, now)))
        target = self.flow.nodes[choice.next] if choice.next else None
        if target is None:
            self._stale(out)
            return
        self._go(out, target, now, from_node=node.id, situation=situation)

    # ------------------------------------------------------------------ moving and rendering

    def _start_diagnosis(self, out: Outcome) -> None:
        out.state.pending = {}
        out.state.back = []
        out.state.node = self.flow.start
        out.replies.extend(self._render_question(self.flow.nodes[self.flow.start]))

    def _go(self, out: Outcome, node: Node, now: datetime, from_node: str | None, situation: Situation) -> None:
        state = out.state
        state.pending = {}
        if from_node is not None and from_node in self.flow.nodes and from_node != node.id:
            state.back.append(from_node)
            del state.back[:-20]  # a bounded way back is enough
        state.node = node.id
        if node.is_result:
            out.effects.append(RecordFacts(self._facts(node.facts, now)))
            out.replies.extend(self._render_result(node, seen_before=situation.cause == node.result))
        else:
            out.replies.extend(self._render_question(node))

    def _facts(self, facts: dict[str, Any], now: datetime) -> dict[str, Any]:
        stamp = utc_stamp(now)
        return {k: (stamp if v == NOW else v) for k, v in facts.items()}

    def _nav(self) -> list[Choice]:
        return [Choice(texts.LABEL_BACK, "a:back"), Choice(texts.LABEL_RESTART, "a:restart")]

    def _render_question(self, node: Node) -> list[Reply]:
        choices = [Choice(c.label, f"{self._prefix}{node.id}:{i}") for i, c in enumerate(node.choices)]
        if node.id == self.flow.start:
            choices.append(self._choice_menu())
        else:
            choices.extend(self._nav())
        return [Reply(node.text, tuple(choices))]

    def _result_choices(self, node: Node) -> tuple[Choice, ...]:
        follow = [Choice(c.label, "a:" + (c.action or "menu")) for c in node.choices]
        return tuple(follow + [Choice(texts.LABEL_BACK, "a:back")])

    def _render_result(self, node: Node, seen_before: bool = False) -> list[Reply]:
        steps = "\n".join(f"{i}. {s}" for i, s in enumerate(node.steps, 1))
        replies = [Reply(f"【{node.title}】\n{node.summary}\n\nいますぐできること\n{steps}")]
        extra: list[str] = []
        # Whom to call comes first: for a lost card the call is the urgent part.
        for cid in node.contacts:
            c = self.flow.contacts[cid]
            if c.once and seen_before:
                continue  # offered gently, once: not again on every visit to this result
            extra.append("\n".join(x for x in (c.intro, f"{c.name}：{c.phone}", c.hours) if x))
        if node.bring_ids:
            extra.append(self._ids_text())
        if node.show_machines:
            m = self.flow
            extra.append(f"{m.machine_name}の営業時間：{m.machine_hours}\n{m.machine_note}".rstrip())
        if node.note:
            extra.append(node.note)
        if extra:
            replies.append(Reply("\n\n".join(extra)))
        replies.append(Reply(f"{texts.AFTER_RESULT}\n{texts.DISCLAIMER}", self._result_choices(node)))
        return replies

    def _export_text(self, situation: Situation, out: Outcome, now: datetime) -> str:
        lines = [texts.EXPORT_HEAD, "", "【状況】"]
        lines += describe(situation, self.flow.cause_titles(), self.tz) or ["・（なし）"]
        lines += ["", "【変更の記録】"]
        local_today = now.astimezone(self.tz).date()
        for entry in out.history[-50:]:
            when = format_datetime(datetime.fromisoformat(entry["at"]).astimezone(self.tz), local_today)
            name = entry["field"]
            shown = format_value(name, entry["value"], self.flow.cause_titles(), self.tz)
            lines.append(f"・{when} {FIELD_LABELS.get(name, name)}：{shown}")
        if not out.history:
            lines.append("・（なし）")
        lines += ["", "【リマインダー】"]
        lines += [f"・{describe_reminder(r, now)}" for r in out.reminders] or ["・（なし）"]
        lines += ["", texts.EXPORT_FOOT]
        return "\n".join(lines)

    def _ids_text(self) -> str:
        items = "\n".join(f"・{item}" for item in self.flow.id_items)
        return f"{self.flow.id_title}\n{items}\n{self.flow.id_note}".rstrip()

    def _menu_choices(self) -> tuple[Choice, ...]:
        return (
            Choice(texts.LABEL_DIAGNOSE, "a:diagnose"),
            Choice(texts.LABEL_REMINDERS, "a:reminders"),
            Choice(texts.LABEL_STATUS, "a:status"),
            Choice(texts.LABEL_HELP, "a:help"),
        )

    def _choice_menu(self) -> Choice:
        return Choice(texts.LABEL_MENU, "a:menu")

    def _menu(self, out: Outcome) -> None:
        out.state.pending = {}
        out.state.node = None
        out.state.back = []
        out.replies.append(Reply(texts.MENU, self._menu_choices()))

    def _stale(self, out: Outcome) -> None:
        out.state.pending = {}
        out.state.node = None
        out.state.back = []
        out.replies.append(Reply(texts.STALE_BUTTON, self._menu_choices()))

    def _reprompt(self, out: Outcome, message: str) -> None:
        choices = tuple(Choice(label, value) for label, value in out.state.offered) or self._menu_choices()
        out.replies.append(Reply(message, choices))
