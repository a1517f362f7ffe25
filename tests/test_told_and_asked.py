"""Facts told in a sentence, questions asked in passing, and the company asked after the read-back.

Each case runs the real service on a real SQLite file through the console chat, with every lender
served (the default), and checks what the bot answered and what it kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.dialogue import texts
from bot.core.dialogue.faq import load_questions
from bot.core.situation.statements import only_states, stated_facts
from bot.core.understanding.textnorm import normalize


@pytest.fixture
def talk(chat_turns):
    """Send turns in order to one fresh user; returns each turn's rendered answer."""
    return chat_turns()


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        ("返済日は10日。今は遅れてないよ", {"due_day": 10, "overdue": False}),
        ("毎月27日払いで、延滞はしてません", {"due_day": 27, "overdue": False}),
        ("支払日は月末、ちゃんと払ってます", {"due_day": 31, "overdue": False}),
        ("15日が返済日で、いま延滞してる", {"due_day": 15, "overdue": True}),
        ("返済日は3日後", {}),
    ],
)
def test_facts_said_in_a_sentence_are_read(said, facts):
    assert stated_facts(normalize(said)) == facts


@pytest.mark.parametrize("said", ["返済日10日にリマインドして", "返済日は10日だっけ？", "10日の前日に知らせてほしい"])
def test_a_request_or_a_question_is_not_a_statement(said):
    assert not only_states(said, normalize(said))


def test_a_situation_told_in_a_sentence_is_kept_and_read_back(talk):
    told, shown = talk("アコムで借りてて、返済日は10日。今は遅れてないよ", "何が記録されてる？")
    assert texts.FACTS_KEPT in told and "毎月10日" in told and "なし" in told
    assert "設定しますか" not in told and "何をお知らせしますか" not in told  # kept, not made a reminder
    assert texts.LABEL_REPAY_REMINDER in told
    assert "毎月10日" in shown and "最近の返済の遅れ：なし" in shown


def test_the_repayment_reminder_offered_after_the_facts_uses_the_day_told(talk):
    _, draft = talk("返済日は25日、遅れはないです", "1")
    assert "返済日は毎月25日ですね" in draft


def test_a_draft_with_its_day_is_read_back_and_saved_without_the_company_question(talk):
    draft, saved, listed = talk("毎月27日に返済のリマインダーお願い", "はい", "登録されてるリマインダー見せて")
    assert "返済日は毎月27日ですね" in draft and "どちらの会社" not in draft
    assert "日付どおりにお知らせします" in draft  # said plainly: no lender, no holiday rule
    assert "設定しました" in saved and "どちらの会社" not in saved
    assert "毎月27日" in listed


def test_without_a_day_the_company_still_comes_first_for_its_own_days(talk):
    (asked,) = talk("返済日のお知らせを設定したい")
    assert "どちらの会社" in asked


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("半角ってどうやるの？iPhoneです", "ABC"),
        ("暗証番号、誕生日で試してもいい？", "おすすめしません"),
        ("カード番号わからないけど電話して大丈夫？", "電話で相談できます"),
        ("パスワードも送るよ？", "送らないでください"),
        ("リセットのメールが届かない", "迷惑メール"),
        ("電話するの怒られるかな", "よくあることです"),
        ("警察にも届けたほうがいい？", "受理番号"),
        ("ロックって信用情報に影響ある？", "返済の遅れとは別"),
        ("息子に聞いてみます", "身近な方"),
        ("家族にバレたくない", "お知らせが1件あります"),
        ("機種変して電話番号変わったんだけど", "古いほう"),
    ],
)
def test_a_question_in_passing_gets_its_answer(talk, said, expected):
    (answer,) = talk(said)
    assert expected in answer and "もしかして" not in answer


def test_a_question_in_passing_keeps_the_question_the_person_is_in(talk):
    question, answer = talk("ログインできない", "半角ってなに？")
    assert "ABC" in answer and texts.BACK_TO_QUESTION in answer
    assert question.split("\n")[0] in answer  # the same question again


def test_the_phone_hours_come_from_the_lenders_data(talk):
    (answer,) = talk("プロミスの電話って土曜もつながる？")
    assert "0120-24-0365" in answer


def test_a_login_problem_in_the_same_words_is_diagnosed_not_answered_with_a_tip(talk):
    (answer,) = talk("半角で打ってるのにログインできない")
    assert "ABC" not in answer


def test_every_question_pattern_compiles_and_has_an_answer():
    questions = load_questions(Path("bot/corpus/questions.toml"))
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        assert q.answer.strip() and q.asks
        assert all(isinstance(p, re.Pattern) for p in q.asks)


def test_a_day_told_then_corrected_is_fixed_in_the_record(talk):
    _, fixed, shown = talk("返済日は毎月27日。今は遅れてないよ", "あ、返済日27じゃなくて26だった", "記録の状態は？")
    assert texts.FACTS_FIXED in fixed and "毎月26日" in fixed
    assert "毎月26日" in shown and "毎月27日" not in shown


def test_a_repayment_made_after_a_late_one_settles_the_record(talk):
    _, paid, shown = talk("プロミスの返済、3日遅れてる", "今払ってきた！", "記録の状態は？")
    assert paid.startswith(texts.LATE_PAID) and "もしかして" not in paid
    assert "最近の返済の遅れ：なし" in shown


def test_keep_this_day_is_a_fact_to_record(talk):
    kept, shown = talk("返済日の25日だけ覚えて", "何が記録されてる？")
    assert texts.FACTS_KEPT in kept and "設定しますか" not in kept
    assert "毎月25日" in shown


def test_the_card_at_hand_in_a_list_of_facts_is_a_fact_not_a_login_problem(talk):
    (kept,) = talk("プロミス、返済日は毎月10日、カードは持ってる、延滞なし")
    assert texts.FACTS_KEPT in kept and "カードの紛失・盗難：なし" in kept
    assert "をお知らせします" not in kept  # not a reminder of the whole sentence


def test_asking_the_bot_to_keep_a_pin_is_declined_without_asking_the_company(talk):
    (said,) = talk("暗証番号も覚えといてくれない？すぐ忘れるから")
    assert "記録しません" in said and "どちらの会社" not in said


def test_a_request_for_the_record_at_a_draft_is_not_its_yes(talk):
    _, said = talk("毎月8日に返済のリマインダーお願い", "CSVでちょうだい")
    assert "設定しました" not in said and "どちらの会社" not in said


def test_a_company_corrected_in_words_is_only_the_switch(talk):
    _, switched = talk("レイクで借りてる。返済日は10日", "ごめん、レイクじゃなくてアコムだった")
    assert "アコム" in switched and texts.NOT_UNDERSTOOD not in switched


@pytest.mark.parametrize("said", ["今何が残ってる？", "覚えた？", "カードのことって入ってる？", "記録したこと見せて"])
def test_asking_what_is_kept_shows_the_record(talk, said):
    _, shown = talk("返済日は毎月3日、遅れなし", said)
    assert "毎月3日" in shown and "これまでに教えていただいた内容" in shown


@pytest.mark.parametrize("said", ["来週の月曜、昼休みにレイクに電話", "明日アコムに電話"])
def test_a_company_name_between_particles_is_not_a_spelled_number(said):
    from bot.core.safety.guard import looks_secret

    assert not looks_secret(said)


@pytest.mark.parametrize("said", ["ナナサンキュウゴ", "いち に さん よん"])
def test_a_number_spelled_in_one_script_is_still_a_secret(said):
    from bot.core.safety.guard import looks_secret

    assert looks_secret(said)


def test_the_list_asked_at_a_draft_says_the_draft_is_not_saved_yet(talk):
    _, said = talk("明日の10時にアイフルに電話するリマインダー", "リマインダー入った？")
    assert texts.DRAFT_NOT_SAVED in said and "この内容で設定しますか" in said


@pytest.mark.parametrize("said", ["てか今日寒くない？", "好きな食べ物なに？"])
def test_small_talk_is_told_what_the_bot_is_for_and_the_question_comes_back(talk, said):
    _, answer = talk("プロミスにログインできない", said)
    assert texts.OFF_TOPIC in answer and "0120" not in answer and texts.BACK_TO_QUESTION in answer


def test_a_question_about_money_no_rule_answers_says_whom_to_ask(talk):
    _, answer = talk("プロミスにログインできない", "ちなみに金利って普通どのくらい？")
    assert "確かなお答えができません" in answer and "0120-24-0365" in answer


def test_the_time_now_is_answered(talk):
    (answer,) = talk("今何時だっけ")
    assert answer.startswith("いまは、") and re.search(r"\d{1,2}月\d{1,2}日\(.\) \d{1,2}:\d{2}", answer)


def test_whose_day_said_first_is_still_the_day(talk):
    _, draft = talk("返済日のお知らせを設定したい", "私のは15日")
    assert "返済日は毎月15日" in draft


@pytest.mark.parametrize(
    ("first", "said", "expected"),
    [
        ("プロミスに入れない", "スペース空けるのは？", "ハイフン"),
        ("ログインできない", "何回間違えたらロックなの？", "数回"),
        ("プロミスがメンテナンス中って出る", "いつ終わるの？", "終わる時刻は、ここではわかりません"),
        ("モビットのロックかかった", "じゃあ残高は？", "このボットからは見られません"),
        ("ログインできない", "検索したら色々出てくるんだけど", "偽物"),
        ("プロミスのカードなくした", "カード番号わかんないけど電話して大丈夫？", "電話で相談できます"),
    ],
)
def test_a_question_in_the_middle_gets_its_answer(talk, first, said, expected):
    _, answer = talk(first, said)
    assert expected in answer and "もしかして" not in answer


def test_understood_at_the_menu_is_acknowledged_not_misread(talk):
    (answer,) = talk("わかった")
    assert texts.NOT_UNDERSTOOD_MENU not in answer and answer.startswith("はい。")


def test_understood_to_a_yes_no_question_is_left_to_that_question(talk):
    _, answer = talk("毎月25日に返済リマインダー", "了解")
    assert not answer.startswith("はい。ほかにも")


def test_an_unknown_company_with_a_page_that_will_not_open_is_a_login_problem(talk):
    (answer,) = talk("セントラルってとこで借りてる。マイページ入れない")
    assert "もしかして" not in answer and ("原因を探しましょう" in answer or "どちらの会社" in answer)


def test_taking_back_a_set_up_and_asking_something_else_drops_it_and_answers_that(talk):
    _, said, listed = talk(
        "明日の朝リマインダー", "いや、やっぱいいや。それよりアイフル入れない", "リマインダーって何も入ってないよね？"
    )
    assert texts.CANCELLED_SETUP in said and "原因を探しましょう" in said and "をお知らせします" not in said
    assert "設定中のお知らせはありません" in listed


def test_afraid_to_forget_the_repayment_day_is_a_reminder_request_not_a_late_payment(talk):
    (said,) = talk("毎月の返済日を忘れてしまうので、知らせていただけますか。返済日は毎月6日です")
    assert "返済日は毎月6日ですね" in said and "過ぎているとき" not in said


def test_sharing_the_bot_with_a_friend_is_a_yes(talk):
    (said,) = talk("このボット友達に教えてもいい？")
    assert said.startswith("はい、もちろんです")


def test_the_export_summary_shows_the_values_told(talk):
    _, said = talk("返済日は毎月3日、遅れなし", "CSVでちょうだい")
    assert "返済日：毎月3日" in said and "最近の返済の遅れ：なし" in said and "もしかして" not in said


def test_a_fact_spoken_of_as_a_thing_is_deleted_alone(talk):
    _, deleted, shown = talk("返済日は毎月15日、遅れなし", "遅れの話は消しといて", "今何が残ってる？")
    assert "「最近の返済の遅れ」の記録を消しました" in deleted
    assert "毎月15日" in shown and "返済の遅れ" not in shown.split("違っている")[0]


def test_the_day_told_beside_a_late_payment_is_kept(talk):
    _, shown = talk("レイクで借りてて返済日15日、先月1回遅れた", "今何が残ってる？")
    assert "毎月15日" in shown
