"""Settings from the environment (and an optional ``.env`` file), validated once at start-up.

A bad setting raises :class:`SettingsError` whose message is one line naming the setting and what is
wrong with it, never its value (values may be secrets).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class SettingsError(ValueError):
    """One setting is missing or wrong."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting the bot reads (names as in .env.example)."""

    db_path: str = "data/bot.db"
    # PostgreSQL instead of SQLite (several instances may share it); empty: SQLite at db_path.
    database_url: str = ""
    # The webhook inbox file; empty: next to the database (data/bot.db -> data/bot.inbox.db).
    inbox_path: str = ""
    timezone: str = "Asia/Tokyo"
    host: str = "127.0.0.1"
    port: int = 8080
    line_channel_secret: str = ""
    line_channel_access_token: str = ""
    line_api_base_url: str = "https://api.line.me"
    line_data_api_base_url: str = "https://api-data.line.me"  # rich menu images and other blobs
    line_push_rate: float = 1000.0
    discord_token: str = ""
    discord_api_base_url: str = "https://discord.com/api/v10"
    discord_guild_id: int | None = None
    log_level: str = "INFO"
    # "text" (lines for people) or "json" (one object a line, for log shippers).
    log_format: str = "text"
    state_ttl_days: int = 30
    # Whether this instance runs the Discord gateway (exactly one instance of several should).
    discord_gateway: bool = True
    # How often the dispatcher looks for due sends besides its own wake-ups (another instance's too).
    dispatch_tick_seconds: float = 30.0
    # How long a claimed send belongs to the instance that claimed it before another takes it over.
    claim_lease_seconds: float = 120.0
    # The lenders this bot serves (flow files' names); empty: every lender in bot/flows.
    lenders: tuple[str, ...] = ()
    # Worker processes serving the webhook on one port (SO_REUSEPORT): use the machine's cores.
    workers: int = 1

    @property
    def tz(self) -> ZoneInfo:
        """The default timezone as a ZoneInfo."""
        return ZoneInfo(self.timezone)

    @property
    def line_enabled(self) -> bool:
        """True when the LINE door has what it needs."""
        return bool(self.line_channel_secret and self.line_channel_access_token)

    @property
    def discord_enabled(self) -> bool:
        """True when the Discord door has what it needs and this instance runs its gateway."""
        return bool(self.discord_token) and self.discord_gateway


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse a simple ``KEY=value`` file (comments, blank lines, optional quotes); missing file -> {}."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return values
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = value
    return values


_SWITCH = {"on": True, "1": True, "true": True, "yes": True, "off": False, "0": False, "false": False, "no": False}


def _seconds(name: str, value: str, low: float, high: float) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not low <= seconds <= high:
        raise SettingsError(f"{name} must be a number of seconds from {low:g} to {high:g}")
    return seconds


def _url(name: str, value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise SettingsError(f"{name} must start with http:// or https://")
    return value.rstrip("/")  # the LINE SDK breaks on a trailing slash


def load_settings(env: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
    """Build :class:`Settings` from ``.env`` overlaid with the environment; raise SettingsError."""
    merged: dict[str, str] = read_dotenv(dotenv) if dotenv else {}
    merged.update(os.environ if env is None else env)

    def get(name: str, default: str = "") -> str:
        return merged.get(name, "").strip() or default

    timezone = _timezone(get("BOT_TIMEZONE", "Asia/Tokyo"))
    port_text = _whole_number("BOT_PORT", get("BOT_PORT", "8080"), 0, 65535, "a whole number from 0 to 65535")
    level, log_format = _logging(get("LOG_LEVEL", "INFO").upper(), get("LOG_FORMAT", "text").lower())
    secret, token = _line_keys(get("LINE_CHANNEL_SECRET"), get("LINE_CHANNEL_ACCESS_TOKEN"))
    push_rate = _push_rate(get("LINE_PUSH_RATE", "1000"))
    ttl_text = _whole_number(
        "BOT_STATE_TTL_DAYS", get("BOT_STATE_TTL_DAYS", "30"), 1, 3650, "a whole number of days from 1 to 3650"
    )
    tick = _seconds("BOT_DISPATCH_TICK_SECONDS", get("BOT_DISPATCH_TICK_SECONDS", "30"), 0.1, 3600)
    lease = _seconds("BOT_CLAIM_LEASE_SECONDS", get("BOT_CLAIM_LEASE_SECONDS", "120"), 1, 86400)
    workers_text = _whole_number(
        "BOT_WORKERS", get("BOT_WORKERS", "1"), 1, 64, "a whole number of processes from 1 to 64"
    )
    database_url = get("DATABASE_URL")
    if database_url and not database_url.startswith(("postgresql://", "postgres://")):
        raise SettingsError("DATABASE_URL must start with postgresql:// or postgres:// (or be empty for SQLite)")
    gateway_text = get("DISCORD_GATEWAY", "on").lower()
    if gateway_text not in _SWITCH:
        raise SettingsError("DISCORD_GATEWAY must be on or off (off on every instance but one)")
    guild_text = get("DISCORD_GUILD_ID")
    if guild_text and not guild_text.isdigit():
        raise SettingsError("DISCORD_GUILD_ID must be a numeric server id (or empty)")
    lenders = _lenders(get("BOT_LENDERS"))
    return Settings(
        db_path=get("BOT_DB_PATH", "data/bot.db"),
        database_url=database_url,
        inbox_path=get("BOT_INBOX_PATH"),
        timezone=timezone,
        host=get("BOT_HOST", "127.0.0.1"),
        port=int(port_text),
        line_channel_secret=secret,
        line_channel_access_token=token,
        line_api_base_url=_url("LINE_API_BASE_URL", get("LINE_API_BASE_URL", "https://api.line.me")),
        line_data_api_base_url=_url(
            "LINE_DATA_API_BASE_URL", get("LINE_DATA_API_BASE_URL", "https://api-data.line.me")
        ),
        line_push_rate=push_rate,
        discord_token=get("DISCORD_TOKEN"),
        discord_api_base_url=_url("DISCORD_API_BASE_URL", get("DISCORD_API_BASE_URL", "https://discord.com/api/v10")),
        discord_guild_id=int(guild_text) if guild_text else None,
        log_level=level,
        log_format=log_format,
        state_ttl_days=int(ttl_text),
        discord_gateway=_SWITCH[gateway_text],
        dispatch_tick_seconds=tick,
        claim_lease_seconds=lease,
        lenders=lenders,
        workers=int(workers_text),
    )


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError("BOT_TIMEZONE is not a known IANA timezone (e.g. Asia/Tokyo)") from None
    return value


def _whole_number(name: str, value: str, low: int, high: int, what: str) -> str:
    if not value.isdigit() or not low <= int(value) <= high:
        raise SettingsError(f"{name} must be {what}")
    return value


def _logging(level: str, log_format: str) -> tuple[str, str]:
    if level not in logging.getLevelNamesMapping():
        raise SettingsError("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR")
    if log_format not in ("text", "json"):
        raise SettingsError("LOG_FORMAT must be text or json")
    return level, log_format


def _line_keys(secret: str, token: str) -> tuple[str, str]:
    if bool(secret) != bool(token):
        missing = "LINE_CHANNEL_ACCESS_TOKEN" if secret else "LINE_CHANNEL_SECRET"
        raise SettingsError(f"{missing} is empty: LINE needs both the channel secret and the access token")
    return secret, token


def _push_rate(value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        rate = -1.0
    if not 0 < rate <= 2000:
        raise SettingsError("LINE_PUSH_RATE must be a number of pushes per second from 1 to 2000")
    return rate


def _lenders(value: str) -> tuple[str, ...]:
    """``BOT_LENDERS``: flow files' names separated by commas (empty: every lender)."""
    from bot.core.diagnosis.flow import flow_files
    from bot.core.lenders import parse_lender_ids

    available = [p.stem for p in flow_files()]
    try:
        ids = parse_lender_ids(value)
    except ValueError:
        ids = ("?",)
    unknown = [i for i in ids if i not in available]
    if unknown:
        raise SettingsError(
            f"BOT_LENDERS must name lenders among {', '.join(available)} (comma-separated, empty for all); "
            f"'{unknown[0]}' is not one"
        )
    return ids
