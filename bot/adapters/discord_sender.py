"""Reminders by Discord DM, with buttons that keep working after a restart.

Outcomes for the dispatcher: sent; DMs closed (error 50007) or no shared server with a user who
installed the app for themselves (50278) -> undeliverable, and a note is stored
so the user's next command explains how to open DMs; 429 -> retry after Discord's ``retry_after``;
5xx, timeouts and connection errors -> retry; any other 4xx -> failed. Sends are paced well under
Discord's global limit of 50 requests/s (each DM costs up to two requests). Message text is never
logged: only keys, user ids and message ids.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging

import aiohttp
import discord

from bot.adapters.discord_view import render
from bot.core.dialogue.messages import Reply, UserRef
from bot.delivery.dispatcher import RateLimiter
from bot.delivery.senders import SENT, SendResult
from bot.service import ChatService

log = logging.getLogger(__name__)

PLATFORM = "discord"
DMS_CLOSED = 50007  # "Cannot send messages to this user"
# "Cannot send messages to this user due to having no mutual guilds": a user-installed app whose user
# shares no server with the bot. Like 50007, the user cannot be reached by DM: told next time.
NO_MUTUAL_GUILDS = 50278
NOTE_DMS_CLOSED = "dms_closed"
NOTE_DMS_UNREACHABLE = "dms_unreachable"
RATE = 20.0  # DMs per second (two requests each at most: open the DM channel, send)


def classify(exc: BaseException) -> SendResult:
    """The dispatcher's view of a failed send."""
    if isinstance(exc, discord.RateLimited):
        return SendResult("retry", error="discord 429 rate limited", retry_after=exc.retry_after)
    if isinstance(exc, discord.HTTPException):
        status = exc.status
        if status == 403 and exc.code == DMS_CLOSED:
            return SendResult("undeliverable", error="discord 50007 dms closed")
        if status == 403 and exc.code == NO_MUTUAL_GUILDS:
            return SendResult("undeliverable", error="discord 50278 no mutual guilds")
        if status == 429:
            retry_after = exc.response.headers.get("Retry-After") if exc.response is not None else None
            return SendResult("retry", error="discord 429", retry_after=_seconds(retry_after))
        if status >= 500:
            return SendResult("retry", error=f"discord {status}")
        return SendResult("failed", error=f"discord {status} code {exc.code}")
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ClientError | OSError):
        return SendResult("retry", error=f"discord {type(exc).__name__}")
    return SendResult("retry", error=type(exc).__name__)


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def nonce(key: str) -> str:
    """Discord's message nonce for a send key (≤ 25 chars): a quick resend is not posted twice."""
    return hashlib.sha256(key.encode()).hexdigest()[:25]


class DiscordSender:
    """Sends reminder DMs through a logged-in client."""

    def __init__(
        self,
        client: discord.Client,
        service: ChatService,
        rate: float | None = RATE,
    ) -> None:
        self.client = client
        self.service = service
        self.limiter = RateLimiter(rate)

    async def send(self, platform_user_id: str, reply: Reply, key: str) -> SendResult:
        """DM ``reply`` with persistent buttons to the user."""
        if self.client.user is None or self.client.is_closed():
            return SendResult("retry", error="discord not logged in")
        if not platform_user_id.isdigit():
            return SendResult("failed", error="not a discord user id")
        owner = int(platform_user_id)
        await self.limiter.wait()
        try:
            channel = await self.client.create_dm(discord.Object(id=owner))
            content, view = render(reply, owner)
            if view is None:
                message = await channel.send(content, nonce=nonce(key))
            else:
                message = await channel.send(content, view=view, nonce=nonce(key))
        except Exception as exc:  # noqa: BLE001 - every failure becomes an outcome for the dispatcher
            result = classify(exc)
            if result.status == "undeliverable":
                unreachable = isinstance(exc, discord.HTTPException) and exc.code == NO_MUTUAL_GUILDS
                # Off the event loop: a note is a database write, and the loop never waits for the database.
                note = NOTE_DMS_UNREACHABLE if unreachable else NOTE_DMS_CLOSED
                await asyncio.to_thread(self._note_closed, platform_user_id, note)
            return result
        log.info(
            "send %s: DM %s to discord user %s",
            key,
            message.id,
            platform_user_id,
            extra={"send_key": key, "user": f"{PLATFORM}:{platform_user_id}"},
        )
        return SENT

    def _note_closed(self, platform_user_id: str, note: str = NOTE_DMS_CLOSED) -> None:
        # Through the service: it knows the storage, the door does not.
        self.service.note(UserRef(PLATFORM, platform_user_id), note)
