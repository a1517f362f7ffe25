"""Reminders managed in words, through the real service: a snooze said after a reminder came,
a kind asked for by name, "when?" menus without a moment twice, and 「今回だけ／今後すべて」
asked wherever a repeating or repayment reminder is stopped."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.dates.jptime import WhenAsk
from bot.core.dialogue.actions import RemindAt, ReminderOp
from bot.core.dialogue.conversation import Conversation
from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.dialogue.state import ConversationState, Outcome
from bot.core.reminders.host import Ctx
from bot.core.reminders.setup_state import AskWhen, Spec
from bot.core.reminders.when_menu import offer_again, when_question
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.senders import SENT

TZ = ZoneInfo("Asia/Tokyo")
USER = UserRef("console", "words")


class ConsoleSender:
    """Sends as the console does: the reminder's buttons become the choices a typed answer reads."""

    def __init__(self, service):
        self.service = service
        self.sent = []

    async def send(self, platform_user_id, reply, key):
        self.sent.append(reply)
        self.service.offer(USER, reply.choices)
        return SENT


def say(service, text):
    replies = service.handle(Incoming(USER, text=text))
    return replies, "\n".join(r.text for r in replies)


def tap(service, action):
    replies = service.handle(Incoming(USER, choice=action))
    return replies, "\n".join(r.text for r in replies)


def fire(service, clock, when):
    clock.now = when
    sender = ConsoleSender(service)
    assert asyncio.run(Dispatcher(service.store, service.conversation.flow, {"console": sender}, clock).run_due()) == 1
    return sender.sent[-1]


def rows(service, slot):
    return [r for r in service.store.reminders.outbox_rows() if r["slot"] == slot and r["status"] == "pending"]


def uid(service):
    return service.store.find_user(USER.platform, USER.user_id)


@pytest.mark.parametrize(
    ("said", "again"),
    [
        ("あとでもう一回", "12月4日(金) 11:00"),
        ("あとでもう一回教えて", "12月4日(金) 11:00"),
        ("30分後にもう一回", "12月4日(金) 10:30"),
        ("2時間後にまた教えて", "12月4日(金) 12:00"),
    ],
)
def test_a_snooze_in_words_after_a_reminder_came(service, clock, said, again):
    clock.now = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # Thursday 10:00 in Tokyo
    say(service, "明日の10時に電話する")
    say(service, "はい")
    fire(service, clock, datetime(2026, 12, 4, 10, 0, tzinfo=TZ))
    _, body = say(service, said)
    assert f"{again}にもう一度お知らせします" in body
    [snooze] = rows(service, "snooze")
    assert datetime.fromisoformat(snooze["due_at"]) == datetime.fromisoformat(
        f"2026-12-04T{again.split()[-1].zfill(5)}:00+09:00"
    )
    [rem] = service.store.reminders.for_user(uid(service), statuses=("active", "sent"))
    assert rem["what"] == "電話する"  # no new reminder named 「もう一回」


def test_words_of_a_snooze_without_a_reminder_that_came_snooze_nothing(service, clock):
    say(service, "明日の10時に電話する")
    say(service, "はい")
    say(service, "あとでもう一回")
    assert rows(service, "snooze") == []


@pytest.mark.parametrize("said", ["来店のお知らせ", "来店のリマインダー", "契約機に行く日のお知らせ"])
@pytest.mark.parametrize("before", [(), ("返済日は25日", "はい")])
def test_a_visit_reminder_asked_for_by_name_starts_its_set_up(service, said, before):
    for text in before:
        say(service, text)
    replies, body = say(service, said)
    assert "自動契約機にはいつ行く予定ですか" in body
    assert "設定中のお知らせはありません" not in body and "取り消したいお知らせ" not in body
    assert replies[-1].ask == "datetime"


def test_a_visit_reminder_asked_for_after_a_lock_keeps_the_cause(service):
    say(service, "ロックされた")
    say(service, "来店のお知らせ")
    say(service, "明日の10時")
    say(service, "はい")
    [rem] = service.store.reminders.for_user(uid(service))
    assert (rem["kind"], rem["reason"]) == ("visit", "locked")


def _moments(reply):
    return [c.action.at for c in reply.choices if isinstance(c.action, RemindAt)]


FRIDAY = datetime(2026, 12, 4, 10, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    "steps",
    [
        ("来店リマインダー",),
        ("ロックされた", "来店のお知らせを設定"),
        ("電話するのリマインドして",),
        ("明日の10時に電話する", "日時を変える"),
        ("明日の10時に電話する", "はい", "電話のリマインダーを変えて"),
    ],
)
def test_a_when_menu_on_a_friday_never_shows_a_moment_twice(service, clock, steps):
    clock.now = FRIDAY  # tomorrow is Saturday
    for text in steps:
        replies, _ = say(service, text)
    moments = _moments(replies[-1])
    assert len(moments) >= 2
    assert len(set(moments)) == len(moments)
    labels = [c.label for c in replies[-1].choices]
    assert len(set(labels)) == len(labels)


def _outcome():
    return Outcome(ConversationState(), [])


def _ctx(flow):
    return Ctx(flow, TZ, Conversation(flow, TZ))


def test_a_question_about_a_time_shows_each_proposed_moment_once(flow):
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=TZ)
    out = _outcome()
    ask = WhenAsk("weekday", (saturday, saturday.astimezone(UTC)), understood="土曜")
    when_question(_ctx(flow), out, Spec("free", what="電話"), ask, FRIDAY)
    assert _moments(out.replies[-1]) == [saturday]
    assert len(out.state.pending.options) == 1  # 「はい」 then takes the one moment shown


def test_the_moments_offered_again_are_each_shown_once(flow):
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=TZ)
    out = _outcome()
    stamp = saturday.astimezone(UTC).isoformat()
    pending = AskWhen(Spec("free", what="電話"), (stamp, stamp, datetime(2026, 12, 5, 18, 0, tzinfo=TZ).isoformat()))
    offer_again(_ctx(flow), out, pending, FRIDAY)
    assert len(_moments(out.replies[-1])) == 2


STOP_WHICH = "今回の分だけ止めますか"
SERIES = {
    "repeat": ("毎日21時に薬を飲む", "薬のリマインダーを止めて"),
    "repay": ("返済日は25日", "返済日のお知らせを止めて"),
}


def _saved(service, kind):
    say(service, SERIES[kind][0])
    say(service, "はい")
    [rem] = service.store.reminders.for_user(uid(service))
    assert rem["kind"] == kind
    return rem


def _asked_this_or_all(service, rem, replies):
    assert STOP_WHICH in replies[-1].text
    assert [c.action for c in replies[-1].choices][:2] == [
        ReminderOp("skip", rem["id"]),
        ReminderOp("cancel", rem["id"]),
    ]
    assert [r["status"] for r in service.store.reminders.for_user(uid(service))] == ["active"]  # nothing stopped yet


@pytest.mark.parametrize("kind", sorted(SERIES))
@pytest.mark.parametrize(
    "steps",
    [
        ("リマインダー", "1", "止めて"),  # opened from the list, then words
        ("リマインダー", "1", "止めたい"),
        ("リマインダー", "1", "取り消す"),  # the button's words
        ("<name>", "はい"),  # named, then the yes
        ("<name>", "取り消す"),
        ("リマインダー", "1番目のを消して", "はい"),  # by its place in the list
    ],
)
def test_stopping_a_series_asks_this_one_or_all(service, kind, steps):
    rem = _saved(service, kind)
    for text in steps:
        replies, _ = say(service, SERIES[kind][1] if text == "<name>" else text)
    _asked_this_or_all(service, rem, replies)
    _, body = say(service, "今回だけ")
    assert "止めました" in body
    assert [r["status"] for r in service.store.reminders.for_user(uid(service))] == ["active"]  # the series goes on


@pytest.mark.parametrize("kind", sorted(SERIES))
@pytest.mark.parametrize("said", ["止めて", "このお知らせを止める"])
def test_stopping_a_series_that_just_came_asks_this_one_or_all(service, clock, kind, said):
    clock.now = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
    rem = _saved(service, kind)
    due = datetime.fromisoformat(service.store.reminders.outbox_rows(rem["id"])[0]["due_at"])
    fire(service, clock, due)
    replies, _ = say(service, said)
    _asked_this_or_all(service, rem, replies)


def test_a_one_off_reminder_opened_and_stopped_in_words_is_confirmed_first(service):
    say(service, "明日の10時に電話する")
    say(service, "はい")
    say(service, "リマインダー")
    say(service, "1")
    _, body = say(service, "止めて")
    assert "取り消しますか" in body
    assert len(service.store.reminders.for_user(uid(service))) == 1
    say(service, "はい")
    assert service.store.reminders.for_user(uid(service)) == []


def test_a_reminder_at_a_place_in_the_list_changes_to_the_time_said(service, clock):
    clock.now = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # Thursday 10:00 in Tokyo
    for text in ("明日10時に電話", "はい", "明日20時に買い物", "はい"):
        say(service, text)
    _, body = say(service, "2つ目を21時にして")
    assert "21:00に「買い物」" in body and "2つ目" not in body
    _, body = say(service, "はい")
    assert "設定しました" in body


def test_the_one_just_listed_changes_with_that(service, clock):
    clock.now = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
    for text in ("明日10時に電話", "はい", "リマインダー見せて"):
        say(service, text)
    _, body = say(service, "それ11時に変えて")
    assert "11:00に「電話」" in body


def test_a_weekly_reminder_moves_to_the_weekday_said(service, clock):
    clock.now = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
    for text in ("毎週金曜20時に家計簿", "はい"):
        say(service, text)
    _, body = say(service, "金曜じゃなくて土曜にして")
    assert "毎週土曜 20:00に「家計簿」" in body


def test_cancelling_at_a_confirmation_drops_the_draft_and_deletes_nothing(service, clock):
    clock.now = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
    say(service, "明日10時に電話")
    _, body = say(service, "やっぱりキャンセルで")
    assert "設定をやめました" in body and "すべての記録を削除" not in body


def test_restating_monthly_at_a_repayment_confirmation_is_a_yes(service, clock):
    clock.now = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
    say(service, "25日に返済あるから教えて")
    _, body = say(service, "毎月ね")
    assert "設定しました" in body
