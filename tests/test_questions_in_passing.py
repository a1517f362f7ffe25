"""Questions asked in passing, in the middle of a conversation, are answered (not "cannot answer").

Each case runs the real service on a real SQLite file through the console chat (every lender served)
and checks the last answer as a person would see it: the entry's answer, in the person's own words; and
near misses (a reminder request, a login problem, a deletion) keep their own handling.
"""

from __future__ import annotations

import pytest

from bot.core.dialogue.faq import load_questions

CANNOT = ("確かなお答えができません", "お答えできません", "もしかして")

# (entry id, the turns, words of that entry's answer the last reply must hold)
ANSWERED = [
    ("lender_sees", ("プロミスにログインできない", "この会話プロミスに伝わる？"), "伝わることはありません"),
    ("why_hidden", ("アイフルのパスワード Aiful_2026! で入れないんだけど", "なんで隠すの"), "伏せて記録しない"),
    (
        "someone_else_logs_in",
        ("友達にプロミスのIDとパスワード教えてログインしてもらっていい？",),
        "ご家族や友人にも教えないで",
    ),
    (
        "secret_told_back",
        ("プロミスにログインできない", "電話したら暗証番号教えてもらえる？"),
        "このボットには、暗証番号",
    ),
    ("pin_choice", ("プロミスにログインできない", "暗証番号ってどんなのがいい？"), "推測されやすい番号"),
    (
        "pin_choice",
        ("暗証番号忘れがちだから、誕生日の0315にしようかな", "じゃあどんなのがいい？"),
        "推測されやすい番号",
    ),
    (
        "pin_memo",
        ("暗証番号忘れがちだから", "じゃあどんなのがいい？", "メモしとくのは？"),
        "カードと一緒に持ち歩いたり",
    ),
    ("pin_memo", ("プロミスにログインできない", "暗証番号メモしといてもいい？"), "カードと一緒に持ち歩いたり"),
    ("change_pin", ("プロミスにログインできない", "暗証番号変えたほうがいい？"), "変えておくと安心です"),
    (
        "upper_lower_case",
        ("プロミスのパスワード合ってるはずなのに弾かれる", "大文字小文字？気にしてなかった"),
        "大文字と小文字を別の文字",
    ),
    (
        "which_number",
        ("すみません、孫に教わってプロミスを入れたのですが、入れません", "どの番号を打てばよいのでしょうか"),
        "入力欄に書かれている名前",
    ),
    ("which_number", ("プロミスにログインできない", "会員番号ってどこに書いてある？"), "入力欄に書かれている名前"),
    (
        "member_number_unknown",
        ("モビットのカードなくしたかも", "カード手元にないけど電話していいの？", "会員番号もわからない"),
        "会員番号がわからなくても、電話で相談できます",
    ),
    (
        "biometrics_new_phone",
        ("モビットのアプリ、機種変したらログインできない", "前は指紋でログインしてた"),
        "スマホごとの設定",
    ),
    ("biometrics", ("プロミスにログインできない", "顔認証って使える？"), "スマホごとの設定"),
    ("other_device", ("プロミスにログインできない", "パソコンからでもログインできる？"), "アプリ以外から会員ページ"),
    (
        "app_separate",
        (
            "モビットの暗証番号わすれました",
            "ATMで使う4桁の方です。アプリのパスワードはわかります",
            "じゃあアプリは普通に使えるってこと？",
        ),
        "アプリに入れることがあります",
    ),
    ("real_app", ("アコムのアプリじゃなくて別の会社のアプリ入れてたっぽい", "正しいのどれ？"), "提供元（開発元）"),
    (
        "others_too",
        ("レイクのアプリ、「ただいまアクセスが集中しています」って出る", "他の人もなってるのかな"),
        "ほかの人も同じかどうかは",
    ),
    (
        "year_end",
        ("大晦日の昼にアコムの返済忘れないようにリマインドして", "13時", "年末って窓口とかやってるのかな"),
        "年末年始は、受付の時間",
    ),
    ("phone_hours", ("プロミスにログインできない", "土日もつながる？"), "問い合わせ先と受付時間"),
    (
        "call_then",
        ("アコムにログインしたら「ご利用を停止しております」って出た", "じゃあ電話すればいい？"),
        "電話して確かめるのが、いちばん確実",
    ),
    ("call_what_happens", ("プロミスのIDがそもそも分からない", "電話したらすぐ教えてくれる？"), "本人確認のあとで"),
    ("what_they_ask", ("プロミスにログインできない", "電話で何聞かれる？"), "困っていること"),
    ("call_when_late", ("プロミスにログインできない", "延滞してても電話していいの？"), "遅れているときこそ"),
    (
        "late_consequences",
        ("アコムで返済日25日、今月遅れそう、あとログインもできない", "ちなみに遅れたらブラックになる？"),
        "遅延損害金",
    ),
    ("late_consequences", ("プロミスにログインできない", "遅延損害金ってかかる？"), "信用情報に記録され"),
    ("screening", ("アコムの増額審査って通ると思う？",), "審査に通るかどうかは、アコムにしかわかりません"),
    (
        "repay_while_locked",
        ("プロミスにログインできない", "ログインできなくても返済できる？"),
        "ほかの方法で返済できることがあります",
    ),
    (
        "repay_at_a_login_problem",
        ("プロミスのアプリ開いたらメンテナンス中って出た", "明日返済日なんだけど大丈夫かな"),
        "ほかの方法で返済できることがあります",
    ),
    (
        "paid_or_not",
        ("セゾンのカードローン使ってる。返済日は4日", "今日だったよね？払ったっけ…"),
        "返済が済んでいるかどうかは",
    ),
    ("change_due_day", ("プロミスにログインできない", "返済日って変えられる？"), "契約の返済日を変えられるかは"),
    ("mail_home", ("プロミスにログインできない", "家に郵便とか来る？"), "郵便や電話が来るかどうかは"),
    (
        "suspension_why",
        ("アコムにログインしたら「ご利用を停止しております」って出た", "なんで？延滞はしてないはず"),
        "止められた理由は、アコムにしかわかりません",
    ),
    (
        "unlock_online",
        (
            "月曜の10時にアコムに電話するリマインド",
            "あ、ちょっと待って、その前にアコムのロック解除ってネットでできる？",
        ),
        "ネットでできるかどうかは",
    ),
    ("police_where", ("アイフルのカード盗まれた", "警察ってどこ行けば"), "交番か警察署"),
    (
        "health_insurance_card",
        ("日曜にプロミスの自動契約機行く", "何持っていけばいい？", "保険証でもいい？"),
        "2025年12月1日までに有効期限",
    ),
    (
        "no_licence",
        ("アコムのむじんくん行くのリマインドして。月曜の仕事帰り", "免許証ないんだけど大丈夫？"),
        "運転免許証のほかにも",
    ),
    ("id_copy", ("日曜にプロミスの自動契約機行く", "コピーでもいい？"), "原本（実物）"),
    ("hold_on", ("アコムで毎月27日返済のリマインド作りたい", "あ、電話きた、ちょっと待ってて"), "急がなくて大丈夫"),
    ("balance", ("プロミス、返済日15日って覚えて", "返済額っていくらだっけ？"), "返済額などのご利用の状況"),
    (
        "reinstall_app",
        (
            "プロミスのアプリだとログインできないけどブラウザだとできる",
            "再インストールしても大丈夫？消えるデータとかある？",
        ),
        "入れ直す前に",
    ),
    ("contact_changed", ("プロミスにログインできない", "登録の変更ってどうやるの？"), "登録の変更は"),
    (
        "where_kept",
        ("アコム、返済日は毎月15日、カードは手元にある", "これってどこに保存されてるの？"),
        "このボットのサーバーに保存",
    ),
]

# Entries added for the questions above: each has at least one case.
ADDED = {
    "lender_sees",
    "why_hidden",
    "someone_else_logs_in",
    "secret_told_back",
    "pin_choice",
    "pin_memo",
    "change_pin",
    "upper_lower_case",
    "which_number",
    "member_number_unknown",
    "biometrics_new_phone",
    "biometrics",
    "other_device",
    "app_separate",
    "real_app",
    "others_too",
    "year_end",
    "call_then",
    "call_what_happens",
    "what_they_ask",
    "call_when_late",
    "late_consequences",
    "screening",
    "repay_while_locked",
    "repay_at_a_login_problem",
    "paid_or_not",
    "change_due_day",
    "mail_home",
    "suspension_why",
    "unlock_online",
    "police_where",
    "health_insurance_card",
    "no_licence",
    "id_copy",
}


@pytest.fixture
def talk(chat_turns):
    return chat_turns()


@pytest.mark.parametrize(("entry", "turns", "expected"), ANSWERED, ids=[f"{c[0]}-{i}" for i, c in enumerate(ANSWERED)])
def test_a_question_asked_in_passing_gets_its_answer(talk, entry, turns, expected):
    answer = talk(*turns)[-1]
    assert expected in answer, entry
    assert not any(word in answer for word in CANNOT), entry


def test_every_added_entry_exists_and_has_a_case():
    ids = {q.id for q in load_questions()}
    assert ADDED <= ids
    assert ADDED <= {case[0] for case in ANSWERED}


def test_the_question_waiting_comes_back_after_the_answer(talk):
    answers = talk(
        "月曜の10時にアコムに電話するリマインド",
        "あ、ちょっと待って、その前にアコムのロック解除ってネットでできる？",
        "はい",
    )
    assert "12月14日(月) 10:00" in answers[1]
    assert "設定しました" in answers[2]


def test_a_question_at_an_urgent_result_keeps_the_result(talk):
    answers = talk("アイフルのカード盗まれた", "警察ってどこ行けば")
    assert "交番か警察署" in answers[1] and "【カードの紛失・盗難】" in answers[1]


def test_a_question_at_a_result_is_answered_with_its_buttons_not_the_result_twice(talk):
    answers = talk("SMBCモビットのアプリ開いたら「ロックされています」って出た", "どのくらいで解除される？")
    assert "確かなお答えができません" in answers[1] and "まだ解決しない" in answers[1]
    assert "【セキュリティロック】" not in answers[1]


def test_an_answer_with_the_lenders_contact_names_the_lender(talk):
    answers = talk("プロミスにログインできない", "じゃあ電話すればいい？")
    assert "0120-24-0365" in answers[1]


# (turns, words of an added answer the last reply must NOT hold)
NEAR_MISSES = [
    (("大晦日に電話するリマインド",), "年末年始は、受付の時間"),
    (("明日の10時にプロミスに電話するリマインド",), "いちばん確実です"),
    (("返済日を26日に変えて",), "契約の返済日を変えられるかは"),
    (("今日中に払えないとどうなる？",), "遅延損害金"),
    (("今月返済遅れそう",), "遅延損害金"),
    (("息子に聞いてみる",), "おすすめしません"),
    (("話が伝わらない",), "伝わることはありません"),
    (("保険証なくした",), "有効期限"),
    (("アイフルのカード盗まれた", "警察に届けた"), "交番か警察署"),
    (("アコムのアプリ、指紋認証失敗してパスワードも間違えてロックされた",), "スマホごとの設定"),
    (("プロミスから電話きた",), "急がなくて大丈夫"),
    (("暗証番号教えてくれって電話が来た",), "このボットには、暗証番号"),
    (("プロミスにログインできない", "パスワード間違えすぎたっぽい"), "大文字と小文字"),
    (("記録を全部消して",), "消えることがあります"),
    (("プロミスにログインできない", "じゃあどこに電話すればいい"), "電話して確かめるのが、いちばん確実"),
    (("プロミスのカードなくした", "会員番号もわからないし暗証番号も忘れた"), "入力欄に書かれている名前"),
]


@pytest.mark.parametrize(("turns", "absent"), NEAR_MISSES, ids=[c[0][-1] for c in NEAR_MISSES])
def test_a_near_miss_keeps_its_own_handling(talk, turns, absent):
    answer = talk(*turns)[-1]
    assert absent not in answer


def test_a_reminder_request_on_new_years_eve_is_still_a_reminder(talk):
    (answer,) = talk("大晦日に電話するリマインド")
    assert "12月31日" in answer and "お知らせします" in answer


def test_a_plain_hold_on_is_still_heard(talk):
    answers = talk("月曜の10時にアコムに電話するリマインド", "ちょっと待って")
    assert "急がなくて大丈夫" in answers[1]


def test_a_lock_after_a_failed_fingerprint_is_still_diagnosed(talk):
    (answer,) = talk("アコムのアプリ、指紋認証失敗してパスワードも間違えてロックされた")
    assert "ロック" in answer and "スマホごとの設定" not in answer
