"""The record in people's words: two lenders named before their days, the record as text while a
draft waits, a set-up's own marks never in the export, and the day deleted from under a repayment draft. Real service, real SQLite file, console chat.
"""

from __future__ import annotations

from bot.core.lenders.told import days_told


def test_two_lenders_named_first_then_each_with_its_day(friday_talk):
    said = "プロミスとレイク両方使ってます。返済日はプロミス3日、レイク23日"
    first, listing = friday_talk(said, "覚えてること全部テキストで出せる？")
    assert "【プロミス】\n・返済日：毎月3日" in first and "【レイク】\n・返済日：毎月23日" in first
    assert "・レイク\n　返済日：毎月23日" in listing


def test_a_lender_left_without_a_day_is_not_read_as_days(chat_turns):
    from bot.core.lenders.detect import Detector  # noqa: F401  (the real detector is built by the app)

    talk = chat_turns("")
    answer = talk("プロミスとレイクとアコム使ってる。返済日はプロミス3日、レイク23日")[0]
    assert "会社ごとに記録しました" not in answer
    assert days_told is not None


def test_the_record_as_text_at_a_draft_shows_it_all_and_asks_the_draft_again(friday_talk):
    *_, text = friday_talk("アコムで借りてて、返済日は毎月15日です", "それ、テキストで書き出して")
    assert "【状況】" in text and "返済日：毎月15日" in text and "この内容で設定しますか" in text


def test_the_export_shows_no_marks_of_a_set_up(friday_talk):
    *_, export = friday_talk("モビットでカードなくした", "あと返済日は毎月3日", "私のデータ全部出して（エクスポート）")
    assert "途中の手続き" in export and "debit_asked" not in export and "mail_noted" not in export
    assert "skip_first" not in export


def test_the_day_deleted_under_a_repayment_draft_drops_the_draft(friday_talk):
    *_, deleted = friday_talk(
        "返済日は毎月28日", "あ、会社はレイクです", "返済日の情報だけ消しといて、会社名はそのままで"
    )
    assert "「返済日」の記録を消しました" in deleted and "この内容で設定しますか" not in deleted


def test_what_the_bot_knows_and_never_keeps(friday_talk):
    known, name, line_name, dont = friday_talk(
        "いま何を知ってる？", "名前とかも知ってる？", "LINEの名前は見えてるの？", "覚えておかないでほしい"
    )
    assert "まだ何も教えていただいていません" in known and "お答えできません" not in known
    assert "記録もしていません" in name and "教えてくださって" not in name
    assert "記録もしていません" in line_name
    assert "いつでも全部消せます" in dont


def test_an_amount_deleted_was_never_kept(friday_talk):
    *_, deleted = friday_talk("アイフルで30万借りてる、毎月10日返済", "借入額のとこは消して")
    assert "もともと記録していません" in deleted and "読み取れません" not in deleted


def test_three_lenders_with_a_hedged_day_and_the_summary_asked(friday_talk):
    worried, days, summary = friday_talk(
        "アコム、アイフル、プロミス全部から借りてて…もうわけわかんない",
        "アコムが5日、アイフルが15日、プロミスは…たぶん25日",
        "まとめて見せて",
    )
    assert "最初からやり直す" not in worried
    assert "【アイフル】\n・返済日：毎月15日" in days and "【プロミス】\n・返済日：毎月25日" in days
    assert "【アコム】" in summary and "お答えできません" not in summary


def test_two_lenders_reminders_asked_at_once_then_the_second(friday_talk):
    first, second, listed = friday_talk(
        "プロミス10日とアコム20日の返済リマインド、両方前日夜9時で", "アコムの分も", "リマインダー一覧"
    )
    assert (
        "まずプロミスのお知らせです" in first
        and "返済日の1日前と当日、21:00" in first
        and "返済日は毎月10日ですね" in first
    )
    assert "設定しました" in second and "返済日は毎月20日ですね" in second
    assert "毎月10日・1日前と当日 21:00" in listed


def test_the_same_for_another_lender_after_saving(friday_talk):
    _, _, same = friday_talk("プロミスが毎月5日、アイフルが毎月15日。両方3日前に教えて", "はい", "アイフルも同じように")
    assert "返済日は毎月15日ですね" in same and "返済日の3日前と当日" in same
