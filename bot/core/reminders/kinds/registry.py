"""The kinds of reminder by name: every module of this folder that defines ``KIND`` is one.

Adding a kind is adding a module here (plus the words people use for it in the corpus); nothing
else names it. :func:`register` adds one from elsewhere (a test's fixture kind). Modules are read
on first use, so importing the registry imports no kind (the kinds import the dialog's parts).
"""

from __future__ import annotations

import importlib
import pkgutil
import threading

from bot.core.reminders.kinds.base import Kind

_KINDS: dict[str, Kind] = {}
_LOADED = False
# Turns run on worker threads: the first uses of the registry must not see it half read.
_LOCK = threading.RLock()


def _load() -> dict[str, Kind]:
    global _LOADED
    if _LOADED:
        return _KINDS
    with _LOCK:
        if not _LOADED:
            package = importlib.import_module(__package__ or "bot.core.reminders.kinds")
            for info in pkgutil.iter_modules(package.__path__):
                module = importlib.import_module(f"{package.__name__}.{info.name}")
                kind = getattr(module, "KIND", None)
                if isinstance(kind, Kind):
                    _KINDS.setdefault(kind.name, kind)
            _LOADED = True
    return _KINDS


def register(kind: Kind) -> Kind:
    """Add a kind (or replace the one of that name); returns it."""
    _load()[kind.name] = kind
    return kind


def reset() -> None:
    """Forget the kinds read: the next use reads the folder again (a test that adds a folder)."""
    global _LOADED
    with _LOCK:
        _KINDS.clear()
        _LOADED = False


def all_kinds() -> list[Kind]:
    """Every kind, in their order."""
    return sorted(_load().values(), key=lambda k: (k.order, k.name))


def get(name: str) -> Kind | None:
    """The kind of that name, or None."""
    return _load().get(name)


def is_kind(name: object) -> bool:
    """True when ``name`` names a kind."""
    return isinstance(name, str) and name in _load()


def _one(flag: str) -> Kind:
    found = [k for k in all_kinds() if getattr(k, flag)]
    if not found:
        raise LookupError(f"no reminder kind has {flag}")
    return found[0]


def task_kind() -> Kind:
    """The kind of a task said with a time, unless another kind claims the task."""
    return _one("default_for_tasks")


def rule_kind() -> Kind:
    """The kind a repeat rule makes."""
    return _one("by_rule")


def due_day_kind() -> Kind:
    """The kind that holds the user's repayment day."""
    return _one("records_due_day")


def asked_for(said: str) -> Kind | None:
    """The kind a request in words asks for (「来店のお知らせ」), if one does."""
    return next((k for k in all_kinds() if said and k.asked_for(said)), None)


def kind_of(name: str) -> Kind:
    """The strategy of a kind (an unknown one behaves like a plain reminder)."""
    return get(name) or task_kind()


def for_task(what: str) -> Kind:
    """The kind a task said in words makes (「自動契約機に行く」: a visit)."""
    return next((k for k in all_kinds() if k.claims_task(what)), None) or task_kind()


def for_command(command: str) -> Kind | None:
    """The kind a menu command starts."""
    return next((k for k in all_kinds() if command in k.commands), None)
