"""Secrets in every shape, from a table written by someone who never read the guard: none of them
is kept in the database or its WAL, repeated in a reply, or pushed later; ordinary look-alikes pass.

Each message is sent as a user would, followed by 「はい」 (which saves a reminder when the message
asked for one): a task keeps its words with the value hidden, so the secret can reach neither the
reminders table nor a push built from it.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import unicodedata
from pathlib import Path

from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.safety.guard import redact

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "secrets"


def _rows(name: str) -> list[tuple[str, str]]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [(a, b) for a, b in (line.split("\t", 1) for line in lines if line and not line.startswith("#"))]


VARIANTS = _rows("variants.tsv")
CLEAN = _rows("clean.tsv")


def _forms(secret: str) -> set[str]:
    """The secret as typed and as the text would look after width folding (both must be absent)."""
    folded = unicodedata.normalize("NFKC", secret)
    return {s for s in (secret, folded) if len(s.strip()) >= 3}


def test_the_table_is_big_and_every_variant_is_hidden():
    assert len(VARIANTS) >= 200
    leaked = []
    for secret, message in VARIANTS:
        guarded = redact(message)
        kept = "" if guarded.whole else guarded.text
        if not guarded.found or any(form in kept for form in _forms(secret)):
            leaked.append(message)
    assert leaked == []


def test_false_alarms_stay_under_one_percent():
    alarms = [message for _, message in CLEAN if redact(message).found]
    assert len(CLEAN) >= 100
    assert len(alarms) <= len(CLEAN) * 0.01, alarms


def test_no_secret_byte_reaches_the_database_the_wal_the_log_or_a_reply(service, db_path, caplog):
    said: list[str] = []
    with caplog.at_level(logging.DEBUG):
        for i, (_, message) in enumerate(VARIANTS):
            user = UserRef("console", f"variant{i % 40}")
            for text in (message, "はい"):
                said += [r.text for r in service.handle(Incoming(user, text=text, event_id=f"v{i}-{text[:2]}")) or []]
    service.store.checkpoint()
    stored = b"".join(p.read_bytes() for p in Path(db_path).parent.glob(Path(db_path).name + "*"))
    # Every text column of every table: a four-digit PIN is looked for there, as timestamps and ids
    # in the raw file hold digits of their own.
    db = sqlite3.connect(db_path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    texts = "\n".join(str(row) for t in tables for row in db.execute(f'SELECT * FROM "{t}"'))  # noqa: S608
    db.close()
    replies = "\n".join(said)
    leaks = []
    for secret, _ in VARIANTS:
        for form in _forms(secret):
            raw_hit = len(form) >= 5 and form.encode() in stored
            # Whole tokens only: 「2026」 is also the year of every timestamp.
            token = re.compile(r"(?<![\w\-:/])" + re.escape(form) + r"(?![\w\-:/年])")
            if raw_hit or any(token.search(place) for place in (texts, replies, caplog.text)):
                leaks.append(form)
    assert leaks == []
