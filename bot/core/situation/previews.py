"""What a notification preview (a lock screen, a DM's first line) shows of a reminder.

By default nothing private: 「お知らせが1件あります」. A user may ask for detailed previews
(「通知に内容を表示」), which show the reminder's title and first line; 「通知の内容を隠す」 turns them
off again. The choice is one fact of the user's situation (``detailed_previews``): shown in 「状況」,
corrected there, exported and deleted with the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.dialogue import texts
from bot.core.dialogue.messages import Choice, RecordFacts, Reply
from bot.core.dialogue.state import Outcome

FACT = "detailed_previews"
# How much of a reminder a detailed preview shows (a lock screen shows about this much anyway).
DETAILED_LIMIT = 60
# What users type to switch (matched whole, after normalisation, like a button's label).
PHRASES: dict[str, tuple[str, ...]] = {
    "previews_on": (
        "通知に内容を表示",
        "通知に内容を表示する",
        "通知に内容を表示して",
        "通知の内容を表示",
        "通知の内容を表示する",
        "通知の内容を表示して",
        "通知に詳しく表示",
        "プレビューを表示",
        "詳しい通知にする",
    ),
    "previews_off": (
        "通知の内容を隠す",
        "通知の内容を隠して",
        "通知に内容を表示しない",
        "通知の内容を表示しない",
        "通知に内容を出さない",
        "プレビューを隠す",
        "通知を目立たなくする",
    ),
}


def switch(out: Outcome, on: bool, menu: Sequence[Choice]) -> None:
    """Record the user's choice and say what notifications will show from now on."""
    out.effects.append(RecordFacts({FACT: on}))
    out.replies.append(Reply(texts.PREVIEWS_ON if on else texts.PREVIEWS_OFF, tuple(menu)))


def reminder_preview(title: str, lines: Sequence[str], detailed: bool) -> str:
    """A reminder's preview: the neutral line, or (opted in) its title and first line."""
    if not detailed:
        return texts.PREVIEW_REMINDER
    text = "：".join(x for x in (title, *lines[:1]) if x)
    return text if len(text) <= DETAILED_LIMIT else text[: DETAILED_LIMIT - 1] + "…"
