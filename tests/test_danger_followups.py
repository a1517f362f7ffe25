"""Danger to a body, and what follows it: hiding from someone, a reason not to call the police,
someone else who took too much and stopped answering, an offer to unlock from anyone but the lender,
a warning in the middle of a reminder's set-up. Real service, real SQLite file, console chat.
"""

from __future__ import annotations

import pytest

from bot.core.safety.danger import DV_LINES, OTHER_IN_DANGER, POLICE_WORRY
from bot.core.safety.fraud import is_fraud, offers_to_unlock
from bot.core.safety.net import in_danger_now
from bot.core.safety.texts import UNLOCK_OFFER


@pytest.fixture
def talk(chat_turns):
    """Send turns in order to one fresh user; returns each turn's rendered answer."""
    return chat_turns()


@pytest.mark.parametrize(
    "said", ["今隠れてる。声出せない", "誰かに追いかけられてる", "家に閉じ込められてる", "元彼につけられてる"]
)
def test_hiding_or_fleeing_is_danger_now(talk, said):
    (answer,) = talk(said)
    assert answer.startswith("いま身の危険を感じるときは、すぐに110番") and "もしかして" not in answer


@pytest.mark.parametrize("said", ["借金から逃げてる", "督促の電話から逃げてる", "隠れて借りてる"])
def test_fleeing_a_debt_is_not_danger_now(said):
    assert not in_danger_now(said)


def test_violence_at_home_hears_the_police_and_the_dv_lines(talk):
    (answer,) = talk("夫に殴られた")
    assert "110番" in answer and DV_LINES in answer


def test_a_reason_not_to_call_the_police_gets_the_police_again(talk):
    _, worry = talk("夫に殴られた", "警察呼んだら家族にバレる")
    assert worry.startswith(POLICE_WORRY) and "0120-279-889" in worry
    assert "通知" not in worry  # not the lock-screen privacy answer


def test_a_clear_request_after_the_danger_is_answered_as_asked(talk):
    _, _, login = talk("ドア叩かれてる", "ありがとう、落ち着いた", "ログインできない")
    assert "原因" in login and "110番" not in login


def test_someone_elses_overdose_hears_119_and_what_to_do(talk):
    answer, again = talk("友達が薬いっぱい飲んだって連絡きた", "どうしよう、返事がない")
    assert answer.startswith(OTHER_IN_DANGER) and "つらい気持ちを伝えて" not in answer
    assert again.startswith(OTHER_IN_DANGER)


def test_ones_own_overdose_beside_a_partners_name_is_ones_own(talk):
    (answer,) = talk("彼氏と喧嘩して薬いっぱい飲んだ")
    assert OTHER_IN_DANGER not in answer and "119番" in answer


@pytest.mark.parametrize(
    "said",
    [
        "ロック解除代行しますってDMが来た",
        "代わりにログインしてあげるって言われた",
        "すぐ解除してあげるよってメッセージ",
    ],
)
def test_an_offer_to_unlock_is_a_fraud(talk, said):
    assert is_fraud(said) and offers_to_unlock(said)
    (answer,) = talk(said)
    assert answer.startswith(UNLOCK_OFFER.split("。")[0])


def test_paying_to_unlock_is_money_asked_first(talk):
    _, paid = talk("ロック解除代行しますってDMが来た", "お金払えばすぐ解除してくれるらしい")
    assert "振り込まないで" in paid and "#9110" in paid


@pytest.mark.parametrize("said", ["ロックを解除したい", "解除してもらうにはどうすれば", "ロック解除されたら教えて"])
def test_ones_own_unlocking_is_no_fraud(said):
    assert not is_fraud(said)


def test_asking_to_be_told_when_unlocked_is_answered_honestly(talk):
    (answer,) = talk("ロック解除されたら教えて")
    assert "わかりません" in answer and "よかった" not in answer


def test_a_warning_in_a_set_up_keeps_the_set_up(talk):
    _, warned, done = talk("明日の朝リマインドして", "今、ロックされたってSMS来た。リンク押せばいいの？", "薬")
    assert "詐欺" in warned and warned.rstrip().endswith("1) やめる")
    assert "「薬」" in done and "8:00" in done


def test_standing_on_a_bridge_is_a_crisis(talk):
    (said,) = talk("いま橋の上にいる")
    assert "119番" in said and "そうなんですね" not in said


def test_doubting_the_ambulance_after_an_overdose_hears_119_again_and_a_call_is_thanked(talk):
    _, doubt, calling = talk("薬いっぱい飲んじゃった", "救急車よぶほどじゃないかも", "わかった電話する")
    assert "119番" in doubt
    assert calling.startswith("電話してくださるのですね")


def test_the_police_with_a_debt_and_a_call_made(talk):
    _, debt, called = talk("取り立ての人が家の前にいて、殴られそう", "警察呼んで大丈夫?借金あるのに", "呼んだ")
    assert debt.startswith("はい、大丈夫です。借金があっても") and "DV相談" not in debt
    assert called.startswith("電話してくださったのですね")


def test_after_a_fraud_paid_not_paid_and_188(talk):
    _, paid, not_paid, hotline = talk(
        "「借金の一本化できます、保証料を先に振り込んで」ってLINEきた",
        "振り込んじゃったらどうすればいい?",
        "まだ振り込んでない、よかった",
        "188ってのに電話すればいい?",
    )
    assert "銀行" in paid and "ようこそ" not in paid
    assert not_paid.startswith("その前でよかったです")
    assert "188" in hotline and "消費者ホットライン" in hotline


@pytest.mark.parametrize(
    "said",
    [
        "「レイク:未払いがあります。本日中に下記口座へ振込」ってSMSきた",
        "「アコム:カード停止のお知らせ」ってSMS来とったわ",
    ],
)
def test_a_transfer_or_a_stop_notice_by_message_is_likely_fraud(talk, said):
    assert is_fraud(said)
    (answer,) = talk(said)
    assert "詐欺" in answer and "今日が返済日" not in answer


def test_fear_and_someone_known_after_a_fraud_warning(talk):
    _, _, fear = talk("アイフルのSMSのリンク押してパスワード入れちゃった…", "カードの番号も入れた気がする", "怖い")
    assert fear.startswith("怖いですよね。まず、下の番号に電話して")
    talk2 = talk(
        "ログインできないなら代わりにログインしてあげるってLINEで言われた。IDとパス教えていい?",
        "知り合いの知り合いなんだけど",
    )
    assert talk2[1].startswith("知っている人からでも")


def test_a_lost_card_comes_before_a_deletion_in_the_same_message(talk):
    (said,) = talk("カードなくしたのと、リマインダー消したいの両方")
    assert "紛失" in said and "設定中のお知らせはありません" not in said


def test_things_thrown_at_home_is_danger_now_and_hiding_after_it_too(talk):
    said, after = talk("旦那が借金のことで怒って物なげてくる、怖い", "今は部屋に閉じこもってる")
    assert "110番" in said and "DV相談" in said
    assert "110番" in after and "もしかして" not in after


def test_no_phone_after_words_of_crisis(talk):
    _, said = talk("死にたい", "電話とか無理")
    assert said.startswith("電話がむずかしいときは") and "119番" in said


def test_ones_own_anger_at_a_collector(talk):
    (said,) = talk("取り立ての電話がしつこくて、もうそいつ殴りに行きそう")
    assert "罪に問われて" in said and "#9110" in said


@pytest.mark.parametrize(
    ("turns", "answer"),
    [
        (("借金3社で200万超えてて、もう首まわらん", "弁護士とか高いでしょ"), "立替え"),
        (("闇金から借りようかな", "でもどこも貸してくれないんだよ"), "闇金には近づかないで"),
        (("アコムの返済のためにプロミスで借りようかなって思ってる",), "借金が増えて"),
        (("番号はここに書いたほうがいい？",), "ここには書かないでください"),
    ],
)
def test_money_worries_and_secrets_in_passing(talk, turns, answer):
    assert answer in talk(*turns)[-1]


def test_a_look_alike_site_is_fraud(talk):
    assert is_fraud("レイクのログイン画面っぽいサイトでパスワード入れたら、なんか変なページに飛んだ")
