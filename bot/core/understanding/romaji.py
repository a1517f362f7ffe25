"""Japanese typed in Latin letters ("rogin dekinai", "anshou bangou wasureta") read back as kana.

An exact, table-driven transliteration (Hepburn and Kunrei spellings). It is applied only when every
word of the message spells Japanese syllables; English ("I lost my card") has words that do not
("lost": no syllable ends in "s"), so it is left as it is.
"""

from __future__ import annotations

import re

_SYLLABLES = {
    "a": "あ", "i": "い", "u": "う", "e": "え", "o": "お",
    "ka": "か", "ki": "き", "ku": "く", "ke": "け", "ko": "こ", "ga": "が", "gi": "ぎ", "gu": "ぐ", "ge": "げ", "go": "ご",
    "sa": "さ", "shi": "し", "si": "し", "su": "す", "se": "せ", "so": "そ", "za": "ざ", "ji": "じ", "zi": "じ", "zu": "ず",
    "ze": "ぜ", "zo": "ぞ", "ta": "た", "chi": "ち", "ti": "ち", "tsu": "つ", "tu": "つ", "te": "て", "to": "と",
    "da": "だ", "di": "ぢ", "du": "づ", "de": "で", "do": "ど", "na": "な", "ni": "に", "nu": "ぬ", "ne": "ね", "no": "の",
    "ha": "は", "hi": "ひ", "fu": "ふ", "hu": "ふ", "he": "へ", "ho": "ほ", "ba": "ば", "bi": "び", "bu": "ぶ", "be": "べ",
    "bo": "ぼ", "pa": "ぱ", "pi": "ぴ", "pu": "ぷ", "pe": "ぺ", "po": "ぽ", "ma": "ま", "mi": "み", "mu": "む", "me": "め",
    "mo": "も", "ya": "や", "yu": "ゆ", "yo": "よ", "ra": "ら", "ri": "り", "ru": "る", "re": "れ", "ro": "ろ",
    "wa": "わ", "wo": "を", "n": "ん", "nn": "ん",
    "kya": "きゃ", "kyu": "きゅ", "kyo": "きょ", "gya": "ぎゃ", "gyu": "ぎゅ", "gyo": "ぎょ", "sha": "しゃ", "shu": "しゅ",
    "sho": "しょ", "sya": "しゃ", "syu": "しゅ", "syo": "しょ", "ja": "じゃ", "ju": "じゅ", "jo": "じょ", "cha": "ちゃ",
    "chu": "ちゅ", "cho": "ちょ", "nya": "にゃ", "nyu": "にゅ", "nyo": "にょ", "hya": "ひゃ", "hyu": "ひゅ", "hyo": "ひょ",
    "bya": "びゃ", "byu": "びゅ", "byo": "びょ", "pya": "ぴゃ", "pyu": "ぴゅ", "pyo": "ぴょ", "mya": "みゃ", "myu": "みゅ",
    "myo": "みょ", "rya": "りゃ", "ryu": "りゅ", "ryo": "りょ", "fa": "ふぁ", "fi": "ふぃ", "fe": "ふぇ", "fo": "ふぉ",
    "je": "じぇ", "che": "ちぇ", "she": "しぇ", "ti-": "てぃ",
}  # fmt: skip
_LONGEST = max(len(k) for k in _SYLLABLES)
_WORD = re.compile(r"[a-z]+|[^a-z]+")


def _word(word: str) -> str | None:
    """One word in kana, or None when it is not made of Japanese syllables."""
    out: list[str] = []
    i = 0
    while i < len(word):
        # A doubled consonant is a small っ ("kitte"); "n" before a consonant is ん.
        if i + 1 < len(word) and word[i] == word[i + 1] and word[i] not in "aiueon":
            out.append("っ")
            i += 1
            continue
        for size in range(min(_LONGEST, len(word) - i), 0, -1):
            part = word[i : i + size]
            if part in _SYLLABLES and not (part == "n" and i + 1 < len(word) and word[i + 1] in "aiueoy"):
                out.append(_SYLLABLES[part])
                i += size
                break
        else:
            return None
    return "".join(out)


# Short answers typed in Latin letters that are no English word: safe to read as Japanese.
_SHORT_ANSWERS = {"hai": "はい", "haai": "はーい", "iie": "いいえ", "iya": "いや", "uun": "ううん", "ee": "ええ"}


# English words people type beside Japanese in Latin letters (「login dekinai」 「password wasureta」):
# read as the loanwords they are, when every other word spells Japanese.
_LOANWORDS = {
    "login": "ろぐいん", "log": "ろぐ", "password": "ぱすわーど", "pass": "ぱす", "card": "かーど", "lock": "ろっく",
    "locked": "ろっく", "app": "あぷり", "error": "えらー", "mail": "めーる", "web": "うぇぶ", "pin": "ぴん",
}  # fmt: skip


def to_kana(text: str) -> str | None:
    """The text in hiragana when every Latin word in it spells Japanese syllables, else None."""
    lower = text.lower()
    words = re.findall(r"[a-z]+", lower)
    if len(words) == 1 and words[0] in _SHORT_ANSWERS and lower.strip(" !.?！？。") == words[0]:
        return _SHORT_ANSWERS[words[0]]  # 「hai」 typed on a keyboard left in Latin mode
    if len(words) < 2 and not (words and len(words[0]) >= 6):
        return None  # "ok", "help", one short word: not enough to tell
    out = []
    for piece in _WORD.findall(lower):
        if piece[0].isalpha() and piece.isascii():
            kana = _LOANWORDS.get(piece) or _word(piece)
            if kana is None:
                return None
            out.append(kana)
        else:
            out.append("" if piece.isspace() else piece)
    return "".join(out)
