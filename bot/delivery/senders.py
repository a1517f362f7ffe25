"""The sender interface every door implements for reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from bot.core.dialogue.messages import Reply

Status = Literal["sent", "retry", "failed", "undeliverable", "held"]


@dataclass(frozen=True, slots=True)
class SendResult:
    """What happened to one send: sent; retry (transient, maybe after ``retry_after`` s); failed or
    undeliverable (permanent: not retried); held (the platform will take no more sends until
    ``until``, e.g. LINE's monthly message limit: not retried before then, and the user gets the
    reminder with their next reply)."""

    status: Status
    error: str = ""
    retry_after: float | None = None
    until: datetime | None = None


SENT = SendResult("sent")


class Sender(Protocol):
    """Delivers one reminder message to one user of one platform."""

    async def send(self, platform_user_id: str, reply: Reply, key: str) -> SendResult:
        """Send ``reply``; ``key`` is stable across retries of the same send (idempotency)."""
        ...
