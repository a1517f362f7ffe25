"""GET /metrics on the real server: Prometheus text, counts from real traffic, nothing about users."""

from __future__ import annotations

import asyncio
import time

from prometheus_client.parser import text_string_to_metric_families

from bot.metrics import CONTENT_TYPE, Metrics, sample
from tests.test_line import USER, Harness, _due_reminder, _wait_status, dumps, postback_event, run, sign, text_event

SECRET_WORDS = "きのうカードを落としたかもしれない"
OTHER_USER = "Uffffffffffffffffffffffffffffffff"


async def _scrape(h: Harness) -> str:
    async with h.http.get(h.url("/metrics")) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == CONTENT_TYPE
        return await resp.text()


def test_two_apps_in_one_process_keep_their_own_metrics():
    a, b = Metrics(), Metrics()
    a.webhook_event("applied")
    assert sample(a.render().decode(), "bot_line_webhook_events_total", {"outcome": "applied"}) == 1
    assert sample(b.render().decode(), "bot_line_webhook_events_total", {"outcome": "applied"}) == 0


def test_label_values_stay_in_their_fixed_sets():
    m = Metrics()
    m.push("line", "sent " + USER)
    m.turn(USER, 0.01)
    text = m.render().decode()
    assert USER not in text
    assert sample(text, "bot_pushes_total", {"platform": "line", "kind": "reminder", "outcome": "other"}) == 1


def test_metrics_count_webhooks_turns_pushes_and_the_outbox_without_user_data(tmp_path):
    async def scenario():
        async with Harness(tmp_path) as h:
            # Traffic: two users, text and a postback, a redelivered duplicate, refused requests.
            first = text_event(SECRET_WORDS)
            assert await h.post(first, text_event("ヘルプ", user=OTHER_USER)) == 200
            await h.replies(2)
            assert await h.post(postback_event("v1|p:start:lost_card")) == 200
            assert await h.post(first) == 200  # the same webhookEventId again
            await h.replies(3)
            await h.door.worker.settled()
            body = dumps({"destination": "U", "events": [text_event(SECRET_WORDS)]})
            assert await h.post_raw(body, signature=sign(body, "another-secret")) == 400
            assert await h.post_raw(body, signature=None) == 400
            assert await h.post_raw(b"{not json") == 400
            # A reminder that falls due is pushed, once after a 500.
            h.fake.push_script = [(500, {})]
            _due_reminder(h.app, USER)
            h.app.service.on_reminders_changed()
            await _wait_status(h, "pending", attempts=1)
            h.app.store.conn.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00+00:00'")
            # Before the retry: one send is due.
            text = await _scrape(h)
            assert sample(text, "bot_outbox_sends", {"state": "due"}) == 1
            h.app.service.on_reminders_changed()
            await _wait_status(h, "sent")

            text = await _scrape(h)
            requests = "bot_line_webhook_requests_total"
            events = "bot_line_webhook_events_total"
            assert sample(text, requests, {"outcome": "acknowledged"}) == 3
            assert sample(text, requests, {"outcome": "refused_signature"}) == 2
            assert sample(text, requests, {"outcome": "refused_body"}) == 1
            assert sample(text, requests, {"outcome": "inbox_error"}) == 0
            assert sample(text, events, {"outcome": "acknowledged"}) == 4
            assert sample(text, events, {"outcome": "applied"}) == 3
            assert sample(text, events, {"outcome": "duplicate"}) == 1
            assert sample(text, events, {"outcome": "poisoned"}) == 0
            assert sample(text, "bot_turn_seconds_count", {"platform": "line"}) == 4
            assert sample(text, "bot_turn_seconds_sum", {"platform": "line"}) > 0
            pushes = "bot_pushes_total"
            assert sample(text, pushes, {"platform": "line", "kind": "reminder", "outcome": "retry"}) == 1
            assert sample(text, pushes, {"platform": "line", "kind": "reminder", "outcome": "sent"}) == 1
            assert sample(text, "bot_outbox_sends", {"state": "due"}) == 0
            assert sample(text, "bot_outbox_sends", {"state": "sent"}) == 1
            assert sample(text, "bot_outbox_sends", {"state": "stuck"}) == 0
            assert sample(text, "bot_metrics_stale") == 0
            # No user id, event id, reply token or message text: labels come from fixed sets.
            for secret in (USER, OTHER_USER, first["webhookEventId"], first["replyToken"], SECRET_WORDS, "ヘルプ"):
                assert secret not in text, secret
            labels = {
                (name, value)
                for family in text_string_to_metric_families(text)
                for s in family.samples
                for name, value in s.labels.items()
            }
            assert {name for name, _ in labels} <= {"outcome", "platform", "kind", "state", "le"}

    run(scenario())


def test_the_line_quota_is_a_gauge(tmp_path):
    async def scenario():
        async with Harness(tmp_path) as h:
            # A reading started at start-up (by the health checks) must not land after the change below and
            # make the new reading look fresh (this raced under load).
            if h.door.quota._reading is not None:
                await h.door.quota._reading
            h.fake.usage = 37
            h.door.quota.read_at = None
            await _scrape(h)  # starts a fresh reading in the background
            for _ in range(100):
                text = await _scrape(h)
                if sample(text, "bot_line_quota_used") == 37:
                    break
                await asyncio.sleep(0.02)
            assert sample(text, "bot_line_quota_used") == 37
            assert sample(text, "bot_line_quota_limit") == 200
            assert sample(text, "bot_line_quota_exhausted") == 0
            h.door.quota.reached()
            assert sample(await _scrape(h), "bot_line_quota_exhausted") == 1

    run(scenario())


def test_a_slow_database_makes_metrics_stale_not_slow(tmp_path):
    async def scenario():
        async with Harness(tmp_path) as h:
            text = await _scrape(h)
            assert sample(text, "bot_metrics_stale") == 0
            real = h.app.store.outbox_counts
            calls = []

            def slow(now):
                calls.append(now)
                time.sleep(2.5)
                return {"due": 99}

            h.app.store.outbox_counts = slow  # type: ignore[method-assign]
            started = time.monotonic()
            text = await _scrape(h)
            assert time.monotonic() - started < 1.2
            assert sample(text, "bot_metrics_stale") == 1
            assert sample(text, "bot_outbox_sends", {"state": "due"}) == 0  # the last values stay
            # A scrape while the slow read still runs does not start a second one.
            text = await _scrape(h)
            assert sample(text, "bot_metrics_stale") == 1 and len(calls) == 1
            # The loop stayed free: /healthz answered meanwhile.
            assert (await h.http.get(h.url("/healthz"))).status == 200
            h.app.store.outbox_counts = real  # type: ignore[method-assign]
            await asyncio.sleep(1.0)
            # Once the slow read is over, the next scrape reads afresh.
            text = await _scrape(h)
            assert sample(text, "bot_metrics_stale") == 0 and len(calls) == 1
            assert sample(text, "bot_outbox_sends", {"state": "due"}) == 0

    run(scenario())
