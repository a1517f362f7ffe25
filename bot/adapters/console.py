"""The terminal door: each stdin line is a message; replies go to stdout, choices as ``N) label``.

Reminders of this user that fall due while the console runs (or fell due while nothing ran) are
printed between the replies; their choices can be answered by number like any other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TextIO

from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Incoming, Reply, UserRef
from bot.delivery.senders import SENT, SendResult
from bot.service import ChatService

PLATFORM = "console"
# Said once at start: EOF is the only way out of the terminal chat (typed words go to the bot).
QUIT_HINT = "終わるときは Ctrl+D を押してください。次に開いたときは、続きから始まります。"
PROMPT = "> "


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
        self.prompt = ""

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
        # A reminder printed while the user is at the prompt: show the prompt again after it.
        self.out.write("\n" + render([reply]) + ("\n" + self.prompt if self.prompt else ""))
        self.out.flush()
        self.service.offer(self.user, reply.choices)
        return SENT

    async def run(self, stdin: TextIO, stdout: TextIO, wakeup=None) -> None:
        """Read lines until EOF, answering each and printing due reminders; EOF ends cleanly."""
        self.out = stdout
        loop = asyncio.get_running_loop()
        # The prompt only for a person at a terminal: piped input and its output stay plain.
        self.prompt = prompt = PROMPT if _interactive(stdin) else ""
        stdout.write(QUIT_HINT + "\n\n" + self.greet())
        stdout.flush()
        if wakeup is not None:
            wakeup.start()
            await wakeup.wake_now()
        try:
            while True:
                if prompt:
                    stdout.write("\n" + prompt)
                    stdout.flush()
                line = await loop.run_in_executor(None, stdin.readline)
                if not line:
                    if prompt:
                        stdout.write("\n")  # Ctrl+D leaves the cursor after the prompt
                    break
                stdout.write(("" if prompt else "\n") + self.say(line.rstrip("\r\n")))
                stdout.flush()
        finally:
            if wakeup is not None:
                await wakeup.stop()


def _interactive(stream: TextIO) -> bool:
    """True when a person types into ``stream`` (a terminal), False for a pipe or a file."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
