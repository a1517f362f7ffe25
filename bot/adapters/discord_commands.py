"""The slash commands: each one only names the core message it stands for and hands it to the door.

Descriptions are Japanese; names get Japanese localizations (shown to users whose Discord is in
Japanese) through :class:`JaTranslator`. Commands work in servers, in DMs with the bot, and anywhere
for a user who installed the app for themselves.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Optional, cast

import discord
from discord import app_commands
from discord.app_commands import locale_str

from bot.core.dialogue.actions import Command, ReminderOp, RepayDay

if TYPE_CHECKING:  # bot.adapters.discord imports this module
    from bot.adapters.discord import BotClient

MONTH_END = 31  # the core reads day 31 as "the month's last day"


def _ja(text: str, name: str | None = None) -> locale_str:
    """A string whose Japanese localization is ``name`` (for names) or the text itself."""
    return locale_str(text, ja=name or text)


class JaTranslator(app_commands.Translator):
    """Gives Discord the ``ja`` localizations stored on each :func:`_ja` string."""

    async def translate(
        self, string: locale_str, locale: discord.Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        """The Japanese text for ``locale`` ja, nothing for other locales."""
        return string.extras.get("ja") if locale is discord.Locale.japanese else None


def _door(interaction: discord.Interaction) -> Any:
    # The commands live on a BotClient's tree only, so the interaction's client is one.
    return cast("BotClient", interaction.client).door


@app_commands.command(
    name=_ja("login-help", "ログインヘルプ"), description=_ja("ログインできない原因を、一緒に探します")
)
async def login_help(interaction: discord.Interaction) -> None:
    """Start the diagnosis."""
    await _door(interaction).answer(interaction, choice=Command("diagnose"))


@app_commands.command(
    name=_ja("situation", "わたしの状況"), description=_ja("これまでに教えていただいた内容を表示します")
)
async def situation(interaction: discord.Interaction) -> None:
    """Show what the user told the bot."""
    await _door(interaction).answer(interaction, choice=Command("status"))


@app_commands.command(name=_ja("forget", "記録を消す"), description=_ja("このボットに記録された内容を消します"))
async def forget(interaction: discord.Interaction) -> None:
    """Ask the core to forget the user."""
    await _door(interaction).answer(interaction, choice=Command("forget"))


@app_commands.command(name=_ja("export", "記録を見る"), description=_ja("このボットに記録された内容を表示します"))
async def export(interaction: discord.Interaction) -> None:
    """Show everything stored about the user, and attach it as a JSON file."""
    door = _door(interaction)
    await door.answer(interaction, choice=Command("export"), reserve=1)  # the file is one more follow-up
    await door.send_export_file(interaction)


@app_commands.command(name=_ja("help", "ヘルプ"), description=_ja("使い方と、このボットについて"))
async def help_(interaction: discord.Interaction) -> None:
    """Show the help."""
    await _door(interaction).answer(interaction, choice=Command("help"))


remind = app_commands.Group(name=_ja("remind", "リマインダー"), description=_ja("返済日や来店のリマインダー"))


@remind.command(name=_ja("repay", "返済"), description=_ja("返済日のリマインダーを設定します"))
@app_commands.rename(day=_ja("day", "日"))
@app_commands.describe(day=_ja("返済日（1〜31、末日は31）"))
async def remind_repay(
    interaction: discord.Interaction,
    day: Optional[app_commands.Range[int, 1, MONTH_END]] = None,  # noqa: UP045 - resolved by discord.py
) -> None:
    """Set a repayment reminder, with the day when given (checked here again: Discord may not)."""
    door = _door(interaction)
    if day is None:
        await door.answer(interaction, choice=Command("remind_repay"))
    elif not 1 <= day <= MONTH_END:
        await door.answer(interaction, choice=Command("remind_repay"), invalid_day=True)
    else:
        # The core's "picked repay day N" value: works whatever the user was doing before.
        await door.answer(interaction, choice=RepayDay(day))


@remind.command(name=_ja("visit", "来店"), description=_ja("自動契約機へ行く日のリマインダーを設定します"))
async def remind_visit(interaction: discord.Interaction) -> None:
    """Set a visit reminder."""
    await _door(interaction).answer(interaction, choice=Command("remind_visit"))


class FreeReminderForm(discord.ui.Modal):
    """いつ / 何を: a free reminder in one form; the answers go to the core as one typed message."""

    when: discord.ui.TextInput[FreeReminderForm] = discord.ui.TextInput(
        label="日時", placeholder="例：明日の10時、12/5 18:00、毎週金曜の20時", max_length=40
    )
    what: discord.ui.TextInput[FreeReminderForm] = discord.ui.TextInput(
        label="お知らせする内容", placeholder="例：カード会社に電話", max_length=100
    )

    def __init__(self) -> None:
        super().__init__(title="お知らせを追加", custom_id="free-reminder", timeout=600)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Read the two answers as the sentence a user would type (「明日の10時にカード会社に電話」)."""
        # 「明日の10時に」 typed with its own に must not become 「…にに…」.
        text = f"{self.when.value.strip().removesuffix('に')}に{self.what.value.strip()}"
        await _door(interaction).answer(interaction, text=text)


@remind.command(name=_ja("free", "自由"), description=_ja("日時と内容を入力してリマインダーを設定します"))
async def remind_free(interaction: discord.Interaction) -> None:
    """Open the いつ / 何を form."""
    await interaction.response.send_modal(FreeReminderForm())


@remind.command(name=_ja("list", "一覧"), description=_ja("設定中のリマインダーを表示します"))
async def remind_list(interaction: discord.Interaction) -> None:
    """List the user's reminders."""
    await _door(interaction).answer(interaction, choice=Command("reminders"))


@remind.command(name=_ja("cancel", "取り消し"), description=_ja("リマインダーを取り消します"))
@app_commands.rename(reminder=_ja("reminder", "リマインダー"))
@app_commands.describe(reminder=_ja("取り消すリマインダー"))
async def remind_cancel(interaction: discord.Interaction, reminder: int) -> None:
    """Cancel one reminder (the core refuses ids that are not the user's)."""
    if not 0 <= reminder < 10**9:
        reminder = 0  # no such reminder: the core answers that it was not found
    await _door(interaction).answer(interaction, choice=ReminderOp("cancel", reminder))


@remind_cancel.autocomplete("reminder")
async def _reminder_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
    """The user's own reminders, filtered by what they typed."""
    # Off the loop: the database may be busy, and the gateway and other doors must not wait for it.
    labels = await asyncio.to_thread(_door(interaction).reminder_labels, interaction.user.id)
    return [
        app_commands.Choice(name=label, value=rid)
        for rid, label in labels
        if current.strip() in label or current.strip() == str(rid)
    ][:25]


COMMANDS: tuple[app_commands.Command | app_commands.Group, ...] = (
    login_help,
    situation,
    remind,
    forget,
    export,
    help_,
)


def add_commands(tree: app_commands.CommandTree) -> None:
    """Register every command on ``tree`` (globally; syncing decides where they appear)."""
    for command in COMMANDS:
        tree.add_command(command)
