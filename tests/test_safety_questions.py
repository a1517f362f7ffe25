"""Questions asked around a secret or a warning: where to keep a password, whether this bot is safe,
whether the line that stops a card answers at night, how to get in while a diagnosis asks. Real
service, real SQLite file, console chat.
"""

from __future__ import annotations

from bot.core.dialogue.faq import HOW_IN_LEAD


def test_asked_to_note_a_password_and_where_to_keep_it(friday_talk):
    noted, where = friday_talk("パスワード忘れないようにメモしといてくれない？abc12345", "じゃあどこに保管したらいいの")
    assert "このボットでは記録しません" in noted and "abc12345" not in noted and "お答えできません" not in noted
    assert "パスワード管理" in where and "お答えできません" not in where


def test_is_this_bot_safe_right_after_a_fake_account_warning(friday_talk):
    _, safe = friday_talk(
        "LINEで「プロミス公式」からログインしてって友だち追加がきた", "この会話のあなたは大丈夫なの？"
    )
    assert "公式サービスではなく" in safe and "お聞きすることはありません" in safe


def test_the_line_that_stops_a_card_at_night_after_a_phishing_entry(friday_talk):
    *_, night, fear = friday_talk(
        "「【アイフル】お支払いの確認が取れません。こちらから手続き http://aiful-kakunin.xyz」ってSMS来た",
        "もうリンク開いてカード番号と暗証番号入れちゃった",
        "夜だけど電話つながるかな",
        "怖い…",
    )
    assert night.startswith("カードを止める連絡は、下の紛失・盗難の窓口へ") and "紛失・盗難の連絡先" in night
    assert fear.startswith("怖いですよね。まず、下の番号に電話して")


def test_how_to_get_in_at_a_diagnosis_question_keeps_the_question(friday_talk):
    *_, how = friday_talk(
        "プロミスにログインできない、暗証番号1234で合ってるはずなんだけど",
        "え、大丈夫？今の保存されてる？",
        "じゃあどうしたらログインできる？",
    )
    assert how.startswith(HOW_IN_LEAD) and "お答えができません" not in how and "1234" not in how


def test_a_remark_at_a_result_is_heard_without_the_result_again(friday_talk):
    _, remark, calling = friday_talk(
        "暗証番号忘れました。アコムです", "カードの4桁のやつです。ATMで使うほう", "わかりました。じゃあ電話してみます"
    )
    assert remark.startswith("そうなんですね。上のご案内のとおり") and "【暗証番号を忘れた】" not in remark
    assert "【暗証番号を忘れた】" not in calling


def test_small_questions_around_a_diagnosis(friday_talk):
    *_, where = friday_talk("今からアイフルに電話しても大丈夫？ロックかかっちゃって", "どこに書いてあるの？")
    assert "カードの裏面" in where and "お答えができません" not in where
    *_, fault = friday_talk("ロックって、私なんか悪いことした？")
    assert fault.startswith("いいえ、あなたが悪いことをしたわけではありません")
    *_, code = friday_talk("解除したら届いた。コードここに入れる？")
    assert code.startswith("いいえ、ここには送らないでください")
    *_, phone = friday_talk("家族のスマホでログインしても大丈夫かな")
    assert "ログアウト" in phone
    *_, name = friday_talk("どこの会社かって？黄色っぽいカードのとこ…名前ど忘れした")
    assert "カードの表や裏" in name and "【カードの紛失・盗難】" not in name
