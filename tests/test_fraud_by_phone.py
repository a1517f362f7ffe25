"""A PIN asked for on the phone is warned about as a call (no link to speak of), and a question
about the set-up after the warning goes back to the set-up."""


def test_a_pin_asked_on_the_phone_gets_hang_up_and_call_back(friday_talk):
    (answer,) = friday_talk("さっきアコムから電話きて暗証番号聞かれたんだけど教えても大丈夫？")
    assert "電話を切って" in answer and "リンク" not in answer
    assert "0120-629-215" in answer


def test_a_pin_asked_by_sms_still_speaks_of_the_link(friday_talk):
    (answer,) = friday_talk("プロミスを名乗るSMSで暗証番号を入力してって来た")
    assert "リンクは開かず" in answer


def test_after_the_warning_the_set_up_is_asked_for_and_shown(friday_talk):
    *_, answer = friday_talk(
        "明日の10時に自動契約機行くからリマインドして",
        "あ、そういえばさっきアコムから電話きて暗証番号聞かれたんだけど教えても大丈夫？",
        "わかった。で、リマインダーは？",
    )
    assert "12月5日(土) 10:00" in answer and "設定しますか" in answer
    assert "本物かどうか" not in answer and "お答えできません" not in answer
