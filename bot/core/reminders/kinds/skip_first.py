"""The first time of a repeating reminder skipped while it is set up: 「今週の土曜は休むから飛ばして」
「最初の1回はなしで」 「今週だけお休み」."""

from __future__ import annotations

import re

from bot.core.understanding.textnorm import normalize

SKIPPED_FIRST = "{day}の分は、お知らせしません。"

_SKIP_FIRST = re.compile(
    r"(?:今週|こんしゅう|来週|らいしゅう|今月|こんげつ|今度|こんど|今回|こんかい|最初|さいしょ|初回|しょかい|1回目|一回目|明日|あした|次)[^。]{0,18}"
    r"(?:休|やす|飛ば|とば|スキップ|すきっぷ|なし|無し|いらない|いりません|不要|抜き|ぬき|パス|ぱす)"
)
# 「その次からはいつも通り」 「来週から」: about the times after, not a skip by itself.
_NOT_A_SKIP = re.compile(
    r"(?:から|は)(?:は)?(?:いつも|普通|ふつう|通常)|休みじゃな|やすみじゃな|から(?:ずっと)?(?:休|やす)"
)


USUAL_AFTER = "はい、その次からは、いつもどおりお知らせします。"


def back_to_usual(text: str) -> bool:
    """「その次からはいつも通りね」: said after a skip, the times after it as usual (a yes to the draft)."""
    return bool(_NOT_A_SKIP.search(normalize(text)))


def skips_the_first(text: str) -> bool:
    """True when the words ask that the first time (this week's, the next one) not be sent."""
    key = normalize(text)
    return bool(_SKIP_FIRST.search(key)) and not _NOT_A_SKIP.search(key)
