"""What a diagnosis flow is made of: its nodes, choices, contacts, maintenance windows and sources, and the names a flow file may use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

MAX_LABEL = 20
LAST = 1_000  # the place of a lender without ``[lender] order`` (after those with one, by id)
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
LENDER_TABLE = frozenset({*LENDER_KEYS, "id", "aliases", "short_aliases", "generic", "order", "sources"})
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
    short_aliases: tuple[str, ...] = ()  # katakana, found only as a word of its own (「モビの」)
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
