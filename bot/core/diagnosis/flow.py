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

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.situation.facts import FactError, check_fact

MAX_LABEL = 20
FLOWS_DIR = Path(__file__).resolve().parents[2] / "flows"
LAST = 1_000  # the place of a lender without ``[lender] order`` (after those with one, by id)


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
# Follow-up actions a result may offer; the conversation core knows how to run each of them.
ACTIONS = frozenset(
    {
        "menu",
        "diagnose",
        "show_ids",
        "remind_visit",
        "remind_repay",
        "status",
        "help",
        "machines",
        "remind_free",
        "remind_call",
    }
)
ANSWER_KINDS = frozenset({"yes", "no", "dont_know"})
LENDER_KEYS = ("name", "company", "disclaimer")
# Every key ``[lender]`` may hold: the texts above, the lender's key, how people write its name, and
# ``generic`` for the flow that stands for any other lender (「その他」).
LENDER_TABLE = frozenset({*LENDER_KEYS, "id", "aliases", "generic", "order", "sources"})
_LENDER_ID = re.compile(r"[a-z]+")
# Repayment schedules a lender may offer: a fixed day each month, or every ``cycle_days`` days.
SCHEDULES = ("monthly", "every_35_days")
HOLIDAY_SHIFTS = ("next_business_day",)
MONTH_END = 31  # in ``monthly_days``: the month's last day (末日)
# A phone text of a contact whose number is not known must not hold anything dialable.
_DIALABLE = re.compile(r"\d[\d-]{5,}")
NOW = "$now"
_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The only placeholder a result's text may hold: the maintenance windows, so the wording of the
# result and the windows the clock checks can never disagree.
WINDOWS = "{windows}"
_DATE = re.compile(r"(\d{2})-(\d{2})")
SOURCES = "sources"  # the key of a table's sources (never a fact itself)
_URL = re.compile(r"https?://[^\s/]+\.[^\s]+")


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
    # What probably happened, in one short line for a result's first bubble (default: the summary's first line).
    headline: str = ""
    steps: tuple[str, ...] = ()
    bring_ids: bool = False
    show_machines: bool = False
    contacts: tuple[str, ...] = ()
    note: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    urgent: bool = False  # with several causes in one message, an urgent one is answered first
    ask: str = ""  # the cause as the user would say it, for a 「もしかして」 choice (else the title)
    end: bool = False  # a next step that is not a cause (calling the lender)
    clock: tuple[str, str] | None = None  # (inside a maintenance window, otherwise): chosen by the time
    then: tuple[str, ...] = ()  # 「まだ解決しない」: the next most likely causes (node ids), in order
    # Which named hours of a contact matter for this node (absent: all of them).
    contact_hours: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Why a result offers a contact, when the contact's own intro does not fit it (e.g. "not by phone").
    contact_intros: dict[str, str] = field(default_factory=dict)
    step_calls: tuple[str, ...] = ()  # per step: the contact whose number is shown under it ("" for none)

    @property
    def is_result(self) -> bool:
        """True for a result (a cause), False for a question."""
        return self.result is not None

    @property
    def is_final(self) -> bool:
        """True where a diagnosis stops: a result or an end (what to do, not another question)."""
        return self.result is not None or self.end

    @property
    def exits(self) -> tuple[str, ...]:
        """The nodes one answer (or the clock) leads to from here."""
        if self.clock is not None:
            return self.clock
        return tuple(c.next for c in self.choices if c.next)


@dataclass(frozen=True, slots=True)
class Contact:
    """A phone contact with its hours; ``once``: shown only the first time a result offers it."""

    name: str
    phone: str
    hours: str  # every named hours text, joined (for notes that speak of the contact as a whole)
    intro: str = ""
    once: bool = False
    operator_hours: tuple[time, time] | None = None  # when people answer (else only the automated menu)
    operator_weekdays_only: bool = False
    call_words: tuple[str, ...] = ()  # how a task names a call to this number
    # Named hours ("loss": 24 h for a lost card, "operator": weekdays): a result shows the ones that matter.
    hour_parts: dict[str, str] = field(default_factory=dict)
    # False: ``phone`` says where to find the number (the card, the official site); it is never dialled.
    phone_known: bool = True

    def hours_for(self, names: tuple[str, ...] | None) -> list[str]:
        """The hours texts with these names (all of them for None), in the file's order."""
        if names is None:
            return list(self.hour_parts.values()) or [self.hours]
        return [text for key, text in self.hour_parts.items() if key in names]

    def staffed(self, at: datetime) -> bool:
        """True when a call at ``at`` (local) reaches an operator (holidays are not known here)."""
        if self.operator_hours is None:
            return True
        if self.operator_weekdays_only and at.weekday() >= 5:
            return False
        return self.operator_hours[0] <= at.time() < self.operator_hours[1]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact of the flow comes from: a page's address and the day it was read."""

    url: str
    read: date
    note: str = ""


@dataclass(frozen=True, slots=True)
class Window:
    """A time in which the member service is reported to stop for maintenance (local to the flow's zone)."""

    label: str
    weekdays: frozenset[int] = frozenset()  # 0 = Monday; empty: any day
    dates: frozenset[tuple[int, int]] = frozenset()  # (month, day); empty: any date
    start: time = time(0, 0)
    end: time | None = None  # None: until midnight
    advice: str = ""  # what to do in this window, instead of the general "try again in a while"
    say: str = ""  # the whole message for this window, instead of lead + note + advice (a whole day)
    nth: int | None = None  # only the nth of those weekdays in the month (3: the third Sunday)

    def holds(self, local: datetime) -> bool:
        """True when ``local`` (in the flow's zone) falls inside this window."""
        if self.weekdays and local.weekday() not in self.weekdays:
            return False
        if self.nth is not None and (local.day - 1) // 7 + 1 != self.nth:
            return False
        if self.dates and (local.month, local.day) not in self.dates:
            return False
        return self.start <= local.time() and (self.end is None or local.time() < self.end)


@dataclass(frozen=True, slots=True)
class Maintenance:
    """The maintenance windows, the result that explains them and the soft words around them."""

    tz: ZoneInfo
    windows: tuple[Window, ...]
    result: str  # the node that says it may be maintenance
    lead: str  # said first when a diagnosis starts inside a window ({window}: its label)
    note: str  # the exact hours are unsure

    def window_at(self, now: datetime) -> Window | None:
        """The window ``now`` falls in, or None."""
        local = now.astimezone(self.tz)
        return next((w for w in self.windows if w.holds(local)), None)

    def labels(self) -> str:
        """The windows as one phrase: 「月曜の早朝（0:00〜7:00ごろ）や1月1日」."""
        return "や".join(w.label for w in self.windows)


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
    id_short: str = ""  # the ID list in one line, for a result's "what to bring"
    maintenance: Maintenance | None = None
    last_step: str | None = None  # the end node 「まだ解決しない」 reaches when no likely cause is left
    repay_urgent: dict[str, Any] = field(default_factory=dict)  # late / due today: texts and contacts
    crisis: dict[str, Any] = field(default_factory=dict)  # not wanting to live: words of care and whom to call
    # Where the facts come from: the dotted path of what a source backs -> its sources (see the module doc).
    sources: dict[str, tuple[Source, ...]] = field(default_factory=dict)
    # Repayment rules of the lender: a fixed day for automatic debit from other banks, its own reminder mail.
    repayment: dict[str, Any] = field(default_factory=dict)
    # The lender's key (``[lender] id``, the file's name), every way people write its name, and whether
    # this flow stands for any lender the bot has no data for (「その他」).
    lender_id: str = ""
    aliases: tuple[str, ...] = ()
    generic: bool = False

    def sources_of(self, path: str) -> tuple[Source, ...]:
        """The sources backing the fact at a dotted path (``contacts.<id>.phone``): those given
        for it, for a part of it, or for a table around it."""
        parts = path.split(".")
        found: list[Source] = []
        for covered, sources in self.sources.items():
            if parts[: len(covered.split("."))] == covered.split("."):
                found.extend(sources)
        return tuple(found)

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
        if node is None or node.is_final:
            return None
        return next((c for c in node.choices if c.id == choice_id), None)

    def step_up(self, node_id: str, covered: set[str], now: datetime) -> Node | None:
        """Where 「まだ解決しない」 at ``node_id`` leads: the next likely cause not yet ``covered``, else the last step.

        Inside a maintenance window, maintenance comes first when it was not covered (the clock
        knows what the user cannot see). None at the last step itself.
        """
        node = self.nodes.get(node_id)
        if node is None or node_id == self.last_step:
            return None
        candidates = list(node.then)
        if self.maintenance is not None and self.maintenance.window_at(now) is not None:
            candidates.insert(0, self.maintenance.result)
        for target in candidates:
            if target not in covered and target != node_id and self._leads_somewhere_new(target, covered):
                return self.nodes[target]
        return self.nodes[self.last_step] if self.last_step else None

    def _leads_somewhere_new(self, node_id: str, covered: set[str]) -> bool:
        """True when a node is, or can lead to, a result not yet covered (asking on must be worth it)."""
        seen, todo = {node_id}, [node_id]
        while todo:
            node = self.nodes[todo.pop()]
            if node.is_result and node.id not in covered:
                return True
            for target in node.exits:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return False


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


def _contacts(raw: Any, where: str) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]], dict[str, str]]:
    """A node's contacts: ids, or tables ``{ id = "…", hours = ["operator"], intro = "…" }`` naming the
    hours that matter and, optionally, why this result offers the number."""
    if not isinstance(raw, list):
        raise FlowError(f"{where}: 'contacts' must be a list")
    ids, hours, intros = [], {}, {}
    for entry in raw:
        if isinstance(entry, str):
            ids.append(entry)
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise FlowError(f"{where}: each contact is an id, or a table with 'id' and 'hours'")
        names = entry.get("hours", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise FlowError(f"{where}: contact '{entry['id']}': 'hours' must be a list of hours names")
        ids.append(entry["id"])
        hours[entry["id"]] = tuple(names)
        if "intro" in entry:
            intros[entry["id"]] = _str(entry, "intro", f"{where} contact '{entry['id']}'")
    return tuple(ids), hours, intros


def _node(node_id: str, raw: Any) -> Node:
    where = f"node '{node_id}'"
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: must be a table")
    if "clock" in raw:
        clock = raw["clock"]
        if not isinstance(clock, dict) or set(clock) != {"in_window", "otherwise"}:
            raise FlowError(f"{where}: 'clock' must be a table with 'in_window' and 'otherwise'")
        if not all(isinstance(v, str) and v for v in clock.values()):
            raise FlowError(f"{where}: 'clock' targets must be node ids")
        return Node(id=node_id, clock=(clock["in_window"], clock["otherwise"]))
    result = raw.get("result")
    end = bool(raw.get("end", False))
    if end and result is not None:
        raise FlowError(f"{where}: a node is either a result (a cause) or an end, not both")
    is_final = result is not None or end
    choices_raw = raw.get("choices" if not is_final else "followups", [])
    if not isinstance(choices_raw, list):
        raise FlowError(f"{where}: choices must be a list")
    choices = tuple(_choice(c, where, is_final) for c in choices_raw)
    ids = [c.id for c in choices]
    if len(set(ids)) != len(ids):
        raise FlowError(
            f"{where}: two choices share the id '{next(i for i in ids if ids.count(i) > 1)}' (give one an 'id')"
        )
    if not is_final:
        if not choices:
            raise FlowError(f"{where}: a leaf must be a result (give it 'result', or add choices)")
        if len(choices) > 5:
            raise FlowError(f"{where}: at most 5 choices (has {len(choices)})")
        return Node(id=node_id, text=_str(raw, "text", where), choices=choices)
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


def _clock(value: Any, where: str) -> time:
    try:
        return time.fromisoformat(str(value).strip().zfill(5))
    except ValueError:
        raise FlowError(f"{where}: a time must look like 7:00") from None


def _maintenance(raw: Any, nodes: dict[str, Node]) -> Maintenance | None:
    """The ``[maintenance]`` table: its zone, windows and wording, checked."""
    if raw is None:
        return None
    where = "[maintenance]"
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: must be a table")
    try:
        tz = ZoneInfo(_str(raw, "timezone", where))
    except (ZoneInfoNotFoundError, ValueError):
        raise FlowError(f"{where}: unknown timezone '{raw.get('timezone')}'") from None
    result = _str(raw, "result", where)
    if result not in nodes or not nodes[result].is_result:
        raise FlowError(f"{where}: 'result' must name a result node (not '{result}')")
    windows = []
    for i, w in enumerate(raw.get("windows") or [], 1):
        here = f"{where} window {i}"
        if not isinstance(w, dict):
            raise FlowError(f"{here}: must be a table")
        days = w.get("weekdays", [])
        if not isinstance(days, list) or not set(days) <= set(WEEKDAY_NAMES):
            raise FlowError(f"{here}: 'weekdays' must be among {list(WEEKDAY_NAMES)}")
        dates = set()
        for d in w.get("dates", []):
            match = _DATE.fullmatch(str(d))
            if not match or not (1 <= int(match.group(1)) <= 12 and 1 <= int(match.group(2)) <= 31):
                raise FlowError(f"{here}: a date must look like 01-01 (month-day), not '{d}'")
            dates.add((int(match.group(1)), int(match.group(2))))
        nth = w.get("nth")
        if nth is not None and (isinstance(nth, bool) or not isinstance(nth, int) or not 1 <= nth <= 5 or not days):
            raise FlowError(f"{here}: 'nth' must be 1-5 and needs 'weekdays' (3 with [\"sun\"]: the third Sunday)")
        start = _clock(w.get("start", "0:00"), here)
        end = _clock(w["end"], here) if "end" in w else None
        if end is not None and end <= start:
            raise FlowError(f"{here}: 'end' must come after 'start'")
        windows.append(
            Window(
                label=_str(w, "label", here),
                weekdays=frozenset(WEEKDAY_NAMES.index(d) for d in days),
                dates=frozenset(dates),
                start=start,
                end=end,
                advice=_str(w, "advice", here, required=False),
                say=_str(w, "say", here, required=False),
                nth=nth,
            )
        )
    if not windows:
        raise FlowError(f"{where}: at least one window is needed")
    lead = _str(raw, "lead", where)
    if "{window}" not in lead:
        raise FlowError(f"{where}: 'lead' must name the window with {{window}}")
    return Maintenance(tz, tuple(windows), result, lead, _str(raw, "note", where))


def _known_contacts(
    raw: Any, key: str, contacts: dict[str, Contact], where: str
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """A table's list of contacts (ids and the hours each shows), every id one the flow defines."""
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: must be a table")
    ids, hours, _ = _contacts(raw.get(key, []), where)
    for cid in ids:
        if cid not in contacts:
            raise FlowError(f"{where}: unknown contact '{cid}'")
    return ids, hours


def _repay_urgent(raw: Any, contacts: dict[str, Contact]) -> dict[str, Any]:
    """``[repay_urgent]``: what to say when a repayment is late or due today, and whom to call."""
    if raw is None:
        return {}
    where = "[repay_urgent]"
    ids, hours = _known_contacts(raw, "contacts", contacts, where)
    return {
        "late": _str(raw, "late", where),
        "today": _str(raw, "today", where),
        "hard": _str(raw, "hard", where, required=False),
        "contacts": ids,
        "hours": hours,
    }


def _crisis(raw: Any, contacts: dict[str, Contact]) -> dict[str, Any]:
    """``[crisis]``: what to say, and whom to call, when a message speaks of not wanting to live."""
    if raw is None:
        return {}
    where = "[crisis]"
    ids, hours = _known_contacts(raw, "contacts", contacts, where)
    money, _ = _known_contacts(raw, "money", contacts, where)
    return {
        "say": _str(raw, "say", where),
        "after": _str(raw, "after", where, required=False),
        "urgent": _str(raw, "urgent", where, required=False),
        "contacts": ids,
        "money": money,
        "hours": hours,
    }


def _contact(cid: str, raw: Any) -> Contact:
    where = f"contact '{cid}'"
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: must be a table")
    hours_raw = raw.get("hours")
    if isinstance(hours_raw, dict):
        if not hours_raw or not all(isinstance(v, str) and v for v in hours_raw.values()):
            raise FlowError(f"{where}: each named 'hours' must be a text")
        parts = dict(hours_raw)
        hours = "／".join(parts.values())
    else:
        hours, parts = _str(raw, "hours", where), {}
    phone_known = raw.get("phone_known", True)
    if not isinstance(phone_known, bool):
        raise FlowError(f"{where}: 'phone_known' must be true or false")
    phone = _str(raw, "phone", where)
    if not phone_known and _DIALABLE.search(phone):
        raise FlowError(f"{where}: with 'phone_known = false' the 'phone' says where to find the number; it holds none")
    return Contact(
        _str(raw, "name", where),
        phone,
        hours,
        intro=_str(raw, "intro", where, required=False),
        once=bool(raw.get("once", False)),
        operator_hours=_hours(raw.get("operator_hours"), where),
        operator_weekdays_only=bool(raw.get("operator_weekdays_only", False)),
        call_words=tuple(str(w) for w in raw.get("call_words", [])),
        hour_parts=parts,
        phone_known=phone_known,
    )


def _resolve(table: dict[str, Any], path: str) -> bool:
    """True when a dotted path (``hours.loss``, ``steps.2``: lists counted from 1) names something in ``table``."""
    here: Any = table
    for part in path.split("."):
        if isinstance(here, dict) and part in here and part != SOURCES:
            here = here[part]
        elif isinstance(here, list) and part.isdigit() and 1 <= int(part) <= len(here):
            here = here[int(part) - 1]
        else:
            return False
    return True


def _table_sources(table: dict[str, Any], where: str) -> list[tuple[str, Source]]:
    """One table's ``sources``: (what each backs, relative to the table ("" for all of it), the source)."""
    raw = table[SOURCES]
    if not isinstance(raw, list) or not raw:
        raise FlowError(f"[{where}]: 'sources' must be a list of tables {{ url, read, about }}")
    out: list[tuple[str, Source]] = []
    for i, entry in enumerate(raw, 1):
        here = f"[{where}] source {i}"
        if not isinstance(entry, dict):
            raise FlowError(f"{here}: must be a table {{ url, read, about }}")
        unknown = set(entry) - {"url", "read", "about", "note"}
        if unknown:
            raise FlowError(f"{here}: unknown key '{sorted(unknown)[0]}' (url, read, about, note)")
        url = entry.get("url")
        if not isinstance(url, str) or not _URL.fullmatch(url):
            raise FlowError(f"{here}: 'url' must be the page's address (http:// or https://)")
        read = entry.get("read")
        # A TOML date (2026-12-04), not a text and not a moment: the day the page was read.
        if not isinstance(read, date) or isinstance(read, datetime):
            raise FlowError(f"{here}: 'read' must be the date the page was read, as a TOML date (2026-12-04)")
        about = entry.get("about", [""])
        if not isinstance(about, list) or not about or not all(isinstance(a, str) for a in about):
            raise FlowError(f"{here}: 'about' must be a list of the keys it backs")
        for key in about:
            if key and not _resolve(table, key):
                raise FlowError(f"{here}: 'about' names '{key}', which is not in this table")
        note = entry.get("note", "")
        if not isinstance(note, str):
            raise FlowError(f"{here}: 'note' must be a text")
        out.extend((key, Source(url, read, note)) for key in about)
    return out


def collect_sources(data: dict[str, Any]) -> dict[str, tuple[Source, ...]]:
    """Every ``sources`` list in the flow data, checked, keyed by the dotted path of what it backs.

    Raises :class:`FlowError` naming the table when a source has no address, no date read, or backs
    a key its table does not have.
    """
    if SOURCES in data:
        raise FlowError("flow: 'sources' belong beside the facts, in the table that holds them")
    found: dict[str, list[Source]] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            if path and SOURCES in value:
                for key, source in _table_sources(value, path):
                    found.setdefault(f"{path}.{key}" if key else path, []).append(source)
            for key, inner in value.items():
                if key != SOURCES:
                    walk(inner, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for i, inner in enumerate(value, 1):
                walk(inner, f"{path}.{i}")

    walk(data, "")
    return {path: tuple(sources) for path, sources in found.items()}


def _repayment(raw: Any) -> dict[str, Any]:
    """``[repayment]``: the day automatic debit from other banks is fixed on, the banks that are not
    bound to it (and the words people use for them), and whether the lender's own reminder e-mail
    must be switched on in the member service."""
    if raw is None:
        return {}
    where = "[repayment]"
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: must be a table")
    day = raw.get("debit_day")
    if day is not None and (isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31):
        raise FlowError(f"{where}: 'debit_day' must be a day of the month (1-31)")
    lists = {}
    for key in ("own_banks", "own_bank_words"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise FlowError(f"{where}: '{key}' must be a list of texts")
        lists[key] = tuple(value)
    if day is not None and not lists["own_banks"]:
        raise FlowError(f"{where}: 'debit_day' needs 'own_banks' (the banks whose debit day is chosen freely)")
    schedules = raw.get("schedules", ["monthly"])
    if not isinstance(schedules, list) or not schedules or not set(schedules) <= set(SCHEDULES):
        raise FlowError(f"{where}: 'schedules' must be a list among {list(SCHEDULES)}")
    cycle = raw.get("cycle_days")
    if cycle is not None and (isinstance(cycle, bool) or not isinstance(cycle, int) or not 1 <= cycle <= 62):
        raise FlowError(f"{where}: 'cycle_days' must be a number of days (1-62)")
    if "every_35_days" in schedules and cycle is None:
        raise FlowError(f"{where}: the schedule 'every_35_days' needs 'cycle_days'")
    days = {}
    for key in ("monthly_days", "debit_days"):
        value = raw.get(key)
        if value is not None and (
            not isinstance(value, list)
            or not value
            or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= MONTH_END for d in value)
        ):
            raise FlowError(f"{where}: '{key}' must be a list of days of the month (1-31; 31 is the month's end)")
        days[key] = tuple(sorted(set(value))) if value else ()
    shift = raw.get("holiday_shift")
    if shift is not None and shift not in HOLIDAY_SHIFTS:
        raise FlowError(f"{where}: 'holiday_shift' must be one of {list(HOLIDAY_SHIFTS)} (or left out when unknown)")
    return {
        "debit_day": day,
        **lists,
        "mail_opt_in": bool(raw.get("mail_opt_in", False)),
        "schedules": tuple(schedules),
        "cycle_days": cycle,
        **days,
        "holiday_shift": shift,
    }


def _lender(raw: Any) -> tuple[dict[str, str], str, tuple[str, ...], bool]:
    """``[lender]``: its texts, its key, the ways its name is written and whether it is the generic flow."""
    where = "[lender]"
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: must be a table")
    unknown = set(raw) - LENDER_TABLE
    if unknown:
        raise FlowError(f"{where}: unknown key '{sorted(unknown)[0]}' (one of {sorted(LENDER_TABLE)})")
    lender = {key: _str(raw, key, where) for key in LENDER_KEYS}
    lender_id = raw.get("id", "")
    if lender_id and (not isinstance(lender_id, str) or not _LENDER_ID.fullmatch(lender_id)):
        raise FlowError(f"{where}: 'id' must be lower-case letters only (the flow file's name)")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise FlowError(f"{where}: 'aliases' must be a list of texts")
    generic = raw.get("generic", False)
    if not isinstance(generic, bool):
        raise FlowError(f"{where}: 'generic' must be true or false")
    order = raw.get("order", 1)
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order < LAST:
        raise FlowError(f"{where}: 'order' must be a whole number from 1 (where the lender comes in lists)")
    return lender, lender_id, tuple(aliases), generic


def _check_node(node: Node, nodes: dict[str, Node], contacts: dict[str, Contact], has_windows: bool) -> None:
    """The references of one node: next nodes, contacts and their hours, step-up targets, placeholders."""
    where = f"node '{node.id}'"
    for choice in node.choices:
        if choice.next is not None and choice.next not in nodes:
            raise FlowError(f"{where}: choice '{choice.label}' goes to unknown node '{choice.next}'")
    if node.clock is not None:
        for target in node.clock:
            if target not in nodes:
                raise FlowError(f"{where}: the clock goes to unknown node '{target}'")
        if not has_windows:
            raise FlowError(f"{where}: a clock node needs a [maintenance] table with windows")
    for cid in (*node.contacts, *(c for c in node.step_calls if c)):
        if cid not in contacts:
            raise FlowError(f"{where}: unknown contact '{cid}'")
    for cid, names in node.contact_hours.items():
        unknown = [n for n in names if n not in contacts[cid].hour_parts]
        if unknown:
            raise FlowError(f"{where}: contact '{cid}' has no hours named '{unknown[0]}'")
    for target in node.then:
        if target not in nodes or target == node.id or nodes[target].end or nodes[target].clock:
            raise FlowError(f"{where}: 'then' names '{target}', which is not another result or question")
    for text in (node.summary, node.headline, *node.steps, node.note):
        if "{" in text.replace(WINDOWS, "") or (WINDOWS in text and not has_windows):
            raise FlowError(f"{where}: the only placeholder a text may hold is {WINDOWS} (with [maintenance])")


def parse_flow(data: dict[str, Any]) -> Flow:
    """Build and validate a :class:`Flow` from parsed TOML; raise :class:`FlowError` if it is wrong."""
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, dict) or not raw_nodes:
        raise FlowError("flow: no [nodes] table")
    nodes = {node_id: _node(node_id, raw) for node_id, raw in raw_nodes.items()}
    start = data.get("start")
    if not isinstance(start, str) or start not in nodes:
        raise FlowError(f"flow: start node '{start}' does not exist")
    contacts = {cid: _contact(cid, raw) for cid, raw in (data.get("contacts") or {}).items()}
    maintenance = _maintenance(data.get("maintenance"), nodes)
    for node in nodes.values():
        _check_node(node, nodes, contacts, maintenance is not None)
    step_raw = data.get("step_up") or {}
    last_step = step_raw.get("last") if isinstance(step_raw, dict) else None
    if last_step is not None and (last_step not in nodes or not nodes[last_step].end):
        raise FlowError(f"[step_up]: 'last' must name an end node (not '{last_step}')")
    if any(n.end for n in nodes.values()) and last_step is None:
        raise FlowError("[step_up]: an end node needs 'last' (where 「まだ解決しない」 leads at the end)")
    # Reached: by answers and the clock from the start, by 「まだ解決しない」 from any final node.
    reached = {start}
    todo = [start]
    while todo:
        node = nodes[todo.pop()]
        targets = list(node.exits)
        if node.is_final:
            targets += [*node.then, *([last_step] if last_step else [])]
        for target in targets:
            if target not in reached:
                reached.add(target)
                todo.append(target)
    orphans = [n for n in nodes if n not in reached]
    if orphans:
        raise FlowError(f"node '{orphans[0]}': orphan (no choice leads to it from '{start}')")
    causes = [n.result for n in nodes.values() if n.is_result]
    if len(set(causes)) != len(causes):
        raise FlowError("flow: two results share one cause id")
    ids = data.get("ids") or {}
    machines = data.get("machines") or {}
    lender, lender_id, aliases, generic = _lender(data.get("lender") or {})
    answers_raw = data.get("answers") or {}
    if isinstance(answers_raw, dict):
        answers_raw = {k: v for k, v in answers_raw.items() if k != SOURCES}  # its sources are no answer
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
        id_short=_str(ids, "short", "[ids]", required=False),
        maintenance=maintenance,
        last_step=last_step,
        repay_urgent=_repay_urgent(data.get("repay_urgent"), contacts),
        crisis=_crisis(data.get("crisis"), contacts),
        sources=collect_sources(data),
        repayment=_repayment(data.get("repayment")),
        lender_id=lender_id,
        aliases=aliases,
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


def mermaid(flow: Flow) -> str:
    """The flow as a Mermaid flowchart (regenerated by ``python -m bot flow-diagram``)."""
    lines = ["flowchart TD"]
    for node in flow.nodes.values():
        if node.is_final:
            lines.append(f'    {node.id}[["{node.title}"]]')
        elif node.clock is not None:
            lines.append(f'    {node.id}(("時計"))')
        else:
            lines.append(f'    {node.id}{{"{node.text}"}}')
    for node in flow.nodes.values():
        for choice in node.choices:
            if choice.next:
                lines.append(f'    {node.id} -->|"{choice.label}"| {choice.next}')
        if node.clock is not None:
            lines.append(f'    {node.id} -->|"メンテナンスの時間帯"| {node.clock[0]}')
            lines.append(f'    {node.id} -->|"それ以外"| {node.clock[1]}')
        for target in node.then:
            lines.append(f'    {node.id} -.->|"まだ解決しない"| {target}')
        if node.is_final and flow.last_step and node.id != flow.last_step:
            lines.append(f'    {node.id} -.->|"まだ解決しない"| {flow.last_step}')
    return "\n".join(lines) + "\n"
