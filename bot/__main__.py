"""Command line: ``python -m bot run | console | flow-diagram | discord-sync | line-setup | backup``.

Start-up problems (a bad setting, an unusable database, an invalid flow file) end the process with
one clear line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import io
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from bot.logconfig import configure_logging
from bot.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:  # for annotations only: the doors and the runner are imported when needed
    from bot.app import App
    from bot.runner import Door

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Unofficial consumer-loan login-help bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start every configured platform (the console when none is configured)")
    console = sub.add_parser("console", help="chat in the terminal")
    console.add_argument("--db", help="database path (default: BOT_DB_PATH)")
    console.add_argument("--user", help="the console user's name (default: your login name)")
    sub.add_parser("flow-diagram", help="print the diagnosis flow as a Mermaid diagram")
    sync = sub.add_parser("discord-sync", help="register the Discord slash commands (after they change)")
    sync.add_argument("--guild", type=int, help="server id for instant registration (default: DISCORD_GUILD_ID)")
    sub.add_parser("line-setup", help="create or update LINE's default rich menu (idempotent)")
    backup = sub.add_parser("backup", help="copy the SQLite database to PATH while the bot runs")
    backup.add_argument("path", metavar="PATH", help="the backup file to write")
    backup.add_argument("--db", help="database path (default: BOT_DB_PATH)")
    backup.add_argument("--force", action="store_true", help="replace PATH if it exists")
    return parser


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "console"


def _console(settings: Settings, db: str | None, user: str | None) -> int:
    import asyncio

    from bot.adapters.console import PLATFORM, ConsoleChat
    from bot.app import build_app

    # Undecodable bytes on stdin become U+FFFD instead of a crash. The standard streams are text
    # wrappers (typeshed types them as plain TextIO, which has no reconfigure()).
    cast(io.TextIOWrapper, sys.stdin).reconfigure(errors="replace")
    cast(io.TextIOWrapper, sys.stdout).reconfigure(errors="replace")
    app = build_app(settings, db_path=db)
    chat = ConsoleChat(app.service, user or _default_user())
    # Only this user's console reminders: other users' wait for their own console.
    wakeup = app.reminder_engine({PLATFORM: chat}, only_user=chat.user.user_id)
    asyncio.run(chat.run(sys.stdin, sys.stdout, wakeup))
    app.store.checkpoint()
    return 0


def _doors(settings: Settings, app: App) -> list[Door]:
    """The configured platform doors (imported only when configured: the console stays light)."""
    doors: list[Door] = []
    if settings.line_enabled:
        from bot.adapters.line import LineDoor

        doors.append(LineDoor(app))
    if settings.discord_enabled:
        from bot.adapters.discord import DiscordDoor

        doors.append(DiscordDoor(app))
    return doors


def _discord_sync(settings: Settings, guild: int | None) -> int:
    """Register the slash commands in one server (instant) or globally (may take a while to appear)."""
    import asyncio

    from bot.adapters.discord import DiscordSyncError, sync_commands

    if not settings.discord_token:
        raise SettingsError("DISCORD_TOKEN is empty: discord-sync needs the bot token")
    guild = guild or settings.discord_guild_id
    try:
        count = asyncio.run(sync_commands(settings, guild))
    except DiscordSyncError as exc:
        print(f"同期できません / cannot sync: {exc}", file=sys.stderr)
        return 1
    where = f"server {guild}" if guild else "all servers (global; may take a while to appear)"
    print(f"{count} commands registered for {where}")
    return 0


def _line_setup(settings: Settings) -> int:
    """Create or update the default rich menu (the same menu twice is kept, not duplicated)."""
    import asyncio

    from linebot.v3.messaging import ApiException, Configuration  # type: ignore[import-untyped]

    from bot.adapters.line_richmenu import setup_rich_menu

    if not settings.line_channel_access_token:
        raise SettingsError("LINE_CHANNEL_ACCESS_TOKEN is empty: line-setup needs the channel access token")
    token = settings.line_channel_access_token
    api = Configuration(host=settings.line_api_base_url, access_token=token)
    data = Configuration(host=settings.line_data_api_base_url, access_token=token)
    try:
        menu_id = asyncio.run(setup_rich_menu(api, data))
    except ApiException as exc:
        print(f"設定できません / cannot set up: LINE answered HTTP {exc.status}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"設定できません / cannot set up: LINE API not reachable ({exc})", file=sys.stderr)
        return 1
    print(f"default rich menu: {menu_id}")
    return 0


def _backup(settings: Settings, path: str, db: str | None, force: bool) -> int:
    """A consistent copy of the SQLite database (SQLite's online backup API), safe while the bot runs."""
    from storage.backup import BackupError, backup_sqlite

    if settings.database_url and db is None:
        # The data is on the PostgreSQL server: its own tool makes the consistent copy.
        print(
            "バックアップできません / cannot back up: DATABASE_URL is set; use pg_dump (see the README, Backups)",
            file=sys.stderr,
        )
        return 1
    source = db or settings.db_path
    try:
        result = backup_sqlite(source, path, force=force)
    except BackupError as exc:
        print(f"バックアップできません / cannot back up: {exc}", file=sys.stderr)
        return 1
    print(f"backup of {source} written to {result.path} ({result.size:,} bytes, {result.pages:,} pages)")
    return 0


def _serve(settings: Settings) -> int:
    import asyncio

    from bot.app import build_app
    from bot.runner import serve

    app = build_app(settings)
    try:
        asyncio.run(serve(app, _doors(settings, app)))
    except OSError as exc:
        print(f"起動できません / cannot start: BOT_HOST/BOT_PORT: {exc.strerror}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


def _flow_diagram(settings: Settings, args: argparse.Namespace, serves: bool) -> int:
    from bot.core.diagnosis.flow import load_flow, mermaid

    sys.stdout.write(mermaid(load_flow()))
    return 0


def _run(settings: Settings, args: argparse.Namespace, serves: bool) -> int:
    """run: the platforms that are configured, or the console."""
    return _serve(settings) if serves else _console(settings, None, None)


# One entry per command of the parser (``run`` is the default).
_COMMANDS: dict[str, Callable[[Settings, argparse.Namespace, bool], int]] = {
    "flow-diagram": _flow_diagram,
    "console": lambda settings, args, serves: _console(settings, args.db, args.user),
    "discord-sync": lambda settings, args, serves: _discord_sync(settings, args.guild),
    "line-setup": lambda settings, args, serves: _line_setup(settings),
    "backup": lambda settings, args, serves: _backup(settings, args.path, args.db, args.force),
}


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
        level = logging.getLevelNamesMapping()[settings.log_level]
        serves = settings.line_enabled or bool(settings.discord_token)  # a platform, here or on another instance
        console = command == "console" or (command == "run" and not serves)
        if console:
            # The console shares the terminal with the logs: only warnings and worse there.
            level = max(level, logging.WARNING)
        # Logs go to stderr so that the console's stdout carries only the conversation.
        configure_logging(level, settings.log_format, sys.stderr)
        return _COMMANDS.get(command, _run)(settings, args, serves)
    except SettingsError as exc:
        print(f"設定エラー / setting error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0
    except Exception as exc:  # noqa: BLE001 - start-up errors become one line
        from bot.core.diagnosis.flow import FlowError
        from storage import StorageError

        if isinstance(exc, FlowError | StorageError):
            print(f"起動できません / cannot start: {exc}", file=sys.stderr)
            return EXIT_CONFIG
        raise


if __name__ == "__main__":
    sys.exit(main())
