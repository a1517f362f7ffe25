"""A change said with its value while no reminder is set is the request it describes."""


def test_new_due_day_and_lead_with_no_reminder_is_a_repayment_draft(friday_talk):
    (answer,) = friday_talk("アコムで返済日を10日に変えたい。あとリマインダーも5日前に")
    assert "毎月10日" in answer and "5日前" in answer and "設定中のお知らせはありません" not in answer


def test_a_change_asked_with_no_value_and_none_set_says_there_is_none(friday_talk):
    (answer,) = friday_talk("リマインダーを変えたい")
    assert "設定中のお知らせはありません" in answer
