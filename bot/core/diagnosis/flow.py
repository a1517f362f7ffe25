"""The diagnosis flow: loaded from TOML data, validated, and drawn as a Mermaid diagram.

A node is one of four kinds:

- a *question* (text + choices, each with a ``next`` node);
- a *result* (one of the causes: what probably happened, what to do, what to bring, whom to call,
  follow-up actions, and ``then``: the next most likely causes when it does not solve the problem);
- an *end* (``end = true``): a next step that is not a cause, such as calling the lender; the
  ``[step_up]`` table names the one that 「まだ解決しない」 reaches when no likely cause is left;
- a *clock* node (``clock = { in_window = "…", otherwise = "…" }``): never shown, it branches on
  the current time against the ``[maintenance]`` windows, so the user is never asked the time.

Adding a cause is an edit to the TOML file; :func:`load_flow` refuses a file with a dangling ``next``,
an orphan node, a leaf that is not a result, a label that is too long, an unknown contact or hours
name, a bad maintenance window or a step-up that leads nowhere, naming the bad node.

Facts carry their sources beside them: any table may hold ``sources = [{ url, read, about, note }]``
(the page's address, the date it was read as a TOML date, the keys of that table it backs, and an
optional note). ``about`` names keys of the table it sits in, dotted for what lies inside them
(``hours.loss``; ``steps.2`` is the second step, counted from 1); without ``about`` a source backs the
whole table. :func:`collect_sources` checks them and :attr:`Flow.sources` keeps them, keyed by the
dotted path of what they back.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.core.diagnosis.flow_diagram import mermaid
from bot.core.diagnosis.flow_fields import _contacts, _facts, _label, _str
from bot.core.diagnosis.flow_model import (
    _ID,
    ACTIONS,
    ANSWER_KINDS,
    HOLIDAY_SHIFTS,
    LAST,
    LENDER_KEYS,
    LENDER_TABLE,
    MAX_LABEL,
    MONTH_END,
    NOW,
    SCHEDULES,
    SOURCES,
    WEEKDAY_NAMES,
    WINDOWS,
    Contact,
    Flow,
    FlowChoice,
    FlowError,
    Maintenance,
    Node,
    Source,
    Window,
)
from bot.core.diagnosis.flow_sources import collect_sources
from bot.core.diagnosis.flow_tables import _contact, _crisis, _lender, _maintenance, _repay_urgent, _repayment

__all__ = [
    "ACTIONS",
    "ANSWER_KINDS",
    "Contact",
    "DEFAULT_FLOW",
    "FLOWS_DIR",
    "Flow",
    "FlowChoice",
    "FlowError",
    "HOLIDAY_SHIFTS",
    "LAST",
    "LENDER_KEYS",
    "LENDER_TABLE",
    "MAX_LABEL",
    "MONTH_END",
    "Maintenance",
    "NOW",
    "Node",
    "SCHEDULES",
    "SOURCES",
    "Source",
    "WEEKDAY_NAMES",
    "WINDOWS",
    "Window",
    "collect_sources",
    "flow_files",
    "lender_order",
    "load_flow",
    "mermaid",
    "parse_flow",
]
FLOWS_DIR = Path(__file__).resolve().parents[2] / "flows"


def lender_order(path: Path) -> tuple[int, str]:
    """Where a flow file's lender comes in lists (``[lender] order``, then the file's name)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")).get("lender") or {}
    except (OSError, tomllib.TOMLDecodeError):
        raw = {}
    order = raw.get("order") if isinstance(raw, dict) else None
    return (order if isinstance(order, int) and not isinstance(order, bool) else LAST, path.stem)


def flow_files(folder: Path = FLOWS_DIR) -> list[Path]:
    """The flow files of a folder, in the lenders' order."""
    return sorted(folder.glob("*.toml"), key=lender_order)


# The first lender's flow: what ``load_flow()`` reads and ``flow-diagram`` draws.
DEFAULT_FLOW = next(iter(flow_files()), FLOWS_DIR / "missing.toml")


def _choice(raw: Any, where: str, is_result: bool) -> FlowChoice:
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: each choice must be a table")
    label = _str(raw, "label", where)
    if len(label) > MAX_LABEL:
        raise FlowError(f"{where}: label '{label}' is {len(label)} characters (at most {MAX_LABEL})")
    nxt, action = raw.get("next"), raw.get("action")
    if is_result and action not in ACTIONS:
        raise FlowError(f"{where}: follow-up '{label}' needs an action among {sorted(ACTIONS)}")
    if not is_result and (not isinstance(nxt, str) or not nxt):
        raise FlowError(f"{where}: choice '{label}' has no 'next'")
    choice_id = raw.get("id", nxt or action or "")
    if not isinstance(choice_id, str) or not _ID.fullmatch(choice_id):
        raise FlowError(f"{where}: choice '{label}' needs an 'id' of lower-case letters, digits and _")
    return FlowChoice(
        label=label,
        next=nxt,
        action=action,
        facts=_facts(raw.get("set"), where),
        id=choice_id,
        means=_means(raw, where, label),
        aliases=_aliases(raw, where, label),
    )


def _means(raw: dict[str, Any], where: str, label: str) -> tuple[str, ...]:
    means = raw.get("means", [])
    if isinstance(means, str):
        means = [means]
    if not isinstance(means, list) or not set(means) <= ANSWER_KINDS:
        raise FlowError(f"{where}: choice '{label}': 'means' must be among {sorted(ANSWER_KINDS)}")
    return tuple(means)


def _aliases(raw: dict[str, Any], where: str, label: str) -> tuple[str, ...]:
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise FlowError(f"{where}: choice '{label}': 'aliases' must be a list of texts")
    return tuple(aliases)


def _steps(raw: Any, where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A result's steps: texts, or tables ``{ text = "…", call = "contact" }`` showing a number under the step."""
    if not isinstance(raw, list) or not raw:
        raise FlowError(f"{where}: a result needs 'steps' (what to do now)")
    texts, calls = [], []
    for step in raw:
        if isinstance(step, dict):
            text, call = step.get("text"), step.get("call", "")
        else:
            text, call = step, ""
        if not isinstance(text, str) or not text or not isinstance(call, str):
            raise FlowError(f"{where}: each step is a text, or a table with 'text' and 'call'")
        texts.append(text)
        calls.append(call)
    return tuple(texts), tuple(calls)


def _node(node_id: str, raw: Any) -> Node:
    where = f"node '{node_id}'"
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: must be a table")
    if "clock" in raw:
        return _clock_node(node_id, raw["clock"], where)
    result = raw.get("result")
    end = bool(raw.get("end", False))
    if end and result is not None:
        raise FlowError(f"{where}: a node is either a result (a cause) or an end, not both")
    is_final = result is not None or end
    choices = _choices(raw.get("choices" if not is_final else "followups", []), where, is_final)
    if not is_final:
        if not choices:
            raise FlowError(f"{where}: a leaf must be a result (give it 'result', or add choices)")
        if len(choices) > 5:
            raise FlowError(f"{where}: at most 5 choices (has {len(choices)})")
        return Node(id=node_id, text=_str(raw, "text", where), choices=choices)
    return _final_node(node_id, raw, where, choices, result, end)


def _clock_node(node_id: str, clock: Any, where: str) -> Node:
    if not isinstance(clock, dict) or set(clock) != {"in_window", "otherwise"}:
        raise FlowError(f"{where}: 'clock' must be a table with 'in_window' and 'otherwise'")
    if not all(isinstance(v, str) and v for v in clock.values()):
        raise FlowError(f"{where}: 'clock' targets must be node ids")
    return Node(id=node_id, clock=(clock["in_window"], clock["otherwise"]))


def _choices(raw: Any, where: str, is_final: bool) -> tuple[FlowChoice, ...]:
    if not isinstance(raw, list):
        raise FlowError(f"{where}: choices must be a list")
    choices = tuple(_choice(c, where, is_final) for c in raw)
    ids = [c.id for c in choices]
    if len(set(ids)) != len(ids):
        raise FlowError(
            f"{where}: two choices share the id '{next(i for i in ids if ids.count(i) > 1)}' (give one an 'id')"
        )
    return choices


def _final_node(
    node_id: str, raw: dict[str, Any], where: str, choices: tuple[FlowChoice, ...], result: Any, end: bool
) -> Node:
    """A result (a cause) or an end: what to do, whom to call, what comes next."""
    if result is not None and (not isinstance(result, str) or not _ID.fullmatch(result)):
        raise FlowError(f"{where}: 'result' must be a cause id (lower-case letters, digits and _)")
    steps, calls = _steps(raw.get("steps"), where)
    contacts, contact_hours, contact_intros = _contacts(raw.get("contacts", []), where)
    then = raw.get("then", [])
    if not isinstance(then, list) or not all(isinstance(t, str) for t in then):
        raise FlowError(f"{where}: 'then' must be a list of node ids")
    facts = {"cause": result, **_facts(raw.get("set"), where)} if result is not None else {}
    return Node(
        id=node_id,
        choices=choices,
        result=result,
        title=_str(raw, "title", where),
        summary=_str(raw, "summary", where),
        headline=_str(raw, "headline", where, required=False),
        steps=steps,
        step_calls=calls,
        bring_ids=bool(raw.get("bring_ids", False)),
        show_machines=bool(raw.get("show_machines", False)),
        contacts=contacts,
        contact_hours=contact_hours,
        contact_intros=contact_intros,
        note=_str(raw, "note", where, required=False),
        facts=facts,
        urgent=bool(raw.get("urgent", False)),
        ask=_label(raw.get("ask", ""), where),
        end=end,
        then=tuple(then),
    )


def _check_node(node: Node, nodes: dict[str, Node], contacts: dict[str, Contact], has_windows: bool) -> None:
    """The references of one node: next nodes, contacts and their hours, step-up targets, placeholders."""
    where = f"node '{node.id}'"
    _check_links(node, nodes, has_windows, where)
    _check_contacts(node, contacts, where)
    for text in (node.summary, node.headline, *node.steps, node.note):
        if "{" in text.replace(WINDOWS, "") or (WINDOWS in text and not has_windows):
            raise FlowError(f"{where}: the only placeholder a text may hold is {WINDOWS} (with [maintenance])")


def _check_links(node: Node, nodes: dict[str, Node], has_windows: bool, where: str) -> None:
    for choice in node.choices:
        if choice.next is not None and choice.next not in nodes:
            raise FlowError(f"{where}: choice '{choice.label}' goes to unknown node '{choice.next}'")
    for target in node.clock or ():
        if target not in nodes:
            raise FlowError(f"{where}: the clock goes to unknown node '{target}'")
    if node.clock is not None and not has_windows:
        raise FlowError(f"{where}: a clock node needs a [maintenance] table with windows")
    for target in node.then:
        if target not in nodes or target == node.id or nodes[target].end or nodes[target].clock:
            raise FlowError(f"{where}: 'then' names '{target}', which is not another result or question")


def _check_contacts(node: Node, contacts: dict[str, Contact], where: str) -> None:
    for cid in (*node.contacts, *(c for c in node.step_calls if c)):
        if cid not in contacts:
            raise FlowError(f"{where}: unknown contact '{cid}'")
    for cid, names in node.contact_hours.items():
        unknown = [n for n in names if n not in contacts[cid].hour_parts]
        if unknown:
            raise FlowError(f"{where}: contact '{cid}' has no hours named '{unknown[0]}'")


def _nodes(data: dict[str, Any]) -> tuple[dict[str, Node], str]:
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, dict) or not raw_nodes:
        raise FlowError("flow: no [nodes] table")
    nodes = {node_id: _node(node_id, raw) for node_id, raw in raw_nodes.items()}
    start = data.get("start")
    if not isinstance(start, str) or start not in nodes:
        raise FlowError(f"flow: start node '{start}' does not exist")
    causes = [n.result for n in nodes.values() if n.is_result]
    if len(set(causes)) != len(causes):
        raise FlowError("flow: two results share one cause id")
    return nodes, start


def _last_step(data: dict[str, Any], nodes: dict[str, Node]) -> str | None:
    step_raw = data.get("step_up") or {}
    last_step = step_raw.get("last") if isinstance(step_raw, dict) else None
    if last_step is not None and (last_step not in nodes or not nodes[last_step].end):
        raise FlowError(f"[step_up]: 'last' must name an end node (not '{last_step}')")
    if any(n.end for n in nodes.values()) and last_step is None:
        raise FlowError("[step_up]: an end node needs 'last' (where 「まだ解決しない」 leads at the end)")
    return last_step


def _check_reached(nodes: dict[str, Node], start: str, last_step: str | None) -> None:
    """Reached: by answers and the clock from the start, by 「まだ解決しない」 from any final node."""
    reached = {start}
    todo = [start]
    while todo:
        node = nodes[todo.pop()]
        targets = list(node.exits)
        if node.is_final:
            targets += [*node.then, *([last_step] if last_step else [])]
        for target in (t for t in targets if t not in reached):
            reached.add(target)
            todo.append(target)
    orphans = [n for n in nodes if n not in reached]
    if orphans:
        raise FlowError(f"node '{orphans[0]}': orphan (no choice leads to it from '{start}')")


def _answers(data: dict[str, Any]) -> dict[str, str]:
    answers_raw = data.get("answers") or {}
    if isinstance(answers_raw, dict):
        answers_raw = {k: v for k, v in answers_raw.items() if k != SOURCES}  # its sources are no answer
    if not isinstance(answers_raw, dict) or not all(isinstance(v, str) for v in answers_raw.values()):
        raise FlowError("[answers]: each answer must be a text")
    return dict(answers_raw)


def parse_flow(data: dict[str, Any]) -> Flow:
    """Build and validate a :class:`Flow` from parsed TOML; raise :class:`FlowError` if it is wrong."""
    nodes, start = _nodes(data)
    contacts = {cid: _contact(cid, raw) for cid, raw in (data.get("contacts") or {}).items()}
    maintenance = _maintenance(data.get("maintenance"), nodes)
    for node in nodes.values():
        _check_node(node, nodes, contacts, maintenance is not None)
    last_step = _last_step(data, nodes)
    _check_reached(nodes, start, last_step)
    ids = data.get("ids") or {}
    machines = data.get("machines") or {}
    lender, lender_id, aliases, short_aliases, generic = _lender(data.get("lender") or {})
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
        answers=_answers(data),
        id_short=_str(ids, "short", "[ids]", required=False),
        maintenance=maintenance,
        last_step=last_step,
        repay_urgent=_repay_urgent(data.get("repay_urgent"), contacts),
        crisis=_crisis(data.get("crisis"), contacts),
        sources=collect_sources(data),
        repayment=_repayment(data.get("repayment")),
        lender_id=lender_id,
        aliases=aliases,
        short_aliases=short_aliases,
        generic=generic,
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
    flow = parse_flow(data)
    if flow.lender_id and flow.lender_id != path.stem:
        raise FlowError(f"flow file {path}: [lender] id '{flow.lender_id}' must be the file's name ('{path.stem}')")
    return replace(flow, path=path, lender_id=flow.lender_id or path.stem)
