"""A new text for a reminder said in words: 「薬のやつ、サプリに名前変えて」, 「内容を「返済額の確認」に
変えて」, or at a confirmation a quoted text alone (「じゃあ「電話する」で」).

Only the words of the new text are read here; which reminder is meant is :mod:`.refs`' (from the
rest of the sentence), and what a kind keeps of it is the kind's (:meth:`Kind.renamed`).
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.dates.jptime import parse_when
from bot.core.understanding.textnorm import clean

_NAME = r"(?:名前|なまえ|内容|ないよう|タイトル|中身|なかみ|文言|もんごん|用件|件名|表示|メッセージ)"
_VERB = r"(?:変え|かえ|変更|へんこう|直し|なおし|書き換え|書きかえ|かきかえ|して|する|しといて|しておいて)"
_TITLE = (
    # 「内容を「返済額の確認」に変えて」 「名前はサプリにして」
    _NAME
    + r"(?:を|は|も)?[、,\s]*[「『\"]?(?P<a>[^「」『』\"、,]{1,40}?)[」』\"]?\s*(?:に|へ|って|と)"
    + _VERB
    # 「「返済額の確認」に変えて」 「「サプリ」って名前にして」
    + r"|[「『](?P<b>[^「」『』]{1,40})[」』]\s*(?:に|へ|って|と)?(?:いう)?(?:"
    + _NAME
    + r"(?:を|に)?)?"
    + _VERB
    # 「サプリに名前変えて」 「サプリって内容にして」
    + r"|(?P<c>[^「」『』、,\s]{1,20}?)(?:に|って|と)(?:いう)?"
    + _NAME
    + r"(?:を|に)?"
    + _VERB
)
_TITLE_SAID = re.compile(_TITLE)
# 「じゃあ「電話する」で」: a quoted text alone (read where a draft's text can change).
_QUOTED_ONLY = re.compile(
    r"^(?:じゃあ|じゃ|では|それなら|なら|やっぱり|やっぱ)?[、,\s]*[「『](?P<t>[^「」『』]{1,40})[」』]\s*"
    r"(?:で|に|にして|に変えて|でお願い(?:します)?|でおねがい|で頼む|でいい|に変更)?[。.!！]*$"
)
# Whether the words hold a time does not depend on the day they are read (a fixed day, as elsewhere).
_ANY_NOW = datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def title_said(text: str) -> tuple[str, str] | None:
    """(the new text, the rest of the sentence) when the message renames a reminder; None otherwise.

    A time is never a text (「内容を明日に変えて」 moves it: not read here)."""
    body = clean(text)
    found = _TITLE_SAID.search(body)
    if found is None:
        return None
    title = next(g for g in (found["a"], found["b"], found["c"]) if g).strip()
    if not title or parse_when(title, _ANY_NOW) is not None:
        return None
    return title[:100], (body[: found.start()] + body[found.end() :]).strip("、, ")


def quoted_only(text: str) -> str | None:
    """The text of 「じゃあ「電話する」で」: a quoted text said alone; None otherwise."""
    found = _QUOTED_ONLY.match(clean(text).strip())
    if found is None or parse_when(found["t"], _ANY_NOW) is not None:
        return None
    return found["t"].strip()[:100] or None
