"""Which of the user's reminders a message talks about: 「ジムのやつやめたい」, 「電話のリマインダーを11時に」.

People name a reminder by a word of its task, or by its kind (返済, 来店: the words each kind declares), or as 「さっきの」, and
say what to do with it in the same breath. This module finds the reminders that fit and the verb;
the dialog then asks which one (several fit), confirms a cancel, or starts the change, so nothing
is cancelled or changed by a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.core.dates.jptime import WEEKDAYS
from bot.core.reminders.kinds.registry import kind_of
from bot.core.reminders.model import ReminderView
from bot.core.reminders.titles import title_said
from bot.core.understanding.textnorm import clean

Verb = Literal["cancel", "change", "skip", "unskip"]

CANCEL = re.compile(
    r"やめ|止め|とめ|キャンセル|きゃんせる|取り消|とりけ|消し(?!ちゃった|てしまった|た(?!い))|けし(?:て|と|たい)|削除|いらない|要らない|いらなく|要らなく|不要|解除|必要なくな|ひつようなくな"
)
CHANGE = re.compile(
    r"変更|へんこう|変え|かえて|かえたい|ずら|移動|直して|なおして|にして|にしたい|にする|でお願い|でおねがい|で頼む"
)
# 「今月だけスキップ」 「今回の28日は飛ばして」 「1月はお休みにして」: one time, not the whole series.
SKIP = re.compile(
    r"(?:今月|こんげつ|今週|こんしゅう|今日|きょう|明日|あした|今回|こんかい|次|つぎ|今度|こんど|[0-9]{1,2}月"
    # 「来週の火曜だけ休み」 「8日だけなしで」: one day named
    r"|(?:来週|らいしゅう|再来週|さらいしゅう)(?:の)?[月火水木金土日](?:曜日|曜)?|(?<![0-9])[0-9]{1,2}日)(?:の分|のぶん|の)?だけ[^。]{0,10}?"
    r"(?:やめ|止め|とめ|なし|無し|いらない|要らない|休み|やすみ|スキップ|すきっぷ|飛ばし|とばし|パス|ぱす|お休み|おやすみ)"
    # 「今回はやめておきます」 declines an offer: with は, only words that cannot mean that.
    r"|(?:今月|こんげつ|今週|こんしゅう|今回|こんかい|[0-9]{1,2}月)(?:の分|のぶん)?は.{0,20}?"
    r"(?:お休み|おやすみ|休みに|やすみに|なしに|無しに|なしで|スキップ|すきっぷ|飛ばし|とばし)"
    r"|スキップ|すきっぷ|飛ばし|とばし|一回休み|1回休み|いっかいやすみ"
    # 「来週火曜も休む」: one more time off, a day named
    r"|(?:来週|らいしゅう|再来週|さらいしゅう|明日|あした|[0-9]{1,2}日)(?:の)?[月火水木金土日]?(?:曜日|曜)?(?:の分)?も(?:休み|休む|やすみ|やすむ|なし|スキップ|すきっぷ)"
    # 「今月分の通知はいらない」: this month's notices, named as such.
    r"|(?:今月|こんげつ|今回|こんかい)分?の(?:通知|つうち|お知らせ|おしらせ|リマインド|りまいんど)(?:は|も)?(?:いらない|要らない|不要|なしで|なしに)"
)
# 「やっぱりスキップやめて」 「次のもやっぱり教えて」: a time skipped is wanted after all.
UNSKIP = re.compile(
    r"(?:スキップ|すきっぷ|飛ばす|飛ばし|とばす|とばし|お休み|おやすみ|一回休み|1回休み)(?:は|を|も|の)?(?:の)?(?:件|こと|話)?(?:は|を)?"
    r"(?:取り消|とりけ|やめ|止め|とめ|なし|無し|しないで|せずに|キャンセル|きゃんせる|戻し|もどし|解除|撤回)"
    r"|(?:今月|こんげつ|今週|こんしゅう|今日|きょう|明日|あした|今回|こんかい|次|つぎ|今度|こんど)(?:の分|のぶん|の)?も.{0,8}?"
    r"(?:教えて|おしえて|知らせて|しらせて|お知らせして|通知して|つうちして|鳴らして|ならして|送って|おくって|リマインドして)"
)
# 「完済した！」: the repayments are over (heard, before a reminder of them goes).
# 「今月分はもう払い終わってる」 is this month's payment, not the whole debt paid off.
PAID_OFF_WORDS = re.compile(
    r"完済|かんさい|^(?!.*(?:今月|こんげつ|今回|こんかい|\d{1,2}月|分)(?:の)?(?:分)?(?:は|も|を)?(?:もう)?"
    r"(?:払い終わ|はらいおわ|返し終わ|かえしおわ)).*?(?:払い終わ|はらいおわ|返し終わ|かえしおわ)"
)
# Words that say "one of my reminders" without naming it.
_NOUNS = re.compile(r"リマインダ|リマインド|りまいんだ|お知らせ|おしらせ|通知|アラーム|やつ|予定")
_WHEN_SAID = re.compile(r"[月火水木金土日]曜|\d{1,2}時|\d{1,2}日|朝|夜|昼|夕方|午前|午後")
_WHEN_OF_IT = re.compile(r"時間|時刻|じかん|日にち|日時|日付|曜日")
# 「さっきの」 「今の」: the reminder just set.
_RECENT = re.compile(
    r"さっき|今の|いまの|今設定|さっき設定|やっぱり|やっぱ|それ|これ|そいつ|こいつ|最後に(?:入れ|いれ|設定|作っ|登録)|最新の|一番新しい"
)
# Words that name no particular reminder: they must not make one match.
_GENERIC = re.compile(
    r"リマインダー?|りまいんだー?|お知らせ|おしらせ|通知|アラーム|予定|やつ|件|もの|の|に|を|へ|する|行く"
)
_SCRIPT = re.compile(r"[\u3400-\u9fff\u30a0-\u30ff]")


@dataclass(frozen=True, slots=True)
class ReminderRef:
    """The reminders a message may mean (best first), and what the user wants done."""

    verb: Verb
    matches: tuple[ReminderView, ...]
    recent: bool = False  # 「さっきの」: the newest one
    general: bool = False  # 「リマインダーを変えたい」: one of them, not named


def named_reminder(text: str, reminders: tuple[ReminderView, ...]) -> ReminderRef | None:
    """The reminders ``text`` names with a cancel or change verb; None when it names none."""
    key = _norm(text)
    if "記録" in key or "データ" in key:
        return None  # 「返済日の記録を消して」: the stored record, not the reminder
    verb = _verb(key)
    if verb is None:
        return None
    matches = tuple(r for r in reminders if _names(key, r))
    recent = bool(_RECENT.search(key))
    # 「今月だけスキップして」 names none: the one that repeats is meant (asked when several do).
    general = _speaks_generally(key, verb, reminders)
    if not (matches or recent or general):
        return None
    return ReminderRef(verb, matches, recent, general)


def _speaks_generally(key: str, verb: Verb, reminders: tuple[ReminderView, ...]) -> bool:
    """True when the words speak of the reminders without naming one: 「お知らせ」 「今月だけスキップ」
    (a repeating one), 「行く時間を午後2時に変えたい」, or 「来週から土曜にして」 with only one set."""
    if _NOUNS.search(key):
        return True
    if verb in ("skip", "unskip"):
        return any(kind_of(r.kind).repeats for r in reminders)
    if verb != "change":
        return False
    return bool(_WHEN_OF_IT.search(key)) or (len(reminders) == 1 and bool(_WHEN_SAID.search(key)))


def naming(text: str, reminders: tuple[ReminderView, ...]) -> tuple[ReminderView, ...]:
    """The reminders ``text`` names by a word of their task, their kind or when they come (no verb needed)."""
    key = _norm(text)
    return tuple(r for r in reminders if _names(key, r))


def acts_on_one(text: str) -> bool:
    """True when the words can only be about a reminder set (a time skipped or brought back, a new
    text for one: 「サプリに名前変えて」), whatever else they read like."""
    return says_skip(text) or title_said(text) is not None


def says_skip(text: str) -> bool:
    """True when the message asks to skip one time of a reminder (「今月だけスキップ」), not to delete,
    or to have a skipped time back (「やっぱりスキップやめて」)."""
    return _verb(_norm(text)) in ("skip", "unskip")


def _verb(key: str) -> Verb | None:
    """What the message wants done: one time skipped, the reminder cancelled, or changed."""
    if UNSKIP.search(key):
        return "unskip"
    if SKIP.search(key):
        return "skip"
    return "cancel" if CANCEL.search(key) else "change" if CHANGE.search(key) else None


def _norm(text: str) -> str:
    # Katakana stays katakana here (ジム must not become じむ): task words are compared as written.
    return re.sub(r"\s+", "", clean(text).lower())


# 「金曜のやつ」 「27日の」 「10時のリマインダー」: a reminder named by when it comes.
_WEEKDAY_NAMED = re.compile(r"([月火水木金土日])曜(?:日)?の")
_DAY_NAMED = re.compile(r"(?<![0-9])([0-9]{1,2})日の")
_HOUR_NAMED = re.compile(r"(?<![0-9])([0-9]{1,2})時の")


def _names_when(key: str, reminder: ReminderView) -> bool:
    """True when the message names the reminder by its weekday, its day of the month or its hour."""
    rule, at = reminder.rule, reminder.at
    if m := _WEEKDAY_NAMED.search(key):
        day = WEEKDAYS.index(m.group(1))
        if rule is not None and rule.weekday is not None and day in (rule.weekday, *rule.also):
            return True
        if at is not None and at.weekday() == day:
            return True
    if m := _DAY_NAMED.search(key):
        day = int(m.group(1))
        if reminder.due_day == day or (at is not None and at.day == day):
            return True
    if m := _HOUR_NAMED.search(key):
        return reminder.time_of_day.hour == int(m.group(1))
    return False


def _names(key: str, reminder: ReminderView) -> bool:
    if any(w in key for w in kind_of(reminder.kind).name_words) or _names_when(key, reminder):
        return True
    what = _GENERIC.sub("", _norm(reminder.what))
    if what and _SCRIPT.match(what[0]) and re.search(re.escape(what[0]) + r"(?:の|を|、|は|も|\s)", key):
        return True  # 「薬の…」 for 「薬を飲む」: the task's first word, said as a name
    return bool(what) and _shared_run(key, what) >= _needed(what)


def _needed(what: str) -> int:
    # Two kanji or katakana (電話, ジム) say enough; hiragana alone needs a longer run (かいもの).
    return 2 if _SCRIPT.search(what) else min(len(what), 4)


def _shared_run(a: str, b: str) -> int:
    """The length of the longest run of characters that ``a`` and ``b`` share (with a kanji or
    katakana in it when ``b`` has one, so that 「のを」 never counts)."""
    best = 0
    for i in range(len(b)):
        for j in range(i + best + 1, len(b) + 1):
            piece = b[i:j]
            if piece not in a:
                break
            if not _SCRIPT.search(b) or _SCRIPT.search(piece):
                best = j - i
    return best
