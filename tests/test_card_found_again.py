"""A lost card found again, in the words people use (「いや待って、あった！カバンの中」), its record
deleted by pointing at it, asked whether it is kept, and found when it was never recorded.
Real service, real SQLite file, console chat.
"""

from __future__ import annotations

import pytest

from bot.core.diagnosis.lost_card import CARD_FOUND_UNTOLD
from bot.core.safety.card_hand import card_at_hand
from bot.core.safety.net import deletion_scope


@pytest.mark.parametrize(
    "said",
    [
        "いや待って、あった！カバンの中",
        "あ、待ってカバンの内ポケットにあった😂 ごめんやっぱなし",
        "ごめん、あった",
        "ソファの隙間にありました",
    ],
)
def test_found_in_own_words(said):
    assert card_at_hand(said) == "have"


@pytest.mark.parametrize("said", ["あったらいいな", "あったかも", "見つからない"])
def test_not_found(said):
    assert card_at_hand(said) != "have"


def test_found_after_the_loss_result_is_not_the_loss_again(chat_turns):
    _, found, remind = chat_turns("")(
        "レイクのカード落とした", "いや待って、あった！カバンの中", "明日の朝9時に銀行行くってリマインドして"
    )
    assert "見つかってよかった" in found and "警察にも届け出て" not in found
    assert "「銀行行く」" in remind


def test_the_loss_pointed_at_is_a_fact_not_a_reminder():
    assert deletion_scope("さっきのカード落とした話、消しといて") == "fact"
    assert deletion_scope("さっきのやつ消して") == "reminder"
    assert deletion_scope("さっきの返済日のお知らせ消して") == "reminder"


def test_asked_whether_the_loss_is_kept_shows_the_record_then_found_clears_it(chat_turns):
    talk = chat_turns("")
    _, kept, cleared, status = talk(
        "昨日アイフルのカード失くした。もう電話して止めてもらってある",
        "カード失くしたことってちゃんと覚えてる？",
        "さっき見つかったわ笑 その情報だけ消しといて、アイフル使ってるのは残して",
        "今の状態は？",
    )
    assert "カードの紛失・盗難：あり" in kept
    assert "見つかってよかった" in cleared and "消したい記録を選んで" not in cleared
    assert "紛失・盗難：あり" not in status and "考えられる原因：カードの紛失" not in status


def test_deleting_the_loss_takes_its_cause_along(chat_turns):
    _, deleted, status = chat_turns("")(
        "モビット使ってる。返済日は10日。あとカードなくした",
        "カード見つかった！なくしたってのは消して",
        "今の登録内容は？",
    )
    assert "記録を消しました" in deleted or "なし" in deleted
    assert "紛失" not in status and "毎月10日" in status


def test_found_when_never_recorded_lost_starts_no_diagnosis(chat_turns):
    _, found, paid, status = chat_turns("")(
        "アコムの返済日20日で延滞中", "カードは見つかった", "延滞の件も今日払ったから大丈夫になった", "今の状態は？"
    )
    assert CARD_FOUND_UNTOLD in found and "一緒に原因を探しましょう" not in found
    assert "なし" in paid and "返済の遅れ：なし" in status
