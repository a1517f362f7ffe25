"""LINE's monthly message limit: told apart from a rate limit, held until the 1st, shown on /healthz.

The free and light plans of a LINE Official Account stop pushes at the month's limit: a push then
answers 429 with "You have reached your monthly limit." That is not a rate limit, and retrying it
only adds requests: the door holds every push until the 1st of next month (Asia/Tokyo, when LINE
resets the count) without calling LINE, and says so in the logs once. Replies stay free and keep
working. The quota and this month's consumption (``GET /v2/bot/message/quota`` and
``/quota/consumption``) are read at start, after the limit is met, and every few minutes when
/healthz is asked.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.delivery.senders import SendResult

log = logging.getLogger(__name__)

LINE_TZ = ZoneInfo("Asia/Tokyo")  # LINE counts messages per calendar month in Japan time
MONTHLY_LIMIT_MESSAGE = "monthly limit"  # in LINE's 429 body: "You have reached your monthly limit."
REFRESH_EVERY = timedelta(minutes=5)


def is_monthly_limit(status: int, body: str | None) -> bool:
    """True for LINE's monthly-limit 429 (a plain 429 is a rate limit: back off and retry)."""
    return status == 429 and MONTHLY_LIMIT_MESSAGE in (body or "").lower()


def next_month_start(now: datetime) -> datetime:
    """The 1st of next month, 0:00 in Japan time (when LINE's monthly count starts again)."""
    local = now.astimezone(LINE_TZ)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=LINE_TZ)


class MonthlyQuota:
    """Whether pushes are held for the monthly limit, and the last quota reading."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self.exhausted_until: datetime | None = None
        self.limit: int | None = None  # None: no limit (type "none") or not read yet
        self.limited: bool | None = None
        self.used: int | None = None
        self.read_at: datetime | None = None
        self.read_error = ""
        self._reading: asyncio.Task[None] | None = None

    def held(self) -> SendResult | None:
        """The outcome for a push while the limit holds (no request is made), else None."""
        until = self.exhausted_until
        if until is None:
            return None
        if self.clock() >= until:
            self.exhausted_until = None  # a new month: try again
            log.info("LINE monthly message limit: a new month has started; pushes are sent again")
            return None
        return SendResult("held", error="LINE monthly message limit", until=until)

    def reached(self) -> SendResult:
        """LINE answered the monthly-limit 429: hold pushes until the 1st (warned once per month)."""
        until = next_month_start(self.clock())
        if self.exhausted_until != until:
            log.warning(
                "LINE monthly message limit reached: reminder pushes are held until %s and delivered with each"
                " user's next reply instead (replies are free). A larger plan lifts the limit.",
                until.isoformat(),
            )
        self.exhausted_until = until
        return SendResult("held", error="LINE monthly message limit", until=until)

    async def read(self, quota: Callable[[], Awaitable[Any]], consumption: Callable[[], Awaitable[Any]]) -> None:
        """Read the quota and this month's consumption (errors are kept for /healthz, not raised)."""
        try:
            q, c = await quota(), await consumption()
        except Exception as exc:  # noqa: BLE001 - health information only
            self.read_error = type(exc).__name__
            return
        self.limited = str(getattr(q.type, "value", q.type)) == "limited"
        self.limit = q.value if self.limited else None
        self.used = c.total_usage
        self.read_at = self.clock()
        self.read_error = ""
        if self.limit is not None and self.used is not None and self.used >= self.limit:
            self.reached()  # known before the first push is refused

    def refresh_soon(self, quota: Callable[[], Awaitable[Any]], consumption: Callable[[], Awaitable[Any]]) -> None:
        """Start a reading in the background when the last one is old (one at a time)."""
        stale = self.read_at is None or self.clock() - self.read_at > REFRESH_EVERY
        if stale and (self._reading is None or self._reading.done()):
            self._reading = asyncio.get_running_loop().create_task(self.read(quota, consumption))

    def health(self) -> dict[str, Any]:
        """The quota state for /healthz (never a problem: replies still work, reminders wait for them)."""
        status: dict[str, Any] = {
            "state": "exhausted" if self.exhausted_until is not None else "ok",
            "limit": self.limit if self.limited else ("none" if self.limited is False else None),
            "used_this_month": self.used,
        }
        if self.exhausted_until is not None:
            status["held_until"] = self.exhausted_until.isoformat()
        if self.read_at is not None:
            status["read_at"] = self.read_at.isoformat()
        if self.read_error:
            status["read_error"] = self.read_error
        return status
