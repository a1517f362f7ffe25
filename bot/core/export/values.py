"""Stored values in words: the labels of tables, columns and codes, and one stored value as Japanese.

Known tables and columns get Japanese labels and natural values (「2026年12月1日 9:00」, 「取り消し済み」);
a column not described here is still shown, under its own name, rather than left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.reminders.kinds.registry import all_kinds
from bot.core.reminders.recurrence import Rule
from bot.core.situation.facts import FIELD_LABELS, format_value

# The rows about one user: table name -> rows (column -> stored value).
StoredRows = Mapping[str, Sequence[Mapping[str, Any]]]

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


# Column labels per table; situation columns use the situation's own labels.
COLUMN_LABELS: dict[str, dict[str, str]] = {
    "users": {
        "platform": "ご利用のサービス",
        "platform_user_id": "このボットでの利用者番号（貸金業者の会員番号ではありません）",
        "created_at": "はじめてのご利用",
        "last_seen_at": "最後のご利用",
        "paused": "お知らせの一時停止（ボットをブロックしている間）",
    },
    "situations": {**FIELD_LABELS, "updated_at": "最後に更新した日時", "lender": "会社"},
    "situation_history": {"field": "項目", "value": "内容", "at": "日時", "lender": "会社"},
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
        # The date the reminder speaks of: moved to the next business day only where the lender moves it.
        "real_due": "お知らせする返済日",
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
# A situation row not about one lender: the person's own (with what was told before a lender was named).
PERSON_ROW_LABEL = "どの会社でも共通"
# Columns that only link rows together or make a send unique: not information about the user.
LINK_COLUMNS = {"id", "user_id", "reminder_id", "key"}


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What the words need besides the rows: the cause titles, the flow's node titles, the zone, and
    the lenders' names by their ids (a stored lender is shown by its name, never by its id)."""

    tz: ZoneInfo
    cause_titles: dict[str, str] = field(default_factory=dict)
    node_titles: dict[str, str] = field(default_factory=dict)
    lender_names: Mapping[str, str] = field(default_factory=dict)

    def lender(self, value: Any) -> str:
        """A stored lender id as the lender's name (an id no flow file names any more: as stored)."""
        return self.lender_names.get(str(value), str(value))


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


# The situation's yes/no facts, stored as 0/1 by some stores: read as a truth value.
_SITUATION_FLAGS = ("card_lost", "overdue", "suspended")


def _due_day_words(value: Any, ctx: ExportContext) -> str | None:
    if not isinstance(value, int):
        return None
    return "毎月末日" if value >= 31 else f"毎月{value}日"


def _rule_words(value: Any, ctx: ExportContext) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return Rule.from_json(value).describe()
    except (ValueError, KeyError, TypeError):
        return value


def _clock_words(value: Any, ctx: ExportContext) -> str | None:
    return _clock(value) if isinstance(value, str) else None


def _day_words(value: Any, ctx: ExportContext) -> str | None:
    return format_day(value) if isinstance(value, str) else None


def _times_words(value: Any, ctx: ExportContext) -> str | None:
    return f"{value}回"


# How one column of one table reads; ``None`` from a reader: the value is not of the kind it reads,
# so it is shown as any other value (a time, else its text).
_ValueReader = Callable[[Any, ExportContext], str | None]
_COLUMN_WORDS: dict[tuple[str, str], _ValueReader] = {
    ("users", "paused"): lambda value, ctx: "あり" if value else "なし",
    ("reminders", "kind"): lambda value, ctx: _kind_label(value),
    ("reminders", "status"): lambda value, ctx: REMINDER_STATUS_LABELS.get(str(value), str(value)),
    ("reminders", "reason"): lambda value, ctx: ctx.cause_titles.get(str(value), str(value)),
    ("reminders", "due_day"): _due_day_words,
    ("reminders", "days_before"): lambda value, ctx: "当日" if value == 0 else f"{value}日前と当日",
    ("reminders", "time_of_day"): _clock_words,
    ("reminders", "rule"): _rule_words,
    ("reminders", "lender"): lambda value, ctx: ctx.lender(value),
    ("situations", "lender"): lambda value, ctx: ctx.lender(value) if value else PERSON_ROW_LABEL,
    ("situation_history", "lender"): lambda value, ctx: ctx.lender(value) if value else PERSON_ROW_LABEL,
    ("reminders", "revision"): _times_words,
    ("outbox", "status"): lambda value, ctx: SEND_STATUS_LABELS.get(str(value), str(value)),
    ("outbox", "slot"): lambda value, ctx: _slot_label(value),
    ("outbox", "real_due"): _day_words,
    ("outbox", "attempts"): _times_words,
    ("delivery_notes", "note"): lambda value, ctx: note_label(str(value)),
}


def _value(table: str, column: str, value: Any, ctx: ExportContext) -> str:
    """One stored value in words."""
    if table == "situations" and column in FIELD_LABELS:
        flag = bool(value) if column in _SITUATION_FLAGS else value
        return _situation_value(column, flag, ctx)
    if column == "platform":
        return PLATFORM_LABELS.get(str(value), str(value))
    reader = _COLUMN_WORDS.get((table, column))
    said = reader(value, ctx) if reader is not None else None
    if said is not None:
        return said
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
