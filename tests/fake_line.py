"""A fake LINE Messaging API on 127.0.0.1 that records what the bot asks (for the real SDK): replies,
pushes, the loading animation, the message quota, and rich menus (including the image upload,
which LINE takes on its data host; tests point both hosts here)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
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
    loading: list[dict] = field(default_factory=list)
    # Message quota: {"type": "limited", "value": N} (or {"type": "none"}) and this month's usage.
    quota: dict = field(default_factory=lambda: {"type": "limited", "value": 200})
    usage: int = 0
    quota_reads: int = 0
    # Rich menus by id (their request bodies), their images, and the default menu.
    rich_menus: dict[str, dict] = field(default_factory=dict)
    rich_menu_images: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    default_rich_menu: str | None = None
    calls: list[str] = field(default_factory=list)  # "METHOD path" of every rich-menu request
    # Like LINE: a reply token is good once; a second reply with it is refused (400 Invalid reply token).
    single_use_tokens: bool = False
    refused_tokens: list[str] = field(default_factory=list)

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
        if self.single_use_tokens and any(r["replyToken"] == body["replyToken"] for r in self.replies):
            self.refused_tokens.append(body["replyToken"])
            return web.json_response({"message": "Invalid reply token"}, status=400)
        self.replies.append(body)
        return self._sent()

    async def push(self, request: web.Request) -> web.Response:
        body = await request.json()
        key = request.headers.get("X-Line-Retry-Key")
        self.push_keys.append(key)
        if self.push_script:
            status, headers, *message = self.push_script.pop(0)
            if status != 200:
                return web.json_response(
                    {"message": message[0] if message else "scripted"}, status=status, headers=headers
                )
        if key and key in self.accepted_keys:
            # LINE: a retry key already accepted within 24 h -> 409, not delivered again.
            return web.json_response({"message": "The retry key is already accepted"}, status=409)
        if key:
            self.accepted_keys.add(key)
        self.pushes.append(body)
        self.usage += len(body["messages"])
        return self._sent()

    async def loading_start(self, request: web.Request) -> web.Response:
        self.loading.append(await request.json())
        return web.json_response({}, status=202)

    async def get_quota(self, request: web.Request) -> web.Response:
        self.quota_reads += 1
        return web.json_response(self.quota)

    async def get_consumption(self, request: web.Request) -> web.Response:
        return web.json_response({"totalUsage": self.usage})

    async def create_rich_menu(self, request: web.Request) -> web.Response:
        self.calls.append("POST /v2/bot/richmenu")
        menu_id = f"richmenu-{uuid.uuid4().hex}"
        self.rich_menus[menu_id] = await request.json()
        return web.json_response({"richMenuId": menu_id})

    async def list_rich_menus(self, request: web.Request) -> web.Response:
        self.calls.append("GET /v2/bot/richmenu/list")
        menus = [{"richMenuId": mid, **body} for mid, body in self.rich_menus.items()]
        return web.json_response({"richmenus": menus})

    async def delete_rich_menu(self, request: web.Request) -> web.Response:
        menu_id = request.match_info["menu_id"]
        self.calls.append(f"DELETE /v2/bot/richmenu/{menu_id}")
        if self.rich_menus.pop(menu_id, None) is None:
            return web.json_response({"message": "Not found"}, status=404)
        self.rich_menu_images.pop(menu_id, None)
        if self.default_rich_menu == menu_id:
            self.default_rich_menu = None
        return web.json_response({})

    async def upload_rich_menu_image(self, request: web.Request) -> web.Response:
        menu_id = request.match_info["menu_id"]
        self.calls.append(f"POST /v2/bot/richmenu/{menu_id}/content")
        if menu_id not in self.rich_menus:
            return web.json_response({"message": "Not found"}, status=404)
        if menu_id in self.rich_menu_images:
            # LINE: an image cannot be replaced; a new menu is needed.
            return web.json_response({"message": "An image has already been uploaded"}, status=400)
        self.rich_menu_images[menu_id] = (request.headers.get("Content-Type", ""), await request.read())
        return web.json_response({})

    async def set_default_rich_menu(self, request: web.Request) -> web.Response:
        menu_id = request.match_info["menu_id"]
        self.calls.append(f"POST /v2/bot/user/all/richmenu/{menu_id}")
        if menu_id not in self.rich_menu_images:
            return web.json_response({"message": "must upload richmenu image before applying it to user"}, status=400)
        self.default_rich_menu = menu_id
        return web.json_response({})

    async def get_default_rich_menu(self, request: web.Request) -> web.Response:
        self.calls.append("GET /v2/bot/user/all/richmenu")
        if self.default_rich_menu is None:
            return web.json_response({"message": "no default rich menu"}, status=404)
        return web.json_response({"richMenuId": self.default_rich_menu})

    async def start(self) -> str:
        app = web.Application(client_max_size=2 * 1024 * 1024)  # rich menu images are up to 1 MB
        app.router.add_post("/v2/bot/message/reply", self.reply)
        app.router.add_post("/v2/bot/message/push", self.push)
        app.router.add_post("/v2/bot/chat/loading/start", self.loading_start)
        app.router.add_get("/v2/bot/message/quota", self.get_quota)
        app.router.add_get("/v2/bot/message/quota/consumption", self.get_consumption)
        app.router.add_post("/v2/bot/richmenu", self.create_rich_menu)
        app.router.add_get("/v2/bot/richmenu/list", self.list_rich_menus)
        app.router.add_delete("/v2/bot/richmenu/{menu_id}", self.delete_rich_menu)
        app.router.add_post("/v2/bot/richmenu/{menu_id}/content", self.upload_rich_menu_image)
        app.router.add_post("/v2/bot/user/all/richmenu/{menu_id}", self.set_default_rich_menu)
        app.router.add_get("/v2/bot/user/all/richmenu", self.get_default_rich_menu)
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

    def replied(self, token: str) -> bool:
        """Whether a reply with this reply token arrived."""
        return any(r["replyToken"] == token for r in self.replies)

    def reply_texts(self) -> list[str]:
        return [flat_text(m) for r in self.replies for m in r["messages"]]

    def last_quick_replies(self) -> list[dict]:
        items = self.replies[-1]["messages"][-1].get("quickReply", {}).get("items", [])
        return [i["action"] for i in items]


def flat_text(message: dict) -> str:
    """Every text a message shows, in order: a text message's text, or a Flex message's altText,
    texts, button labels and URIs (one per line)."""
    if message.get("type") == "text":
        return message["text"]
    found: list[str] = [message.get("altText", "")]
    for node in _nodes(message.get("contents")):
        found += [node[key] for key in ("text", "label", "uri") if isinstance(node.get(key), str)]
    return "\n".join(found)


def flex_buttons(message: dict) -> list[dict]:
    """The actions of every button in a Flex message, in order."""
    return [node["action"] for node in _nodes(message.get("contents")) if node.get("type") == "button"]


def _nodes(tree: object) -> Iterator[dict]:
    """Every object of a Flex tree, depth first, in document order."""
    if isinstance(tree, dict):
        yield tree
        for value in tree.values():
            yield from _nodes(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from _nodes(item)


def dumps(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")
