"""The terminal door: each stdin line is a message; replies go to stdout, choices as ``N) label``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from bot.core.messages import Incoming, Reply, UserRef
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

    def _event_id(self) -> str:
        self._count += 1
        return f"console-{self._count}"

    def greet(self) -> str:
        """What to show when the console opens: a welcome, or where the user left off."""
        return render(self.service.handle(Incoming(self.user, choice="a:resume", event_id=self._event_id())))

    def say(self, line: str) -> str:
        """Send one typed line and return the rendered replies."""
        return render(self.service.handle(Incoming(self.user, text=line, event_id=self._event_id())))

    def run(self, stdin: TextIO, stdout: TextIO) -> None:
        """Read lines until EOF, answering each; EOF ends cleanly."""
        stdout.write(self.greet())
        stdout.flush()
        for line in stdin:
            stdout.write("\n" + self.say(line.rstrip("\r\n")))
            stdout.flush()
