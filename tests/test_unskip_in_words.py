"""A time skipped comes back when asked in words; skipping a weekly one before it comes skips that one.

Real service, real SQLite file, through the console chat, one lender served so the set-up is short.
"""

from __future__ import annotations

import re

import pytest

from bot.core.dialogue import texts
from bot.core.reminders.refs import named_reminder, says_skip


@pytest.fixture
def talk(chat_turns):
    """Send turns in order to one fresh user; returns each turn's rendered answer."""
    return chat_turns("promise")


def _next(listed: str) -> str:
    found = re.search(r"次回 ([^\n]+)", listed)
    assert found is not None, listed
    return found.group(1)


def test_skipping_a_weekly_one_before_it_comes_skips_the_coming_time(talk):
    _, _, before, skipped, after = talk("毎週月曜21時にジム", "はい", "リマインダー", "次のはスキップ", "リマインダー")
    assert skipped.startswith(f"{_next(before)}の「ジム」は止めました")  # the time skipped, said
    assert _next(after) != _next(before)


@pytest.mark.parametrize("undo", ["やっぱスキップ取り消し", "スキップやめて", "次のもやっぱり教えて"])
def test_a_weekly_skip_undone_in_words_brings_the_time_back(talk, undo):
    _, _, before, _, undone, after = talk(
        "毎週月曜21時にジム", "はい", "リマインダー", "次のはスキップ", undo, "リマインダー"
    )
    assert "予定どおりお知らせします" in undone and "ジム" in undone
    assert _next(after) == _next(before)


@pytest.mark.parametrize("undo", ["やっぱりスキップ取り消して", "今月もやっぱり通知して"])
def test_a_repayment_skip_undone_brings_this_months_notices_back(talk, undo):
    _, _, before, skipped, undone, after = talk(
        "毎月25日に返済リマインダー", "はい", "リマインダー", "今月だけスキップ", undo, "リマインダー"
    )
    assert skipped.startswith(texts.SKIPPED_REPAY)
    assert "予定どおりお知らせします" in undone
    assert _next(after) == _next(before)


def test_with_two_repeating_reminders_it_asks_which_to_bring_back(talk):
    *_, asked = talk("毎月25日に返済リマインダー", "はい", "毎週金曜20時にジム", "はい", "スキップやめて")
    assert "戻しますか" in asked and "ジム" in asked


@pytest.mark.parametrize("said", ["スキップやめて", "次のもやっぱり教えて", "お休みは取り消しで"])
def test_undoing_a_skip_is_read_as_such_not_as_a_cancel(said):
    assert says_skip(said)
    assert named_reminder(said, ()) is None or named_reminder(said, ()).verb == "unskip"
