"""Reading a flow file's tables besides its nodes: contacts, maintenance windows, urgent repayment, crisis, repayment rules and the lender."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.diagnosis.flow_fields import _clock, _contacts, _hours, _str
from bot.core.diagnosis.flow_model import (
    _DATE,
    _DIALABLE,
    _LENDER_ID,
    HOLIDAY_SHIFTS,
    LAST,
    LENDER_KEYS,
    LENDER_TABLE,
    MONTH_END,
    SCHEDULES,
    WEEKDAY_NAMES,
    Contact,
    FlowError,
    Maintenance,
    Node,
    Window,
)


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
    windows = [_window(w, f"{where} window {i}") for i, w in enumerate(raw.get("windows") or [], 1)]
    if not windows:
        raise FlowError(f"{where}: at least one window is needed")
    lead = _str(raw, "lead", where)
    if "{window}" not in lead:
        raise FlowError(f"{where}: 'lead' must name the window with {{window}}")
    return Maintenance(tz, tuple(windows), result, lead, _str(raw, "note", where))


def _window(w: Any, here: str) -> Window:
    """One maintenance window: weekdays (the nth of the month), dates, and the hours it covers."""
    if not isinstance(w, dict):
        raise FlowError(f"{here}: must be a table")
    days = w.get("weekdays", [])
    if not isinstance(days, list) or not set(days) <= set(WEEKDAY_NAMES):
        raise FlowError(f"{here}: 'weekdays' must be among {list(WEEKDAY_NAMES)}")
    nth = w.get("nth")
    if nth is not None and (isinstance(nth, bool) or not isinstance(nth, int) or not 1 <= nth <= 5 or not days):
        raise FlowError(f"{here}: 'nth' must be 1-5 and needs 'weekdays' (3 with [\"sun\"]: the third Sunday)")
    start = _clock(w.get("start", "0:00"), here)
    end = _clock(w["end"], here) if "end" in w else None
    if end is not None and end <= start:
        raise FlowError(f"{here}: 'end' must come after 'start'")
    return Window(
        label=_str(w, "label", here),
        weekdays=frozenset(WEEKDAY_NAMES.index(d) for d in days),
        dates=_window_dates(w.get("dates", []), here),
        start=start,
        end=end,
        advice=_str(w, "advice", here, required=False),
        say=_str(w, "say", here, required=False),
        nth=nth,
    )


def _window_dates(raw: Any, here: str) -> frozenset[tuple[int, int]]:
    dates = set()
    for d in raw:
        match = _DATE.fullmatch(str(d))
        if not match or not (1 <= int(match.group(1)) <= 12 and 1 <= int(match.group(2)) <= 31):
            raise FlowError(f"{here}: a date must look like 01-01 (month-day), not '{d}'")
        dates.add((int(match.group(1)), int(match.group(2))))
    return frozenset(dates)


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
        # 「延滞かも」 「来月遅れそう」: a lateness feared or to come (the call before the due day)
        "maybe": _str(raw, "maybe", where, required=False),
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
        "closing": _str(raw, "closing", where, required=False),
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


def _repayment(raw: Any) -> dict[str, Any]:
    """``[repayment]``: the day automatic debit from other banks is fixed on, the banks that are not
    bound to it (and the words people use for them), whether the lender's own reminder e-mail must be
    switched on in the member service, its schedules, days and how a due day on a holiday moves."""
    if raw is None:
        return {}
    where = "[repayment]"
    if not isinstance(raw, dict):
        raise FlowError(f"{where}: must be a table")
    day = raw.get("debit_day")
    if day is not None and not _whole(day, 1, 31):
        raise FlowError(f"{where}: 'debit_day' must be a day of the month (1-31)")
    lists = {key: _texts(raw.get(key, []), where, key) for key in ("own_banks", "own_bank_words")}
    if day is not None and not lists["own_banks"]:
        raise FlowError(f"{where}: 'debit_day' needs 'own_banks' (the banks whose debit day is chosen freely)")
    schedules, cycle = _schedules(raw, where)
    days = {key: _month_days(raw.get(key), where, key) for key in ("monthly_days", "debit_days")}
    shift = raw.get("holiday_shift")
    if shift is not None and shift not in HOLIDAY_SHIFTS:
        raise FlowError(f"{where}: 'holiday_shift' must be one of {list(HOLIDAY_SHIFTS)} (or left out when unknown)")
    return {
        "debit_day": day,
        **lists,
        "mail_opt_in": bool(raw.get("mail_opt_in", False)),
        "schedules": schedules,
        "cycle_days": cycle,
        **days,
        "holiday_shift": shift,
    }


def _whole(value: Any, low: int, high: int) -> bool:
    """A whole number from ``low`` to ``high`` (a TOML true is not 1)."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _texts(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise FlowError(f"{where}: '{key}' must be a list of texts")
    return tuple(value)


def _schedules(raw: dict[str, Any], where: str) -> tuple[tuple[str, ...], int | None]:
    schedules = raw.get("schedules", ["monthly"])
    if not isinstance(schedules, list) or not schedules or not set(schedules) <= set(SCHEDULES):
        raise FlowError(f"{where}: 'schedules' must be a list among {list(SCHEDULES)}")
    cycle = raw.get("cycle_days")
    if cycle is not None and not _whole(cycle, 1, 62):
        raise FlowError(f"{where}: 'cycle_days' must be a number of days (1-62)")
    if "every_35_days" in schedules and cycle is None:
        raise FlowError(f"{where}: the schedule 'every_35_days' needs 'cycle_days'")
    return tuple(schedules), cycle


def _month_days(value: Any, where: str, key: str) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not value or not all(_whole(d, 1, MONTH_END) for d in value):
        raise FlowError(f"{where}: '{key}' must be a list of days of the month (1-31; 31 is the month's end)")
    return tuple(sorted(set(value)))


_KATAKANA = re.compile(r"[ァ-ヺー]{2,}")


def _names(raw: dict[str, Any], where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ways the lender's name is written, and its short katakana names."""
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise FlowError(f"{where}: 'aliases' must be a list of texts")
    short = raw.get("short_aliases", [])
    if not isinstance(short, list) or not all(isinstance(a, str) and _KATAKANA.fullmatch(a) for a in short):
        raise FlowError(f"{where}: 'short_aliases' must be a list of katakana words")
    return tuple(aliases), tuple(short)


def _lender(raw: Any) -> tuple[dict[str, str], str, tuple[str, ...], tuple[str, ...], bool]:
    """``[lender]``: its texts, its key, the ways its name is written (and its short katakana names,
    found only as words of their own) and whether it is the generic flow."""
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
    aliases, short = _names(raw, where)
    generic = raw.get("generic", False)
    if not isinstance(generic, bool):
        raise FlowError(f"{where}: 'generic' must be true or false")
    order = raw.get("order", 1)
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order < LAST:
        raise FlowError(f"{where}: 'order' must be a whole number from 1 (where the lender comes in lists)")
    return lender, lender_id, aliases, short, generic
