"""Trust: forgetting leaves no byte behind, export shows everything, secrets are kept by no door,
conversation positions expire, and nobody acts on another user's reminders."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import timedelta
from pathlib import Path

from bot.adapters.console import ConsoleChat
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.safety.guard import looks_secret
from tests import fake_discord as F
from tests.discord_harness import discord_bot, fake_discord
from tests.test_line import Harness, postback_event, text_event


def raw_bytes(db_path: str) -> bytes:
    """Every byte SQLite keeps for this database: the file, its WAL and shared memory."""
    return b"".join(p.read_bytes() for p in Path(db_path).parent.glob(Path(db_path).name + "*") if p.is_file())


def test_forget_removes_every_byte_of_the_user(service, db_path):
    chat = ConsoleChat(service, "privacy-user-4b7e")
    for line in ("カードを落とした", "返済日は25日", "はい", "明日の10時に秘密の用事ABCを片付ける", "はい", "状況"):
        chat.say(line)
    service.store.checkpoint()
    assert b"privacy-user-4b7e" in raw_bytes(db_path)  # on disk before the forget ...
    assert "秘密の用事ABC".encode() in raw_bytes(db_path)
    reply = chat.say("データを削除")
    assert "削除してよろしいですか" in reply and "1) 削除する" in reply
    assert "すべて削除しました" in chat.say("削除する")
    for table in ("users", "situations", "situation_history", "conversations", "reminders", "outbox"):
        assert service.store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    data = raw_bytes(db_path)
    assert b"privacy-user-4b7e" not in data
    assert "秘密の用事ABC".encode() not in data


def test_forget_asks_once_and_can_be_declined(service):
    chat = ConsoleChat(service, "keeper")
    chat.say("返済日は15日")
    chat.say("はい")
    chat.say("データを削除")
    assert "削除はやめました" in chat.say("やめる")
    assert service.store.find_user("console", "keeper") is not None
    # The confirmation cannot be skipped with a forged choice.
    reply = service.handle(Incoming(UserRef("console", "keeper"), choice=Command("forget_yes")))
    assert "古くなっている" in reply[0].text
    assert len(service.store.reminders.for_user(service.store.find_user("console", "keeper"))) == 1


def test_export_shows_situation_history_and_reminders(service):
    chat = ConsoleChat(service, "exporter")
    chat.say("ロックされた")
    chat.say("返済日は末日")
    chat.say("はい")
    summary = chat.say("データ確認")
    assert "リマインダー：1件" in summary and "記録を消す" in summary and "すべて見る" in summary
    text = chat.say("すべて見る")
    assert "【状況】" in text and "ログインのロック" in text
    assert "【変更の記録】" in text and "返済日：毎月末日" in text
    assert "【リマインダー】\n・No.1 返済日のお知らせ（設定中）\n　返済日：毎月末日" in text
    assert "記録を消す" in text


def test_conversation_position_expires_after_silence(service, clock):
    user = UserRef("console", "sleeper")
    service.handle(Incoming(user, text="ログインできない"))
    service.handle(Incoming(user, text="5"))
    clock.now += timedelta(days=31)
    replies = service.handle(Incoming(user, text="1"))
    # The old question is gone: "1" is not an answer to it any more.
    assert "メンテナンス" not in "\n".join(r.text for r in replies)
    clock.now += timedelta(days=1)
    assert service.store.prune_conversations(clock.now - timedelta(days=30)) == 0  # touched a day ago
    assert service.store.prune_conversations(clock.now + timedelta(days=1)) == 1


# ---------------------------------------------------------------- secrets through every door


def secret_messages(count: int = 200, seed: int = 7) -> list[tuple[str, str]]:
    """(message, the distinctive part to search for) pairs, varied in wording and width."""
    rng = random.Random(seed)
    wide = str.maketrans(
        "0123456789abcdefghijklmnopqrstuvwxyz",
        "０１２３４５６７８９ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
    )
    out: list[tuple[str, str]] = []
    while len(out) < count:
        pin = f"{rng.randrange(10000):04d}"
        card = "".join(str(rng.randrange(10)) for _ in range(16))
        pw = "".join(rng.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(5)) + str(rng.randrange(100, 999))
        kind = len(out) % 10
        if kind == 0:
            message, needle = f"暗証番号は{pin}です", f"暗証番号は{pin}"
        elif kind == 1:
            message, needle = f"PIN: {pin}", f"PIN: {pin}"
        elif kind == 2:
            message, needle = f"パスワードは{pw}", pw
        elif kind == 3:
            message, needle = f"password {pw}", pw
        elif kind == 4:
            message, needle = f"Web-IDは{pw}x", pw + "x"
        elif kind == 5:
            message, needle = f"カード番号 {card}", card
        elif kind == 6:
            grouped = " ".join(card[i : i + 4] for i in range(0, 16, 4))
            message, needle = f"私のカードは {grouped} です", grouped
        elif kind == 7:
            message, needle = card[:12].translate(wide), card[:12].translate(wide)
        elif kind == 8:
            message, needle = pw.translate(wide), pw.translate(wide)
        else:
            message, needle = f"暗証番号って{pin}で合ってる？", f"暗証番号って{pin}"
        assert looks_secret(message), message
        out.append((message, needle))
    return out


def _assert_nowhere(needles: list[str], db_path: str, log_text: str) -> None:
    data = raw_bytes(db_path)
    hits = [n for n in needles if n.encode() in data or n in log_text]
    assert hits == []


def test_secrets_through_the_console_are_kept_nowhere(service, db_path, caplog):
    secrets = secret_messages()
    chat = ConsoleChat(service, "console-secrets")
    with caplog.at_level(logging.DEBUG):
        for message, _ in secrets:
            assert "保存していません" in chat.say(message)
    service.store.checkpoint()
    _assert_nowhere([n for _, n in secrets], db_path, caplog.text)


def test_secrets_through_line_are_kept_nowhere(tmp_path, caplog):
    secrets = secret_messages()

    async def scenario():
        async with Harness(tmp_path) as h:
            with caplog.at_level(logging.DEBUG):
                for message, _ in secrets:
                    assert await h.post(text_event(message)) == 200
                # Postback data is ours, but a forged one carrying a secret must not be kept either.
                for message, _ in secrets[:20]:
                    assert await h.post(postback_event(f"v1|{message}")) == 200
                await h.replies(220, timeout=60)
                assert await h.door.worker.settled(timeout=30)
            h.app.store.checkpoint()
            warned = [
                m["text"] for r in h.fake.replies for m in r["messages"] if "保存していません" in m.get("text", "")
            ]
            assert len(warned) == 200
            return str(tmp_path / "line.db")

    db = asyncio.run(scenario())
    _assert_nowhere([n for _, n in secrets], db, caplog.text)


def test_secrets_through_discord_are_kept_nowhere(db_path, clock, caplog):
    secrets = secret_messages()

    async def scenario():
        async with fake_discord() as fake, discord_bot(fake, db_path, clock) as bot:
            with caplog.at_level(logging.DEBUG):
                for message, _ in secrets:
                    await bot.feed_message(F.dm_text(111111111111111111, message))
                await F.settle()
            sent = [c.body.get("content", "") for c in fake.calls if c.body and isinstance(c.body, dict)]
            assert sum("保存していません" in s for s in sent) == 200
            bot.app.store.checkpoint()

    asyncio.run(scenario())
    _assert_nowhere([n for _, n in secrets], db_path, caplog.text)


def test_forged_line_postback_for_another_users_reminder_is_refused(tmp_path):
    from tests.test_line import _due_reminder

    async def scenario():
        async with Harness(tmp_path) as h:
            _due_reminder(h.app, "Uowner000000000000000000000000000", minutes_ago=-60)
            [rem] = h.app.store.reminders.for_user(h.app.store.find_user("line", "Uowner000000000000000000000000000"))
            await h.post(postback_event(f"v1|r:cancel:{rem['id']}"))
            await h.post(postback_event("v1|r:cancel:987654"))
            first, second = await h.replies(2)
            assert first["messages"][-1]["text"] == second["messages"][-1]["text"]
            assert "見つかりませんでした" in first["messages"][-1]["text"]
            assert h.app.store.reminders.get(rem["id"])["status"] == "active"

    asyncio.run(scenario())


def test_a_forget_blocked_by_a_reader_is_truncated_as_soon_as_the_reader_is_gone(service, db_path):
    """The TRUNCATE is owed until it succeeds: no byte of the user outlives the reader in the WAL."""
    import os
    import sqlite3

    user = UserRef("console", "leaver")
    service.handle(Incoming(user, text="明日の10時に木曽川の用事"))
    service.handle(Incoming(user, text="はい"))
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM reminders").fetchone()  # holds a read snapshot
    service.handle(Incoming(user, text="データを削除"))
    service.handle(Incoming(user, choice=Command("forget_yes")))
    assert service.store.truncate_owed_since is not None  # blocked: owed, not forgotten
    service.store.checkpoint_passive()
    assert service.store.truncate_owed_since is not None  # still blocked while the reader stays
    reader.rollback()
    reader.close()
    service.store.checkpoint_passive()  # the background round after the reader is gone
    assert service.store.truncate_owed_since is None
    wal = db_path + "-wal"
    assert not os.path.exists(wal) or os.path.getsize(wal) == 0
    raw = open(db_path, "rb").read()
    assert "木曽川".encode() not in raw
