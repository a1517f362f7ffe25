"""Reminders said with more than one value: several leads for one repayment, two times for one
task, one more beside the one just saved, a remark at the "when?" question. Real service, real
SQLite file, console chat."""

from __future__ import annotations

import pytest


def test_several_leads_keep_the_earliest_and_say_so(friday_talk):
    *_, answer = friday_talk("プロミスの返済日リマインダーお願い", "27日", "7日前と3日前と前日に教えて")
    assert "1回だけ" in answer and "7日前と当日" in answer


def test_several_leads_said_with_the_day_keep_the_earliest(friday_talk):
    (answer,) = friday_talk("アコムの返済日、毎月5日。1週間前と前日にリマインドして")
    assert "1回だけ" in answer and "7日前と当日" in answer


def test_two_times_for_one_task_make_two_drafts(friday_talk):
    (answer,) = friday_talk("明日10時と夕方5時に薬飲むのリマインドして")
    assert "2件" in answer and "10:00「薬飲む」" in answer and "17:00「薬飲む」" in answer


def test_one_more_after_a_save_is_added_not_moved(friday_talk):
    *_, listed = friday_talk("明日の朝7時に起きるってリマインドして", "はい", "その5分後にももう一回", "はい", "一覧")
    assert "7:00" in listed and "7:05" in listed


def test_a_remark_at_the_when_question_is_not_read_as_the_day(friday_talk):
    *_, remark, when = friday_talk("リマインダー作りたい", "ゴミ出し", "今日寒くない？", "じゃあ月曜の朝7時")
    assert "何時にお知らせしますか" not in remark and "いつお知らせしますか" in remark
    assert "12月7日(月) 7:00" in when and "ゴミ出し" in when


def test_a_day_named_to_skip_skips_that_day_and_the_next_named_one_after_it(friday_talk):
    *_, first, second, listed = friday_talk(
        "毎週火曜と金曜の夜8時にジム行くってリマインドして",
        "はい",
        "来週の火曜だけジム休みにしたい",
        "来週の金曜だけジムなしで",
        "リマインダー",
    )
    assert "12月8日(火) 20:00" in first and "止めました" in first
    assert "12月11日(金) 20:00" in second and "止めました" in second
    assert "毎週火・金曜" in listed and "12月15日(火)" in listed


def test_a_day_further_than_the_coming_time_is_not_skipped_in_its_place(friday_talk):
    *_, answer = friday_talk("毎週火曜と金曜の夜8時にジム行くってリマインドして", "はい", "来週の金曜だけジムなしで")
    assert "次の回" in answer and "止めました" not in answer


def test_no_longer_needed_names_the_reminder_and_for_good_cancels_only_it(friday_talk):
    *_, asked, done, listed = friday_talk(
        "毎週火曜と金曜の夜8時にジム行くってリマインドして",
        "はい",
        "明日の朝9時に病院の予約電話",
        "はい",
        "ジムの通知もういらなくなった",
        "今後ぜんぶ",
        "一覧",
    )
    assert "ジム行く" in asked and "取り消しますか" in asked
    assert "取り消しました" in done
    assert "ジム" not in listed and "病院の予約電話" in listed


def test_the_lenders_monthly_reminder_is_its_repayment(friday_talk):
    (answer,) = friday_talk("アコムのリマインダー設定したい、毎月10日")
    assert "返済日は毎月10日" in answer and "リマインダー設定したい" not in answer


def test_the_request_before_a_comma_is_not_the_title(friday_talk):
    (answer,) = friday_talk("ジムのリマインダー設定したい、毎週月曜19時")
    assert "「ジム」" in answer


def test_going_back_to_a_set_up_in_words_asks_its_question_again(friday_talk):
    _, back = friday_talk("アコムのリマインダー設定したい、毎月10日", "じゃあリマインダーの続き")
    assert "読み取れません" not in back and "この内容で設定しますか" in back


def test_some_days_at_another_time_split_the_reminder(friday_talk):
    *_, asked, saved, listed = friday_talk(
        "毎朝7時に薬飲むのリマインドして", "はい", "あと土日は8時がいい", "はい", "リマインダー一覧"
    )
    assert "土日は8:00" in asked and "平日の毎日 7:00" in asked and "毎週土・日曜 8:00" in asked
    assert "設定しました" in saved
    assert (
        "平日の毎日 7:00" in listed
        and "毎週土・日曜 8:00" in listed
        and "毎日 7:00" not in listed.replace("平日の毎日", "")
    )


def test_a_day_said_in_the_last_thought_is_the_repayment_day(friday_talk):
    _, answer = friday_talk("プロミスの返済日のお知らせ設定したい", "えっと、いつだっけ…たぶん15日")
    assert "返済日は毎月15日" in answer


def test_the_timing_said_before_the_day_is_kept_for_it(friday_talk):
    _, asked, answer = friday_talk("プロミスの返済日のお知らせ設定したい", "前の日の夜にして", "15日")
    assert "返済日（約定日）はいつですか" in asked
    assert "1日前と当日、20:00" in answer


def test_a_kanji_counter_position_picks_from_the_list(friday_talk):
    *_, asked, done, listed = friday_talk(
        "明日10時に銀行",
        "はい",
        "月曜の朝8時にゴミ出し",
        "はい",
        "リマインダー",
        "一個目いらない",
        "はい",
        "リマインダー",
    )
    assert "銀行" in asked and "取り消しますか" in asked
    assert "取り消しました" in done and "銀行" not in listed and "ゴミ出し" in listed


def test_a_day_wondered_about_is_no_reminder(friday_talk):
    _, answer = friday_talk("プロミスの暗証番号忘れた", "明日行けるかな、土曜だけど")
    assert "2件" not in answer and "「だけど」" not in answer


def test_the_repayment_notice_moved_to_the_evening_keeps_its_hour_in_the_other_half(friday_talk):
    *_, right_after = friday_talk("毎月25日にアコムの返済リマインドお願い", "はい", "通知の時間を夜にできる？")
    assert "21:00にお知らせします" in right_after and "読み取れません" not in right_after


def test_the_repayment_notice_named_later_moves_to_the_evening(friday_talk):
    *_, later = friday_talk(
        "毎月25日にアコムの返済リマインドお願い", "はい", "ありがとう", "返済のお知らせ、夜にしてほしい"
    )
    assert "21:00にお知らせします" in later and "返済日（約定日）はいつですか" not in later


def test_every_reminder_but_the_one_named_to_keep_is_cancelled(friday_talk):
    *_, kept, done, listed = friday_talk(
        "明日10時に銀行",
        "はい",
        "毎週月曜8時にゴミ出し",
        "はい",
        "リマインダー全部いらない",
        "あ、ゴミ出しのは残して",
        "はい",
        "リマインダー",
    )
    assert "「ゴミ出し」は残します" in kept and "銀行" in kept
    assert "取り消しました" in done
    assert "ゴミ出し" in listed and "銀行" not in listed


def test_the_time_of_the_only_reminder_changed_in_words_is_that_reminder(friday_talk):
    *_, answer = friday_talk("来週の土曜に自動契約機行く", "はい", "何持ってけばいい？", "行く時間を午後2時に変えたい")
    assert "12月12日(土) 14:00に自動契約機" in answer


def test_a_document_asked_about_is_said_to_be_in_the_list(friday_talk):
    *_, answer = friday_talk("来週の土曜に自動契約機行く", "はい", "マイナンバーカードでいける？")
    assert answer.startswith("「マイナンバーカード」は、下の一覧に入っています")


def test_a_word_of_the_task_replaced_after_a_filler_and_a_wish_not_to_forget(friday_talk):
    first, _, swapped = friday_talk(
        "明後日の朝に病院の予約の電話するの忘れないようにしたい", "9時", "あ、やっぱ病院じゃなくて歯医者"
    )
    assert "「病院の予約の電話する」" in first
    assert "「歯医者の予約の電話する」" in swapped


def test_making_a_new_one_is_no_title(friday_talk):
    *_, when, what = friday_talk("リマインダー", "新しく作る", "来週水曜の15時", "役所に書類出す")
    assert "何をお知らせしますか" in when
    assert "12月9日(水) 15:00に「役所に書類出す」" in what


def test_a_day_said_with_a_hedge_is_the_repayment_day(friday_talk):
    *_, answer = friday_talk("返済日忘れないようにしたい", "レイク", "わかんない", "毎月27日だったと思う")
    assert "返済日は毎月27日" in answer


def test_a_day_the_reminder_never_comes_on_is_said_and_one_more_day_off_is_skipped(friday_talk):
    *_, tomorrow, next_tuesday = friday_talk("ジムのリマインダー毎週火曜19時", "はい", "明日だけ休み", "来週火曜も休む")
    assert "届きません" in tomorrow and "止めました" not in tomorrow
    assert "12月8日(火) 19:00" in next_tuesday and "止めました" in next_tuesday


@pytest.mark.parametrize("said", ["ありがとう。リマインドは設定して", "ありがとう、それでお願い"])
def test_thanks_then_a_yes_saves_the_draft(friday_talk, said):
    _, answer = friday_talk("毎月10日にプロミスの返済リマインド", said)
    assert "設定しました" in answer


def test_living_for_the_repayments_is_heard_with_people_who_listen_and_the_draft_stays(friday_talk):
    _, answer = friday_talk("毎月10日にプロミスの返済リマインド", "てか返済のために生きてる感じでしんどい")
    assert "よりそいホットライン" in answer and "この内容で設定しますか" in answer


def test_from_next_week_on_another_day_changes_the_only_reminder_from_next_week(friday_talk):
    *_, answer = friday_talk(
        "毎週金曜の夜9時に家計簿つけるリマインドお願い", "はい", "今日の分はもう済んだ", "来週から土曜にして"
    )
    assert "毎週土曜 21:00に「家計簿つける」" in answer and "次回：12月12日(土) 21:00" in answer
