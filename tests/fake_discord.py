"""A fake Discord REST API on 127.0.0.1 and builders for raw gateway payloads.

The fake records every request and answers the endpoints the bot uses with ``Content-Type:
application/json`` exactly (discord.py only parses JSON when the header is exactly that). Failures
can be queued per route. The payload builders make the ``INTERACTION_CREATE`` and
``MESSAGE_CREATE`` events the gateway would deliver.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import discord
from aiohttp import web

APP_ID = 900000000000000001
BOT_ID = 900000000000000002
GUILD_ID = 900000000000000003
STAMP = "2026-12-03T01:00:00+00:00"
_ids = itertools.count(1_000_000_000_000_000_000)


def snowflake() -> str:
    """A fresh id."""
    return str(next(_ids))


def user(uid: int | str, name: str = "someone", bot: bool = False) -> dict[str, Any]:
    """A user object."""
    return {"id": str(uid), "username": name, "discriminator": "0", "global_name": name, "avatar": None, "bot": bot}


BOT_USER = user(BOT_ID, "promise-help", bot=True)


def message(channel_id: str, content: str, components: list | None = None, flags: int = 0, author=None) -> dict:
    """A message object as Discord returns it."""
    return {
        "id": snowflake(),
        "channel_id": str(channel_id),
        "type": 0,
        "content": content,
        "author": author or BOT_USER,
        "embeds": [],
        "attachments": [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": STAMP,
        "edited_timestamp": None,
        "components": components or [],
        "flags": flags,
    }


@dataclass
class Call:
    """One request the fake received."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any


@dataclass
class FakeDiscord:
    """The fake API; ``base`` is what DISCORD_API_BASE_URL would be."""

    calls: list[Call] = field(default_factory=list)
    failures: list[tuple[str, str, int, dict, dict]] = field(default_factory=list)
    dm_channels: dict[str, str] = field(default_factory=dict)  # channel id -> user id
    base: str = ""
    _runner: web.AppRunner | None = None

    def fail(self, method: str, path_prefix: str, status: int, body: dict, headers: dict | None = None) -> None:
        """Answer the next matching request with this error."""
        self.failures.append((method, path_prefix, status, body, headers or {}))

    async def start(self) -> None:
        """Serve on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # noqa: SLF001
        self.base = f"http://127.0.0.1:{port}/api/v10"

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()

    # ------------------------------------------------------------------ queries for tests

    def find(self, method: str, path_part: str) -> list[Call]:
        """Calls whose method matches and whose path contains ``path_part``."""
        return [c for c in self.calls if c.method == method and path_part in c.path]

    def answers(self, interaction_id: str, token: str) -> list[dict]:
        """Everything sent for one interaction, in order: the callback then the follow-ups."""
        out = []
        for c in self.calls:
            if c.path == f"/interactions/{interaction_id}/{token}/callback":
                out.append({"kind": "callback", **c.body})
            elif c.path == f"/webhooks/{APP_ID}/{token}" and c.method == "POST":
                out.append({"kind": "followup", "data": c.body})
        return out

    # ------------------------------------------------------------------ serving

    async def _handle(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        if request.content_type.startswith("multipart/"):
            # Attachments: discord.py sends payload_json plus one part per file.
            body, files = {}, []
            async for part in await request.multipart():
                if part.name == "payload_json":
                    body = json.loads(await part.read())
                else:
                    files.append({"filename": part.filename, "content": bytes(await part.read())})
            body["files"] = files
        else:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        self.calls.append(Call(request.method, path, dict(request.query), body))
        for i, (method, prefix, status, data, headers) in enumerate(self.failures):
            if method == request.method and path.startswith(prefix):
                del self.failures[i]
                return _json(data, status, headers)
        return _json(*self._route(request.method, path, body))

    def _route(self, method: str, path: str, body: Any) -> tuple[Any, int]:
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/users/@me":
            return BOT_USER, 200
        if method == "GET" and path == "/oauth2/applications/@me":
            return _application(), 200
        if method == "POST" and path.endswith("/callback"):
            return {"interaction": {"id": parts[1], "type": 2}}, 200
        if method == "POST" and parts[0] == "webhooks":
            data = body or {}
            return message(snowflake(), data.get("content", ""), data.get("components"), data.get("flags", 0)), 200
        if method == "POST" and path == "/users/@me/channels":
            channel_id = snowflake()
            self.dm_channels[channel_id] = body["recipient_id"]
            return {"id": channel_id, "type": 1, "recipients": [user(body["recipient_id"])]}, 200
        if method == "POST" and parts[0] == "channels" and parts[-1] == "messages":
            data = body or {}
            return message(parts[1], data.get("content", ""), data.get("components")), 200
        if method == "PUT" and parts[0] == "applications" and parts[-1] == "commands":
            return [{**c, "id": snowflake(), "application_id": str(APP_ID), "version": "1"} for c in body], 200
        return {"message": "404: Not Found", "code": 0}, 404


def _json(data: Any, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json", **(headers or {})}
    )


def _application() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "promise-help",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": user(1, "owner"),
        "verify_key": "0" * 64,
        "flags": 0,
    }


class _Response:
    """Just enough of an aiohttp response for discord.HTTPException."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = "error"
        self.headers: dict[str, str] = {}


def http_error(status: int, code: int) -> discord.HTTPException:
    """The exception discord.py raises for an error answer (Forbidden for 403, ...)."""
    cls = {403: discord.Forbidden, 404: discord.NotFound}.get(status, discord.HTTPException)
    if status >= 500:
        cls = discord.DiscordServerError
    return cls(_Response(status), {"code": code, "message": "error"})


# ---------------------------------------------------------------------- gateway payloads


def _base(kind: int, uid: int, in_guild: bool) -> dict[str, Any]:
    iid = snowflake()
    payload: dict[str, Any] = {
        "id": iid,
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"tok-{iid}",
        "version": 1,
        "locale": "ja",
        "attachment_size_limit": 10_000_000,
        "app_permissions": "0",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
    }
    if in_guild:
        payload["guild_id"] = str(GUILD_ID)
        payload["channel"] = {
            "id": str(GUILD_ID + 10),
            "type": 0,
            "guild_id": str(GUILD_ID),
            "name": "general",
            "position": 0,
        }
        payload["channel_id"] = str(GUILD_ID + 10)
        payload["member"] = {
            "user": user(uid),
            "roles": [],
            "joined_at": STAMP,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": "0",
        }
        payload["context"] = 0
    else:
        payload["channel"] = {"id": str(uid + 7), "type": 1, "recipients": [user(uid)]}
        payload["channel_id"] = str(uid + 7)
        payload["user"] = user(uid)
        payload["context"] = 1
    return payload


def command(uid: int, name: str, options: list | None = None, in_guild: bool = True, kind: int = 2) -> dict:
    """An application command (type 2) or autocomplete (type 4) interaction."""
    payload = _base(kind, uid, in_guild)
    payload["data"] = {"id": snowflake(), "name": name, "type": 1, "options": options or []}
    return payload


def sub(name: str, options: list | None = None) -> list[dict]:
    """The options of a subcommand call."""
    return [{"type": 1, "name": name, "options": options or []}]


def click(uid: int, msg: dict, custom_id: str, in_guild: bool = False) -> dict:
    """A button click (type 3) on ``msg``."""
    payload = _base(3, uid, in_guild)
    payload["message"] = msg
    payload["data"] = {"custom_id": custom_id, "component_type": 2}
    return payload


def dm_text(uid: int, content: str) -> dict:
    """A MESSAGE_CREATE for text typed in a DM with the bot."""
    return message(str(uid + 7), content, author=user(uid))


async def settle(timeout: float = 15.0) -> None:
    """Wait until discord.py's dispatch tasks (commands, buttons, events) have finished."""
    # A modal's submit and a view's button run in tasks of their own too: a test that stopped
    # waiting before them would close the client while they still send (seen as "Session is closed").
    prefixes = (
        "CommandTree-invoker",
        "discord-ui-dynamic-item",
        "discord-ui-modal-dispatch",
        "discord-ui-view-dispatch",
        "discord.py: on_message",
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await asyncio.sleep(0.01)
        busy = [t for t in asyncio.all_tasks() if not t.done() and t.get_name().startswith(prefixes)]
        if not busy:
            return
        if loop.time() > deadline:
            raise TimeoutError(f"still busy: {[t.get_name() for t in busy]}")
