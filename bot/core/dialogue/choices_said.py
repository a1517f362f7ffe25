"""What a short typed answer means among the choices on the screen, said in other words: 「今回だけ」
for 「今回の分だけ止める」, 「夜」 for 「今夜の20:00」, 「いいえ」 for a menu's 「やめる」."""

from __future__ import annotations

from bot.core.dialogue import texts
from bot.core.dialogue.state import Outcome
from bot.core.dialogue.words import _DECLINE, _LABEL_FILLER, _REMINDER_CHOICE, _SYNONYM_OF, _SYNONYMS
from bot.core.understanding.textnorm import normalize


def loose_choice(out: Outcome, key: str) -> str | None:
    """The one reminder choice a short answer can mean, said in other words; None when not one.

    Only among a reminder question's own choices (a time, a stop, a change): there the person is
    answering, and a word of the label (or the label in fewer words) says which.
    """
    if not key or len(key) > 10:
        return None
    offered = [(label, value) for label, value in out.state.offered if _REMINDER_CHOICE.match(value)]
    if not offered:
        return None

    def core(text: str) -> str:
        return _LABEL_FILLER.sub("", _SYNONYMS.sub(lambda m: _SYNONYM_OF[m.group(0)], normalize(text)))

    said = core(key)
    if not said:
        return None
    hits = [value for label, value in offered if said in core(label)]
    return hits[0] if len(set(hits)) == 1 else None


def declined(out: Outcome, key: str) -> str | None:
    """「いいえ」 to a menu without a yes or a no (「どれを消しますか？」): its 「やめる」 choice."""
    if not _DECLINE.fullmatch(key) or out.state.pending is not None:
        return None
    labels = [normalize(label) for label, _value in out.state.offered]
    if any(label.startswith(("はい", "いいえ")) for label in labels):
        return None
    quits = [value for label, value in out.state.offered if normalize(label) == normalize(texts.LABEL_QUIT)]
    return quits[0] if len(quits) == 1 else None
