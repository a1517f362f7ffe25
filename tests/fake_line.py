"""A fake LINE Messaging API on 127.0.0.1 that records replies and pushes (for the real SDK)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class FakeLine:
    """Records what the bot sends; ``push_script``/``reply_script`` hold (status, headers) to answer."""

    replies: list[dict] = field(default_factory=list)
    pushes: list[dict] = field(default_factory=list)
    push_keys: list[str | None] = field(default_factory=list)
    accepted_keys: set[str] = field(default_factory=set)
    push_script: list[tuple[int, dict]] = field(default_factory=list)
    reply_script: list[tuple] = field(default_factory=list)  # (status, headers[, message])
    runner: web.AppRunner | None = None
    url: str = ""

    def _sent(self) -> web.Response:
        body = {"sentMessages": [{"id": str(uuid.uuid4().int)[:18], "quoteToken": "q"}]}
        return web.json_response(body)

    async def reply(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.reply_script:
            status, headers, *message = self.reply_script.pop(0)
            # LINE's answer to an expired or used token, unless the test scripts another message.
            text = message[0] if message else "Invalid reply token"
            return web.json_response({"message": text}, status=status, headers=headers)
        self.replies.append(body)
        return self._sent()

    async def push(self, request: web.Request) -> web.Response:
        body = await request.json()
        key = request.headers.get("X-Line-Retry-Key")
        self.push_keys.append(key)
        if self.push_script:
            status, headers = self.push_script.pop(0)
            if status != 200:
                return web.json_response({"message": "scripted"}, status=status, headers=headers)
        if key and key in self.accepted_keys:
            # LINE: a retry key already accepted within 24 h -> 409, not delivered again.
            return web.json_response({"message": "The retry key is already accepted"}, status=409)
        if key:
            self.accepted_keys.add(key)
        self.pushes.append(body)
        return self._sent()

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v2/bot/message/reply", self.reply)
        app.router.add_post("/v2/bot/message/push", self.push)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()

    def reply_texts(self) -> list[str]:
        return [m["text"] for r in self.replies for m in r["messages"]]

    def last_quick_replies(self) -> list[dict]:
        items = self.replies[-1]["messages"][-1].get("quickReply", {}).get("items", [])
        return [i["action"] for i in items]


def dumps(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")
