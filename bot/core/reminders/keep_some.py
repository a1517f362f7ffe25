"""「リマインダー全部いらない」 then 「ゴミ出しのは残して」: every reminder but the ones named is cancelled."""

from __future__ import annotations

import re
from datetime import datetime

from bot.core.dialogue import texts
from bot.core.dialogue.messages import CancelReminder, Reply
from bot.core.dialogue.state import Outcome
from bot.core.reminders.control import ask_cancel
from bot.core.reminders.host import Ctx
from bot.core.reminders.kinds.registry import kind_of
from bot.core.reminders.refs import naming

# Some kept (「〇〇は残して」 「〇〇以外」 「〇〇は消さないで」).
_KEEP_SOME = re.compile(
    r"残し|のこし|残す|のこす|以外|いがい|消さないで|けさないで|やめないで|止めないで|とめないで|は(?:いる|要る)"
)
KEPT_LEAD = "「{kept}」は残します。"
OTHERS_CANCELLED = "「{kept}」は残して、ほかの{count}件を取り消しました。"


def all_but_named(ctx: Ctx, out: Outcome, text: str, now: datetime) -> bool:
    """At 「すべて取り消しますか？」, the reminders named to be kept stay and the others go (one left is
    asked about first); False when the words keep none by name."""
    if not _KEEP_SOME.search(text):
        return False
    kept = naming(text, out.reminders)
    others = [r for r in out.reminders if r not in kept]
    if not kept:
        return False
    names = "」「".join(kind_of(r.kind).subject(r) for r in kept)
    if not others:
        out.state.pending = None
        out.replies.append(Reply(texts.NOT_CANCELLED, ctx.host.menu_choices()))
    elif len(others) == 1:
        out.replies.append(Reply(KEPT_LEAD.format(kept=names)))
        ask_cancel(ctx, out, others[0], now)
    else:
        out.state.pending = None
        out.effects.extend(CancelReminder(r.id) for r in others)
        out.replies.append(Reply(OTHERS_CANCELLED.format(kept=names, count=len(others)), ctx.host.menu_choices()))
    return True
