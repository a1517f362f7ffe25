"""The secret-number guard: recognise messages that look like a PIN, card number, Web-ID or password.

Such a message must never be stored or logged (FACTS.md safety rules). The core checks every typed
text before anything else and, on a hit, answers with a kind warning and forgets the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.core.safety.shapes import (
    _CLOCK_TOKEN,
    _DATE_SHAPE,
    _EMBEDDED_NUMBER,
    _LONG_NUMBER,
    _PHONE_SHAPE,
    _SENTENCE_END,
    _SPACED_DIGITS,
    _is_value,
    _merge,
    looks_secret,
)
from bot.core.understanding.romaji import _word
from bot.core.understanding.textnorm import clean, fold_kana

# A keyword that names a secret (one list for every check below), followed by a value.
MARK = "（伏せました）"
_MARK_INNER = MARK[1:-1]

# Marks that only dress a character: keycaps, variation selectors, combining underlines and strokes.
_DRESSING = re.compile(r"[\ufe0e\ufe0f\u20e3\u0300-\u036f\u20d0-\u20ff]")
# Old-style kanji numerals (壱弐参), folded only in a run: 「参加」 keeps its kanji.
_DAIJI = {"壱": "1", "弐": "2", "参": "3", "肆": "4", "伍": "5", "陸": "6", "漆": "7", "捌": "8", "玖": "9", "零": "0"}
_DAIJI_RUN = re.compile(r"[壱弐参肆伍陸漆捌玖零]{3,}")


def _spaced(word: str) -> str:
    """A keyword as people space or stretch it (「パ ス ワ ー ド」, 「パスワ-ド」, 「ぱすわ〜ど」)."""
    return r"\s?".join("[ー\\-〜~]" if ch == "ー" else re.escape(ch) for ch in word)


_KW_JA = "|".join(
    [
        r"暗証番号|暗唱番号|暗証|あんしょうばんごう|あんしょう|ぴん(?:ばんごう|こーど|(?=[はがをもっ:=\s、]))",
        r"ピン(?:番号|コード|(?![ァ-ヺー]))",
        *(
            _spaced(w)
            for w in ("パスワード", "ぱすわーど", "パソワード", "パスコード", "ぱすこーど", "ぱすわど", "パスワド")
        ),
        r"パスワ(?![ァ-ヺ])|ぱすわ(?![ぁ-ゖ])",
        r"(?<![ァ-ヺー])パ\s?ス(?![ァ-ヺー])|(?<![ぁ-ゖー])ぱす(?=[はがをもっ:=\s、（(「])",
        r"ウェブ\s?(?:id|アイディー?)|うぇぶ\s?(?:id|あいでぃー?)|アイディー?|あいでぃー",
        r"ログイン\s?id|ユーザー?\s?id|会員番号|かいいんばんごう|カード(?:の)?番号|かーど(?:の)?ばんごう|口座番号",
    ]
)
_KW_EN = (
    r"(?<![a-z])(?:pin\s?code|pin|password|passwd|passcode|pass|pwd|pw|p\s?w|web[-_ ]?id|login\s?id|user\s?id|userid"
    r"|user(?:name)?|id|pasuwa-?do|pasuwaado|pasuwado)(?![a-z])"
)
_KW_RE = re.compile(f"(?:{_KW_EN})|(?:{_KW_JA})", re.IGNORECASE)
# Between a keyword and its value: spaces, particles, marks, and what script it is written in.
_GAP = re.compile(
    r"(?:\s|は|って|が|を|も|の|:|=|→|⇒|->|=>|←|!|\bis\b|\bwas\b|'s|、|,|とか|それ|確か|たしか|たぶん|多分"
    r"|(?:漢字|かんじ|半角カナ|半角かな|半角|全角|カタカナ|かたかな|ひらがな|英数字?|英語|ローマ字|数字)で){0,6}",
    re.IGNORECASE,
)
_OPEN = "「『（(【[\"'“‘<《〈⟨"
_BRACKETED = re.compile(r"[「『（(【\[\"'“‘<《〈⟨]([^」』）)】\]\"'”’>》〉⟩]{2,60})[」』）)】\]\"'”’>》〉⟩]")
# Digits, kanji digits among them, apart or together (「5八2七」, 「5ー8ー2ー7」, 「(1)(2)(3)(4)」).
_DIGIT_RUN = re.compile(r"[\d〇一二三四五六七八九](?:[\s\-.,・、()/ー_]*[\d〇一二三四五六七八九]){2,}")
_STRICT_DIGITS = re.compile(r"\d(?:[\s\-.,・、()/ー_]*[\d〇一二三四五六七八九]){2,}|[〇一二三四五六七八九]{4,}")
# A token in a script other than Japanese (letters, digits, symbols, look-alike letters): a password.
_TOKEN = re.compile(r"[^\s\u3000-\u30ff\u3400-\u9fff\uff00-\uffef、。,「」『』（）()\[\]【】<>《》〈〉⟨⟩\"'“”‘’]{3,64}")
_SPACED_LETTERS = re.compile(r"(?:[A-Za-z0-9]\s){3,}[A-Za-z0-9]")
_KANA_RUN = re.compile(r"[ぁ-ゖァ-ヺー]{3,30}")
_WORD_RUN = re.compile(r"[^\s、。,.!?！？「」『』（）()\[\]【】\"'“”‘’<>]{2,30}")
# What follows a value in a sentence (particles, copulas, verbs of typing): cut off the value's end.
_VALUE_TAIL = re.compile(
    r"(?:を|で|って|と|に|は|が|も|です|でした|だよ|だった|だ|かも|なんだけど|なんだ|だけど|なので|ね|よ|っす)+$"
)
# English words after "password" or "PIN" in talk about it, not values.
_ENGLISH_TALK = frozenset(
    "for the and or to of my your is was are be been reset change changed forgot forget forgotten wrong again please "
    "app login log code card number help not locked lock expired incorrect invalid correct same new old it this that "
    "here there what how when where why yes no ok okay with from by on in at too also remind me tomorrow today tonight "
    "later check still mismatch different case error screen page site field box over through online web via should "
    "could would can cant can't won't don't doesn't didn't isn't doesn down up three two one four five times twice "
    "guessed guess typed type entered enter tried try but so if because since before after when then than like just "
    "only even again anymore any some all every does do did has have had will shall may might must need needs "
    "work works working worked into onto out off about as an a i you we they he she him her them its our their "
    "bring brought use used using don't let lets set sent send show showed shown tell told say says said see "
    "isn aren wasn weren don doesn didn can won shouldn couldn wouldn haven hasn student".split()
)  # fmt: skip
# Kana words that follow a keyword in talk about it (folded to hiragana; romaji read as kana).
_KANA_TALK = re.compile(
    r"^(?:りせっと|ろっく|ろぐいん|えらー|あぷり|かーど|めーる|めあど|さいと|ぺーじ|ぼたん|まいぺーじ|わんたいむ|ちぇんじ|へんこう"
    r"|はいふん|すぺーす|くぎり|もじ|けた|ばんごう|ふぉーむ|にゅうりょく|らん"
    r"|なく|なん|たぶん|きっと|もう|まだ|ずっと|いつも|ちゃんと|やっぱり|やっぱ|なんか|なぜ|どうして|すら|さえ|だけ|まで|から"
    r"|とか|など|なんて|って|ほう|ほか|ほんと|たしか|もし|ぜったい|すでに|これ|それ|あれ|どれ|どっち|どちら|ここ|そこ|こと|もの"
    r"|ちょっと|すっかり|はっきり|ぜんぜん|まったく|さっぱり|しっかり|ぜんぶ|ふたつ|りょうほう|べつ|いっしょ|おなじ|じゃ|でんわ"
    r"|わから|わす|おぼ|おも|ちが|まちが|あっ|あわ|いれ|はいら|はいれ|つかえ|とお|うて|うった|うち|せってい|とうろく|かくにん"
    r"|さいせってい|ひつよう|おしえ|きか|きい|きく|しら|ない|なし|なかった|できな|できま|でき|ださ|だめ|むり|へん|かえ|きえ|とまっ"
    r"|よく|ほしい|いらない|なのか|どう|どこ|いつ|なに|なにか|なんで|けど|ので|のに|そのまま|まま|し$)"
)
_PARTICLES = "とのにでがをはもや"
_KANA_GAP = re.compile(r"\s*(?:は|って|:|=|→|⇒|->|=>|、)?\s*(?:(?:漢字|半角カナ|カタカナ|ひらがな)で)?\s*")
_EN_DIGITS = re.compile(r"(?:(?:zero|one|two|three|four|five|six|seven|eight|nine|oh)\b[\s,-]*){3,}", re.IGNORECASE)
_KANJI_AFTER_SCRIPT = re.compile(r".*(?:漢字|かんじ)で\s*([\u3400-\u9fff]{2,20})")
_OKURIGANA = re.compile(r"[\u3400-\u9fff][ぁ-ゖ]")
# Connects a value said before its keyword: 「sakura7 ってパスワード」, 「ⅤⅧⅡⅦ が暗証番号」.
_BEFORE_KW = re.compile(r"\s*(?:、\s*)?(?:っていう|という|って|が|は|←|=|:|の)\s*$")


def _prepare(text: str) -> str:
    """The text as redaction sees it: digit-like characters as digits, dressing marks dropped, NFKC."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        digit = unicodedata.digit(ch, None)
        value = unicodedata.numeric(ch, None) if digit is None else digit
        ideograph = "\u3400" <= ch <= "\u9fff" or ch == "〇"
        # ➐ ٣ ㈤ Ⅳ ⅳ: one digit each; kanji numerals stay kanji (「一度」 is no number).
        if value is not None and not ideograph and float(value).is_integer() and 0 <= value <= 9:
            out.append(str(int(value)))
        else:
            out.append(ch)
    body = clean(_DRESSING.sub("", "".join(out)))
    return _DAIJI_RUN.sub(lambda m: "".join(_DAIJI[c] for c in m.group(0)), body)


def _talk(value: str) -> bool:
    """True when what follows a keyword is talk about the secret, not the secret."""
    lower = value.lower().strip(".!?")
    if lower in _ENGLISH_TALK or _MARK_INNER in value or _KW_RE.search(value):
        return True  # 「IDとパスワードを入れても」: another keyword, not a value
    kana = _word(lower) if lower.isascii() and lower.isalpha() else None  # 「password wasureta」: romaji talk
    return bool(_KANA_TALK.match(kana or fold_kana(lower))) or not _is_value(value)


@dataclass(frozen=True, slots=True)
class _At:
    """Where a value may start: after a keyword and its gap, and how the two were joined."""

    body: str
    pos: int
    separated: bool  # は, って, :, = or an earlier value came between
    kana_ok: bool  # a kana value may follow (not after を, が, も or の)


_Span = tuple[int, int] | None
_GO_ON: tuple[int, int] = (-1, -1)  # this reader does not decide: the next one reads


def _one_value(body: str, pos: int, separated: bool, kana_ok: bool) -> _Span:
    """The span of one value starting at ``pos`` (after a keyword and its gap), or None.

    The readers go from the clearest shape to the loosest; the first that decides wins.
    """
    if pos >= len(body):
        return None
    at = _At(body, pos, separated, kana_ok)
    for read in (_spelled_value, _digit_value, _bracketed_value, _spaced_value, _token_value, _kana_value):
        found = read(at)
        if found != _GO_ON:
            return found
    return _word_value(at)


def _spelled_value(at: _At) -> _Span:
    spelled = _EN_DIGITS.match(at.body, at.pos)
    return spelled.span() if spelled else _GO_ON


def _digit_value(at: _At) -> _Span:
    digits = _DIGIT_RUN.match(at.body, at.pos)
    if digits and (_STRICT_DIGITS.fullmatch(digits.group(0)) or at.separated):
        return digits.span()
    return _GO_ON


def _bracketed_value(at: _At) -> _Span:
    if at.body[at.pos] not in _OPEN:
        return _GO_ON
    match = _BRACKETED.match(at.body, at.pos)
    return match.span(1) if match and not _talk(match.group(1)) else None


def _spaced_value(at: _At) -> _Span:
    spaced = _SPACED_LETTERS.match(at.body, at.pos)
    return spaced.span() if spaced else _GO_ON


def _token_value(at: _At) -> _Span:
    token = _TOKEN.match(at.body, at.pos)
    if not token:
        return _GO_ON
    value = token.group(0).rstrip(".?!-")
    return (at.pos, at.pos + len(value)) if value and not _talk(value) else None


def _kana_value(at: _At) -> _Span:
    if not at.kana_ok:
        return None  # 「パスワードの変更」 「暗証番号もちょっと」: after の, を, が, も only a token is a value
    kana = _KANA_RUN.match(at.body, at.pos)
    if not kana or kana.group(0)[0] in _PARTICLES:
        return _GO_ON
    value = _VALUE_TAIL.sub("", kana.group(0)) or kana.group(0)
    if len(value) >= 3 and not _talk(value) and not _talk(kana.group(0)):
        return at.pos, at.pos + len(value)
    return None


def _word_value(at: _At) -> _Span:
    """After は / : / =, a word in kanji (「漢字で青空三丁目」) or any word that is not talk about the secret."""
    if not at.separated:
        return None
    body, pos = at.body, at.pos
    kanji = _KANJI_AFTER_SCRIPT.match(body[:pos][-4:] + body[pos:])
    if kanji:  # 「パスワードは漢字で青空三丁目にしてた」
        return pos, pos + len(kanji.group(1))
    # 「IDは山田太郎です」: a word after は / : / = that is not a phrase about the secret.
    word = _WORD_RUN.match(body, pos)
    if word:
        value = _VALUE_TAIL.sub("", word.group(0)) or word.group(0)
        if len(value) >= 2 and not _talk(value) and not _OKURIGANA.search(value):
            return pos, pos + len(value)
    return None


def _values_after(body: str, start: int) -> list[tuple[int, int]]:
    """The values right after a keyword ending at ``start`` (「ID a / PW b」: a chain of them)."""
    spans: list[tuple[int, int]] = []
    gap = _GAP.match(body, start)
    pos = gap.end() if gap else start
    between = body[start:pos]
    separated = bool(re.search(r"[は:=→⇒>←!]|って|\bis\b|\bwas\b", between, re.IGNORECASE))
    # A kana value only right after the keyword or after は / って / : / =, never after を, が, も or の.
    kana_ok = bool(_KANA_GAP.fullmatch(between))
    # 「パスワードで合ってる」 leaves no room for a value that 「で」 would start.
    for _ in range(3):
        span = _one_value(body, pos, separated or bool(spans), kana_ok)
        if span is None:
            break
        spans.append(span)
        end = span[1] + (1 if span[1] < len(body) and body[span[1]] in "」』）)】]\"'”’>》〉⟩" else 0)
        link = re.match(r"\s*(?:[/／,、・]|と|and)\s*", body[end:]) or re.match(
            r"\s*(?=[「『（(【\"'“‘《〈⟨])", body[end:]
        )
        if link is None:
            break
        pos = end + link.end()
    return spans


_CLOSE = tuple("」』）)】\"'”’》〉⟩")


def _values_before(body: str, kw_start: int) -> list[tuple[int, int]]:
    """A value said before its keyword: 「sakura7 ってパスワード」, 「「ほしのすな」がパスワード」."""
    head = body[:kw_start]
    link = _BEFORE_KW.search(head)
    if link is None and not head.endswith(("←", " ")):
        return []
    loose = link is None or link.group(0).strip() in ("の", "")  # only a space or の: a token must hold a digit
    left = head[: link.start() if link else len(head.rstrip("← "))]
    if left.endswith(_CLOSE):
        match = re.search(r"[「『（(【\"'“‘《〈⟨]([^「『（(【\"'“‘《〈⟨]{2,60})[」』）)】\"'”’》〉⟩]$", left)
        return [match.span(1)] if match and not _talk(match.group(1)) else []
    for pattern in (_STRICT_DIGITS, _TOKEN, _KANA_RUN):
        match = next(iter(reversed(list(pattern.finditer(left)))), None)
        if match is not None and match.end() == len(left) and _stands_before(match, left, loose, pattern is _KANA_RUN):
            return [match.span()]
    return []


def _stands_before(match: re.Match[str], left: str, loose: bool, kana: bool) -> bool:
    """A value right before its keyword: alone (not the okurigana of 「決めたはず」), not talk, and
    joined by って / が / は (a kana value) or holding a digit (after only a space or の)."""
    value = match.group(0)
    alone = match.start() == 0 or not re.match(r"[\u3400-\u9fffぁ-ゖァ-ヺ]", left[match.start() - 1])
    kana_ok = not kana or (len(value) >= 4 and alone and not loose and not _KANA_TALK.match(fold_kana(value)))
    needs_digit = loose and not re.search(r"[\d_@#$%&*+.=]", value)
    return kana_ok and not needs_digit and alone and not _talk(value) and not _english_talk_word(value)


def _english_talk_word(value: str) -> bool:
    """An English word before a keyword (「new パスワード」) is talk, not a value."""
    return value.isalpha() and value.isascii() and value.lower() in _ENGLISH_TALK


def phone_numbers(text: str) -> list[str]:
    """The Japanese phone numbers in a text, digits only (「0120-12-3456」 -> 「0120123456」)."""
    return [re.sub(r"\D", "", m.group(0)) for m in _PHONE_SHAPE.finditer(_prepare(text))]


def _number_spans(body: str) -> list[tuple[int, int]]:
    """Bare numbers that are most likely a PIN or a card number (not a phone number, date or amount)."""
    kept = [m.span() for m in _PHONE_SHAPE.finditer(body)] + [m.span() for m in _DATE_SHAPE.finditer(body)]
    spans = []
    for pattern in (_LONG_NUMBER, _EMBEDDED_NUMBER, _SPACED_DIGITS):
        for match in pattern.finditer(body):
            start, end = match.span()
            if not any(a <= start and end <= b for a, b in kept):
                spans.append((start, end))
    return spans


@dataclass(frozen=True, slots=True)
class Redaction:
    """A text with its secrets replaced by :data:`MARK`.

    ``found``: something was hidden; ``whole``: a secret could not be placed, so nothing of the
    text may be kept (``text`` is then empty).
    """

    text: str
    found: bool
    whole: bool = False


def secret_spans(body: str) -> list[tuple[int, int]]:
    """Where the secrets are in a prepared text (a keyword's value, a PIN, a card number)."""
    spans: list[tuple[int, int]] = []
    for match in _KW_RE.finditer(body):
        spans += _values_after(body, match.end())
        spans += _values_before(body, match.start())
    if spans or _KW_RE.search(body):
        # Beside a credential word, any token mixing letters and digits is most likely one, wherever it sits.
        spans += [m.span() for m in _MIXED_TOKEN.finditer(body) if not _CLOCK_TOKEN.fullmatch(m.group(0))]
    spans += _number_spans(body)
    return _merge([s for s in spans if s[1] > s[0]])


_MIXED_TOKEN = re.compile(
    r"(?<![A-Za-z0-9_.@-])(?=[A-Za-z0-9_.@#$%&*+-]*[A-Za-z])(?=[A-Za-z0-9_.@#$%&*+-]*\d)[A-Za-z0-9_.@#$%&*+-]{5,64}"
)
# A message that is one token once emoji and symbols are set aside (「🔑 Kujira9」).
_SYMBOLS = re.compile(r"[^\w\s]", re.UNICODE)


def redact(text: str) -> Redaction:
    """The text with every secret replaced by :data:`MARK` (a text without one comes back as it was)."""
    body = _prepare(text)
    if not body:
        return Redaction(text, False)
    spans = secret_spans(body)
    parts, last = [], 0
    for start, end in spans:
        parts += [body[last:start], MARK]
        last = end
    parts.append(body[last:])
    redacted = "".join(parts)
    # What the rules could not place but the broader check still sees: nothing of it is kept.
    # A keyword whose value is already hidden is no longer a clue: 「暗証番号は（伏せました）にしてた」.
    hidden = f"(?:{re.escape(MARK)}|{re.escape(clean(MARK))})"
    rest = re.sub(f"(?:{_KW_JA}|{_KW_EN})?" + r"[\s:=は、が]*" + hidden, " ", redacted, flags=re.IGNORECASE)
    bare = " ".join(_SYMBOLS.sub(" ", rest).split())
    if looks_secret(rest) or (bare != rest.strip() and bare and looks_secret(bare) and " " not in bare):
        return Redaction("", True, whole=True)
    if not spans:
        # A text a door already redacted still says so: the warning is given where it is answered.
        return Redaction(text, clean(MARK) in body)
    return Redaction(redacted, True)


def ends_with_keyword(text: str) -> bool:
    """「パスワードは」 「PIN:」: a message that stops where a value would start (the next one may be it)."""
    body = _prepare(text).rstrip("。.!！ 　↓")
    last = next(iter(reversed(list(_KW_RE.finditer(body)))), None)
    if last is None:
        return False
    tail = body[last.end() :]
    return bool(re.fullmatch(r"\s*(?:は|って|:|=|→|->|is|を|、)?\s*(?:これ|こちら|以下|次)?(?:です|だよ|:)?\s*", tail))


def looks_like_value(text: str) -> bool:
    """A whole message that could be the value a previous message announced (one short token)."""
    body = _prepare(text).strip("「」『』\"' 。")
    if not body or len(body) > 40 or re.search(r"\s", body):
        return False
    return len(body) >= 3 and not _talk(body) and not _SENTENCE_END.search(body)


_FILLER = re.compile(
    # 「ちなみに…です」 「…にしとく」 「一応…」: asides around a value, no request of their own (longest first).
    r"(?:ちなみに|一応|いちおう|念のため|ねんのため|えっと|あの|にしとく|にしてる|にした|にします|にする|にしよう|"
    r"は|が|を|って|も|と|で|に|の|です|でした|だよ|だ|ね|よ|かな|かも|だった|なんだけど|だけど|my|is|was|:|=|→|、|。|,|\.|!|！|\?|？|\s"
    r"|私|わたし|僕|ぼく|俺|おれ|自分|じぶん|カード|かーど|ｶｰﾄﾞ|番号|ばんごう|これ|それ|こちら|number|card|the|this|these|are)+",
    re.IGNORECASE,
)


def nothing_else(text: str) -> bool:
    """True when a redacted text holds only the hidden value, its keyword and particles (no request)."""
    rest = _KW_RE.sub(" ", text.replace(MARK, " ").replace(clean(MARK), " "))
    return len(_FILLER.sub("", rest)) < 2
