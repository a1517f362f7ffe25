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


# ---------------------------------------------------------------------- changing the draft


@pytest.mark.parametrize("said", ["時間を7時半に", "7時半にして"])
def test_a_new_time_at_the_confirmation_keeps_the_draft(talk, said):
    _, changed = talk(CONFIRMING, said)
    assert "12月5日(土) 7:30" in changed and "「歯医者」" in changed
    assert texts.CONFIRM_QUESTION in changed


def test_every_day_said_at_the_confirmation_makes_the_draft_repeat_at_its_time(talk):
    _, changed, saved, listed = talk(CONFIRMING, "毎日にして", "はい", "リマインダー")
    assert "毎日 9:00に「歯医者」" in changed and texts.CONFIRM_QUESTION in changed
    assert saved.startswith(texts.SAVED)
    assert "歯医者（毎日 9:00）" in listed


@pytest.mark.parametrize(
    ("start", "said", "now"),
    [
        ("毎週月水金の9時に薬を飲むってリマインドして", "金曜はなしで", "毎週月・水曜 9:00"),
        ("毎日9時に薬を飲むってリマインドして", "土日はいらない", "平日の毎日 9:00"),
        ("毎日9時に薬を飲むってリマインドして", "水曜は抜いて", "毎週月・火・木・金・土・日曜 9:00"),
        ("毎週土曜の9時に薬を飲むってリマインドして", "やっぱり月水金で", "毎週月・水・金曜 9:00"),
        ("毎週土曜の9時に薬を飲むってリマインドして", "火木の8時にして", "毎週火・木曜 8:00"),
    ],
)
def test_the_days_of_a_repeating_draft_change_in_words(talk, start, said, now):
    _, changed, saved, listed = talk(start, said, "はい", "リマインダー")
    assert f"{now}に「薬を飲む」" in changed and texts.CONFIRM_QUESTION in changed
    assert saved.startswith(texts.SAVED)
    assert now in listed


def test_taking_out_every_day_keeps_the_draft_and_says_why(talk):
    _, kept = talk("毎週土日の9時にジョギングをリマインドして", "土日はいらない")
    assert kept.startswith(texts.REPEAT_NO_DAY_LEFT)
    assert "毎週土・日曜 9:00に「ジョギング」" in kept and texts.CONFIRM_QUESTION in kept


@pytest.mark.parametrize(
    ("said", "lead"), [("3日前と当日でお願いします", "3日前"), ("前日と当日でお願いします", "1日前")]
)
def test_a_repayment_lead_said_in_words_at_the_confirmation(talk, said, lead):
    _, _, changed, saved = talk("返済のリマインダー", "25日", said, "はい")
    assert f"返済日の{lead}と当日" in changed and texts.CONFIRM_QUESTION in changed
    assert saved.startswith(texts.SAVED)
