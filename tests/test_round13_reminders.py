"""Reminder turns of fresh conversations: the day itself only, a question that is no 「no」, 「1時間半後」,
「朝の」 at a choice of moments, one of several drafts moved, a day said again, the repayment asked for
with no day, and an answer to 「どちらの会社」 that says more."""

import pytest


@pytest.mark.parametrize(
    "turns",
    [
        ("毎月25日の返済リマインド、当日の朝8時でお願い",),
        ("毎月15日の返済リマインド入れて。当日朝8時",),
        ("毎月25日返済で前日教えて", "時間は…やっぱ当日の朝にして。8時"),
    ],
)
def test_on_the_day_only(friday_talk, turns):
    *_, answer = friday_talk(*turns)
    assert "返済日の当日、8:00にお知らせします" in answer and "日前と当日" not in answer


def test_on_the_day_only_is_listed_so(friday_talk):
    *_, listed = friday_talk("毎月25日の返済リマインド、当日の朝8時でお願い", "はい", "リマインダー")
    assert "毎月25日・当日 8:00" in listed and "次回 12月25日(金) 8:00" in listed


def test_the_day_of_a_one_off_draft_at_a_new_time(friday_talk):
    _draft, answer = friday_talk("明日の10時に病院って教えて", "当日の朝7時で")
    assert "12月5日(土) 7:00に「病院」" in answer


def test_a_question_at_a_draft_never_drops_it(friday_talk):
    *_, answer = friday_talk(
        "毎月20日の返済日当日の朝8時に通知して",
        "今月分はもう払ったから今月だけ通知いらない",
        "来月はちゃんと来るよね？",
    )
    assert "設定をやめました" not in answer and "2027年1月20日(水) 8:00" in answer


def test_an_hour_and_a_half_from_now(friday_talk):
    _draft, answer = friday_talk("1時間後にAさんにLINE返すって教えて", "やっぱ1時間半後で")
    assert "23:01に「AさんにLINE返す」" in answer  # 21:31 (the clock moves 30 s a reading) + 1.5 h


def test_morning_picks_the_offered_morning(friday_talk):
    _asked, answer = friday_talk("9時にATM行くって教えて", "朝の")
    assert "12月5日(土) 9:00に「ATM行く」" in answer


def test_one_of_several_drafts_moved(friday_talk):
    _drafts, answer, _saved, listed = friday_talk(
        "月曜の朝8時に病院、水曜の夜8時に電話って教えて", "病院のほう9時に変えて", "はい", "リマインダー"
    )
    assert "12月7日(月) 9:00「病院」" in answer and "12月9日(水) 20:00「電話」" in answer
    assert "病院 12月7日(月) 9:00" in listed and "電話 12月9日(水) 20:00" in listed


def test_a_due_day_said_again(friday_talk):
    (answer,) = friday_talk("毎月14日に返済…いや違う、24日だ")
    assert "返済日は毎月24日ですね" in answer


def test_the_repayment_asked_for_with_no_day_then_the_company_and_the_day(friday_talk):
    _asked, answer, lead = friday_talk(
        "来月の返済、忘れないようにして", "アイフル、日にちは…たしか毎月8日", "2日前でいいよ、時間はおまかせ"
    )
    assert "返済日は毎月8日ですね" in answer and "「" not in answer.split("返済日は毎月8日ですね")[0].split("\n")[-1]
    assert "返済日の2日前と当日" in lead


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        ("それはそうと明日8時に電話するって教えといて", "12月5日(土) 8:00に「電話する」"),
        ("リマインド：１２月１０日　１５：３０　振込", "12月10日(木) 15:30に「振込」"),
        ("今夜11時に明日の準備しろって言って", "12月4日(金) 23:00に「明日の準備しろ」"),
        ("明日10時に銀行いって", "12月5日(土) 10:00に「銀行行く」"),
    ],
)
def test_titles_without_the_request_and_its_lead_in(friday_talk, said, shown):
    (answer,) = friday_talk(said)
    assert shown in answer


def test_the_repayment_named_where_a_task_is_asked_starts_its_own_set_up(friday_talk):
    *_, answer = friday_talk("りまいんど", "へんさいび", "まいつき25")
    assert "返済日は毎月25日ですね" in answer and "保存していません" not in answer
