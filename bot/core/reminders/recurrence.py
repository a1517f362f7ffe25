"""Repeating reminders: a rule (毎日, 平日, 毎週金曜, 隔週, 毎月15日 / 末日 / 第2火曜) with an optional end.

A rule only answers "when is the next one after this moment?"; the engine plans one occurrence at a
time from the database (as the monthly repayment chain does), so a restart never loses or doubles
one. The reference time and timezone are arguments: nothing here reads the clock.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.core.dates.jptime import WEEKDAYS, clock_in, format_datetime, format_time, numerals_to_digits, task_without
from bot.core.understanding.textnorm import clean

Freq = Literal["daily", "weekdays", "weekly", "biweekly", "monthly_day", "monthly_nth"]
MONTH_END = 31
# A repeating reminder looks this far ahead for its next occurrence (a rule that never fires again ends).
HORIZON_DAYS = 800


@dataclass(frozen=True, slots=True)
class Rule:
    """When a repeating reminder fires; ``count`` / ``until`` end it."""

    freq: Freq
    clock: time
    weekday: int | None = None  # 0 = Monday (weekly, biweekly, monthly_nth)
    also: tuple[int, ...] = ()  # weekly: more weekdays (毎週月水金: weekday 0, also (2, 4))
    day: int | None = None  # monthly_day (31 = the month's last day)
    nth: int | None = None  # monthly_nth
    start: date | None = None  # biweekly: the first week
    until: date | None = None
    count: int | None = None

    # ------------------------------------------------------------------ occurrences

    def _days(self, first: date) -> Iterator[date]:
        for offset in range(HORIZON_DAYS):
            day = first + timedelta(days=offset)
            if self._matches(day):
                yield day

    def _matches(self, day: date) -> bool:
        if self.freq == "daily":
            return True
        if self.freq == "weekdays":
            return day.weekday() < 5
        if self.freq == "weekly":
            return day.weekday() == self.weekday or day.weekday() in self.also
        if self.freq == "biweekly":
            anchor = self.start or day
            return day.weekday() == self.weekday and ((day - anchor).days // 7) % 2 == 0
        if self.freq == "monthly_day":
            last = calendar.monthrange(day.year, day.month)[1]
            return day.day == min(self.day or 1, last)
        # monthly_nth
        return day.weekday() == self.weekday and (day.day - 1) // 7 + 1 == self.nth

    def next_after(self, after: datetime, tz: ZoneInfo, fired: int = 0) -> datetime | None:
        """The first occurrence strictly after ``after``, or None when the rule has ended."""
        if self.count is not None and fired >= self.count:
            return None
        local = after.astimezone(tz)
        for day in self._days(local.date()):
            if self.until is not None and day > self.until:
                return None
            moment = datetime.combine(day, self.clock, tz)
            if moment > after:
                return moment
        return None

    def upcoming(self, after: datetime, tz: ZoneInfo, n: int = 2) -> list[datetime]:
        """The next ``n`` occurrences after ``after`` (fewer when the rule ends sooner)."""
        out: list[datetime] = []
        moment: datetime | None = after
        while moment is not None and len(out) < n:
            moment = self.next_after(moment, tz, fired=len(out))
            if moment is not None:
                out.append(moment)
        return out

    # ------------------------------------------------------------------ words

    def describe(self) -> str:
        """「毎週金曜 20:00」, 「毎月末日 9:00（3回まで）」."""
        if self.freq == "daily":
            base = "毎日"
        elif self.freq == "weekdays":
            base = "平日の毎日"
        elif self.freq == "weekly":
            base = f"毎週{'・'.join(WEEKDAYS[d] for d in (self.weekday or 0, *self.also))}曜"
        elif self.freq == "biweekly":
            base = f"隔週{WEEKDAYS[self.weekday or 0]}曜"
        elif self.freq == "monthly_day":
            base = "毎月末日" if (self.day or 0) >= MONTH_END else f"毎月{self.day}日"
        else:
            base = f"毎月第{self.nth}{WEEKDAYS[self.weekday or 0]}曜"
        end = ""
        if self.count is not None:
            end = f"（{self.count}回まで）"
        elif self.until is not None:
            end = f"（{self.until.year}年{self.until.month}月{self.until.day}日まで）"
        return f"{base} {format_time(self.clock)}{end}"

    def to_json(self) -> str:
        """The stored form."""
        data: dict[str, Any] = asdict(self)
        data["clock"] = self.clock.strftime("%H:%M")
        data["start"] = self.start.isoformat() if self.start else None
        data["until"] = self.until.isoformat() if self.until else None
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Rule:
        """Rebuild from :meth:`to_json` (ValueError when it is not one)."""
        data = json.loads(text)
        return cls(
            freq=data["freq"],
            clock=time.fromisoformat(data["clock"]),
            weekday=data.get("weekday"),
            also=tuple(data.get("also") or ()),
            day=data.get("day"),
            nth=data.get("nth"),
            start=date.fromisoformat(data["start"]) if data.get("start") else None,
            until=date.fromisoformat(data["until"]) if data.get("until") else None,
            count=data.get("count"),
        )


# ---------------------------------------------------------------------- reading a rule from text

_FREQ = re.compile(
    r"(?P<daily>毎日|まいにち|毎朝|毎晩|毎夜)"
    r"|(?P<weekdays>平日(?:の毎日)?)"
    r"|(?P<biweekly>隔週|2週間ごと|二週間ごと)\s*の?\s*(?P<bw>[月火水木金土日])曜?日?"
    r"|毎週\s*の?\s*(?P<w>[月火水木金土日](?:曜日|曜)?(?:\s*(?:と|・|、|,|/)?\s*[月火水木金土日](?:曜日|曜)?)*)"
    r"|毎月\s*の?\s*第\s*(?P<nth>[1-5])\s*(?P<nw>[月火水木金土日])曜?日?"
    r"|毎月\s*の?\s*(?:(?P<day>\d{1,2})\s*日|(?P<end>月?末日?|最終日))"
    r"|(?P<weekly_no_day>毎週)"
)
_COUNT_END = re.compile(r"(?P<n>\d{1,3})\s*回(?:で終わり|まで|だけ)?")
_UNTIL_MONTH = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月(?:末)?\s*まで")
_UNTIL_DATE = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*(?:月|/)\s*(?P<d>\d{1,2})\s*日?\s*まで")


@dataclass(frozen=True, slots=True)
class RuleRead:
    """A rule read from a message, and the task that remains."""

    rule: Rule | None
    rest: str
    error: str = ""  # "invalid": never fires (毎月32日, 0回); "weekday": 毎週 without a day


class _Invalid(Exception):
    """A rule that can never fire (毎月32日, 0回, 13月まで)."""


def _frequency(g: dict[str, Any]) -> tuple[Freq, dict[str, Any]]:
    """How often, and the days it names (raises :class:`_Invalid` for a day that does not exist)."""
    if g["daily"]:
        return "daily", {}
    if g["weekdays"]:
        return "weekdays", {}
    if g["bw"]:
        return "biweekly", {"weekday": WEEKDAYS.index(g["bw"])}
    if g["w"]:
        # 「毎週月水金」 「毎週土日」 「毎週月曜と木曜」: every weekday named, in week order.
        days = sorted({WEEKDAYS.index(c) for c in re.sub(r"曜日?", "", g["w"]) if c in WEEKDAYS})
        return "weekly", {"weekday": days[0], "also": tuple(days[1:])}
    if g["nth"]:
        return "monthly_nth", {"nth": int(g["nth"]), "weekday": WEEKDAYS.index(g["nw"])}
    day = MONTH_END if g["end"] else int(g["day"])
    if not 1 <= day <= 31:
        raise _Invalid
    return "monthly_day", {"day": day}


def _end(body: str, local: date, spans: list[tuple[int, int]]) -> tuple[date | None, int | None]:
    """Until when (「3月まで」 「12/31まで」) or how many times (「3回」); the words' span is noted."""
    if m := _UNTIL_DATE.search(body):
        year = int(m["y"]) if m["y"] else local.year
        try:
            until = date(year, int(m["m"]), int(m["d"]))
        except ValueError:
            raise _Invalid from None
        if until < local and not m["y"]:
            until = until.replace(year=until.year + 1)
        spans.append(m.span())
        return until, None
    if m := _UNTIL_MONTH.search(body):
        month = int(m["m"])
        if not 1 <= month <= 12:
            raise _Invalid
        year = int(m["y"]) if m["y"] else (local.year if month >= local.month else local.year + 1)
        spans.append(m.span())
        return date(year, month, calendar.monthrange(year, month)[1]), None
    if m := _COUNT_END.search(body):
        if int(m["n"]) < 1:
            raise _Invalid
        spans.append(m.span())
        return None, int(m["n"])
    return None, None


def parse_rule(text: str, now: datetime) -> RuleRead | None:
    """A repeating reminder in ``text`` (None when the text names no repetition)."""
    body = numerals_to_digits(clean(text))[:200]
    match = _FREQ.search(body)
    if match is None:
        return None
    if match["weekly_no_day"]:
        return RuleRead(None, "", "weekday")  # 毎週 without a day: which weekday?
    spans = [match.span()]
    local = now.date()
    try:
        freq, rule_args = _frequency(match.groupdict())
        until, count = _end(body, local, spans)
    except _Invalid:
        return RuleRead(None, "", "invalid")
    clock, clock_spans = clock_in(body)
    spans.extend(clock_spans)
    start = None
    if freq == "biweekly":
        start = local + timedelta(days=(rule_args["weekday"] - local.weekday()) % 7)
    rule = Rule(freq, clock or time(9, 0), start=start, until=until, count=count, **rule_args)
    if rule.next_after(now, now.tzinfo if isinstance(now.tzinfo, ZoneInfo) else ZoneInfo("UTC")) is None:
        return RuleRead(None, "", "invalid")
    return RuleRead(rule, task_without(body, spans))


def first_two(rule: Rule, now: datetime, tz: ZoneInfo) -> str:
    """「次回：12月4日(金) 20:00、その次：12月11日(金) 20:00」."""
    upcoming = rule.upcoming(now, tz)
    today = now.astimezone(tz).date()
    parts = [f"次回：{format_datetime(upcoming[0], today)}"] if upcoming else []
    if len(upcoming) > 1:
        parts.append(f"その次：{format_datetime(upcoming[1], today)}")
    return "、".join(parts)
