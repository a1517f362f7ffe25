"""Words said at a reminder's confirmation, read as a change of the draft: a part of the day
(「やっぱ夕方くらいがいい」), one time for both sends (「どっちも夜7時」), the day a daily one starts
(「今日からで」 after its time, 「明日からでいいや」), the day itself too (「当日の朝もお願い」), and the
record asked for while the draft waits. Real service, real SQLite file, console chat.
"""

from __future__ import annotations

from bot.core.reminders.kinds.repeat import FROM_TOMORROW, TODAY_PASSED


def test_a_part_of_the_day_moves_the_draft_to_its_hour(friday_talk):
    _, evening = friday_talk("明日の15時に買い物リマインド", "やっぱ夕方くらいがいい")
    assert "12月5日(土) 17:00に「買い物」" in evening
    _, night, morning = friday_talk("明日の朝8時に薬", "夜にして", "朝にして")
    assert "12月5日(土) 20:00に「薬」" in night and "12月5日(土) 8:00に「薬」" in morning


def test_one_time_for_both_sends(friday_talk):
    _, both = friday_talk("返済日は毎月20日、プロミス。1週間前と当日にリマインド", "どっちも夜7時")
    assert "返済日の7日前と当日、19:00にお知らせします" in both


def test_the_day_itself_too_keeps_the_lead(friday_talk):
    _, too = friday_talk("プロミスの返済日が毎月27日なんだけど、3日前に教えてほしい", "当日の朝もお願い。9時くらい")
    assert "返済日の3日前と当日、9:00にお知らせします" in too


def test_the_day_a_daily_reminder_starts(friday_talk):
    _, today, tomorrow = friday_talk("毎日21時に家計簿つけるリマインド", "今日からで", "じゃあ明日からでいいや")
    assert TODAY_PASSED.format(clock="21:00") in today and "読み取れません" not in today
    assert FROM_TOMORROW in tomorrow and "次回：12月5日(土) 21:00" in tomorrow


def test_the_record_asked_at_a_draft_shows_the_draft_again(friday_talk):
    *_, shown = friday_talk("プロミスの返済日が毎月27日なんだけど、3日前に教えてほしい", "今なにが登録されてるか見せて")
    assert "まだ設定していません" in shown and shown.rstrip().endswith("4) やめる")
    assert "返済日は毎月27日ですね" in shown


def test_this_months_payment_done_skips_it_and_is_no_pay_off(friday_talk):
    _, skipped, nxt = friday_talk(
        "SMBCモビットの返済日15日です。2日前と当日にお知らせください",
        "今月分はもう払い終わってるので、12月の分だけ飛ばせますか",
        "じゃあ次はいつ通知来ます？",
    )
    assert "完済" not in skipped and "今月のお知らせは飛ばして" in skipped
    assert "2027年1月13日(水) 9:00" in nxt


def test_month_end_agreed_in_a_hedge(friday_talk):
    _, agreed = friday_talk("毎月31日に返済…ってあれ、31日ない月は？アイフル", "末日ってことでいいと思う")
    assert "月末（その月の最後の日）で設定します" in agreed


def test_weekdays_evening_at_a_repayment_draft_is_its_time(friday_talk):
    _, evening, coming = friday_talk(
        "レイクの返済、毎月15日。1週間前に教えて",
        "土日休みなんで平日の夜8時がいいです",
        "今月はもう15日の分も通知くる？",
    )
    assert "返済日の7日前と当日、20:00にお知らせします" in evening and "土日休みなんで" not in evening
    assert "12月8日(火) 20:00" in coming


def test_a_rule_the_reminders_cannot_keep_is_said_and_the_draft_waits(friday_talk):
    *_, nth = friday_talk(
        "毎週月曜にゴミ出しリマインドして", "朝7時", "燃えないゴミは第2・第4水曜なんだけど、それも入れられる？"
    )
    assert "まだ設定できません" in nth and "毎週月曜 7:00に「ゴミ出し」" in nth and "お答えできません" not in nth


def test_the_list_asked_after_wait_a_moment(friday_talk):
    _, listed = friday_talk("リマインダー全部止めて", "え、ちょっと待って、じゃあ一覧見せて")
    assert "設定中のお知らせはありません" in listed
