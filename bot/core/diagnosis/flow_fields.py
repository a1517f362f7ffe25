"""Reading single fields of a flow file (a text, facts, hours, a label, a time), each naming where it is wrong."""

from __future__ import annotations

from datetime import time
from typing import Any

from bot.core.diagnosis.flow_model import MAX_LABEL, NOW, FlowError
from bot.core.situation.facts import FactError, check_fact


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


def _clock(value: Any, where: str) -> time:
    try:
        return time.fromisoformat(str(value).strip().zfill(5))
    except ValueError:
        raise FlowError(f"{where}: a time must look like 7:00") from None


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
