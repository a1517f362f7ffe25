"""Repeating reminders: the rule read from words, confirmed with two occurrences, sent one at a time
from the database across restarts, never twice, ended by a count; 「止める」 asks first."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.diagnosis.flow import load_flow
from bot.core.dialogue.messages import Incoming, SaveReminder, UserRef
from bot.core.reminders.recurrence import Rule, parse_rule
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.planner import Planner
from storage import Store, open_database
from tests.test_dispatcher import FakeSender

TZ = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 3, 14, 0, tzinfo=TZ)  # Tuesday


@pytest.mark.parametrize(
    ("text", "described", "task", "first"),
    [
        ("毎週金曜の夜8時に電話", "毎週金曜 20:00", "電話", datetime(2026, 11, 6, 20, 0, tzinfo=TZ)),
        ("毎日21時に薬を飲む", "毎日 21:00", "薬を飲む", datetime(2026, 11, 3, 21, 0, tzinfo=TZ)),
        ("平日の朝8時に出勤前チェック", "平日の毎日 8:00", "出勤前チェック", datetime(2026, 11, 4, 8, 0, tzinfo=TZ)),
        ("隔週水曜に燃えないごみ", "隔週水曜 9:00", "燃えないごみ", datetime(2026, 11, 4, 9, 0, tzinfo=TZ)),
        ("毎月第2火曜に会議", "毎月第2火曜 9:00", "会議", datetime(2026, 11, 10, 9, 0, tzinfo=TZ)),
        ("毎月末日に家賃を振込", "毎月末日 9:00", "家賃を振込", datetime(2026, 11, 30, 9, 0, tzinfo=TZ)),
        ("毎月15日の10時に振込、3回", "毎月15日 10:00（3回まで）", "振込", datetime(2026, 11, 15, 10, 0, tzinfo=TZ)),
        (
            "毎週月曜に電話 12月まで",
            "毎週月曜 9:00（2026年12月31日まで）",
            "電話",
            datetime(2026, 11, 9, 9, 0, tzinfo=TZ),
        ),
    ],
)
def test_rules_are_read_from_words(text, described, task, first):
    read = parse_rule(text, NOW)
    assert read is not None and read.rule is not None
    assert read.rule.describe() == described and read.rest == task
    assert read.rule.next_after(NOW, TZ) == first


def test_biweekly_skips_a_week_and_month_end_follows_short_months():
    rule = Rule("biweekly", time(9), weekday=2, start=date(2026, 11, 4))
    assert [d.date().isoformat() for d in rule.upcoming(NOW, TZ, 3)] == ["2026-11-04", "2026-11-18", "2026-12-02"]
    end = Rule("monthly_day", time(9), day=31)
    jan = datetime(2027, 1, 31, 10, 0, tzinfo=TZ)
    assert [d.date().isoformat() for d in end.upcoming(jan, TZ, 2)] == ["2027-02-28", "2027-03-31"]
    assert Rule.from_json(end.to_json()) == end


def test_an_impossible_rule_is_a_clear_answer():
    read = parse_rule("毎月32日に振込", NOW)
    assert read is not None and read.rule is None and read.error == "invalid"


def test_the_confirmation_repeats_the_rule_and_the_next_two(service, clock):
    clock.now = NOW.astimezone(UTC)
    user = UserRef("console", "rep")
    replies = service.handle(Incoming(user, text="毎週金曜の夜8時に電話"))
    body = "\n".join(r.text for r in replies)
    assert "毎週金曜 20:00に「電話」をお知らせします" in body
    assert "次回：11月6日(金) 20:00、その次：11月13日(金) 20:00" in body
    service.handle(Incoming(user, text="はい"))
    uid = service.store.find_user("console", "rep")
    [rem] = service.store.reminders.for_user(uid)
    assert rem["kind"] == "repeat" and Rule.from_json(rem["rule"]).weekday == 4
    replies = service.handle(Incoming(user, text="リマインダー一覧"))
    listed = "\n".join(r.text for r in replies)
    assert "電話（毎週金曜 20:00） 次回 11月6日(金) 20:00" in listed


def _run(d):
    return asyncio.run(d.run_due())


def test_sent_one_at_a_time_across_restarts_never_twice_and_ended_by_a_count(db_path, clock):
    rule = Rule("daily", time(21, 0), count=3)
    store = Store(open_database(db_path))
    uid = store.ensure_user("test", "u1", NOW)
    with store.transaction():
        Planner(store.reminders).save(
            uid, "test", "u1", SaveReminder("repeat", {"tz": "Asia/Tokyo", "rule": rule.to_json(), "what": "薬"}), NOW
        )
    assert len([r for r in store.reminders.outbox_rows() if r["status"] == "pending"]) == 1  # one at a time
    sender = FakeSender()
    clock.now = datetime(2026, 11, 3, 21, 0, tzinfo=TZ)
    assert _run(Dispatcher(store, load_flow(), {"test": sender}, clock)) == 1
    store.db.close()
    # A restart: a new store and dispatcher on the same file, two days later (one missed, then one due).
    store = Store(open_database(db_path))
    clock.now = datetime(2026, 11, 5, 21, 0, tzinfo=TZ)
    d = Dispatcher(store, load_flow(), {"test": sender}, clock)
    store.reminders.recover()
    assert _run(d) == 1  # the 4th's was missed while down: sent late, once, in place of the 5th's
    assert _run(d) == 0  # never two at once for one reminder
    clock.now = datetime(2026, 11, 6, 21, 0, tzinfo=TZ)
    assert _run(d) == 1  # the third and last
    clock.now += timedelta(days=3)
    assert _run(d) == 0  # the count ended it
    assert len(sender.calls) == 3 and len({key for _, _, key in sender.calls}) == 3
    assert all("（毎日のお知らせです）" in reply.text for _, reply, _ in sender.calls)
    [rem] = store.reminders.for_user(uid, statuses=("active", "sent", "done"))
    assert rem["status"] == "done"
    store.db.close()


def test_stop_on_a_repeating_reminder_asks_this_one_or_all(service, clock):
    clock.now = NOW.astimezone(UTC)
    user = UserRef("console", "stopper")
    service.handle(Incoming(user, text="毎日21時に薬を飲む"))
    service.handle(Incoming(user, text="はい"))
    uid = service.store.find_user("console", "stopper")
    [rem] = service.store.reminders.for_user(uid)
    from bot.core.dialogue.actions import ReminderOp

    replies = service.handle(Incoming(user, choice=ReminderOp("stop", rem["id"])))
    assert "今回の分だけ止めますか" in replies[-1].text
    assert [c.action for c in replies[-1].choices][:2] == [
        ReminderOp("skip", rem["id"]),
        ReminderOp("cancel", rem["id"]),
    ]
    assert service.store.reminders.for_user(uid)  # nothing stopped before the answer
    service.handle(Incoming(user, choice=ReminderOp("skip", rem["id"])))
    assert service.store.reminders.for_user(uid)[0]["status"] == "active"  # the series goes on
    service.handle(Incoming(user, choice=ReminderOp("cancel", rem["id"])))
    assert service.store.reminders.for_user(uid) == []


def test_set_up_states_are_typed_and_survive_storage_and_older_shapes():
    from bot.core.dialogue.state import ConversationState
    from bot.core.reminders.setup_state import AskWhat, Confirm, ConfirmForget, Spec, dump, load

    for pending in (Confirm(Spec("repay", due_day=25, time="20:00")), AskWhat(rule="{}"), ConfirmForget(), None):
        state = ConversationState(node="start", pending=pending)
        assert ConversationState.from_dict(state.to_dict()).pending == pending
        assert load(dump(pending)) == pending
    # What an older version stored (an untyped dict) or garbage is no set-up, never an error.
    for old in ({"ask": "when", "spec": {"kind": "visit"}}, {"confirm": {"kind": "repay"}}, {"type": "Nope"}, "x", 3):
        assert ConversationState.from_dict({"pending": old}).pending is None
    assert load({"type": "Confirm", "spec": {"kind": "alien"}}) is None


@pytest.mark.parametrize(
    ("text", "described", "task"),
    [
        ("毎週月水金の朝7時にジョギング", "毎週月・水・金曜 7:00", "ジョギング"),
        ("毎週土日の9時に散歩", "毎週土・日曜 9:00", "散歩"),
        ("毎週月曜と木曜の夜8時にジム", "毎週月・木曜 20:00", "ジム"),
        ("毎週金曜日の夜8時にジム", "毎週金曜 20:00", "ジム"),
        ("毎月月末に家賃", "毎月末日 9:00", "家賃"),
    ],
)
def test_several_weekdays_and_the_month_end_in_one_rule(text, described, task):
    now = datetime(2026, 11, 26, 20, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    read = parse_rule(text, now)
    assert read is not None and read.rule is not None
    assert (read.rule.describe(), read.rest) == (described, task)
    assert Rule.from_json(read.rule.to_json()) == read.rule


def test_a_rule_on_several_weekdays_fires_on_each_of_them():
    now = datetime(2026, 11, 26, 20, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # a Thursday
    rule = parse_rule("毎週月水金の朝7時に", now).rule
    days = [d.strftime("%a %d") for d in rule.upcoming(now, ZoneInfo("Asia/Tokyo"), 4)]
    assert days == ["Fri 27", "Mon 30", "Wed 02", "Fri 04"]
