"""Questions about the calendar and the next notice, answered in the middle of a set-up, which stays."""

from datetime import date

import pytest

from bot.core.dates.calendar_asked import calendar_answer

FRIDAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("今月の12日って土曜？", "はい、12月12日(土)です。"),
        ("今月って5日土曜じゃない？", "はい、12月5日(土)です。"),
        ("10日って日曜だっけ", "いいえ、12月10日(木)です。"),
        ("明後日って何日？", "明後日は12月6日(日)です。"),
        ("25日って何曜日？", "12月25日(金)です。"),
        ("1月1日って祝日？", "はい、2027年1月1日(金)は元日です。"),
        ("3日って何曜？", "2027年1月3日(日)です。"),  # the coming 3rd
    ],
)
def test_calendar_questions(text, answer):
    assert calendar_answer(text, FRIDAY) == answer


def test_that_day_is_the_drafts_day():
    assert calendar_answer("ありがと、それ日曜だよね？", FRIDAY, date(2026, 12, 6)) == "はい、12月6日(日)です。"


@pytest.mark.parametrize("text", ["12日に返済", "明日の10時に電話", "土曜日に行く"])
def test_not_a_calendar_question(text):
    assert calendar_answer(text, FRIDAY) is None


def test_a_calendar_question_at_a_draft_keeps_the_draft(friday_talk):
    _draft, answer = friday_talk("明後日の１８：００に振込って教えて", "ありがと、それ日曜だよね？")
    assert answer.startswith("はい、12月6日(日)です。")
    assert "この内容で設定しますか" in answer and "お答えできません" not in answer


def test_the_next_notice_asked_at_a_draft_and_after_saving_agree(friday_talk):
    _draft, at_draft, _saved, listed = friday_talk(
        "毎月12日返済、3日前の20時に教えて", "一番近い通知いつ？", "はい", "次の通知いつ？"
    )
    assert "次のお知らせ：12月9日(水) 20:00" in at_draft
    # Planned by the rule the confirmation said (the lender not known: the date as it is).
    assert "次回 12月9日(水) 20:00" in listed
