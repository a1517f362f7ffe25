"""Answers typed in people's own words during a reminder set-up: the draft is kept and changed,
never thrown away by a yes that does not use the button's words or by a correction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.diagnosis.steps import DiagnosisSteps
from bot.core.dialogue.actions import ReminderOp, encode
from tests.test_reminder_dialog import reminders, say, tap

# The words of the button that calls a person, as declared with its command.
CALL_LABEL = DiagnosisSteps._call.__command_spec__.label  # type: ignore[attr-defined]

DRAFT = "明日の10時に電話する"  # the clock fixture: Thursday 3 December 2026, 10:00 in Tokyo


def saved(service, text):
    """A reminder said and confirmed: the state most of these answers start from."""
    say(service, text)
    say(service, "はい")


CHANGES = [
    ("10時じゃなくて11時", "12月4日(金) 11:00に「電話する」"),
    ("やっぱり11時で", "12月4日(金) 11:00に「電話する」"),
    ("11時にして", "12月4日(金) 11:00に「電話する」"),
    ("ごめん、１１時だった", "12月4日(金) 11:00に「電話する」"),
    ("いや、やっぱり明後日で", "12月5日(土) 10:00に「電話する」"),
    ("金曜の15時に変更して", "12月4日(金) 15:00に「電話する」"),
    ("ちがう", "いつお知らせしますか"),
    ("日付がちがう", "いつお知らせしますか"),
]


@pytest.mark.parametrize(("answer", "expected"), CHANGES)
def test_a_correction_at_the_confirmation_changes_the_draft(service, answer, expected):
    say(service, DRAFT)
    _, body = say(service, answer)
    assert expected in body
    assert reminders(service) == []  # changed, not saved yet


@pytest.mark.parametrize(
    "answer", ["問題ないです", "よろしく", "ええ、大丈夫です", "それでお願いします", "OK", "はい、それで"]
)
def test_a_yes_in_other_words_saves(service, answer):
    say(service, DRAFT)
    _, body = say(service, answer)
    assert "設定しました" in body
    [rem] = reminders(service)
    assert rem["what"] == "電話する"


@pytest.mark.parametrize("answer", ["大丈夫です", "いいです", "えーと", "やっぱり"])
def test_an_unsure_answer_asks_again_and_keeps_the_draft(service, answer):
    say(service, DRAFT)
    _, body = say(service, answer)
    assert "この内容で設定しますか" in body and "「電話する」" in body and "やめました" not in body
    assert reminders(service) == []
    _, body = say(service, "はい")
    assert "設定しました" in body and len(reminders(service)) == 1


def test_a_new_task_at_the_confirmation_is_a_new_draft_not_a_correction(service):
    say(service, DRAFT)
    _, body = say(service, "明日の8時に書類を探す")
    assert "12月4日(金) 8:00に「書類を探す」" in body


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("前日にして", "返済日の1日前と当日、9:00"), ("夜8時にして", "返済日の3日前と当日、20:00"),
     ("前々日の朝7時で", "返済日の2日前と当日、7:00"), ("10日前", "1〜7の数字")],
)  # fmt: skip
def test_a_repayment_draft_takes_a_new_lead_or_time(service, answer, expected):
    say(service, "返済日は25日")
    _, body = say(service, answer)
    assert expected in body and reminders(service) == []


@pytest.mark.parametrize("answer", ["27日です", "２７日です", "毎月27日です", "返済日は二十七日です", "27日かな"])
def test_the_repayment_day_in_a_sentence(service, answer):
    _, body = say(service, "返済日のリマインダー")
    assert "返済日（約定日）はいつですか" in body
    _, body = say(service, answer)
    assert "返済日は毎月27日ですね" in body


def test_a_lead_and_a_time_said_with_the_repayment_day_are_kept(service):
    _, body = say(service, "返済日は毎月27日で、前日の夜8時に教えて")
    assert "返済日は毎月27日ですね" in body and "返済日の1日前と当日、20:00" in body
    say(service, "日数を変える")
    _, body = say(service, "前々日")
    assert "返済日の2日前と当日、20:00" in body


def test_a_task_said_without_a_time_is_kept(service):
    _, body = say(service, "電話するのリマインドお願いします")
    assert "いつお知らせしますか" in body
    _, body = say(service, "明日の10時")
    assert "12月4日(金) 10:00に「電話する」" in body


def test_a_no_to_a_proposed_moment_asks_again_with_the_task_kept(service):
    _, body = say(service, "8時に電話するとリマインドして")
    assert "今夜の20:00" in body and "明日の朝8:00" in body
    _, body = say(service, "いいえ")
    assert "いつお知らせしますか" in body
    _, body = say(service, "明日の9時")
    assert "12月4日(金) 9:00に「電話する」" in body


# ---------------------------------------------------------------- the diagnosis and the data


@pytest.mark.parametrize("answer", ["はい", "うん", "はい、消してください", "消して", "削除してください"])
def test_a_typed_yes_to_the_deletion_question_deletes(service, answer):
    saved(service, "返済日は25日")
    _, body = say(service, "私のデータを消して")
    assert "削除してよろしいですか" in body
    _, body = say(service, answer)
    assert "すべて削除しました" in body and reminders(service) == []


@pytest.mark.parametrize(
    ("answer", "expected"), [("大丈夫です", "削除してよろしいですか"), ("いいえ", "記録はそのままです")]
)
def test_an_unsure_or_no_answer_to_the_deletion_question_deletes_nothing(service, answer, expected):
    saved(service, "返済日は25日")
    say(service, "私のデータを消して")
    _, body = say(service, answer)
    assert expected in body and len(reminders(service)) == 1


def test_a_corrected_repayment_day_is_the_one_kept(service):
    _, body = say(service, "25日じゃなくて27日が返済日")
    assert "返済日は毎月27日ですね" in body
    say(service, "やめる")
    say(service, "返済日は25日")
    _, body = say(service, "返済日は25日じゃなくて27日でした")
    assert "返済日は毎月27日ですね" in body
    say(service, "はい")
    [rem] = reminders(service)
    assert rem["due_day"] == 27


def test_still_stuck_at_a_step_up_question_goes_to_the_call_not_round_again(service):
    say(service, "メンテナンス中って出る")
    _, body = say(service, "まだだめ")
    assert "ほかの原因も考えられます" in body
    _, body = say(service, "まだだめ")
    assert "プロミスコール" in body and "0120-24-0365" in body and "原因を探しましょう" not in body
    _, body = say(service, "まだだめ")
    assert "このボットではお調べできません" in body


def test_still_stuck_at_a_first_question_asks_it_again(service):
    _, first = say(service, "ログインできない")
    _, body = say(service, "まだだめ")
    assert "いちばん近いもの" in body
    question = first.splitlines()[-1]
    assert question in body


def test_the_call_after_a_lost_card_keeps_the_24_hour_line(service):
    _, body = say(service, "カードを落とした")
    assert "24時間受付" in body
    _, body = say(service, "まだ解決しない")
    assert "0120-24-0365" in body and "24時間受付" in body
    _, body = say(service, "まだ解決しない")
    assert "24時間受付" in body


# ---------------------------------------------------------------- solved, a person, the bot itself


def test_logged_in_after_a_result_is_good_news_with_the_next_step_still_at_hand(service):
    say(service, "ロックされた")
    replies, body = say(service, "ログインできました！")
    assert "よかったです" in body and "ほかの原因" not in body
    assert "まだ解決しない" in [c.label for c in replies[-1].choices]


@pytest.mark.parametrize("text", ["まだ入れん", "入れへん", "それでも入れなかった"])
def test_a_negated_success_is_never_good_news(service, text):
    say(service, "ロックされた")
    _, body = say(service, text)
    assert "よかったです" not in body


@pytest.mark.parametrize("text", ["オペレーターと話したい", "電話番号教えて", "人と話したいです"])
def test_asking_for_a_person_gives_the_call_step(service, text):
    _, body = say(service, text)
    assert "0120-24-0365" in body and "オペレーター" in body


def test_asking_for_a_person_after_a_lost_card_keeps_the_24_hour_line(service):
    say(service, "カードを落とした")
    _, body = say(service, "オペレーターと話したい")
    assert "0120-24-0365" in body and "24時間受付" in body


@pytest.mark.parametrize("text", ["AIですか？", "これってプロミスの公式？", "ボットなの？人間？"])
def test_asking_about_the_bot_says_what_it_is_and_is_not(service, text):
    _, body = say(service, text)
    assert "自動でお答え" in body and "公式サービスではない" in body


def test_a_reminder_to_call_is_a_reminder_not_the_call_step(service):
    _, body = say(service, "明日の10時にコールセンターに電話するのをリマインドして")
    assert "12月4日(金) 10:00に「コールセンターに電話する」" in body


# ---------------------------------------------------------------- a reminder named in a sentence


def test_a_reminder_named_with_a_cancel_verb_is_shown_and_cancelled_only_on_a_tap(service):
    saved(service, "毎週金曜の夜8時にジム")
    saved(service, DRAFT)
    replies, body = say(service, "ジムのやつやめたい")
    assert "このお知らせを取り消しますか" in body and "ジム" in body and len(reminders(service)) == 2
    assert "取り消す" in [c.label for c in replies[-1].choices]
    _, body = say(service, "取り消す")
    assert "今後すべて止めますか" in body and len(reminders(service)) == 2  # a repeating one: which?
    _, body = say(service, "今後すべて止める")
    assert "取り消しました" in body
    assert [r["what"] for r in reminders(service) if r["status"] == "active"] == ["電話する"]


def test_a_reminder_named_with_a_new_time_goes_to_the_confirmation(service):
    saved(service, DRAFT)
    _, body = say(service, "電話のリマインダーを11時に変更して")
    assert "12月4日(金) 11:00に「電話する」" in body
    say(service, "はい")
    [rem] = [r for r in reminders(service) if r["status"] == "active"]
    assert rem["at"].startswith("2026-12-04T02:00")


def test_a_cause_that_shares_a_word_with_a_reminder_is_still_the_cause(service):
    saved(service, "返済日は25日")
    _, body = say(service, "返済が遅れて利用を止められたみたい")
    assert "このお知らせですね" not in body and "利用停止" in body


def test_a_card_at_hand_is_not_a_card_found(service):
    _, body = say(service, "カードは手元にあります")
    assert "お手元にある" in body and "見つかって" not in body and "今の状況" in body
    uid = service.store.find_user("console", "alice")
    # Kept as told (the status shows it), not as a card that was lost and found.
    assert service.store.load_situation(uid).get("card_lost") is False


def test_a_found_card_is_no_longer_the_likely_cause(service):
    say(service, "カードなくした")
    _, body = say(service, "カード見つかった")
    assert "見つかって" in body
    situation = service.store.load_situation(service.store.find_user("console", "alice"))
    assert situation.get("card_lost") is False and situation.get("cause") is None


def test_the_call_reminder_knows_its_task(service):
    say(service, "オペレーターと話したい")
    _, body = say(service, "電話のお知らせを設定")
    assert "「プロミスコールに電話する」を、いつ" in body
    _, body = say(service, "月曜の10時")
    assert "12月7日(月) 10:00に「プロミスコールに電話する」" in body


def test_deleting_the_repayment_day_record_says_the_reminder_stays(service):
    saved(service, "返済日は25日")
    say(service, "わたしの状況")
    say(service, "記録をひとつ消す")
    replies, body = say(service, "返済日")
    assert "記録を消しました" in body and "これまでどおり届きます" in body
    assert replies[-1].choices[0].label == "返済日のお知らせを見る"
    assert len(reminders(service)) == 1  # the reminder is stopped only by the user, from its buttons


@pytest.mark.parametrize("back", ["戻る", "さっきの案内に戻る"])
def test_back_from_the_id_list_is_the_advice_again(service, back):
    _, result = say(service, "暗証番号忘れた")
    say(service, "本人確認書類を見る")
    _, body = say(service, back)
    assert "何をお手伝いしましょうか" not in body
    title = next(line for line in result.splitlines() if line.startswith("【"))
    assert title in body  # the advice again


# ---------------------------------------------------------------- distress, money trouble, care


@pytest.mark.parametrize("text", ["もう死にたい", "返済できなくて死にたい、ログインもできない", "消えたい"])
def test_not_wanting_to_live_gets_care_and_help_lines_first(service, text):
    replies, body = say(service, text)
    assert "ひとりで抱えなくて大丈夫です" in body and "よりそいホットライン" in body
    assert "0570-051-051" in body  # the money counselling centre too
    assert "ログインできた" not in body


@pytest.mark.parametrize("text", ["お金がなくて返せない", "借金で首が回らない", "返済が苦しい", "支払いが無理"])
def test_repaying_is_hard_gets_the_call_and_the_counselling_centre(service, text):
    _, body = say(service, text)
    assert "返済が難しいのですね" in body and "0120-24-0365" in body and "0570-051-051" in body
    assert "利用停止" not in body


def test_a_guess_never_offers_logged_in(service):
    replies, body = say(service, "人生終わった")
    assert all(c.label != "ログインできた" for r in replies for c in r.choices)


@pytest.mark.parametrize(
    ("answer", "deleted"), [("いや、やっぱり消して", True), ("消さないで", False), ("削除しないでください", False)]
)
def test_the_deletion_question_reads_the_request_and_its_negation(service, answer, deleted):
    saved(service, "返済日は25日")
    say(service, "私のデータを消して")
    _, body = say(service, answer)
    assert ("すべて削除しました" in body) is deleted
    assert (reminders(service) == []) is deleted


def test_a_cause_named_with_a_label_word_inside_goes_to_the_cause(service):
    say(service, "ログインできない")
    _, body = say(service, "カードはなくしてないけど暗証番号がわからない")
    assert "【暗証番号を忘れた】" in body


def test_still_stuck_after_a_forgotten_pin_is_never_told_to_try_again(service):
    say(service, "暗証番号忘れた")
    _, body = say(service, "まだだめ")
    assert "お試しください" not in body and "0120-24-0365" in body


def test_a_typed_no_answers_a_correction_question(service):
    say(service, "ログインできない")
    say(service, "5")
    say(service, "3")
    say(service, "1日だけ遅れた")
    say(service, "わたしの状況")
    _, body = say(service, "返済の遅れの記録を修正")
    assert "遅れたことはありますか" in body
    _, body = say(service, "いいえ")
    assert "「遅れていない」に修正しました" in body
    situation = service.store.load_situation(service.store.find_user("console", "alice"))
    assert situation.get("overdue") is False


def test_a_phone_that_does_not_connect_gets_the_hours_not_maintenance(service):
    _, body = say(service, "プロミスコールに電話したけどつながらない")
    assert "オペレーターは平日9:00〜18:00" in body and "メンテナンス" not in body


def test_what_the_bot_cannot_follow_still_offers_a_person(service):
    replies, _ = say(service, "ふざけんな")
    assert any(c.label == CALL_LABEL for c in replies[-1].choices)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("30分遅らせて", "12月4日(金) 10:30に「電話する」"),
        ("1時間早めて", "12月4日(金) 9:00に「電話する」"),
        ("午後で", "12月4日(金) 22:00に「電話する」"),
        ("電話じゃなくてメール", "12月4日(金) 10:00に「メールする」"),
        ("ちがう、11時", "12月4日(金) 11:00に「電話する」"),
    ],
)
def test_more_corrections_at_the_confirmation(service, answer, expected):
    say(service, DRAFT)
    _, body = say(service, answer)
    assert expected in body and reminders(service) == []


def test_a_named_cancel_is_confirmed_by_a_typed_yes(service):
    saved(service, "毎週金曜の夜8時にジムに行く")
    _, body = say(service, "ジムのやつやめたい")
    assert "このお知らせを取り消しますか" in body and "ジムに行く" in body
    _, body = say(service, "うん")
    assert "今後すべて止めますか" in body  # a repeating one: this time only, or all of them?
    _, body = say(service, "全部")
    assert "取り消しました" in body
    assert [r for r in reminders(service) if r["status"] == "active"] == []


def test_a_named_cancel_answered_no_keeps_the_reminder(service):
    saved(service, DRAFT)
    say(service, "やっぱりやめる")  # right after setting it: the newest reminder
    _, body = say(service, "いいえ")
    assert "取り消しはやめました" in body and len([r for r in reminders(service) if r["status"] == "active"]) == 1
    _, body = say(service, "はい")  # a later yes cancels nothing
    assert len([r for r in reminders(service) if r["status"] == "active"]) == 1


def test_two_reminders_that_fit_are_asked_about(service):
    saved(service, "明日の10時に母に電話する")
    saved(service, "明日の11時に銀行に電話する")
    _, body = say(service, "電話のリマインダーを11時に変えて")
    assert "どのお知らせを変えますか" in body and len(reminders(service)) == 2


@pytest.mark.parametrize(
    ("draft", "answer", "expected"),
    [
        (DRAFT, "やっぱり11時で", "12月4日(金) 11:00に「電話する」"),
        ("返済日は25日", "やっぱり前日にして", "返済日の1日前と当日"),
    ],
)
def test_a_correction_right_after_saving_changes_what_was_saved(service, draft, expected, answer):
    say(service, draft)
    say(service, "はい")
    _, body = say(service, answer)
    assert expected in body and "原因を探しましょう" not in body
    say(service, "はい")
    assert len([r for r in reminders(service) if r["status"] == "active"]) == 1  # changed, not added


def test_a_time_joined_to_a_task_is_a_reminder_whatever_else_it_mentions(service):
    _, body = say(service, "あさっての朝9時半に自動契約機に行く")
    assert "この内容で設定しますか" in body
    _, body = say(service, "12/5 9:00 振込")
    assert "12月5日(土) 9:00に「振込」" in body


def test_afraid_to_forget_the_repayment_is_no_late_payment(service):
    _, body = say(service, "返済日を忘れそうで不安です…27日なんですけど")
    assert "返済日は毎月27日ですね" in body and "過ぎているときは" not in body


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("ジムに行くって毎週金曜20時にリマインド", "ジムに行く"),
        ("明日の10時に電話するのを忘れないようにリマインドして", "電話する"),
        ("電話するの明日の10時で", "電話する"),
    ],
)
def test_no_stray_particles_in_a_task(service, text, task):
    _, body = say(service, text)
    assert f"「{task}」" in body


def test_changing_a_repeating_reminder_keeps_its_task_and_replaces_it(service):
    saved(service, "毎週金曜の夜8時にジムに行く")
    [rem] = reminders(service)
    tap(service, encode(ReminderOp("change", rem["id"])))
    _, body = say(service, "毎週土曜の9時")
    assert "毎週土曜 9:00に「ジムに行く」" in body
    say(service, "はい")
    [rem] = [r for r in reminders(service) if r["status"] == "active"]
    assert rem["what"] == "ジムに行く" and "土" not in rem["what"]


def test_a_repeating_reminder_named_with_a_new_time_keeps_its_days(service):
    saved(service, "毎週金曜の夜8時にジムに行く")
    _, body = say(service, "ジムを21時に変えて")
    assert "毎週金曜 21:00に「ジムに行く」" in body


# ---------------------------------------------------------------- safety found by the last fresh read


@pytest.mark.parametrize("text", ["紛失の記録だけ消して", "カードの記録だけ削除", "返済日の記録を消して"])
def test_deleting_one_record_never_offers_to_delete_everything(service, text):
    saved(service, "返済日は25日")
    say(service, "カードなくした")
    _, body = say(service, text)
    assert "すべて削除します" not in body and "記録を消しました" in body
    say(service, "はい")
    assert len(reminders(service)) == 1


@pytest.mark.parametrize(
    "text", ["電話で暗証番号教えてって言われたんだけど大丈夫？", "プロミスを名乗るSMSで暗証番号を聞かれた"]
)
def test_being_asked_for_a_pin_is_answered_as_a_likely_fraud(service, text):
    _, body = say(service, text)
    assert "詐欺の可能性" in body and "24時間受付" in body


@pytest.mark.parametrize("text", ["生きてるのがつらい", "もう終わりにしたい"])
def test_more_ways_of_saying_it_get_the_help_lines(service, text):
    _, body = say(service, text)
    assert "よりそいホットライン" in body


def test_asking_for_a_person_bluntly_gives_the_number(service):
    _, body = say(service, "人間出せ")
    assert "0120-24-0365" in body


def test_a_done_step_is_not_taken_for_logged_in(service):
    say(service, "カードを落とした")
    _, body = say(service, "警察にはもう行った")
    assert "よかったです" not in body


def test_still_stuck_twice_at_a_first_question_goes_to_the_call(service):
    say(service, "ログインできない")
    say(service, "まだだめ")
    _, body = say(service, "まだだめ")
    assert "0120-24-0365" in body


def test_the_only_reminder_is_the_one_meant(service):
    saved(service, DRAFT)
    _, body = say(service, "お知らせもういらない")
    assert "このお知らせを取り消しますか" in body
    say(service, "はい")
    assert [r for r in reminders(service) if r["status"] == "active"] == []


# ---------------------------------------------------------------- the last fresh read of reminders


@pytest.mark.parametrize(("answer", "expected"), [("夜中", "12月4日(金) 2:00"), ("午後の方", "12月4日(金) 14:00")])
def test_the_hour_question_answered_in_words(service, answer, expected):
    _, body = say(service, "明日2時に歯医者")
    assert "午後2時" in body
    _, body = say(service, answer)
    assert f"{expected}に「歯医者」" in body


def test_today_at_a_morning_hour_said_in_the_evening_asks_about_tonight(service, clock):
    clock.now = datetime(2026, 12, 3, 11, 20, tzinfo=UTC)  # 20:20 in Tokyo
    _, body = say(service, "今日の9時に薬飲む")
    assert "今夜の21:00" in body and "過ぎている" not in body


@pytest.mark.parametrize(
    ("text", "lead"),
    [("返済日は10日なんだけど1週間前に教えて", "7日前と当日"), ("返済日20日、10日前に教えてほしい", "7日前と当日")],
)
def test_a_repayment_lead_beyond_a_week_is_said_not_silently_changed(service, text, lead):
    _, body = say(service, text)
    assert lead in body
    assert ("7日前からにできます" in body) is ("10日前" in text)


@pytest.mark.parametrize("text", ["12/5 20:30に振込", "12月5日の10時に振込", "明日10時にパスワード変更"])
def test_a_dated_task_is_a_reminder_even_when_its_words_sound_like_a_cause(service, text):
    _, body = say(service, text)
    assert "この内容で設定しますか" in body


def test_a_hedged_answer_at_the_confirmation_asks_again(service):
    say(service, DRAFT)
    _, body = say(service, "たぶん大丈夫")
    assert "念のため確認させてください" in body and reminders(service) == []


def test_a_repayment_reminder_at_2_is_the_afternoon(service):
    say(service, "返済日は25日")
    say(service, "時刻を変える")
    _, body = say(service, "2時")
    assert "当日、14:00" in body
