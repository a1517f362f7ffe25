"""A reminder picked from 「取り消したいお知らせを選んでください」 is asked about being stopped (not
opened again); 「消しといて」 names one; 「はい」 where one is listed picks it, where several are asks which."""

from bot.core.dialogue.actions import REMINDER_VERBS
from bot.core.reminders.control import OPS

SETUP = ("毎朝7時に薬飲むのリマインドして", "はい", "明日の15時に銀行", "はい")


def test_every_operation_a_button_can_carry_is_one_the_reminders_run():
    assert set(OPS) == set(REMINDER_VERBS)


def test_picked_by_name_from_the_cancel_list_is_asked_then_cancelled(friday_talk):
    *_, listed, picked, done, left = friday_talk(*SETUP, "リマインダー消したい", "銀行", "はい", "リマインダー")
    assert "取り消したいお知らせ" in listed
    assert "取り消しますか" in picked and "銀行" in picked
    assert "取り消しました" in done
    assert "銀行" not in left and "薬飲む" in left


def test_a_repeating_one_picked_asks_this_time_or_all(friday_talk):
    *_, picked = friday_talk(*SETUP, "リマインダー消したい", "1")
    assert "今回の分だけ止める" in picked and "今後すべて止める" in picked


def test_keshitoite_names_the_one_to_cancel(friday_talk):
    *_, asked = friday_talk(*SETUP, "銀行のやつ消しといて")
    assert "取り消しますか" in asked and "銀行" in asked and "薬飲む" not in asked


def test_a_plain_yes_at_a_list_of_several_asks_which(friday_talk):
    *_, answer = friday_talk(*SETUP, "リマインダー消したい", "はい")
    assert "下から番号か名前で選んで" in answer and "薬飲む" in answer
