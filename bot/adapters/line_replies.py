"""The LINE door's answers to applied events: the reply, the late way once its token is no longer good,
and the durable answers kept with their turns until sent.

A reply goes to the event's reply token. When that token has expired by the time the event was
applied (the database was unavailable for a while, or the bot restarted), a diagnosis result is
pushed (it is what the user is waiting for); any other answer becomes a delivery note shown with the
user's next reply (a push costs quota).

An answer is stored in its turn's transaction, claimed by this instance for the moment it takes to
send it (:data:`REPLY_LEASE`); sent answers are forgotten, several in one transaction. Every instance
looks for answers whose sender died (their claim ran out) and sends them: :class:`KeptAnswers`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import aiohttp

# line-bot-sdk ships no type information (no py.typed marker, no stubs package): its names are Any.
from bot.adapters.line_clients import LineClients
from bot.adapters.line_loading import LoadingAnimation
from bot.adapters.line_push import Pusher
from bot.adapters.line_render import messages_json, to_messages
from bot.adapters.line_turn import LOG_NAME, NOTE_LOST, PLATFORM, Turn, local_now, render
from bot.app import App
from bot.core.dialogue.messages import UserRef
from bot.service import NOTE_REPLY_LATE, ChatService

log = logging.getLogger(LOG_NAME)

# A reply token is only good for a short while (LINE does not say how long; about a minute in
# practice). An older one is not tried: the answer goes the late way at once.
REPLY_WINDOW = timedelta(seconds=50)
# Durable answers: how long an instance may take to send an answer it kept before another instance
# takes it over (well inside the reply token's minute), and how often each instance looks for such.
REPLY_LEASE = 20.0
REPLY_SWEEP = 1.0
# Sent answers are forgotten together after at most this long: one transaction (and one write of the
# table's pages) for all the answers sent meanwhile, instead of one per answer at a steady trickle.
FORGET_EVERY = 0.5


def kept_answer(
    event_id: str,
    user_id: str,
    token: str | None,
    received_at: str,
    messages: list[dict[str, Any]],
    late: list[dict[str, Any]] | None,
    owner: str,
) -> dict[str, Any]:
    """The row that keeps an answer with its turn, claimed by ``owner`` while it sends it."""
    return {
        "event_id": event_id,
        "platform": PLATFORM,
        "chat_id": user_id,
        "reply_token": token,
        "received_at": received_at or datetime.now(UTC).isoformat(),
        "messages": messages_json(messages),
        "late": messages_json(late) if late is not None else None,
        "claimed_by": owner,
        "claimed_until": time.time() + REPLY_LEASE,
    }


def taken_over(row: dict[str, Any]) -> Turn:
    """A kept answer whose sender died, as a turn to deliver (its token may have been used already)."""
    return Turn(
        row["event_id"],
        row["reply_token"],
        [],
        user_id=row["chat_id"],
        received_at=datetime.fromisoformat(row["received_at"]),
        messages=json.loads(row["messages"]),
        messages_json=row["messages"],
        late=json.loads(row["late"]) if row["late"] else None,
        kept=True,
        retried=True,
    )


class KeptAnswers:
    """The bookkeeping of durable answers, on a thread of its own so that it never waits behind turns."""

    def __init__(self, service: ChatService, owner: str, executor: Executor) -> None:
        self.service = service
        self.owner = owner
        self.executor = executor
        self._sent_ids: list[str] = []
        self._forgetting: asyncio.Task[None] | None = None
        self._flush = asyncio.Event()  # set at the end: forget what was sent without waiting
        self._sweeper: asyncio.Task[None] | None = None

    def start(self, deliver: Callable[[Turn], None]) -> None:
        """Look for answers whose sender died, every :data:`REPLY_SWEEP` seconds; ``deliver`` sends them."""
        self._sweeper = asyncio.create_task(self._take_over(deliver), name="line-replies")

    async def stop_looking(self) -> None:
        """Take over no more answers (the door is closing)."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.wait({self._sweeper}, timeout=1.0)

    async def finish(self) -> None:
        """Wait a moment for the sent answers being forgotten now."""
        self._flush.set()
        if self._forgetting is not None:
            await asyncio.wait({self._forgetting}, timeout=2.0)

    def sent(self, event_id: str) -> None:
        """Forget a kept answer once sent; answers sent together are forgotten in one transaction."""
        self._sent_ids.append(event_id)
        if self._forgetting is None:
            self._forgetting = asyncio.create_task(self._forget_sent())

    async def _forget_sent(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._sent_ids:
                if not self._flush.is_set():
                    try:
                        async with asyncio.timeout(FORGET_EVERY):
                            await self._flush.wait()
                    except TimeoutError:
                        pass
                batch, self._sent_ids = self._sent_ids, []
                try:
                    await loop.run_in_executor(self.executor, self.service.replies_done, batch)
                except NOTE_LOST as exc:
                    # Kept a while longer: taken over after its claim, its used token is then not pushed.
                    log.warning("replies: %d sent answers not marked sent (%s)", len(batch), type(exc).__name__)
        finally:
            self._forgetting = None

    async def _take_over(self, deliver: Callable[[Turn], None]) -> None:
        """Send the kept answers whose sender died (its claim ran out), whichever instance that was."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(REPLY_SWEEP)
            try:
                rows = await loop.run_in_executor(
                    self.executor, self.service.claim_replies, PLATFORM, self.owner, REPLY_LEASE
                )
            except NOTE_LOST as exc:
                log.debug("replies: not looked at (%s)", type(exc).__name__)
                continue
            for row in rows:
                log.info(
                    "event %s: answer taken over from an instance that stopped sending it",
                    row["event_id"],
                    extra={"event_id": row["event_id"]},
                )
                deliver(taken_over(row))


class ReplySender:
    """Sends an applied event's answer: the reply, or the late way once the token is no longer good."""

    def __init__(
        self,
        app: App,
        clients: LineClients,
        pusher: Pusher,
        loading: LoadingAnimation,
        kept: KeptAnswers,
        stats: dict[str, int],
        executor: Executor,
    ) -> None:
        self.app = app
        self.clients = clients
        self.pusher = pusher
        self.loading = loading
        self.kept = kept
        # The door's counters for /healthz (replies_failed, late_pushed, late_noted are counted here).
        self.stats = stats
        # The main database's thread, for the late-reply note.
        self.executor = executor

    async def deliver(self, turn: Turn) -> None:
        """Reply to an applied event; an expired reply token sends the answer the late way."""
        self.loading.answered(turn.event_id)
        self.loading.user_answered(turn.user_id)  # an answer ends the user's animation
        if self.clients.api is None:
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
                self.kept.sent(turn.event_id)

    async def _reply(self, turn: Turn) -> Literal["sent", "token_rejected", "failed"]:
        """Send the reply; a failure is logged, and says whether LINE refused the token itself (expired)."""
        if self.clients.api is None:
            return "failed"  # the door closed meanwhile
        messages = turn.messages_json
        if messages is None:
            rendered = turn.messages if turn.messages is not None else to_messages(turn.replies, local_now(self.app))
            messages = messages_json(rendered)
        # The JSON the turn kept, in the reply's envelope: nothing is rebuilt or encoded again here.
        body = f'{{"replyToken":{json.dumps(turn.reply_token)},"messages":{messages}}}'.encode()
        try:
            status, answer = await self.clients.post("/v2/bot/message/reply", body)
        except (aiohttp.ClientError, TimeoutError, RuntimeError) as exc:
            # RuntimeError: the door closed meanwhile (a kept answer stays and is sent by whoever is alive).
            self.stats["replies_failed"] += 1
            log.warning(
                "event %s: reply failed (%s)", turn.event_id, type(exc).__name__, extra={"event_id": turn.event_id}
            )
            return "failed"
        if 200 <= status <= 299:
            return "sent"
        self.stats["replies_failed"] += 1
        log.warning("event %s: reply failed with HTTP %s", turn.event_id, status, extra={"event_id": turn.event_id})
        rejected = status == 400 and b"reply token" in answer.lower()
        return "token_rejected" if rejected else "failed"

    async def _deliver_late(self, turn: Turn) -> None:
        """The reply window has passed: push a diagnosis result; anything else becomes a delivery note.

        A result is what the user is waiting for and may be urgent (a lost card), so it is worth a push.
        A question, a confirmation or a menu is cheaper as a note with the user's next reply: the user
        who writes again gets the conversation back from where it stands.
        """
        late = turn.late if turn.messages is not None else render(turn.replies, local_now(self.app))[1]
        if late is not None:
            result = await self.pusher.push(turn.user_id, late, f"late-{turn.event_id}")
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
        await self._note_late(turn)

    async def _note_late(self, turn: Turn) -> None:
        """Store the delivery note that tells the user, with their next reply, that an answer came late."""
        user = UserRef(PLATFORM, turn.user_id)
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self.executor, self.app.service.note, user, NOTE_REPLY_LATE)
        except NOTE_LOST as exc:
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
