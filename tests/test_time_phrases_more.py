"""Everyday time phrases and reminder titles, said the way people say them, through the real service
on Friday 2026-12-04 at 21:30 in Tokyo: the moment proposed, the title repeated back, what is saved."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.dialogue.messages import Incoming, UserRef

TZ = ZoneInfo("Asia/Tokyo")
USER = UserRef("console", "phrases")
FRIDAY_NIGHT = datetime(2026, 12, 4, 21, 30, tzinfo=TZ)


@pytest.fixture
def chat(service, clock):
    clock.now = FRIDAY_NIGHT.astimezone(UTC)

    def say(*texts: str) -> str:
        body = ""
        for text in texts:
            body = "\n".join(r.text for r in service.handle(Incoming(USER, text=text)))
        return body

    return say


def saved(service) -> list[tuple[str, str]]:
    """The user's reminders as (title, local moment)."""
    uid = service.store.find_user(USER.platform, USER.user_id)
    rows = service.store.reminders.for_user(uid) if uid else []
    return [
        (r["what"], datetime.fromisoformat(r["at"]).astimezone(TZ).strftime("%Y-%m-%d %H:%M") if r["at"] else "")
        for r in rows
    ]


@pytest.mark.parametrize(
    ("first", "answer", "proposed"),
    [
        ("書類を探すのリマインドして", "来週の金曜ね、21時", "12月11日(金) 21:00に「書類を探す」"),
        ("書類を探すのリマインドして", "月曜10時", "12月7日(月) 10:00に「書類を探す」"),
        ("書類を探すのリマインドして", "水曜の仕事終わり、19時くらい", "12月9日(水) 19:00に「書類を探す」"),
        ("書類を探すのリマインドして", "4日の昼", "2027年1月4日(月) 12:00に「書類を探す」"),
        ("書類を探すのリマインドして", "30日で", "12月30日(水) 9:00に「書類を探す」"),
        ("書類を探すのリマインドして", "月末でいいよ", "12月31日(木) 9:00に「書類を探す」"),
        ("書類を探すのリマインドして", "年明け4日", "2027年1月4日(月) 9:00に「書類を探す」"),
        ("書類を探すのリマインドして", "三が日明けの4日", "2027年1月4日(月) 9:00に「書類を探す」"),
        ("書類を探すのリマインドして", "0時", "12月5日(土) 0:00に「書類を探す」"),
    ],
)
def test_a_time_answered_in_everyday_words(chat, first, answer, proposed):
    chat(first)
    assert proposed in chat(answer)


@pytest.mark.parametrize(
    ("said", "proposed"),
    [
        ("年明け4日に電話するってリマインドして", "2027年1月4日(月) 9:00に「電話する」"),
        ("三が日明けの4日に電話するってリマインドして", "2027年1月4日(月) 9:00に「電話する」"),
        ("来週の金曜ね、21時に振込するのリマインドして", "12月11日(金) 21:00に「振込する」"),
        ("月曜10時に電話するってリマインドして", "12月7日(月) 10:00に「電話する」"),
    ],
)
def test_a_time_said_in_the_request(chat, said, proposed):
    assert proposed in chat(said)


def test_a_new_hour_at_the_confirmation_said_loosely(chat, service):
    chat("明日の10時に書類を探すってリマインドして")
    assert "12月5日(土) 13:00に「書類を探す」" in chat("昼の1時くらい")
    chat("はい")
    assert saved(service) == [("書類を探す", "2026-12-05 13:00")]


def test_tonight_before_bed_keeps_the_day_and_asks_the_hour(chat, service):
    body = chat("今夜寝る前にアプリ確認するの思い出させて")
    assert "「今夜寝る前」の何時" in body
    assert "12月4日(金) 23:00に「アプリ確認する」" in chat("11時くらい")


def test_midnight_after_a_late_draft_is_the_coming_midnight(chat, service):
    chat("今夜23時に薬を飲むってリマインドして")
    assert "12月5日(土) 0:00に「薬を飲む」" in chat("もうちょい遅く、0時")
    chat("はい")
    assert saved(service) == [("薬を飲む", "2026-12-05 00:00")]


def test_after_work_on_a_weekday_without_an_hour_asks_it_for_that_day(chat):
    chat("書類を探すのリマインドして")
    assert "「水曜の仕事終わり」の何時" in chat("水曜の仕事終わり")
    assert "12月9日(水) 19:00に「書類を探す」" in chat("19時")


def test_a_day_answered_within_the_month_the_set_up_was_about(chat, service):
    body = chat("2月30日にリマインドして、書類の更新")
    assert "カレンダーにない" in body
    assert "2027年2月28日(日) 9:00に「書類の更新」" in chat("あ、28日で")


def test_a_day_said_after_second_thoughts_at_the_confirmation(chat):
    chat("12月31日に書類を出すってリマインドして")
    assert "12月30日(水) 9:00に「書類を出す」" in chat("31日って大晦日か…じゃあ30日で")


def test_a_repeating_draft_takes_a_new_hour_from_today(chat, service):
    chat("毎週金曜の夜に家計簿つけるリマインダー")
    body = chat("22時で、今日から")
    assert "毎週金曜 22:00に「家計簿つける」" in body
    assert "12月4日(金) 22:00" in body


@pytest.mark.parametrize(
    ("said", "title"),
    [
        ("3時間後にもう一回ログイン試すからリマインドして", "「もう1回ログイン試す」"),
        ("あと月曜の朝9時に電話するのもリマインドして", "「電話する」"),
        ("寝る前に返済アプリ見るってリマインドしたい", None),
        ("毎週金曜20時にリマインド！内容はお小遣い帳つける", "「お小遣い帳つける」"),
    ],
)
def test_a_title_is_whole_words_without_the_request(chat, said, title):
    body = chat(said)
    if title is None:
        body = chat("11時くらい")
        title = "「返済アプリ見る」"
    assert title in body


def test_the_same_one_again_reuses_the_previous_title(chat, service):
    chat("明日の18時に銀行行くのリマインドして", "はい")
    assert "12月6日(日) 10:00に「銀行行く」" in chat("日曜の朝10時にも同じやつ")
    chat("はい")
    assert saved(service) == [("銀行行く", "2026-12-05 18:00"), ("銀行行く", "2026-12-06 10:00")]


def test_the_same_one_with_nothing_before_asks_what(chat):
    body = chat("日曜の朝10時に同じやつ、リマインドして")
    assert "何をお知らせしますか" in body
    assert "同じやつ" not in body


def test_the_previous_reminder_moved_later_in_the_conversation(chat, service):
    chat("日曜の夕方に家計簿つけるのリマインド", "はい", "ありがとう")
    body = chat("さっきのリマインダー、18時にしといて")
    assert "12月6日(日) 18:00に「家計簿つける」" in body
    chat("はい")
    assert saved(service) == [("家計簿つける", "2026-12-06 18:00")]


@pytest.mark.parametrize("said", ["毎月5日ってことね", "明日の10時ってことね"])
def test_fillers_alone_are_never_a_title(chat, said):
    body = chat(said)
    assert "「ってことね」" not in body
    assert "「ことね」" not in body
