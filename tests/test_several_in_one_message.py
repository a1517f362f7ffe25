"""Several reminders asked for in one message: listed together, saved with one yes, some kept or
dropped in words; a time taken back at once (「10時、いや11時」). Real service, real SQLite file,
console chat, the clock fixed at Friday 2026-12-04 21:30 in Japan."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.dates.jptime import When, parse_when
from bot.core.reminders.several import SEVERAL_LEAD


def _whats(friday_app) -> list[str]:
    return sorted(r["what"] for r in friday_app.service.store.reminders.for_user(1))


def test_two_reminders_in_one_message_are_saved_with_one_yes(friday_app, friday_talk):
    said, saved = friday_talk("明日12時にランチの予約電話、12時半に郵便局、お願い", "はい")
    assert said.startswith(SEVERAL_LEAD.format(count=2))
    assert "12月5日(土) 12:00「ランチの予約電話」" in said and "12月5日(土) 12:30「郵便局」" in said
    assert "設定しました" in saved and _whats(friday_app) == ["ランチの予約電話", "郵便局"]


def test_each_part_keeps_its_own_day(friday_talk):
    (said,) = friday_talk("明日の10時に市役所、月曜の9時に返済のATM")
    assert "12月5日(土) 10:00「市役所」" in said and "12月7日(月) 9:00「返済のATM」" in said


@pytest.mark.parametrize(("said", "kept"), [("いや、ATMのだけ残して", "返済のATM"), ("市役所はいらない", "返済のATM")])
def test_some_kept_in_words(friday_app, friday_talk, said, kept):
    _, answer, _ = friday_talk("明日の10時に市役所、月曜の9時に返済のATM", said, "はい")
    assert f"「{kept}」をお知らせします" in answer and _whats(friday_app) == [kept]


def test_no_saves_none(friday_app, friday_talk):
    friday_talk("明日12時にランチの予約電話、12時半に郵便局", "やめる")
    assert _whats(friday_app) == []


def test_one_reminder_is_not_several(friday_talk):
    (said,) = friday_talk("明日の10時に歯医者、忘れないように")
    assert SEVERAL_LEAD.format(count=2) not in said


def test_a_time_taken_back_at_once():
    now = datetime(2026, 12, 4, 21, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    when = parse_when("明日の10時、いや11時に歯医者", now)
    assert isinstance(when, When) and when.at is not None and when.at.hour == 11 and when.rest == "歯医者"


def test_the_day_before_too_at_a_one_time_draft(friday_app, friday_talk):
    _, said, saved = friday_talk("12/24 18:00 ケーキ受け取り", "前の日にも教えて", "はい")
    assert "12月23日(水) 18:00「明日：ケーキ受け取り」" in said and "12月24日(木) 18:00「ケーキ受け取り」" in said
    assert "設定しました" in saved and _whats(friday_app) == ["ケーキ受け取り", "明日：ケーキ受け取り"]


def test_a_time_in_the_last_sentence_at_a_confirmation(friday_talk):
    _, said = friday_talk("毎週月曜の朝にゴミ出しのリマインダー", "開いてない。じゃあリマインダーの続き、6時半で")
    assert "毎週月曜 6:30に「ゴミ出し」" in said


def test_a_hedged_day_and_a_request_with_a_month_end(friday_talk):
    first, second, third = friday_talk("月末くらいに教えて、更新のやつ", "たぶん30日", "夜でいい。20時")
    assert "12月31日(木) 9:00に「更新のやつ」" in first
    assert "12月30日(水) 9:00に「更新のやつ」" in second and "12月30日(水) 20:00" in third


def test_a_time_from_now_at_a_confirmation(friday_talk):
    _, said = friday_talk("3時間後に洗濯物取り込むって教えて", "あ、やっぱ1時間後でいい")
    assert "12月4日(金) 22:3" in said and "過ぎている" not in said


def test_days_out_in_kansai_words_keep_the_draft(friday_talk):
    _, said = friday_talk("毎朝6時半にアラーム的なやつ", "土日はいらんわ")
    assert "平日" in said and "設定をやめました" not in said


def test_next_weeks_time_skipped_and_as_usual_after(friday_talk):
    _, skipped, usual = friday_talk(
        "毎週金曜の20時にジムって入れといて", "来週のだけスキップして", "再来週はいつもどおりね"
    )
    assert "次回：12月18日(金) 20:00" in skipped and "保存していません" not in skipped
    assert usual.startswith("はい、その次からは")


def test_a_card_not_lost_at_a_repayment_draft_is_kept(friday_talk):
    _, _, said = friday_talk("アイフル使ってる", "返済日は毎月20日", "カードはなくしてない")
    assert said.startswith("わかりました。そのことも記録しておきます。") and "設定をやめました" not in said
