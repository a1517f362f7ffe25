"""The documents stay true: every setting is in .env.example and the README, the commands exist."""

from __future__ import annotations

import re
from dataclasses import fields

from bot.settings import Settings
from tests.conftest import ROOT

SETTING_NAMES = {
    "BOT_DB_PATH", "DATABASE_URL", "DISCORD_GATEWAY", "BOT_DISPATCH_TICK_SECONDS", "BOT_CLAIM_LEASE_SECONDS", "BOT_INBOX_PATH", "BOT_TIMEZONE", "BOT_HOST", "BOT_PORT", "LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN",
    "LINE_API_BASE_URL", "LINE_DATA_API_BASE_URL", "LINE_PUSH_RATE", "DISCORD_TOKEN", "DISCORD_API_BASE_URL", "DISCORD_GUILD_ID", "LOG_LEVEL", "LOG_FORMAT", "BOT_STATE_TTL_DAYS", "BOT_LENDERS", "BOT_WORKERS",
}  # fmt: skip


def test_every_setting_is_documented():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    assert listed == SETTING_NAMES
    assert len(fields(Settings)) == len(SETTING_NAMES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in SETTING_NAMES:
        assert name in readme, name


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"`make (\w+)`", readme):
        assert re.search(rf"^{target}:", makefile, re.M), target
    from bot.__main__ import _parser

    subcommands = set(_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001
    for command in re.findall(r"python -m bot ([a-z-]+)", readme):
        assert command in subcommands, command
