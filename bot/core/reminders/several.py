"""Several reminders asked for in one message: 「明日12時にランチの予約電話、12時半に郵便局」
「明日の10時に市役所、月曜の9時に返済のATM」. Each part with its own time and task is a draft; a part
without a day takes the day of the part before it. They are confirmed together, with one yes.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.core.dates.jptime import When, WhenAsk, format_datetime, parse_when, task_of, utc_stamp
from bot.core.reminders.recurrence import Rule
from bot.core.reminders.setup_state import Spec

SEVERAL_LEAD = "次の{count}件のお知らせを設定します。"
# Where one request ends and the next begins: a comma or a full stop, or 「と」 before a day or a time.
_SPLIT = re.compile(
    r"[、,，。\n]+|(?<=[ぁ-んァ-ヶー一-龥a-zA-Z])(?<!あ)と(?=(?:明日|あした|今日|今夜|明後日|あさって|来週|今週|\d|[月火水木金土日]曜|朝|昼|夕方|夜|晩|午前|午後))"
)
# Parts that only ask (「お願い」 「リマインドして」): no reminder of their own.
_ASKING_ONLY = re.compile(
    r"^(?:(?:二つ|ふたつ|2つ|両方|りょうほう|全部|ぜんぶ)(?:とも)?(?:お願い(?:します)?|おねがい|頼む|たのむ|よろしく)|お願い(?:します)?|おねがい(?:します)?|よろしく(?:お願いします)?|(?:リマインド|りまいんど|お知らせ|通知)(?:して|を)?(?:ください)?|教えて(?:ください)?|以上|です)[!！。]*$"
)
# A day named in the part (else the day of the part before it is meant: 「12時半に郵便局」).
_NAMES_A_DAY = re.compile(r"日|明日|あした|今日|きょう|明後日|あさって|曜|週|月")


def several_drafts(text: str, now: datetime, task_spec) -> list[Spec] | None:
    """The drafts of two or more reminders said in one message, each with its time and task; None when
    the message is not that (one reminder, or a part without its own time and task)."""
    said = [p.strip() for p in _SPLIT.split(text) if p and p.strip() and not _ASKING_ONLY.match(p.strip())]
    parts = _timed_parts(said, now)
    if len(parts) < 2:
        return None
    moments = _moments(parts, now)
    # Each part says its time (「明日12時にランチ、12時半に郵便局」); a day alone is no reminder of its
    # own (「明日は病院。10時に教えて」 is one; 「明日行けるかな、土曜だけど」 none).
    if moments is None or any(w.clock is None for w in moments):
        return None
    tasks = _shared_tasks([w.rest for w in moments]) or _task_beside(said, parts, len(moments))
    if tasks is None:
        return None
    return [task_spec(task).but(at=utc_stamp(w.at)) for w, task in zip(moments, tasks, strict=True) if w.at]


def _task_beside(said: list[str], timed: list[str], count: int) -> list[str] | None:
    """「明日の朝8時と、夜の8時に、両方とも『犬の散歩』て入れて」: the task said in a part of its own."""
    beside = task_of("、".join(p for p in said if p not in timed))
    return [beside] * count if beside else None


def _timed_parts(parts: list[str], now: datetime) -> list[str]:
    """With two or more parts that say a time, the parts that say none (「ぜんぶ入れて」 「今週末の予定
    入れてや」 「それ」) are the request around them, not reminders of their own."""
    timed = [p for p in parts if _clock_said(p, now)]
    return timed if len(timed) >= 2 else parts


def _clock_said(part: str, now: datetime) -> bool:
    when = parse_when(part, now)
    if isinstance(when, WhenAsk):
        return when.reason in ("ampm", "tomorrow", "tonight")  # a time said (its day or half taken below)
    return isinstance(when, When) and when.clock is not None


def _moments(parts: list[str], now: datetime) -> list[When] | None:
    """Each part's moment (a part without a day takes the day of the part before it); None when a
    part has no future moment of its own."""
    moments: list[When] = []
    day: datetime | None = None
    for part in parts:
        when = parse_when(part, now)
        if when is None:
            return None  # 「内容は「ゴミ」」: a part with no time of its own is not a reminder of its own
        if day is not None and not _NAMES_A_DAY.search(part):
            when = parse_when(f"{day.month}月{day.day}日 {part}", now)  # the day of the part before
        if isinstance(when, WhenAsk) and when.reason == "ampm" and when.options:
            # 「日曜の3時に誕生日会」 among several: the afternoon, as most people mean it (the list is
            # shown for one yes, so a night one is corrected there).
            when = When("once", when.options[0], clock=when.options[0].timetz(), rest=when.rest, joined_by="に")
        if not isinstance(when, When) or when.kind != "once" or when.at is None or when.at <= now:
            return None
        day = when.at
        moments.append(when)
    return moments


def _shared_tasks(rests: list[str]) -> list[str] | None:
    """Each part's task; 「明日10時と夕方5時に薬」: a part with only a time takes the task said after it
    (or, at the end, before it). None when no part says a task."""
    if not any(rests):
        return None
    tasks = list(rests)
    for i in range(len(tasks) - 1, -1, -1):
        if not tasks[i]:
            tasks[i] = next((t for t in tasks[i + 1 :] if t), "") or next(t for t in reversed(tasks[:i]) if t)
    return tasks


_ONLY = re.compile(r"だけ|のみ")
_DROP = re.compile(
    r"(?:は|の方は|のほうは|のは)?(?:いらない|いりません|要らない|いらん|なし|無し|やめ|消して|けして|取り消|とりけし|不要|なくていい"
    r"|(?:無|な)くなった|キャンセル|きゃんせる|中止|ちゅうし|行かない|いかない|行けなく|いけなく)"
)


def _words(spec: Spec) -> list[str]:
    words = re.split(r"[のにをへとでがは、\s]+", spec.what.lower())
    # 「薬」: a task of one kanji is named by it (a kana alone is too common to name anything).
    return [w for w in words if len(w) >= 2 or (len(w) == 1 and "一" <= w <= "龥")]


def _named(spec: Spec, key: str) -> bool:
    """True when the words name this draft (a word of its text, two characters or more)."""
    return any(w in key for w in _words(spec))


def one_named(drafts: list[Spec], text: str) -> tuple[int, str] | None:
    """「病院のほう9時に変えて」: the one draft the words name, and what is said of it (the words after
    its name); None when they name none, or more than one."""
    key = text.lower()
    named = [i for i, d in enumerate(drafts) if _named(d, key)]
    if len(named) != 1:
        return None
    word = next(w for w in _words(drafts[named[0]]) if w in key)
    rest = re.sub(rf"^.*?{re.escape(word)}(?:のほう|の方|のやつ|の|は|を|も)*[、,\s]*", "", key)
    return named[0], rest


def kept_of(drafts: list[Spec], text: str) -> list[Spec] | None:
    """The drafts left when the words keep some (「ATMのだけ残して」) or drop some (「市役所はいらない」);
    None when they name none, or every one."""
    key = text.lower()
    named = [d for d in drafts if _named(d, key)]
    if not named or len(named) == len(drafts):
        return None
    if _DROP.search(key):  # 「薬のやつだけ消して」 「市役所はいらない」: those go
        return [d for d in drafts if d not in named]
    return named if _ONLY.search(key) else None


_BEFORE_TOO = re.compile(
    r"(?:前の日|前日|まえのひ|(?<!\d)(\d)\s*日前|(?<!\d)(\d{1,2})\s*(?P<unit>分|時間)前)(?:の[^、。]{0,6})?(?:に|の)?も"
)


def with_days_before(spec: Spec, text: str, now: datetime) -> list[Spec] | None:
    """「前の日にも教えて」 at a one-time draft: one more reminder that many days before, at the same time
    of day (「明日：ケーキ受け取り」), and the draft itself; None when not asked, or already past."""
    said = _BEFORE_TOO.search(text)
    if said is None or not spec.at or spec.rule:
        return None
    if said["unit"]:  # 「1時間前にも」: that long before, the same day
        amount = int(said.group(2))
        ahead = timedelta(hours=amount) if said["unit"] == "時間" else timedelta(minutes=amount)
        label = f"{amount}{'時間' if said['unit'] == '時間' else '分'}後"
    else:
        days = int(said.group(1) or 1)
        ahead, label = timedelta(days=days), "明日" if days == 1 else f"{days}日後"
    earlier = datetime.fromisoformat(spec.at) - ahead
    if earlier <= now:
        return None
    return [spec.but(at=utc_stamp(earlier), what=f"{label}：{spec.what}"[:100]), spec]


def several_lines(drafts: list[Spec], now: datetime, tz) -> list[str]:
    """「・12月5日(土) 12:00「ランチの予約電話」」 for each draft, after the lead."""
    today = now.astimezone(tz).date()
    lines = [SEVERAL_LEAD.format(count=len(drafts))]
    for spec in drafts:
        if spec.rule:  # a repeating draft: its rule in words (「毎週土・日曜 8:00」)
            lines.append(f"・{Rule.from_json(spec.rule).describe()}「{spec.what}」")
            continue
        at = datetime.fromisoformat(spec.at or "").astimezone(tz)
        lines.append(f"・{format_datetime(at, today)}「{spec.what}」")
    return lines
