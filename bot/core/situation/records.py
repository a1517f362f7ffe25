"""What is stored about the person: the status, the export, deletions and forgetting."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.dialogue import texts
from bot.core.dialogue.actions import (
    Command,
    FactEdit,
    ReminderOp,
    decode,
)
from bot.core.dialogue.commands import command
from bot.core.dialogue.messages import (
    Choice,
    ForgetUser,
    Reply,
)
from bot.core.dialogue.state import Outcome
from bot.core.dialogue.words import _FORGET_YES, _KEEP, _LOGIN_TOPIC, _STOP_WORDS, ACT, _records_named
from bot.core.export.view import ExportContext, StoredRows, export_replies
from bot.core.reminders.refs import named_reminder
from bot.core.reminders.setup_answers import yes_no
from bot.core.reminders.setup_state import ConfirmForget
from bot.core.safety.net import (
    deletion_scope,
    position,
    says_everything,
)
from bot.core.situation.facts import Situation, describe
from bot.core.situation.texts import REMINDERS_KEPT
from bot.core.understanding import Reading

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


# A verb that asks to delete (「やめて」 alone does not: it may be a reminder to stop).
_DELETE_VERB = re.compile(r"(?<!解)消|け[しす]|削除|さくじょ|忘れ|わすれ|取り消|とりけ|きゃんせる|delete|erase|cancel")


# Said of a fact, with no word of deleting: paid, settled, to be updated.
_TOLD_NOT_DELETED = re.compile(
    r"払っ|はらっ|返し|かえし|済ん|すん|解消|かいしょう|更新|こうしん|直して|なおして|変わ|かわ"
)


# The whole record asked for in so many words (the summary's 「すべて見る」 said at once).
_ALL_OF_IT = re.compile(r"全部|ぜんぶ|すべて|全て|まるごと|丸ごと|詳しく|くわしく|そのまま")


class Records:
    """What is stored about the person: the status, the export, deletions and forgetting."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def _deletion(
        self, out: Outcome, text: str, key: str, reading_top: str, situation: Situation, now: datetime
    ) -> bool:
        """What a deletion request is about, answered in its own scope; False when it is none."""
        # 「それキャンセルで」 right after a list or a save: one of the reminders.
        listed = any(isinstance(decode(v), ReminderOp) for _l, v in out.state.offered) or out.saved_last_turn
        named = named_reminder(text, out.reminders)
        scope = deletion_scope(text, reminder_named=bool(named and named.matches), listed=listed)
        if scope is None or (scope == "ask" and not _DELETE_VERB.search(key)):
            return self._not_a_deletion(out, key, scope, reading_top, situation, now)
        if scope == "reminder":
            self._one_reminder(out, text, situation, now)
        elif scope == "reminders":
            self.conv.dialog.confirm_cancel_all(out, now)
        elif scope == "fact":
            self.conv.dispatch(out, FactEdit("del", _records_named(key) or ""), situation, now)
        elif scope == "all" or (scope == "ask" and not out.reminders and says_everything(text)):
            # 「全部消して」 with no reminder set: everything kept is all it can mean (asked once more).
            self._forget(out, situation, now)
        else:
            self._delete_which(out)
        return True

    def _not_a_deletion(
        self, out: Outcome, key: str, scope: str | None, reading_top: str, situation: Situation, now: datetime
    ) -> bool:
        """Not a deletion; or only 「やめて」 「いらない」: read as before, but never as deleting everything."""
        if out.reminders and scope == "ask" and _STOP_WORDS.search(key) and not _LOGIN_TOPIC.search(key):
            self.conv.dialog.action(out, "cancel_reminder", situation, now)  # 「しばらく止めて」: which one?
            return True
        if reading_top != "forget" or scope is None:
            # 「全部払った！更新して」 「借入先は〇〇です、って登録して」: no word of deleting, read later
            return False
        self._delete_which(out)
        return True

    def _one_reminder(self, out: Outcome, text: str, situation: Situation, now: datetime) -> None:
        """One reminder: by its position in the list, by its name, or asked which."""
        number = position(text)
        if number is not None:
            self.conv.dialog.cancel_at(out, number, now)
        elif not self.conv.dialog.by_name(out, text, now):
            self.conv.dialog.action(out, "cancel_reminder", situation, now)

    @command("delete_which")
    def delete_which(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self._delete_which(out)

    def _delete_which(self, out: Outcome) -> None:
        """A deletion that names nothing: which one? (Never everything on a guess.)"""
        every = (Choice(texts.LABEL_CANCEL_ALL, Command("cancel_all")),) if len(out.reminders) > 1 else ()
        choices = (
            Choice(texts.LABEL_CANCEL_SOME, Command("cancel_reminder")),
            *every,
            Choice(texts.LABEL_DELETE_FACT, Command("status")),
            Choice(texts.LABEL_FORGET_ALL, Command("forget")),
            Choice(texts.LABEL_QUIT, Command("menu")),
        )
        out.replies.append(Reply(texts.DELETE_SCOPE, choices))

    @command("forget", label="すべての記録を削除する", words=(texts.LABEL_FORGET,))
    def _forget(self, out: Outcome, situation: Situation, now: datetime) -> None:
        out.state.pending = ConfirmForget()
        choices = (Choice("削除する", Command("forget_yes")), Choice("やめる", Command("forget_no")))
        out.replies.append(Reply(texts.FORGET_CONFIRM, choices))

    @command("forget_yes")
    def _forget_yes(self, out: Outcome, situation: Situation, now: datetime) -> None:
        if not isinstance(out.state.pending, ConfirmForget):
            self.conv.stale(out)
            return
        # Nothing of this user is kept: the service deletes every row and does not save the state.
        out.effects.append(ForgetUser())
        out.replies.append(Reply(texts.FORGOTTEN))

    def _forget_answer(self, out: Outcome, key: str, reading: Reading, situation: Situation, now: datetime) -> bool:
        """A typed answer to 「すべての記録を削除してよろしいですか？」: only a clear yes deletes."""
        top = reading.top
        if _KEEP.search(key):
            # 「消さないで」 「削除しないでください」: a no, whatever word it contains.
            self._forget_no(out, situation, now)
            return True
        answer = yes_no(key, reading, ACT)
        # 「いや、やっぱり消して」: the request itself, even after a first "no".
        asked = any(w in key for w in _FORGET_YES if len(w) >= 3)
        if answer == "yes" or key in _FORGET_YES or asked or (top.intent == "forget" and top.score >= ACT):
            self._forget_yes(out, situation, now)
        elif answer == "no":
            self._forget_no(out, situation, now)
        elif answer == "unsure":
            self._forget(out, situation, now)  # 「大丈夫です」: asked again, with the two buttons
        else:
            return False
        return True

    @command("forget_no")
    def _forget_no(self, out: Outcome, situation: Situation, now: datetime) -> None:
        out.state.pending = None
        out.replies.append(Reply(texts.FORGET_KEPT, self.conv.menu_choices()))

    @command("status", label="わたしの状況を見る", words=(texts.LABEL_STATUS,), followup=True)
    def _status(self, out: Outcome, situation: Situation, now: datetime) -> None:
        lines = describe(situation, self.conv.flow.cause_titles(), self.conv.tz)
        kept = [REMINDERS_KEPT.format(count=len(out.reminders))] if out.reminders else []
        if not lines:
            out.replies.append(Reply("\n\n".join([texts.STATUS_EMPTY, *kept]), self.conv.menu_choices()))
            return
        # Each recorded fact can be corrected or deleted from here.
        body = "\n".join([texts.STATUS_HEAD, *lines, texts.STATUS_FOOT, *kept])
        out.replies.append(Reply(body, self.conv.facts.status_choices(situation)))

    @command(
        "export", label="記録の内容を見る", words=(texts.LABEL_EXPORT, "書き出し", "エクスポート", "データを書き出す")
    )
    def _export(self, out: Outcome, situation: Situation, now: datetime, full: bool = False) -> None:
        """The record: a short summary with 「すべて見る」; ``full``: every stored row, in bubbles."""
        rows = out.load_record() if out.load_record is not None else self._given_rows(situation, out)
        full = full or bool(_ALL_OF_IT.search(out.said or ""))  # 「保存されてる情報を全部見たい」: all of it now
        if rows.get("conversations"):
            # The position as it is saved at the end of this turn: a set-up this very message dropped
            # (and said so) must not show as still in progress.
            current = json.dumps(out.state.to_dict(), ensure_ascii=False)
            rows = {**rows, "conversations": [{**r, "state": current} for r in rows["conversations"]]}
        nodes = {n.id: (n.title or n.text.split("\n")[0])[:40] for n in self.conv.flow.nodes.values()}
        context = ExportContext(self.conv.tz, self.conv.flow.cause_titles(), nodes, self.conv.lender_names)
        out.replies.extend(export_replies(rows, context, full, self.conv.menu_choices()))

    @command("export_all", words=(texts.LABEL_EXPORT_ALL,))
    def export_all(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self._export(out, situation, now, full=True)

    def _given_rows(self, situation: Situation, out: Outcome) -> StoredRows:
        """Without a stored record (a core-only caller): the situation, its history and reminders given."""
        facts = {f.name: getattr(situation, f.name) for f in fields(Situation)}
        history = [{**entry, "value": json.dumps(entry["value"])} for entry in out.situation_history()]
        reminders = [
            {"id": r.id, "kind": r.kind, "status": r.status, "what": r.what or None, "due_day": r.due_day}
            for r in out.reminders
        ]
        return {"situations": [facts], "situation_history": history, "reminders": reminders}

    @command("welcome_back")
    def _welcome_back(self, out: Outcome, situation: Situation, now: datetime) -> None:
        out.replies.append(Reply(texts.WELCOME_BACK))
        self.conv._menu(out)
