"""The state a conversation keeps between turns, and what one turn produces."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.dialogue.messages import Effect, Reply
from bot.core.reminders.model import ReminderView
from bot.core.reminders.setup_state import Pending, dump, load

# How each field is read back from a stored dict: a value of the wrong type reads as the default.
_Reader = Callable[[dict[str, Any]], Any]


def _text(name: str) -> _Reader:
    return lambda data: data.get(name) if isinstance(data.get(name), str) else None


def _texts(name: str) -> _Reader:
    return lambda data: [x for x in data.get(name) or [] if isinstance(x, str)]


def _flag(name: str) -> _Reader:
    return lambda data: data.get(name) is True


def _offered(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(c[0]), str(c[1])) for c in data.get("offered") or [] if isinstance(c, list | tuple) and len(c) == 2]


_FIELD_READERS: dict[str, _Reader] = {
    "node": _text("node"),
    "back": _texts("back"),
    "offered": _offered,
    "welcomed": lambda data: bool(data.get("welcomed")),
    "pending": lambda data: load(data.get("pending")),
    "shown_once": _texts("shown_once"),
    "just_saved": _flag("just_saved"),
    "stuck_at": _text("stuck_at"),
    "secret_next": _flag("secret_next"),
    "cared": _flag("cared"),
    "warned": _flag("warned"),
    "money_warned": _flag("money_warned"),
    "endangered": _flag("endangered"),
    "hid": _flag("hid"),
    # States saved before the flag existed were welcomed, and the welcome says it.
    "disclaimed": lambda data: data.get("disclaimed", data.get("welcomed")) is True,
    "lender": _text("lender"),
    "asked": lambda data: data.get("asked") if isinstance(data.get("asked"), dict) else None,
    "lender_skipped": _flag("lender_skipped"),
    "lead_step": lambda data: data.get("lead_step") if type(data.get("lead_step")) is int else 0,
}


@dataclass(slots=True)
class ConversationState:
    """Where the user is: the current node, the way back, and the choices last shown."""

    node: str | None = None
    back: list[str] = field(default_factory=list)
    offered: list[tuple[str, str]] = field(default_factory=list)  # (label, value) last shown
    welcomed: bool = False
    pending: Pending | None = None  # a set-up in progress (typed; stored as its dump)
    # Contacts offered "once" (the counselling centre) that were already shown: never pressed again.
    shown_once: list[str] = field(default_factory=list)
    # The last turn saved a reminder: 「やっぱり11時で」 right after changes it, not something else.
    just_saved: bool = False
    # The question at which the user said "still stuck" last turn (asked again once, then the call).
    stuck_at: str | None = None
    # The last message ended with a credential word (「パスワードは」): the next may be its value.
    secret_next: bool = False
    # The last answer was words of care: what follows is met with care too.
    cared: bool = False
    # A fraud warning was the last answer: 「本物？」 「押しちゃった」 are read as about it.
    warned: bool = False
    # That warning was about money (a fee asked first, an illegal lender): 「怖い」 is not about a card.
    money_warned: bool = False
    # The police number was the last answer (violence, someone at the door): what follows is about it.
    endangered: bool = False
    # A secret was hidden in the last message: 「消しといて」 「大丈夫？」 are read as about it.
    hid: bool = False
    # The disclaimer was said (the welcome says it): results do not repeat it.
    disclaimed: bool = False
    # The lender the user is talking about (a flow's ``[lender] id``); None until known.
    lender: str | None = None
    # The message that waits for the answer to 「どちらの会社ですか？」 (replayed with that lender).
    asked: dict[str, Any] | None = None
    # The person went on without answering which company: not asked again until they name one
    # (asking on every turn would hold the task hostage; the general advice answers meanwhile).
    lender_skipped: bool = False
    # The step of the result shown first because the person named what it is about (「パスワード」).
    lead_step: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "node": self.node,
            "back": list(self.back),
            "offered": [list(c) for c in self.offered],
            "welcomed": self.welcomed,
            "pending": dump(self.pending),
            "shown_once": list(self.shown_once),
            "just_saved": self.just_saved,
            "stuck_at": self.stuck_at,
            "secret_next": self.secret_next,
            "cared": self.cared,
            "warned": self.warned,
            "money_warned": self.money_warned,
            "endangered": self.endangered,
            "hid": self.hid,
            "disclaimed": self.disclaimed,
            "lender": self.lender,
            "asked": self.asked,
            "lender_skipped": self.lender_skipped,
            "lead_step": self.lead_step,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ConversationState:
        """Rebuild from :meth:`to_dict`; tolerant of missing or malformed keys (older versions)."""
        if not isinstance(data, dict):
            return cls()
        return cls(**{name: read(data) for name, read in _FIELD_READERS.items()})


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
    # Reads the history when a turn needs it (the export), so other turns do not pay for it.
    load_history: Callable[[], Sequence[dict[str, Any]]] | None = None
    # Reads every stored row about the user, table by table (the export only).
    load_record: Callable[[], Mapping[str, Sequence[Mapping[str, Any]]]] | None = None
    # The turn before saved a reminder (the state's mark, read at the start of this turn).
    saved_last_turn: bool = False
    stuck_before: str | None = None  # the state's stuck_at, read at the start of this turn
    cared_before: bool = False  # the state's cared, read at the start of this turn
    warned_before: bool = False  # the state's warned, read at the start of this turn
    money_warned_before: bool = False  # the state's money_warned, read at the start of this turn
    endangered_before: bool = False  # the state's endangered, read at the start of this turn
    hid_before: bool = False  # the state's hid, read at the start of this turn
    said: str = ""  # the typed text's matching key (read only by fallbacks; never stored)

    def take_marks(self) -> None:
        """The last answer's marks (care, a fraud warning, danger) read for this turn, then cleared:
        this turn's answer sets them again when it is the same talk."""
        self.cared_before, self.state.cared = self.state.cared, False
        self.warned_before, self.state.warned = self.state.warned, False
        self.money_warned_before, self.state.money_warned = self.state.money_warned, False
        self.endangered_before, self.state.endangered = self.state.endangered, False
        self.hid_before, self.state.hid = self.state.hid, False

    def situation_history(self) -> tuple[dict[str, Any], ...]:
        """The history of the user's situation (given, or read now)."""
        if not self.history and self.load_history is not None:
            self.history = tuple(self.load_history())
        return self.history
