"""A repeat rule changed in words while it is a draft: 「金曜はなしで」 「土日はいらない」 (days taken out),
「やっぱり月水金で」 (the days said anew), 「毎日にして」 (another repetition, its time kept).

Only the words are read here; the set-up decides what the new rule does to the draft.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime, time

from bot.core.dates.jptime import WEEKDAYS, clock_in, numerals_to_digits
from bot.core.reminders.recurrence import Rule, parse_rule
from bot.core.reminders.setup_answers import only_tail
from bot.core.understanding.textnorm import clean

ALL_DAYS = frozenset(range(7))
WORKDAYS = frozenset(range(5))
_DAY = r"[月火水木金土日](?:曜日|曜)?"
_DAYS = rf"(?:平日|週末|土日|{_DAY}(?:\s*(?:と|・|、|,|/)?\s*{_DAY})*)"
# 「金曜はなしで」 「土日はいらない」 「水曜は抜いて」 「金曜以外」: these days out of the rule.
_REMOVED = re.compile(
    rf"(?P<days>{_DAYS})\s*(?:は|を|も)?\s*(?:なし|無し|いらない|要らない|いらん|要らん|いらへん|不要|抜き|ぬき|抜いて|ぬいて|除いて|除く|のぞいて"
    r"|外して|はずして|休み|やすみ|なくていい|なくて大丈夫|以外|やめて|とばして|飛ばして)"
)
_LEADS = re.compile(
    r"^(?:やっぱり?|やっぱ|やはり|いや|じゃあ|じゃ|それなら|なら|あ|えっと|曜日|ようび|(?:は|を|も))+[、,\s]*"
)
# 「月水金で」 「毎週火木にして」 「火曜と木曜だけ」: the days said anew (a time may come with them).
_NAMED = re.compile(rf"(?:毎週)?\s*の?\s*(?P<days>{_DAYS})\s*(?:だけ|のみ)?")


# 「水曜も追加で」 「土曜も入れて」 「金曜もお願い」: these days added to the rule.
_ADDED = re.compile(
    rf"(?P<days>{_DAYS})\s*(?:も|を)\s*(?:追加|ついか|足して|たして|加えて|くわえて|入れて|いれて|増やして|ふやして|プラス|お願い|おねがい"
    r"|頼む|たのむ|(?=で|に|して|ほしい|欲しい|$))"
)


@dataclass(frozen=True, slots=True)
class RuleEdit:
    """What the words do to the rule: a new rule, or None when no day would be left."""

    rule: Rule | None


def days_of(rule: Rule) -> frozenset[int] | None:
    """The weekdays a rule fires on (0 = Monday); None for a rule not by weekday (monthly, biweekly)."""
    if rule.freq == "daily":
        return ALL_DAYS
    if rule.freq == "weekdays":
        return WORKDAYS
    if rule.freq == "weekly" and rule.weekday is not None:
        return frozenset((rule.weekday, *rule.also))
    return None


def on_days(rule: Rule, days: frozenset[int]) -> Rule:
    """The same rule (time, end) on these weekdays: every day, the weekdays, or weekly."""
    if days == ALL_DAYS:
        return dataclasses.replace(rule, freq="daily", weekday=None, also=())
    if days == WORKDAYS:
        return dataclasses.replace(rule, freq="weekdays", weekday=None, also=())
    first, *more = sorted(days)
    return dataclasses.replace(rule, freq="weekly", weekday=first, also=tuple(more), day=None, nth=None)


def _named(words: str) -> frozenset[int]:
    if "平日" in words:
        return WORKDAYS
    if "週末" in words or words.startswith("土日"):
        return frozenset({5, 6})
    return frozenset(WEEKDAYS.index(c) for c in re.sub(r"曜日?", "", words) if c in WEEKDAYS)


def _body(text: str) -> str:
    body = numerals_to_digits(clean(text)).strip(" 。.!！")
    while (stripped := _LEADS.sub("", body)) != body:
        body = stripped
    return body


def _removal(rule: Rule, days: frozenset[int], body: str) -> RuleEdit | None:
    """「金曜はなしで」: the days said taken out (None: the text takes none out)."""
    removed = _REMOVED.fullmatch(body) or _REMOVED.match(body)
    if removed is None or not only_tail(body[removed.end() :]):
        return None
    left = days - _named(removed["days"])
    return RuleEdit(on_days(rule, frozenset(left)) if left else None)


def _addition(rule: Rule, days: frozenset[int], body: str) -> RuleEdit | None:
    """「水曜も追加で」: the days said added (None: the text adds none)."""
    added = _ADDED.match(body)
    if added is None or not only_tail(re.sub(r"^(?:して|に|で)?", "", body[added.end() :])):
        return None
    return RuleEdit(on_days(rule, days | _named(added["days"])))


def _days_anew(rule: Rule, body: str) -> RuleEdit | None:
    """「やっぱり月水金で」 「火木の8時にして」: the days said anew, with a time if one is said."""
    clock, spans = clock_in(body)
    bare = "".join(ch for i, ch in enumerate(body) if not any(s <= i < e for s, e in spans))
    named = _NAMED.match(bare)
    if named is None or not only_tail(bare[named.end() :]):
        return None
    said = _named(named["days"])
    if not said or (len(said) == 1 and "曜" not in named["days"] and "毎週" not in bare):
        return None  # 「月で」 alone could be a month: a single day is said with 曜
    new = on_days(rule, said)
    return RuleEdit(dataclasses.replace(new, clock=clock) if clock is not None else new)


# 「月曜じゃなくて火曜だった」 「木曜を金曜に」 「水曜から木曜に変えて」: one day swapped for another.
_SWAPPED = re.compile(
    rf"(?P<old>{_DAYS})\s*(?:の(?:ほう|方|やつ))?\s*(?:じゃなくて|じゃなく|ではなくて|ではなく|でなくて|やなくて|を|から|は)\s*の?"
    rf"(?P<new>{_DAYS})\s*(?:に|で|だった|でした|です|やった)?"
)


def _swap(rule: Rule, days: frozenset[int], body: str) -> RuleEdit | None:
    """「月曜じゃなくて火曜だった」: the days named first taken out, those named after put in (the other
    days of the rule kept); None when the words are not that."""
    swapped = _SWAPPED.match(body)
    if swapped is None or not only_tail(re.sub(r"^(?:変えて|かえて|して|にして|で|に)", "", body[swapped.end() :])):
        return None
    old, new = _named(swapped["old"]), _named(swapped["new"])
    if not old or not new or not old & days:
        return None
    return RuleEdit(on_days(rule, (days - old) | new))


def days_edit(rule: Rule, text: str) -> RuleEdit | None:
    """「金曜はなしで」 「月曜じゃなくて火曜」 or 「やっぱり月水金で」 said of a rule by weekday; None when the
    text is none of them."""
    days = days_of(rule)
    if days is None:
        return None
    body = _body(text)
    return (
        _swap(rule, days, body) or _removal(rule, days, body) or _addition(rule, days, body) or _days_anew(rule, body)
    )


def repetition_said(text: str, keep: time, now: datetime, what: str = "") -> Rule | None:
    """「毎日にして」 「平日だけにして」 「毎週月曜で」: a repetition said alone, at ``keep`` unless a time is said;
    the draft named by its own task (「ゴミ出しは毎週月曜にしといて」) is said alone too."""
    read = parse_rule(text, now)
    if read is None or read.rule is None:
        return None
    rest = read.rest if not what or not read.rest or read.rest not in what else ""
    if not only_tail(re.sub(r"^(?:だけ|のみ)", "", _body(rest))):
        return None
    clock, _ = clock_in(numerals_to_digits(clean(text)))
    return dataclasses.replace(read.rule, clock=clock or keep)
