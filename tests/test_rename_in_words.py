"""A reminder's text changed in words, its times kept: a saved one (confirmed first) or a draft.

Real service, real SQLite file, through the console chat, one lender served so the set-up is short.
"""

from __future__ import annotations

import pytest

from bot.core.dialogue import texts
from bot.core.reminders.titles import quoted_only, title_said


@pytest.fixture
def talk(chat_turns):
    """Send turns in order to one fresh user; returns each turn's rendered answer."""
    return chat_turns("promise")


def test_a_repeating_one_renamed_by_a_word_of_its_task(talk):
    *_, asked, saved, listed = talk("毎日21時に薬", "はい", "薬のやつ、サプリに名前変えて", "はい", "リマインダー")
    assert "毎日 21:00に「サプリ」" in asked and "設定しますか" in asked
    assert saved.startswith(texts.SAVED)
    assert "サプリ（毎日 21:00）" in listed and "薬" not in listed


def test_a_one_off_renamed_with_quotes_keeps_its_time(talk):
    *_, asked, _, listed = talk(
        "日曜の18時に「電話する」", "はい", "内容を「返済額の確認」に変えて", "はい", "リマインダー"
    )
    assert "18:00に「返済額の確認」" in asked
    assert "返済額の確認" in listed and "電話する" not in listed


def test_with_two_set_the_one_named_is_renamed(talk):
    *_, asked = talk("毎日21時に薬", "はい", "毎週月曜20時にジム", "はい", "ジムのやつ、筋トレって名前にして")
    assert "「筋トレ」" in asked and "毎週月曜 20:00" in asked


@pytest.mark.parametrize("said", ["内容を「電話する」に変えて", "じゃあ「電話する」で"])
def test_a_draft_reworded_at_its_confirmation_is_the_same_draft(talk, said):
    _, reworded = talk("明日の10時にメモ", said)
    assert "10:00に「電話する」" in reworded
    assert texts.SETUP_DROPPED not in reworded


def test_a_draft_with_a_word_swapped_is_not_said_dropped(talk):
    _, reworded = talk("明日の10時に電話", "電話じゃなくてメール")
    assert "「メール」" in reworded and texts.SETUP_DROPPED not in reworded


@pytest.mark.parametrize("said", ["内容を明日に変えて", "ジムを21時に変えて", "内容を変えたい", "11時にして"])
def test_a_time_is_never_a_new_text(said):
    assert title_said(said) is None and quoted_only(said) is None
