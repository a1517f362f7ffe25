"""The LINE door's pushes: reminders and late results, with a retry key, a rate limit and the monthly limit.

A push carries ``X-Line-Retry-Key`` = the send's stable key, so a retried push is never delivered
twice (LINE answers 409 to a key it has accepted). At the monthly message limit every push is held
until the 1st without asking LINE (:mod:`.line_quota`).
"""

from __future__ import annotations

from typing import Any

import aiohttp

# line-bot-sdk ships no type information (no py.typed marker, no stubs package): its names are Any.
from linebot.v3.messaging import ApiException, PushMessageRequest  # type: ignore[import-untyped]

from bot.adapters.line_clients import REQUEST_TIMEOUT, LineClients
from bot.adapters.line_quota import MonthlyQuota, is_monthly_limit
from bot.delivery.dispatcher import RateLimiter
from bot.delivery.senders import SENT, SendResult


class Pusher:
    """Pushes LINE messages through the push client, within the rate and the monthly limit."""

    def __init__(self, clients: LineClients, quota: MonthlyQuota, limiter: RateLimiter) -> None:
        self.clients = clients
        self.quota = quota
        self.limiter = limiter

    async def push(self, platform_user_id: str, messages: list[dict[str, Any]], key: str) -> SendResult:
        """Push ``messages`` (LINE's JSON) to one user; the outcome as the dispatcher reads it."""
        api = self.clients.push_api
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
            return push_error(exc)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return SendResult("retry", error=f"LINE push {type(exc).__name__}")
        return SENT


def push_error(exc: ApiException) -> SendResult:
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
