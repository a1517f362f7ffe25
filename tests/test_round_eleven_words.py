"""Words seen from people who had never used the bot: reminder texts without the request in them,
signs (👍 🙏) as answers, what is kept asked in other words, 「りょ」 and 「かけてみる」 at a result,
the official site's own messages (no fraud), a time corrected in kana."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.dates.jptime import When, parse_when
from bot.core.dialogue.signs import as_words
from bot.core.safety.fraud import is_fraud

NOW = datetime(2026, 12, 4, 21, 30, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def talk(chat_turns):
    return chat_turns()


@pytest.mark.parametrize(
    ("said", "title"),
    [
        ("今日の23時に風呂掃除ってリマインダー入れて", "風呂掃除"),
        ("明日の昼すぎに銀行行くの思い出させてくれへん?", "銀行行く"),
        ("明日7時に薬のリマインダー入れて", "薬"),
        ("年明けの4日に仕事始めの準備ってリマインドできる?何時かはまだ決めてない", "仕事始めの準備"),
        ("アイフルの営業時間、明日の朝9時に調べるってリマインドしといて", "アイフルの営業時間、調べる"),
        ("そういえば明日7時に起こして", "起きる時間です"),
        ("それより、月曜の8時にリマインダー入れて。ゴミ出し", "ゴミ出し"),
        ("明日の15時に歯医者ってリマインダー入れて", "歯医者"),
    ],
)
def test_the_request_is_not_the_title(said, title):
    when = parse_when(said, NOW)
    assert isinstance(when, When) and when.rest == title


@pytest.mark.parametrize(
    ("said", "hour", "minute"), [("明日の朝7じはんにおこしてー", 7, 30), ("りまいんだ あした 8じ いや9じ じむ", 9, 0)]
)
def test_times_in_kana(said, hour, minute):
    when = parse_when(said, NOW)
    assert isinstance(when, When) and when.at is not None and (when.at.hour, when.at.minute) == (hour, minute)


def test_a_reminder_for_nothing_but_a_time_asks_what():
    when = parse_when("来週月曜の9時にリマインダー作りたい", NOW)
    assert isinstance(when, When) and when.rest == ""


@pytest.mark.parametrize(
    ("sign", "waiting", "words"),
    [
        ("👍", True, "はい"),
        ("🙆‍♀️", True, "はい"),
        ("🙏", False, "ありがとう"),
        ("🙏", True, "お願いします"),
        ("😭", False, "😭"),
    ],
)
def test_signs_as_words(sign, waiting, words):
    assert as_words(sign, waiting) == words


def test_a_thumbs_up_saves_a_draft(talk):
    _, saved = talk("日曜の10時に実家に電話って入れて", "👍")
    assert "設定しました" in saved


def test_a_prayer_after_an_answer_is_thanks(talk):
    _, said = talk("モビットで何回か間違えたら入れなくなった", "🙏")
    assert "読み取れません" not in said and "どういたしまして" in said


@pytest.mark.parametrize("said", ["わかった かけてみる", "じゃあまとめて電話する", "めんどくさ…でもやるか", "りょ"])
def test_a_step_to_be_done_at_a_result_is_acknowledged(talk, said):
    _, answer = talk("アコムでロックかかった", said)
    assert "承知しました" in answer and "そうなんですね" not in answer


def test_ok_then_that_is_a_yes(talk):
    _, saved = talk("毎週木曜の18時に塾のお迎え", "OK、じゃあリマインダーそれで")
    assert "設定しました" in saved


@pytest.mark.parametrize("asked", ["前に言ったこと覚えてる?", "覚えてるやつ見せて", "わたしのこと今なにか残ってる?"])
def test_what_is_kept_in_other_words(talk, asked):
    (said,) = talk(asked)
    assert "まだ何も教えていただいていません" in said


def test_delete_all_that_is_remembered(talk):
    _, said = talk("レイク、返済日8日", "覚えてるの全消しで")
    assert "削除してよろしいですか" in said


def test_the_official_sites_maintenance_message_is_no_fraud(talk):
    assert not is_fraud("プロミスのサイト開いたら「ただいまメンテナンス中」って出てる")
    assert is_fraud("SMSのリンク開いちゃった")
    _, when = talk("プロミスのサイト開いたら「ただいまメンテナンス中」って出てる", "何時に終わるん")
    assert "メンテナンスが終わる時刻" in when


def test_a_record_named_as_a_thing_with_already(talk):
    _, _, said = talk("プロミスのカード落とした", "見つかった!ソファの下にあった", "カードなくした件はもう消しといて")
    assert "「カードの紛失・盗難」の記録を消しました" in said


@pytest.mark.parametrize(
    ("asked", "answer"),
    [
        ("法テラスって何", "0570-078374"),
        ("借金ってどうにかなるの?", "債務整理"),
        ("営業日ってなに", "土日・祝日"),
        ("延滞ってなに？", "返済日までに"),
        ("自動契約機ってなに？", "無人の機械"),
        ("消したら戻せる?", "元に戻せません"),
        ("このチャットって保存されるの?", "記録を消す"),
        ("電話苦手なんですけど", "メモ"),
        ("取り立ての電話無視したらどうなる?", "連絡して"),
    ],
)
def test_questions_asked_in_passing(talk, asked, answer):
    (said,) = talk(asked)
    assert answer in said and "確かなお答え" not in said and "お答えできません" not in said


def test_a_day_corrected_without_its_kanji(talk):
    _, said = talk("アコムで借りてて、返済日は毎月27日です", "返済日27じゃなくて26だった")
    assert "毎月26日" in said


def test_what_is_kept_asked_in_dialect_and_as_a_list(talk):
    _, listed = talk("アイフル、返済日10日", "覚えてること、まとめて出せる?")
    assert "返済日：毎月10日" in listed
    _, kansai = talk("わいモビットやねん、返済は毎月10日、まだ遅れたことはないで", "覚えとるやつ言うてみ")
    assert "最近の返済の遅れ：なし" in kansai


def test_a_fact_forgotten_at_a_draft_goes_with_the_draft(talk):
    _, said = talk("返済日は毎月15日、アコム", "やっぱ返済日のことは忘れて")
    assert "「返済日」の記録を消しました" in said


def test_a_late_payment_last_month_is_kept_at_a_draft(talk):
    _, said, shown = talk("アコム、返済日は毎月27日", "先月少し遅れた", "状況見せて")
    assert said.startswith("わかりました。そのことも記録しておきます。") and "最近の返済の遅れ：あり" in shown


def test_paid_off_at_a_draft_drops_it_gladly(talk):
    _, said, listed = talk(
        "アコムの返済日リマインド、毎月27日で3日前に入れて",
        "あ、実はアコムもう完済したんだった。さっきのいらない",
        "リマインダー",
    )
    assert "完済、おめでとうございます" in said and "設定しておきました" not in said
    assert "設定中のお知らせはありません" in listed


def test_a_company_said_by_mistake_is_taken_back(talk):
    _, said = talk("アイフルで借りてます", "あ、アイフルって言ったけどアコムの間違い")
    assert said.startswith("アコムですね")


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("生年月日入れるとこで弾かれるんやけど", "どちらの会社"),  # a format problem: its result, for the company
        ("アコムのログインIDがわからん", "IDがわからないとき"),
        ("アイフルのログインで認証コードのSMSが来ない", "拒否設定"),
        ("アイフルのアプリが起動してすぐ落ちる", "再起動"),
        ("警察って110でいいの?", "#9110"),
    ],
)
def test_login_troubles_in_other_words(talk, said, answer):
    (reply,) = talk(said)
    assert answer in reply and "読み取れません" not in reply


def test_a_fact_at_a_result_is_no_denial(talk):
    _, _, said = talk("アイフルにログインできない", "何回か間違えた", "延滞はしてないはず")
    assert "ここまでの方法では解決しなかった" not in said


@pytest.mark.parametrize("yes", ["いいよ", "いいと思う", "いいね", "保存で", "完璧"])
def test_agreement_in_other_words_saves_the_draft(talk, yes):
    _, saved = talk("明日10時に歯医者", yes)
    assert "設定しました" in saved


def test_never_mind_still_drops_the_draft(talk):
    _, said = talk("明日10時に歯医者", "やっぱいいや")
    assert "設定をやめました" in said


def test_an_hour_before_too(talk):
    _, said = talk("明日16時に歯医者", "1時間前にも")
    assert "「1時間後：歯医者」" in said and "「歯医者」" in said


def test_sleepy_after_an_overdose_hears_119(talk):
    _, said = talk("薬いっぱい飲んじゃった", "眠いだけ")
    assert "119番" in said


def test_a_call_to_a_help_line_after_words_of_crisis_is_thanked(talk):
    _, said = talk("死にたい", "電話してみる")
    assert said.startswith("電話してくださるのですね") and "どちらの会社" not in said


def test_months_unpaid_read_as_late():
    from bot.core.situation.statements import stated_facts
    from bot.core.understanding.textnorm import normalize

    assert stated_facts(normalize("もう2ヶ月払えてない")) == {"overdue": True}


def test_back_and_go_on_returns_to_the_task(talk):
    _, _, said = talk("カード落とした", "ちょっと待って", "戻った、続き")
    assert "カードの紛失・盗難" in said and "何をお手伝いしましょうか" not in said


@pytest.mark.parametrize(
    ("turns", "answer"),
    [
        (("てか今何時？",), "いまは、"),
        (("ここに書いた情報って会社の人に見られたりする？",), "伝わることはありません"),
        (("明日10時に歯医者", "はい", "保存できた？"), "設定中のお知らせが1件"),
        (("全部消して", "削除する", "ほんとに消えた？"), "まだ何も教えていただいていません"),
    ],
)
def test_asked_in_passing_later_words(talk, turns, answer):
    assert answer in talk(*turns)[-1]


def test_laughter_is_no_english(talk):
    (said,) = talk("ｗｗｗｗｗ")
    assert "Japanese" not in said


def test_a_question_about_a_fix_is_not_a_fix(talk):
    _, _, said = talk("アコムでロック", "電話した", "ちゃんと直った？")
    assert "ログインできてよかった" not in said


@pytest.mark.parametrize(
    ("said", "parts"),
    [
        ("明日9時に歯医者、あと日曜の夕方6時に実家に電話、二つお願い", ["「歯医者」", "「実家に電話」"]),
        ("明日の朝7時のやつ作って。内容は「ゴミ」", ["7:00に「ゴミ」"]),
        ("毎晩11時に「スマホ置いて寝ろ」って言って", ["「スマホ置いて寝ろ」をお知らせします"]),
    ],
)
def test_reminders_said_in_other_ways(talk, said, parts):
    (answer,) = talk(said)
    assert all(p in answer for p in parts)


@pytest.mark.parametrize(
    ("turns", "answer"),
    [
        (("アコムのログインできない", "スマホのキーボードで普通に数字うってる。なんか数字の幅ひろい気がする"), "半角"),
        (("アイフルでロックされた", "了解、明日の朝かけてみる"), "承知しました"),
        (("アコムのアプリに入れない", "もう払ったんだけどまだ止まってる"), "時間がかかる"),
        (("プロミスがメンテ中", "急ぎで返済したいんだけど"), "ATMや銀行振込"),
        (("Wi-Fiないしギガないんだよ〜",), "通信量"),
        (("プロミスのカード、洗濯機で洗っちゃって曲がってる",), "再発行"),
        (("ログイン画面でメアド入れろって言われるけど、どのメアドで登録したか忘れた",), "メールアドレスがわからない"),
    ],
)
def test_login_side_questions_from_new_users(talk, turns, answer):
    assert answer in talk(*turns)[-1]


@pytest.mark.parametrize(
    ("turns", "answer"),
    [
        (("明日12時に銀行いく", "あ、土曜か。じゃあ月曜の同じ時間に"), "12月7日(月) 12:00に「銀行いく」"),
        (("明日の夜8時にドラマ", "さっきの、明日じゃなくて日曜の同じ時間にして"), "12月6日(日) 20:00に「ドラマ」"),
    ],
)
def test_another_day_at_the_same_time(friday_talk, turns, answer):
    assert answer in friday_talk(*turns)[-1]


@pytest.mark.parametrize(
    ("turns", "answer"),
    [
        (("8時に薬のリマインダー",), "8:00"),
        (("ブラウザに古いパスワード保存されてたかも",), "自動入力"),
        (("迷惑SMSブロックしてるかも",), "拒否設定"),
        (("返済日は15日", "これまで話したこと、メモにしてほしい。あとで自分で見返したい"), "返済日：毎月15日"),
        (("プロミスを名乗る電話で暗証番号教えてって言われた", "でも名前も知ってたし"), "本物とは限りません"),
    ],
)
def test_the_last_words_from_new_users(talk, turns, answer):
    assert answer in talk(*turns)[-1]
