"""The diagnosis flow: loaded from TOML data, validated, and drawn as a Mermaid diagram.

A node is either a *question* (text + choices, each with a ``next`` node) or a *result* (one of the
causes: what probably happened, what to do, what to bring, whom to call, follow-up actions). Adding a
cause is an edit to the TOML file; :func:`load_flow` refuses a file with a dangling ``next``, an
orphan node, a leaf that is not a result or a label that is too long, naming the bad node.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from pathlib import Path
from typing import Any

from bot.core.situation import FactError, check_fact

MAX_LABEL = 20
DEFAULT_FLOW = Path(__file__).resolve().parent.parent / "flows" / "login.toml"
# Follow-up actions a result may offer; the conversation core knows how to run each of them.
ACTIONS = frozenset({"menu", "diagnose", "show_ids", "remind_visit", "remind_repay", "status", "help", "machines"})
ANSWER_KINDS = frozenset({"yes", "no", "dont_know"})
LENDER_KEYS = ("name", "company", "disclaimer")
NOW = "$now"
_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")


class FlowError(ValueError):
    """The flow data is invalid; the message names the node and what is wrong."""


@dataclass(frozen=True, slots=True)
class FlowChoice:
    """A choice of a question (``next``) or a follow-up of a result (``action``).

    ``id`` is stable (the explicit ``id``, else the ``next`` node): a button shown before the flow
    file changed still means the same answer. ``means``: the short answers it stands for
    (yes / no / dont_know), so 「はい」 picks 「はい、表示がある」.
    """

    label: str
    next: str | None = None
    action: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    means: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other ways to say this answer ("どれでもない" for "その他")


@dataclass(frozen=True, slots=True)
class Node:
    """A question or a result of the diagnosis."""

    id: str
    text: str = ""
    choices: tuple[FlowChoice, ...] = ()
    result: str | None = None
    title: str = ""
    summary: str = ""
    steps: tuple[str, ...] = ()
    bring_ids: bool = False
    show_machines: bool = False
    contacts: tuple[str, ...] = ()
    note: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    urgent: bool = False  # with several causes in one message, an urgent one is answered first
    ask: str = ""  # the cause as the user would say it, for a 「もしかして」 choice (else the title)

    @property
    def is_result(self) -> bool:
        """True for a result (a cause), False for a question."""
        return self.result is not None


@dataclass(frozen=True, slots=True)
class Contact:
    """A phone contact with its hours; ``once``: shown only the first time a result offers it."""

    name: str
    phone: str
    hours: str
    intro: str = ""
    once: bool = False
    operator_hours: tuple[time, time] | None = None  # when people answer (else only the automated menu)
    operator_weekdays_only: bool = False
    call_words: tuple[str, ...] = ()  # how a task names a call to this number

    def staffed(self, at: datetime) -> bool:
        """True when a call at ``at`` (local) reaches an operator (holidays are not known here)."""
        if self.operator_hours is None:
            return True
        if self.operator_weekdays_only and at.weekday() >= 5:
            return False
        return self.operator_hours[0] <= at.time() < self.operator_hours[1]


@dataclass(frozen=True, slots=True)
class Flow:
    """The whole validated diagnosis."""

    version: int
    start: str
    nodes: dict[str, Node]
    id_title: str
    id_items: tuple[str, ...]
    id_note: str
    machine_name: str
    machine_hours: str
    machine_note: str
    contacts: dict[str, Contact]
    lender: dict[str, str] = field(default_factory=dict)  # name, company, disclaimer
    answers: dict[str, str] = field(default_factory=dict)  # short answers to common questions
    path: Path | None = None

    @property
    def results(self) -> list[Node]:
        """The result nodes, in file order."""
        return [n for n in self.nodes.values() if n.is_result]

    def cause_titles(self) -> dict[str, str]:
        """Cause id -> its Japanese title."""
        return {n.result: n.title for n in self.results if n.result}

    @property
    def causes(self) -> tuple[str, ...]:
        """The cause ids, in file order."""
        return tuple(n.result for n in self.results if n.result)

    def result_for(self, cause: str) -> Node | None:
        """The result node of a cause id."""
        return next((n for n in self.results if n.result == cause), None)

    def choice(self, node_id: str, choice_id: str) -> FlowChoice | None:
        """A question's choice by its stable id."""
        node = self.nodes.get(node_id)
        if node is None or node.is_result:
            return None
        return next((c for c in node.choices if c.id == choice_id), None)


def _str(raw: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise FlowError(f"{where}: '{key}' must be a non-empty text")
    return value


def _facts(raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: 'set' must be a table")
    for name, value in raw.items():
        if value == NOW:
            value = "2000-01-01T00:00:00+00:00"  # "$now" stands for a timestamp text
        try:
            check_fact(name, value)
        except FactError as exc:
            raise FlowError(f"{where}: {exc}") from None
    return dict(raw)


def _hours(value: Any, where: str) -> tuple[time, time] | None:
    if value is None:
        return None
    try:
        start, end = (time.fromisoformat(x.strip()) for x in str(value).split("-"))
    except ValueError:
        raise FlowError(f"{where}: 'operator_hours' must look like 09:00-18:00") from None
    return start, end


def _label(value: Any, where: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_LABEL:
        raise FlowError(f"{where}: 'ask' must be a text of at most {MAX_LABEL} characters")
    return value


def _choice(raw: Any, where: str, is_result: bool) -> FlowChoice:
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: each choice must be a table")
    label = _str(raw, "label", where)
    if len(label) > MAX_LABEL:
        raise FlowError(f"{where}: label '{label}' is {len(label)} characters (at most {MAX_LABEL})")
    nxt, action = raw.get("next"), raw.get("action")
    if is_result:
        if action not in ACTIONS:
            raise FlowError(f"{where}: follow-up '{label}' needs an action among {sorted(ACTIONS)}")
    elif not isinstance(nxt, str) or not nxt:
        raise FlowError(f"{where}: choice '{label}' has no 'next'")
    choice_id = raw.get("id", nxt or action or "")
    if not isinstance(choice_id, str) or not _ID.fullmatch(choice_id):
        raise FlowError(f"{where}: choice '{label}' needs an 'id' of lower-case letters, digits and _")
    means = raw.get("means", [])
    if isinstance(means, str):
        means = [means]
    if not isinstance(means, list) or not set(means) <= ANSWER_KINDS:
        raise FlowError(f"{where}: choice '{label}': 'means' must be among {sorted(ANSWER_KINDS)}")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise FlowError(f"{where}: choice '{label}': 'aliases' must be a list of texts")
    return FlowChoice(
        label=label,
        next=nxt,
        action=action,
        facts=_facts(raw.get("set"), where),
        id=choice_id,
        means=tuple(means),
        aliases=tuple(aliases),
    )


def _node(node_id: str, raw: Any) -> Node:
    where = f"node '{node_id}'"
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: must be a table")
    result = raw.get("result")
    is_result = result is not None
    choices_raw = raw.get("choices" if not is_result else "followups", [])
    if not isinstance(choices_raw, list):
        raise FlowError(f"{where}: choices must be a list")
    choices = tuple(_choice(c, where, is_result) for c in choices_raw)
    ids = [c.id for c in choices]
    if len(set(ids)) != len(ids):
        raise FlowError(
            f"{where}: two choices share the id '{next(i for i in ids if ids.count(i) > 1)}' (give one an 'id')"
        )
    if not is_result:
        if not choices:
            raise FlowError(f"{where}: a leaf must be a result (give it 'result', or add choices)")
        if len(choices) > 5:
            raise FlowError(f"{where}: at most 5 choices (has {len(choices)})")
        return Node(id=node_id, text=_str(raw, "text", where), choices=choices)
    if not isinstance(result, str) or not _ID.fullmatch(result):
        raise FlowError(f"{where}: 'result' must be a cause id (lower-case letters, digits and _)")
    steps = raw.get("steps", [])
    if not steps or not all(isinstance(s, str) and s for s in steps):
        raise FlowError(f"{where}: a result needs 'steps' (what to do now)")
    facts = {"cause": result, **_facts(raw.get("set"), where)}
    return Node(
        id=node_id,
        choices=choices,
        result=result,
        title=_str(raw, "title", where),
        summary=_str(raw, "summary", where),
        steps=tuple(steps),
        bring_ids=bool(raw.get("bring_ids", False)),
        show_machines=bool(raw.get("show_machines", False)),
        contacts=tuple(raw.get("contacts", [])),
        note=_str(raw, "note", where, required=False),
        facts=facts,
        urgent=bool(raw.get("urgent", False)),
        ask=_label(raw.get("ask", ""), where),
    )


def parse_flow(data: dict[str, Any]) -> Flow:
    """Build and validate a :class:`Flow` from parsed TOML; raise :class:`FlowError` if it is wrong."""
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, dict) or not raw_nodes:
        raise FlowError("flow: no [nodes] table")
    nodes = {node_id: _node(node_id, raw) for node_id, raw in raw_nodes.items()}
    start = data.get("start")
    if not isinstance(start, str) or start not in nodes:
        raise FlowError(f"flow: start node '{start}' does not exist")
    contacts = {}
    for cid, raw in (data.get("contacts") or {}).items():
        where = f"contact '{cid}'"
        contacts[cid] = Contact(
            _str(raw, "name", where),
            _str(raw, "phone", where),
            _str(raw, "hours", where),
            intro=_str(raw, "intro", where, required=False),
            once=bool(raw.get("once", False)),
            operator_hours=_hours(raw.get("operator_hours"), where),
            operator_weekdays_only=bool(raw.get("operator_weekdays_only", False)),
            call_words=tuple(str(w) for w in raw.get("call_words", [])),
        )
    for node in nodes.values():
        for choice in node.choices:
            if choice.next is not None and choice.next not in nodes:
                raise FlowError(f"node '{node.id}': choice '{choice.label}' goes to unknown node '{choice.next}'")
        for cid in node.contacts:
            if cid not in contacts:
                raise FlowError(f"node '{node.id}': unknown contact '{cid}'")
    reached = {start}
    todo = [start]
    while todo:
        for choice in nodes[todo.pop()].choices:
            if choice.next and choice.next not in reached:
                reached.add(choice.next)
                todo.append(choice.next)
    orphans = [n for n in nodes if n not in reached]
    if orphans:
        raise FlowError(f"node '{orphans[0]}': orphan (no choice leads to it from '{start}')")
    causes = [n.result for n in nodes.values() if n.is_result]
    if len(set(causes)) != len(causes):
        raise FlowError("flow: two results share one cause id")
    ids = data.get("ids") or {}
    machines = data.get("machines") or {}
    lender_raw = data.get("lender") or {}
    lender = {key: _str(lender_raw, key, "[lender]") for key in LENDER_KEYS}
    answers_raw = data.get("answers") or {}
    if not isinstance(answers_raw, dict) or not all(isinstance(v, str) for v in answers_raw.values()):
        raise FlowError("[answers]: each answer must be a text")
    return Flow(
        version=int(data.get("version", 1)),
        start=start,
        nodes=nodes,
        id_title=_str(ids, "title", "[ids]"),
        id_items=tuple(ids.get("items", ())),
        id_note=_str(ids, "note", "[ids]", required=False),
        machine_name=_str(machines, "name", "[machines]"),
        machine_hours=_str(machines, "hours", "[machines]"),
        machine_note=_str(machines, "note", "[machines]", required=False),
        contacts=contacts,
        lender=lender,
        answers=dict(answers_raw),
    )


def load_flow(path: Path | str = DEFAULT_FLOW) -> Flow:
    """Read and validate the flow file; raise :class:`FlowError` with one line on any problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FlowError(f"flow file {path}: cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise FlowError(f"flow file {path}: not valid TOML ({exc})") from None
    return replace(parse_flow(data), path=path)


def mermaid(flow: Flow) -> str:
    """The flow as a Mermaid flowchart (regenerated by ``python -m bot flow-diagram``)."""
    lines = ["flowchart TD"]
    for node in flow.nodes.values():
        if node.is_result:
            lines.append(f'    {node.id}[["{node.title}"]]')
        else:
            lines.append(f'    {node.id}{{"{node.text}"}}')
    for node in flow.nodes.values():
        for choice in node.choices:
            if choice.next:
                lines.append(f'    {node.id} -->|"{choice.label}"| {choice.next}')
    return "\n".join(lines) + "\n"
