"""What a secret looks like on its own: a PIN, a card number, a token mixing letters and digits, a keyword with its value; the quick check for any of them (``looks_secret``) and undoing disguises (``reveal``)."""

from __future__ import annotations

import re

from bot.core.understanding.textnorm import clean, fold_kana

_KEYWORDS = (
    r"(?<![a-z])(?:暗証番号|暗証|あんしょうばんごう|アンショウバンゴウ|あんしょう|pin|ピン番号|ピン|パスワード|ぱすわーど|ぱすわど"
    r"|パスワ|password|passwd|pass|pw|パス(?!ポート)|ぱす(?!ぽーと)|web[-_ ]?id|ウェブid|webid|ログインid|id|会員番号"
    r"|カード番号|かーどばんごう)(?![a-z])"
)
_SEPARATOR = r"\s*(?:は|って|が|を|=|:|：|＝|→|->|is)?\s*"
# With a separator (は, :, =, is) any value; with none ("pin 4321", "PINtoo"), only one that holds a digit,
# so "forgot the PIN too" or "password for the app" stay ordinary talk.
_KEYWORD_VALUE = re.compile(
    _KEYWORDS
    + r"\s*(?:(?:は|って|=|:|：|＝|→|->)\s*[\"'「『]?([A-Za-z0-9!#$%&*+._@-]{3,})"
    + r"|\s*(?:が|を)?\s*[\"'「『]?(?=[A-Za-z!#$%&*+._@-]*\d)([A-Za-z0-9!#$%&*+._@-]{3,}))",
    re.IGNORECASE,
)
# The same keyword followed by digits written apart (1 2 3 4) or in kanji (一二三四).
_KEYWORD_DIGITS = re.compile(
    _KEYWORDS + _SEPARATOR + r"(?:\d[\s]*){4,}|" + _KEYWORDS + _SEPARATOR + r"[〇零一二三四五六七八九]{4,}",
    re.IGNORECASE,
)
# 4 to 8 digits inside a sentence ("明日10時に1234で試す") that are not a date, a time, a phone
# number or an amount: most likely a PIN.
_EMBEDDED_NUMBER = re.compile(
    r"(?<![\d/:\-])(?<!\d\.)\d{4,8}(?![\d/:.\-]|\s*(?:年|月|日|時|分|秒|円|回|件|万|千|人|歳|才|%|％|個|枚|ヶ|か月|カ月))"
)
# 10 to 16 digits, possibly grouped with spaces or hyphens: a card or account number.
_LONG_NUMBER = re.compile(r"(?<!\d)(?:\d[\s.-]?){9,15}\d(?!\d)")
# A Japanese phone number with hyphens (0120-12-3456) is not a secret.
_PHONE = re.compile(r"(?<!\d)0\d{1,4}-\d{1,4}-\d{3,4}(?!\d)")
# A whole message that is only 4 to 16 digits: most likely a PIN typed by mistake.
_ONLY_DIGITS = re.compile(r"\d{4,16}")
# A whole message that is one token mixing letters and digits: most likely a Web-ID or password.
_ONLY_TOKEN = re.compile(r"(?=[^\s]*[A-Za-z])(?=[^\s]*\d)[A-Za-z0-9!#$%&*+._@-]{6,64}")
# A time written with letters ("9:30pm", "10am") is the one letters-and-digits token that is no secret.
_CLOCK_TOKEN = re.compile(r"\d{1,2}(?::\d{2})?\s*(?:am|pm)", re.IGNORECASE)


# Digits spelled out, one word a digit (ななさんきゅうご, いち に さん よん, 七四〇二).
_DIGIT_WORDS = {
    "ぜろ": "0", "れい": "0", "まる": "0", "いち": "1", "に": "2", "さん": "3", "よん": "4", "し": "4", "ご": "5",
    "ろく": "6", "なな": "7", "しち": "7", "はち": "8", "きゅう": "9", "く": "9",
    "〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
}  # fmt: skip
_DIGIT_WORD = "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True))
_SPELLED_RUN = re.compile(rf"(?:(?:{_DIGIT_WORD})[\s、,.・\-ー〜~]*){{4,}}")
# A four-digit number in kanji with its units (七千四百二): a PIN said in words.
_KANJI_THOUSANDS = re.compile(
    r"[一二三四五六七八九]?千(?:[一二三四五六七八九]?百)?(?:[一二三四五六七八九]?十)?[一二三四五六七八九]?"
)
_KANJI_VALUES = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Single digits set apart by the same mark (7、4、0、6 / 7.4.0.6 / 7-4-0-6).
_SPACED_DIGITS = re.compile(r"(?<!\d)\d(?:(?:\s*[、,.・\-‐−]\s*|\s+)\d){3,}(?!\d)")
# A keyword, then a value of any script, at the end of the message ("パスワードは さくらもち").
_CREDENTIAL_VALUE = re.compile(
    _KEYWORDS
    + r"\s*(?:(?:は|って|=|:|：|＝|→|->|is)\s*)+[「『\"']?(?P<value>[^\s、。!?！？「」『』\"']{3,30})[」』\"']?"
    r"\s*(?:です|だよ|だ|でした|っす|なんだけど|だけど|です。|ね)?[。!！]?\s*$",
    re.IGNORECASE,
)
# A keyword, then a value said to be typed in ("パスワード、さくらもち って入れてる", "PW sakura123 で入力").
_CREDENTIAL_TYPED = re.compile(
    _KEYWORDS + r"\s*[、,\s]\s*[「『\"']?(?P<value>[^\s、。!?！？「」『』\"']{3,30}?)[」』\"']?\s*(?:って|と|で)\s*"
    r"(?:入れ|いれ|入力|にゅうりょく|打|う[っちた]|設定|せってい|登録|とうろく|して)",
    re.IGNORECASE,
)
# Words that follow a keyword in ordinary talk about it (忘れた, わからない, 違う, 8文字以上...).
_TALK_ABOUT = re.compile(
    r"^(?:忘|わす|分か|わか|覚|おぼ|思い|おも|違|ちが|間違|まちが|合っ|あっ|何|なに|なん(?:だ|でし|やっ|じゃ|の)|どっち|どの|変|かえ|教|おし|大丈夫|不明|ロック|ろっく"
    r"|入れ|いれ|正し|ただし|どこ|半角|全角|数字|英字|大文字|小文字|\d+文字|わから|知ら|しら|ない|無い|なし|同じ|おなじ|前の|まえの"
    r"|どう|どれ|いつ|設定|せってい|登録|とうろく|確認|かくにん|再設定|リセット|りせっと|必要|ひつよう|使え|つかえ|打て|うて"
    r"|incorrect|wrong|invalid|not|lost|forgotten|locked|expired|required|correct|reset|changed|the\b|my\b|too\b"
    r"|ちゃん|きちん|しっかり|いつも|毎回|まいかい|正確|せいかく|普通に|ふつうに"
    r"|again|either|different|case|mismatch|さっぱり|全然|ぜんぜん|まったく|全く|不明|ふめい|謎|なぞ)"
)


# A value that ends like a sentence is talk about the secret, not the secret ("…って電話で再設定できますか").
_SENTENCE_END = re.compile(
    r"(?:ます|ません|ますか|ませんか|か|ない|たい|ください|いい|ある|した|する|の|よね|かな|けど|よ|る|た|て|ね|っけ)$"
)
_TALK_WORDS = re.compile(r"電話|メール|ネット|再設定|変更|登録|確認|窓口|自動契約機|ロック|手続|番号|ばんごう|のこと")


def _is_value(value: str) -> bool:
    """True when what follows a credential keyword looks like the credential itself."""
    value = re.sub(r"(?:です|だよ|だった|でした|だ|っす|かも|ね|よ)+$", "", value) or value
    return not (_TALK_ABOUT.match(value) or _SENTENCE_END.search(value) or _TALK_WORDS.search(value))


def _kanji_number(text: str) -> int:
    total, current = 0, 0
    for ch in text:
        if ch in _KANJI_VALUES:
            current = _KANJI_VALUES[ch]
        else:
            total += (current or 1) * {"千": 1000, "百": 100, "十": 10}[ch]
            current = 0
    return total + current


def _spelled_digits(match: re.Match[str]) -> str:
    """A run of digit words as digits, when written in one script: 「〇〇さんに電話」 mixes kanji
    placeholders with kana words and spells no number."""
    words = re.findall(_DIGIT_WORD, match.group(0))
    if len({w in _KANJI_DIGIT_CHARS for w in words}) > 1:
        return match.group(0)
    return "".join(_DIGIT_WORDS[w] for w in words)


_KANJI_DIGIT_CHARS = frozenset("〇零一二三四五六七八九")
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
_KATAKANA = re.compile(r"[ァ-ヺ]")


def _mixed_kana(run: str) -> bool:
    """True when a run of digit words holds both hiragana and katakana (a name between particles)."""
    return bool(_HIRAGANA.search(run)) and bool(_KATAKANA.search(run))


def reveal(text: str) -> str:
    """The text with numbers written as words, spaced or hidden by invisible marks turned into digits.

    Only what the checks need: "ななさんきゅうご" -> "7395", "7、4、0、6" -> "7406", "七千四百二" -> "7402",
    "1\u00ad2\u00ad3\u00ad4" -> "1234", circled and full-width digits (NFKC) -> digits.
    """
    body = clean(text)
    kana = fold_kana(body)
    if len(kana) == len(body):
        # Judged on the text as written: a katakana name read as digit words between two 「に」
        # mixes hiragana and katakana, and spells no number.
        kana = _SPELLED_RUN.sub(
            lambda m: m.group(0) if _mixed_kana(body[m.start() : m.end()]) else _spelled_digits(m), kana
        )
    else:
        kana = _SPELLED_RUN.sub(_spelled_digits, kana)
    kana = _KANJI_THOUSANDS.sub(lambda m: str(_kanji_number(m.group(0))) if len(m.group(0)) > 1 else m.group(0), kana)
    return _SPACED_DIGITS.sub(lambda m: re.sub(r"\D", "", m.group(0)), kana)


def looks_secret(text: str) -> bool:
    """Return True when the text looks like it contains a PIN, card number, Web-ID or password."""
    body = clean(text)
    if not body:
        return False
    for pattern in (_CREDENTIAL_VALUE, _CREDENTIAL_TYPED):
        value = pattern.search(body)
        if value and _is_value(value.group("value")):
            return True
    revealed = reveal(body)
    return _digits_or_token(body) or (revealed != body and _digits_or_token(revealed))


def _digits_or_token(body: str) -> bool:
    if _KEYWORD_VALUE.search(body) or _KEYWORD_DIGITS.search(body):
        return True
    without_phones = _DATE_SHAPE.sub(" ", _PHONE_SHAPE.sub(" ", _PHONE.sub(" ", body)))
    if _LONG_NUMBER.search(without_phones) or _EMBEDDED_NUMBER.search(without_phones):
        return True
    compact = body.replace(" ", "")
    if _ONLY_DIGITS.fullmatch(compact) and not _PHONE_SHAPE.fullmatch(compact):
        return True
    return bool(_ONLY_TOKEN.fullmatch(body)) and not _CLOCK_TOKEN.fullmatch(body)


# ---------------------------------------------------------------------------------------------
# Redaction: the secret goes, the rest of the request stays.
#
# ``looks_secret`` answers "is there a secret somewhere?"; ``redact`` also says where, so that
# 「明日の10時にパスワード sakurako を変える」 can still become a reminder to
# 「パスワード（伏せました）を変える」. Detection runs on the prepared text (digit-like characters
# such as ➐, ٣, ㈤, Ⅳ and keycaps folded to ASCII digits, then NFKC); the spans found there are cut
# out of that same text. Anything ``looks_secret`` still sees but no rule could place is withheld
# whole: recall first.


# A Japanese phone number, with or without hyphens, or in the +81 form: not a secret.
_PHONE_SHAPE = re.compile(
    r"(?<!\d)(?:0\d{1,4}-\d{1,4}-\d{3,4}|0[5789]0\d{8}|0120\d{6}|0570\d{6}|0800\d{7}|0[1-9]\d{8}"
    r"|\+81[\s-]?\d{1,4}[\s-]?\d{1,4}[\s-]?\d{3,4})(?!\d)"
)
# Dates and times written with hyphens or dots (2025-11-30, 2026.12.05 23:59): not secrets either.
_DATE_SHAPE = re.compile(r"(?<!\d)(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}(?:\s+\d{1,2}:\d{2})?(?!\d)")


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
