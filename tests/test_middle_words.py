"""Words people use in the middle of a conversation that used to get 「読み取れませんでした」 or a guess.

Real service, real SQLite file, through the console chat, every lender served.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bot.core.dialogue import texts


@pytest.fixture
def talk(chat_turns):
    """Send turns in order to one fresh user; returns each turn's rendered answer."""
    return chat_turns()


def _clear(answer: str) -> bool:
    return texts.NOT_UNDERSTOOD not in answer and texts.NOT_UNDERSTOOD_MENU not in answer and "もしかして" not in answer


def test_a_kansai_cant_get_in_starts_the_diagnosis(talk):
    (said,) = talk("プロミスのマイページ入られへんねん")
    assert "原因を探しましょう" in said


def test_show_me_alone_shows_the_record(talk):
    _, shown = talk("返済日は毎月3日、遅れなし", "見せて")
    assert "これまでに教えていただいた内容" in shown and "毎月3日" in shown


def test_a_crying_face_at_a_question_is_heard_and_the_question_stays(talk):
    _, said = talk("レイク入れない", "😭")
    assert _clear(said) and texts.HEARD_FEAR in said and "原因を探しましょう" in said


@pytest.mark.parametrize("remark", ["お腹すいた〜", "うちの猫がかわいい"])
def test_a_remark_about_something_else_gets_a_word_back(talk, remark):
    (said,) = talk(remark)
    assert _clear(said) and said.startswith(texts.REMARK_HEARD)


def test_a_remark_in_a_question_keeps_the_question(talk):
    question, said = talk("ログインできない", "お腹すいた〜")
    assert said.startswith(texts.REMARK_HEARD) and question.split("\n")[0] in said


def test_a_vague_answer_takes_the_questions_dont_know(talk):
    _, said = talk("ログインできない", "なんかダメ")
    assert _clear(said) and "原因を探しましょう" not in said  # moved on to the next question


def test_the_earlier_one_was_wrong_corrects_the_day(talk):
    _, fixed = talk("返済日は毎月9日", "さっきの間違い、19日")
    assert "返済日は毎月19日ですね" in fixed


def test_a_reminder_for_tonight_is_not_a_due_date_today(talk):
    (said,) = talk("今日の20時にアコムの返済リマインドして")
    assert "今日が返済日ですね" not in said


def test_a_request_with_only_a_count_asks_what_to_remind(talk):
    _, asked, drafted = talk(
        "モビットのログイン、IDが違うって出る", "あ、その前に明日の9時にリマインダー1個", "ゴミ出し"
    )
    assert "何をお知らせしますか" in asked and "リマインダー1個" not in asked
    assert "「ゴミ出し」をお知らせします" in drafted


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("プロミスで返済日25日", "会社まちがえた、アコムだった"), "アコムですね。"),
        (("プロミスで延滞してる", "それってどこに電話すればいい？"), "0120-24-0365"),
        (("レイクのカードなくした", "いや、なくしたんじゃなくて家に忘れただけ"), "カードが見つかってよかった"),
        (("プロミスの暗証番号忘れた", "じゃあ再設定する。何がいる？"), "本人確認書類"),
        (("ログインできない", "何回か試しちゃったけど大丈夫？"), "続けて試さないで"),
        (("プロミスのロックかかった", "解除まで何日かかる？"), "確かなお答えができません"),
        (("返済日は毎月3日、遅れなし", "何も残ってない？"), "これまでに教えていただいた内容"),
    ],
)
def test_words_in_the_middle_land(talk, turns, expected):
    *_, said = talk(*turns)
    assert expected in said and _clear(said)


@pytest.mark.parametrize(
    "said",
    [
        "ログインはできるけど借入できないって表示される",
        "アイフル 何回やってもダメ",
        "プロミスとアコム両方借りてて、アコムの方だけ入れない",
    ],
)
def test_plain_words_of_what_happens_are_not_guessed_at(talk, said):
    (answer,) = talk(said)
    assert "もしかして" not in answer


def test_the_last_one_set_is_the_one_named(talk):
    *_, said = talk("明日10時に電話", "はい", "日曜20時 家計簿", "はい", "最後に入れたの消して")
    assert "家計簿" in said and "取り消しますか" in said


@pytest.mark.parametrize(
    "said", ["オリックスのカードローンなんだけどマイページ入れない", "セントラルってとこで借りてる。マイページ入れない"]
)
def test_a_company_we_have_no_data_for_gets_the_general_advice_without_the_company_question(talk, said):
    (answer,) = talk(said)
    assert "ほかの会社ですね" in answer and "どちらの会社" not in answer


@pytest.mark.parametrize(
    "said", ["スマホのアプリが開かない", "カードのロックがかかった", "アプリのカード番号がわからない"]
)
def test_common_words_before_の_are_not_a_company(said):
    from bot.core.lenders.heard import names_another_company

    assert not names_another_company(said)


@pytest.mark.parametrize("said", ["当日だけでいい", "いや、やっぱ当日だけ"])
def test_only_on_the_day_is_a_reminder_on_the_day_alone(chat_turns, said):
    talk = chat_turns("promise")
    _, answer = talk("毎月25日に返済リマインダー", said)
    assert "返済日の当日、9:00にお知らせします" in answer and "日前" not in answer and _clear(answer)


@pytest.mark.parametrize(
    ("first", "fix", "expected"),
    [
        (
            "毎週水曜の夜7時にリマインド、内容は「返済用にお金よける」",
            "曜日まちがえた、木曜だった",
            "毎週木曜 19:00に「返済用にお金よける」",
        ),
        ("来週の月曜の9時に銀行に行くってリマインドして", "お昼休みの12時半", "12:30に「銀行に行く」"),
    ],
)
def test_a_draft_corrected_in_words_keeps_the_rest(chat_turns, first, fix, expected):
    talk = chat_turns("promise")
    _, fixed = talk(first, fix)
    assert expected in fixed and _clear(fixed)


def test_a_draft_moved_a_day_later_in_words(chat_turns):
    talk = chat_turns("promise")
    draft, moved = talk("月曜の10時にレイクに電話ってリマインドして", "1日後ろにずらして")
    day = re.search(r"(\d+)月(\d+)日", draft)
    after = re.search(r"(\d+)月(\d+)日", moved)
    assert day and after and "10:00" in moved and _clear(moved)
    first = date(2026, int(day[1]), int(day[2]))
    assert date(2026 + (int(after[1]) < int(day[1])), int(after[1]), int(after[2])) - first == timedelta(days=1)


def test_no_day_decided_yet_keeps_the_question_for_when_it_is(chat_turns):
    talk = chat_turns("promise")
    _, said, drafted = talk("自動契約機にいく予定、リマインドしたい", "まだ日にち決めてない", "じゃあ来週の水曜")
    assert said.startswith(texts.WHEN_UNDECIDED) and "いつ行く予定" in said
    assert "自動契約機へ行く予定ですね" in drafted


def test_saving_again_right_after_a_save_says_it_is_set(chat_turns):
    talk = chat_turns("promise")
    *_, said = talk("毎月31日に返済", "はい", "はい、設定する")
    assert said.startswith(texts.ALREADY_SAVED) and _clear(said)
