"""The LINE door: a signed webhook (aiohttp) into the core, replies and reminder pushes via line-bot-sdk v3.

The webhook verifies the signature on the raw body, parses with the SDK's ``WebhookParser``,
applies each event once (dedup on ``webhookEventId``, in the same transaction as the turn) and
answers 200 quickly; the reply API call happens after the answer. Reminders are pushed with
``X-Line-Retry-Key`` = the send's stable key, so a retried push is never delivered twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

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
)
from linebot.v3.webhooks import (  # type: ignore[import-untyped]
    FollowEvent,
    JoinEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)

from bot.adapters.line_render import PICKER, parse_postback, to_messages
from bot.app import App
from bot.core import texts
from bot.core.actions import Command
from bot.core.messages import Incoming, Reply, UserRef
from bot.delivery.dispatcher import RateLimiter
from bot.delivery.senders import SENT, SendResult
from bot.logsafety import keep_above_debug

WELCOME_BACK = Command("welcome_back")
log = logging.getLogger(__name__)

PLATFORM = "line"
MAX_BODY = 1024 * 1024
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=10)
# The webhook answers within this budget even when the database is slow; LINE expects ~2 s.
ACK_BUDGET = 1.5
SEEN_FOR = timedelta(days=1)
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
    """What one event asks of the door after the database work: reply with these, to this token."""

    event_id: str
    reply_token: str | None
    replies: list[Reply]


class LineDoor:
    """LINE Messaging API door (webhook + reply + push)."""

    platform = PLATFORM

    def __init__(self, app: App, push_rate: float | None = None) -> None:
        self.app = app
        settings = app.settings
        self.parser = WebhookParser(settings.line_channel_secret)
        self.configuration = Configuration(
            host=settings.line_api_base_url, access_token=settings.line_channel_access_token
        )
        quiet_payload_logs()
        self.client: AsyncApiClient | None = None
        self.api: AsyncMessagingApi | None = None
        self.limiter = RateLimiter(push_rate or settings.line_push_rate)
        self._tasks: set[asyncio.Task[Any]] = set()
        # One worker thread for the database work: SQLite writes are serialised anyway, and a single
        # thread avoids lock and GIL contention between workers (measured: more replies per second).
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="line-webhook")
        self.stats = {"events": 0, "duplicates": 0, "replies_failed": 0}

    # ------------------------------------------------------------------ door protocol

    @property
    def sender(self) -> LineDoor:
        """The door itself pushes reminders (see :meth:`send`)."""
        return self

    def routes(self) -> list[web.RouteDef]:
        """``POST /line/webhook``."""
        return [web.post("/line/webhook", self.webhook)]

    async def start(self) -> None:
        """Create the SDK client inside the running loop (it owns an aiohttp session)."""
        self.client = AsyncApiClient(self.configuration)
        self.api = AsyncMessagingApi(self.client)
        await asyncio.to_thread(self.app.store.prune_seen, datetime.now(UTC) - SEEN_FOR)

    async def close(self) -> None:
        """Let pending replies finish, then close the SDK client and the worker."""
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        if self.client is not None:
            await self.client.close()
            self.client = None
        self._worker.shutdown(wait=False)

    def health(self) -> dict[str, Any]:
        """Counters for /healthz."""
        return {"connected": self.api is not None, **self.stats}

    # ------------------------------------------------------------------ webhook

    async def webhook(self, request: web.Request) -> web.Response:
        """Verify, parse, apply each event once, answer 200; reply after answering."""
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413, text="body too large")
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413, text="body too large")
        signature = request.headers.get("X-Line-Signature")
        if not signature:
            return web.Response(status=400, text="missing signature")
        try:
            body = raw.decode("utf-8")
            events = self.parser.parse(body, signature)
        except InvalidSignatureError:
            log.warning("webhook: invalid signature")
            return web.Response(status=400, text="invalid signature")
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            # Signed but not a webhook body (bad JSON, no "events", an event without "type", JSON nested
            # deeper than the decoder's recursion limit ...).
            log.warning("webhook: signed body is not a valid webhook payload")
            return web.Response(status=400, text="invalid body")
        if _SURROGATE_ESCAPE.search(raw) and _has_lone_surrogate(body):
            # Refused up front: storing it would fail in the worker, and a 500 makes LINE redeliver forever.
            log.warning("webhook: signed body holds an unpaired UTF-16 surrogate")
            return web.Response(status=400, text="invalid body")
        if not events:
            return web.Response(status=200, text="OK")
        work = asyncio.get_running_loop().run_in_executor(self._worker, self._apply, events)
        done, _ = await asyncio.wait({work}, timeout=ACK_BUDGET)
        if not done:
            # The database is slow: acknowledge now, reply when the work finishes.
            self._spawn(self._reply_later(work))
            return web.Response(status=200, text="OK")
        try:
            turns = work.result()
        except sqlite3.OperationalError as exc:
            # Full disk, read-only or locked database: an operating condition, not a bug, so one line and
            # no traceback. The transaction rolled back, so nothing is marked seen and the redelivery applies.
            log.error(
                "webhook: database unavailable (%s: %s); answered 500 so LINE redelivers", type(exc).__name__, exc
            )
            return web.Response(status=500, text="try again")
        except Exception:  # noqa: BLE001 - a bug: 500 so LINE redelivers (nothing marked seen), with the traceback
            log.exception("webhook: could not store events; asking LINE to redeliver")
            return web.Response(status=500, text="try again")
        self._spawn(self._send_replies(turns))
        return web.Response(status=200, text="OK")

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _reply_later(self, work: asyncio.Future) -> None:
        try:
            turns = await work
        except sqlite3.OperationalError as exc:
            # Already answered 200: LINE will not redeliver these events (see ACK_BUDGET).
            log.error("webhook: database unavailable after the answer (%s: %s); events lost", type(exc).__name__, exc)
            return
        except Exception:  # noqa: BLE001
            log.exception("webhook: late event processing failed")
            return
        await self._send_replies(turns)

    # ------------------------------------------------------------------ events (in a worker thread)

    def _apply(self, events: list[Any]) -> list[Turn]:
        turns = []
        for event in events:
            turn = self._apply_one(event)
            if turn is not None and turn.replies and turn.reply_token:
                turns.append(turn)
        return turns

    def _apply_one(self, event: Any) -> Turn | None:
        event_id = getattr(event, "webhook_event_id", None) or ""
        self.stats["events"] += 1
        source = getattr(event, "source", None)
        source_type = getattr(source, "type", None)
        token = getattr(event, "reply_token", None)
        store = self.app.store
        user_id = getattr(source, "user_id", None)
        if source_type in ("group", "room") or not user_id:
            # No personal data is kept for groups: just the event id (dedup) and a one-time notice.
            group_id = getattr(source, "group_id", None) or getattr(source, "room_id", None) or ""
            with store.transaction():
                if event_id and not store.mark_seen(event_id, datetime.now(UTC)):
                    self.stats["duplicates"] += 1
                    return None
                if group_id and isinstance(event, MessageEvent | JoinEvent):
                    if store.first_group_notice(group_id, datetime.now(UTC)):
                        return Turn(event_id, token, [Reply(texts.GROUP_ONLY)])
            return None
        user = UserRef(PLATFORM, user_id)
        incoming = self._incoming(event, user, event_id)
        if incoming is None:
            with store.transaction():
                if event_id and not store.mark_seen(event_id, datetime.now(UTC)):
                    self.stats["duplicates"] += 1
                    return None
                if isinstance(event, UnfollowEvent):
                    held = store.set_paused(PLATFORM, user_id, paused=True)
                    log.info("event %s: user %s blocked the bot; %d sends held", event_id, user.key, held)
                else:
                    log.info("event %s: %s ignored", event_id, type(event).__name__)
            return None
        resume = None
        if isinstance(event, FollowEvent) and incoming.choice == WELCOME_BACK:
            # Unblocked: release the held sends in the same transaction as the welcome-back turn,
            # so a crash cannot mark the event seen and leave the sends held for good.
            def resume() -> bool:
                return store.set_paused(PLATFORM, user_id, paused=False) > 0

        replies = self.app.service.handle(incoming, once=event_id or None, also=resume)
        if replies is None:
            self.stats["duplicates"] += 1
            return None
        return Turn(event_id, token, replies)

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

    async def _send_replies(self, turns: list[Turn]) -> None:
        for turn in turns:
            await self._reply(turn)

    async def _reply(self, turn: Turn) -> None:
        if self.api is None:
            return
        body = {"replyToken": turn.reply_token, "messages": to_messages(turn.replies)}
        try:
            # The SDK's own client (auth, errors as ApiException) with a ready JSON body: the generated
            # reply_message() would rebuild and re-serialise pydantic models for every reply.
            await self.api.api_client.call_api(
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
            # An expired or used reply token is logged, never turned into a (paid) push.
            self.stats["replies_failed"] += 1
            log.warning("event %s: reply failed with HTTP %s", turn.event_id, exc.status)
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.stats["replies_failed"] += 1
            log.warning("event %s: reply failed (%s)", turn.event_id, type(exc).__name__)

    async def send(self, platform_user_id: str, reply: Reply, key: str) -> SendResult:
        """Push one reminder; the retry key makes a repeated push a no-op (409 = already sent)."""
        if self.api is None:
            return SendResult("retry", error="LINE client not started")
        await self.limiter.wait()
        request = PushMessageRequest.from_dict({"to": platform_user_id, "messages": to_messages([reply])})
        try:
            await self.api.push_message(
                request,
                x_line_retry_key=key,
                _request_timeout=REQUEST_TIMEOUT,
            )
        except ApiException as exc:
            return _push_error(exc)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return SendResult("retry", error=f"LINE push {type(exc).__name__}")
        return SENT


def _push_error(exc: ApiException) -> SendResult:
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
