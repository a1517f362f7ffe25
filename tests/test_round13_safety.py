"""Safety words met in fresh conversations: death thought of in the past tense, affairs put in
order, threats at night, many lenders, and whether a lender is registered."""

import pytest

from bot.core.safety.net import is_crisis


@pytest.mark.parametrize(
    "text",
    [
        "…うん、ちょっと死ぬことも考えてた",
        "死ぬのも考えた",
        "最後に借金のことだけ片付けたい。家族には迷惑かけたくないから",
        "身辺整理しておきたい",
    ],
)
def test_words_of_crisis(text):
    assert is_crisis(text)


@pytest.mark.parametrize("text", ["最後にリマインダー整理したい", "死ぬほど疲れた", "死ぬまでに一度は行きたい"])
def test_not_words_of_crisis(text):
    assert not is_crisis(text)


def test_threats_at_night_get_the_police_not_the_lenders_hours(friday_talk):
    (answer,) = friday_talk("取り立ての電話が夜中にもかかってきて『家に行くぞ』って脅される")
    assert "110番" in answer and "#9110" in answer and "受付時間です" not in answer


@pytest.mark.parametrize("text", ["5社から借りててもう返済が回らない", "返済がもう限界"])
def test_many_debts_get_the_free_counselling(friday_talk, text):
    (answer,) = friday_talk(text)
    assert "0570-051-051" in answer and "もしかして" not in answer


def test_whether_a_lender_is_registered_is_answered(friday_talk):
    (answer,) = friday_talk("正規の業者かもわからない")
    assert "登録貸金業者情報検索サービス" in answer


def test_a_partner_hitting_gets_the_police_and_the_dv_lines(friday_talk):
    first, then = friday_talk("旦那が借金のことで怒って殴ってくる", "今は別の部屋にいる")
    assert "110番" in first and "#8008" in first and "収入" not in first
    assert "110番" in then


def test_a_scare_in_the_fraud_message_is_named_a_scare(friday_talk):
    _warned, answer = friday_talk(
        "レイクからって『未払いがあります。本日中にコンビニで電子マネー買って番号を送って』ってSMS",
        "払わないと裁判になるって書いてある",
    )
    assert "よくある手口" in answer and "188" in answer


def test_reply_or_be_stopped_is_a_scare_not_a_suspension(friday_talk):
    _warned, answer = friday_talk(
        "SMBCモビットから『本人確認のため会員番号と暗証番号を返信してください』ってメール来た",
        "返信しなきゃ利用停止って書いてある",
    )
    assert "よくある手口" in answer and "【利用停止の可能性】" not in answer


def test_fear_of_the_police_gets_a_call_to_talk_and_free_help(friday_talk):
    _threat, answer = friday_talk("SNSで借りた相手から『払わないと写真ばらまく』って脅されてる", "警察に言うのこわい")
    assert "#9110" in answer and "法テラス" in answer


def test_a_request_beside_words_of_crisis_is_answered_after_the_care(friday_talk):
    first, then = friday_talk(
        "返済日リマインド作りたい、毎月10日。…まあ、来月まで生きてるかわかんないけど", "冗談だよ、で、前日の朝8時で"
    )
    assert first.index("よりそいホットライン") < first.index("返済日は毎月10日ですね")
    assert "返済日の1日前と当日、8:00" in then


def test_may_i_tell_after_a_warning_is_answered_no(friday_talk):
    _warned, answer = friday_talk("アコムの者ですって電話来て、暗証番号確認したいって言われた", "教えちゃダメ？")
    assert answer.startswith("はい、教えないでください")


def test_a_secret_clause_is_no_part_of_the_reminder(friday_talk):
    first, then = friday_talk("明日9時に返済リマインドして、ついでにPIN 4729 もメモっといて", "え、保存されてないの？")
    assert "4729" not in first and "伏せました" not in first.split("\n\n", 1)[1]
    assert "保存していない" in then and "設定をやめました" not in then and "12月5日(土) 9:00" in then


def test_is_this_sms_real_is_answered_with_where_to_check(friday_talk):
    first, then = friday_talk("アコムから『ログインできなくなりました』ってSMS来たんだけど本当？", "リンクは押してない")
    assert "本物かどうか" in first and "原因を探しましょう" not in first
    assert "よかったです" in then
