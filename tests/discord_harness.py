"""The real Discord door, logged in against the fake API, on a real SQLite file."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from bot.adapters.discord import DiscordDoor
from bot.app import App
from bot.core.diagnosis.flow import load_flow
from bot.core.dialogue.conversation import Conversation
from bot.delivery.dispatcher import Dispatcher
from bot.service import ChatService
from bot.settings import Settings
from storage import Store, open_database
from tests.conftest import TOKYO
from tests.fake_discord import FakeDiscord, settle


@dataclass
class Bot:
    """A logged-in door plus the fake it talks to."""

    fake: FakeDiscord
    app: App
    door: DiscordDoor

    async def feed(self, payload: dict) -> list[dict]:
        """Deliver an INTERACTION_CREATE and return what the bot answered to it."""
        self.door.client._connection.parsers["INTERACTION_CREATE"](payload)  # noqa: SLF001
        await settle()
        return self.fake.answers(payload["id"], payload["token"])

    async def feed_message(self, payload: dict) -> None:
        """Deliver a MESSAGE_CREATE."""
        self.door.client._connection.parsers["MESSAGE_CREATE"](payload)  # noqa: SLF001
        await settle()

    async def run_due(self) -> int:
        """Send the reminders due now through the door's sender."""
        app = self.app
        dispatcher = Dispatcher(app.store, app.flow, {"discord": self.door.sender}, app.service.clock, seed=1)
        return await dispatcher.run_due()


@contextlib.asynccontextmanager
async def discord_bot(fake: FakeDiscord, db_path: str, clock) -> AsyncIterator[Bot]:
    """Build the app on ``db_path``, log the door in against ``fake`` (setup_hook runs), yield it."""
    settings = Settings(db_path=db_path, discord_token="test-token", discord_api_base_url=fake.base)
    flow = load_flow()
    store = Store(open_database(db_path))
    app = App(settings, flow, store, ChatService(store, Conversation(flow, TOKYO), clock=clock))
    door = DiscordDoor(app)
    await door.login()
    try:
        yield Bot(fake, app, door)
    finally:
        await door.close()
        store.db.close()


@contextlib.asynccontextmanager
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A running fake API."""
    fake = FakeDiscord()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
