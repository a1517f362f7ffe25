"""The user's self-reported situation: typed fields, how to validate them and how to show them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(slots=True)
class Situation:
    """What the user told the bot about themselves. ``None`` means "not told"."""

    cause: str | None = None
    wrong_attempts: int | None = None
    card_lost: bool | None = None
    card_lost_at: str | None = None  # ISO 8601, UTC
    overdue: bool | None = None
    suspended: bool | None = None
    due_day: int | None = None  # 1-31; 31 means the month's last day (末日)
    reminder_time: str | None = None  # "HH:MM" in the user's timezone
    visit_done_at: str | None = None  # ISO 8601, UTC: last "visited the machine" the user reported
    # Notifications show the reminder's title and first line (opted in); else only 「お知らせが1件あります」.
    detailed_previews: bool | None = None
    language: str = "ja"


FIELD_TYPES: dict[str, type] = {
    "cause": str,
    "wrong_attempts": int,
    "card_lost": bool,
    "card_lost_at": str,
    "overdue": bool,
    "suspended": bool,
    "due_day": int,
    "reminder_time": str,
    "visit_done_at": str,
    "detailed_previews": bool,
    "language": str,
}
assert set(FIELD_TYPES) == {f.name for f in fields(Situation)}

FIELD_LABELS: dict[str, str] = {
    "cause": "考えられる原因",
    "wrong_attempts": "ログインが続けてエラーになった回数",
    "card_lost": "カードの紛失・盗難",
    "card_lost_at": "紛失・盗難の記録日時",
    "overdue": "最近の返済の遅れ",
    "suspended": "利用停止の可能性",
    "due_day": "返済日",
    "reminder_time": "お知らせの時刻",
    "visit_done_at": "自動契約機に行った日時",
    "detailed_previews": "通知に表示する内容",
    "language": "言語",
}


class FactError(ValueError):
    """A fact with an unknown name or a value of the wrong type."""


def check_fact(name: str, value: Any) -> None:
    """Raise :class:`FactError` unless ``name`` is a situation field and ``value`` fits its type."""
    if name not in FIELD_TYPES:
        raise FactError(f"unknown situation field {name!r}")
    if value is None:
        return
    expected = FIELD_TYPES[name]
    # bool is a subclass of int: do not let True pass as a number of attempts.
    if expected is int and isinstance(value, bool):
        raise FactError(f"{name} must be a whole number")
    if not isinstance(value, expected):
        raise FactError(f"{name} must be {expected.__name__}")
    if name == "due_day" and isinstance(value, int) and not 1 <= value <= 31:
        raise FactError("due_day must be 1 to 31")
    if name == "wrong_attempts" and isinstance(value, int) and not 0 <= value <= 99:
        raise FactError("wrong_attempts must be 0 to 99")


def _format_when(iso: str, tz: ZoneInfo) -> str:
    from bot.core.dates.jptime import format_datetime

    try:
        return format_datetime(datetime.fromisoformat(iso).astimezone(tz))
    except ValueError:
        return iso


def _attempts(value: Any) -> str | None:
    return f"{value}回" + ("以上" if value >= 3 else "") if isinstance(value, int) else None


def _due_day(value: Any) -> str | None:
    if not isinstance(value, int):
        return None
    return "毎月末日" if value == 31 else f"毎月{value}日"


def _clock(value: Any) -> str | None:
    if isinstance(value, str) and value[:1] == "0" and value[1:2].isdigit():
        return value[1:]  # stored as 09:00, shown as 9:00 like every other time
    return None


# Fields with a way of their own to be said (the others: as they are, times in the user's zone).
_SAID_AS: dict[str, Callable[[Any], str | None]] = {
    "wrong_attempts": _attempts,
    "due_day": _due_day,
    "reminder_time": _clock,
}


def format_value(name: str, value: Any, cause_titles: dict[str, str], tz: ZoneInfo) -> str:
    """One field's value in Japanese (「あり」「毎月25日」「12月7日(月) 9:00」...)."""
    if name == "cause":
        return cause_titles.get(value, str(value))
    if name == "detailed_previews" and isinstance(value, bool):
        return "お知らせの件名と1行目" if value else "「お知らせが1件あります」だけ"
    if isinstance(value, bool):
        return "あり" if value else "なし"
    said = _SAID_AS[name](value) if name in _SAID_AS else None
    if said is not None:
        return said
    if name.endswith("_at") and isinstance(value, str):
        return _format_when(value, tz)
    return str(value)


def describe(situation: Situation, cause_titles: dict[str, str], tz: ZoneInfo) -> list[str]:
    """Human-readable lines, one per field the user has told us, in Japanese."""
    lines: list[str] = []
    for name in FIELD_TYPES:
        value = getattr(situation, name)
        if value is None or name == "language":
            continue
        lines.append(f"・{FIELD_LABELS[name]}：{format_value(name, value, cause_titles, tz)}")
    return lines
