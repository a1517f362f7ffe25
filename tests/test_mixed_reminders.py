"""Reminders of different kinds asked for in one message (a repeating one and a one-time one), then
one of them changed or dropped by its name while they wait for one yes. Real service, SQLite, console.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.reminders.mixed import mixed_drafts
from bot.core.reminders.setup_state import Spec

NOW = datetime(2026, 12, 4, 21, 30, tzinfo=UTC)


def _drafts(text: str) -> list[Spec] | None:
    return mixed_drafts(text, NOW, lambda w: Spec("task", what=w), lambda r, w: Spec("repeat", rule=r, what=w))


def test_a_repeating_part_and_a_dated_part_are_two_drafts():
    drafts = _drafts("毎週火曜と金曜の朝7時に燃えるゴミ、あと明日10時に歯医者")
    assert drafts is not None and [d.what for d in drafts] == ["燃えるゴミ", "歯医者"]
    assert drafts[0].rule and drafts[1].at


def test_one_reminder_or_one_time_only_is_not_mixed():
    assert _drafts("毎週月曜の朝7時にゴミ出し") is None
    assert _drafts("明日12時にランチ、12時半に郵便局") is None  # one-time only: the other reading's


def test_three_at_once_then_one_dropped_by_its_name(friday_talk):
    first, dropped, left = friday_talk(
        "毎朝8時に薬、毎週土曜10時に掃除、あと12月20日は母の誕生日", "薬のやつだけ消して", "何残ってる？"
    )
    assert "次の3件のお知らせを設定します" in first and "「母の誕生日」" in first and "「薬」" in first
    assert "次の2件" in dropped and "「薬」" not in dropped and "まだ何も教えていただいていません" not in dropped
    assert "「掃除」" in left and "まだ何も教えていただいていません" not in left


def test_the_one_time_part_changed_by_its_name(friday_talk):
    _, changed = friday_talk("毎週火曜と金曜の朝7時に燃えるゴミ、あと明日10時に歯医者", "歯医者のやつ1時間前にして")
    assert "12月5日(土) 9:00「歯医者」" in changed and "毎週火・金曜 7:00「燃えるゴミ」" in changed


def test_an_aside_then_the_answer_to_the_question(friday_talk):
    *_, answered = friday_talk(
        "プロミスの返済リマインド作りたい",
        "ちょい待って、今プロミスからってSMS来て『お支払いが確認できません、詳細はこちら』ってURLついてるんだけど本物？",
        "こわ…押してない。で、返済日は14日ね",
    )
    assert "押していないなら" in answered and "返済日は毎月14日ですね" in answered


def test_a_message_come_is_asked_about_with_its_words_quoted(friday_talk):
    _, real = friday_talk(
        "プロミス返済日5日、リマインドほしい", "それより今SMSで「プロミス：返済が確認できません」って来た。本物？"
    )
    assert real.startswith("本物かどうかは")


def test_two_sentences_that_read_as_nothing_whole_are_read_alone(friday_talk):
    *_, both = friday_talk(
        "SMBCモビットのリマインダー作りたい、返済日25日",
        "何日前がいいと思う？",
        "じゃあそれで。あ、そういえば延滞してたらリマインダーって意味ある？",
    )
    assert "設定" in both and "返済日を過ぎているときは" in both
