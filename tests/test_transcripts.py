"""Replay the conversations written as data through the real service (core + SQLite file)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.core.dialogue.actions import decode
from bot.core.dialogue.messages import Incoming, UserRef

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
TRANSCRIPTS = [
    script
    for path in sorted((Path(__file__).parent / "transcripts").glob("*.toml"))
    for script in tomllib.loads(path.read_text(encoding="utf-8"))["transcript"]
]


@pytest.mark.parametrize("script", TRANSCRIPTS, ids=[t["name"] for t in TRANSCRIPTS])
def test_transcript(service, script):
    user = UserRef("test", "transcript-user")
    shown: list[str] = []
    for n, turn in enumerate(script["turn"], 1):
        if "number_of" in turn:
            number = str(shown.index(turn["number_of"]) + 1)
            turn = {**turn, "say": number.translate(FULLWIDTH) if turn.get("fullwidth") else number}
        tapped = decode(turn["tap"]) if "tap" in turn else None
        incoming = Incoming(
            user, text=turn.get("say"), choice=tapped, stale="tap" in turn and tapped is None, event_id=f"t{n}"
        )
        replies = service.handle(incoming)
        body = "\n".join(r.text for r in replies)
        where = f"turn {n} ({turn.get('say') or turn.get('tap')!r})"
        assert replies, where
        for needle in turn.get("expect", []):
            assert needle in body, f"{where}: {needle!r} missing from:\n{body}"
        for needle in turn.get("absent", []):
            assert needle not in body, f"{where}: {needle!r} should not appear"
        if "choices" in turn:
            assert [c.label for c in replies[-1].choices] == turn["choices"], where
        shown = [c.label for c in next((r.choices for r in reversed(replies) if r.choices), ())]
    expected = script.get("situation")
    if expected:
        stored = service.store.load_situation(service.store.find_user("test", "transcript-user"))
        for name, value in expected.items():
            assert stored.get(name) == value, f"situation {name}: {stored.get(name)!r} != {value!r}"
