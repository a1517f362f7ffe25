"""Parts of the day a reminder may be moved to (「やっぱ夕方くらいがいい」 「夜にして」), and a draft moved
by a correction (「30分遅らせて」 「午後で」 「夕方がいい」)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.reminders.setup_answers import Correction

# Parts of the day a time may be moved to (「やっぱ夕方くらいがいい」): the words, the hours that are
# already in that part, and the hour it means otherwise.
PARTS: dict[str, tuple[str, ...]] = {
    "morning": ("朝", "あさ"),
    "evening": ("夕方", "ゆうがた"),
    "night": ("夜", "よる"),
}
PART_HOURS: dict[str, tuple[range, int]] = {
    "morning": (range(5, 11), 8),
    "evening": (range(16, 19), 17),
    "night": (range(19, 24), 20),
}


def part_of(word: str) -> str:
    """The part of the day a word names (「夕方」 -> "evening"), "" for 午前/午後 and the like."""
    return next((p for p, words in PARTS.items() if word in words), "")


def moved_by(draft: datetime, fixed: Correction) -> datetime:
    """The draft moved by 「30分遅らせて」 or to the other half of the day (「午後で」)."""
    if fixed.shift is not None:
        return draft + fixed.shift
    if fixed.part:  # 「夕方がいい」: the part's usual hour, unless the draft is already in it
        hours, usual = PART_HOURS[fixed.part]
        return draft if draft.hour in hours else draft.replace(hour=usual, minute=0)
    if fixed.half == "pm" and draft.hour < 12:
        return draft + timedelta(hours=12)
    if fixed.half == "am" and draft.hour >= 12:
        return draft - timedelta(hours=12)
    return draft
