"""The sources beside a flow's facts: checked, and kept by the dotted path of what they back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.core.diagnosis.flow_model import _URL, SOURCES, FlowError, Source


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
        source, about = _source(entry, table, f"[{where}] source {i}")
        out.extend((key, source) for key in about)
    return out


def _source(entry: Any, table: dict[str, Any], here: str) -> tuple[Source, list[str]]:
    """One source entry, checked: the page, the day it was read, its note, and the keys it backs."""
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
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise FlowError(f"{here}: 'note' must be a text")
    return Source(url, read, note), _about(entry, table, here)


def _about(entry: dict[str, Any], table: dict[str, Any], here: str) -> list[str]:
    about = entry.get("about", [""])
    if not isinstance(about, list) or not about or not all(isinstance(a, str) for a in about):
        raise FlowError(f"{here}: 'about' must be a list of the keys it backs")
    for key in about:
        if key and not _resolve(table, key):
            raise FlowError(f"{here}: 'about' names '{key}', which is not in this table")
    return about


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
