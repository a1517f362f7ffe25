"""Commands every conversation has: the menu, help, thanks, goodbye, and answers to buttons that no
longer apply."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command, encode
from bot.core.dialogue.commands import command
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.state import Outcome
from bot.core.situation import previews
from bot.core.situation.facts import Situation

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


class Basics:
    """The menu, help, thanks, goodbye, quitting a task, and what a door sends without text."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    @command("menu", label="メニューを見る", words=(texts.LABEL_MENU,), followup=True)
    def menu(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self.conv._menu(out)

    @command("help", label="使い方を見る", words=(texts.LABEL_HELP,), followup=True)
    def help(self, out: Outcome, situation: Situation, now: datetime) -> None:
        if self.conv.fallback._in_question(out):
            # In the middle of a task: the help, then the question the person is in (kept).
            out.replies.append(Reply(self.conv._fill(texts.HELP)))
            lead = texts.KEEP_GOING if out.state.pending is not None else texts.BACK_TO_QUESTION
            self.conv.fallback._repeat_question(out, now, lead)
            return
        out.replies.append(Reply(self.conv._fill(texts.HELP), self.conv.menu_choices()))

    @command("about_bot", label="このボットについて")
    def about_bot(self, out: Outcome, situation: Situation, now: datetime) -> None:
        out.replies.append(Reply(self.conv._fill(texts.ABOUT_BOT), self.conv.menu_choices()))

    @command("thanks", label="ありがとう")
    def thanks(self, out: Outcome, situation: Situation, now: datetime) -> None:
        out.replies.append(Reply(texts.THANKS, self.conv.menu_choices()))

    @command("bye", label="今日はここまでにする")
    def bye(self, out: Outcome, situation: Situation, now: datetime) -> None:
        out.replies.append(Reply(texts.BYE, self.conv.menu_choices()))

    @command("quit", label="やめる")
    def quit(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self.conv._quit(out, situation, now)

    @command("nontext")
    def nontext(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """A sticker, a photo or a sound: the question again, with a word on what the bot reads."""
        self.conv.fallback._reprompt(out, texts.NON_TEXT)

    @command("continue")
    def continue_(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """Back to the question the person is in (the menu when there is none)."""
        self.conv.fallback._repeat_question(out, now, texts.BACK_TO_QUESTION)

    @command("go_on")
    def go_on(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """The question the person is in, without a word before it (the caller said what it heard)."""
        self.conv.fallback._repeat_question(out, now, "")

    @command("resume")
    def resume(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self.conv.fallback._repeat_question(out, now, texts.RESUME)

    @command("picked")
    def picked(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self.conv.stale(out)


class ResultCommands:
    """「くわしく」 after a result, and the setting of what notifications show."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    @command("details", label="くわしく", words=("詳しく",))
    def details(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """The rest of the result the user is at (else the menu)."""
        replies = self.conv.render._details(out)
        if replies:
            out.replies.extend(replies)
        elif any(value == encode(Command("export_all")) for _label, value in out.state.offered):
            self.conv.records.export_all(out, situation, now)  # at the record's summary: all of it
        elif out.state.node in self.conv.flow.nodes:
            # At a question: the details belong to an answer, which comes once the cause is found.
            self.conv.fallback._repeat_question(out, now, texts.DETAILS_LATER)
        else:
            self.conv.fallback._repeat_question(out, now, texts.BACK_TO_QUESTION)

    @command("previews_on", words=previews.PHRASES["previews_on"])
    def previews_on(self, out: Outcome, situation: Situation, now: datetime) -> None:
        previews.switch(out, True, self.conv.menu_choices())

    @command("previews_off", words=previews.PHRASES["previews_off"])
    def previews_off(self, out: Outcome, situation: Situation, now: datetime) -> None:
        previews.switch(out, False, self.conv.menu_choices())


class ReminderCommands:
    """The reminder commands, run by the reminder dialog (its own states read the answers)."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def _act(self, name: str, out: Outcome, situation: Situation, now: datetime) -> None:
        if not self.conv.dialog.action(out, name, situation, now):
            self.conv.stale(out)

    @command(
        "reminders",
        label="お知らせの一覧を見る",
        words=(texts.LABEL_REMINDERS, "一覧", "いちらん", "リスト", "リマインダー一覧", "お知らせ一覧"),
    )
    def reminders(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self._act("reminders", out, situation, now)

    @command("cancel_reminder", label="お知らせを止める")
    def cancel_reminder(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self._act("cancel_reminder", out, situation, now)

    @command("cancel_all")
    def cancel_all(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self.conv.dialog.confirm_cancel_all(out, now)

    @command("cancel_all_yes")
    def cancel_all_yes(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self.conv.dialog.cancel_all(out, now)
