"""What the bot counts for ``GET /metrics`` (Prometheus text format, prometheus-client).

Each :class:`App` has its own :class:`Metrics` with its own ``CollectorRegistry`` (never the
process-wide default): two apps in one process (tests) never share or collide on a metric.

Label values come only from small fixed sets (outcomes, platforms, send states): never a user id,
an event id or message text. The outbox gauges are read from the database when /metrics is asked,
on a worker thread with a deadline; when the database does not answer in time the last values
stay and ``bot_metrics_stale`` is 1.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Mapping
from typing import Any, Final

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

log = logging.getLogger(__name__)

CONTENT_TYPE: Final = CONTENT_TYPE_LATEST

# How one webhook request was answered (its events are counted apart, in WEBHOOK_EVENT_OUTCOMES).
WEBHOOK_REQUEST_OUTCOMES: Final = ("acknowledged", "refused_signature", "refused_body", "inbox_error")
# What became of one acknowledged event: taken into the inbox, then applied once, or found to be a
# duplicate (already applied), or poisoned (it broke its turn: answered politely, dropped), or put
# off because the main database was unavailable (counted per attempt; it is retried).
WEBHOOK_EVENT_OUTCOMES: Final = ("acknowledged", "applied", "duplicate", "poisoned", "retried")
# The outcome of one push (a reminder, or a late diagnosis result on LINE), as the sender reported it.
PUSH_OUTCOMES: Final = ("sent", "retry", "failed", "undeliverable", "held")
PUSH_KINDS: Final = ("reminder", "late_reply")
# Outbox rows by state: due (pending and its time has come), stuck (claimed long ago and never
# marked), and the finished states that matter to an operator.
OUTBOX_STATES: Final = ("due", "stuck", "sent", "failed", "undeliverable", "held")
PLATFORMS: Final = ("line", "discord", "console")
# A turn takes milliseconds; the tail shows a busy database (a turn waits up to 5 s for the lock).
TURN_BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
OTHER: Final = "other"


def _known(value: str, allowed: tuple[str, ...]) -> str:
    """The value when it is one of the fixed label values, else ``other`` (labels stay a small set)."""
    return value if value in allowed else OTHER


class Metrics:
    """The bot's metrics in a registry of their own, with helpers for the places that count."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.webhook_requests = Counter(
            "bot_line_webhook_requests", "LINE webhook requests by how they were answered", ["outcome"], registry=r
        )
        self.webhook_events = Counter(
            "bot_line_webhook_events", "LINE webhook events by what became of them", ["outcome"], registry=r
        )
        self.turn_seconds = Histogram(
            "bot_turn_seconds",
            "Seconds one conversation turn took (ChatService.handle: lock, load, core, store)",
            ["platform"],
            buckets=TURN_BUCKETS,
            registry=r,
        )
        self.pushes = Counter(
            "bot_pushes", "Pushes to users by platform, kind and outcome", ["platform", "kind", "outcome"], registry=r
        )
        self.outbox = Gauge("bot_outbox_sends", "Outbox sends by state, read at scrape time", ["state"], registry=r)
        self.stale = Gauge(
            "bot_metrics_stale",
            "1 when the database did not answer the last scrape (outbox values are older)",
            registry=r,
        )
        self.quota_exhausted = Gauge(
            "bot_line_quota_exhausted", "1 while LINE's monthly message limit holds pushes, else 0", registry=r
        )
        self.quota_limit = Gauge(
            "bot_line_quota_limit", "LINE's monthly push limit (NaN: not read yet, or no limit)", registry=r
        )
        self.quota_used = Gauge("bot_line_quota_used", "Pushes LINE counted this month (NaN: not read yet)", registry=r)
        for outcome in WEBHOOK_REQUEST_OUTCOMES:
            self.webhook_requests.labels(outcome)
        for outcome in WEBHOOK_EVENT_OUTCOMES:
            self.webhook_events.labels(outcome)
        for state in OUTBOX_STATES:
            self.outbox.labels(state)
        self.quota_limit.set(math.nan)
        self.quota_used.set(math.nan)
        # Run at every scrape before the output is written (a door refreshing its gauges; on the loop).
        self.on_scrape: list[Callable[[], None]] = []
        self._reading: asyncio.Future[Mapping[str, int]] | None = None

    # ------------------------------------------------------------------ counting

    def webhook_request(self, outcome: str) -> None:
        """Count one webhook request answered with ``outcome`` (see WEBHOOK_REQUEST_OUTCOMES)."""
        self.webhook_requests.labels(_known(outcome, WEBHOOK_REQUEST_OUTCOMES)).inc()

    def webhook_event(self, outcome: str, count: int = 1) -> None:
        """Count ``count`` webhook events with ``outcome`` (see WEBHOOK_EVENT_OUTCOMES)."""
        self.webhook_events.labels(_known(outcome, WEBHOOK_EVENT_OUTCOMES)).inc(count)

    def turn(self, platform: str, seconds: float) -> None:
        """Record how long one turn took."""
        self.turn_seconds.labels(_known(platform, PLATFORMS)).observe(seconds)

    def push(self, platform: str, outcome: str, kind: str = "reminder") -> None:
        """Count one push by its outcome (a SendResult status)."""
        self.pushes.labels(_known(platform, PLATFORMS), _known(kind, PUSH_KINDS), _known(outcome, PUSH_OUTCOMES)).inc()

    def line_quota(self, exhausted: bool, limit: int | None, used: int | None) -> None:
        """Set the LINE quota gauges (None: unknown, or no limit)."""
        self.quota_exhausted.set(1 if exhausted else 0)
        self.quota_limit.set(math.nan if limit is None else limit)
        self.quota_used.set(math.nan if used is None else used)

    # ------------------------------------------------------------------ scraping

    async def refresh_outbox(self, read: Callable[[], Mapping[str, int]], timeout: float) -> None:
        """Read the outbox counts on a worker thread within ``timeout`` seconds.

        A read that does not finish in time keeps running in the background (at most one at a time:
        a scrape during it does not start another); meanwhile the gauges keep their last values and
        ``bot_metrics_stale`` is 1.
        """
        reading = self._reading
        if reading is None or reading.done():
            reading = self._reading = asyncio.ensure_future(asyncio.to_thread(read))
            # A read that outlives its scrape is still collected (no "exception never retrieved").
            reading.add_done_callback(lambda f: f.cancelled() or f.exception())
        try:
            counts = await asyncio.wait_for(asyncio.shield(reading), timeout)
        except TimeoutError:
            self.stale.set(1)
            return
        except Exception as exc:  # noqa: BLE001 - /metrics answers whatever the database does
            log.info("metrics: outbox not read (%s)", type(exc).__name__)
            self.stale.set(1)
            return
        for state in OUTBOX_STATES:
            self.outbox.labels(state).set(counts.get(state, 0))
        self.stale.set(0)

    def render(self) -> bytes:
        """The registry in the Prometheus text format (after the scrape hooks ran)."""
        for hook in self.on_scrape:
            try:
                hook()
            except Exception as exc:  # noqa: BLE001 - one gauge must not take /metrics down
                log.info("metrics: a scrape hook failed (%s)", type(exc).__name__)
        return generate_latest(self.registry)


def sample(text: str, name: str, labels: Mapping[str, str] | None = None) -> float | None:
    """One sample's value from a /metrics text (for tests and quick checks); None when absent."""
    from prometheus_client.parser import text_string_to_metric_families

    wanted: dict[str, Any] = dict(labels or {})
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and s.labels == wanted:
                return float(s.value)
    return None
