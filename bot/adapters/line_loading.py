"""LINE's loading animation, for a 1:1 message whose answer has not gone out a moment after it came.

A quick answer shows no animation at all: it is asked for only :data:`LOADING_AFTER` seconds after
the event was acknowledged, and only when the answer is still waiting then. One user sees one
animation at a time (it shows until the answer or its own end), and none is started while the
inbox worker works off a burst: the answers then come as it drains.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor

import aiohttp

# line-bot-sdk ships no type information (no py.typed marker, no stubs package): its names are Any.
from linebot.v3.messaging import (  # type: ignore[import-untyped]
    ApiException,
    AsyncMessagingApi,
    ShowLoadingAnimationRequest,
)

from bot.adapters.line_clients import REQUEST_TIMEOUT, LineClients
from bot.adapters.line_turn import LOG_NAME, is_standby
from bot.inbox_worker import Arrival

log = logging.getLogger(LOG_NAME)

# An answer not sent this long after the event was acknowledged shows LINE's loading animation
# (until the answer arrives, at most LOADING_SECONDS; LINE accepts 5-60 in steps of 5).
LOADING_AFTER = 1.0
LOADING_SECONDS = 20
# Users remembered with an animation showing, above which those whose animation has ended are forgotten.
USERS_KEPT = 10_000


def _awaits_an_answer(arrival: Arrival) -> bool:
    """True for a 1:1 message or postback of ours to answer, that has most likely not been answered yet."""
    raw = arrival.body
    source = raw.get("source")
    source = source if isinstance(source, dict) else {}
    context = raw.get("deliveryContext")
    redelivered = isinstance(context, dict) and context.get("isRedelivery") is True
    return not (
        is_standby(raw)  # another channel answers this chat: no answer of ours to wait for
        or redelivered  # most likely applied already: no answer to wait for
        or raw.get("type") not in ("message", "postback")
        or source.get("type") != "user"
        or not arrival.event_id
    )


class LoadingAnimation:
    """Starts LINE's loading animation for slow answers and forgets it for answered events."""

    def __init__(self, clients: LineClients, still_waiting: Callable[[str], bool], executor: Executor) -> None:
        self.clients = clients
        # Whether an event is still in the inbox (read on ``executor``, the inbox's thread): another
        # instance sharing the inbox may have answered it already.
        self._still_waiting = still_waiting
        self._executor = executor
        self._loop: asyncio.AbstractEventLoop | None = None
        # The inbox worker's "few events wait" flag, handed over by start(); unset until then, so that
        # nothing is shown before the door runs.
        self._drained = asyncio.Event()
        self._timers: dict[str, asyncio.TimerHandle] = {}  # event id -> the animation's planned start
        # Kept, so that closing the door can end them (an orphan task would report an error at exit).
        self._calls: set[asyncio.Task[None]] = set()
        self._users: dict[str, float] = {}  # user -> until when their animation shows (monotonic)

    def start(self, drained: asyncio.Event) -> None:
        """Show animations from now on (inside the running loop), never while ``drained`` is unset."""
        self._loop = asyncio.get_running_loop()
        self._drained = drained

    def soon(self, arrival: Arrival) -> None:
        """Show the loading animation if this 1:1 message's answer has not gone out in a moment."""
        if (
            self._loop is None
            or not self._drained.is_set()  # a burst is being worked off: answers come as it drains
            or not _awaits_an_answer(arrival)
            or arrival.event_id in self._timers
        ):
            return
        self._timers[arrival.event_id] = self._loop.call_later(
            LOADING_AFTER, self._start, arrival.event_id, arrival.user_key
        )

    def _start(self, event_id: str, user_id: str) -> None:
        api = self.clients.api
        if self._timers.pop(event_id, None) is None or api is None or not self._drained.is_set():
            return
        now = time.monotonic()
        if self._users.get(user_id, 0.0) > now:
            return  # one animation per user at a time: it shows until the answer or its own end
        if len(self._users) > USERS_KEPT:
            self._users = {u: t for u, t in self._users.items() if t > now}
        self._users[user_id] = now + LOADING_SECONDS
        task = asyncio.ensure_future(self._show(api, event_id, user_id))
        self._calls.add(task)
        task.add_done_callback(self._calls.discard)

    async def _show(self, api: AsyncMessagingApi, event_id: str, user_id: str) -> None:
        request = ShowLoadingAnimationRequest(chat_id=user_id, loading_seconds=LOADING_SECONDS)
        try:
            # Another instance sharing the inbox may have answered it already: no animation after the answer.
            if not await asyncio.get_running_loop().run_in_executor(self._executor, self._still_waiting, event_id):
                return
            await api.show_loading_animation(request, _request_timeout=REQUEST_TIMEOUT)
        except (ApiException, aiohttp.ClientError, TimeoutError) as exc:
            log.info(
                "event %s: loading animation not shown (%s)", event_id, type(exc).__name__, extra={"event_id": event_id}
            )
        except Exception as exc:  # noqa: BLE001 - a courtesy only; the client may be closing under it
            log.debug("event %s: loading animation not shown (%s)", event_id, type(exc).__name__)

    def answered(self, event_id: str) -> None:
        """The event needs no animation any more (answered, or applied without an answer)."""
        handle = self._timers.pop(event_id, None)
        if handle is not None:
            handle.cancel()

    def answered_soon(self, event_id: str) -> None:
        """:meth:`answered`, from the database thread: nothing will be sent for this event."""
        if self._loop is not None and event_id:
            self._loop.call_soon_threadsafe(self.answered, event_id)

    def user_answered(self, user_id: str) -> None:
        """An answer went to this user: their animation has ended (LINE stops it at a message)."""
        self._users.pop(user_id, None)

    async def close(self) -> None:
        """Start no more animations and end those on their way (their client is about to close)."""
        for handle in self._timers.values():
            handle.cancel()
        self._timers.clear()
        # A loading animation still on its way is of no use any more: end it before its client goes.
        for task in list(self._calls):
            task.cancel()
        if self._calls:
            await asyncio.wait(self._calls, timeout=1.0)
