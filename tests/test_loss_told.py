"""A lost card already taken care of is heard as done; a new card that does not log in is a login
problem. Real service, real SQLite file, console chat."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "said", ["先月カードなくして再発行してもらった", "前にカード落としたことあるけど今は新しいカード"]
)
def test_a_loss_already_reissued_is_not_answered_with_the_urgent_steps(friday_talk, said):
    _, answer = friday_talk("レイク使ってます", said)
    assert "済んでいる" in answer and "カードを止めてください" not in answer


def test_a_card_already_stopped_hears_what_is_left(friday_talk):
    _, answer = friday_talk("レイク使ってます", "カードなくしたけどもう止めてもらった")
    assert "止めてもらった" in answer and "警察" in answer and "カードを止めてください" not in answer


def test_a_new_card_that_does_not_log_in_starts_the_diagnosis(friday_talk):
    _, answer = friday_talk("レイク使ってます", "新しいカード届いたけどログインできない")
    assert "近いもの" in answer and "【カードの紛失・盗難】" not in answer


def test_a_loss_just_told_still_gets_the_urgent_steps(friday_talk):
    _, answer = friday_talk("レイク使ってます", "カード落とした")
    assert "【カードの紛失・盗難】" in answer


def test_stopping_the_card_asked_about_is_not_news_of_it(friday_talk):
    _, answer = friday_talk("アコムのカード落としたっぽい", "カード止めたらアプリも使えなくなる？")
    assert "止めてもらったのですね" not in answer


def test_a_card_not_yet_come_is_not_a_lost_card(friday_talk):
    _, answer = friday_talk(
        "プロミスきのう契約したばっかなのに、アプリで会員じゃないって出る", "カードはまだ届いてない"
    )
    assert "届いていない" in answer and "【カードの紛失・盗難】" not in answer


def test_something_that_disappeared_is_not_a_deletion(friday_talk):
    _, answer = friday_talk("アコムのアプリ、エラー出とる", "E-なんとかって書いてあったけど消えてもうた")
    assert "どれを消しますか" not in answer
