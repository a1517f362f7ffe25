"""Each kind of reminder as one strategy (one module of this folder each), found by name in the
registry; what the doors use of them, whatever the kind."""

from __future__ import annotations

from typing import Any

from bot.core.reminders.kinds.base import Kind, PlannedSend
from bot.core.reminders.kinds.messages import describe, fire_message, reminder_choices, short_label, stop_verb
from bot.core.reminders.kinds.registry import all_kinds, kind_of, register

__all__ = [
    "Kind",
    "PlannedSend",
    "all_kinds",
    "describe",
    "fire_message",
    "kind_of",
    "register",
    "reminder_choices",
    "short_label",
    "stop_verb",
]


def __getattr__(name: str) -> Any:
    if name == "KINDS":  # every kind by name (read when asked: the registry loads the kinds then)
        return {k.name: k for k in all_kinds()}
    raise AttributeError(name)
