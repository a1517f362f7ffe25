"""The 「データ確認」 answer: every stored row about the user, in readable Japanese.

The service hands over the rows table by table as plain dicts (what storage found by reading the
schema); nothing here knows the database. Known tables and columns get Japanese labels and natural
values (「2026年12月1日 9:00」, 「取り消し済み」); a table or column added later and not described
here is still shown, under its own name, rather than left out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Choice, Reply
from bot.core.reminders.kinds.registry import all_kinds, kind_of
from bot.core.reminders.recurrence import Rule
from bot.core.situation.facts import FIELD_LABELS, format_value

# The rows about one user: table name -> rows (column -> stored value).
StoredRows = Mapping[str, Sequence[Mapping[str, Any]]]

# A bubble is kept well under LINE's 5,000 characters, so it reads as a chat message, not a page.
BUBBLE_LIMIT = 1200

TABLE_TITLES: dict[str, str] = {
    "users": "ご利用の記録",
    "situations": "状況",
    "situation_history": "変更の記録",
    "reminders": "リマインダー",
    "outbox": "お知らせの送信",
    "delivery_notes": "次にお伝えするお知らせ",
    "conversations": "会話の途中経過",
}
# The order sections are shown in (tables not listed come after, in the order storage gave them).
TABLE_ORDER = tuple(TABLE_TITLES)

PLATFORM_LABELS = {"line": "LINE", "discord": "Discord", "console": "コンソール"}
REMINDER_STATUS_LABELS = {"active": "設定中", "sent": "お知らせ済み", "done": "完了", "cancelled": "取り消し済み"}
SEND_STATUS_LABELS = {
    "pending": "送信待ち",
    "sending": "送信中",
    "sent": "送信済み",
    "failed": "送れませんでした",
    "undeliverable": "お届けできませんでした",
    "skipped": "送る必要がなくなりました",
    "cancelled": "取り消し済み",
    "paused": "一時停止中（ボットをブロックしている間）",
    "held": "保留中（今月の送信上限のため）",
}
# The slots every kind may use; each kind names its own (repayment: before / on the day).
_SLOT_LABELS = {"once": "予定の日時", "snooze": "もう一度（あとで）"}
NOTE_LABELS = {
    "reminder_failed": "リマインダーを時間内にお届けできなかったこと",
    "dms_closed": "DiscordのDMを受け取れない設定になっていること",
    "reply_late": "前のメッセージへのお返事をお届けできなかったこと",
    "dms_unreachable": "DiscordのDMを送れない状態になっていること",
}
# A note whose code starts with this is a reminder held for the platform's monthly limit
# (the code's tail is the send's id): one label for all of them.
HELD_NOTE_PREFIX = "held:"
HELD_NOTE_LABEL = "今月の送信上限のためお届けできなかったリマインダー"


def note_label(code: str) -> str:
    """The Japanese label of a delivery note code."""
    if code.startswith(HELD_NOTE_PREFIX):
        return HELD_NOTE_LABEL
    return NOTE_LABELS.get(code, code)


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

# Column labels per table; situation columns use the situation's own labels.
COLUMN_LABELS: dict[str, dict[str, str]] = {
    "users": {
        "platform": "ご利用のサービス",
        "platform_user_id": "このボットでの利用者番号（貸金業者の会員番号ではありません）",
        "created_at": "はじめてのご利用",
        "last_seen_at": "最後のご利用",
        "paused": "お知らせの一時停止（ボットをブロックしている間）",
    },
    "situations": {**FIELD_LABELS, "updated_at": "最後に更新した日時"},
    "situation_history": {"field": "項目", "value": "内容", "at": "日時"},
    "reminders": {
        "kind": "種類",
        "status": "状態",
        "what": "内容",
        "reason": "理由",
        "due_day": "返済日",
        "days_before": "事前のお知らせ",
        "time_of_day": "時刻",
        "at": "日時",
        "rule": "繰り返し",
        "tz": "時間の基準（タイムゾーン）",
        "created_at": "設定した日時",
        "updated_at": "最後に変更した日時",
        "revision": "変更の回数",
        "lender": "会社",
    },
    "outbox": {
        "slot": "種類",
        "status": "状態",
        "due_at": "お届けの予定",
        "real_due": "返済日（土日祝は翌営業日）",
        "attempts": "送信を試みた回数",
        "next_attempt_at": "次に送る日時",
        "claimed_at": "送信を始めた日時",
        "sent_at": "送信した日時",
        "last_error": "送れなかった理由",
        "platform": "送り先のサービス",
        "platform_user_id": "送り先の利用者番号",
    },
    "delivery_notes": {"note": "内容", "platform": "サービス", "created_at": "記録した日時"},
    "conversations": {"state": "会話の途中経過", "updated_at": "最後に更新した日時"},
}
# Columns that only link rows together or make a send unique: not information about the user.
LINK_COLUMNS = {"id", "user_id", "reminder_id", "key"}


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What the words need besides the rows: the cause titles, the flow's node titles, the zone."""

    tz: ZoneInfo
    cause_titles: dict[str, str] = field(default_factory=dict)
    node_titles: dict[str, str] = field(default_factory=dict)


def format_moment(value: str, tz: ZoneInfo) -> str:
    """A stored UTC ISO time as 「2026年12月1日 9:00」 in ``tz`` (the text itself when unreadable)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    local = moment.astimezone(tz)
    return f"{local.year}年{local.month}月{local.day}日 {local.hour}:{local.minute:02d}"


def format_day(value: str) -> str:
    """A stored ISO date as 「2026年12月7日」."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.year}年{day.month}月{day.day}日"


def _clock(value: str) -> str:
    hour, _, minute = value.partition(":")
    return f"{int(hour)}:{minute}" if hour.isdigit() and minute else value


def _looks_like_moment(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T"


def _situation_value(name: str, value: Any, ctx: ExportContext) -> str:
    if value is None:
        return "（消去）"
    if name.endswith("_at") and isinstance(value, str):
        return format_moment(value, ctx.tz)
    if name == "reminder_time" and isinstance(value, str):
        return _clock(value)
    if name == "language":
        return "日本語" if value == "ja" else str(value)
    return format_value(name, value, ctx.cause_titles, ctx.tz)


def kind_labels() -> dict[str, str]:
    """Every kind of reminder in words (as its strategy names it)."""
    return {k.name: k.label for k in all_kinds()}


def slot_labels() -> dict[str, str]:
    """Every slot of a planned send in words (the shared ones and each kind's)."""
    labels = dict(_SLOT_LABELS)
    for kind in all_kinds():
        labels.update(kind.slot_labels)
    return labels


def _kind_label(value: Any) -> str:
    return kind_labels().get(str(value), str(value))


def _slot_label(value: Any) -> str:
    return slot_labels().get(str(value), str(value))


def _value(table: str, column: str, value: Any, ctx: ExportContext) -> str:
    """One stored value in words."""
    if table == "situations":
        if column in FIELD_LABELS:
            flag = bool(value) if column in ("card_lost", "overdue", "suspended") else value
            return _situation_value(column, flag, ctx)
    if column == "platform":
        return PLATFORM_LABELS.get(str(value), str(value))
    if table == "users" and column == "paused":
        return "あり" if value else "なし"
    if table == "reminders":
        if column == "kind":
            return _kind_label(value)
        if column == "status":
            return REMINDER_STATUS_LABELS.get(str(value), str(value))
        if column == "reason":
            return ctx.cause_titles.get(str(value), str(value))
        if column == "due_day" and isinstance(value, int):
            return "毎月末日" if value >= 31 else f"毎月{value}日"
        if column == "days_before":
            return f"{value}日前と当日"
        if column == "time_of_day" and isinstance(value, str):
            return _clock(value)
        if column == "rule" and isinstance(value, str):
            try:
                return Rule.from_json(value).describe()
            except (ValueError, KeyError, TypeError):
                return value
        if column == "revision":
            return f"{value}回"
    if table == "outbox":
        if column == "status":
            return SEND_STATUS_LABELS.get(str(value), str(value))
        if column == "slot":
            return _slot_label(value)
        if column == "real_due" and isinstance(value, str):
            return format_day(value)
        if column == "attempts":
            return f"{value}回"
    if table == "delivery_notes" and column == "note":
        return note_label(str(value))
    if _looks_like_moment(value):
        return format_moment(value, ctx.tz)
    return str(value)


def _fields(table: str, row: Mapping[str, Any], ctx: ExportContext, skip: tuple[str, ...] = ()) -> list[str]:
    labels = COLUMN_LABELS.get(table, {})
    lines = []
    for column, value in row.items():
        if value is None or column in LINK_COLUMNS or column in skip or _says_nothing(table, column, value, row):
            continue
        lines.append(f"　{labels.get(column, column)}：{_value(table, column, value, ctx)}")
    return lines


def _says_nothing(table: str, column: str, value: Any, row: Mapping[str, Any]) -> bool:
    """A counter still at zero, or a retry time that is just the planned time: shown only as noise."""
    if (table, column) in (("reminders", "revision"), ("outbox", "attempts")):
        return value == 0
    return table == "outbox" and column == "next_attempt_at" and value == row.get("due_at")


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
        lines.append(f"・{when} {FIELD_LABELS.get(name, name)}：{_situation_value(name, value, ctx)}")
        lines += _fields("situation_history", row, ctx, skip=("field", "value", "at"))
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
    lines = []
    node = state.get("node")
    if node:
        lines.append(f"・いまご案内している内容：{ctx.node_titles.get(node, node)}")
    back = [b for b in state.get("back") or [] if isinstance(b, str)]
    if back:
        lines.append("・「戻る」で戻れる質問：" + "／".join(ctx.node_titles.get(b, b) for b in back))
    offered = [c[0] for c in state.get("offered") or [] if isinstance(c, list | tuple) and c]
    if offered:
        lines.append("・最後にお見せした選択肢：" + "".join(f"「{label}」" for label in offered))
    pending = state.get("pending")
    if isinstance(pending, dict) and pending.get("type"):
        kind = str(pending["type"])
        lines.append(f"・途中の手続き：{PENDING_LABELS.get(kind, kind)}")
        spec = pending.get("spec")
        details = dict(spec) if isinstance(spec, dict) else {}
        details.update({k: v for k, v in pending.items() if k not in ("type", "spec")})
        if details.get("kind") is not None and not kind_of(str(details["kind"])).records_due_day:
            # A set-up's defaults for the repayment kind mean nothing for a visit or a free reminder.
            for name in ("due_day", "days_before", "time"):
                details.pop(name, None)
        for name, value in details.items():
            if value in (None, "", [], ()):
                continue
            lines.append(f"　{_PENDING_FIELDS.get(name, name)}：{_pending_value(name, value, ctx)}")
    if state.get("welcomed"):
        lines.append("・はじめのごあいさつ：お伝え済み")
    return lines


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
}


def _pending_value(name: str, value: Any, ctx: ExportContext) -> str:
    if name == "kind":
        return _kind_label(value)
    if name == "options" and isinstance(value, list | tuple):
        return "、".join(format_moment(str(v), ctx.tz) for v in value)
    if name == "replace":
        return f"No.{value}"
    return _value("reminders", {"time": "time_of_day"}.get(name, name), value, ctx)


def _generic_lines(table: str, rows: Sequence[Mapping[str, Any]], ctx: ExportContext) -> list[str]:
    lines = []
    for row in rows:
        lines.append("・")
        lines += _fields(table, row, ctx)
    return lines


def export_sections(rows: StoredRows, ctx: ExportContext) -> list[str]:
    """One text per stored table about the user (「【状況】…」), in a fixed order."""
    user = (rows.get("users") or [{}])[0]
    order = [t for t in TABLE_ORDER if t in rows] + [t for t in rows if t not in TABLE_ORDER]
    sections = []
    for table in order:
        table_rows = rows[table]
        if not table_rows:
            continue
        if table == "users":
            body = _fields(table, user, ctx)
            body = [f"・{line.strip()}" for line in body]
        elif table == "situations":
            body = [f"・{line.strip()}" for line in _fields(table, table_rows[0], ctx)]
        elif table == "situation_history":
            body = _history_lines(table_rows, ctx)
        elif table == "reminders":
            body = _reminder_lines(table_rows, ctx)
        elif table == "outbox":
            body = _send_lines(table_rows, ctx, user)
        elif table == "delivery_notes":
            body = _note_lines(table_rows, ctx)
        elif table == "conversations":
            body = _conversation_lines(table_rows, ctx)
        else:
            body = _generic_lines(table, table_rows, ctx)
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


# ---------------------------------------------------------------------- the summary shown first

SUMMARY_LINES = 10


def _count(rows: StoredRows, table: str) -> int:
    return len(rows.get(table) or [])


def export_summary(rows: StoredRows, ctx: ExportContext) -> str:
    """What is stored, in at most :data:`SUMMARY_LINES` lines: one line per kind of record, with how
    many there are; the full list is one choice away (「すべて見る」)."""
    facts = (rows.get("situations") or [{}])[0]
    told = [FIELD_LABELS[name] for name in FIELD_LABELS if name != "language" and facts.get(name) is not None]
    reminders = rows.get("reminders") or []
    active = sum(1 for r in reminders if r.get("status") == "active")
    sends = [r for r in rows.get("outbox") or [] if r.get("status") in ("pending", "sending", "held")]
    lines = [texts.EXPORT_SUMMARY_HEAD]
    for user in (rows.get("users") or [])[:1]:
        platform = PLATFORM_LABELS.get(str(user.get("platform")), str(user.get("platform") or ""))
        since = user.get("created_at")
        first = f"（はじめてのご利用：{format_moment(str(since), ctx.tz)}）" if since else ""
        lines.append(f"・ご利用の記録：{platform}{first}")
    if told:
        shown = "、".join(told[:3]) + ("など" if len(told) > 3 else "")
        lines.append(f"・状況：{len(told)}件（{shown}）")
    if _count(rows, "situation_history"):
        lines.append(f"・状況の変更の記録：{_count(rows, 'situation_history')}件")
    if reminders:
        lines.append(f"・リマインダー：{len(reminders)}件（うち設定中{active}件）")
    if sends:
        lines.append(f"・これから送るお知らせ：{len(sends)}件")
    if _count(rows, "delivery_notes"):
        lines.append(f"・次にお伝えするお知らせ：{_count(rows, 'delivery_notes')}件")
    if _count(rows, "conversations"):
        lines.append("・会話の途中経過：あり")
    known = {"users", "situations", "situation_history", "reminders", "outbox", "delivery_notes", "conversations"}
    others = [TABLE_TITLES.get(t, t) for t in rows if t not in known and rows[t]]
    if others:
        lines.append("・そのほか：" + "、".join(others))
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
