"""Japanese dates and times: formatting (「12月7日(月) 9:00」) and parsing what people type.

The parser reads the whole time phrase with the rules of :mod:`bot.core.dates.jptime_rules` (今日/明日,
N日後/N時間半後, 来週の金曜, 来月の5日, 来月末, 来月の頭, 週明け, 年明け, 第2火曜, 12/5(土) 9:00, 正午,
夕方, 朝一, full-width digits and kanji numerals...). What it understood becomes one moment; a part it
could not read, a date in the past, a weekday that contradicts its date, or a vague word (上旬,
そのうち) becomes a question (:class:`WhenAsk`) or an error (:class:`WhenError`), never a guess; so
does an hour that could be either half of the day (2時: 14:00 or 2:00; 8時 at 19:00: tonight's
20:00 or tomorrow's 8:00). A period word after the clock belongs to the task (10時に昼の会議). The
reference time and timezone are arguments: nothing here reads the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.core.dates import jptime_rules as rules
from bot.core.dates.ahead import ahead_of_the_day
from bot.core.dates.alone import afternoon as _afternoon
from bot.core.dates.alone import time_alone as _time_alone
from bot.core.dates.alone import time_said_after
from bot.core.dates.days import _date_of, _DayAsk
from bot.core.dates.phrases import When, WhenAsk, WhenError
from bot.core.dates.task_text import rest_of as _rest
from bot.core.understanding.textnorm import clean

WEEKDAYS = "月火水木金土日"
DEFAULT_TIME = time(9, 0)


def format_date(day: date, ref: date | None = None) -> str:
    """「12月7日(月)」; with the year in front when it differs from ``ref``'s year."""
    year = f"{day.year}年" if ref is not None and ref.year != day.year else ""
    return f"{year}{day.month}月{day.day}日({WEEKDAYS[day.weekday()]})"


def format_datetime(moment: datetime, ref: date | None = None) -> str:
    """「12月7日(月) 9:00」 in the datetime's own timezone (year shown when not ``ref``'s)."""
    return f"{format_date(moment.date(), ref)} {format_time(moment.time())}"


def utc_stamp(moment: datetime) -> str:
    """An aware datetime as UTC ISO 8601 to the second (how the core hands times to storage)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def format_time(moment: time) -> str:
    """「9:00」."""
    return f"{moment.hour}:{moment.minute:02d}"


_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = re.compile(
    r"(?<!第)[〇零一二三四五六七八九十百]+(?=\s*(?:日|時|分|月|週|年|ヶ月|か月|カ月|半|回))|(?<=第)[一二三四五]"
)


def _kanji_to_int(text: str) -> int:
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _KANJI_DIGITS[ch]
    return total + current


def numerals_to_digits(text: str) -> str:
    """Kanji numerals written before a unit (三日後, 十二月二十五日), and an hour in kana (じゅうじ,
    さんじはん), become digits; time words written in kana (まいにち, げつようび, らいしゅう, ばんげ) their
    usual kanji."""
    for pattern, written in _KANA_TIME_WORDS:
        text = pattern.sub(written, text)
    text = _KANJI_NUMBER.sub(lambda m: str(_kanji_to_int(m.group(0))), text)
    return _KANA_HOUR.sub(_kana_hour, text)


# Time words in kana (older people and phone keyboards write them so; Tohoku speech voices ち as ぢ).
# Only where the kana cannot be another word: 「かよう」 alone is 通う, 「ばん」 alone may be 番.
_AFTER_WORD = r"(?=[\s　、。,のにはとでもだや]|じゃ|$)"
_KANA_TIME_WORDS = tuple(
    (re.compile(kana), written)
    for kana, written in (
        (r"まいに[ちぢ]", "毎日"), (r"まいしゅう", "毎週"), (r"まいつき", "毎月"), (r"まいあさ", "毎朝"),
        (r"まいばん", "毎晩"), (r"さらいしゅう", "再来週"), (r"らいしゅう", "来週"), (r"こんしゅう", "今週"),
        (r"らいげつ", "来月"), (r"こんげつ", "今月"), (r"ばんげ", "晩"), (r"ゆうがた", "夕方"),
        (r"げつようび?" + _AFTER_WORD, "月曜"), (r"かようび|かよう(?=だ|でし|です|じゃ)", "火曜"), (r"すいようび?" + _AFTER_WORD, "水曜"),
        (r"もくようび?" + _AFTER_WORD, "木曜"), (r"きんようび?" + _AFTER_WORD, "金曜"),
        (r"どようび?" + _AFTER_WORD, "土曜"), (r"にちようび?" + _AFTER_WORD, "日曜"),
        (r"(?<![ぁ-ゖ])ひる(?=[\s　、。,のにはとでもっ]|$)", "昼"), (r"(?<=\d)にち", "日"),
        (r"まえの(?:ひ|日)", "前日"), (r"とうじつ", "当日"), (r"(?<![ぁ-ゖ])あさ(?=の|に|は|[\s　、])", "朝"),
        (r"(?<![ぁ-ゖ])よる(?=の|に|は|[\s　、])", "夜"),
    )
)  # fmt: skip
_KANA_NUMBERS = {"いち": 1, "に": 2, "さん": 3, "よ": 4, "ご": 5, "ろく": 6, "しち": 7, "なな": 7, "はち": 8, "く": 9}
_KANA_HOUR = re.compile(
    r"(じゅう(?:いち|に)?|いち|に|さん|よ|ご|ろく|しち|なな|はち|く)じ(はん)?(?=[はにのごまかでへっ、。\s!！?？]|$)"
)
# What may come right before a kana hour: the start, a time word, a particle (never the middle of
# a word: たからくじ, ごじつ and にじいろ stay words).
_BEFORE_KANA_HOUR = re.compile(
    r"(?:^|[^ぁ-ゖ]|あした|あす|きょう|あさって|あさ|よる|ゆうがた|ごご|ごぜん|ひる|よなか|しんや|ばん|こんや|こんばん|まいにち|まいあさ|の|は|に|、)$"
)


def _kana_hour(match: re.Match[str]) -> str:
    if not _BEFORE_KANA_HOUR.search(match.string[: match.start()]):
        return match.group(0)
    word = match.group(1)
    tens = 10 if word.startswith("じゅう") else 0
    ones = _KANA_NUMBERS.get(word.removeprefix("じゅう"), 0)
    return f"{tens + ones}時" + ("半" if match.group(2) else "")


@dataclass(slots=True)
class _Read:
    """What the rules read in a text: the parts, the spans and names of the matches, and the time
    words that belong to the task ("10時に昼の会議": 昼 is the meeting's, not the time's)."""

    parts: rules.Parts = field(default_factory=rules.Parts)
    spans: list[tuple[int, int]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    task_words: list[tuple[int, int]] = field(default_factory=list)


def _apply(text: str, only: tuple[str, ...] = ()) -> _Read:
    """Every rule (or the ``only`` ones) once, in order, without overlaps."""
    read = _Read()
    clock_end: list[int] = []  # where the clock phrase ended, once one was read
    for name, pattern, handler in rules.RULES:
        if only and name not in only:
            continue
        match = _free_match(pattern, text, read.spans)
        if match is None:
            continue
        if name in rules.BEFORE_CLOCK_ONLY and clock_end and match.start() >= clock_end[0]:
            # Right after the clock and a particle, a period word is the task's (10時に昼の会議).
            # Anywhere else after the clock ("10時夜", "10時、明日の朝") it is left unread, and
            # the phrase is asked about rather than guessed.
            gap = text[clock_end[0] : match.start()]
            if gap and rules.TASK_JOIN.match(gap):
                read.task_words.append(match.span())
            continue
        handler(match, read.parts)
        read.spans.append(match.span())
        read.names.append(name)
        if name == "clock":
            clock_end.append(match.end())
    # Spans in the text's order, each with the rule that read it.
    pairs = sorted(zip(read.spans, read.names, strict=True))
    read.spans, read.names = [s for s, _ in pairs], [n for _, n in pairs]
    return read


def _free_match(pattern: re.Pattern[str], text: str, taken: list[tuple[int, int]]) -> re.Match[str] | None:
    """The first match of ``pattern`` that overlaps no earlier rule's match (None: there is none)."""
    pos = 0
    while pos <= len(text):
        match = pattern.search(text, pos)
        if match is None or match.end() == match.start():
            return None
        if not any(s < match.end() and match.start() < e for s, e in taken):
            return match
        pos = match.start() + 1  # overlaps an earlier rule's match: look further on
    return None


def task_of(text: str) -> str:
    """What to be reminded of, from a message without a time ("電話するのをリマインドして" -> 電話する)."""
    task = _rest(numerals_to_digits(clean(text))[:200], [])
    return re.sub(r"(?:の|こと)$", "", task).strip()


def parse_when(text: str, now: datetime, default_time: time = DEFAULT_TIME) -> When | WhenError | WhenAsk | None:
    """Parse a Japanese time phrase relative to ``now`` (an aware datetime in the user's zone).

    None: the text holds no time expression at all. :class:`WhenError`: it holds one that cannot be
    used (past, 2月30日, 25時). :class:`WhenAsk`: a question is needed first. Else a :class:`When`.
    """
    text = _SELF_CORRECTED.sub("", numerals_to_digits(clean(text))[:200])
    ahead = ahead_of_the_day(text, now, lambda t: _apply(t), lambda t, r: _parse(t, r, now, default_time))
    if ahead is not None:
        return ahead
    read = _apply(text)
    if not read.spans:
        return None
    result = _parse(text, read, now, default_time)
    end = read.spans[-1][1]
    if isinstance(result, When) and result.at is not None and result.rest and rules.DEADLINE.match(text, end):
        # 「10時までに書類出す」: the reminder comes at the time said, and its text keeps the deadline
        # (the user can still move the time earlier at the confirmation).
        p = read.parts
        timed = p.clock is not None or p.delta is not None
        said = format_time(result.at.time()) if timed else format_date(result.at.date())
        return replace(result, rest=f"{said}までに{result.rest}", joined_by="に")
    return result


# 「明日の10時、いや11時に歯医者」: a time taken back at once; the one said after it holds.
_SELF_CORRECTED = re.compile(
    r"\d{1,2}\s*(?:時|じ)(?:半|はん|\d{1,2}分)?[、,\s…・.]*(?:いや|いえ|じゃなくて|じゃなく|ではなく|やっぱり?|あ)[、,\s…・.]*(?=\d{1,2}\s*(?:時|じ))"
)
# What an answer may say to complete the phrase a question was about: an hour, a day number.
_COMPLETING = frozenset({"clock", "period", "day_only", "occasion"})


def parse_answer(text: str, context: str, now: datetime) -> When | WhenError | WhenAsk | None:
    """An answer to a question about a time phrase, read with the part of that phrase that still holds
    (「今夜寝る前」 then 「11時」 -> tonight 23:00; 「2月」 then 「28日で」 -> 28 February).

    The answer alone decides when it names a day of its own, or when together they are no moment.
    """
    alone = parse_when(text, now)
    cleaned = numerals_to_digits(clean(text))[:200]
    read = _apply(cleaned)
    if not context or not read.spans or set(read.names) - _COMPLETING:
        return alone
    joined = parse_when(f"{context} {cleaned[read.spans[0][0] :]}", now)
    return joined if isinstance(joined, When) else alone


@dataclass(frozen=True, slots=True)
class _Said:
    """One time phrase as it was written: its parts, the rest of the text, and how the two join."""

    parts: rules.Parts
    now: datetime
    rest: str
    joined_by: str
    understood: str

    def ask(self, reason: Any, options: tuple[datetime, ...] = ()) -> WhenAsk:
        return WhenAsk(reason, options=options, understood=self.understood, rest=self.rest)

    def error(self, reason: Any) -> WhenError:
        # 「2月30日」: the month still holds, so 「28日で」 answers within it.
        p = self.parts
        month = f"{p.month}月" if reason == "invalid_date" and p.month and p.year is None else ""
        return WhenError(reason, rest=self.rest, context=month)


def _parse(text: str, read: _Read, now: datetime, default_time: time) -> When | WhenError | WhenAsk | None:
    parts, spans = read.parts, read.spans
    rest = _rest(text, spans)
    end = spans[-1][1]
    # 「12/5 9:00 振込」: a space the time phrase took along still joins it to the task.
    joined_by = " " if end > 0 and text[end - 1].isspace() else text[end : end + 1]
    said = _Said(parts, now, rest, joined_by, text[spans[0][0] : end])
    whole = _phrase_answer(said, text, read)
    if whole is not None:
        return whole
    # 1-6時 with no 午前/午後/朝/夜: the afternoon is likelier, but the night is asked about too.
    afternoon = _afternoon(parts)
    at_time = afternoon or parts.clock or default_time
    day = _date_of(parts, now, at_time)
    if isinstance(day, WhenError):
        return said.error(day.reason)
    if isinstance(day, _DayAsk):
        return said.ask(day.reason, tuple(datetime.combine(d, at_time, now.tzinfo) for d in day.days))
    if day is None:
        return None if parts.clock is None else _time_alone(parts, parts.clock, now, said.understood, rest, joined_by)
    return _on_day(said, day, at_time, afternoon)


def _phrase_answer(said: _Said, text: str, read: _Read) -> When | WhenError | WhenAsk | None:
    """What the phrase as a whole decides before any day is worked out (None: go on)."""
    parts = said.parts
    if parts.invalid:
        return said.error("invalid_time" if parts.invalid == "time" else "invalid_date")
    if parts.monthly_day is not None:
        return When("monthly", day=parts.monthly_day, clock=parts.clock, rest=said.rest, joined_by=said.joined_by)
    if parts.vague:
        return _vague(said)
    if _half_read(said, text, read):
        return said.ask("unknown")
    if parts.past:
        return said.error("past")
    if parts.occasion and (parts.clock is None or parts.clock_default):
        # 「水曜の仕事終わり」 「今夜寝る前」: the day is known, the hour is the person's own; asked.
        return said.ask("time")
    if parts.delta is not None:
        at = (said.now + parts.delta).replace(second=0, microsecond=0)
        return When("once", at=at, rest=said.rest, joined_by=said.joined_by)
    return None


def _half_read(said: _Said, text: str, read: _Read) -> bool:
    """True when words nobody read lie between the phrase's parts, or time words are left over."""
    spans = read.spans
    # One phrase: what lies between its parts must be particles, not words nobody read.
    gaps = [text[a[1] : b[0]] for a, b in zip(spans, spans[1:], strict=False)]
    # Time words kept in the task on purpose (昼 in 10時に昼の会議) are no sign of a phrase half read.
    unread = _rest(text, sorted(spans + read.task_words)) if read.task_words else said.rest
    if time_said_after(read.names, gaps):
        return False
    # 「今夜11時に明日の準備しろって」: with a whole moment read, 「明日の準備」 is the task's own words.
    whole = "clock" in read.names and len(set(read.names)) > 1
    left = _TASK_TIME_WORD.sub("", unread) if whole else unread
    return any(not rules.FILLER.match(g) for g in gaps) or bool(rules.TIME_WORDS.search(left))


# A time word that names a thing (「明日の準備」 「来週の会議」 「今日の夕飯」), not when.
_TASK_TIME_WORD = re.compile(r"(?:明日|今日|来週|今週|来月|今月|週末|朝|昼|夜)の(?=[^\d\s、。の]{2})")


def _vague(said: _Said) -> WhenAsk:
    """上旬 needs its day, 毎週 is a rule, そのうち needs everything."""
    vague = said.parts.vague
    if vague in ("上旬", "中旬", "下旬"):
        return said.ask("day")
    return said.ask("repeat" if vague.startswith(("毎", "平", "隔")) else "vague")


def _on_day(said: _Said, day: date, at_time: time, afternoon: time | None) -> When | WhenError | WhenAsk:
    """The moment on the day found, checked: the written weekday, the past, too far ahead, 2時 or 14時."""
    parts, now = said.parts, said.now
    if parts.next_day_clock:
        day += timedelta(days=1)
    unsaid = parts.clock is None or parts.clock_default
    if parts.day_offset == 0 and unsaid and datetime.combine(day, at_time, now.tzinfo) <= now:
        return said.ask("time")  # 今日 at 14:00, 今夜 at 21:30: what time today?
    mismatch = _weekday_mismatch(said, day, at_time)
    if mismatch is not None:
        return mismatch
    try:
        at = datetime.combine(day, at_time, now.tzinfo)
    except OverflowError:
        return said.error("invalid_date")
    tonight = _tonight(said, day, at)
    if tonight is not None:
        return tonight
    if at <= now:
        return said.error("past")
    if at - now > timedelta(days=rules.MAX_DAYS_AHEAD):
        return said.error("invalid_date")
    if afternoon is not None and parts.clock is not None:
        night = datetime.combine(day, parts.clock, now.tzinfo)
        if night > now:  # both still ahead on that day (明日2時): ask; else the afternoon it is
            return said.ask("ampm", (at, night))
    return When("once", at=at, clock=afternoon or parts.clock, rest=said.rest, joined_by=said.joined_by)


def _tonight(said: _Said, day: date, at: datetime) -> WhenAsk | None:
    """「今日の9時」 said in the evening: 21:00 is likelier than a time already gone; asked, with
    tomorrow morning as the other choice."""
    parts, now = said.parts, said.now
    if at > now or day != now.date() or not parts.open_hour or parts.clock is None or parts.clock.hour >= 12:
        return None
    morning = datetime.combine(day, parts.clock, now.tzinfo)
    evening = morning + timedelta(hours=12)
    return said.ask("tonight", (evening, morning + timedelta(days=1))) if morning <= now < evening else None


def _weekday_mismatch(said: _Said, day: date, at_time: time) -> WhenAsk | None:
    """A weekday written beside a date ("11/20(金)", "金曜(11/6)") must agree with it."""
    parts, now = said.parts, said.now
    written = parts.weekday_check if parts.weekday_check is not None else parts.weekday if parts.day else None
    if written is None or day.weekday() == written:
        return None
    # The nearest day that has the written weekday, before or after the written date, still ahead.
    later = day + timedelta(days=(written - day.weekday()) % 7)
    earlier = later - timedelta(days=7)
    by_weekday = earlier if (day - earlier) < (later - day) and earlier > now.date() else later
    return said.ask(
        "weekday", (datetime.combine(day, at_time, now.tzinfo), datetime.combine(by_weekday, at_time, now.tzinfo))
    )


def clock_in(text: str) -> tuple[time | None, list[tuple[int, int]]]:
    """The time of day somewhere in ``text`` (cleaned, numerals as digits), with the spans it covers."""
    read = _apply(text, only=("clock", "period"))
    if read.parts.invalid:
        return None, []
    return read.parts.clock, read.spans


def open_hour_in(text: str) -> bool:
    """True when the time of day in ``text`` is an hour from 1 to 11 said without 午前/午後/朝/夜."""
    return _apply(text, only=("clock", "period")).parts.open_hour


def task_without(text: str, spans: list[tuple[int, int]]) -> str:
    """What remains of ``text`` once the spans of its time words are removed (the task)."""
    return _rest(text, sorted(spans))


def parse_clock(text: str) -> time | None:
    """A time of day alone ("9時", "20:30", "夜8時半", "朝"), or None."""
    read = _apply(numerals_to_digits(clean(text))[:200])
    if read.parts.invalid or set(read.names) - {"clock", "period"}:
        return None
    return read.parts.clock
