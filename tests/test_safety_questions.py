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


def test_where_to_check_a_number_after_it_was_hidden(friday_talk):
    _, where = friday_talk("カード番号って 4980 1234 5678 9012 で合ってるかな", "どこで確認すればいい？")
    assert "カードの表" in where and "お答えできません" not in where and "4980" not in where


def test_what_follows_a_phishing_entry_and_a_lost_card(friday_talk):
    *_, now_what = friday_talk(
        "ログインしようとして検索で出てきたレイクのページ、URLがなんか変", "もうID とパスワード入れちゃった", "どうしよ"
    )
    assert now_what.startswith("怖いですよね") and "もしかして" not in now_what
    _, repay, both = friday_talk(
        "アイフルのカード落とした",
        "あ、それとカード止めたら今借りてる分の返済ってどうなるの？",
        "じゃあ止める。あと明日の朝9時に警察行くってリマインド",
    )
    assert "返済はなくなりません" in repay
    assert "12月5日(土) 9:00に「警察行く」" in both and "設定中のお知らせはありません" not in both


def test_how_reminders_arrive_and_a_quoted_task(friday_talk):
    how, quoted, worry = friday_talk(
        "リマインドってどうやって届くの？LINEで来る？",
        "じゃあ試しに明日の朝8時に「ゴミ」",
        "ちゃんと来なかったら困るんだけど",
    )
    assert "個別のトーク" in how and "お答えできません" not in how
    assert "12月5日(土) 8:00に「ゴミ」" in quoted
    assert "個別のトーク" in worry and "12月5日(土) 8:00に「ゴミ」" in worry


def test_small_questions_at_a_result_and_a_sudden_failure(friday_talk):
    *_, mind = friday_talk(
        "暗証番号忘れちゃってアコムのページ入れない", "カードは手元にある", "ありがとう、ほかに気をつけることある？"
    )
    assert "気をつけることは、3つです" in mind


def test_a_hyphen_not_ok_at_the_format_result(friday_talk):
    _, hyphen = friday_talk("モビットのログインでIDにハイフン入れてる", "あ、ダメなの？")
    assert hyphen.startswith("はい。ハイフン") and "お答えができません" not in hyphen


def test_a_sudden_failure_said_at_a_diagnosis_question(friday_talk):
    *_, sudden = friday_talk(
        "プロミス入れない", "わからん、なんか急に", "昨日まで普通に入れてたし、パスワードも変えてない"
    )
    assert "メンテナンス" in sudden and "もしかして" not in sudden
