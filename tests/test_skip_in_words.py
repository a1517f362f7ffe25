"""One time of a repeating reminder skipped in words, never the whole series (and never a record).

Real service, real SQLite file, through the console chat, one lender served so the set-up is short.
"""

from __future__ import annotations

import pytest

from bot.adapters.console import ConsoleChat
from bot.app import build_app
from bot.core.dialogue import texts
from bot.core.reminders.refs import says_skip
from bot.settings import load_settings


@pytest.fixture
def talk(tmp_path, monkeypatch):
    """Send turns in order to one fresh user; returns each turn's rendered answer."""
    monkeypatch.setenv("BOT_LENDERS", "promise")
    app = build_app(load_settings(dotenv=None), db_path=str(tmp_path / "skip.db"))
    chat = ConsoleChat(app.service, "ren")
    chat.greet()

    def run(*turns: str) -> list[str]:
        return [chat.say(t) for t in turns]

    return run


@pytest.mark.parametrize("said", ["今月だけスキップして", "今月だけやめといて", "今回の分は飛ばして", "次だけお休みで"])
def test_this_time_only_in_words_skips_the_coming_repayment(talk, said):
    *_, skipped, listed = talk("毎月25日に返済リマインダー", "はい", said, "リマインダー")
    assert skipped.startswith(texts.SKIPPED_REPAY)
    assert "消したい記録" not in skipped and "取り消しますか" not in skipped
    assert "毎月25日" in listed  # the series stays


def test_a_later_month_is_said_plainly_and_nothing_is_skipped(talk):
    *_, said, listed = talk("毎月25日に返済リマインダー", "はい", "1月は入院してるからお休みにして", "リマインダー")
    assert "1月の分" in said and texts.SKIPPED_REPAY not in said
    assert "毎月25日" in listed


def test_with_two_repeating_reminders_it_asks_which(talk):
    *_, asked = talk("毎月25日に返済リマインダー", "はい", "毎週金曜20時にジム", "はい", "今回はスキップ")
    assert texts.SKIP_WHICH in asked and "ジム" in asked and "返済日" in asked


@pytest.mark.parametrize("said", ["今回はやめておきます", "やめて", "リマインダー消して", "今回はいらない"])
def test_a_decline_or_a_cancel_is_not_a_skip(said):
    assert not says_skip(said)


def test_this_months_notices_not_wanted_is_a_skip(talk):
    *_, skipped = talk("毎月15日に返済リマインダー", "はい", "今月はもう払ったから今月分の通知はいらない")
    assert skipped.startswith(texts.SKIPPED_REPAY)


def test_paid_off_is_heard_before_the_reminder_is_asked_about(talk):
    *_, said = talk("毎月1日に返済リマインダー", "はい", "完済した！！もう返済のリマインドいらない")
    assert said.startswith(texts.PAID_OFF) and "取り消しますか" in said
