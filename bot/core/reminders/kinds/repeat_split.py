"""Some of a repeating reminder's days at another time (「あと土日は8時がいい」 after 「毎朝7時半」): the
reminder keeps its other days and time, and the days named become a reminder of their own."""

from __future__ import annotations

import dataclasses
import re
from datetime import time

from bot.core.reminders.recurrence import Rule
from bot.core.reminders.weekday_words import weekdays_said

ALL_DAYS = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
_WEEKEND = re.compile(r"土日|どにち|週末|しゅうまつ")
_WORKDAYS = re.compile(r"平日|へいじつ")
# The days named as a topic (「土日は」 「月曜と水曜だけ」): those days, not all of them anew.
_AS_TOPIC = re.compile(r"(?:土日|どにち|週末|しゅうまつ|平日|へいじつ|曜日?|曜)(?:だけ)?(?:は|だけ)")

SPLIT_LEAD = "{named}は{named_time}、ほかの日はこれまでどおり{kept_time}にします。"


def days_of(rule: Rule) -> frozenset[int] | None:
    """The weekdays a rule fires on (None for a rule by the month or every other week)."""
    if rule.freq == "daily":
        return ALL_DAYS
    if rule.freq == "weekdays":
        return WEEKDAYS
    if rule.freq == "weekly" and rule.weekday is not None:
        return frozenset((rule.weekday, *rule.also))
    return None


def named_days(text: str) -> frozenset[int]:
    """The weekdays a message names as a group or one by one (「土日」 「平日」 「月曜と水曜」)."""
    days = set(weekdays_said(text))
    if _WEEKEND.search(text):
        days |= {5, 6}
    if _WORKDAYS.search(text):
        days |= WEEKDAYS
    return frozenset(days)


def on_days(base: Rule, days: frozenset[int], clock: time) -> Rule:
    """``base`` firing on ``days`` at ``clock`` (its end kept)."""
    if days == ALL_DAYS:
        return dataclasses.replace(base, freq="daily", clock=clock, weekday=None, also=())
    if days == WEEKDAYS:
        return dataclasses.replace(base, freq="weekdays", clock=clock, weekday=None, also=())
    first, *rest = sorted(days)
    return dataclasses.replace(base, freq="weekly", clock=clock, weekday=first, also=tuple(rest))


def split(rule: Rule, text: str, clock: time | None) -> tuple[Rule, Rule] | None:
    """The rule kept for the other days and the new one for the days named at ``clock``; None when the
    words do not name some of its days as a topic with a new time."""
    have = days_of(rule)
    named = named_days(text)
    if clock is None or have is None or not named or not _AS_TOPIC.search(text) or not named < have:
        return None
    return on_days(rule, have - named, rule.clock), on_days(rule, named, clock)


def group_name(days: frozenset[int]) -> str:
    """「土日」 「平日」 or the days one by one (「月・水曜」)."""
    if days == frozenset({5, 6}):
        return "土日"
    if days == WEEKDAYS:
        return "平日"
    return "・".join("月火水木金土日"[d] for d in sorted(days)) + "曜"
