"""A reminder being set up is changed, completed or dropped in words, at any of its questions.

Real service, real SQLite file, through the console chat; the clock is fixed on Friday 2026-12-04
21:30 (Tokyo) and moves a minute a turn.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.dialogue import texts


@pytest.fixture
def talk(tmp_path, monkeypatch) -> Callable[..., list[str]]:
    """Send turns in order to one fresh user (one lender served); returns each turn's answer."""
    from bot.adapters.console import ConsoleChat
    from bot.app import build_app
    from bot.settings import load_settings

    monkeypatch.setenv("BOT_LENDERS", "promise")
    app = build_app(load_settings(dotenv=None), db_path=str(tmp_path / "chat.db"))
    clock = [datetime(2026, 12, 4, 12, 30, tzinfo=UTC)]
    app.service.clock = lambda: clock[0]
    chat = ConsoleChat(app.service, "sora")
    chat.greet()

    def say(text: str) -> str:
        clock[0] += timedelta(minutes=1)
        return chat.say(text)

    return lambda *turns: [say(t) for t in turns]


# ---------------------------------------------------------------------- dropping the draft

ASKED_WHAT = "明日の10時にリマインドして"
ASKED_WHEN = "歯医者をリマインドして"
ASKED_TASK = "リマインダーを設定したい"
CONFIRMING = "明日の9時に歯医者をリマインドして"


@pytest.mark.parametrize("start", [ASKED_WHAT, ASKED_WHEN, ASKED_TASK, CONFIRMING])
@pytest.mark.parametrize("said", ["取り消し", "やめとく", "キャンセルで", "やっぱり全部消して"])
def test_a_draft_is_dropped_plainly_at_any_question(talk, start, said):
    _, dropped, listed = talk(start, said, "リマインダー")
    assert dropped.startswith(texts.CANCELLED_SETUP)
    assert "削除" not in dropped
    assert "歯医者" not in listed


def test_a_repayment_draft_is_dropped_at_its_day_question(talk):
    asked, dropped = talk("返済のリマインダー", "やめとく")
    assert "返済日" in asked
    assert dropped.startswith(texts.CANCELLED_SETUP)
