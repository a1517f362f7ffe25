"""The situation by lender: the person's own facts and each lender's, as one turn sees and records them.

A person may borrow from several lenders: what they tell about one (its repayment day, a card lost,
a late repayment, the cause found) is kept for that lender, one stored row per lender. The person's
own row holds what is theirs whichever lender it is about (the time of day for reminders, the
previews, the language) and what was told before any lender was named.

* A turn about a lender sees the person's facts with that lender's own; another lender's stay kept.
* What a turn records goes to the row it belongs to: the turn's lender's, or the person's own.
* Facts told before any lender was named become the first lender's named after them.
* The status shows every lender told about, each with its facts, the lender of the turn first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.dialogue import texts as core_texts
from bot.core.dialogue.messages import Effect, RecordFacts
from bot.core.dialogue.state import Outcome
from bot.core.lenders import texts
from bot.core.situation.facts import Situation, describe
from bot.core.situation.texts import REMINDERS_KEPT

# The person's own facts, whichever lender a turn is about; every other fact belongs to one lender.
PERSON_FACTS = ("reminder_time", "detailed_previews", "language")
LENDER_FACTS = tuple(f.name for f in fields(Situation) if f.name not in PERSON_FACTS)
# The status answer's first words (the core's copy).
STATUS_OPENINGS = (core_texts.STATUS_HEAD, core_texts.STATUS_EMPTY)


@dataclass(frozen=True, slots=True)
class FactsByLender:
    """The stored situation rows of one person: their own (``person``) and each lender's, by id."""

    person: Situation = field(default_factory=Situation)
    lenders: Mapping[str, Situation] = field(default_factory=dict)

    def of(self, lender: str | None) -> Situation:
        """What a turn about ``lender`` sees: the person's facts with that lender's, and what was told
        before any lender was named (it becomes that lender's, see :meth:`adopted`)."""
        if lender is None:
            return self.person
        own = self.lenders.get(lender) or Situation()
        told: dict[str, Any] = {n: _first(getattr(self.person, n), getattr(own, n)) for n in LENDER_FACTS}
        return replace(self.person, **told)

    def adopted(self, lender: str | None) -> list[Effect]:
        """The facts told before any lender was named, moved to ``lender``'s row ([] when none)."""
        told = {n: getattr(self.person, n) for n in LENDER_FACTS if getattr(self.person, n) is not None}
        if lender is None or not told:
            return []
        return [RecordFacts(dict.fromkeys(told)), RecordFacts(told, lender=lender)]

    def others(self, lender: str | None, order: Iterable[str]) -> list[tuple[str, Situation]]:
        """The other lenders told about (a fact or more kept), in ``order``, then any other stored."""
        ids = [*order, *sorted(self.lenders)]
        return [(k, self.lenders[k]) for k in dict.fromkeys(ids) if k != lender and _told(self.lenders.get(k))]


def recorded(effects: Iterable[Effect], lender: str | None) -> list[Effect]:
    """A turn's effects with each fact it records in its row: ``lender``'s, or the person's own."""
    if lender is None:
        return list(effects)
    out: list[Effect] = []
    for effect in effects:
        if not isinstance(effect, RecordFacts) or effect.lender is not None:
            out.append(effect)
            continue
        own = {k: v for k, v in effect.facts.items() if k not in PERSON_FACTS}
        person = {k: v for k, v in effect.facts.items() if k in PERSON_FACTS}
        out += [RecordFacts(own, lender=lender)] if own else []
        out += [RecordFacts(person)] if person else []
    return out


@dataclass(frozen=True, slots=True)
class StatusByLender:
    """The status answer by lender, when another lender than the turn's has facts kept."""

    names: Callable[[str | None], str]
    titles: Callable[[str | None], dict[str, str]]
    tz: ZoneInfo

    def show(self, out: Outcome, facts: FactsByLender, lender: str | None, order: Iterable[str]) -> None:
        """The status answer's lines, one block per lender (the turn's first), then the person's own."""
        at = next((i for i, r in enumerate(out.replies) if r.text.startswith(STATUS_OPENINGS)), None)
        others = facts.others(lender, order)
        if at is None or not others:
            return
        current = facts.of(lender)
        own = self._lines(lender, current)
        lines = [*own]
        for other, situation in others:
            lines += self._lines(other, situation)
        common = describe(_only(current, PERSON_FACTS), {}, self.tz)
        if common:
            lines += [texts.STATUS_COMMON, *common]
        if own:
            lines.append(texts.STATUS_BUTTONS_FOR.format(name=self.names(lender)))
        elif common:
            lines.append(core_texts.STATUS_FOOT)
        lines.append(texts.STATUS_OTHER_LENDER_FIX)
        if out.reminders:
            lines.append(REMINDERS_KEPT.format(count=len(out.reminders)))
        out.replies[at] = replace(out.replies[at], text="\n".join([core_texts.STATUS_HEAD, *lines]))

    def _lines(self, lender: str | None, situation: Situation) -> list[str]:
        told = describe(_only(situation, LENDER_FACTS), self.titles(lender), self.tz)
        return [texts.STATUS_SECTION.format(name=self.names(lender)), *told] if told else []


def _first(value: Any, otherwise: Any) -> Any:
    return value if value is not None else otherwise


def _only(situation: Situation, names: tuple[str, ...]) -> Situation:
    """The situation with only the facts ``names`` (the others: not told)."""
    return Situation(**{n: getattr(situation, n) for n in names if n != "language"})


def _told(situation: Situation | None) -> bool:
    return situation is not None and any(getattr(situation, n) is not None for n in LENDER_FACTS)
