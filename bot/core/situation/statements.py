"""Facts about oneself said in a sentence (「返済日は10日。今は遅れてないよ」), read so they can be kept.

Only what the situation has a field for is read, and only when it is said as a fact: a request
(「10日にリマインドして」) belongs to the reminders, a question (「返済日は10日だっけ？」) is not a fact.
The patterns read the matching key (NFKC, hiragana, no spaces or punctuation; see textnorm).
"""

from __future__ import annotations

import re
from typing import Any

from bot.core.reminders.repayment import NOT_LATE

MONTH_END = 31

# The day of the month named as the repayment day: 「返済日は10日」 「10日が支払日」 「毎月10日払い」.
_DAY_NAMES = r"(?:返済日|へんさいび|支払日|支払い日|しはらいび|引き落とし日|引落日|約定日|返しの日|返す日|かえすひ|払う日|はらうひ)"
_DUE_DAY = (
    re.compile(_DAY_NAMES + r"(?:は|が|って|も|の)?(?:毎月)?(\d{1,2})日(?![後前間ご])"),
    re.compile(
        r"毎月(\d{1,2})日(?:が|に|の)?(?:返済|へんさい|支払|しはらい|払い|払っ|払う|はらっ|はらう|引き落と|ひきおと)"
    ),
    re.compile(r"(?<!\d)(\d{1,2})日(?:が|に)?" + _DAY_NAMES),
    # 「25日返済」 「10日払い」 (not 「12月25日に返済」: a date, not the day of every month)
    re.compile(r"(?<![\d月])(\d{1,2})日(?:が|に)?(?:返済|へんさい|支払|しはらい|払い|はらい|引き落と|ひきおと)"),
)
_DUE_MONTH_END = re.compile(
    _DAY_NAMES + r"(?:は|が|って)?(?:毎月)?(?:月末|末日|げつまつ|まつじつ)"
    r"|(?:月末|末日)(?:が|に)?(?:返済|支払|払い|引き落と)"
)
# 「延滞してる」 「返済が遅れてる」: late now (the urgent answer is the repayment stage's).
_LATE = re.compile(
    r"(?:延滞|えんたい|滞納|たいのう)(?:して(?:る|います|ます)|中|しちゃ)"
    r"|(?:返済|へんさい|支払い?|しはらい)(?:が|を|も)?(?:遅れて|おくれて)(?:る|います|ます)"
    # 「もう2ヶ月払えてない」: months unpaid
    r"|(?:\d+|何|なん)\s*(?:ヶ月|ゖ月|か月|カ月|ヵ月|ゕ月|かげつ)(?:も|くらい|ぐらい)?(?:払え|はらえ|返せ|かえせ|払っ|はらっ|返済でき|へんさいでき)て(?:い)?(?:ない|ません)"
)
# 「延滞かも」 「遅れそう」 「来月遅れるかもしれない」: a lateness feared or to come, not one that is.
_MAYBE_LATE = re.compile(
    r"(?:延滞|えんたい|滞納|たいのう|遅れ|おくれ|遅延|払い忘れ|はらいわすれ)[^。]{0,8}?(?:かも|かな|と思う|とおもう|気がする|きがする)"
    r"|(?:遅れ|おくれ)(?:る|ます|そう|ちゃう|ちゃいそう|てしまいそう)"
    r"|(?:延滞|えんたい|滞納|たいのう)(?:する|します|しそう|しちゃう|しちゃいそう|になる|になりそう|になります)"
    r"|(?:間に合わ|まにあわ|払え|はらえ|返せ|かえせ)(?:な|ませ)[^。]{0,4}?(?:かも|そう)"
    r"|(?:間に合い|まにあい)(?:そうに|そうも)(?:ない|ありません)"
)
# A request or a question: not a statement of facts (the reminders or the answer go first).
_REQUEST = re.compile(
    r"りまいんど|りまいんだー|知らせ|しらせ|通知|つうち|あらーむ|教えて|おしえて|忘れないよう|わすれないよう"
    r"|設定|せってい|(?<!期)日前|前日|連絡して|送って|くれ(?:る|ない|ます)|ほしい|欲しい|お願い|おねがい|頼む|たのむ"
)
# 「返済日27じゃなくて26だった」: the day meant, after the one denied.
_DUE_FIXED = re.compile(
    _DAY_NAMES
    + r"(?:は|が|って)?(?:\d{1,2})日?(?:じゃなくて|じゃなく|ではなくて|ではなく|でなくて|やなくて)(\d{1,2})日?"
)
# 「カードは持ってる」 「カードは家に置いてある」: the card is not lost (said of it, not of logging in).
_CARD_HERE = re.compile(
    r"(?:かーど|カード)(?:は|も)?(?:ちゃんと)?(?:持って|もって|手元|てもと|家|いえ|財布|さいふ|かばん|カバン)[^、。,]{0,8}?"
    r"(?:る|ます|ある|あります|います)"
    r"|(?:かーど|カード)(?:は|も)?(?:あり|有り|ある)(?!が|と)"  # 「延滞なし、カードあり」
)
# 「返済日の25日だけ覚えて」: a request to keep a fact is a statement of it.
_KEEP_IT = re.compile(
    r"覚えて|おぼえて|記録して|きろくして|メモして|めもして|覚えといて|おぼえといて|記録しと|きろくしと|メモしと|めもしと"
    r"|記録しておいて|残しといて|のこしといて|残しておいて"
)
_QUESTION = re.compile(r"[?？]|(?:っけ|かな|ですか|ますか|でしょうか)[。…!！\s]*$")


def stated_facts(key: str) -> dict[str, Any]:
    """The situation fields a sentence states (``key`` as normalized); empty when it states none."""
    facts: dict[str, Any] = {}
    if _CARD_HERE.search(key):
        facts["card_lost"] = False
    day = _due_day(key)
    if day is not None:
        facts["due_day"] = day
    if NOT_LATE.search(key):
        facts["overdue"] = False
    elif _LATE.search(key) and not maybe_late(key):
        facts["overdue"] = True
    return facts


def maybe_late(key: str) -> bool:
    """True when a lateness is only feared or to come (「延滞かも」 「来月遅れそう」): not kept as late."""
    return bool(_MAYBE_LATE.search(key))


# 「〇〇、毎月27日、延滞なし」: a day of every month told beside the lateness is the repayment day.
_EVERY_MONTH_BESIDE_LATENESS = re.compile(
    r"毎月(\d{1,2})日(?=.*(?:延滞|えんたい|遅れ|おくれ|滞納))|(?:延滞|えんたい|遅れ|おくれ|滞納).*毎月(\d{1,2})日"
)


def _due_day(key: str) -> int | None:
    beside = _EVERY_MONTH_BESIDE_LATENESS.search(key)
    if beside and not _REQUEST.search(key) and 1 <= int(beside.group(1) or beside.group(2)) <= MONTH_END:
        return int(beside.group(1) or beside.group(2))
    fixed = _DUE_FIXED.search(key)
    if fixed and 1 <= int(fixed.group(1)) <= MONTH_END:
        return int(fixed.group(1))
    if _DUE_MONTH_END.search(key):
        return MONTH_END
    for pattern in _DUE_DAY:
        match = pattern.search(key)
        if match and 1 <= int(match.group(1)) <= MONTH_END:
            return int(match.group(1))
    return None


def only_states(text: str, key: str) -> bool:
    """True when the message tells rather than asks: no request (but 「覚えて」), no question."""
    return (keeps(key) or not _REQUEST.search(key)) and not _QUESTION.search(text.strip())


def keeps(key: str) -> bool:
    """True when the message asks the bot to keep what it says (「25日だけ覚えて」)."""
    return bool(_KEEP_IT.search(key))


def corrects(key: str) -> bool:
    """True when the message corrects a day said before (「27じゃなくて26だった」)."""
    return bool(_DUE_FIXED.search(key))


def without_card_words(key: str) -> str:
    """The key without what it says of the card being at hand (that is a fact, not a login problem)."""
    return _CARD_HERE.sub("", key)
