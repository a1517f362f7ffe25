"""The LINE webhook: check the request, make its events durable in the inbox, and only then answer 200.

The signature is verified on the raw body, which is parsed once: the JSON, then the SDK's model of
each event (a body the SDK's ``WebhookParser`` would refuse is refused here too). The events are
written to the inbox (a small file of its own, :mod:`storage.inbox`) before the 200: a slow or locked
main database never delays or loses an acknowledged event. A text that looks like a PIN or password
is hidden before it is written. The inbox worker then applies the events (:mod:`.line_events`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

# line-bot-sdk ships no type information (no py.typed marker, no stubs package): its names are Any.
from linebot.v3 import WebhookParser  # type: ignore[import-untyped]
from linebot.v3.exceptions import InvalidSignatureError  # type: ignore[import-untyped]

from bot.adapters.line_events import EventApplier
from bot.adapters.line_loading import LoadingAnimation
from bot.adapters.line_turn import LOG_NAME, WITHHELD, read_event
from bot.app import App
from bot.inbox_worker import Arrival, InboxWorker, Intake, event_time
from bot.service import DatabaseUnavailable

log = logging.getLogger(LOG_NAME)

MAX_BODY = 1024 * 1024
# A webhook body that has not fully arrived after this long is given up (a client that stalls
# half-way must not hold a request open forever).
BODY_TIMEOUT = 10.0
# The inbox write must finish within this budget, or the webhook answers 500 (LINE redelivers).
ACK_BUDGET = 1.5
# How long an acknowledgement may be held while a burst is worked off (LINE waits about 2 s for the 200).
ACK_HOLD = 1.0
# A JSON escape of a UTF-16 surrogate; only bodies containing one need the (slower) pairing check.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")

# Counts a webhook request by its outcome (the metrics' ``webhook_request``).
Counted = Callable[[str], None]


def _has_lone_surrogate(body: str) -> bool:
    """True when a string in the (valid JSON) body holds half a UTF-16 pair, e.g. ``"\\ud800"``.

    Such a string cannot be encoded as UTF-8, so SQLite would refuse it on every redelivery.
    """
    try:
        json.dumps(json.loads(body), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _webhook_events(payload: Any) -> list[dict[str, Any]]:
    """The events of a webhook body (parsed JSON); ValueError when it is not a webhook payload."""
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list) or not all(isinstance(e, dict) and isinstance(e.get("type"), str) for e in events):
        raise ValueError("not a webhook payload")
    return events


def arrival(raw: Any, redacts: Callable[[str], str | None]) -> Arrival:
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


@dataclass(frozen=True, slots=True)
class SignedEvents:
    """The events of a signed webhook body: their JSON and the SDK's model of each, in the same order."""

    events: list[dict[str, Any]]
    models: list[Any]


async def _read_body(request: web.Request, counted: Counted) -> bytes | web.Response:
    """The raw body, or the refusal of one too large or too slow to arrive."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        counted("refused_body")
        return web.Response(status=413, text="body too large")
    try:
        async with asyncio.timeout(BODY_TIMEOUT):  # cheaper than wait_for: no task of its own
            return await request.read()
    except web.HTTPRequestEntityTooLarge:
        counted("refused_body")
        return web.Response(status=413, text="body too large")
    except TimeoutError:
        # A client that stopped sending half-way: nothing was acknowledged, LINE would redeliver.
        log.info("webhook: the body did not arrive within %.0f s", BODY_TIMEOUT)
        return web.Response(status=408, text="body timeout")


def _parse_signed(raw: bytes, signature: str, parser: WebhookParser, counted: Counted) -> SignedEvents | web.Response:
    """The events of a body signed with ``signature``, or the refusal of a wrong signature or body."""
    try:
        body = raw.decode("utf-8")
        if not parser.signature_validator.validate(body, signature):
            raise InvalidSignatureError
        # Parsed once: the JSON, then the SDK's model of each event (a body the SDK's parser would refuse
        # is refused here too); the models go to the worker when this instance applies the events.
        events = _webhook_events(json.loads(body))
        models = [read_event(e) for e in events]
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
    return SignedEvents(events, models)


async def check_request(request: web.Request, parser: WebhookParser, counted: Counted) -> SignedEvents | web.Response:
    """The signed events of a webhook request, or the response that refuses it (nothing acknowledged)."""
    raw = await _read_body(request, counted)
    if isinstance(raw, web.Response):
        return raw
    signature = request.headers.get("X-Line-Signature")
    if not signature:
        counted("refused_signature")
        return web.Response(status=400, text="missing signature")
    return _parse_signed(raw, signature, parser, counted)


class Webhook:
    """``POST /line/webhook``: verify, parse, make the events durable in the inbox, answer 200."""

    def __init__(
        self,
        app: App,
        parser: WebhookParser,
        intake: Intake,
        worker: InboxWorker,
        events: EventApplier,
        loading: LoadingAnimation,
    ) -> None:
        self.app = app
        self.parser = parser
        self.intake = intake
        self.worker = worker
        self.events = events
        self.loading = loading

    async def handle(self, request: web.Request) -> web.Response:
        """Answer one delivery: 200 once its events are durable, or the refusal (LINE then redelivers)."""
        counted = self.app.metrics.webhook_request
        checked = await check_request(request, self.parser, counted)
        if isinstance(checked, web.Response):
            return checked
        if not checked.events:
            counted("acknowledged")
            return web.Response(status=200, text="OK")
        redacts = self.app.service.conversation.redacts
        arrivals = [arrival(e, redacts) for e in checked.events]
        self.events.remember(checked.events, arrivals, checked.models)
        refused = await self._make_durable(arrivals, counted)
        if refused is not None:
            return refused
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
        for each in arrivals:
            self.loading.soon(each)
        return web.Response(status=200, text="OK")

    async def _make_durable(self, arrivals: list[Arrival], counted: Counted) -> web.Response | None:
        """Write the events to the inbox within :data:`ACK_BUDGET`; the 500 or 503 when that failed."""
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
        return None
