"""The delivery engine with a controllable clock: on time, never twice, retries, restarts, catch-up.

Contract tests: every test taking ``store`` runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.diagnosis.flow import load_flow
from bot.core.dialogue.messages import SaveReminder
from bot.delivery.dispatcher import CLAIM_LEASE, Dispatcher, RetryPolicy
from bot.delivery.planner import Planner
from bot.delivery.senders import SENT, SendResult
from storage import Store, open_database
from tests.conftest import ROOT

T0 = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # Thursday 10:00 in Tokyo


class FakeSender:
    """Records every call; answers from a script of results (default: sent)."""

    def __init__(self, script=None):
        self.calls = []
        self.script = list(script or [])

    async def send(self, platform_user_id, reply, key):
        self.calls.append((platform_user_id, reply, key))
        return self.script.pop(0) if self.script else SENT


@pytest.fixture
def store(contract_store):
    return contract_store


def add(store, kind, now, **fields):
    uid = store.ensure_user("test", "u1", now)
    with store.transaction():
        return Planner(store.reminders).save(uid, "test", "u1", SaveReminder(kind, {"tz": "Asia/Tokyo", **fields}), now)


def run(dispatcher):
    return asyncio.run(dispatcher.run_due())


def rows(store):
    return store.reminders.outbox_rows()


def test_sent_on_time_exactly_once(store, clock):
    add(store, "free", T0, at="2026-12-03T03:00:00+00:00", what="電話する")
    sender = FakeSender()
    d = Dispatcher(store, load_flow(), {"test": sender}, clock)
    assert run(d) == 0 and sender.calls == []
    clock.now = datetime(2026, 12, 3, 2, 59, 59, tzinfo=UTC)
    assert run(d) == 0
    clock.now = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)
    assert run(d) == 1
    assert run(d) == 0
    clock.now += timedelta(days=3)
    assert run(d) == 0
    [(user, reply, key)] = sender.calls
    assert user == "u1" and "電話する" in reply.text and "遅れて" not in reply.text
    assert [c.label for c in reply.choices] == [
        "1時間後にもう一度",
        "明日の同じ時刻に",
        "完了した",
        "このお知らせを止める",
    ]
    assert rows(store)[0]["status"] == "sent" and rows(store)[0]["key"] == key


def test_repayment_chain_plans_the_next_send_after_each(store, clock):
    add(store, "repay", T0, due_day=5, days_before=3, time_of_day="09:00")
    sender = FakeSender()
    d = Dispatcher(store, load_flow(), {"test": sender}, clock)
    clock.now = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)  # 12/4 9:00 JST: 3 days before 12/7
    assert run(d) == 1
    assert "返済日は12月7日(月)です（あと3日）" in sender.calls[0][1].text
    assert "12月5日は土曜日のため" in sender.calls[0][1].text
    clock.now = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
    assert run(d) == 1
    assert "今日（12月7日(月)）が返済日です" in sender.calls[1][1].text
    planned = [r for r in rows(store) if r["status"] == "pending"]
    assert [(r["slot"], r["real_due"]) for r in planned] == [("before", "2027-01-05")]
    assert len({k for _, _, k in sender.calls}) == 2


def test_transient_errors_back_off_with_the_same_key_then_fail(store, clock):
    add(store, "free", T0, at="2026-12-03T01:00:00+00:00", what="x")
    sender = FakeSender([SendResult("retry", error="HTTP 503")] * 10)
    policy = RetryPolicy(base=10, cap=1000, max_attempts=4)
    d = Dispatcher(store, load_flow(), {"test": sender}, clock, policy=policy, seed=1)
    waits = []
    for _ in range(4):
        run(d)
        row = rows(store)[0]
        if row["status"] != "pending":
            break
        nxt = datetime.fromisoformat(store.conn.execute("SELECT next_attempt_at FROM outbox").fetchone()[0])
        waits.append((nxt - clock.now).total_seconds())
        clock.now = nxt
    assert len({k for _, _, k in sender.calls}) == 1 and len(sender.calls) == 4
    assert waits[0] < waits[1] < waits[2]  # exponential, jittered within 0.5x-1.5x
    assert 5 <= waits[0] <= 15
    row = rows(store)[0]
    assert row["status"] == "failed" and "gave up after 4 attempts: HTTP 503" in row["last_error"]


def test_retry_after_is_honoured(store, clock):
    add(store, "free", T0, at="2026-12-03T01:00:00+00:00", what="x")
    sender = FakeSender([SendResult("retry", error="HTTP 429", retry_after=120)])
    d = Dispatcher(store, load_flow(), {"test": sender}, clock, policy=RetryPolicy(base=1))
    run(d)
    nxt = datetime.fromisoformat(store.conn.execute("SELECT next_attempt_at FROM outbox").fetchone()[0])
    assert (nxt - clock.now).total_seconds() >= 120


@pytest.mark.parametrize("status", ["failed", "undeliverable"])
def test_permanent_errors_are_recorded_not_retried(store, clock, status):
    add(store, "free", T0, at="2026-12-03T01:00:00+00:00", what="x")
    sender = FakeSender([SendResult(status, error="HTTP 400 bad request")])
    d = Dispatcher(store, load_flow(), {"test": sender}, clock)
    run(d)
    clock.now += timedelta(days=1)
    run(d)
    assert len(sender.calls) == 1
    assert rows(store)[0]["status"] == status and rows(store)[0]["last_error"] == "HTTP 400 bad request"


def test_a_sender_exception_is_a_transient_error(store, clock):
    add(store, "free", T0, at="2026-12-03T01:00:00+00:00", what="x")

    class Broken:
        async def send(self, *args):
            raise ConnectionResetError("peer went away")

    run(Dispatcher(store, load_flow(), {"test": Broken()}, clock))
    row = rows(store)[0]
    assert row["status"] == "pending" and row["last_error"] == "ConnectionResetError"


def test_nothing_is_sent_for_a_cancelled_reminder(store, clock):
    rid = add(store, "free", T0, at="2026-12-03T01:00:00+00:00", what="x")
    with store.transaction():
        Planner(store.reminders).cancel(rid, T0)
    sender = FakeSender()
    run(Dispatcher(store, load_flow(), {"test": sender}, clock))
    assert sender.calls == [] and rows(store)[0]["status"] == "cancelled"


def test_catch_up_after_downtime(store, clock):
    add(store, "free", T0, at="2026-12-03T01:00:00+00:00", what="late one")
    add(store, "free", T0, at="2026-12-03T01:55:00+00:00", what="recent one")
    add(store, "repay", T0, due_day=5, days_before=3, time_of_day="09:00")  # before-send on 12/4
    clock.now = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    sender = FakeSender()
    run(Dispatcher(store, load_flow(), {"test": sender}, clock))
    texts = {c[1].text.splitlines()[-1].split("（")[0]: c[1].text for c in sender.calls}
    assert texts["late one"].startswith("（遅れてのお知らせです）")
    assert not texts["recent one"].startswith("（遅れて")
    # Down from 12/3 until 12/8: the 12/7 due date has passed; its sends are skipped, January planned.
    clock.now = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)
    sender = FakeSender()
    run(Dispatcher(store, load_flow(), {"test": sender}, clock))
    assert sender.calls == []
    repay = [r for r in rows(store) if r["real_due"]]
    assert [r["status"] for r in repay] == ["skipped", "skipped", "pending"]
    assert repay[-1]["real_due"] == "2027-01-05"


def test_only_user_restriction_and_platform_filter(store, clock):
    add(store, "free", T0, at="2026-12-03T01:00:00+00:00", what="x")
    sender = FakeSender()
    run(Dispatcher(store, load_flow(), {"test": sender}, clock, only_user="someone-else"))
    run(Dispatcher(store, load_flow(), {"line": sender}, clock))
    assert sender.calls == []
    run(Dispatcher(store, load_flow(), {"test": sender}, clock, only_user="u1"))
    assert len(sender.calls) == 1


def test_recover_puts_claimed_sends_back_with_their_key(store, clock):
    add(store, "free", T0, at="2026-12-03T01:00:00+00:00", what="x")
    with store.transaction():
        [claimed] = store.reminders.claim(clock.now, 10, ("test",))
    assert rows(store)[0]["status"] == "sending"
    d = Dispatcher(store, load_flow(), {"test": FakeSender()}, clock)
    assert run(d) == 0  # a row in flight is not claimed twice
    assert d.recover() == 0  # its claim is a lease: another process may still be sending it
    clock.now += CLAIM_LEASE + timedelta(seconds=1)
    assert d.recover() == 1  # the lease expired: taken over, with the same key
    sender = FakeSender()
    run(Dispatcher(store, load_flow(), {"test": sender}, clock))
    assert [k for _, _, k in sender.calls] == [claimed.key]


CRASHING_RUN = textwrap.dedent(
    """
    import asyncio, json, os, sys
    from datetime import datetime
    from bot.core.diagnosis.flow import load_flow
    from bot.delivery.dispatcher import Dispatcher
    from bot.delivery.senders import SENT
    from storage import Store, open_database

    store = Store(open_database(sys.argv[1]))

    class SendThenDie:
        async def send(self, user, reply, key):
            with open(sys.argv[2], "a") as f:
                f.write(json.dumps({"key": key}) + "\\n")
            os._exit(9)  # killed after the send, before the outcome is recorded

    now = datetime.fromisoformat(sys.argv[3])
    asyncio.run(Dispatcher(store, load_flow(), {"test": SendThenDie()}, lambda: now).run_due())
    """
)


def test_a_process_killed_between_claim_and_mark_sends_once_with_the_same_key(db_path, tmp_path, clock):
    store = Store(open_database(db_path))
    add(store, "free", T0, at="2026-12-03T01:00:00+00:00", what="x")
    log = tmp_path / "received.jsonl"
    out = subprocess.run(
        [sys.executable, "-c", CRASHING_RUN, db_path, str(log), clock.now.isoformat()],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 9, out.stderr
    first_key = json.loads(log.read_text().splitlines()[0])["key"]
    fresh = Store(open_database(db_path))
    assert fresh.reminders.outbox_rows()[0]["status"] == "sending"

    class Platform:
        """Like LINE: a repeated retry key is answered 409 and not delivered again."""

        def __init__(self):
            self.delivered = {first_key}
            self.keys = []

        async def send(self, user, reply, key):
            self.keys.append(key)
            if key in self.delivered:
                return SENT  # 409 "already accepted" counts as sent
            self.delivered.add(key)
            return SENT

    platform = Platform()
    d = Dispatcher(fresh, load_flow(), {"test": platform}, clock)
    assert d.recover() == 0  # right after the kill the claim's lease still runs
    clock.now += CLAIM_LEASE + timedelta(seconds=1)
    assert d.recover() == 1
    asyncio.run(d.run_due())
    assert platform.keys == [first_key] and platform.delivered == {first_key}
    assert fresh.reminders.outbox_rows()[0]["status"] == "sent"


class ChangingSender(FakeSender):
    """Runs ``during(store)`` while the send is in flight (the user acts meanwhile)."""

    def __init__(self, store, during, result=SENT):
        super().__init__([result])
        self.store = store
        self.during = during

    async def send(self, platform_user_id, reply, key):
        self.during(self.store)
        return await super().send(platform_user_id, reply, key)


def test_a_change_while_a_send_is_in_flight_does_not_duplicate_the_chain(store, clock):
    rid = add(store, "repay", T0, due_day=5, days_before=3, time_of_day="09:00")

    def change_due_day(s):
        uid = s.find_user("test", "u1")
        with s.transaction():
            Planner(s.reminders).save(
                uid, "test", "u1", SaveReminder("repay", {"tz": "Asia/Tokyo", "due_day": 25, "days_before": 3,
                                                           "time_of_day": "09:00"}, rid), clock.now)  # fmt: skip

    clock.now = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
    run(Dispatcher(store, load_flow(), {"test": ChangingSender(store, change_due_day)}, clock))
    pending = [r for r in rows(store) if r["status"] == "pending"]
    assert [p["real_due"] for p in pending] == ["2026-12-25"]  # only the new chain


def test_a_cancel_or_forget_while_in_flight_is_respected(store, clock):
    rid = add(store, "free", T0, at="2026-12-03T01:00:00+00:00", what="x")

    def cancel(s):
        with s.transaction():
            Planner(s.reminders).cancel(rid, clock.now)

    run(Dispatcher(store, load_flow(), {"test": ChangingSender(store, cancel)}, clock))
    assert store.reminders.get(rid)["status"] == "cancelled"
    add(store, "free", T0, at="2026-12-03T01:00:00+00:00", what="y")
    add(store, "repay", T0, due_day=5, days_before=3, time_of_day="09:00")

    def forget(s):
        with s.transaction():
            s.forget_user(s.find_user("test", "u1"))

    clock.now = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
    run(Dispatcher(store, load_flow(), {"test": ChangingSender(store, forget)}, clock))
    assert rows(store) == [] and store.conn.execute("SELECT count(*) FROM reminders").fetchone()[0] == 0


@pytest.mark.parametrize("status", ["failed", "undeliverable"])
def test_a_failed_month_does_not_end_a_repayment_reminder(store, clock, status):
    add(store, "repay", T0, due_day=5, days_before=3, time_of_day="09:00")
    clock.now = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
    run(Dispatcher(store, load_flow(), {"test": FakeSender([SendResult(status, error="x")])}, clock))
    assert [(r["slot"], r["status"]) for r in rows(store)] == [("before", status), ("day", "pending")]


def test_a_late_before_send_counts_days_from_now_and_the_due_day_is_not_sent_twice(store, clock):
    add(store, "repay", T0, due_day=5, days_before=3, time_of_day="09:00")
    clock.now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # down from 12/4 until the due day 12/7, 11:00
    sender = FakeSender()
    run(Dispatcher(store, load_flow(), {"test": sender}, clock))
    [(_, reply, _)] = sender.calls
    assert "遅れてのお知らせです" in reply.text and "あと3日" not in reply.text and "が返済日です" in reply.text
    assert [r["real_due"] for r in rows(store) if r["status"] == "pending"] == ["2027-01-05"]


def test_a_snoozed_repayment_reminder_keeps_its_due_date(store, clock):
    rid = add(store, "repay", T0, due_day=5, days_before=3, time_of_day="09:00")
    clock.now = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
    run(Dispatcher(store, load_flow(), {"test": FakeSender()}, clock))
    with store.transaction():
        Planner(store.reminders).snooze(
            store.reminders.get(rid), "test", "u1", clock.now + timedelta(hours=1), clock.now
        )
    clock.now += timedelta(hours=1)
    sender = FakeSender()
    run(Dispatcher(store, load_flow(), {"test": sender}, clock))
    [(_, reply, _)] = sender.calls
    assert "返済日は12月7日(月)です（あと3日）" in reply.text


def test_two_changes_in_one_second_plan_distinct_sends(store, clock):
    rid = add(store, "free", T0, at="2026-12-05T01:00:00+00:00", what="x")
    uid = store.find_user("test", "u1")
    for at in ("2026-12-06T01:00:00+00:00", "2026-12-05T01:00:00+00:00"):
        with store.transaction():
            Planner(store.reminders).save(uid, "test", "u1", SaveReminder("free", {"tz": "Asia/Tokyo", "at": at,
                                                                                   "what": "x"}, rid), T0)  # fmt: skip
    assert [r["due_at"] for r in rows(store) if r["status"] == "pending"] == ["2026-12-05T01:00:00+00:00"]


@pytest.mark.parametrize("retry_after", [1e12, float("inf"), float("nan"), -5.0, None])
def test_retry_after_is_honoured_only_up_to_a_bound(retry_after):
    import random

    from bot.delivery.dispatcher import MAX_RETRY_AFTER

    delay = RetryPolicy().delay(3, retry_after, random.Random(1))
    assert 0 < delay <= MAX_RETRY_AFTER
    assert RetryPolicy().delay(10_000, None, random.Random(1)) <= RetryPolicy().cap * 1.5


def test_a_transient_failure_is_retried_while_the_reminder_is_useful_then_the_user_is_told(store, clock):
    from bot.core.dialogue import texts
    from bot.core.dialogue.conversation import Conversation
    from bot.core.dialogue.messages import Incoming, UserRef
    from bot.service import ChatService
    from tests.conftest import TOKYO

    add(store, "visit", T0, at="2026-12-03T03:00:00+00:00", reason="")  # 12:00 Tokyo, useful until 15:00
    sender = FakeSender([SendResult("retry", error="HTTP 503")] * 500)
    d = Dispatcher(store, load_flow(), {"test": sender}, clock, seed=1)
    clock.now = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)
    attempts = 0
    while True:
        run(d)
        attempts += 1
        row = [r for r in rows(store) if r["slot"] == "once"][0]
        if row["status"] != "pending":
            break
        clock.now = datetime.fromisoformat(
            store.conn.execute("SELECT next_attempt_at FROM outbox WHERE id = ?", (row["id"],)).fetchone()[0]
        )
        assert clock.now <= datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # never retried past its use
    assert attempts > 6  # more than the old fixed six, while it could still help
    assert row["status"] == "failed" and "no longer useful" in row["last_error"]
    assert len({k for _, _, k in sender.calls if k == row["key"]}) == 1  # one key throughout
    # The user hears of it once, with their next answer.
    service = ChatService(store, Conversation(load_flow(), TOKYO), clock=clock)
    replies = service.handle(Incoming(UserRef("test", "u1"), text="ヘルプ"))
    assert replies is not None and replies[0].text == texts.REMINDER_FAILED_NOTE
    replies = service.handle(Incoming(UserRef("test", "u1"), text="ヘルプ"))
    assert replies is not None and all(r.text != texts.REMINDER_FAILED_NOTE for r in replies)


def test_a_block_during_a_send_holds_the_next_planned_send_too(store, clock):
    add(store, "repay", T0, due_day=5, days_before=3, time_of_day="09:00")
    d = Dispatcher(store, load_flow(), {"test": FakeSender()}, clock)
    clock.now = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)  # the 3-days-before send is due
    claimed = d._claim(clock.now)
    assert len(claimed) == 1
    store.set_paused("test", "u1", paused=True)  # the user blocks the bot while it is being sent
    d._record(claimed, [SENT])  # the chain plans its next send
    statuses = sorted(r["status"] for r in rows(store))
    assert statuses == ["paused", "sent"]  # the next one is held, not pending
    store.set_paused("test", "u1", paused=False)
    assert sorted(r["status"] for r in rows(store)) == ["pending", "sent"]


# ---------------------------------------------------------------------- a platform's monthly limit


def test_a_held_send_is_neither_failed_nor_retried_and_comes_with_the_next_reply(store, clock, conversation):
    from bot.core.dialogue.messages import Incoming, UserRef
    from bot.delivery.dispatcher import NOTE_HELD
    from bot.service import ChatService

    first_of_january = datetime(2026, 12, 31, 15, 0, tzinfo=UTC)  # 2027-01-01 0:00 in Tokyo
    add(store, "free", T0, at="2026-12-03T03:00:00+00:00", what="書類を探す")
    add(store, "repay", T0, due_day=25, days_before=3, time_of_day="09:00")
    held = SendResult("held", error="monthly limit", until=first_of_january)
    sender = FakeSender([held, held])
    d = Dispatcher(store, load_flow(), {"test": sender}, clock)
    clock.now = datetime(2026, 12, 22, 0, 0, tzinfo=UTC)  # both due: 12/3 and three days before 12/25
    assert run(d) == 2
    once, before, *later = rows(store)
    assert once["status"] == "held" and before["status"] == "held" and before["slot"] == "before"
    assert once["last_error"].startswith("held: monthly message limit")
    # The monthly chain moved on: the due-day send is planned, not blocked behind the held one.
    assert [(r["status"], r["real_due"]) for r in later] == [("pending", "2026-12-25")]
    assert run(d) == 0 and len(sender.calls) == 2  # nothing is retried before the 1st
    uid = store.find_user("test", "u1")
    assert sorted(store.notes.peek(uid)) == sorted(
        f"{NOTE_HELD}{r['id']}" for r in rows(store) if r["status"] == "held"
    )
    # The user's next answer carries the reminders themselves, with their buttons.
    service = ChatService(store, conversation, clock=clock)
    replies = service.handle(Incoming(UserRef("test", "u1"), text="ヘルプ"))
    assert "上限" in replies[0].text
    shown = [r for r in replies if r.card is not None and r.choices]
    assert {r.card.title for r in shown} == {"お知らせ", "返済日のお知らせ"}
    assert any("書類を探す（12月3日(木) 12:00）" in r.text for r in shown)
    assert all(r["status"] != "held" for r in rows(store)) and store.notes.peek(uid) == []
    assert store.reminders.get(1)["status"] == "sent"  # the once reminder is done
    # Said once: the next answer is plain.
    assert "上限" not in service.handle(Incoming(UserRef("test", "u1"), text="ヘルプ"))[0].text
    # On the 1st nothing the user already saw is pushed again.
    clock.now = first_of_january
    run(d)
    assert len(sender.calls) == 2 and [r["status"] for r in rows(store)[:2]] == ["sent", "sent"]


def test_a_held_send_the_user_never_saw_is_sent_on_the_1st_only_while_useful(store, clock):
    first_of_january = datetime(2026, 12, 31, 15, 0, tzinfo=UTC)
    add(store, "free", T0, at="2026-12-31T14:00:00+00:00", what="年越しの電話")  # 23:00 on 12/31
    add(store, "free", T0, at="2026-12-20T03:00:00+00:00", what="古い用事")
    held = SendResult("held", error="monthly limit", until=first_of_january)
    sender = FakeSender([held, held])
    d = Dispatcher(store, load_flow(), {"test": sender}, clock)
    clock.now = datetime(2026, 12, 31, 14, 0, tzinfo=UTC)
    assert run(d) == 2 and {r["status"] for r in rows(store)} == {"held"}
    clock.now = first_of_january - timedelta(seconds=1)
    assert run(d) == 0
    clock.now = first_of_january
    assert run(d) == 2
    by_what = {store.reminders.get(r["reminder_id"])["what"]: r["status"] for r in rows(store)}
    assert by_what == {"年越しの電話": "sent", "古い用事": "skipped"}  # 12 days old: of no more use
    assert ["年越しの電話" in c[1].text for c in sender.calls[2:]] == [True]
