"""The LINE door: a signed webhook (aiohttp) into the core, replies and reminder pushes via line-bot-sdk v3.

The webhook verifies the signature on the raw body, parses with the SDK's ``WebhookParser``, makes
the events durable in the inbox (a small file of its own, :mod:`storage.inbox`) and only then answers
200; a slow or locked main database never delays or loses an acknowledged event. The inbox worker
applies each event once (dedup on ``webhookEventId``, in the same transaction as the turn), in
arrival order, and replies. When the reply token has expired by then (the database was unavailable
for a while, or the bot restarted), a diagnosis result is pushed (it is what the user is waiting for);
any other answer becomes a delivery note shown with the user's next reply (a push costs quota).
Reminders are pushed with ``X-Line-Retry-Key`` = the send's stable key, so a retried push is never
delivered twice. At the monthly message limit pushes are held until the 1st (:mod:`.line_quota`).

Replies and pushes go through two SDK clients with connection pools of their own: a burst of
reminder pushes never makes a reply wait for a connection. Events LINE marks ``"mode": "standby"``
(another channel of the account is answering) are recorded as seen and not acted on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import aiohttp
from aiohttp import web

# line-bot-sdk ships no type information (no py.typed marker, no stubs package): its names are Any.
from linebot.v3 import WebhookParser  # type: ignore[import-untyped]
from linebot.v3.exceptions import InvalidSignatureError  # type: ignore[import-untyped]
from linebot.v3.messaging import (  # type: ignore[import-untyped]
    ApiException,
    AsyncApiClient,
    AsyncMessagingApi,
    Configuration,
    PushMessageRequest,
    ShowLoadingAnimationRequest,
)
from linebot.v3.models.events import UnknownEvent  # type: ignore[import-untyped]
from linebot.v3.webhooks import (  # type: ignore[import-untyped]
    Event,
    FollowEvent,
    JoinEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)

from bot.adapters.line_quota import MonthlyQuota, is_monthly_limit
from bot.adapters.line_render import PICKER, parse_postback, to_messages
from bot.app import App
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Incoming, Reply, ResultCard, UserRef
from bot.delivery.dispatcher import RateLimiter
from bot.delivery.senders import SENT, SendResult
from bot.inbox_worker import Arrival, InboxItem, InboxWorker, Intake, event_time, worker_name
from bot.logsafety import keep_above_debug
from bot.service import NOTE_REPLY_LATE, DatabaseUnavailable

WELCOME_BACK = Command("welcome_back")
WITHHELD_TEXT = Command("withheld")
# A late-reply note that cannot be stored: the database is unavailable, or the door is closing (its
# database thread is shut down, RuntimeError).
_NOTE_LOST: tuple[type[Exception], ...] = (*DatabaseUnavailable, RuntimeError)
log = logging.getLogger(__name__)

PLATFORM = "line"
MAX_BODY = 1024 * 1024
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=10)
# A webhook body that has not fully arrived after this long is given up (a client that stalls
# half-way must not hold a request open forever).
BODY_TIMEOUT = 10.0
# Connections per pool. Replies (and the loading animation that precedes them) have a pool of their
# own, as large as a burst needs; pushes (reminders, late results, quota reads) have theirs, sized
# for the dispatcher's concurrency: however many pushes are in flight, a reply never waits for them.
REPLY_CONNECTIONS = 100
PUSH_CONNECTIONS = 64
# LINE's "mode" of an event sent while another channel (a module) is in charge of the chat.
STANDBY = "standby"
# The inbox write must finish within this budget, or the webhook answers 500 (LINE redelivers).
ACK_BUDGET = 1.5
# A reply token is only good for a short while (LINE does not say how long; about a minute in
# practice). An older one is not tried: the answer goes the late way at once.
REPLY_WINDOW = timedelta(seconds=50)
SEEN_FOR = timedelta(days=1)
# An answer not sent this long after the event was acknowledged shows LINE's loading animation
# (until the answer arrives, at most LOADING_SECONDS; LINE accepts 5-60 in steps of 5).
LOADING_AFTER = 1.0
# Durable answers: how long an instance may take to send an answer it kept before another instance
# takes it over (well inside the reply token's minute), and how often each instance looks for such.
REPLY_LEASE = 20.0
REPLY_SWEEP = 1.0
LOADING_SECONDS = 20
# How long an acknowledgement may be held while a burst is worked off (LINE waits about 2 s for the 200).
ACK_HOLD = 1.0
MODELS_KEPT = 20_000
# The SDK logs whole response bodies at DEBUG (profiles, error details). Its Configuration happens to
# set these loggers to WARNING, but a logging set-up done later (LOG_LEVEL=DEBUG, dictConfig) can undo
# that; like the Discord door, the door keeps them at INFO or above itself.
PAYLOAD_LOGGERS = ("linebot.v3.messaging.rest", "linebot.v3.messaging.async_rest")
# A JSON escape of a UTF-16 surrogate; only bodies containing one need the (slower) pairing check.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def quiet_payload_logs() -> None:
    """Keep the payload-carrying loggers above DEBUG, whatever LOG_LEVEL says."""
    keep_above_debug(PAYLOAD_LOGGERS)


def _has_lone_surrogate(body: str) -> bool:
    """True when a string in the (valid JSON) body holds half a UTF-16 pair, e.g. ``"\\ud800"``.

    Such a string cannot be encoded as UTF-8, so SQLite would refuse it on every redelivery.
    """
    try:
        json.dumps(json.loads(body), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


@dataclass(frozen=True, slots=True)
class Turn:
    """What one applied event asks of the door: reply with these, to this token (or late, to this user).

    ``messages`` and ``late`` are LINE's JSON of the reply and of the push that replaces it once the
    token is no longer good (None: a note with the next answer instead), rendered when the turn was
    applied. ``kept``: the answer is stored with its turn until sent (durable answers); ``retried``:
    it was taken over from an instance that died while sending it, so a reply token LINE refuses may
    have been used already and is not followed by a push.
    """

    event_id: str
    reply_token: str | None
    replies: list[Reply]
    user_id: str = ""
    received_at: datetime | None = None
    messages: list[dict[str, Any]] | None = None
    late: list[dict[str, Any]] | None = None
    kept: bool = False
    retried: bool = False


def _read_event(raw: dict[str, Any]) -> Any:
    """An inbox event back as the SDK's model, exactly as ``WebhookParser.parse`` builds it."""
    try:
        return Event.from_dict(raw)
    except ValueError:
        return UnknownEvent.new_from_json_dict(raw)


# Marks an inbox event whose text was dropped before storing because it looked like a secret.
WITHHELD = "x-withheld"


def _arrival(raw: Any, redacts: Callable[[str], str | None]) -> Arrival:
    """An event as the inbox keeps it; a text that looks like a PIN or password is never written."""
    if not isinstance(raw, dict):
        return Arrival("", "", {})
    source = raw.get("source")
    source = source if isinstance(source, dict) else {}
    who = source.get("userId") or source.get("groupId") or source.get("roomId") or ""
    event_id = raw.get("webhookEventId")
    message = raw.get("message")
    kept = redacts(message["text"]) if isinstance(message, dict) and isinstance(message.get("text"), str) else None
    if isinstance(message, dict) and kept is not None:
        # Only the text with its secret hidden reaches the inbox file ("" when nothing of it may be kept).
        raw = {**raw, "message": {**message, "text": kept}, WITHHELD: True}
    return Arrival(event_id if isinstance(event_id, str) else "", str(who), raw, event_time(raw))


def _webhook_events(payload: Any) -> list[dict[str, Any]]:
    """The events of a webhook body (parsed JSON); ValueError when it is not a webhook payload."""
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list) or not all(isinstance(e, dict) and isinstance(e.get("type"), str) for e in events):
        raise ValueError("not a webhook payload")
    return events


def _without_netrc(client: AsyncApiClient) -> AsyncApiClient:
    """The SDK's aiohttp session trusts the environment, which makes every request read ~/.netrc on a
    thread; LINE is called with a bearer token, so unless a proxy is configured there is nothing to trust."""
    proxied = any(os.environ.get(name) for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"))
    session = getattr(getattr(client, "rest_client", None), "pool_manager", None)
    if not proxied and isinstance(session, aiohttp.ClientSession) and hasattr(session, "_trust_env"):
        session._trust_env = False
    return client


def _standby(raw: dict[str, Any]) -> bool:
    """True for an event LINE sent while another channel answers this chat (not ours to act on)."""
    return raw.get("mode") == STANDBY


def _configuration(settings: Any, connections: int) -> Configuration:
    """An SDK configuration for one connection pool of ``connections`` connections."""
    configuration = Configuration(host=settings.line_api_base_url, access_token=settings.line_channel_access_token)
    configuration.connection_pool_maxsize = connections
    return configuration


class LineDoor:
    """LINE Messaging API door (webhook + reply + push)."""

    platform = PLATFORM

    def __init__(self, app: App, push_rate: float | None = None) -> None:
        self.app = app
        settings = app.settings
        self.parser = WebhookParser(settings.line_channel_secret)
        self.configuration = _configuration(settings, REPLY_CONNECTIONS)
        self.push_configuration = _configuration(settings, PUSH_CONNECTIONS)
        quiet_payload_logs()
        # Two SDK clients, two connection pools: replies (and their loading animation) on one, pushes and
        # quota reads on the other (see REPLY_CONNECTIONS).
        self.client: AsyncApiClient | None = None
        self.api: AsyncMessagingApi | None = None
        self.push_client: AsyncApiClient | None = None
        self.push_api: AsyncMessagingApi | None = None
        self.limiter = RateLimiter(push_rate or settings.line_push_rate)
        self.inbox = app.open_inbox()
        # One thread writes the inbox (the acknowledgement path) and one applies events to the main
        # database: a locked main database stalls only the second, never the 200.
        self._intake = ThreadPoolExecutor(max_workers=1, thread_name_prefix="line-inbox")
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="line-webhook")
        self.worker = InboxWorker(
            self.inbox,
            PLATFORM,
            self._apply_item,
            self._deliver,
            self._worker,
            owner=worker_name(settings.port),
            batch=app.service.batch,
        )
        self.intake = Intake(self.inbox, PLATFORM, self._intake)
        # Durable answers: their bookkeeping (take over a dead instance's, forget the sent ones) on a
        # thread of its own, so that it never waits behind a batch of turns.
        self._outbox = ThreadPoolExecutor(max_workers=1, thread_name_prefix="line-replies")
        self._owner = worker_name(settings.port)
        self._sent_ids: list[str] = []
        self._forgetting: asyncio.Task[None] | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self.stats = {"events": 0, "duplicates": 0, "replies_failed": 0, "late_pushed": 0, "late_noted": 0}
        self.quota = MonthlyQuota(app.service.clock)
        self._loading: dict[str, asyncio.TimerHandle] = {}
        self._loading_calls: set[asyncio.Task[None]] = set()
        self._loading_users: dict[str, float] = {}
        # The SDK models of events this instance acknowledged, by event id, until they are applied.
        self._models: dict[str, Any] = {}  # user -> until when their animation shows (monotonic)
        self._loop: asyncio.AbstractEventLoop | None = None
        app.metrics.on_scrape.append(self._quota_metrics)

    # ------------------------------------------------------------------ door protocol

    @property
    def sender(self) -> LineDoor:
        """The door itself pushes reminders (see :meth:`send`)."""
        return self

    def routes(self) -> list[web.RouteDef]:
        """``POST /line/webhook``."""
        return [web.post("/line/webhook", self.webhook)]

    async def start(self) -> None:
        """Create the SDK client inside the running loop (it owns an aiohttp session); start the inbox worker."""
        self.client = _without_netrc(AsyncApiClient(self.configuration))
        self.api = AsyncMessagingApi(self.client)
        self.push_client = _without_netrc(AsyncApiClient(self.push_configuration))
        self.push_api = AsyncMessagingApi(self.push_client)
        self._loop = asyncio.get_running_loop()
        self._read_quota()
        self.worker.start()
        self._sweeper = asyncio.create_task(self._take_over_replies(), name="line-replies")
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
        """Stop the inbox worker (waiting events stay for the next start), then close the SDK client."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.wait({self._sweeper}, timeout=1.0)
        await self.worker.stop()
        self.intake.close()
        if self._forgetting is not None:
            await asyncio.wait({self._forgetting}, timeout=2.0)
        for handle in self._loading.values():
            handle.cancel()
        self._loading.clear()
        # A loading animation still on its way is of no use any more: end it before its client goes.
        for task in list(self._loading_calls):
            task.cancel()
        if self._loading_calls:
            await asyncio.wait(self._loading_calls, timeout=1.0)
        self.api = self.push_api = None
        for client in (self.client, self.push_client):
            if client is not None:
                await client.close()
        self.client = self.push_client = None
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
            "connected": self.api is not None and self.push_api is not None,
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
        api = self.push_api
        if api is not None:
            self.quota.refresh_soon(
                lambda: api.get_message_quota(_request_timeout=REQUEST_TIMEOUT),
                lambda: api.get_message_quota_consumption(_request_timeout=REQUEST_TIMEOUT),
            )

    # ------------------------------------------------------------------ webhook

    async def webhook(self, request: web.Request) -> web.Response:
        """Verify, parse, make the events durable in the inbox, answer 200; the worker applies them."""
        counted = self.app.metrics.webhook_request
        if request.content_length is not None and request.content_length > MAX_BODY:
            counted("refused_body")
            return web.Response(status=413, text="body too large")
        try:
            raw = await asyncio.wait_for(request.read(), BODY_TIMEOUT)
        except web.HTTPRequestEntityTooLarge:
            counted("refused_body")
            return web.Response(status=413, text="body too large")
        except TimeoutError:
            # A client that stopped sending half-way: nothing was acknowledged, LINE would redeliver.
            log.info("webhook: the body did not arrive within %.0f s", BODY_TIMEOUT)
            return web.Response(status=408, text="body timeout")
        signature = request.headers.get("X-Line-Signature")
        if not signature:
            counted("refused_signature")
            return web.Response(status=400, text="missing signature")
        try:
            body = raw.decode("utf-8")
            if not self.parser.signature_validator.validate(body, signature):
                raise InvalidSignatureError
            # Parsed once: the JSON, then the SDK's model of each event (a body the SDK's parser would refuse
            # is refused here too); the models go to the worker when this instance applies the events.
            events = _webhook_events(json.loads(body))
            models = [_read_event(e) for e in events]
        except InvalidSignatureError:
            log.warning("webhook: invalid signature")
            counted("refused_signature")
            return web.Response(status=400, text="invalid signature")
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            # Signed but not a webhook body (bad JSON, no "events", an event without "type", JSON nested
            # deeper than the decoder's recursion limit ...).
            log.warning("webhook: signed body is not a valid webhook payload")
            counted("refused_body")
            return web.Response(status=400, text="invalid body")
        if _SURROGATE_ESCAPE.search(raw) and _has_lone_surrogate(body):
            # Refused up front: it cannot be stored, and a 500 makes LINE redeliver forever.
            log.warning("webhook: signed body holds an unpaired UTF-16 surrogate")
            counted("refused_body")
            return web.Response(status=400, text="invalid body")
        if not events:
            counted("acknowledged")
            return web.Response(status=200, text="OK")
        redacts = self.app.service.conversation.redacts
        arrivals = [_arrival(e, redacts) for e in events]
        if len(self._models) > MODELS_KEPT:
            self._models.clear()  # events another instance applied: their models are not needed here
        for event, arrival, model in zip(events, arrivals, models, strict=True):
            if arrival.event_id and arrival.body is event:  # nothing was hidden: the model is the event's
                self._models[arrival.event_id] = model
        try:
            await self.intake.put(arrivals, ACK_BUDGET)
        except TimeoutError:
            # Not known to be durable: no 200. If the write lands after all, the redelivery is deduplicated.
            log.error("webhook: the inbox did not answer within %.1f s; answered 500 so LINE redelivers", ACK_BUDGET)
            counted("inbox_error")
            return web.Response(status=500, text="try again")
        except RuntimeError:
            # The door is closing (its inbox thread is shut down): not acknowledged, LINE redelivers.
            counted("inbox_error")
            return web.Response(status=503, text="shutting down")
        except DatabaseUnavailable as exc:
            log.error(
                "webhook: the inbox cannot be written (%s: %s); answered 500 so LINE redelivers",
                type(exc).__name__,
                exc,
            )
            counted("inbox_error")
            return web.Response(status=500, text="try again")
        self.worker.arrived(len(arrivals))
        self.worker.wake()
        if not self.worker.drained.is_set():
            # Durable already; under a burst the 200 waits a moment for the queue to shrink, so that LINE
            # sends the next events a little later instead of every answer coming seconds late.
            try:
                await asyncio.wait_for(self.worker.drained.wait(), ACK_HOLD)
            except TimeoutError:
                pass
        counted("acknowledged")
        self.app.metrics.webhook_event("acknowledged", len(arrivals))
        for arrival in arrivals:
            self._loading_soon(arrival)
        return web.Response(status=200, text="OK")

    # ------------------------------------------------------------------ loading animation

    def _loading_soon(self, arrival: Arrival) -> None:
        """Show the loading animation if this 1:1 message's answer has not gone out in a moment."""
        raw = arrival.body
        source = raw.get("source")
        source = source if isinstance(source, dict) else {}
        context = raw.get("deliveryContext")
        redelivered = isinstance(context, dict) and context.get("isRedelivery") is True
        if (
            self._loop is None
            or not self.worker.drained.is_set()  # a burst is being worked off: answers come as it drains
            or _standby(raw)  # another channel answers this chat: no answer of ours to wait for
            or redelivered  # most likely applied already: no answer to wait for
            or raw.get("type") not in ("message", "postback")
            or source.get("type") != "user"
            or not arrival.event_id
            or arrival.event_id in self._loading
        ):
            return
        self._loading[arrival.event_id] = self._loop.call_later(
            LOADING_AFTER, self._start_loading, arrival.event_id, arrival.user_key
        )

    def _start_loading(self, event_id: str, user_id: str) -> None:
        if self._loading.pop(event_id, None) is None or self.api is None or not self.worker.drained.is_set():
            return
        now = time.monotonic()
        if self._loading_users.get(user_id, 0.0) > now:
            return  # one animation per user at a time: it shows until the answer or its own end
        if len(self._loading_users) > 10_000:
            self._loading_users = {u: t for u, t in self._loading_users.items() if t > now}
        self._loading_users[user_id] = now + LOADING_SECONDS
        # Kept, so that closing the door can end it (an orphan task would report an error at exit).
        task = asyncio.ensure_future(self._show_loading(self.api, event_id, user_id))
        self._loading_calls.add(task)
        task.add_done_callback(self._loading_calls.discard)

    async def _show_loading(self, api: AsyncMessagingApi, event_id: str, user_id: str) -> None:
        request = ShowLoadingAnimationRequest(chat_id=user_id, loading_seconds=LOADING_SECONDS)
        try:
            # Another instance sharing the inbox may have answered it already: no animation after the answer.
            if not await asyncio.get_running_loop().run_in_executor(self._intake, self.inbox.waiting, event_id):
                return
            await api.show_loading_animation(request, _request_timeout=REQUEST_TIMEOUT)
        except (ApiException, aiohttp.ClientError, TimeoutError) as exc:
            log.info(
                "event %s: loading animation not shown (%s)", event_id, type(exc).__name__, extra={"event_id": event_id}
            )
        except Exception as exc:  # noqa: BLE001 - a courtesy only; the client may be closing under it
            log.debug("event %s: loading animation not shown (%s)", event_id, type(exc).__name__)

    def _answered(self, event_id: str) -> None:
        """The event needs no animation any more (answered, or applied without an answer)."""
        handle = self._loading.pop(event_id, None)
        if handle is not None:
            handle.cancel()

    # ------------------------------------------------------------------ events (on the database thread)

    def _apply_item(self, item: InboxItem) -> Turn | None:
        """Apply one inbox event. Database errors propagate (the worker retries); anything else is
        answered with a polite generic reply and logged once (the worker then drops the event)."""
        self.stats["events"] += 1
        duplicates = self.stats["duplicates"]
        if _standby(item.body):
            self._standby_event(item)
            return None
        try:
            model = self._models.pop(item.event_id, None) if item.event_id else None
            event = model if model is not None else _read_event(item.body)
            # An event without an id (LINE always sends one) still gets a stable one: a crash between
            # applying it and removing it from the inbox must not apply it twice.
            turn = self._apply_one(
                event, item.event_id or f"inbox-{item.seq}", bool(item.body.get(WITHHELD)), item.received_at
            )
        except DatabaseUnavailable:
            self.app.metrics.webhook_event("retried")
            raise
        except Exception as exc:  # noqa: BLE001 - a poisonous event: answered, logged, not retried
            self.app.metrics.webhook_event("poisoned")
            log.error(
                "event %s: could not be applied (%s)",
                item.event_id or f"#{item.seq}",
                type(exc).__name__,
                extra={"event_id": item.event_id, "user": item.user_key},
            )
            token = item.body.get("replyToken")
            if not isinstance(token, str):
                return None
            turn = Turn(item.event_id, token, [Reply(texts.TURN_FAILED)])
        else:
            self.app.metrics.webhook_event("duplicate" if self.stats["duplicates"] > duplicates else "applied")
        if turn is None or not turn.replies:
            if self._loop is not None and item.event_id:
                self._loop.call_soon_threadsafe(self._answered, item.event_id)  # nothing will be sent
            return None
        received = datetime.fromisoformat(item.received_at)
        user_id = item.user_key if item.body.get("source", {}).get("type") == "user" else ""
        if turn.messages is not None:
            return replace(turn, user_id=user_id, received_at=received)
        # Not kept with a turn (a group's notice, a failed turn): rendered here, off the event loop.
        messages, late = self._render(turn.replies)
        return replace(turn, user_id=user_id, received_at=received, messages=messages, late=late)

    def _standby_event(self, item: InboxItem) -> None:
        """An event from a chat another channel answers: recorded as seen, nothing else.

        No turn, no user row, no reply, no push. Only a block (``unfollow``) still holds the user's
        reminders: it is the account that was blocked, and a push to them would only cost quota.
        """
        event_id = item.event_id or f"inbox-{item.seq}"
        source = item.body.get("source")
        source = source if isinstance(source, dict) else {}
        user_id = source.get("userId") if source.get("type") == "user" else None
        service = self.app.service
        try:
            if isinstance(user_id, str) and user_id:
                blocked = item.body.get("type") == "unfollow"
                held = service.no_turn_event(event_id, UserRef(PLATFORM, user_id), blocked)
            else:
                held = 0 if service.group_event(event_id, "", False) is not None else None
        except DatabaseUnavailable:
            self.app.metrics.webhook_event("retried")
            raise
        if held is None:
            self.stats["duplicates"] += 1
        log.info(
            "event %s: standby (another channel answers this chat); recorded, not acted on",
            event_id,
            extra={"event_id": event_id, "user": item.user_key},
        )
        self.app.metrics.webhook_event("duplicate" if held is None else "applied")
        if self._loop is not None and item.event_id:
            self._loop.call_soon_threadsafe(self._answered, item.event_id)
        return None

    def _render(self, replies: list[Reply]) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
        """LINE's JSON of a reply, and of the push that replaces it when the token is no longer good.

        Only a diagnosis result is worth a push (it is what the user waits for, maybe urgent): anything
        else becomes a delivery note with the user's next answer (None here).
        """
        now = self._local_now()
        late = None
        if any(r.important for r in replies):
            first, *rest = replies
            if isinstance(first.card, ResultCard):
                # The apology goes inside the result, not before it: the notification must show the result.
                card = replace(first.card, lead=" ".join(x for x in (texts.LATE_REPLY_LEAD, first.card.lead) if x))
                pushed = [replace(first, text=f"{texts.LATE_REPLY_LEAD}\n{first.text}", card=card), *rest]
            else:
                pushed = [Reply(texts.LATE_REPLY_LEAD), *replies]
            late = to_messages(pushed, now)
        return to_messages(replies, now), late

    def _apply_one(self, event: Any, event_id: str, withheld: bool = False, received_at: str = "") -> Turn | None:
        source = getattr(event, "source", None)
        source_type = getattr(source, "type", None)
        token = getattr(event, "reply_token", None)
        service = self.app.service
        user_id = getattr(source, "user_id", None)
        if source_type in ("group", "room") or not user_id:
            # No personal data is kept for groups: just the event id (dedup) and a one-time notice.
            group_id = getattr(source, "group_id", None) or getattr(source, "room_id", None) or ""
            notice = service.group_event(event_id, group_id, isinstance(event, MessageEvent | JoinEvent))
            if notice is None:
                self.stats["duplicates"] += 1
                return None
            return Turn(event_id, token, [Reply(texts.GROUP_ONLY)]) if notice else None
        user = UserRef(PLATFORM, user_id)
        incoming = self._incoming(event, user, event_id)
        if withheld and incoming is not None and not (incoming.text or "").strip():
            # Nothing of the message could be kept: the core warns and asks again.
            incoming = Incoming(user, choice=WITHHELD_TEXT, event_id=event_id)
        if incoming is None:
            blocked = isinstance(event, UnfollowEvent)
            held = service.no_turn_event(event_id, user, blocked)
            if held is None:
                self.stats["duplicates"] += 1
            elif blocked:
                log.info(
                    "event %s: user %s blocked the bot; %d sends held",
                    event_id,
                    user.key,
                    held,
                    extra={"event_id": event_id, "user": user.key},
                )
            else:
                log.info("event %s: %s ignored", event_id, type(event).__name__, extra={"event_id": event_id})
            return None
        resume = None
        if isinstance(event, FollowEvent) and incoming.choice == WELCOME_BACK:
            # Unblocked: release the held sends in the same transaction as the welcome-back turn,
            # so a crash cannot mark the event seen and leave the sends held for good.
            def resume() -> bool:
                return service.resume_sends(user)

        kept: dict[str, Any] = {}

        def keep(replies: list[Reply]) -> None:
            # In the turn's transaction: the answer is committed with the turn, claimed by this instance
            # for the moment it takes to send it; if this instance dies first, another one sends it.
            messages, late = self._render(replies)
            kept.update(messages=messages, late=late)
            service.keep_reply(
                {
                    "event_id": event_id,
                    "platform": PLATFORM,
                    "chat_id": user_id,
                    "reply_token": token,
                    "received_at": received_at or datetime.now(UTC).isoformat(),
                    "messages": json.dumps(messages, ensure_ascii=False),
                    "late": json.dumps(late, ensure_ascii=False) if late is not None else None,
                    "claimed_by": self._owner,
                    "claimed_until": time.time() + REPLY_LEASE,
                }
            )

        replies = service.handle(incoming, once=event_id, also=resume, keep=keep)
        if replies is None:
            self.stats["duplicates"] += 1
            return None
        if not kept:
            return Turn(event_id, token, replies)
        return Turn(event_id, token, replies, messages=kept["messages"], late=kept["late"], kept=True)

    @staticmethod
    def _incoming(event: Any, user: UserRef, event_id: str) -> Incoming | None:
        """The core message for a 1:1 event, or None for events that need no conversation turn."""
        if isinstance(event, MessageEvent):
            if isinstance(event.message, TextMessageContent):
                return Incoming(user, text=event.message.text, event_id=event_id)
            return Incoming(user, choice=Command("nontext"), event_id=event_id)
        if isinstance(event, PostbackEvent):
            action = parse_postback(event.postback.data)
            params = {k: v for k, v in (event.postback.params or {}).items() if isinstance(v, str)}
            if action == PICKER:
                return Incoming(user, event_id=event_id, params=params)
            return Incoming(user, choice=action, event_id=event_id, params=params, stale=action is None)
        if isinstance(event, FollowEvent):
            unblocked = bool(getattr(getattr(event, "follow", None), "is_unblocked", False))
            return Incoming(user, choice=WELCOME_BACK if unblocked else Command("resume"), event_id=event_id)
        return None

    # ------------------------------------------------------------------ replies and pushes

    def _local_now(self) -> datetime:
        """Now in the bot's timezone (the datetime picker offers no earlier time)."""
        return self.app.service.clock().astimezone(self.app.settings.tz)

    async def _deliver(self, turn: Turn) -> None:
        """Reply to an applied event; an expired reply token sends the answer the late way."""
        self._answered(turn.event_id)
        self._loading_users.pop(turn.user_id, None)  # an answer ends the user's animation
        if self.api is None:
            return  # closing: a kept answer stays, and whichever instance is alive sends it
        try:
            expired = turn.received_at is not None and datetime.now(UTC) - turn.received_at > REPLY_WINDOW
            # Only a token LINE no longer takes sends the answer the late way: any other failure (our message
            # was refused, the network) would fail as a push too, and costs quota for nothing.
            if turn.reply_token and not expired:
                outcome = await self._reply(turn)
                if outcome != "token_rejected":
                    return
                if turn.retried:
                    # Taken over from an instance that died while sending: it may have used the token.
                    log.info(
                        "event %s: reply token already used or expired after a take-over; not pushed",
                        turn.event_id,
                        extra={"event_id": turn.event_id},
                    )
                    return
            if turn.user_id:
                await self._deliver_late(turn)
        finally:
            if turn.kept:
                self._reply_sent(turn.event_id)

    def _reply_sent(self, event_id: str) -> None:
        """Forget a kept answer once sent; answers sent together are forgotten in one transaction."""
        self._sent_ids.append(event_id)
        if self._forgetting is None:
            self._forgetting = asyncio.create_task(self._forget_sent())

    async def _forget_sent(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._sent_ids:
                batch, self._sent_ids = self._sent_ids, []
                try:
                    await loop.run_in_executor(self._outbox, self.app.service.replies_done, batch)
                except _NOTE_LOST as exc:
                    # Kept a while longer: taken over after its claim, its used token is then not pushed.
                    log.warning("replies: %d sent answers not marked sent (%s)", len(batch), type(exc).__name__)
        finally:
            self._forgetting = None

    async def _take_over_replies(self) -> None:
        """Send the kept answers whose sender died (its claim ran out), whichever instance that was."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(REPLY_SWEEP)
            try:
                rows = await loop.run_in_executor(
                    self._outbox, self.app.service.claim_replies, PLATFORM, self._owner, REPLY_LEASE
                )
            except _NOTE_LOST as exc:
                log.debug("replies: not looked at (%s)", type(exc).__name__)
                continue
            for row in rows:
                log.info(
                    "event %s: answer taken over from an instance that stopped sending it",
                    row["event_id"],
                    extra={"event_id": row["event_id"]},
                )
                turn = Turn(
                    row["event_id"],
                    row["reply_token"],
                    [],
                    user_id=row["chat_id"],
                    received_at=datetime.fromisoformat(row["received_at"]),
                    messages=json.loads(row["messages"]),
                    late=json.loads(row["late"]) if row["late"] else None,
                    kept=True,
                    retried=True,
                )
                self.worker.deliver_soon(turn)

    async def _reply(self, turn: Turn) -> Literal["sent", "token_rejected", "failed"]:
        """Send the reply; a failure is logged, and says whether LINE refused the token itself (expired)."""
        api = self.api
        if api is None:
            return "failed"  # the door closed meanwhile
        messages = turn.messages if turn.messages is not None else to_messages(turn.replies, self._local_now())
        body = {"replyToken": turn.reply_token, "messages": messages}
        try:
            # The SDK's own client (auth, errors as ApiException) with a ready JSON body: the generated
            # reply_message() would rebuild and re-serialise pydantic models for every reply.
            await api.api_client.call_api(
                "/v2/bot/message/reply",
                "POST",
                header_params={"Content-Type": "application/json", "Accept": "application/json"},
                body=body,
                # Nothing in the reply's response is used: skip turning it into a model. Errors still
                # raise ApiException (the SDK checks the status before deserialising).
                response_types_map={},
                auth_settings=["Bearer"],
                _request_timeout=REQUEST_TIMEOUT,
            )
        except ApiException as exc:
            self.stats["replies_failed"] += 1
            log.warning(
                "event %s: reply failed with HTTP %s", turn.event_id, exc.status, extra={"event_id": turn.event_id}
            )
            rejected = exc.status == 400 and "reply token" in str(exc.body or "").lower()
            return "token_rejected" if rejected else "failed"
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.stats["replies_failed"] += 1
            log.warning(
                "event %s: reply failed (%s)", turn.event_id, type(exc).__name__, extra={"event_id": turn.event_id}
            )
            return "failed"
        return "sent"

    async def _deliver_late(self, turn: Turn) -> None:
        """The reply window has passed: push a diagnosis result; anything else becomes a delivery note.

        A result is what the user is waiting for and may be urgent (a lost card), so it is worth a push.
        A question, a confirmation or a menu is cheaper as a note with the user's next reply: the user
        who writes again gets the conversation back from where it stands.
        """
        late = turn.late if turn.messages is not None else self._render(turn.replies)[1]
        if late is not None:
            result = await self._push_messages(turn.user_id, late, f"late-{turn.event_id}")
            self.app.metrics.push(PLATFORM, result.status, kind="late_reply")
            if result.status == "sent":
                self.stats["late_pushed"] += 1
                log.info(
                    "event %s: reply window passed; the result was pushed",
                    turn.event_id,
                    extra={"event_id": turn.event_id},
                )
                return
        self.stats["late_noted"] += 1
        user = UserRef(PLATFORM, turn.user_id)
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._worker, self.app.service.note, user, NOTE_REPLY_LATE)
        except _NOTE_LOST as exc:
            # RuntimeError: the door is closing (its database thread is shut down). The event stays applied;
            # only this note is lost, and the log says so.
            log.warning(
                "event %s: late-reply note not stored (%s)",
                turn.event_id,
                type(exc).__name__,
                extra={"event_id": turn.event_id},
            )
            return
        log.info(
            "event %s: reply window passed; the user is told with their next reply",
            turn.event_id,
            extra={"event_id": turn.event_id},
        )

    async def send(self, platform_user_id: str, reply: Reply, key: str) -> SendResult:
        """Push one reminder; the retry key makes a repeated push a no-op (409 = already sent)."""
        return await self._push(platform_user_id, [reply], key)

    async def _push(self, platform_user_id: str, replies: list[Reply], key: str) -> SendResult:
        return await self._push_messages(platform_user_id, to_messages(replies, self._local_now()), key)

    async def _push_messages(self, platform_user_id: str, messages: list[dict[str, Any]], key: str) -> SendResult:
        api = self.push_api
        if api is None:
            return SendResult("retry", error="LINE client not started")
        held = self.quota.held()
        if held is not None:
            return held  # the monthly limit holds: asking LINE again would only be refused
        await self.limiter.wait()
        request = PushMessageRequest.from_dict({"to": platform_user_id, "messages": messages})
        try:
            await api.push_message(
                request,
                x_line_retry_key=key,
                _request_timeout=REQUEST_TIMEOUT,
            )
        except ApiException as exc:
            if is_monthly_limit(exc.status or 0, exc.body):
                self.quota.read_at = None  # read the consumption again for /healthz
                return self.quota.reached()
            return _push_error(exc)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return SendResult("retry", error=f"LINE push {type(exc).__name__}")
        return SENT


def _push_error(exc: ApiException) -> SendResult:
    """A push refused by LINE as a send outcome (the monthly limit is told apart before this)."""
    status = exc.status or 0
    if status == 409:
        return SENT  # accepted earlier with this retry key
    if status == 429:
        retry_after = None
        if exc.headers:
            try:
                retry_after = float(exc.headers.get("Retry-After", ""))
            except ValueError:
                retry_after = None
        return SendResult("retry", error="LINE push HTTP 429", retry_after=retry_after or 60.0)
    if status >= 500 or status == 0:
        return SendResult("retry", error=f"LINE push HTTP {status}")
    return SendResult("failed", error=f"LINE push HTTP {status}")
