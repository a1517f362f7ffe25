"""A reminder question's own choices answered in other words: 「今回だけ」 for 「今回の分だけ止める」,
「夜」 for 「今夜の20:00」, 「時刻を変える」 for 「日時を変える」; a stop of a repeating reminder
asks this time or all, wherever it starts; 「ok👍」 is a yes."""

from __future__ import annotations

from bot.adapters.console import ConsoleChat


def test_this_time_only_in_other_words_skips_one(service):
    chat = ConsoleChat(service, "loose1")
    chat.say("毎日21時に薬を飲む")
    chat.say("はい")
    chat.say("リマインダー一覧")
    chat.say("1")
    assert "今後すべて止めますか" in chat.say("取り消す")
    assert "の「薬を飲む」は止めました" in chat.say("今回だけ")


def test_a_period_word_picks_the_one_moment_it_names(service):
    chat = ConsoleChat(service, "loose2")
    asked = chat.say("8時に電話")
    assert "今夜の20:00" in asked
    assert "20:00に「電話」" in chat.say("夜")


def test_the_time_in_other_words_changes_the_draft_and_a_sign_is_a_yes(service):
    chat = ConsoleChat(service, "loose3")
    chat.say("明日の10時に電話")
    assert "いつお知らせしますか" in chat.say("時刻を変える")
    chat.say("明後日の9時")
    assert "設定しました" in chat.say("ok👍")


def test_a_number_in_a_correction_is_not_taken_for_a_choice(service):
    chat = ConsoleChat(service, "loose4")
    chat.say("明日の10時に電話する")
    assert "9:00に「電話する」" in chat.say("1時間早めて")


def test_a_new_repayment_day_said_with_the_change_is_kept(service):
    chat = ConsoleChat(service, "loose5")
    chat.say("返済日は25日")
    chat.say("はい")
    assert "返済日 12月28日" in chat.say("返済日を28日に変えて")


def test_a_reminder_named_by_its_first_word_is_cancelled_not_created(service):
    chat = ConsoleChat(service, "loose6")
    chat.say("毎日21時に薬を飲む")
    chat.say("はい")
    assert "このお知らせを取り消しますか" in chat.say("毎日21時の薬もういらない")


def test_a_denied_loss_and_a_fixed_lock_are_heard(service):
    chat = ConsoleChat(service, "loose7")
    assert "24時間" not in chat.say("カードなくしてない")
    chat.say("ロックされた")
    assert "よかった" in chat.say("ロックはもう解除された")


def test_a_new_time_right_after_a_repeating_reminder_changes_it(service):
    chat = ConsoleChat(service, "loose8")
    chat.say("毎日21時に薬")
    chat.say("はい")
    assert "20:30" in chat.say("時間を20時半にしたい")
    chat.say("はい")
    listed = chat.say("一覧")
    assert "毎日 20:30" in listed and "にしたい" not in listed
