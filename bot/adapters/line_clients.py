"""The LINE door's two SDK clients, each with a connection pool of its own.

Replies (and the loading animation that precedes them) go through one client, pushes and quota
reads through the other: however many reminder pushes are in flight, a reply never waits for a
connection. The clients exist only while the door runs (they own aiohttp sessions, which must be
made inside the running loop); a part of the door that finds them gone knows the door is closing.
"""

from __future__ import annotations

import os
from typing import Any

import aiohttp

# line-bot-sdk ships no type information (no py.typed marker, no stubs package): its names are Any.
from linebot.v3.messaging import (  # type: ignore[import-untyped]
    AsyncApiClient,
    AsyncMessagingApi,
    Configuration,
)

from bot.logsafety import keep_above_debug

REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=10)
# Connections per pool. Replies (and the loading animation that precedes them) have a pool of their
# own, as large as a burst needs; pushes (reminders, late results, quota reads) have theirs, sized
# for the dispatcher's concurrency: however many pushes are in flight, a reply never waits for them.
REPLY_CONNECTIONS = 100
PUSH_CONNECTIONS = 64
# The SDK logs whole response bodies at DEBUG (profiles, error details). Its Configuration happens to
# set these loggers to WARNING, but a logging set-up done later (LOG_LEVEL=DEBUG, dictConfig) can undo
# that; like the Discord door, the door keeps them at INFO or above itself.
PAYLOAD_LOGGERS = ("linebot.v3.messaging.rest", "linebot.v3.messaging.async_rest")


def quiet_payload_logs() -> None:
    """Keep the payload-carrying loggers above DEBUG, whatever LOG_LEVEL says."""
    keep_above_debug(PAYLOAD_LOGGERS)


def _without_netrc(client: AsyncApiClient) -> AsyncApiClient:
    """The SDK's aiohttp session trusts the environment, which makes every request read ~/.netrc on a
    thread; LINE is called with a bearer token, so unless a proxy is configured there is nothing to trust."""
    proxied = any(os.environ.get(name) for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"))
    session = getattr(getattr(client, "rest_client", None), "pool_manager", None)
    if not proxied and isinstance(session, aiohttp.ClientSession) and hasattr(session, "_trust_env"):
        session._trust_env = False
    return client


def _configuration(settings: Any, connections: int) -> Configuration:
    """An SDK configuration for one connection pool of ``connections`` connections."""
    configuration = Configuration(host=settings.line_api_base_url, access_token=settings.line_channel_access_token)
    configuration.connection_pool_maxsize = connections
    return configuration


class LineClients:
    """The reply client and the push client; ``api`` and ``push_api`` are None unless the door runs."""

    def __init__(self, settings: Any) -> None:
        self.configuration = _configuration(settings, REPLY_CONNECTIONS)
        self.push_configuration = _configuration(settings, PUSH_CONNECTIONS)
        self.client: AsyncApiClient | None = None
        self.api: AsyncMessagingApi | None = None
        self.push_client: AsyncApiClient | None = None
        self.push_api: AsyncMessagingApi | None = None

    @property
    def connected(self) -> bool:
        """Both clients are open (for /healthz)."""
        return self.api is not None and self.push_api is not None

    def open(self) -> None:
        """Create both clients; call inside the running loop (each owns an aiohttp session)."""
        self.client = _without_netrc(AsyncApiClient(self.configuration))
        self.api = AsyncMessagingApi(self.client)
        self.push_client = _without_netrc(AsyncApiClient(self.push_configuration))
        self.push_api = AsyncMessagingApi(self.push_client)

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        """POST a ready JSON body through the reply client (its session, token and user agent); the
        status and the response body. Raises aiohttp.ClientError or TimeoutError, or RuntimeError once
        the door is closing.

        The generated methods (``reply_message``) would build pydantic models of the messages, walk
        them back into dicts and encode them again, on the event loop, for every reply; the body here
        is the JSON the turn kept, encoded once on the database thread.
        """
        client = self.client
        if client is None:
            raise RuntimeError("the LINE clients are closed")
        headers = {**client.default_headers, "Content-Type": "application/json", "Accept": "application/json"}
        session = client.rest_client.pool_manager
        url = f"{self.configuration.host}{path}"
        async with session.post(url, data=body, headers=headers, timeout=REQUEST_TIMEOUT) as response:
            return response.status, await response.read()

    async def close(self) -> None:
        """Close both clients; from the first line on, no part of the door starts a request."""
        self.api = self.push_api = None
        for client in (self.client, self.push_client):
            if client is not None:
                await client.close()
        self.client = self.push_client = None
