"""The repayment day in a short answer (「27日です」 「末日」 「えっと…たぶん15日」)."""

from __future__ import annotations

import re

from bot.core.dates.jptime import numerals_to_digits
from bot.core.reminders.repayment import MONTH_END
from bot.core.understanding.textnorm import clean

_DAY = re.compile(r"(\d{1,2})\s*日?")
_INSTEAD = re.compile(r"じゃなくて|ではなくて|じゃなく|でなくて|っていうか|というか")
_MONTH_END_WORDS = ("末日", "月末", "末", "最終日", "まつじつ", "げつまつ")


def parse_day(text: str) -> int | None:
    """The day of the month in a short answer (「27日です」 「末日」), or in its last thought (「えっと、
    いつだっけ…たぶん15日」 「そうなんだ。じゃあ15日で」); None when there is none."""
    instead = _INSTEAD.split(text)
    meant = instead[-1].strip(" 、,") if len(instead) > 1 else ""
    day = (_day_answer(meant) or _one_day(meant)) if meant else None
    if day is not None:
        return day  # 「15日じゃなくて18日だった」: the day meant
    whole = _day_answer(text)
    if whole is not None:
        return whole
    parts = [p for p in re.split(r"[。…!！?？\n]+|\.{3}", text) if p.strip()]
    last = _day_answer(parts[-1]) if len(parts) > 1 else None
    return last if last is not None else _one_day(text)


def _one_day(text: str) -> int | None:
    """「毎月27日だったと思う」: the one day of the month in a short answer, whatever words are around it."""
    body = numerals_to_digits(clean(text))
    days = re.findall(r"(?<![\d.])(\d{1,2})\s*日(?!\s*(?:前|後|間|ごと|おき))", body)
    if len(body) > 30 or len(days) != 1 or len(re.findall(r"\d+", body)) > 1 + bool(re.search(r"\d+月", body)):
        return None
    day = int(days[0])
    return day if 1 <= day <= 31 else None


def _day_answer(text: str) -> int | None:
    body = numerals_to_digits(clean(text))
    # 「返済日は毎月27日です」: the day with the words people put around it.
    # 「じゃあ27日で」 「たぶん25日でお願いします」: a lead-in and a request around the day say nothing more.
    # 「私のは15日」 「うちは15日」: whose day it is, said first; 「日にちは…たしか」: what is said.
    lead = (
        r"(?:じゃあ|じゃ|では|なら|それなら|えっと|えーと|うーん|たぶん|多分|たしか|確か|えー|あー"
        r"|(?:私|わたし|僕|ぼく|俺|おれ|うち|自分|じぶん)(?:の)?(?:は|が)?|(?:返済日|へんさいび|支払日|約定日|日にち|ひにち)(?:は|が|:)?)"
    )
    body = re.sub(rf"^(?:{lead}[、,…\s.]*)+", "", body)
    body = re.sub(
        r"(?:です|でした|だよ|だ|かな|くらい|ぐらい|ごろ|頃|になります|でお願いします|でお願い|にして|にします|で|ね|よ|[。!！\s])+$",
        "",
        body,
    )
    if any(w in re.sub(r"年末|歳末|週末|期末", "", body) for w in _MONTH_END_WORDS):
        return MONTH_END  # 「末日」 「月末」, not the 末 of 「年末年始」
    match = _DAY.fullmatch(re.sub(r"^(?:毎月|まいつき|月々|つきづき)(?:の)?", "", body))
    if match and 1 <= int(match.group(1)) <= 31:
        return int(match.group(1))
    return None
