"""The terminal door: each stdin line is a message; replies go to stdout, choices as ``N) label``.

Reminders of this user that fall due while the console runs (or fell due while nothing ran) are
printed between the replies; their choices can be answered by number like any other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TextIO

from bot.core.actions import Command
from bot.core.messages import Incoming, Reply, UserRef
from bot.delivery.senders import SENT, SendResult
from bot.service import ChatService

PLATFORM = "console"


def render(replies: Iterable[Reply]) -> str:
    """Replies as terminal text: each bubble, then its choices one per line as ``N) label``."""
    blocks = []
    for reply in replies:
        lines = [reply.text]
        lines.extend(f"{i}) {choice.label}" for i, choice in enumerate(reply.choices, 1))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


class ConsoleChat:
    """One console user talking to the service."""

    def __init__(self, service: ChatService, user_name: str) -> None:
        self.service = service
        self.user = UserRef(PLATFORM, user_name)
        self._count = 0
        self.out: TextIO | None = None

    def _event_id(self) -> str:
        self._count += 1
        return f"console-{self._count}"

    def greet(self) -> str:
        """What to show when the console opens: a welcome, or where the user left off."""
        replies = self.service.handle(Incoming(self.user, choice=Command("resume"), event_id=self._event_id()))
        return render(replies or [])

    def say(self, line: str) -> str:
        """Send one typed line and return the rendered replies."""
        replies = self.service.handle(Incoming(self.user, text=line, event_id=self._event_id()))
        return render(replies or [])

    async def send(self, platform_user_id: str, reply: Reply, key: str) -> SendResult:
        """The console's reminder sender: print into this console, and make its choices answerable."""
        if self.out is None or platform_user_id != self.user.user_id:
            return SendResult("retry", error="console not attached")
        self.out.write("\n" + render([reply]))
        self.out.flush()
        self.service.offer(self.user, reply.choices)
        return SENT

    async def run(self, stdin: TextIO, stdout: TextIO, wakeup=None) -> None:
        """Read lines until EOF, answering each and printing due reminders; EOF ends cleanly."""
        self.out = stdout
        loop = asyncio.get_running_loop()
        stdout.write(self.greet())
        stdout.flush()
        if wakeup is not None:
            wakeup.start()
            await wakeup.wake_now()
        try:
            while True:
                line = await loop.run_in_executor(None, stdin.readline)
                if not line:
                    break
                stdout.write("\n" + self.say(line.rstrip("\r\n")))
                stdout.flush()
        finally:
            if wakeup is not None:
                await wakeup.stop()
