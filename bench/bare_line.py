"""The least any bot on the official SDK does: verify, parse, one reply_message per text event.

Run: python -m bench.bare_line PORT LINE_API_BASE_URL SECRET
"""

from __future__ import annotations

import asyncio
import signal
import sys

import aiohttp
from aiohttp import web
from linebot.v3 import WebhookParser
from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, Configuration, ReplyMessageRequest, TextMessage
from linebot.v3.webhooks import MessageEvent, TextMessageContent


async def main(port: int, base_url: str, secret: str) -> None:
    """Serve the bare endpoint until killed."""
    parser = WebhookParser(secret)
    client = AsyncApiClient(Configuration(host=base_url, access_token="t"))
    api = AsyncMessagingApi(client)
    timeout = aiohttp.ClientTimeout(total=10)
    tasks: set[asyncio.Task] = set()

    async def webhook(request: web.Request) -> web.Response:
        body = (await request.read()).decode()
        try:
            events = parser.parse(body, request.headers.get("X-Line-Signature", ""))
        except Exception:  # noqa: BLE001
            return web.Response(status=400)
        for event in events:
            if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
                req = ReplyMessageRequest(reply_token=event.reply_token, messages=[TextMessage(text="ok")])
                task = asyncio.ensure_future(api.reply_message(req, _request_timeout=timeout))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        return web.Response(text="OK")

    app = web.Application()
    app.router.add_post("/line/webhook", webhook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    await client.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2], sys.argv[3]))
