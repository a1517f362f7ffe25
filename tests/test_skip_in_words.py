"""One time of a repeating reminder skipped in words, never the whole series (and never a record).

Real service, real SQLite file, through the console chat, one lender served so the set-up is short.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest

from bot.core.dialogue import texts
from bot.core.reminders.refs import says_skip
from tests.conftest import ORDINARY_MORNING


@pytest.fixture
def talk(chat_turns):
    """Send turns in order to one fresh user; returns each turn's rendered answer."""
    return chat_turns("promise")


@pytest.mark.parametrize("said", ["今月だけスキップして", "今月だけやめといて", "今回の分は飛ばして", "次だけお休みで"])
def test_this_time_only_in_words_skips_the_coming_repayment(talk, said):
    *_, skipped, listed = talk("毎月25日に返済リマインダー", "はい", said, "リマインダー")
    assert skipped.startswith(texts.SKIPPED_REPAY)
    assert "消したい記録" not in skipped and "取り消しますか" not in skipped
    assert "毎月25日" in listed  # the series stays


def test_a_later_month_is_said_plainly_and_nothing_is_skipped(talk):
    later = (
        ORDINARY_MORNING.astimezone(ZoneInfo("Asia/Tokyo")).month + 1
    ) % 12 + 1  # two months on: never the coming one
    *_, said, listed = talk(
        "毎月25日に返済リマインダー", "はい", f"{later}月は入院してるからお休みにして", "リマインダー"
    )
    assert f"{later}月の分" in said and texts.SKIPPED_REPAY not in said
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


def test_after_a_skip_the_list_says_the_next_time_that_will_really_come(talk):
    draft, _, _, listed = talk("毎月25日に返済リマインダー", "はい", "今月だけスキップ", "来月はちゃんと来るよね？")
    first = re.search(r"次のお知らせ：(\d+)月(\d+)日", draft)
    shown = re.search(r"次回 (?:\d+年)?(\d+)月(\d+)日", listed)
    assert first and shown and "毎月25日" in listed
    assert first.groups() != shown.groups()  # the skipped time is not the one said to come next
