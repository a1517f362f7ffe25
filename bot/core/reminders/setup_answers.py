"""Reading short answers typed during a reminder set-up: yes, no, unsure, and corrections.

People write 「問題ないです」 「よろしく」 「10時じゃなくて11時」 or 「やっぱり前日にして」, rarely the button's
words: this turns them into what the set-up does, so the draft is kept and changed, never thrown away.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.core.dates.jptime import clock_in, numerals_to_digits, open_hour_in, parse_when, task_without
from bot.core.reminders.day_parts import part_of
from bot.core.understanding import Reading
from bot.core.understanding.textnorm import clean, normalize

_YES_WORDS = (
    "はい うん ok okay yes お願いします おねがいします 設定 設定する それで それでいい それでいいです"
    " それでお願いします それで大丈夫 それで大丈夫です 問題ない 問題ないです 問題なし よろしく"
    " よろしくお願いします よろしくです 設定して 設定で 設定お願い 設定お願いします それで設定 それで設定して ええ いいよ いいね オッケー おっけー 了解 りょうかい 了解です 👍 🙆 おけ りょ お願い おねがい"
    " 保存 保存で 保存して 保存します 保存お願い 保存お願いします 登録で 登録して 完璧 かんぺき ばっちり いいと思う いいと思います いいじゃん それでok どっちも保存 両方保存 両方お願い どっちもお願い"
)
_NO_WORDS = (
    "いいえ いや no やめる やめます キャンセル 中止 取り消し 設定しない いらない 要らない 不要"
    # 「それ消して」 at 「この内容で設定しますか？」: the draft on the screen, nothing stored.
    " それ消して それけして それは消して これ消して これけして 消して けして 消しといて 取り消して なしで やっぱなし やっぱりなし"
)
# Polite refusals and acceptances at once: 「大丈夫です」 answers 「設定しますか？」 either way.
_UNSURE_WORDS = "大丈夫 大丈夫です だいじょうぶ だいじょうぶです いいです 結構です けっこうです 結構 平気です"
YES = frozenset(normalize(w) for w in _YES_WORDS.split())
NO = frozenset(normalize(w) for w in _NO_WORDS.split())
UNSURE = frozenset(normalize(w) for w in _UNSURE_WORDS.split())
_LEADS = tuple(normalize(w) for w in ("はい", "うん", "ええ"))
# 「いいえ」 to a proposed moment: not that one (the set-up goes on); 「やめる」 leaves it (NO).
PLAIN_NO = frozenset(normalize(w) for w in "いいえ いや no ちがう 違う ちがいます 違います それじゃない".split())
# Thinking aloud at a confirmation: the question is asked again, the draft kept.
HESITATION = frozenset(
    normalize(w) for w in "えーと えっと えーっと うーん んー あの あのー やっぱり ちょっと待って まって".split()
)
# 「ちがう」 at a confirmation: something is to be changed, not the whole set-up dropped.
WRONG = frozenset(normalize(w) for w in "ちがう 違う ちがいます 違います だめ ダメ 違う日 間違い まちがい".split())

Answer = Literal["yes", "no", "unsure"]
# A fixed day: whether a phrase holds a date ("is there a date here?") never depends on the clock.
_ANY_NOW = datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


# 「CSVでちょうだい」 「一覧見せて」: a request of its own, however like a yes the reading finds it.
_ASKS_ELSE = re.compile(r"(?!ok)[a-z]{3,}|見せ|みせ|一覧|いちらん|記録|きろく|書き出|かきだ|教えて|おしえて")


def yes_no(key: str, reading: Reading, min_score: float) -> Answer | None:
    """A yes, a no or an unsure answer in ``key`` (a normalised text); None when it is none of them."""
    # 「たぶん大丈夫」 「まあいいよ」: a hedge before the answer does not change which answer it is.
    key = re.sub(r"^(?:たぶん|多分|まあ|まぁ|一応|いちおう|とりあえず)", "", key) or key
    # 「ok👍」 「はい🙏」: a sign after the word says nothing more.
    key = re.sub(r"[^\w]+$", "", key) or key
    for lead in _LEADS:
        # 「ええ、大丈夫です」 「はい、それで」: a yes word first settles what follows.
        if key.startswith(lead) and (key[len(lead) :] in YES | UNSURE or not key[len(lead) :]):
            return "yes"
    if key in YES or _DONT_STOP.search(key):
        return "yes"  # 「止めないで」 「消さんといて」: the draft is wanted after all, as shown
    if key in NO:
        return "no"
    if key in UNSURE:
        return "unsure"
    return _read_yes_no(key, reading, min_score)


def _read_yes_no(key: str, reading: Reading, min_score: float) -> Answer | None:
    """The reading's yes or no, when the words say nothing more (no other request, no value)."""
    top = reading.top
    if top.score < min_score:
        return None
    if top.intent == "yes" and not _ASKS_ELSE.search(key):
        return "yes"
    # 「来月はちゃんと来るよね？」: a question is no 「no」, whatever the reading hears in it.
    asked = _ASKED_BACK.search(key)
    return "no" if top.intent in ("no", "quit") and not _SAYS_MORE.search(key) and not asked else None


_DONT_STOP = re.compile(r"(?:止め|とめ|やめ|辞め|消さ|けさ|取り消さ|キャンセルし|削除し)(?:ない|ん)(?:で|とい|どい)")
_ASKED_BACK = re.compile(
    r"(?:よ[ねな]|かな|だ?っけ|でしょう?|[まで]すか|[るた]?の)$|いつ|何|なに|なん[でじ]|どこ|どう|どれ"
)


# A value or a thing named beside the 「no」 the reading hears (「土日はいらんわ」 「やっぱ1時間後でいい」
# 「カードはなくしてない」 「来週のだけスキップ」): a change or a fact, never the draft dropped by a guess.
_SAYS_MORE = re.compile(
    r"\d|[月火水木金土日]曜|土日|平日|毎日|毎週|明日|あした|明後日|今日|今夜|来週|再来週|今週|朝|昼|夜|夕方|時間|時刻|分|日前|前日|当日"
    r"|かーど|カード|返済|延滞|遅れ|内容|文言|タイトル|名前|すきっぷ|スキップ|飛ば|とば|休み|やすみ"
)


_NOT = re.compile(r"じゃなくて|じゃなく|ではなくて|ではなく|でなくて|でなく|じゃない")
_FILLER = re.compile(
    r"^(?:やっぱり|やっぱ|やはり|いや|いえ|あっ?|えっと|えーと|ごめん(?:なさい)?|すみません|すいません|ちがう|違う|ちがいます|違います|(?:リマインド|リマインダー|お知らせ|通知)(?:は|の時間は)|"
    r"間違えた|まちがえた|(?:さっきの|今の|いまの)?(?:は)?(?:間違い|まちがい)(?:で|です|でした)?|訂正|変更|時間|時刻|日時|日付|曜日|ようび|日にち|じゃあ|じゃ|それなら|なら"
    # 「お昼休みの12時半」: the moment named by what one does, before the time itself.
    r"|(?:お)?昼休み(?:の)?|仕事(?:終わり|帰り|前)(?:の)?|(?:その日|そのひ|同じ日|おなじひ)(?:の)?"
    # 「もうちょい遅く、0時」: which way it moves, said before the new value.
    r"|(?:もう)?(?:ちょい|ちょっと|少し|すこし)?(?:遅く|おそく|早く|はやく|遅め|早め)"
    # 「さっきのリマインダー、18時に」: the draft or reminder being talked about, named first.
    r"|(?:さっき|先ほど|さきほど|今|いま)の(?:リマインダー|リマインド|お知らせ|やつ|の)"
    # 「通知の時間を夜に」: what is changed, named first
    r"|(?:返済|へんさい|支払い|しはらい)?(?:の)?(?:通知|つうち|お知らせ|おしらせ|リマインダー|リマインド)(?:の)?(?:時間|時刻|じかん)?)"
    r"(?:を|は|も)?[、,。!！\s]*"
)
# What may stand beside a new value without being a new task: 「11時で」 「11時にして」 「11時がいい」.
_TAIL = re.compile(
    r"(?:で|に|を|が|は|へ|にして|にする|にします|に変更|に変えて|変更して|変えて|して|したい|変えたい|いい|がいい|お願い|"
    r"ずらして|ずらす|ずらしたい|ずらしといて|しといて|しておいて|にしといて|くらい|ぐらい|ごろ|頃|"
    r"変更|変更したい|変更で|直して|なおして|修正|修正して|いいや|いいよ|大丈夫|のまちがい|の間違い|まちがい|間違い|"
    r"お願いします|ください|下さい|です|だ|よ|ね|わ|な|や|で|かな|ほしい|欲しい|頼む|たのむ|だった|でした|[、。!！\s]"
    # 「10時半に言って」 「10時に教えてくれん？」: the reminder asked for at that time
    r"|言って|いって|言うて|いうて|言う|言|教えて|おしえて|知らせて|しらせて|くれん|くれへん|ちょうだい"
    # 「夜にできる？」: the change asked for as a question
    r"|できる|できます|できますか|できない|できません|[?？]|もらえる|もらえます|もらえますか|くれる|くれます|か"
    r"|合ってる|あってる|合ってます|あってます|正しい|ただしい|ええ|だけ|のみ"
    # 「22時で、今日から」: from now on is what a new time means anyway.
    r"|(?:今日|きょう|今夜|今週|今|いま)から)*"
)


# 「27日でした」 「返済日は27日」: a day of the month alone, with the words around it.
_MONTH_DAY = re.compile(
    r"(?:返済日|支払日|約定日)?(?:は|が)?\s*(?:毎月)?(\d{1,2})\s*日" + _TAIL.pattern + r"(?:が返済日)?"
)


# 「30分遅らせて」 「1時間早めて」 「15分後ろに」: the draft moved by so much.
_SHIFT = re.compile(
    r"(?P<n>\d{1,3})\s*(?P<unit>分|時間)\s*(?:(?P<late>遅らせ|遅く|おそく|後ろ|うしろ|あとに|後に|ずらし)|(?P<early>早め|早く|はやめ|はやく|前に|まえに))"
)
# 「午後で」 「夜にして」 / 「朝で」 「午前にして」 alone: the other half of the day.
_HALF = re.compile(r"(?:(?P<pm>午後|ごご|夜|よる|夕方|ゆうがた|pm)|(?P<am>午前|ごぜん|朝|あさ|am))" + _TAIL.pattern)
# 「電話じゃなくてメール」: a word of the task replaced by another.
SWAP = re.compile(
    r"(?P<old>[^、,\s]{1,20}?)(?:じゃなくて|ではなくて|じゃなく|ではなく|でなく)[、,\s]*(?P<new>[^、,。!！]{1,30})"
)


@dataclass(frozen=True, slots=True)
class Correction:
    """A new value given at a confirmation: a time of day alone, a whole moment, or days before."""

    clock: time | None = None  # 「11時で」: the draft's day at this time
    text: str = ""  # 「明後日の11時で」: a moment to read again (the correction's own words)
    days_before: int | None = None  # 「前日にして」: a repayment reminder's lead
    several: bool = False  # 「7日前と3日前と前日」: several leads said, the earliest kept
    day: int | None = None  # 「25日じゃなくて27日でした」: a repayment reminder's day of the month
    shift: timedelta | None = None  # 「30分遅らせて」 「1時間早めて」
    half: str = ""  # 「午後で」 ("pm") / 「朝で」 ("am"): the same hour in the other half of the day
    open_hour: bool = False  # 「2時」: an hour said without 午前/午後, either half of the day
    part: str = ""  # 「夕方がいい」: a part of the day (PARTS), its usual hour unless the draft is in it


_DAY_SHIFT = re.compile(
    r"(?P<n>\d{1,2})日(?:ほど)?(?:(?P<late>後ろ|うしろ|遅ら|おくら|先に|あとに|後に|延ば|のば)|(?P<early>前倒し|まえだおし|早め|はやめ|早く|はやく|前に))"
)


def _relative(body: str) -> Correction | None:
    """「30分遅らせて」 「1時間早めて」 「1日後ろにずらして」, or 「午後で」 「朝で」 alone."""
    days = _DAY_SHIFT.search(body)
    if days and (days["late"] or days["early"]):
        # 「2日前にして」 is also a lead (a repayment's days before); the kind takes the reading it has.
        lead = int(days["n"]) if days["early"] == "前に" else None
        return Correction(shift=timedelta(days=-int(days["n"]) if days["early"] else int(days["n"])), days_before=lead)
    shifted = _SHIFT.search(body)
    if shifted:
        amount = int(shifted["n"]) * (60 if shifted["unit"].startswith("時") else 1)
        return Correction(shift=timedelta(minutes=-amount if shifted["early"] else amount))
    if before := re.fullmatch(r"(\d{1,2})\s*(分|時間)(?:前|まえ)" + _TAIL.pattern, body):  # 「1時間前で」: of the draft
        return Correction(shift=-timedelta(minutes=int(before[1]) * (60 if before[2] == "時間" else 1)))
    half = _HALF.fullmatch(body)
    if half:
        word = half["am"] or half["pm"]
        part = part_of(word)
        return Correction(half="am" if half["am"] else "pm", part=part)
    return None


def _moment(body: str, clock: time | None, spans: list[tuple[int, int]]) -> Correction | None:
    """A time of day (the draft's day kept) or a whole moment, with nothing else that is a task."""
    rest = getattr(parse_when(body, _ANY_NOW), "rest", "")
    if rest and not _TAIL.fullmatch(rest):
        return None  # 「明日の8時に書類を探す」: a task of its own, so a new reminder
    if clock is not None:
        left = task_without(body, spans)
        if _TAIL.fullmatch(left):
            # Only a time of day: the draft keeps its day.
            return Correction(clock=clock, open_hour=open_hour_in(body))
        # With a date too, the whole moment is read again; with anything else it is no correction.
        return None if parse_when(left, _ANY_NOW) is None else Correction(text=body)
    parsed = parse_when(body, _ANY_NOW)
    if parsed is None or not _TAIL.fullmatch(getattr(parsed, "rest", "")):
        return None
    return Correction(text=body)


def correction(text: str) -> Correction | None:
    """The new value in a correction (「10時じゃなくて11時」, 「やっぱり前日で」); None when there is none
    or the text carries a task of its own (a new reminder, not a change)."""
    body = after_negation(numerals_to_digits(clean(text)))
    body = last_thought(body, "")[0]  # 「10時、いや11時」: the value said last
    # 「31日って大晦日か…じゃあ30日で」: the value comes in the last thought, after 「じゃあ」.
    body = (
        re.split(
            r"[。…!！?？]+|(?:じゃあ|それなら)[、,\s]*|(?<=[ぁ-ゖ一-龥ァ-ヶ])(?:w+|ｗ+|笑)\s+", body.strip("。…!！?？ ")
        )[-1]
        or body
    )
    while (stripped := _FILLER.sub("", body)) != body:
        body = stripped
    relative = _relative(body)
    if relative is not None:
        return relative
    # 「やっぱ当日の朝にして。7時」: a lead said in an earlier thought still holds beside the time.
    days = days_before_in(body)
    if days is None and body != text:
        days = days_before_in(after_negation(numerals_to_digits(clean(text))))
    clock, spans = clock_in(body)
    if days is not None:
        return Correction(clock=clock, days_before=days, several=len(leads_said(body)) > 1)
    day = _MONTH_DAY.fullmatch(body)
    if day and 1 <= int(day.group(1)) <= 31:
        return Correction(day=int(day.group(1)), text=body)
    return _moment(body, clock, spans)


def near_draft(draft: time, fixed: Correction) -> time | None:
    """The new time of day: an hour said without 午前/午後 (「2時」 to a 13:00 draft) is the one of its two
    readings nearer the draft's own (14:00); the afternoon when both are as near, for 1 to 6."""
    clock = fixed.clock
    if clock is None or not fixed.open_hour:
        return clock
    later = clock.replace(hour=clock.hour + 12)
    minutes = draft.hour * 60 + draft.minute

    def gap(t: time) -> int:
        d = abs(t.hour * 60 + t.minute - minutes)
        return min(d, 24 * 60 - d)

    if gap(later) < gap(clock) or (gap(later) == gap(clock) and clock.hour <= 6):
        return later
    return clock


def on_day_at(day: datetime, clock: time) -> datetime:
    """The draft's day at a new time of day; 「0時」 is the midnight that ends that day (「もうちょい遅く、
    0時」 for a 23:00 draft is the coming midnight, not the one already gone)."""
    moved = datetime.combine(day.date(), clock, day.tzinfo)
    return moved + timedelta(days=1) if clock == time(0) and day.time() > time(0) else moved


def after_negation(text: str) -> str:
    """「10時じゃなくて11時」 -> 「11時」: the new value comes after the negation."""
    return _NOT.split(text)[-1]


# Each lead said in a message (「7日前と3日前と前日」): one lead is kept, the earliest.
_EACH_LEAD = re.compile(
    r"(?P<week>1週間前|一週間前|いっしゅうかん前)|(?P<two>前々日|前前日|ぜんぜんじつ)|(?P<n>\d{1,2})\s*日\s*前|(?P<one>前日|ぜんじつ|前の日|まえのひ)"
)


def leads_said(text: str) -> list[int]:
    """Every lead said (「7日前と3日前と前日」 -> [7, 3, 1]), in order, each once."""
    found: list[int] = []
    for m in _EACH_LEAD.finditer(numerals_to_digits(clean(text))):
        days = 7 if m["week"] else 2 if m["two"] else 1 if m["one"] else int(m["n"])
        if days not in found:
            found.append(days)
    return found


def days_before_in(text: str) -> int | None:
    """How many days before the due day (「前日」 1, 「前々日」 2, 「3日前」 3); None when not said;
    the earliest of several (only one lead is kept: the read-back says so)."""
    several = leads_said(text)
    if len(several) > 1:
        return max(several)
    body = numerals_to_digits(clean(text))
    if re.search(r"当日(?:だけ|のみ)|とうじつ(?:だけ|のみ)|前もって(?:は)?(?:いらない|なし|不要)", body):
        return 0  # 「当日だけでいい」: no notice before the day
    if re.search(r"当日|とうじつ", body) and not re.search(r"当日も|とうじつも|前|まえ|週間", body):
        return 0  # 「当日の朝8時に」: the day itself, no lead said
    if any(w in body for w in ("1週間前", "一週間前", "いっしゅうかん前")):
        return 7
    if any(w in body for w in ("前々日", "前前日", "ぜんぜんじつ")):
        return 2
    if any(w in body for w in ("前日", "ぜんじつ", "前の日", "まえのひ")):
        return 1
    match = re.search(r"(\d{1,2})\s*日\s*前", body)
    return int(match.group(1)) if match else None


def is_wrong(key: str) -> bool:
    """「ちがう」 「日付がちがう」 at a confirmation: something is to be changed."""
    if key in WRONG:
        return True
    # 「日付がちがう」 「ちがう、時間が」: short, and starting or ending with the word.
    return len(key) <= 12 and any(key.startswith(w) or key.endswith(w) for w in WRONG if len(w) >= 2)


# 「口座振替」 「引き落とし」 「口フリ」: repaid automatically from a bank account (matched on the
# normalised text: katakana folded to hiragana). 「振替休日」 is a holiday, not a debit.
_DEBIT = re.compile(
    r"口座振り?替|口振|口ふり|こうふり|こうざふりかえ|自動振り?替|振り?替(?!休)|引き?落と|引落|ひきおと"
)
# A bank named as not the lender's own: 「地方銀行」 「信金」 「ゆうちょ」, or any other bank's name.
_OTHER_BANK = re.compile(
    r"地方銀行|地銀|ちぎん|地元の銀行|信用金庫|信金|しんきん|信用組合|信組|労働金庫|労金|ろうきん|ゆうちょ|郵便局"
    r"|農協|jaばんく|みずほ|三菱|ufj|りそな|楽天|住信|sbi|いおん銀行|そにー銀行|じぶん銀行|せぶん銀行|ろーそん銀行"
    r"|(?:ほか|他|別|違う|ちがう|それ以外)の(?:銀行|口座)|他行|銀行|ぎんこう|ばんく"
)
# An own bank denied: 「三井住友じゃない」 「三井住友銀行以外」.
_NOT_THIS = r".{0,4}?(?:以外|じゃな|ではな|でな|ちがう|違う)"

Debit = Literal["other", "own", "debit"]


def debit_in(text: str, own_words: Sequence[str], asked: bool = False) -> Debit | None:
    """What a message says of repaying by automatic debit (口座振替).

    "other": from a bank other than the lender's own (「口座振替で地方銀行から引き落とし」), so the due
    day is the fixed one; "own": from one of ``own_words`` (「三井住友銀行の口座振替」), so the day was
    chosen; "debit": a debit without the bank (「口座振替です」). None when it says nothing of one.
    ``asked``: the question about it is in front of the user, so a bank alone (「地銀です」) answers it.
    """
    key = normalize(text)
    debit = bool(_DEBIT.search(key))
    if not debit and not asked:
        return None
    owns = [w for w in (normalize(x) for x in own_words) if w]
    if any(re.search(re.escape(w) + _NOT_THIS, key) for w in owns):
        return "other"
    if any(w in key for w in owns):
        return "own"
    if _OTHER_BANK.search(key):
        return "other"
    return "debit" if debit else None


# 「取り消し」 「やめとく」 「キャンセルで」 「やっぱり全部消して」: the whole draft dropped, said plainly at any
# question of a set-up (matched on the normalised text; nothing else may stand beside the words).
_DROP = re.compile(
    r"(?:やっぱり?|やっぱ|やはり|もう|じゃあ|うーん|えっと|ごめん(?:なさい)?|すみません|すいません|あ)*"
    r"(?:(?:全部|ぜんぶ|これ|それ|今の|いまの|この設定|この内容|設定|お知らせ|りまいんだー)(?:は|を|も)?)?"
    r"(?:取り?消し?|とりけし|取り消す|取り消して|とりけして|きゃんせる|中止|やめ(?:とく|ときます|ておく|ておきます|る|ます|て|た|とこう)"
    r"|消して|けして|消しといて|なし|無し|いい(?:や|です)?|いらない|要らない|なかったことに)"
    r"(?:で|に|にして|します|して|しといて|でお願い(?:します)?|お願いします|です|ください|下さい|ね|よ)*"
)
# 「いい」 「なし」 alone may be a yes or a no to something else, and 「全部消して」 alone asks for the whole
# record to go (its own menu): the draft only with a word that takes back what was just said.
_DROP_NEEDS_LEAD = re.compile(r"(?:いい(?:や|です)?|なし|無し)(?:で|です)?|(?:全部|ぜんぶ).*")


_GOOD = re.compile(r"(?:まあ|うん|はい)?いい(?:よ|ね|と思|とおも|じゃん|んじゃ|感じ|かんじ)")


def drops_draft(key: str) -> bool:
    """True when ``key`` (a normalised text) drops the whole set-up: 「取り消し」 「やめとく」 「キャンセルで」
    「やっぱり全部消して」; 「金曜はなしで」 (a change of the draft) is not one."""
    key = re.sub(r"[^\w]+", "", key)
    if not key or not _DROP.fullmatch(key) or key in YES or _GOOD.match(key):
        return False  # 「いいよ」 「いいね」 「いいと思う」: a yes, not the draft dropped
    return not _DROP_NEEDS_LEAD.fullmatch(key)


def only_tail(words: str) -> bool:
    """True when ``words`` hold nothing but what may stand beside a new value (「で」 「にして」 「でお願い」)."""
    return bool(_TAIL.fullmatch(words))


# 「10時、いや11時」 「明日の7時…いや8時で」: the time said again in the same message.
_SAID_AGAIN = re.compile(
    r"[、,。.…\s]*(?:いや|いえ|じゃなくて|ではなくて|じゃなく|ではなく|でなくて|やっぱり?|やっぱ|訂正)(?:、|,|\s)*"
)


def last_thought(text: str, context: str) -> tuple[str, str]:
    """(the answer, what still holds of the phrase) when a message corrects itself: the words after
    the last 「いや」, with the day said before it (its hour dropped). Else the text and ``context``."""
    body = numerals_to_digits(clean(text))
    parts = _SAID_AGAIN.split(body)
    if len(parts) < 2 or not parts[-1].strip() or not "".join(parts[:-1]).strip():
        return text, context
    before = "".join(parts[:-1])
    _, spans = clock_in(before)
    kept = "".join(ch for i, ch in enumerate(before) if not any(s <= i < e for s, e in spans))
    kept = re.sub(r"(?:の|に|で|、|,|\s)+$", "", kept)
    return parts[-1], f"{context} {kept}".strip()
