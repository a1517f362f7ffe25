"""Turns of fresh conversations: Kansai negatives, 「30分後にもう一回」 with nothing just come,
「やっぱ飛ばさないで」 at a draft, 「さっきの電話のやつ」 as a task."""

import pytest

from bot.core.understanding.dialect import standard_negation


@pytest.mark.parametrize(
    ("said", "plain"),
    [
        ("あと延滞はしてへんで", "あと延滞はしてないで"),
        ("ログインでけへんねん", "ログインできないねん"),
        ("カード見つからへん", "カード見つからない"),
        ("入れへん", "入れない"),
        ("できひん", "できない"),
        ("たいへんです", "たいへんです"),
        ("毎月へんさいしてる", "毎月へんさいしてる"),
    ],
)
def test_kansai_negatives(said, plain):
    assert standard_negation(said) == plain


def test_a_kansai_fact_at_a_draft_is_kept(friday_talk):
    _draft, answer = friday_talk("うち、プロミスで返済日は毎月20日やねん", "あと延滞はしてへんで")
    assert "記録しておきます" in answer and "読み取れませんでした" not in answer


def test_again_later_with_nothing_just_come_asks_what(friday_talk):
    asked, draft = friday_talk("30分後にもう一回", "さっきの電話のやつ")
    assert "届いたお知らせはありません" in asked and "22:01" in asked
    assert "22:01に「電話」" in draft


def test_not_skipped_after_all_keeps_every_time(friday_talk):
    _draft, _skipped, answer = friday_talk(
        "毎週月曜の20時にジムってリマインドして", "今週は休むから飛ばして", "やっぱ飛ばさないで"
    )
    assert "飛ばさずに" in answer and "次回：12月7日(月) 20:00" in answer


def test_what_is_left_after_one_record_went(friday_talk):
    *_, answer = friday_talk("アイフル、返済日は14日", "返済日のことは忘れて", "何が残った？")
    assert "お答えできません" not in answer and "アイフル" in answer


def test_the_same_day_said_to_be_right_keeps_the_draft(friday_talk):
    _draft, answer = friday_talk("返済日は毎月30日です、プロミス", "あ、31日だったかも…いや30日で合ってる")
    assert "返済日は毎月30日ですね" in answer and "読み取れませんでした" not in answer


def test_calls_at_work_get_the_lender_and_counselling_not_the_notice_privacy(friday_talk):
    (answer,) = friday_talk("会社にまで督促の電話が来て上司にバレそう")
    assert "0570-051-051" in answer and "通知" not in answer


def test_calls_from_an_unknown_number_get_do_not_answer_and_check(friday_talk):
    (answer,) = friday_talk("てか知らない番号から何回も電話来てて怖い")
    assert "無理に出なくて大丈夫" in answer and "#9110" in answer


def test_was_it_saved_at_a_draft_says_not_yet(friday_talk):
    _draft, answer = friday_talk("来週月曜の10時に自動契約機いくリマインド", "リマインドちゃんとできた？")
    assert answer.startswith("まだ保存していません") and "12月7日(月) 10:00" in answer


def test_change_it_after_a_password_was_hidden(friday_talk):
    _hidden, answer = friday_talk("アイフルのパスワードが Hanako0101 なんだけど、大文字いる？", "変えたほうがいい？")
    assert "念のため変えておくと安心" in answer and "Hanako0101" not in answer


def test_a_kansai_time_answer_at_a_repayment_draft(friday_talk):
    _draft, answer = friday_talk("毎月9日の返済、前の日に教えてくれへん？", "夜の9時ごろがええわ")
    assert "21:00にお知らせします" in answer


def test_what_now_after_a_secret_goes_back_to_the_question(friday_talk):
    *_, answer = friday_talk(
        "アイフルのログインできない", "IDは 12345678 でパスワードは hogehoge です", "じゃあどうすれば？"
    )
    assert "原因を探しましょう" in answer and "お答えできません" not in answer
