"""The LINE door: a signed webhook (aiohttp) into the core, replies and reminder pushes via line-bot-sdk v3.

The webhook verifies the signature on the raw body, parses with the SDK's models, makes the events
durable in the inbox (a small file of its own, :mod:`storage.inbox`) and only then answers 200; a
slow or locked main database never delays or loses an acknowledged event (:mod:`.line_webhook`).
The inbox worker applies each event once (dedup on ``webhookEventId``, in the same transaction as the
turn), in arrival order (:mod:`.line_events`), and replies. When the reply token has expired by then
(the database was unavailable for a while, or the bot restarted), a diagnosis result is pushed (it is
what the user is waiting for); any other answer becomes a delivery note shown with the user's next
reply, a push costing quota (:mod:`.line_replies`). Reminders are pushed with ``X-Line-Retry-Key`` =
the send's stable key, so a retried push is never delivered twice (:mod:`.line_push`). At the monthly
message limit pushes are held until the 1st (:mod:`.line_quota`). A slow answer shows LINE's loading
animation (:mod:`.line_loading`).

Replies and pushes go through two SDK clients with connection pools of their own: a burst of
reminder pushes never makes a reply wait for a connection (:mod:`.line_clients`). Events LINE marks
``"mode": "standby"`` (another channel of the account is answering) are recorded as seen and not
acted on.

This module puts those parts together: :class:`LineDoor` is what the runner starts, asks for its
health and closes.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

# line-bot-sdk ships no type information (no py.typed marker, no stubs package): its names are Any.
from linebot.v3 import WebhookParser  # type: ignore[import-untyped]

from bot.adapters.line_clients import REQUEST_TIMEOUT, LineClients, quiet_payload_logs
from bot.adapters.line_events import EventApplier
from bot.adapters.line_loading import LoadingAnimation
from bot.adapters.line_push import Pusher
from bot.adapters.line_quota import MonthlyQuota
from bot.adapters.line_render import to_messages
from bot.adapters.line_replies import KeptAnswers, ReplySender
from bot.adapters.line_turn import LOG_NAME, PLATFORM, local_now
from bot.adapters.line_webhook import ACK_BUDGET, Webhook
from bot.app import App
from bot.core.dialogue.messages import Reply
from bot.delivery.dispatcher import RateLimiter
from bot.delivery.senders import SendResult
from bot.inbox_worker import InboxWorker, Intake, worker_name
from bot.service import DatabaseUnavailable

log = logging.getLogger(LOG_NAME)

SEEN_FOR = timedelta(days=1)


class LineDoor:
    """LINE Messaging API door (webhook + reply + push)."""

    platform = PLATFORM

    def __init__(self, app: App, push_rate: float | None = None) -> None:
        self.app = app
        settings = app.settings
        self.parser = WebhookParser(settings.line_channel_secret)
        self.clients = LineClients(settings)
        quiet_payload_logs()
        self.limiter = RateLimiter(push_rate or settings.line_push_rate)
        self.inbox = app.open_inbox()
        # One thread writes the inbox (the acknowledgement path) and one applies events to the main
        # database: a locked main database stalls only the second, never the 200.
        self._intake = ThreadPoolExecutor(max_workers=1, thread_name_prefix="line-inbox")
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="line-webhook")
        # Durable answers: their bookkeeping (take over a dead instance's, forget the sent ones) on a
        # thread of its own, so that it never waits behind a batch of turns.
        self._outbox = ThreadPoolExecutor(max_workers=1, thread_name_prefix="line-replies")
        owner = worker_name(settings.port)
        # One set of counters for /healthz, counted by the parts that see each happen.
        self.stats = {"events": 0, "duplicates": 0, "replies_failed": 0, "late_pushed": 0, "late_noted": 0}
        self.quota = MonthlyQuota(app.service.clock)
        self.pusher = Pusher(self.clients, self.quota, self.limiter)
        self.loading = LoadingAnimation(self.clients, self.inbox.waiting, self._intake)
        self.kept = KeptAnswers(app.service, owner, self._outbox)
        self.events = EventApplier(app, self.stats, self.loading, owner)
        self.replies = ReplySender(app, self.clients, self.pusher, self.loading, self.kept, self.stats, self._worker)
        self.worker = InboxWorker(
            # A connection of its own: the worker's claims never wait behind the webhook's durable writes.
            self.inbox.worker_side(),
            PLATFORM,
            self.events.apply,
            self.replies.deliver,
            self._worker,
            owner=owner,
            batch=app.service.batch,
            between=app.service.between_rounds,
        )
        self.intake = Intake(self.inbox, PLATFORM, self._intake)
        self.webhook = Webhook(app, self.parser, self.intake, self.worker, self.events, self.loading)
        app.metrics.on_scrape.append(self._quota_metrics)

    # ------------------------------------------------------------------ door protocol

    @property
    def sender(self) -> LineDoor:
        """The door itself pushes reminders (see :meth:`send`)."""
        return self

    def routes(self) -> list[web.RouteDef]:
        """``POST /line/webhook``."""
        return [web.post("/line/webhook", self.webhook.handle)]

    async def start(self) -> None:
        """Create the SDK clients inside the running loop (each owns an aiohttp session); start the inbox worker."""
        self.clients.open()
        self.loading.start(self.worker.drained)
        self._read_quota()
        self.worker.start()
        self.kept.start(self.worker.deliver_soon)
        try:
            await asyncio.wait_for(
                asyncio.get_running_loop().run_in_executor(
                    self._worker, self.app.service.prune_seen, datetime.now(UTC) - SEEN_FOR
                ),
                ACK_BUDGET,
            )
        except TimeoutError:
            log.warning("webhook: old event ids not pruned at start (TimeoutError); housekeeping does it later")
        except DatabaseUnavailable as exc:
            log.warning(
                "webhook: old event ids not pruned at start (%s); housekeeping does it later", type(exc).__name__
            )

    async def close(self) -> None:
        """Stop the inbox worker (waiting events stay for the next start), then close the SDK clients."""
        await self.kept.stop_looking()
        await self.worker.stop()
        self.intake.close()
        await self.kept.finish()
        await self.loading.close()
        await self.clients.close()
        self._worker.shutdown(wait=False)
        self._intake.shutdown(wait=False)
        self._outbox.shutdown(wait=False)

    def health(self) -> dict[str, Any]:
        """Counters, the inbox backlog and the monthly quota for /healthz; ``problems`` make it degraded.

        An exhausted quota is not a problem: the bot answers everyone (replies are free) and the
        reminders come with each user's next reply; restarting or draining the instance would not help.
        """
        self._read_quota()
        return {
            "connected": self.clients.connected,
            **self.stats,
            "inbox": {"waiting": self.worker.waiting, **self.worker.stats},
            "quota": self.quota.health(),
            "problems": [*self.intake.problems(), *self.worker.problems()],
        }

    def _quota_metrics(self) -> None:
        """The quota gauges of /metrics (and a fresh reading in the background when the last is old)."""
        self._read_quota()
        q = self.quota
        self.app.metrics.line_quota(q.exhausted_until is not None, q.limit if q.limited else None, q.used)

    def _read_quota(self) -> None:
        """Read the quota and this month's consumption in the background, when the last reading is old."""
        api = self.clients.push_api
        if api is not None:
            self.quota.refresh_soon(
                lambda: api.get_message_quota(_request_timeout=REQUEST_TIMEOUT),
                lambda: api.get_message_quota_consumption(_request_timeout=REQUEST_TIMEOUT),
            )

    # ------------------------------------------------------------------ reminders

    async def send(self, platform_user_id: str, reply: Reply, key: str) -> SendResult:
        """Push one reminder; the retry key makes a repeated push a no-op (409 = already sent)."""
        return await self.pusher.push(platform_user_id, to_messages([reply], local_now(self.app)), key)
