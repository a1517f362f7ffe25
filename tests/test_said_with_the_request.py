"""What is said with a reminder request is kept: the day of a visit whose hour is asked
(「月曜の仕事帰り」 then 「19時」), and a yes said last after other words at the confirmation.

Real service, real SQLite file, through the console chat, one lender served so the set-up is short.
"""

from __future__ import annotations

import pytest

from bot.core.dialogue import texts


@pytest.fixture
def talk(chat_turns):
    """Send turns in order to one fresh user; returns each turn's rendered answer."""
    return chat_turns("promise")


@pytest.mark.parametrize(
    "asked", ["自動契約機に行くのリマインドして。月曜の仕事帰り", "月曜の仕事帰りに自動契約機に行く"]
)
def test_a_visits_weekday_holds_while_its_hour_is_asked(talk, asked):
    question, confirmed = talk(asked, "19時")
    assert "月曜の仕事帰り" in question
    assert "(月) 19:00に自動契約機へ行く" in confirmed


def test_a_visit_asked_for_without_a_time_asks_when(talk):
    (question,) = talk("来店のお知らせ")
    assert question.startswith(texts.ASK_VISIT_WHEN)


@pytest.mark.parametrize("said", ["じゃあマイナンバーカード持ってく。それで設定", "ならOK、設定して"])
def test_a_yes_said_last_saves(talk, said):
    *_, saved = talk("明日の10時に書類を探す", said)
    assert saved.startswith(texts.SAVED)


def test_a_time_said_before_the_yes_is_not_passed_over(talk):
    *_, answer = talk("明日の10時に書類を探す", "11時にして、それでいい")
    assert not answer.startswith(texts.SAVED)
