"""Things the bot knows, asked in the middle of a conversation: a new phone, a due day on a
holiday, when notices come, whether a PIN is stored, the record by mail; 「はい」 where a choice is
asked; an error message on the screen is no fraud. Real service, real SQLite file, console chat.
"""

from __future__ import annotations

import pytest

from bot.core.safety.fraud import is_fraud


@pytest.fixture
def talk(chat_turns):
    """Send turns in order to one fresh user; returns each turn's rendered answer."""
    return chat_turns()


def test_a_new_phone_is_heard_at_the_first_question_and_the_question_stays(talk):
    _, said = talk("アイフルにログインできない", "機種変したばっかり")
    assert "スマホを替えた" in said and "読み取れません" not in said
    assert "いちばん近いもの" in said  # the question the person is in comes back


@pytest.mark.parametrize("asked", ["返済日が月末なんだけど、日曜だったらどうなる？", "支払日が祝日だったらずれるの？"])
def test_a_due_day_on_a_holiday_is_answered_not_set_up(talk, asked):
    (said,) = talk(asked)
    assert "土日や祝日" in said and "設定しますか" not in said


def test_when_notices_come_is_answered(talk):
    (said,) = talk("お知らせって何時に来るの？")
    assert "設定した日時" in said and "9:00" in said


@pytest.mark.parametrize("asked", ["ここに暗証番号って保存される？", "パスワード記録されたりしない？"])
def test_whether_a_pin_is_stored_is_answered(talk, asked):
    (said,) = talk(asked)
    assert said.startswith("いいえ。暗証番号・パスワード・カード番号は") and "確かなお答え" not in said


def test_the_record_asked_for_by_mail_is_shown_here(talk):
    _, said = talk("返済日は27日", "私の記録をファイルで出せる？")
    assert "メールやファイルでお送りすることはできません" in said and "毎月27日" in said


def test_mail_alone_is_answered_without_the_whole_record(talk):
    (said,) = talk("メールで送ってほしいんだけど")
    assert "できません" in said and "【ご利用の記録】" not in said


@pytest.mark.parametrize("yes", ["はい", "うん", "そうそう"])
def test_a_yes_where_a_choice_is_asked_asks_for_the_choice(talk, yes):
    _, said = talk("ログインできない", yes)
    assert said.startswith("はい。下から") and "読み取れません" not in said
    assert "カードをなくした" in said


def test_an_error_written_on_the_screen_is_no_fraud(talk):
    assert not is_fraud("モビットのログインがエラーになる。エラーって書いてあるだけ")
    assert is_fraud("SMSに暗証番号を入力してって書いてあった")
    (said,) = talk("モビットのログインがエラーになる。エラーって書いてあるだけ")
    assert "詐欺" not in said
