"""Repayment days told for several lenders in one message, each kept under its own lender.

「Aは25日、Bは10日が返済日」 「A27日でBは月末」: each lender's name is followed by its day. The day
belongs to the name before it; a message with a day before the first name (「25日がAで…」), two days
after one name, a lender named twice, a request or a question is left to the other stages. Without a
word of repaying, only names, days and particles may be said (「A27日でBは月末」).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Incoming, RecordFacts, Reply
from bot.core.dialogue.state import ConversationState, Outcome
from bot.core.lenders import texts
from bot.core.lenders.detect import Detector
from bot.core.lenders.facts import FactsByLender
from bot.core.situation.facts import Situation
from bot.core.situation.statements import only_states

MONTH_END = 31
# 「12月5日」 is a date, 「毎月5日」 a repayment day.
_DAY = re.compile(r"(?<![\d/])(?<!(?<!毎)月)(\d{1,2})日(?![後前間ごまも])|月末|末日|げつまつ|まつじつ")
_REPAYING = re.compile(r"返済|へんさい|支払|しはらい|払い|はらい|引き落と|ひきおと|引落|約定")
# What may be left around names and days when no word of repaying is said.
_FILLER = re.compile(
    r"毎月|まいつき|です|でした|だった|だよ|だね|だ|よ|ね|って|の方|のほう|たぶん|多分|確か|たしか|えっと|[はがもでのとにや、。,.\s!！〜ーっ…]"
)


def days_in(detector: Detector, state: ConversationState, named: list[str], incoming: Incoming) -> dict[str, int]:
    """Each lender's repayment day, when a message tells those of several (and waits for no answer),
    also when it asks for their reminders (「A10日とB20日の返済リマインド、前日夜9時で」)."""
    if len(named) < 2 or state.pending is not None:
        return {}
    return days_told(detector, incoming.text or "", reminders=True)


def keep_days(
    state: ConversationState,
    incoming: Incoming,
    days: dict[str, int],
    facts: FactsByLender,
    run: Callable,
    name_of: Callable[[str], str],
) -> Outcome:
    """Each day kept under its lender, and the record shown with them (the first lender's turn;
    ``run`` answers a turn for a lender on the facts given); their reminders asked for: the first
    lender's draft, with the lead and time said, the others named to go on with."""
    first = next(iter(days))
    told = {k: replace(facts.lenders.get(k) or Situation(), due_day=d) for k, d in days.items()}
    now_known = FactsByLender(facts.person, {**facts.lenders, **told})
    text = incoming.text or ""
    asked = _ASKS_REMINDER.search(text)
    said = replace(incoming, text=_first_draft(days[first], text)) if asked else None
    turn = said or replace(incoming, text=None, choice=Command("status"))
    out: Outcome = run(first, replace(state, lender=first), turn, facts=now_known)
    out.effects += [RecordFacts({"due_day": d}, lender=k) for k, d in days.items()]
    others = "・".join(name_of(k) for k in days if k != first)
    lead = texts.DAYS_KEPT_REMIND.format(first=name_of(first), others=others) if asked else texts.DAYS_KEPT
    out.replies.insert(0, Reply(lead))
    return out


# A request for their reminders beside several lenders' days.
_ASKS_REMINDER = re.compile(
    r"りまいんど|リマインド|りまいんだ|リマインダー|お知らせ|おしらせ|通知|教えて|おしえて|知らせて"
)
# 「両方」 「それぞれ」: said of every lender, the first lender's draft takes it as its own.
_EACH = re.compile(r"両方|りょうほう|どっちも|どちらも|それぞれ|2つとも|二つとも|全部|ぜんぶ")


def _first_draft(day: int, text: str) -> str:
    """The first lender's reminder in words: its day, then what was said after the days (the lead
    and the time: 「…の返済リマインド、両方前日夜9時で」 -> 「返済日は毎月10日。前日夜9時で」)."""
    last = list(_DAY.finditer(text))
    after = text[last[-1].end() :] if last else ""
    after = _EACH.sub("", re.sub(r"^[^、,。]*?(?:[、,。]|$)", "", after, count=1) or after)
    label = "末日" if day == MONTH_END else f"{day}日"
    return f"返済日は毎月{label}の返済リマインド。{after.strip(' 、,。')}"


def days_told(detector: Detector, text: str, reminders: bool = False) -> dict[str, int]:
    """Each lender's repayment day told in ``text`` (31: the month's end); {} unless two lenders or more
    are each told one day. A lender first named without a day (「AとB両方使ってます。返済日はA3日、
    B23日」) is read by its later mention with the day."""
    body, places = detector.places(text)
    if len({lender for _, _, lender in places}) < 2:
        return {}
    if not only_states(text, body) and not (reminders and _ASKS_REMINDER.search(text)):
        return {}
    if _DAY.search(body, 0, places[0][0]):
        return {}  # 「25日がAで、10日がB」: which day is whose is not read here
    each = _each_day(body, places)
    if each is None:
        return {}
    told, unnamed, rest = each
    if len(told) < 2 or not unnamed <= set(told):
        return {}  # a lender left without its day: not read here
    if not _REPAYING.search(body) and _FILLER.sub("", rest) and not (reminders and _ASKS_REMINDER.search(text)):
        return {}  # other words, and none of repaying (nor a reminder asked): not read as repayment days
    return told


def _each_day(body: str, places: list) -> tuple[dict[str, int], set[str], str] | None:
    """Each lender's one day after its name; the lenders named without a day; the words left around
    them. None when a name has two days, or a lender two."""
    told: dict[str, int] = {}
    unnamed: set[str] = set()
    rest = body[: places[0][0]]
    for at, (_, end, lender) in enumerate(places):
        stop = places[at + 1][0] if at + 1 < len(places) else len(body)
        days = list(_DAY.finditer(body, end, stop))
        day = _day(days[0]) if len(days) == 1 else None
        if len(days) > 1 or (days and day is None) or (day is not None and lender in told):
            return None
        if day is None:
            unnamed.add(lender)
            rest += body[end:stop]
            continue
        told[lender] = day
        rest += body[end:stop].replace(days[0].group(0), "", 1)
    return told, unnamed, rest


def _day(match: re.Match[str]) -> int | None:
    if match.group(1) is None:
        return MONTH_END
    day = int(match.group(1))
    return day if 1 <= day <= MONTH_END else None
