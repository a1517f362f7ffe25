"""What a message asks to be reminded of, once its time words are taken out (「明日10時に電話する」 ->
「電話する」).

The task keeps whole words: a particle is only taken off an edge when it stands alone (「にもう1回」
keeps 「もう」), and what is left when only particles and fillers remain (「ってことね」 「のも」) is no
task at all, so the set-up asks for one instead of inventing a title.
"""

from __future__ import annotations

import re

_LEAD_IN = re.compile(
    r"^[\s、,]*(?:(?:じゃあ|じゃ|では|それじゃあ?|それでは|それなら|そしたら|なら|あと|えっと|えーと|うーん|やっぱり?|やっぱ"
    r"|それより|そういえば|それはそうと|ところで|そうだ|そうそう"
    r"|とりあえず|ちなみに|あっ|あ、|よし|うん|はい|ついでに|それと|あとは|その前に|そのまえに|代わりに|かわりに"
    # 「ちょ待って、その前に」 「ほんで」 「〈明日〉でいいから」: leading in, in speech
    r"|ちょ(?:っと)?待って|ちょ(?:っと)?まって|ほな|ほんなら|ほんで|ほんじゃ|(?:で|の方が|のほうが)?(?:いい|ええ)(?:から|ので))[\s、,!！]*)+"
)
# The particles between the time and the task (「明日の10時には」 「10時にも」). は and も only
# when they end there: before more kana they begin a word (「にもう1回」, 「にはらう」 is rare).
_PARTICLES_AFTER_TIME = re.compile(
    r"^[\s、,]*(?:すぎ|過ぎ)?(?:ごろ|頃|くらい|ぐらい)?[\s、,]*(?:[ねよ](?=[\s、,]))?[\s、,]*(?:の[\s、,]*)*(?:[はと][\s、,]*)?"
    r"(?:(?:までに|まで|には|での|に|で|の|は)(?:(?:は|も)(?![ぁ-ゖ]))?)?[\s、,]*"
)
# The request itself: 「リマインドして」 「お知らせください」 「思い出させて」.
_ASK = (
    r"(?:リマインド(?:して|しといて|しておいて|できる|できます)?|リマインダー(?:を)?(?:入れて|いれて|作って|つくって|設定して|登録して|作りたい|入れたい|設定したい|登録したい|ほしい|欲しい)?"
    r"|りまいんだー?|教えて|教えといて|教えておいて|知らせて|知らせといて|お知らせ(?:して)?|通知(?:して)?|覚えといて|覚えておいて"
    r"|思い出させて(?:くれ(?:へん|ない|る|ます)?|ほしい)?|起こして|おこして"
    # 「11時に教えてくれん？」 「言うてな」: the request in dialect
    r"|(?:教えて|おしえて|知らせて|言って|いって|言うて)(?:くれん|くれへん|くれる|くれや|や|な|ね|ちょうだい))"
)
_POLITE = (
    r"(?:ください|下さい|ね|お願い(?:します)?|おねがい(?:します)?|ほしい|欲しい|くれる(?:の|か)?|くれます(?:か)?"
    r"|もらえる(?:か|の)?|できる(?:の|か)?|したい|してほしい|して欲しい|も)?"
)
# 「…んだけど」 「…のですが」: the request trailing off, said softly.
_TRAILING = r"(?:んだけど|んだけれど|んですけど|んですが|のですが|のだけど|けど|けれど|なあ|なぁ)?"
# 「歯医者って入れて」 「歯医者と登録して」: the words to put in the reminder, named as such.
_PUT_IN = (
    r"(?:って|と)\s*(?:入れて|いれて|入れといて|いれといて|登録して|追加して|書いて|書いといて|メモして|セットして|言って|いって|言ってね"
    r"|言っといて|いっといて"
    # Tohoku: 「いってけろ」 「いれでけろ」 (言って/入れてくれ)
    r"|(?:言|い)って(?:けろ|けれ)|(?:入|い)れ[てで](?:けろ|けれ))"
)
# 「…って入れて」 「…と登録して」 anywhere in a message: the words to put in, asked for.
PUT_IN_ASKED = re.compile(_PUT_IN)
_REQUEST_AT_END = re.compile(
    r"(?:(?:のも|のを|を|も|と|って|の|に)?" + _ASK + r"|" + _PUT_IN + r")" + _POLITE + _TRAILING + r"[。!！?？ー〜]*$"
)
# 「仕事始めの準備ってリマインドできる?何時かはまだ決めてない」: the request, then other words after it.
_REQUEST_THEN_MORE = re.compile(
    r"(?:(?:のも|のを|を|も|と|って|の)?" + _ASK + r"|" + _PUT_IN + r")" + _POLITE + r"[。!！?？]+.*$"
)
# 「銀行もおねがい」 「歯医者お願いね」: the request is the polite word alone.
_PLEASE_AT_END = re.compile(r"(?<=[^\s、,])(?:も|を)?(?:お願い|おねがい)(?:します|ね|な|や)?[。!！]*$")
# Time words said a second time (「明日でいいから明日10時に…」): read once, no part of the task.
_DAY_WORDS = re.compile(r"明日|あした|今日|きょう|明後日|あさって|今夜|今晩|今週|来週|再来週|[月火水木金土日]曜日?")
# 「2月30日にリマインドして、更新の手続き」: the request said first, the task after it.
_REQUEST_AT_START = re.compile(r"^" + _ASK + _POLITE + r"[\s、,。!！:：]+")
# 「…のやつ作って。内容は「ゴミ」」: the content named in quotes anywhere.
_CONTENT_NAMED = re.compile(r"(?:内容|中身|タイトル|用件|文言)(?:は|を|:|：)\s*[「『\"]([^」』\"]{1,60})[」』\"]")
# 「リマインド！内容はお小遣い帳つける」: the content named as such.
_CONTENT_SAID = re.compile(r"^(?:内容|中身|タイトル|用件)(?:は|を|:|：)\s*")
# What joined the task to the request: 「ジムに行くって」, 「電話するのを忘れないように」.
_JOIN_AT_END = re.compile(
    r"(?:って|のを?忘れないよう|を?忘れないよう|忘れんよう|のを?忘れそう|を?忘れそう)に?"
    r"(?:したい|しといて|しておいて|して(?:ほしい|欲しい|ください)?|お願い(?:します)?)?\s*$"
)
# 「試すから」 「行くので」: the reason said for the reminder ends on the verb; the task is the verb.
_VERB_END = "るくすつうぐぶむぬたい"
_REASON_AT_END = re.compile(rf"(?<=[{_VERB_END}])(?:から|ので|けん|けえ|さかい|よって)\s*$")
_NOMINAL_AT_END = re.compile(rf"(?<=[{_VERB_END}])の(?:だけ|[でにをも])?\s*$")
# Sentence-final softeners after the task (「電話するね」 「ATM行くよ」).
_SOFTENER_AT_END = re.compile(
    r"(?<=[ぁ-ゖ一-龥ァ-ヶー])(?:ってことね|ってことで|ことね|なんだ(?:けど)?|なんです|なの|[ねよ]ー?)\s*$"
)
# Particles, fillers and set-up words alone: nothing to be reminded of (「ってことね」, 「にしといて」).
_NO_TASK = re.compile(
    r"^(?:って|こと|ことね|ね|よ|な|の|も|は|を|に|で|と|が|か|す|から|まで|ごろ|頃|くらい|ぐらい|して|しといて|しておいて|にして|する"
    r"|いい|いいよ|いいです|お願い|おねがい|ください|だ|です|それ|これ|あれ|はい|うん|設定|設定する|設定して|登録|登録して"
    # 「さっきのリマインダー、にしといて」: words about a reminder, not what it is about.
    r"|さっき|先ほど|さきほど|リマインダー|リマインド|お知らせ|やつ|しといて|にしといて"
    # 「新しく作る」 「追加したい」: making one, not what it is about.
    r"|新しく|あたらしく|新しいの|新規|しんき|追加|ついか|作る|つくる|作りたい|つくりたい|作って|つくって|したい"
    # 「リマインダー1個」 「1回だけ」 「もう1個」: how many, not what.
    r"|[0-9０-９一二三]+(?:個|つ|件|こ)|ひとつ|ふたつ|一個|1個|(?:1|一)回だけ"
    r"|[、,。!！?？\s…])*$"
)


WAKE_UP = "起きる時間です"
_WAKE = re.compile(r"起こして|おこして")


def _named_content(keep: str) -> str:
    """「内容は「ゴミ」」 or 「試しに明日の朝8時に「ゴミ」」: the words named or quoted as the task ("" if none)."""
    named = _CONTENT_NAMED.search(keep)
    if named:
        return named.group(1).strip()
    quoted = re.search(r"[「『]([^」』]{1,40})[」』]", keep)
    return quoted.group(1).strip() if quoted and not _NO_TASK.match(quoted.group(1)) else ""


def rest_of(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the spans of its time words and without the words of the request: the task.

    "" when nothing that could be a task remains.
    """
    cut = _sentence_start(text, spans)
    spans = _joined(text, spans)
    keep = "".join(ch for i, ch in enumerate(text) if i > cut and not any(s <= i < e for s, e in spans))
    keep = _without_hidden(keep)
    keep = _without_repeated_days(keep, [text[a:b] for a, b in spans])
    keep = re.sub("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f]+", "", keep)  # 「…リマインドして🍻」: no emoji
    keep = re.sub(r"[(（]\s*[)）]", "", keep)  # the parentheses of "金曜(11/6)" once their date is read
    # Words that only lead into the request (「じゃあ」 「やっぱり」), then one particle at most:
    # a class of characters would eat the で of 「でんわ」.
    keep = _LEAD_IN.sub("", _denied_and_make_off(keep))
    keep = _PARTICLES_AFTER_TIME.sub("", keep)
    keep = _REQUEST_AT_START.sub("", keep)
    keep = _CONTENT_SAID.sub("", keep)
    named = _named_content(keep)
    if named:
        return named
    keep = _REQUEST_THEN_MORE.sub("", keep)
    keep = _REQUEST_AT_END.sub("", keep.rstrip(" 、,"))  # 「…設定したい、〈毎週月曜〉」: the comma the time left
    # 「営業時間、〈明日9時〉に調べる」 「行くの、〈月曜の昼休み〉に」: the particle the time words left
    keep = re.sub(r"([、,。!！?？])\s*(?:には|に|で)(?=\S|$)", r"\1", keep).strip(" 、,。")
    keep = re.sub(r"(?<=[^\sいし])(?:行|い)って$", "行く", keep.strip())  # 「銀行いって」: to go, not a quote
    keep = _JOIN_AT_END.sub("", keep.strip())
    keep = _SOFTENER_AT_END.sub("", keep.strip())
    keep = re.sub(r"に?もう(?:1|一|ひと)(?:個|つ|件)$", "", keep.strip())  # 「…〈12時〉にもう1個」: one more
    keep = _reason_and_please_off(keep)
    keep = _NOMINAL_AT_END.sub("", keep)
    keep = keep.strip(" 、,。")
    if len(keep) > 2 and keep[0] in '「『"“' and keep[-1] in '」』"”':
        keep = keep[1:-1].strip()  # 「内容は「お金をよける」」: the quoted words are the task
    if _NO_TASK.match(keep):
        return WAKE_UP if _WAKE.search(text) else ""  # 「明日7時に起こして」: to wake up, said so
    return keep


# Where a secret was hidden (the safety net's mark, cleaned or not): that clause is no part of a task.
_HIDDEN = re.compile(r"[(（]伏せました[)）]")


def _without_hidden(text: str) -> str:
    """「暗証番号は（伏せました）なんだけど、電話する」 -> 「電話する」 (the text itself when nothing is left)."""
    if not _HIDDEN.search(text):
        return text
    kept = "".join(p for p in re.split(r"(?<=[、,。!！?？\n])", text) if not _HIDDEN.search(p)).strip(" 、,")
    return kept or text


# 「明日だけじゃなくて〈毎日〉にして」: the old value denied, and 「…にして」 making it so: no task words.
_DENIED = re.compile(r"^.*?(?:じゃなくて|じゃなく|ではなくて|ではなく|やなくて)[\s、,]*")
_MAKE_IT = re.compile(r"(?:は|を)?に(?:して|しといて|しておいて|しとって|しとい)[。!！]*$")


def _denied_and_make_off(keep: str) -> str:
    """「明日だけじゃなくて…にして」 -> 「」; 「ゴミ出しは〈毎週月曜〉にしといて」 -> 「ゴミ出し」."""
    keep = _DENIED.sub("", keep)
    return _MAKE_IT.sub("", keep) or keep


def _sentence_start(text: str, spans: list[tuple[int, int]]) -> int:
    """Where the sentence with the time words starts (-1: the text's start): 「ないか。じゃあ明日18時に薬」
    keeps only 「じゃあ明日18時に薬」; a pause ends a sentence too (「ありがと...明日の朝」)."""
    if not spans:
        return -1
    cut = max(text.rfind(mark, 0, spans[0][0]) for mark in "。！？!?\n…")
    pause = text.rfind("...", 0, spans[0][0])
    return max(cut, pause + 2) if pause >= 0 else cut


def _reason_and_please_off(keep: str) -> str:
    """「電話するから、〈月曜のお昼〉に」 -> 「電話する」; 「銀行もおねがい」 -> 「銀行」."""
    keep = _PLEASE_AT_END.sub("", keep.strip()) or keep
    keep = re.sub(r"(けん|けえ|から|ので|さかい)に$", r"\1", keep.strip())  # 「予約あるけん〈11時〉に」
    keep = re.sub(r"[、,](?:の|に|は)?$", "", keep.strip())  # the comma before the time words read
    return _REASON_AT_END.sub("", keep.strip())


def _without_repeated_days(keep: str, read: list[str]) -> str:
    """A day word left in the task that the time words already read (「明日でいいから明日10時に」)."""
    days = {m.group(0) for phrase in read for m in _DAY_WORDS.finditer(phrase)}
    for day in days:
        keep = re.sub(re.escape(day) + r"(?:の|に|は|で)?", "", keep, count=1)
    return keep


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of time words with only 「の」 or spaces between them made one (「明日の朝9時」)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and re.fullmatch(r"[の\s]*", text[merged[-1][1] : start]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
