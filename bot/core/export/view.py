"""The 「データ確認」 answer: every stored row about the user, in readable Japanese.

The service hands over the rows table by table as plain dicts (what storage found by reading the
schema); nothing here knows the database. Known tables and columns get Japanese labels and natural
values (「2026年12月1日 9:00」, 「取り消し済み」); a table or column added later and not described
here is still shown, under its own name, rather than left out.

This module holds the short summary shown first and the answer itself; the words for stored values
live in :mod:`bot.core.export.values`, the full listing in :mod:`bot.core.export.listing` (their
names stay importable from here).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Choice, Reply
from bot.core.export.listing import BUBBLE_LIMIT, PENDING_LABELS, export_bubbles, export_sections
from bot.core.export.values import (
    COLUMN_LABELS,
    HELD_NOTE_LABEL,
    HELD_NOTE_PREFIX,
    LINK_COLUMNS,
    NOTE_LABELS,
    PERSON_ROW_LABEL,
    PLATFORM_LABELS,
    REMINDER_STATUS_LABELS,
    SEND_STATUS_LABELS,
    TABLE_ORDER,
    TABLE_TITLES,
    ExportContext,
    StoredRows,
    format_day,
    format_moment,
    kind_labels,
    note_label,
    slot_labels,
)
from bot.core.situation.facts import FIELD_LABELS, FIELD_TYPES, format_value

__all__ = [
    "BUBBLE_LIMIT",
    "COLUMN_LABELS",
    "HELD_NOTE_LABEL",
    "HELD_NOTE_PREFIX",
    "LINK_COLUMNS",
    "NOTE_LABELS",
    "PENDING_LABELS",
    "PLATFORM_LABELS",
    "REMINDER_STATUS_LABELS",
    "SEND_STATUS_LABELS",
    "SUMMARY_LINES",
    "TABLE_ORDER",
    "TABLE_TITLES",
    "ExportContext",
    "StoredRows",
    "export_bubbles",
    "export_replies",
    "export_sections",
    "export_summary",
    "format_day",
    "format_moment",
    "kind_labels",
    "note_label",
    "slot_labels",
]

# ---------------------------------------------------------------------- the summary shown first

SUMMARY_LINES = 10

# The tables the summary counts in lines of their own; any other is named under 「そのほか」.
_SUMMED_TABLES = {"users", "situations", "situation_history", "reminders", "outbox", "delivery_notes", "conversations"}


def _count(rows: StoredRows, table: str) -> int:
    return len(rows.get(table) or [])


def _user_lines(rows: StoredRows, ctx: ExportContext) -> list[str]:
    lines = []
    for user in (rows.get("users") or [])[:1]:
        platform = PLATFORM_LABELS.get(str(user.get("platform")), str(user.get("platform") or ""))
        since = user.get("created_at")
        first = f"（はじめてのご利用：{format_moment(str(since), ctx.tz)}）" if since else ""
        lines.append(f"・ご利用の記録：{platform}{first}")
    return lines


def _situation_lines(rows: StoredRows, ctx: ExportContext) -> list[str]:
    """What the person told, with its values (what they asked to see): one line each; told about
    several lenders, one line per lender (the summary stays short)."""
    told = [(row, _told(row)) for row in rows.get("situations") or []]
    told = [(row, names) for row, names in told if names]
    if len(told) == 1 and not told[0][0].get("lender"):
        facts, names = told[0]
        values = [f"　{FIELD_LABELS[n]}：{_fact(n, facts, ctx)}" for n in names]
        return [f"・状況：{len(names)}件", *values]
    lines = []
    for facts, names in told:
        owner = ctx.lender(facts["lender"]) if facts.get("lender") else PERSON_ROW_LABEL
        said = "／".join(f"{FIELD_LABELS[n]} {_fact(n, facts, ctx)}" for n in names)
        lines.append(f"・状況（{owner}）：{said}")
    return lines


def _told(facts: Mapping[str, Any]) -> list[str]:
    return [name for name in FIELD_LABELS if name != "language" and facts.get(name) is not None]


def _fact(name: str, facts: Mapping[str, Any], ctx: ExportContext) -> str:
    # Stored rows hold a yes/no as 0/1: said as the fact's own words.
    value = bool(facts[name]) if FIELD_TYPES[name] is bool else facts[name]
    return format_value(name, value, ctx.cause_titles, ctx.tz)


def _history_count_lines(rows: StoredRows, ctx: ExportContext) -> list[str]:
    count = _count(rows, "situation_history")
    return [f"・状況の変更の記録：{count}件"] if count else []


def _reminder_count_lines(rows: StoredRows, ctx: ExportContext) -> list[str]:
    reminders = rows.get("reminders") or []
    if not reminders:
        return []
    active = sum(1 for r in reminders if r.get("status") == "active")
    return [f"・リマインダー：{len(reminders)}件（うち設定中{active}件）"]


def _send_count_lines(rows: StoredRows, ctx: ExportContext) -> list[str]:
    sends = [r for r in rows.get("outbox") or [] if r.get("status") in ("pending", "sending", "held")]
    return [f"・これから送るお知らせ：{len(sends)}件"] if sends else []


def _note_count_lines(rows: StoredRows, ctx: ExportContext) -> list[str]:
    count = _count(rows, "delivery_notes")
    return [f"・次にお伝えするお知らせ：{count}件"] if count else []


def _conversation_count_lines(rows: StoredRows, ctx: ExportContext) -> list[str]:
    return ["・会話の途中経過：あり"] if _count(rows, "conversations") else []


def _other_lines(rows: StoredRows, ctx: ExportContext) -> list[str]:
    others = [TABLE_TITLES.get(t, t) for t in rows if t not in _SUMMED_TABLES and rows[t]]
    return ["・そのほか：" + "、".join(others)] if others else []


# The summary's lines, in the order shown: each gives one line, or none when nothing of its kind is stored.
_SUMMARY_PARTS: tuple[Callable[[StoredRows, ExportContext], list[str]], ...] = (
    _user_lines,
    _situation_lines,
    _history_count_lines,
    _reminder_count_lines,
    _send_count_lines,
    _note_count_lines,
    _conversation_count_lines,
    _other_lines,
)


def export_summary(rows: StoredRows, ctx: ExportContext) -> str:
    """What is stored, in at most :data:`SUMMARY_LINES` lines: one line per kind of record, with how
    many there are; the full list is one choice away (「すべて見る」)."""
    lines = [texts.EXPORT_SUMMARY_HEAD]
    for part in _SUMMARY_PARTS:
        lines += part(rows, ctx)
    if len(lines) == 1:
        return texts.EXPORT_NOTHING
    lines = lines[: SUMMARY_LINES - 1]
    lines.append(texts.EXPORT_SUMMARY_FOOT)
    return "\n".join(lines)


def export_replies(rows: StoredRows, ctx: ExportContext, full: bool, menu: Sequence[Choice]) -> list[Reply]:
    """The 「記録を見る」 answer: the summary with 「すべて見る」 first; ``full``: every row, in bubbles."""
    if not full:
        summary = export_summary(rows, ctx)
        offers = [Choice(texts.LABEL_EXPORT_ALL, Command("export_all")), Choice(texts.LABEL_FORGET, Command("forget"))]
        if summary == texts.EXPORT_NOTHING:
            offers = []
        return [Reply(summary, (*offers, Choice(texts.LABEL_MENU, Command("menu"))))]
    bubbles = export_bubbles(rows, ctx)
    return [*(Reply(text) for text in bubbles[:-1]), Reply(bubbles[-1], tuple(menu))]
