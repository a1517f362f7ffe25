"""What comes after the first safety answer: harm under way, a fraud paid or told, threats, a PIN
sent to be kept, a phone line cancelled (not the loan). Real service, real SQLite file, console chat.
"""

from __future__ import annotations

import pytest

from bot.core.dialogue import texts
from bot.core.safety.fraud import is_fraud
from bot.core.safety.net import is_emergency, is_withdrawal


@pytest.fixture
def talk(chat_turns):
    """Send turns in order to one fresh user; returns each turn's rendered answer."""
    return chat_turns()


@pytest.mark.parametrize("said", ["もう薬いっぱい飲んだ", "手首切った", "救急車呼ぶの怖い"])
def test_harm_under_way_hears_119_before_anything_else(talk, said):
    (answer,) = talk(said)
    first = answer.split("\n")
    # Care first, then 119 and who can call it, before anything else (no money counselling now).
    assert "119番" in first[1] and first[2] == texts.EMERGENCY_HELP
    assert "貸金業" not in answer


@pytest.mark.parametrize("said", ["薬飲まなきゃ", "救急車のサイレンがうるさい", "119番って何番？"])
def test_ordinary_words_are_not_an_emergency(said):
    assert not is_emergency(said)


def test_a_transfer_to_a_fraud_gets_the_bank_and_the_police(talk):
    _, paid, tell = talk(
        "「アコム抽選で10万円当選、受け取りに手数料5000円振込」って電話来た",
        "もう振り込んじゃった…",
        "アコムにも言った方がいい？",
    )
    assert "銀行" in paid and "#9110" in paid and "もしかして" not in paid
    assert tell.startswith("はい。") and "0120-629-215" in tell


def test_calling_back_the_number_that_called_is_advised_against(talk):
    _, said = talk(
        "モビットを名乗る人から電話で、ロック解除に保証金振り込めって言われた", "かかってきた番号にかけ直せばいい？"
    )
    assert said.startswith("いいえ") and "0120-24-7217" in said


def test_a_secret_told_to_a_fraud_means_stopping_the_card(talk):
    _, said = talk("プロミスを名乗る電話で暗証番号聞かれた", "教えちゃったかも")
    assert "止めてもらって" in said and "0120-24-0365" in said


def test_deleting_the_fraud_message_is_not_deleting_the_record(talk):
    _, said = talk("「アイフル会員様限定、カード情報再登録で3万円キャッシュバック」ってSMS来た", "このSMS消していい？")
    assert "消して（無視して）大丈夫" in said and "すべての記録を削除" not in said


def test_a_cashback_message_asking_to_register_again_is_a_fraud():
    assert is_fraud("「カード情報再登録で3万円キャッシュバック」ってSMS来た")


def test_threats_from_an_illegal_lender_get_the_police(talk):
    (said,) = talk("闇金から脅されてる")
    assert "110番" in said and "#9110" in said


def test_a_pin_sent_to_be_kept_during_a_draft_keeps_the_draft(talk):
    _, said = talk("レイクで借りてて返済日7日", "暗証番号0707もメモっといて")
    assert "記録しません" in said and "この内容で設定しますか" in said and "0707" not in said


@pytest.mark.parametrize("said", ["前の電話番号はもう解約しちゃってる", "古いスマホは解約した"])
def test_a_phone_line_cancelled_is_not_leaving(said):
    assert not is_withdrawal(said)


def test_no_one_to_tell_hears_free_people_to_talk_to(talk):
    (said,) = talk("誰にも言えない…")
    assert "もしかして" not in said and "0120-279-338" in said


def test_a_lost_card_gets_the_urgent_advice_before_the_company_question(talk):
    said, picked = talk("カード盗まれたかもしれない", "アイフル")
    assert said.index("【カードの紛失・盗難】") < said.index("どちらの会社")
    assert "アイフル" in picked and "【カードの紛失・盗難】" in picked


def test_someone_at_the_door_hears_110_first(talk):
    _, said = talk("闇金っぽいとこから脅されてる", "今家の前にいるかも")
    assert said.startswith(texts.DANGER_NOW) and "110番" in said


def test_a_body_in_trouble_after_words_of_crisis_hears_119_again(talk):
    _, said = talk("もう薬いっぱい飲んだ", "頭がぼーっとする")
    assert said.index("119番") < said.index(texts.CARE_AGAIN[:10])


def test_a_card_collected_by_someone_calling_is_a_fraud_and_not_to_be_handed_over(talk):
    first, said = talk("警察を名乗る人から電話で、キャッシュカードを回収に行くって", "渡さなくていいの？")
    assert "詐欺" in first and said.startswith("はい、渡さないでください")


def test_an_offer_only_an_unregistered_lender_makes_is_a_loan_shark_and_avoiding_it_is_a_yes(talk):
    first, said = talk("ブラックOK即日融資ってDM来た", "避けたほうがいい？")
    assert "登録のない業者" in first and said.startswith("はい。関わらないのがいちばんです")


def test_a_fee_to_unlock_asked_by_mail_is_a_fraud():
    assert is_fraud("アイフルからロック解除に5000円の手数料がかかるってメールが来た")


def test_may_i_tell_you_my_pin_is_a_no(talk):
    _, said = talk("プロミスの暗証番号忘れた", "じゃあ暗証番号教えてもいい？")
    assert "送らないでください" in said


def test_is_this_bot_official_is_answered_plainly(talk):
    (said,) = talk("このボットって公式？")
    assert said.startswith("いいえ、このボットは、貸金業者の公式サービスではありません")


@pytest.mark.parametrize(
    "said",
    [
        "融資の前に保証料3万円振り込めって言われた。アイフルの担当って名乗ってた",
        "ロック解除に5000円かかるってプロミスからメール来た",
    ],
)
def test_a_fraud_asking_for_money_first_is_told_not_to_pay(talk, said):
    (answer,) = talk(said)
    assert "振り込まないでください" in answer
    assert "#9110" in answer


def test_a_fraud_asking_for_a_secret_still_says_to_stop_the_card(talk):
    (answer,) = talk("プロミスを名乗るSMSでリンクが来て暗証番号入れろって")
    assert "振り込まないで" not in answer
    assert "カードを止めて" in answer


@pytest.mark.parametrize("said", ["ドア叩いてる", "取り立ての人が家に来てる"])
def test_someone_at_the_door_now_hears_110_first(talk, said):
    (answer,) = talk(said)
    assert "110番" in answer.splitlines()[0]


def test_a_reply_to_a_fraud_message_gets_what_to_do(talk):
    answers = talk("アイフルを名乗るSMSで暗証番号入力してって来た", "もう返信しちゃった…")
    assert "やりとりはしないで" in answers[1]


def test_an_id_and_password_sent_to_log_in_with_are_warned_of_and_refused(talk):
    (answer,) = talk("ログインID abc12345 パスワード Pass1234 です。ログインして確認して")
    assert texts.SECRET_HIDDEN in answer and "代わりにログイン" in answer
    assert "Pass1234" not in answer


def test_a_secret_is_warned_of_even_when_the_company_is_asked_first(talk):
    (answer,) = talk("パスワード Pass1234 で入れない")
    assert texts.SECRET_HIDDEN in answer


def test_wanting_to_log_in_oneself_is_not_asking_the_bot_to(talk):
    (answer,) = talk("ログインして確認したいけど入れない")
    assert "代わりにログイン" not in answer


def test_a_loan_shark_offer_come_as_a_message_says_both_fraud_and_why_not_to_borrow(talk):
    (answer,) = talk("DMで審査なし即日融資、ブラックOKって来た。借りてみようかな")
    assert "詐欺の可能性" in answer and "闇金" in answer
    assert "0570-051-051" in answer


@pytest.mark.parametrize(
    "said",
    [
        "インスタで借りた人に利息すごい取られてる",
        "SNSで知り合った人からお金借りてて返せない",
        "個人間融資で借りたけど返済がきつい",
    ],
)
def test_a_debt_to_a_lender_met_online_is_an_illegal_lender_already_owed(talk, said):
    (answer,) = talk(said)
    assert "ほかの会社ですね" not in answer  # an app is not a lender company
    assert "法テラス" in answer and "#9110" in answer
    assert "借りる前に" not in answer  # already borrowed: not 「don't borrow」


def test_a_threat_to_expose_the_debt_to_the_family_is_a_threat(talk):
    (answer,) = talk("SNSで借りた相手に、返済遅れたら家族にバラすって言われた")
    assert "110番" in answer and "#9110" in answer


def test_an_online_loan_asking_a_fee_first_says_not_to_pay(talk):
    (answer,) = talk("Twitterで個人間融資してくれる人見つけたんだけど、先に保証料5万振り込めって")
    assert "振り込まないで" in answer and "闇金" in answer


@pytest.mark.parametrize(
    "said", ["カード番号 4980 1234 5678 9012 で合ってる？ やめて、消して", "暗証番号 4729 です。やっぱ消して"]
)
def test_delete_it_beside_a_secret_is_about_the_secret_not_the_record(talk, said):
    (answer,) = talk(said)
    assert "4729" not in answer and "9012" not in answer
    assert "消すものはありません" in answer
    assert "すべての記録を削除" not in answer


def test_care_said_beside_a_reminder_request_is_not_held_behind_the_company_question(talk):
    (answer,) = talk("返済日のリマインダー作って。正直もう消えたい")
    assert "よりそいホットライン" in answer
    assert answer.index("よりそいホットライン") < answer.find("返済日") or "返済日" not in answer


def test_a_call_in_the_lenders_name_threatening_a_lawsuit_is_a_scare_told_as_a_call(talk):
    (answer,) = talk("アイフルを名乗る電話で、今日中に払わないと裁判って言われた")
    assert "電話を切って" in answer and "リンク" not in answer
    assert "188" in answer


def test_a_visit_announced_by_the_lender_gets_the_police_and_the_counselling_centre(talk):
    (answer,) = talk("アコムの人が家に来るって言ってる、怖い")
    assert "#9110" in answer and "0570-051-051" in answer


def test_a_secret_said_before_a_reminder_request_is_no_part_of_its_title(talk):
    (answer,) = talk("暗証番号は1234なんだけど、来週月曜10時に電話するってリマインドして")
    assert "「電話する」" in answer and "伏せました" not in answer and "1234" not in answer


def test_a_pin_guess_after_an_ellipsis_is_hidden(talk):
    _, answer = talk("アコムの暗証番号忘れた", "誕生日だったかな…0315とか？")
    assert "0315" not in answer and "伏せて" in answer


def test_full_width_digits_typed_as_an_example_get_the_half_width_tip(talk):
    _, answer = talk(
        "アイフルの会員ページで会員番号入れてもエラーになる", "スマホで普通に数字うってる。１２３４みたいな感じで"
    )
    assert "１２３４" not in answer and "半角" in answer


def test_worn_out_words_are_heard_with_people_who_listen(talk):
    (answer,) = talk("リマインダー作る気力もない。なんかもう疲れた")
    assert "よりそいホットライン" in answer


def test_a_loan_in_ones_name_taken_by_someone_else_gets_the_lender_and_the_police(talk):
    (answer,) = talk("夫が勝手に私の名前でプロミスから借りてたみたい")
    assert "#9110" in answer and "0120-24-0365" in answer


def test_asked_to_stop_a_card_the_bot_says_only_the_lender_can_with_its_all_day_line(talk):
    (answer,) = talk("プロミスのカード番号 1234-5678-9012-3456 で、これ止めてほしい")
    assert "9012" not in answer and "止められるのは、プロミスだけ" in answer and "24時間" in answer
    assert "設定中のお知らせ" not in answer
