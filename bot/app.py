"""Composition root helpers: build the store, the core and the service from settings."""

from __future__ import annotations

from pathlib import Path

from bot.core.conversation import Conversation
from bot.core.flow import DEFAULT_FLOW, load_flow
from bot.service import ChatService
from bot.settings import Settings
from storage import Store, open_database


def build_service(settings: Settings, db_path: str | None = None, flow_path: Path = DEFAULT_FLOW) -> ChatService:
    """Open (and migrate) the database, load and validate the flow, and wire the chat service."""
    flow = load_flow(flow_path)
    store = Store(open_database(db_path or settings.db_path))
    return ChatService(store, Conversation(flow, settings.tz))
