"""Diagnosis turns of fresh conversations: a fix that did not hold, a pasted password, one more try,
the card not at hand (not lost)."""


def test_unlocked_yesterday_and_locked_again_is_not_solved(friday_talk):
    (answer,) = friday_talk("アイフルのロック、昨日電話して解除してもらったのにまたロックされた")
    assert "よかったです" not in answer and "アイフル" in answer


def test_a_pasted_password_gets_the_spaces_tip(friday_talk):
    (answer,) = friday_talk("レイクの会員ページ、パスワードをメモアプリからコピペしてるのに弾かれる")
    assert "スペース" in answer and "【暗証番号を忘れた】" not in answer


def test_one_more_try_is_advised_against(friday_talk):
    _first, answer = friday_talk("プロミスのパスワード4回間違えた", "あと1回だけ試してみていい？")
    assert "あと1回でロックされることもあります" in answer


def test_a_card_not_at_hand_is_not_a_lost_card(friday_talk):
    _first, answer = friday_talk("アコムのロックかかった", "カード今手元にない")
    assert "【カードの紛失・盗難】" not in answer and "0120-629-215" in answer
