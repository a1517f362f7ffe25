"""The secret-number guard: secrets are recognised and never stored; ordinary messages pass."""

from __future__ import annotations

import sqlite3

import pytest

from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.safety.guard import looks_secret

SECRETS = [
    "暗証番号は1234",
    "暗証番号は１２３４です",
    "暗証番号：0000",
    "暗証 9876",
    "pin 4321",
    "PIN=1111",
    "パスワードはabcd1234",
    "ﾊﾟｽﾜｰﾄﾞはhunter22",
    "password: Passw0rd!",
    "Web-IDはtaro_yamada88",
    "webid abc12345",
    "カード番号は1234567890123456",
    "1234 5678 9012 3456",
    "1234-5678-9012-3456",
    "１２３４５６７８９０１２",
    "私のカード 4980123412341234 です",
    "1234",
    "０９８７",
    "abc12345",
    "Taro2024pass",
    "会員番号は12345678",
    "明日10時に1234で試す",
    "明日の10時に暗証番号 1 2 3 4 を変える",
    "暗証番号は一二三四",
    "Abc1234.",
    "promise2024-01",
    "パスはqwe123",
]

NOT_SECRETS = [
    "暗証番号忘れた",
    "暗証番号を3回間違えた",
    "パスワードを忘れてしまいました",
    "PIN忘れた",
    "ログインできない",
    "1",
    "12",
    "プロミスコールは0120-24-0365ですか",
    "12/5 9:00",
    "明日の10時",
    "返済日は25日",
    "passport を持っていけばいい？",
    "Web-IDが違うと出ます",
    "3回以上",
    "2026年12月5日に行く",
    "返済額は50000円です",
    "9:30pm",
    "2027/1/4 10:00",
    "パスポートでもいい？",
]


@pytest.mark.parametrize("text", SECRETS)
def test_secret_is_recognised(text):
    assert looks_secret(text)


@pytest.mark.parametrize("text", NOT_SECRETS)
def test_ordinary_message_passes(text):
    assert not looks_secret(text)


def test_secret_is_not_stored_and_conversation_goes_on(service, db_path, caplog):
    user = UserRef("console", "guarded")
    service.handle(Incoming(user, text="ログインできない", event_id="e1"))
    before = service.store.load_state(service.store.find_user("console", "guarded"))
    with caplog.at_level("DEBUG"):
        replies = service.handle(Incoming(user, text="暗証番号は7391です", event_id="e2"))
    assert "保存していません" in replies[0].text
    # The same question is offered again, and the position did not move.
    assert replies[-1].choices and replies[-1].choices[0].label == "カードをなくした・盗まれた"
    after = service.store.load_state(service.store.find_user("console", "guarded"))
    assert after["node"] == before["node"]
    assert "7391" not in caplog.text
    service.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(open(p, "rb").read() for p in (db_path,))
    assert b"7391" not in raw
    dump = "\n".join(sqlite3.connect(db_path).iterdump())
    assert "7391" not in dump
