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
