"""The talk after a warning about money goes on (a fee asked first, an illegal lender, a threat, an
offer to sell one's account): pressure, where to go, something already sent, fear, temptation; and
worn-out words beside a request are heard. Real service, real SQLite file, console chat.
"""

from __future__ import annotations

import pytest

from bot.core.dialogue.care_beside import BESIDE
from bot.core.dialogue.fraud_talk import DONE, FEAR, ID_ASKED, PRESSED, TEMPTED
from bot.core.safety.fraud import is_loan_shark
from bot.core.safety.net import beside_the_crisis, is_crisis

FEE = "審査なしで50万貸すって業者から連絡きた。先に保証料3万振り込めって"


@pytest.fixture
def talk(chat_turns):
    return chat_turns()


@pytest.mark.parametrize("pressed", ["でも急いでるんだよね", "でもお金いるんだよ", "払わないと他の返済が間に合わない"])
def test_pressed_by_need_after_a_fee_fraud_is_told_not_to_pay(talk, pressed):
    _, answer = talk(FEE, pressed)
    assert PRESSED in answer and "0570-051-051" in answer and "メニューに戻る" in answer
    assert "ログインのことやお知らせのことで困ったら" not in answer


def test_asked_whether_to_pay_starts_with_do_not(talk):
    _, answer = talk(FEE, "振り込んじゃだめ？")
    assert answer.startswith("振り込んだり借りたりしないでください") and "お答えできません" not in answer


@pytest.mark.parametrize("where", ["じゃあどこに相談すればいい？", "誰に言えばいいの", "相談先は？"])
def test_where_to_go_after_a_fraud_is_the_police_line_and_188(talk, where):
    _, answer = talk(FEE, where)
    assert "#9110" in answer and "188" in answer and "お答えできません" not in answer


def test_id_photos_asked_then_sent_to_a_lender_met_online(talk):
    _, asked, sent = talk(
        "SNSで「個人間融資」ってやってる人に連絡しちゃった", "免許証の写真送れって言われてる", "もう一枚送っちゃった…"
    )
    assert ID_ASKED in asked
    assert DONE in sent and "身分証の写真は、勝手に" in sent and "カードを止めて" not in sent


def test_a_threat_then_an_illegal_lender_named_is_a_debt_to_talk_over_and_fear_is_heard(talk):
    _, shark, fear = talk(
        "取り立ての人から「家に行くぞ、職場にもバラす」って毎晩電話くる", "正規の会社じゃないと思う、ヤミ金かも", "怖い"
    )
    assert "借りる前に" not in shark and "#9110" in shark
    assert FEAR in fear and "カードを止めて" not in fear


def test_selling_an_account_is_a_crime_and_temptation_is_answered(talk):
    sale, offer, tempted = talk(
        "友達に「口座売れば借金返せるよ」って言われた", "1個5万くれるらしい", "ばれなきゃ大丈夫でしょ？"
    )
    assert "犯罪" in sale and "#9110" in sale
    assert TEMPTED in offer and TEMPTED in tempted


def test_asking_for_a_lax_lender_names_none(talk):
    (answer,) = talk("審査ゆるいとこ教えて。もう正規のとこじゃ借りれない")
    assert "おすすめすることはできません" in answer and "どちらの会社" not in answer


def test_a_lender_with_a_mobile_number_is_an_illegal_one():
    assert is_loan_shark("090で始まる番号の業者から融資できますってDM来てる")
    assert not is_loan_shark("090-1234-5678に電話して")


def test_care_beside_a_request_is_heard_and_tiredness_is_not_fear(talk):
    first, tired = talk("もう全部どうでもよくなった。リマインドも全部消して", "疲れた")
    assert "設定中のお知らせはありません" in first and BESIDE in first
    assert "不安になりますよね" not in tired and "0120-279-338" in tired


def test_death_said_to_be_not_that_is_care_without_the_emergency(talk):
    assert not is_crisis("別に死にたいとかじゃないけど")
    _, answer = talk("疲れた", "別に死にたいとかじゃないけど")
    assert "119" not in answer and "0120-279-338" in answer


def test_a_statement_beside_crisis_words_starts_no_set_up(talk):
    assert beside_the_crisis("明日返済日なのに1円もない。もう全部終わりにしたい") == ""
    first, consult, remind = talk(
        "明日返済日なのに1円もない。もう全部終わりにしたい",
        "今夜話聞いてくれるとこってある？",
        "ありがと…とりあえず明日の朝、プロミスに電話するのだけリマインドして",
    )
    assert "返済日（約定日）はいつですか" not in first
    assert consult.index("0120-279-338") < consult.index("0570-051-051") and "どちらの会社" not in consult
    assert "「プロミスに電話する」" in remind and "この内容で設定しますか" in remind


def test_who_the_caller_claimed_to_be_after_a_threat(talk):
    _, claimed, unsure = talk(
        "取り立ての電話で「家に行くぞ」って言われた", "プロミスって名乗ってた", "本当にプロミスかわからない"
    )
    assert "本物とは限りません" in claimed and "入力の仕方" not in claimed
    assert "本物とは限りません" in unsure


def test_a_fee_asked_in_a_hurry_is_a_fraud_whoever_asks(talk):
    fee, lawyer = talk(
        "「借金減額できます」って広告から電話したら、今日中に着手金振り込んでって", "弁護士事務所って言ってた"
    )
    assert "振り込まないでください" in fee and "原因を探しましょう" not in fee
    assert "本物とは限りません" in lawyer
