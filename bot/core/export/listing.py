"""The full 「すべて見る」 listing: every stored row about the user, table by table, cut into chat bubbles.

Known tables get their own lines (a reminder as 「・No.3 返済日のお知らせ（設定中）」); a table added later and
not described here is still shown, row by row, under its own name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.core.dialogue import texts
from bot.core.export.values import (
    REMINDER_STATUS_LABELS,
    SEND_STATUS_LABELS,
    TABLE_ORDER,
    TABLE_TITLES,
    ExportContext,
    StoredRows,
    _fields,
    _kind_label,
    _situation_value,
    _slot_label,
    _value,
    format_moment,
    note_label,
)
from bot.core.reminders.kinds.registry import kind_of
from bot.core.situation.facts import FIELD_LABELS

# A bubble is kept well under LINE's 5,000 characters, so it reads as a chat message, not a page.
BUBBLE_LIMIT = 1200

PENDING_LABELS = {
    "AskRepayDay": "返済日のお知らせの設定（返済日の質問）",
    "AskDebit": "返済日のお知らせの設定（口座振替の質問）",
    "AskDaysBefore": "返済日のお知らせの設定（何日前かの質問）",
    "AskRepayTime": "返済日のお知らせの設定（時刻の質問）",
    "AskWhen": "お知らせの設定（日時の質問）",
    "AskTask": "お知らせの設定（内容と日時の質問）",
    "AskWhat": "お知らせの設定（内容の質問）",
    "Confirm": "お知らせの設定（確認の途中）",
    "ConfirmForget": "記録の削除の確認",
}


def _note_lines(rows: Sequence[Mapping[str, Any]], ctx: ExportContext) -> list[str]:
    lines = []
    for row in rows:
        lines.append(f"・{note_label(str(row.get('note')))}")
        lines += _fields("delivery_notes", row, ctx, skip=("note",))
    return lines


def _history_lines(rows: Sequence[Mapping[str, Any]], ctx: ExportContext) -> list[str]:
    lines = []
    for row in rows:
        name = str(row.get("field"))
        try:
            value = json.loads(row["value"]) if isinstance(row.get("value"), str) else row.get("value")
        except ValueError:
            value = row.get("value")
        when = format_moment(str(row.get("at")), ctx.tz)
        about = f"（{ctx.lender(row['lender'])}）" if row.get("lender") else ""
        lines.append(f"・{when} {FIELD_LABELS.get(name, name)}{about}：{_situation_value(name, value, ctx)}")
        lines += _fields("situation_history", row, ctx, skip=("field", "value", "at", "lender"))
    return lines


def _reminder_lines(rows: Sequence[Mapping[str, Any]], ctx: ExportContext) -> list[str]:
    lines = []
    for row in rows:
        kind = _kind_label(row.get("kind"))
        status = REMINDER_STATUS_LABELS.get(str(row.get("status")), str(row.get("status")))
        lines.append(f"・No.{row.get('id')} {kind}（{status}）")
        lines += _fields("reminders", row, ctx, skip=("kind", "status"))
    return lines


def _send_lines(rows: Sequence[Mapping[str, Any]], ctx: ExportContext, user: Mapping[str, Any]) -> list[str]:
    lines = []
    for row in rows:
        slot = _slot_label(row.get("slot"))
        status = SEND_STATUS_LABELS.get(str(row.get("status")), str(row.get("status")))
        lines.append(f"・お知らせNo.{row.get('reminder_id')} {slot}（{status}）")
        # The door and the id are the user's own, already shown at the top: said again only if different.
        same = tuple(c for c in ("platform", "platform_user_id") if row.get(c) == user.get(c))
        lines += _fields("outbox", row, ctx, skip=("slot", "status", *same))
    return lines


def _conversation_lines(rows: Sequence[Mapping[str, Any]], ctx: ExportContext) -> list[str]:
    lines = []
    for row in rows:
        try:
            state = json.loads(row.get("state") or "{}")
        except ValueError:
            state = None
        if not isinstance(state, dict):
            lines.append(f"・{row.get('state')}")
        else:
            lines += _state_lines(state, ctx)
        lines += [f"・{line.strip()}" for line in _fields("conversations", row, ctx, skip=("state",))]
    return lines


def _state_lines(state: dict[str, Any], ctx: ExportContext) -> list[str]:
    lines = [*_where_lines(state, ctx), *_pending_lines(state.get("pending"), ctx)]
    if state.get("welcomed"):
        lines.append("・はじめのごあいさつ：お伝え済み")
    return lines


def _where_lines(state: dict[str, Any], ctx: ExportContext) -> list[str]:
    """Where the conversation stands: the lender, the question shown, the way back, the choices last offered."""
    lines = []
    if state.get("lender"):
        lines.append(f"・いまご案内している会社：{ctx.lender(state['lender'])}")
    node = state.get("node")
    if node:
        lines.append(f"・いまご案内している内容：{ctx.node_titles.get(node, node)}")
    back = [b for b in state.get("back") or [] if isinstance(b, str)]
    if back:
        lines.append("・「戻る」で戻れる質問：" + "／".join(ctx.node_titles.get(b, b) for b in back))
    offered = [c[0] for c in state.get("offered") or [] if isinstance(c, list | tuple) and c]
    if offered:
        lines.append("・最後にお見せした選択肢：" + "".join(f"「{label}」" for label in offered))
    return lines


def _pending_lines(pending: Any, ctx: ExportContext) -> list[str]:
    """A set-up left half way: what it is, then what was already said for it."""
    if not (isinstance(pending, dict) and pending.get("type")):
        return []
    kind = str(pending["type"])
    lines = [f"・途中の手続き：{PENDING_LABELS.get(kind, kind)}"]
    for name, value in _pending_details(pending).items():
        # Only what the person said or was shown: the set-up's own marks (a question asked once) are not.
        if value in (None, "", [], ()) or value is False or name not in _PENDING_FIELDS:
            continue
        lines.append(f"　{_PENDING_FIELDS.get(name, name)}：{_pending_value(name, value, ctx)}")
    return lines


def _pending_details(pending: dict[str, Any]) -> dict[str, Any]:
    spec = pending.get("spec")
    details = dict(spec) if isinstance(spec, dict) else {}
    details.update({k: v for k, v in pending.items() if k not in ("type", "spec")})
    if details.get("kind") is not None and not kind_of(str(details["kind"])).records_due_day:
        # A set-up's defaults for the repayment kind mean nothing for a visit or a free reminder.
        for name in ("due_day", "days_before", "time"):
            details.pop(name, None)
    return details


_PENDING_FIELDS = {
    "kind": "種類",
    "due_day": "返済日",
    "days_before": "事前のお知らせ",
    "time": "時刻",
    "at": "日時",
    "what": "内容",
    "reason": "理由",
    "rule": "繰り返し",
    "replace": "変更するリマインダー",
    "options": "ご提案した日時",
    "skip_first": "最初の1回を飛ばす",
}


def _pending_value(name: str, value: Any, ctx: ExportContext) -> str:
    if name == "kind":
        return _kind_label(value)
    if name == "options" and isinstance(value, list | tuple):
        return "、".join(format_moment(str(v), ctx.tz) for v in value)
    if name == "replace":
        return f"No.{value}"
    if name == "skip_first":
        return "はい"
    return _value("reminders", {"time": "time_of_day"}.get(name, name), value, ctx)


def _generic_lines(table: str, rows: Sequence[Mapping[str, Any]], ctx: ExportContext) -> list[str]:
    lines = []
    for row in rows:
        lines.append("・")
        lines += _fields(table, row, ctx)
    return lines


def _one_row_lines(table: str, rows: Sequence[Mapping[str, Any]], ctx: ExportContext) -> list[str]:
    """A table with one row about the user (the user): its fields as the section's lines."""
    return [f"・{line.strip()}" for line in _fields(table, rows[0], ctx)]


def _situation_lines(rows: Sequence[Mapping[str, Any]], ctx: ExportContext) -> list[str]:
    """The situation: the person's own row as the section's lines; with rows about lenders, one
    block per row under its lender's name (the person's own first)."""
    if len(rows) == 1 and not rows[0].get("lender"):
        return [f"・{line.strip()}" for line in _fields("situations", rows[0], ctx, skip=("lender",))]
    lines = []
    for row in sorted(rows, key=lambda r: bool(r.get("lender"))):
        lines.append(f"・{_value('situations', 'lender', row.get('lender') or '', ctx)}")
        lines += _fields("situations", row, ctx, skip=("lender",))
    return lines


# The tables with one row about the user, and the tables read row by row with lines of their own.
_ONE_ROW_TABLES = ("users",)
_ROW_LINES: dict[str, Callable[[Sequence[Mapping[str, Any]], ExportContext], list[str]]] = {
    "situations": _situation_lines,
    "situation_history": _history_lines,
    "reminders": _reminder_lines,
    "delivery_notes": _note_lines,
    "conversations": _conversation_lines,
}


def _section_body(
    table: str, table_rows: Sequence[Mapping[str, Any]], ctx: ExportContext, user: Mapping[str, Any]
) -> list[str]:
    if table in _ONE_ROW_TABLES:
        return _one_row_lines(table, table_rows, ctx)
    if table == "outbox":
        return _send_lines(table_rows, ctx, user)
    lines_of = _ROW_LINES.get(table)
    return lines_of(table_rows, ctx) if lines_of is not None else _generic_lines(table, table_rows, ctx)


def export_sections(rows: StoredRows, ctx: ExportContext) -> list[str]:
    """One text per stored table about the user (「【状況】…」), in a fixed order."""
    user = (rows.get("users") or [{}])[0]
    order = [t for t in TABLE_ORDER if t in rows] + [t for t in rows if t not in TABLE_ORDER]
    sections = []
    for table in order:
        table_rows = rows[table]
        if not table_rows:
            continue
        body = _section_body(table, table_rows, ctx, user)
        sections.append("\n".join([f"【{TABLE_TITLES.get(table, table)}】", *body]))
    return sections


def export_bubbles(rows: StoredRows, ctx: ExportContext) -> list[str]:
    """The whole export as chat bubbles of at most about :data:`BUBBLE_LIMIT` characters each."""
    sections = export_sections(rows, ctx) or [texts.EXPORT_NOTHING]
    parts = [texts.EXPORT_HEAD, *sections, texts.EXPORT_FOOT]
    bubbles: list[str] = []
    for part in parts:
        for piece in _split(part):
            if bubbles and len(bubbles[-1]) + 2 + len(piece) <= BUBBLE_LIMIT:
                bubbles[-1] += "\n\n" + piece
            else:
                bubbles.append(piece)
    return bubbles


def _split(text: str) -> list[str]:
    """A section longer than one bubble, cut between lines (a row's lines may part only if one row is huge)."""
    if len(text) <= BUBBLE_LIMIT:
        return [text]
    pieces: list[str] = []
    for line in text.split("\n"):
        while len(line) > BUBBLE_LIMIT:  # a very long stored text: cut it, never drop it
            pieces.append(line[:BUBBLE_LIMIT])
            line = line[BUBBLE_LIMIT:]
        if pieces and len(pieces[-1]) + 1 + len(line) <= BUBBLE_LIMIT:
            pieces[-1] += "\n" + line
        else:
            pieces.append(line)
    return pieces
