"""After a secret was hidden, 「消しといて」 and 「ダメなの？」 are about that message: nothing was kept."""


def test_a_lender_named_beside_a_member_number_gets_the_warning_and_no_guess(friday_talk):
    (answer,) = friday_talk("モビット使ってます。会員番号は12345678です")
    assert "12345678" not in answer and "もしかして" not in answer
    assert "保存していません" in answer


def test_delete_it_after_the_warning_says_nothing_was_kept(friday_talk):
    _warned, answer = friday_talk("モビット使ってます。会員番号は12345678です", "え、ダメなの？じゃあ消しといて")
    assert "保存していないので" in answer and "すべての記録を削除" not in answer


def test_everything_asked_to_be_deleted_after_it_is_still_asked_as_such(friday_talk):
    _warned, answer = friday_talk("暗証番号は1234です", "記録を全部消して")
    assert "保存していないので" not in answer
