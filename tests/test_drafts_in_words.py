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


# ---------------------------------------------------------------------- times in pieces


@pytest.mark.parametrize(
    ("first", "then", "moment"),
    [
        ("明日の朝にする", "7時", "12月5日(土) 7:00"),
        ("土曜の午後", "2時", "12月5日(土) 14:00"),
        ("夜", "8時くらい", "12月5日(土) 20:00"),
    ],
)
def test_a_time_given_in_pieces(talk, first, then, moment):
    *_, confirmed = talk(ASKED_WHEN, first, then)
    assert f"{moment}に「歯医者」" in confirmed and texts.CONFIRM_QUESTION in confirmed


@pytest.mark.parametrize(
    ("said", "moment"),
    [("明日の7時…いや8時で", "12月5日(土) 8:00"), ("明日の10時、やっぱり11時", "12月5日(土) 11:00")],
)
def test_a_time_corrected_in_the_same_message(talk, said, moment):
    _, confirmed = talk(ASKED_WHEN, said)
    assert f"{moment}に「歯医者」" in confirmed


def test_an_hour_corrected_in_the_same_message_is_asked_about_as_the_last_one(talk):
    _, asked = talk(ASKED_WHEN, "10時、いや11時")
    assert "11" in asked and "10:00" not in asked and "読み取れません" not in asked


@pytest.mark.parametrize("start", [CONFIRMING, ASKED_WHAT])
def test_an_hour_corrected_in_the_same_message_at_a_draft(talk, start):
    _, changed = talk(start, "10時、いや11時")
    assert "12月5日(土) 11:00" in changed


def test_a_few_minutes_from_now(talk):
    _, confirmed = talk(ASKED_WHEN, "3分後に")
    assert "12月4日(金) 21:35に「歯医者」" in confirmed


# ---------------------------------------------------------------------- the title


@pytest.mark.parametrize("said", ["歯医者って入れて", "歯医者と登録してください"])
def test_the_words_named_to_be_put_in_are_the_title(talk, said):
    _, confirmed = talk(ASKED_WHAT, said)
    assert "12月5日(土) 10:00に「歯医者」" in confirmed


def test_the_words_named_with_no_time_yet_are_the_title(talk):
    *_, confirmed = talk(ASKED_TASK, "歯医者って入れて", "明日の10時")
    assert "12月5日(土) 10:00に「歯医者」" in confirmed


@pytest.mark.parametrize("start", [ASKED_WHAT, ASKED_TASK])
def test_asking_for_a_reminder_again_is_no_title(talk, start):
    first, again = talk(start, "リマインダー欲しいんだけど")
    assert "欲しい" not in again
    assert again == first
