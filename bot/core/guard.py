"""The secret-number guard: recognise messages that look like a PIN, card number, Web-ID or password.

Such a message must never be stored or logged (FACTS.md safety rules). The core checks every typed
text with :func:`looks_secret` before anything else and, on a hit, answers with a kind warning and
forgets the text.
"""

from __future__ import annotations

import re

from bot.core.textnorm import clean

# A keyword that names a secret, followed (after an optional particle or separator) by a value.
_KEYWORDS = (
    r"(?<![a-z])(?:暗証番号|暗証|あんしょうばんごう|アンショウバンゴウ|pin|ピン番号|パスワード|ぱすわーど|password|passwd|pass|pw"
    r"|パス(?!ポート)|web[-_ ]?id|ウェブid|webid|ログインid|会員番号|カード番号|かーどばんごう)(?![a-z])"
)
_SEPARATOR = r"\s*(?:は|って|が|を|=|:|：|＝|→|->|is)?\s*"
_KEYWORD_VALUE = re.compile(_KEYWORDS + _SEPARATOR + r"[\"'「『]?([A-Za-z0-9!#$%&*+._@-]{3,})", re.IGNORECASE)
# The same keyword followed by digits written apart (1 2 3 4) or in kanji (一二三四).
_KEYWORD_DIGITS = re.compile(
    _KEYWORDS + _SEPARATOR + r"(?:\d[\s]*){4,}|" + _KEYWORDS + _SEPARATOR + r"[〇零一二三四五六七八九]{4,}",
    re.IGNORECASE,
)
# 4 to 8 digits inside a sentence ("明日10時に1234で試す") that are not a date, a time, a phone
# number or an amount: most likely a PIN.
_EMBEDDED_NUMBER = re.compile(
    r"(?<![\d/:.\-])\d{4,8}(?![\d/:.\-]|\s*(?:年|月|日|時|分|秒|円|回|件|万|千|人|歳|才|%|％|個|枚|ヶ|か月|カ月))"
)
# 10 to 16 digits, possibly grouped with spaces or hyphens: a card or account number.
_LONG_NUMBER = re.compile(r"(?<!\d)(?:\d[\s-]?){9,15}\d(?!\d)")
# A Japanese phone number with hyphens (0120-24-0365) is not a secret.
_PHONE = re.compile(r"(?<!\d)0\d{1,4}-\d{1,4}-\d{3,4}(?!\d)")
# A whole message that is only 4 to 16 digits: most likely a PIN typed by mistake.
_ONLY_DIGITS = re.compile(r"\d{4,16}")
# A whole message that is one token mixing letters and digits: most likely a Web-ID or password.
_ONLY_TOKEN = re.compile(r"(?=[^\s]*[A-Za-z])(?=[^\s]*\d)[A-Za-z0-9!#$%&*+._@-]{6,64}")
# A time written with letters ("9:30pm", "10am") is the one letters-and-digits token that is no secret.
_CLOCK_TOKEN = re.compile(r"\d{1,2}(?::\d{2})?\s*(?:am|pm)", re.IGNORECASE)


def looks_secret(text: str) -> bool:
    """Return True when the text looks like it contains a PIN, card number, Web-ID or password."""
    body = clean(text)
    if not body:
        return False
    if _KEYWORD_VALUE.search(body) or _KEYWORD_DIGITS.search(body):
        return True
    without_phones = _PHONE.sub(" ", body)
    if _LONG_NUMBER.search(without_phones) or _EMBEDDED_NUMBER.search(without_phones):
        return True
    compact = body.replace(" ", "")
    if _ONLY_DIGITS.fullmatch(compact):
        return True
    return bool(_ONLY_TOKEN.fullmatch(body)) and not _CLOCK_TOKEN.fullmatch(body)
