"""At a weekly draft's confirmation: a day added in words, and 「もうちょい早く」 asked about."""

import pytest


@pytest.mark.parametrize("said", ["水曜も追加で", "水曜もお願い", "やっぱ水曜も", "水曜を追加して"])
def test_a_day_added_keeps_the_days_and_the_time(friday_talk, said):
    _draft, answer = friday_talk("毎週月曜の20時にジムってリマインドして", said)
    assert "毎週月・水曜 20:00に「ジム」" in answer


def test_a_day_taken_out_is_still_taken_out(friday_talk):
    _draft, answer = friday_talk("毎週月水金の7時に散歩って教えて", "金曜はなしで")
    assert "毎週月・水曜 7:00に「散歩」" in answer


@pytest.mark.parametrize("said", ["もうちょい早く", "少し遅めがいいかな", "もうちょっと早くできる？"])
def test_earlier_by_no_amount_asks_the_time_and_keeps_the_draft(friday_talk, said):
    _draft, asked, answer = friday_talk("毎週月曜の20時にジムってリマインドして", said, "19時半")
    assert "何時" in asked and "メニュー" not in asked
    assert "毎週月曜 19:30に「ジム」" in answer


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        ("やっぱ5日前じゃなくて2日前にして", "返済日の2日前と当日、9:00"),
        ("2日前にして", "返済日の2日前と当日、9:00"),
        ("時間はぜんぶ朝7時", "返済日の5日前と当日、7:00"),
    ],
)
def test_a_repayment_drafts_lead_and_time_said_in_other_words(friday_talk, said, shown):
    _draft, answer = friday_talk("プロミスの返済日10日、5日前に教えてほしい", said)
    assert shown in answer


def test_a_value_said_instead_of_a_word(friday_talk):
    _draft, answer = friday_talk("来週の金曜の夜に飲み会の会費払うって教えて", "夜っていうか18時")
    assert "12月11日(金) 18:00" in answer


def test_two_days_before_moves_a_one_off_draft(friday_talk):
    _draft, answer = friday_talk("12月20日の10時に旅行って教えて", "2日前にして")
    assert "12月18日(金) 10:00に「旅行」" in answer
