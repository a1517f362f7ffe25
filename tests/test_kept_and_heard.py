"""What is kept, asked for in one's own words, and what is heard in the middle of a task.

Each case runs the real service on a real SQLite file through the console chat (every lender served
unless said) and checks what the bot answered, and what it kept, as a person would see it.
"""

from __future__ import annotations

import pytest

from bot.core.dialogue import texts
from bot.core.situation.statements import stated_facts
from bot.core.understanding.textnorm import normalize

MAYBE = "もしかして"


@pytest.fixture
def talk(chat_turns):
    """Send turns in order to one fresh user (one lender served: no company question)."""
    return chat_turns("promise")


@pytest.mark.parametrize(
    "asked",
    [
        "何覚えてる？",
        "何覚えた？",
        "何て覚えとる？",
        "残ってるの何？",
        "何残ってる？",
        "覚えてること全部見せて",
        "覚えてる？",
    ],
)
def test_what_is_kept_asked_in_own_words_shows_the_record(talk, asked):
    answers = talk("返済日15日って覚えて", asked)
    assert "返済日：毎月15日" in answers[1]
    assert MAYBE not in answers[1]


def test_what_is_kept_asked_at_a_result_shows_the_record_not_the_lender_line(chat_turns):
    answers = chat_turns()("レイク、25日返済、カード紛失中", "何覚えてる？")
    assert "返済日：毎月25日" in answers[1]
    assert "カードの紛失・盗難：あり" in answers[1]
    assert "確かなお答えができません" not in answers[1]


def test_a_day_told_for_a_reminder_is_kept_before_the_yes_and_a_correction_corrects_it(talk):
    answers = talk("返済日25日", "あ、ちがう。26日だった", "覚えてること全部見せて", "はい")
    assert "返済日：毎月26日" in answers[2]
    assert "毎月25日" not in answers[2]
    assert "設定しました" in answers[3]  # the draft waited through the question


def test_keep_it_said_alone_at_a_draft_reads_back_and_keeps_the_draft(talk):
    answers = talk("返済日は毎月25日", "覚えといてな", "はい")
    assert "返済日：毎月25日" in answers[1]
    assert "設定をやめました" not in answers[1]
    assert "設定しました" in answers[2]


def test_a_keep_request_with_a_task_is_not_read_back_as_the_record():
    # 「ジムの予定覚えといて」 names something to remember: not 「覚えといて」 of what was said.
    assert stated_facts(normalize("ジムの予定覚えといて")) == {}


def test_several_records_named_in_one_deletion_go_together(talk):
    answers = talk("返済日18日、カードは家にある、延滞なし", "カードの件と返済日を消して", "何残ってる？")
    assert "「返済日」の記録を消しました" in answers[1]
    assert "「カードの紛失・盗難」の記録を消しました" in answers[1]
    assert "返済日：" not in answers[2]
    assert "返済の遅れ：なし" in answers[2]


def test_the_lost_card_said_of_as_a_thing_is_deleted_with_when_it_was_told(chat_turns):
    answers = chat_turns()("レイクのカード落とした", "見つかった！カードなくしたのは消しといて", "何覚えてる？")
    assert "「カードの紛失・盗難」の記録を消しました" in answers[1]
    assert "お知らせ" not in answers[1].splitlines()[0]
    assert "紛失・盗難の記録日時" not in answers[2]


def test_everything_with_no_reminder_set_asks_to_delete_all_of_it(talk):
    answers = talk("返済日は2日、いま延滞中", "エクスポートしたから全部消して", "はい")
    assert "すべて削除します" in answers[1] or "削除してよろしいですか" in answers[1]
    assert "すべて削除しました" in answers[2]


@pytest.mark.parametrize(
    "said",
    [
        "お世話になっております。会員ページにログインができず困っております。",
        "すみません、孫に教わってアプリを入れたのですが、入れません",
        "パスワード合ってるはずなのに弾かれる",
    ],
)
def test_plain_words_of_not_getting_in_start_the_diagnosis(talk, said):
    answer = talk(said)[0]
    assert MAYBE not in answer
    assert "今の状況にいちばん近いもの" in answer


def test_a_remark_at_a_result_is_heard_with_the_results_buttons(chat_turns):
    # The result is just above: heard in one line with its buttons, not the whole block again.
    answers = chat_turns()("アイフルのパスワード忘れた", "メールアドレスは登録してるはず")
    assert MAYBE not in answers[1]
    assert answers[1].startswith(texts.REMARK_HEARD)
    assert "まだ解決しない" in answers[1] and "【" not in answers[1]


def test_what_now_after_a_fraud_gets_steps(chat_turns):
    answers = chat_turns()("モビットの人から電話で暗証番号を確認したいって言われた", "言っちゃった…", "どうしよう")
    assert "#9110" in answers[2]
    assert "止めてもらって" in answers[2]
    assert "0120-24-7217" in answers[2]


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("もういいからお前がログインしてくれ、IDとパス送るから", "代わりにログイン"),
        ("暗証番号 5937 で合ってるか確認して", "確かめることはできません"),
        ("電話ってお金かかる？", "通話料はかかりません"),
        ("会社名言わなきゃダメ？", "言わなくても大丈夫"),
        ("お知らせって土日も鳴る？", "土日や祝日も"),
    ],
)
def test_questions_in_passing_get_their_answer(talk, said, expected):
    answer = talk(said)[0]
    assert expected in answer
    assert "5937" not in answer


def test_side_words_in_a_diagnosis_keep_the_result(chat_turns):
    answers = chat_turns()("レイクのカードなくした", "ちょっと待って、電話", "ん？なんでもない", "今日寒くない？")
    for answer in answers[1:]:
        assert "0120-09-09-09" in answer or "原因探し" in answer
        assert MAYBE not in answer
    assert "急がなくて大丈夫" in answers[1]
    assert "確かなお答えができません" not in answers[3]  # not about the lender: not sent to call it


def test_rude_words_are_heard_calmly(talk):
    assert texts.HEARD_ANGER in talk("使えねぇな")[0]


def test_a_day_followed_by_repaying_is_the_repayment_day_but_not_a_date():
    assert stated_facts(normalize("レイク、25日返済"))["due_day"] == 25
    assert "due_day" not in stated_facts(normalize("12月25日に返済"))


def test_a_step_done_at_a_result_is_heard_not_answered_with_the_same_steps(chat_turns):
    answers = chat_turns()("アイフルのカードなくしちゃって、ログインもできない", "電話した、止めてもらった")
    assert "対応してくださった" in answers[1]
    assert "カードを止めてもらってください" not in answers[1]


def test_a_step_that_did_not_work_is_not_taken_for_done(chat_turns):
    answers = chat_turns()("アイフルのカードなくしちゃって", "電話したけどつながらない")
    assert "対応してくださった" not in answers[1]


def test_a_reminder_asked_for_right_after_one_was_offered_is_that_one(talk):
    answers = talk("毎月27日返済って覚えて", "それでリマインダーも作って")
    assert "返済日は毎月27日ですね" in answers[1]
    assert "いつ、何をお知らせしましょうか" not in answers[1]


def test_a_reminder_with_its_own_moment_after_an_offer_is_its_own(talk):
    answers = talk("毎月27日返済って覚えて", "明日の10時に電話するってリマインダー作って")
    assert "電話する" in answers[1]


def test_where_to_call_asked_without_a_question_mark_gets_the_number(chat_turns):
    answers = chat_turns()("プロミスのカードなくした", "じゃあどこに電話すればいい")
    assert "0120-24-0365" in answers[1]
    assert texts.REMARK_HEARD not in answers[1].splitlines()[0]


def test_a_question_without_its_mark_is_not_heard_as_a_remark(chat_turns):
    answers = chat_turns()("プロミスのカードなくした", "警察ってどこ行けば")
    assert not answers[1].startswith(texts.REMARK_HEARD)


def test_what_is_kept_with_only_a_reminder_set_says_the_reminder_is_kept(talk):
    answers = talk("明日の10時に電話するってリマインドして", "はい", "何覚えてる？")
    assert "設定中のお知らせが1件" in answers[2]


def test_the_record_of_several_lenders_says_the_reminders_too(chat_turns):
    talk = chat_turns()
    answers = talk(
        "アコムの返済日は15日って覚えて",
        "明日の10時に電話するってリマインドして",
        "はい",
        "プロミスのカードなくした",
        "何覚えてる？",
    )
    assert "【アコム】" in answers[4] and "設定中のお知らせが1件" in answers[4]


@pytest.mark.parametrize("looked", ["一覧", "リマインダー", "わたしの状況"])
def test_a_screen_looked_at_beside_a_draft_never_says_it_saved_and_absent(talk, looked):
    answers = talk("12月10日の19時に家賃振込ってリマインドして", looked, "はい")
    assert "設定しておきました" not in answers[1]
    assert "まだ設定していません" in answers[1] and "家賃振込" in answers[1]
    assert "設定しました" in answers[2]


def test_not_late_after_all_corrects_the_record_without_thanking_for_a_payment(talk):
    answers = talk("延滞してる", "延滞じゃなかった、まだ期日前だった", "何覚えてる？")
    assert "直しました" in answers[1] and "お支払いが済んだ" not in answers[1]
    assert "返済の遅れ：なし" in answers[2]


def test_the_card_at_hand_said_during_a_diagnosis_is_kept(talk):
    answers = talk("ログインできない", "カードは持ってます", "何覚えてる？")
    assert "カードの紛失・盗難：なし" in answers[2]
