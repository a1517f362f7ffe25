"""What people say about their screen in the middle of a diagnosis: an error code, a blank screen,
「よくわかんない」: each answered, and the diagnosis goes on."""


def test_an_error_code_is_answered_and_the_diagnosis_goes_on(friday_talk):
    _start, answer = friday_talk("プロミスのアプリ開いたらなんかエラーでログインできない", "えーと、E-1234って出てる")
    assert "わかりません" in answer and "0120-24-0365" in answer
    assert "もしかして" not in answer
    assert "いちばん近いもの" in answer  # the question the person was at, asked again


def test_a_blank_screen_said_alone_gets_what_to_try_not_maintenance(friday_talk):
    _start, answer = friday_talk("レイクにログインできません", "何も出ない。真っ白")
    assert "再読み込み" in answer and "【メンテナンス中】" not in answer


def test_a_mind_gone_blank_is_not_a_screen(friday_talk):
    (answer,) = friday_talk("頭が真っ白でどうしたらいいかわからない")
    assert "再読み込み" not in answer


def test_not_knowing_at_the_first_question_goes_to_what_the_screen_shows(friday_talk):
    _start, answer = friday_talk("レイクにログインできません", "よくわかんない、なんか入れない")
    assert "何と表示されていますか" in answer


def test_a_suspension_read_on_the_page_is_no_fraud_and_goes_to_the_cause(friday_talk):
    (answer,) = friday_talk("アコムのページにログインしたら利用停止みたいなこと書いてある")
    assert "詐欺" not in answer and "もしかして" not in answer
    assert "利用停止" in answer


def test_a_page_sent_by_sms_that_asks_for_a_pin_is_still_fraud(friday_talk):
    (answer,) = friday_talk("SMSのページに暗証番号入力してって書いてある")
    assert "詐欺" in answer


def test_loading_that_never_ends_gets_what_to_try(friday_talk):
    _start, answer = friday_talk(
        "プロミスのやつ、なんべんやってもログインでけへんねん", "エラー？なんも出えへん、ぐるぐるしたまま止まる"
    )
    assert "再読み込み" in answer and "お答えできません" not in answer


def test_no_end_time_on_the_maintenance_notice(friday_talk):
    _start, answer = friday_talk(
        "レイクのアプリ開いたら「システムメンテナンスのお知らせ」って", "いつまでか書いてないんだけど"
    )
    assert "終わる時刻は、ここではわかりません" in answer


def test_no_at_a_question_without_a_no_is_heard_and_asked_again(friday_talk):
    _start, answer = friday_talk("プロミスにログインできません", "いいえ")
    assert answer.startswith("わかりました。") and "いちばん近いもの" in answer


def test_not_paid_yet_gets_the_lender_and_free_counselling(friday_talk):
    _start, answer = friday_talk("アコムで先月の返済遅れてて", "まだ払えてない")
    assert "0120-629-215" in answer and "0570-051-051" in answer and "もしかして" not in answer
