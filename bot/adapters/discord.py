"""The Discord door: slash commands, buttons and DMs in, core messages through, ephemeral answers out.

Native events become :class:`~bot.core.dialogue.messages.Incoming` and go to ``ChatService.handle``; the
replies come back as ephemeral messages (the first as the interaction response, the rest as
follow-ups) with buttons carrying the core's choice values. Typed text in a DM with the bot is a
message too. Reminders go out by DM through :class:`~bot.adapters.discord_sender.DiscordSender`.
Only ids are logged (interactions, messages, users), never what anybody wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from collections.abc import Callable
from typing import Any

import discord
from aiohttp import web
from discord import app_commands

from bot.adapters.discord_commands import JaTranslator, add_commands
from bot.adapters.discord_sender import NOTE_DMS_CLOSED, NOTE_DMS_UNREACHABLE, PLATFORM, DiscordSender
from bot.adapters.discord_view import ChoiceButton, group_cards, render_message
from bot.app import App
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Action, decode
from bot.core.dialogue.messages import Incoming, Reply, UserRef
from bot.core.reminders.kinds import describe
from bot.logsafety import keep_above_debug
from bot.settings import Settings, SettingsError

log = logging.getLogger(__name__)

DEFER_AFTER = 2.0  # seconds: Discord wants the first answer within 3 s
NOTES = {
    NOTE_DMS_CLOSED: (
        "設定していたお知らせを、DMでお届けできませんでした。\n"
        "「/リマインダー 一覧」（/remind list）で、届かなかったお知らせをご確認ください。\n"
        "DMを受け取るには、サーバー名を右クリック（スマホはタップ）→「プライバシー設定」→「ダイレクトメッセージ」をオンにしてください。"
    ),
    NOTE_DMS_UNREACHABLE: (
        "設定していたお知らせを、DMでお届けできませんでした。\n"
        "「/リマインダー 一覧」（/remind list）で、届かなかったお知らせをご確認ください。\n"
        "DMを受け取るには、このアプリを自分のアカウントに追加するか、ボットのいるサーバーでDMをオンにしてください。"
    ),
}
# Discord allows at most 5 follow-ups per interaction to an app installed by a user (and the same
# cap is kept everywhere): later replies are joined into the last one.
MAX_FOLLOWUPS = 5
INVALID_DAY = "返済日は1〜31の数字で指定してください（末日は31）。"
TROUBLE = "すみません、うまく処理できませんでした。少し時間をおいて、もう一度お試しください。"
# discord.py logs request and event payloads (message text) at DEBUG: these stay at INFO or above.
PAYLOAD_LOGGERS = ("discord.http", "discord.gateway", "discord.webhook.async_", "discord.state")


def quiet_payload_logs() -> None:
    """Keep the payload-carrying loggers above DEBUG, whatever LOG_LEVEL says."""
    keep_above_debug(PAYLOAD_LOGGERS)


class DiscordSyncError(RuntimeError):
    """Discord refused to register the commands; the message is one clear line."""


def invite_url(application_id: int | None) -> str:
    """The URL that adds the bot to a server, with the scopes it needs and no permissions."""
    return (
        f"https://discord.com/oauth2/authorize?client_id={application_id}&scope=bot+applications.commands&permissions=0"
    )


def user_install_url(application_id: int | None) -> str:
    """The URL with which a user adds the app to their own account (commands anywhere, no server needed)."""
    return f"https://discord.com/oauth2/authorize?client_id={application_id}&integration_type=1&scope=applications.commands"


class BotClient(discord.Client):
    """A client with the command tree and the persistent buttons; events go to ``door``."""

    def __init__(self, door: DiscordDoor | None = None) -> None:
        quiet_payload_logs()
        super().__init__(intents=discord.Intents.default(), max_ratelimit_timeout=30.0)
        self.door = door
        self.tree = app_commands.CommandTree(
            self,
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True),
            # Installable in a server and by a user for themselves: a user install needs no shared
            # server, so nobody has to join one to talk about their debts.
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
        )
        add_commands(self.tree)

    async def setup_hook(self) -> None:
        """Runs at login: buttons are understood from their custom_id, commands get Japanese names."""
        self.add_dynamic_items(ChoiceButton)
        await self.tree.set_translator(JaTranslator())

    async def on_message(self, message: discord.Message) -> None:
        """Typed text in a DM with the bot."""
        if self.door is not None:
            await self.door.on_dm(message)


async def _login(client: BotClient, settings: Settings) -> None:
    discord.http.Route.BASE = settings.discord_api_base_url
    try:
        await client.login(settings.discord_token)
    except discord.LoginFailure:
        raise SettingsError("DISCORD_TOKEN was refused by Discord (401 Unauthorized)") from None


async def sync_commands(settings: Settings, guild_id: int | None) -> int:
    """Register the slash commands in one server (instant) or globally; return how many."""
    async with BotClient() as client:
        await _login(client, settings)
        guild = discord.Object(id=guild_id) if guild_id else None
        if guild is not None:
            client.tree.copy_global_to(guild=guild)
        try:
            synced = await client.tree.sync(guild=guild)
        except discord.HTTPException as exc:
            raise DiscordSyncError(f"Discord refused the commands ({exc.status}, code {exc.code})") from None
    return len(synced)


class DiscordDoor:
    """The runner's door for Discord."""

    platform = PLATFORM

    def __init__(self, app: App, client_factory: Callable[[DiscordDoor], BotClient] = BotClient) -> None:
        self.app = app
        self.client = client_factory(self)
        self._sender = DiscordSender(self.client, app.service)
        self._task: asyncio.Task[None] | None = None
        self.defer_after = DEFER_AFTER

    @property
    def sender(self) -> DiscordSender:
        """Sends reminders by DM."""
        return self._sender

    def routes(self) -> list[web.RouteDef]:
        """Discord talks over the gateway: no HTTP routes."""
        return []

    async def login(self) -> None:
        """Log in over REST (runs ``setup_hook``) without connecting the gateway."""
        await _login(self.client, self.app.settings)

    async def start(self) -> None:
        """Log in, print the invite URL, and connect the gateway in the background."""
        await self.login()
        url = invite_url(self.client.application_id)
        log.info("discord: logged in as %s; invite URL %s", self.client.user and self.client.user.id, url)
        print(f"Discord invite URL: {url}", flush=True)
        print(f"Discord user install URL: {user_install_url(self.client.application_id)}", flush=True)
        self._task = asyncio.create_task(self._connect(), name="discord-gateway")

    async def _connect(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        except Exception:  # noqa: BLE001 - the rest of the bot keeps running
            log.exception("discord: gateway stopped")

    async def close(self) -> None:
        """Disconnect and stop the gateway task."""
        await self.client.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def health(self) -> dict[str, Any]:
        """Connection status for /healthz."""
        if self.client.is_closed():
            return {"status": "closed"}
        return {"status": "ready" if self.client.is_ready() else "connecting"}

    # ------------------------------------------------------------------ events

    async def answer(
        self,
        interaction: discord.Interaction,
        *,
        text: str | None = None,
        choice: Action | None = None,
        invalid_day: bool = False,
        stale: bool = False,
        reserve: int = 0,
    ) -> None:
        """Run one command or click through the core and answer ephemerally (``reserve``: follow-ups
        the caller sends after this answer, e.g. the export file)."""
        user = UserRef(PLATFORM, str(interaction.user.id))
        incoming = Incoming(user, text=text, choice=choice, event_id=f"discord:{interaction.id}", stale=stale)
        log.info(
            "interaction %s (type %s) from discord user %s",
            interaction.id,
            interaction.type.value,
            user.user_id,
            extra={"interaction": str(interaction.id), "user": user.key},
        )

        def work() -> list[Reply]:
            replies = [Reply(INVALID_DAY)] if invalid_day else []
            replies += self.app.service.handle(incoming) or []
            return replies + self._take_notes(user.user_id)

        await self._respond(interaction, work, reserve)

    async def send_export_file(self, interaction: discord.Interaction) -> None:
        """Attach the user's data as a JSON file (ephemeral follow-up)."""
        user = UserRef(PLATFORM, str(interaction.user.id))
        data = await asyncio.to_thread(self.app.service.export_json, user)
        try:
            await interaction.followup.send(
                file=discord.File(io.BytesIO(data), filename="my-data.json"), ephemeral=True
            )
        except discord.HTTPException as exc:
            log.warning("interaction %s: export file failed (%s, code %s)", interaction.id, exc.status, exc.code)

    async def on_click(self, interaction: discord.Interaction, owner: int, value: str) -> None:
        """A button: only the user it was shown to may use it; anyone else learns nothing."""
        if interaction.user.id != owner:
            log.info(
                "interaction %s: discord user %s clicked a button of another user", interaction.id, interaction.user.id
            )
            await self._respond(interaction, lambda: [Reply(texts.STALE_BUTTON)])
            return
        action = decode(value)
        await self.answer(interaction, choice=action, stale=action is None)

    async def on_dm(self, message: discord.Message) -> None:
        """Typed text in a DM with the bot (no privileged intent needed there)."""
        if message.guild is not None or message.author.bot:
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        user = UserRef(PLATFORM, str(message.author.id))
        incoming = Incoming(user, text=message.content, event_id=f"discord:{message.id}")
        log.info(
            "DM %s from discord user %s",
            message.id,
            user.user_id,
            extra={"event_id": str(message.id), "user": user.key},
        )
        try:
            replies = await asyncio.to_thread(self.app.service.handle, incoming)
            for reply in group_cards(replies or []):
                await message.channel.send(**render_message(reply, message.author.id))
        except discord.HTTPException as exc:
            log.warning("DM %s: answer failed (%s, code %s)", message.id, exc.status, exc.code)

    def reminder_labels(self, discord_user_id: int) -> list[tuple[int, str]]:
        """(id, description) of the user's own active reminders, for autocomplete."""
        now = self.app.service.clock()
        rows = self.app.service.active_reminders(UserRef(PLATFORM, str(discord_user_id)))
        return [(row["id"], describe(self.app.service.reminder_view(row), now)[:100]) for row in rows]

    # ------------------------------------------------------------------ answering

    def _take_notes(self, platform_user_id: str) -> list[Reply]:
        notes = self.app.service.take_notes(UserRef(PLATFORM, platform_user_id))
        return [Reply(NOTES[n]) for n in notes if n in NOTES]

    async def _respond(
        self, interaction: discord.Interaction, work: Callable[[], list[Reply]], reserve: int = 0
    ) -> None:
        """Run ``work`` off the loop; defer if it is slow, then send its replies ephemerally."""
        task = asyncio.ensure_future(asyncio.to_thread(work))
        done, _ = await asyncio.wait({task}, timeout=self.defer_after)
        try:
            if not done:
                await interaction.response.defer(ephemeral=True, thinking=True)
            try:
                replies = await task
            except Exception:  # noqa: BLE001 - the user still gets an answer
                log.exception("interaction %s: the turn failed", interaction.id)
                replies = [Reply(TROUBLE)]
            await self._send(interaction, replies or [Reply(TROUBLE)], reserve)
        except discord.HTTPException as exc:
            log.warning("interaction %s: answer failed (%s, code %s)", interaction.id, exc.status, exc.code)

    async def _send(self, interaction: discord.Interaction, replies: list[Reply], reserve: int = 0) -> None:
        replies = group_cards(replies)
        room = MAX_FOLLOWUPS - reserve + (0 if interaction.response.is_done() else 1)
        replies = fit(replies, max(room, 1))
        for reply in replies:
            kwargs = render_message(reply, interaction.user.id)
            if not interaction.response.is_done():
                await interaction.response.send_message(ephemeral=True, **kwargs)
            else:
                await interaction.followup.send(ephemeral=True, **kwargs)


def fit(replies: list[Reply], count: int) -> list[Reply]:
    """At most ``count`` replies: the overflow is joined into the last one (as text, with the last choices)."""
    if len(replies) <= count:
        return replies
    tail = replies[count - 1 :]
    choices = next((r.choices for r in reversed(tail) if r.choices), ())
    return [*replies[: count - 1], Reply("\n\n".join(r.text for r in tail), choices)]
