"""Composition root helpers: build the store, the core, the service and the reminder engine."""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.diagnosis.flow import FLOWS_DIR, Flow
from bot.core.lenders import load_lenders
from bot.core.lenders.desk import LenderDesk
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.senders import Sender
from bot.delivery.wakeup import Wakeup
from bot.metrics import Metrics
from bot.service import ChatService
from bot.settings import Settings
from storage import StorePort, open_store
from storage.inbox import Inbox, inbox_path_for

log = logging.getLogger(__name__)
# Seconds between background checkpoints: often enough that a burst's WAL never nears its size limit.
CHECKPOINT_SECONDS = 5.0
TRUNCATE_RETRY_SECONDS = 2.0


@dataclass
class App:
    """The wired parts every door shares."""

    settings: Settings
    flow: Flow
    store: StorePort
    service: ChatService
    inbox: Inbox | None = None

    @property
    def metrics(self) -> Metrics:
        """This app's metrics (``GET /metrics``)."""
        return self.service.metrics

    def open_inbox(self) -> Inbox:
        """The webhook inbox (opened on first use: only a webhook door needs it).

        With ``DATABASE_URL`` it is a table of the shared PostgreSQL database (any instance applies any
        acknowledged event; an instance's own disk holds nothing that matters); otherwise a SQLite file
        next to the database, shared by the instances on this machine. Events an earlier version left in
        a local file are moved in at start.
        """
        if self.inbox is None:
            if self.settings.database_url and not self.settings.inbox_path:
                from storage.pg_inbox import PgInbox

                self.inbox = PgInbox(self.settings.database_url)
                olds = [legacy_inbox_path(self.settings), default_inbox_path(self.settings, "")]
            else:
                self.inbox = Inbox(self.settings.inbox_path or default_inbox_path(self.settings, self.store.path))
                olds = [None if self.settings.inbox_path else legacy_inbox_path(self.settings)]
            for legacy in olds:
                moved = self.inbox.absorb(legacy) if legacy is not None else 0
                if moved:
                    log.info("inbox: %d events of %s moved into the shared inbox %s", moved, legacy, self.inbox.path)
        return self.inbox

    def reminder_engine(self, senders: dict[str, Sender], only_user: str | None = None, **options) -> Wakeup:
        """A dispatcher for these senders, woken by APScheduler; the service re-arms it on changes."""
        options.setdefault("lease", timedelta(seconds=self.settings.claim_lease_seconds))
        conversation = self.service.conversation
        if isinstance(conversation, LenderDesk):
            options.setdefault("flow_for", conversation.flow_of)  # each reminder speaks of its own lender
        dispatcher = Dispatcher(self.store, self.flow, senders, only_user=only_user, metrics=self.metrics, **options)
        wakeup = Wakeup(dispatcher, tick_seconds=self.settings.dispatch_tick_seconds, housekeeping=self.housekeeping)
        self.service.on_reminders_changed = wakeup.arm
        self.service.on_user_forgotten = lambda user: dispatcher.forget(user.platform, user.user_id)
        wakeup.on_start.append(lambda: wakeup.every(CHECKPOINT_SECONDS, self.checkpoint, "checkpoint"))
        wakeup.on_start.append(lambda: wakeup.every(TRUNCATE_RETRY_SECONDS, self.owed_truncate, "owed-truncate"))
        return wakeup

    async def owed_truncate(self) -> None:
        """After a forget that a reader blocked: try the TRUNCATE again soon (nothing to do otherwise)."""
        if self.store.truncate_owed_since is not None:
            await asyncio.to_thread(self.store.checkpoint_passive)

    async def checkpoint(self) -> None:
        """Fold the WAL back into the database file, off the event loop."""
        await asyncio.to_thread(self.store.checkpoint_passive)

    def housekeeping(self) -> None:
        """Retention: drop expired conversation positions and webhook event ids older than a day."""
        now = datetime.now(UTC)
        expired = self.store.prune_conversations(now - timedelta(days=self.settings.state_ttl_days))
        seen = self.store.prune_seen(now - timedelta(days=1))
        if expired or seen:
            log.info("housekeeping: %d expired conversations, %d old event ids removed", expired, seen)


def default_inbox_path(settings: Settings, db_path: str) -> str:
    """Next to the SQLite file; on PostgreSQL next to BOT_DB_PATH (which is otherwise unused).

    Every instance on one machine (started in one folder) shares the file: whichever instance
    acknowledged an event, any of them applies it, and each user's events in LINE's order.
    """
    if settings.database_url:
        return inbox_path_for(settings.db_path)
    return inbox_path_for(db_path or ":memory:")


def legacy_inbox_path(settings: Settings) -> str | None:
    """The per-instance inbox file earlier versions kept on PostgreSQL (``data/bot-<port>.inbox.db``):
    events left in it are moved into the shared inbox at start."""
    if not settings.database_url:
        return None
    return inbox_path_for(str(Path(settings.db_path).with_name(f"bot-{settings.port}.db")))


def model_cache_dir() -> Path:
    """Where trained intent models are kept between starts (one file per corpus version)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "login-help-bot"


def build_app(settings: Settings, db_path: str | None = None, flows_dir: Path = FLOWS_DIR) -> App:
    """Open (and migrate) the database, load and validate every lender's flow (``BOT_LENDERS``: only
    those) and train one understanding over their corpora, and wire the service.

    An explicit ``db_path`` (the console's ``--db``) is SQLite; otherwise ``DATABASE_URL`` decides.
    """
    lenders = load_lenders(flows_dir, settings.lenders)
    desk = LenderDesk(lenders, settings.tz, cache_dir=model_cache_dir())
    store = open_store(db_path or settings.db_path, "" if db_path else settings.database_url)
    service = ChatService(store, desk)
    service.state_ttl = timedelta(days=settings.state_ttl_days)
    log.debug("lenders: %s", ", ".join(lenders.ids))
    return App(settings, desk.flow, store, service)
