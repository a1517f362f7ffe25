"""A repayment day corrected in passing words: at the draft (「調べたら27日だった」), in the record
(「15日じゃなくて18日だった」), looked up first (「調べてからにする」), and the draft's day asked back.
Real service, real SQLite file, console chat.
"""

from __future__ import annotations

import pytest

from bot.core.dialogue.faq import DRAFT_NOW
from bot.core.reminders.kinds.repay_day import parse_day
from bot.core.reminders.kinds.repay_setup import LOOK_IT_UP


@pytest.mark.parametrize(
    ("said", "day"),
    [
        ("調べたら27日だった", 27),
        ("確認したら27日でした、すみません", 27),
        ("ごめん間違えた、15日じゃなくて18日だった", 18),
    ],
)
def test_the_day_meant(said, day):
    assert parse_day(said) == day


@pytest.mark.parametrize("said", ["調べたら27日だった", "確認したら27日でした、すみません"])
def test_a_day_found_at_the_draft_replaces_its_day(chat_turns, said):
    _, draft, asked = chat_turns("")("アイフル、返済日は月末", said, "最終的に何日になってる？")
    assert "返済日は毎月27日ですね" in draft and "読み取れません" not in draft
    assert DRAFT_NOW in asked and "返済日は毎月27日ですね" in asked and "お答えできません" not in asked


def test_a_day_kept_then_said_to_be_another_corrects_the_record(chat_turns):
    _, fixed, status = chat_turns("")(
        "プロミスの返済日15日って覚えといて", "ごめん間違えた、15日じゃなくて18日だった", "今なんて記録されてる？"
    )
    assert "記録を次のように直しました" in fixed and "毎月18日" in fixed and "入力の仕方" not in fixed
    assert "返済日：毎月18日" in status and "15日" not in status


def test_looked_up_first_then_the_day_goes_on(chat_turns):
    _, later, day = chat_turns("")(
        "毎月の返済リマインド作りたい、プロミス",
        "えーと、何日だっけ…調べてからにする。いったんやめる",
        "わかった、15日だった！",
    )
    assert later.startswith(LOOK_IT_UP)
    assert "返済日は毎月15日ですね" in day and "ログインできるか" not in day


def test_the_password_named_at_the_pin_result_gets_its_own_step(friday_talk):
    _, named = friday_talk("プロミスの暗証番号忘れた", "いや待って、忘れたのはパスワードのほうだった")
    assert named.startswith("パスワードのことなら、こちらです。") and "Web-IDのパスワード" in named
    assert "いまお伝えした" not in named
