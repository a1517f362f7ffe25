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
    assert said.startswith("はい。下の中から") and "読み取れません" not in said
    assert "カードをなくした" in said


def test_an_error_written_on_the_screen_is_no_fraud(talk):
    assert not is_fraud("モビットのログインがエラーになる。エラーって書いてあるだけ")
    assert is_fraud("SMSに暗証番号を入力してって書いてあった")
    (said,) = talk("モビットのログインがエラーになる。エラーって書いてあるだけ")
    assert "詐欺" not in said


def test_a_card_found_after_a_wait_is_found_and_the_lost_card_answer_is_behind(talk):
    _, found, anyway = talk(
        "プロミスのカード落とした", "あ、待って、カバンの奥にあった！", "でも一応止めたほうがいい？"
    )
    assert "見つかってよかった" in found and "急がなくて大丈夫" not in found
    assert "そのまま使えることもあります" in anyway and "今すぐ利用を止める" not in anyway


def test_why_the_company_is_asked_then_a_name_gets_that_lenders_answer(talk):
    _, why, named = talk("パスワード忘れたんだけど", "どこでも同じじゃないの？", "じゃあレイク")
    assert "会社によって" in why and "確かなお答え" not in why
    assert "レイク" in named and "ご利用ありがとうございました" not in named and "暗証番号" in named


def test_when_a_lock_ends_is_answered_as_that(talk):
    _, _, when = talk("レイクにログインできない", "暗証番号を3回間違えた", "いつ解除される？")
    assert "どのくらい待てばよいか" in when


def test_what_to_type_at_a_result_shows_its_steps(talk):
    _, what = talk("アコムです。ログインIDのとこに電話番号入れてた", "じゃあ何を入れるの？")
    assert "8桁" in what and "確かなお答え" not in what


def test_a_fine_told_at_a_result_is_no_question(talk):
    _, told = talk("アコムの暗証番号忘れたし、カードも期限切れてるかも", "期限のほうはまだ大丈夫だった")
    assert "確かなお答え" not in told


def test_giving_up_is_heard_not_filed(talk):
    (said,) = talk("家族に借金がバレて、もうどうでもいい")
    assert "記録しない" not in said and "相談" in said


def test_death_named_to_deny_it_is_still_met_with_care(talk):
    _, said = talk("家族に借金がバレて、もうどうでもいい", "別に死ぬとかじゃないけど")
    assert "もしかして" not in said and "0120-279-338" in said


def test_how_to_unlock_is_no_deletion(talk):
    (said,) = talk("ロック解除の方法だけ教えて")
    assert "まだ何も教えていただいていません" not in said and "消" not in said


@pytest.mark.parametrize("remark", ["妻は今寝てる", "明日帰ってくる"])
def test_a_remark_is_heard_not_guessed_at(talk, remark):
    _, said = talk("アイフルのアプリに入れなくて", remark)
    assert "もしかして" not in said and "読み取れません" not in said and said.startswith("そうなんですね")


@pytest.mark.parametrize("said", ["login dekinai", "password wasureta"])
def test_english_words_beside_romaji_are_read_as_japanese(talk, said):
    (answer,) = talk(said)
    assert "Sorry" not in answer and "送らないでください" not in answer


def test_english_stays_english(talk):
    (answer,) = talk("I lost my card")
    assert "Japanese" in answer


def test_a_message_asking_to_check_a_pin_is_fraud_and_not_opening_it_is_no_click(talk):
    warned, after = talk("あ、今SMSきた。『プロミス』から暗証番号確認してくださいって", "開いてない")
    assert "詐欺" in warned
    assert "押してしまった" not in after and "開いてしまった" not in after


def test_another_lender_working_keeps_this_ones_answer(talk):
    _, _, said = talk(
        "アコムとレイク両方使ってて、アコムの方だけログインできない", "パスワード忘れた", "レイクのほうは普通に入れてる"
    )
    assert said.startswith("レイクのほうは、問題なく使えている") and "アコム" in said


def test_another_lender_not_working_switches(talk):
    _, said = talk("レイクにログインできない", "プロミスも入れない")
    assert "問題なく使えている" not in said and "プロミス" in said


@pytest.mark.parametrize("said", ["れいくのログイン画面が真っ白", "アプリのほうもなんか開かない"])
def test_a_blank_screen_gets_what_to_try(talk, said):
    (answer,) = talk(said)
    assert "再読み込み" in answer and "もしかして" not in answer


def test_a_browser_named_is_a_remark(talk):
    _, said = talk("れいくのログイン画面が真っ白", "Safariです")
    assert said.startswith("そうなんですね") and "もしかして" not in said


def test_the_apps_own_advice_to_check_the_card_is_no_fraud(talk):
    (said,) = talk("アイフルのアプリに入れなくて、カードで確認してって言われた")
    assert "詐欺" not in said


def test_steps_tried_before_any_diagnosis_are_heard_and_a_line_not_getting_through_too(talk):
    tried, through = talk("パスワード再設定はもうやった、コールセンターにも電話した", "でもつながらなかった")
    assert tried.startswith("いろいろ試してくださった") and "いちばん近いもの" in tried
    assert through.startswith("つながらなかったのですね") and "もしかして" not in through
