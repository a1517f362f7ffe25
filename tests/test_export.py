"""「データ確認」 shows every stored row about the user, in readable Japanese.

The rows are found by reading the database schema (every table that refers to the user), not from
a list kept in the test: a table or column added later that stores something about the user and is
not shown by the export makes :func:`test_export_shows_every_stored_value_of_the_user` fail.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.adapters.console import ConsoleChat
from bot.core.dialogue import texts
from bot.core.dialogue.actions import ReminderOp
from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.export import view as ev
from bot.core.reminders.recurrence import Rule
from bot.delivery.dispatcher import NOTE_REMINDER_FAILED
from tests.conftest import TOKYO

# Columns that only tie rows together or make one send unique (a random UUID): they say nothing
# about the user. Anything else stored about the user must be shown.
NOT_ABOUT_THE_USER = {"id", "user_id", "reminder_id", "key"}
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"\d{2}:\d{2}")


def tables_about_the_user(conn: sqlite3.Connection) -> list[tuple[str, str, tuple[Any, ...]]]:
    """(table, WHERE clause, parameter names) for every table with rows about one user."""
    found = []
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        refs = [r[3] for r in conn.execute(f"PRAGMA foreign_key_list({table})") if r[2] == "users"]
        if table == "users":
            found.append((table, "id = :uid", ()))
        elif refs or "user_id" in columns:
            found.append((table, f"{refs[0] if refs else 'user_id'} = :uid", ()))
        elif {"platform", "platform_user_id"} <= columns:
            found.append((table, "platform = :platform AND platform_user_id = :pid", ()))
    return found


def stored_rows(conn: sqlite3.Connection, uid: int, platform: str, pid: str) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for table, where, _ in tables_about_the_user(conn):
        cur = conn.execute(f"SELECT * FROM {table} WHERE {where}", {"uid": uid, "platform": platform, "pid": pid})
        names = [d[0] for d in cur.description]
        out[table] = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    return out


def natural_moment(value: str) -> str:
    """「2026年12月1日 9:00」 in Tokyo (written here independently of the code under test)."""
    t = datetime.fromisoformat(value).astimezone(TOKYO)
    return f"{t.year}年{t.month}月{t.day}日 {t.hour}:{t.minute:02d}"


def shown(table: str, column: str, row: dict[str, Any], causes: dict[str, str], nodes: dict[str, str]) -> list[str]:
    """The texts that must appear in the export for one stored value (``row[column]``)."""
    value = row[column]
    if value is None or column in NOT_ABOUT_THE_USER:
        return []
    if table == "situation_history" and column == "value":
        field, told = row["field"], json.loads(value)
        return ["（消去）"] if told is None else shown("situations", field, {field: told}, causes, nodes)
    if table == "situation_history" and column == "field":
        return [ev.COLUMN_LABELS["situations"][value]]
    if table == "conversations" and column == "state":
        state = json.loads(value)
        texts = [label for label, _ in state["offered"]] + [nodes[n] for n in [state["node"], *state["back"]] if n]
        if state.get("pending"):
            texts.append(ev.PENDING_LABELS[state["pending"]["type"]])
        return texts
    if column in ("status", "kind", "slot", "note", "platform"):
        labels = {
            ("reminders", "status"): ev.REMINDER_STATUS_LABELS,
            ("outbox", "status"): ev.SEND_STATUS_LABELS,
            ("reminders", "kind"): ev.kind_labels(),
            ("outbox", "slot"): ev.slot_labels(),
            ("delivery_notes", "note"): ev.NOTE_LABELS,
        }.get((table, column), ev.PLATFORM_LABELS)
        assert value in labels, f"{table}.{column} = {value!r} has no Japanese label"
        return [labels[value]]
    if column in ("cause", "reason"):
        return [causes[value]]
    if column == "rule":
        return [Rule.from_json(value).describe()]
    if isinstance(value, bool) or column in ("card_lost", "overdue", "suspended", "paused"):
        return ["あり" if value else "なし"]
    if column == "language":
        return ["日本語"]
    if isinstance(value, str) and _MOMENT.match(value):
        return [natural_moment(value)]
    if isinstance(value, str) and _DAY.fullmatch(value):
        day = date.fromisoformat(value)
        return [f"{day.year}年{day.month}月{day.day}日"]
    if isinstance(value, str) and _CLOCK.fullmatch(value):
        return [f"{int(value[:2])}:{value[3:]}"]
    if column == "due_day":
        return ["毎月末日" if value >= 31 else f"毎月{value}日"]
    if column == "days_before":
        return [f"{value}日前"]
    if column in ("attempts", "revision") and value == 0:
        return []  # a counter that never moved (no retry, no change) says nothing
    if column in ("wrong_attempts", "attempts", "revision"):
        return [f"{value}回"]
    return [str(value)]


def _user_with_every_kind_of_row(service, clock):
    """A user with a situation and its history, reminders in every state, sends and notes."""
    store = service.store
    chat = ConsoleChat(service, "everything")
    for line in ("カードを落とした", "返済日は末日", "はい", "明日の10時に銀行の書類を探す", "はい"):
        chat.say(line)
    for line in ("12月20日の15時に区役所へ行く", "はい", "12月21日の11時に郵便局の手続き", "はい"):
        chat.say(line)
    chat.say("毎週金曜の20時に家計簿をつける")
    chat.say("はい")
    uid = store.find_user("console", "everything")
    rows = {r["what"]: r for r in store.reminders.for_user(uid) if r["what"]}
    user = UserRef("console", "everything")
    service.handle(Incoming(user, choice=ReminderOp("cancel", rows["区役所へ行く"]["id"])))
    service.handle(Incoming(user, choice=ReminderOp("done", rows["郵便局の手続き"]["id"])))
    service.handle(Incoming(user, choice=ReminderOp("s1h", rows["銀行の書類を探す"]["id"])))
    with store.transaction():
        store.record_facts(uid, {"overdue": True, "suspended": False, "wrong_attempts": 3}, clock())
        store.record_facts(uid, {"suspended": None}, clock())
        store.notes.add(uid, "console", NOTE_REMINDER_FAILED, clock())
        store.notes.add(uid, "console", "dms_closed", clock())
    # One send went out, one failed once and waits for its retry.
    later = clock() + timedelta(days=1, hours=12)
    with store.transaction():
        claimed = store.reminders.claim(later, 2, ("console",))
        assert len(claimed) == 2
        retry = (later + timedelta(minutes=5)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        store.reminders.mark_many(
            [("sent", None, None, claimed[0].id), ("pending", retry, "timeout", claimed[1].id)], later
        )
    chat.say("返済日は25日")  # a set-up in progress, kept through the export turn
    return chat, uid


def test_export_shows_every_stored_value_of_the_user(service, clock, flow):
    chat, uid = _user_with_every_kind_of_row(service, clock)
    conn = service.store.conn
    before = stored_rows(conn, uid, "console", "everything")
    # Every kind of row is there to be checked.
    statuses = {r["status"] for r in before["reminders"]}
    assert {"active", "cancelled", "done"} <= statuses
    assert {"sent", "pending", "cancelled"} <= {r["status"] for r in before["outbox"]}
    assert any(r["slot"] == "snooze" for r in before["outbox"])
    for table in ("users", "situations", "situation_history", "conversations", "delivery_notes"):
        assert before[table], table

    summary = chat.say("データ確認")
    # The summary, then its choices; a line says the set-up in progress still waits for its yes.
    assert len(summary.strip().splitlines()) <= 1 + ev.SUMMARY_LINES + 3 + 2
    assert texts.SETUP_WAITING in summary
    export = chat.say("すべて見る")
    # The set-up in progress is kept through the export (and shown in it as this turn leaves the
    # conversation row).
    before["conversations"] = stored_rows(conn, uid, "console", "everything")["conversations"]
    assert "Confirm" in before["conversations"][0]["state"]

    causes = flow.cause_titles()
    nodes = {n.id: (n.title or n.text.split("\n")[0])[:40] for n in flow.nodes.values()}
    missing = []
    for table, rows in before.items():
        assert table in ev.TABLE_TITLES, f"table {table} has no Japanese title in the export"
        for row in rows:
            for column, value in row.items():
                if column not in NOT_ABOUT_THE_USER:
                    assert column in ev.COLUMN_LABELS[table], f"{table}.{column} has no Japanese label"
                for text in shown(table, column, row, causes, nodes):
                    if text not in export:
                        missing.append(f"{table}.{column} = {value!r} (expected {text!r})")
    assert missing == [], "\n".join(missing)


def test_export_words_and_bubbles(service, clock):
    chat, _ = _user_with_every_kind_of_row(service, clock)
    summary = service.handle(Incoming(UserRef("console", "everything"), text="データ確認"))
    assert summary is not None and len(summary[-1].text.splitlines()) <= ev.SUMMARY_LINES
    assert [c.label for c in summary[-1].choices][:2] == ["すべて見る", "記録を消す"]
    replies = service.handle(Incoming(UserRef("console", "everything"), text="すべて見る"))
    assert replies is not None and len(replies) >= 2
    assert all(len(r.text) <= ev.BUBBLE_LIMIT for r in replies)
    assert replies[-1].choices and not any(r.choices for r in replies[:-1])
    text = "\n".join(r.text for r in replies)
    for words in ("取り消し済み", "完了", "送信待ち", "送信済み", "区役所へ行く", "郵便局の手続き", "毎週金曜 20:00"):
        assert words in text, words
    assert "09:00" not in text and "T0" not in text and "+00:00" not in text
    assert "2026年12月3日 10:00" in text  # first seen, in Tokyo time


def test_export_reads_the_rows_only_when_shown(service, monkeypatch):
    calls = []
    original = service.store.rows_about
    monkeypatch.setattr(service.store, "rows_about", lambda uid: calls.append(uid) or original(uid))
    user = UserRef("console", "lazy")
    service.handle(Incoming(user, text="ヘルプ"))
    service.handle(Incoming(user, text="状況"))
    assert calls == []
    service.handle(Incoming(user, text="データ確認"))
    assert len(calls) == 1


def test_a_table_added_later_is_exported(service, clock):
    store = service.store
    chat = ConsoleChat(service, "future")
    chat.say("ヘルプ")
    uid = store.find_user("console", "future")
    with store.transaction():
        store.conn.execute("CREATE TABLE memos (user_id INTEGER REFERENCES users(id), body TEXT)")
        store.conn.execute("INSERT INTO memos VALUES (?, ?)", (uid, "未来のメモ"))
        store.conn.execute("CREATE TABLE tags (user_id INTEGER, tag TEXT, PRIMARY KEY (user_id, tag)) WITHOUT ROWID")
        store.conn.execute("INSERT INTO tags VALUES (?, ?)", (uid, "未来のタグ"))
    assert "そのほか" in chat.say("データ確認")
    export = chat.say("すべて見る")
    assert "未来のメモ" in export and "未来のタグ" in export


def test_every_delivery_note_code_has_a_japanese_label() -> None:
    from bot.adapters.discord_sender import NOTE_DMS_CLOSED, NOTE_DMS_UNREACHABLE
    from bot.core.export.view import HELD_NOTE_LABEL, NOTE_LABELS, SEND_STATUS_LABELS, note_label
    from bot.delivery.dispatcher import NOTE_HELD
    from bot.service import NOTE_TEXTS

    assert NOTE_DMS_UNREACHABLE in NOTE_LABELS and note_label(f"{NOTE_HELD}42") == HELD_NOTE_LABEL
    assert "held" in SEND_STATUS_LABELS

    assert {*NOTE_TEXTS, NOTE_DMS_CLOSED} <= set(NOTE_LABELS)
