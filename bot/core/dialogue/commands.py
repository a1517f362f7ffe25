"""Commands declared once, where they are handled.

A command is a method of a skill marked with :func:`command`: its name (what a button carries),
the words of its button, other exact words that run it, and whether a flow file's result may offer
it. The conversation collects the marked methods of its skills into one table; the button labels,
the exact words, the もしかして labels and the flow's follow-ups are all read from it, so adding a
command is one declaration (plus corpus lines when people should be able to say it in their words).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

# A command handler: (outcome, situation, now) on the skill that declares it.
Handler = Callable[[Any, Any, datetime], None]
F = TypeVar("F", bound=Callable[..., None])

_MARK = "__command_spec__"


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """What the conversation knows of one command besides its handler."""

    name: str
    # The words of its button when the bot offers it (もしかして, a menu), and typed back exactly.
    label: str = ""
    # Other exact words that run it without any guess (「一覧」 for the reminder list).
    words: tuple[str, ...] = ()
    # A result in a flow file may offer it as a follow-up.
    followup: bool = False
    # Other intents of the understanding that mean this command (cant_login: diagnose).
    intents: tuple[str, ...] = ()


def command(
    name: str, label: str = "", words: Iterable[str] = (), followup: bool = False, intents: Iterable[str] = ()
) -> Callable[[F], F]:
    """Mark a skill's method ``(self, out, situation, now)`` as the handler of command ``name``."""

    def mark(handler: F) -> F:
        setattr(handler, _MARK, CommandSpec(name, label, tuple(words), followup, tuple(intents)))
        return handler

    return mark


@dataclass(frozen=True, slots=True)
class Registered:
    """A declared command and its bound handler."""

    spec: CommandSpec
    run: Handler


def collect(*skills: object) -> dict[str, Registered]:
    """Every command declared on the given skill objects (a name declared twice is an error)."""
    table: dict[str, Registered] = {}
    for skill in skills:
        for attr in dir(type(skill)):
            spec = getattr(getattr(type(skill), attr, None), _MARK, None)
            if not isinstance(spec, CommandSpec):
                continue
            if spec.name in table:
                raise ValueError(f"command {spec.name!r} is declared twice")
            table[spec.name] = Registered(spec, getattr(skill, attr))
    return table
