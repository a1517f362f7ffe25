"""What the words after a fraud warning say about it: a link clicked, the message's scare, fear, the
sender known or knowing the person. Each picks the lead of the answer that goes on with the warning."""

from __future__ import annotations

import re

from bot.core.dialogue import texts
from bot.core.dialogue.words import _FEAR
from bot.core.safety.texts import FRAUD_FEAR, FRAUD_KNEW, FRAUD_KNOWN_PERSON, FRAUD_SCARE

# 「でも名前も知ってたし」: what the sender knew is no proof it is real.
_KNEW_ME = re.compile(
    r"(?:名前|なまえ|住所|じゅうしょ|電話番号|でんわばんごう|生年月日|会員番号)(?:も|を|まで)?(?:知って|しって|言われ|いわれ|書いて|かいて)"
)
_KNOWN = re.compile(
    r"知り合い|しりあい|友達|ともだち|友人|ゆうじん|家族|かぞく|身内|みうち|親戚|しんせき|先輩|せんぱい|同僚|どうりょう"
)
_CLICKED = re.compile(
    r"(?:押し|おし|クリック|くりっく|タップ|たっぷ|開い|ひらい|入力|にゅうりょく|入れ(?:ちゃ|てしま|た)|いれ(?:ちゃ|てしま|た)|教え|おしえ|答え|こたえ)"
    r"(?!て?(?:ない|いない|ません|へん|ねえ)|る?前)"  # 「開いてない」: nothing done, not a click
)


# After a fraud warning, the message's threat: a lawsuit, a stop, an arrest (「払わないと裁判になるって」).
_SCARE = re.compile(
    r"裁判|さいばん|訴訟|そしょう|訴え|うったえ|差し?押さえ|差押|さしおさえ|法的|ほうてき|逮捕|たいほ|利用停止|りようていし"
    r"|停止|ていし|凍結|とうけつ|ぶらっくりすと|信用情報|しんようじょうほう|家族に(?:連絡|れんらく)|職場に(?:連絡|れんらく)"
)


def _fraud_lead(key: str) -> str:
    """The words after a fraud warning that are about it: clicked, the scare, fear, known to them."""
    if _CLICKED.search(key):
        return texts.FRAUD_CLICKED
    return (
        FRAUD_SCARE if _SCARE.search(key) else FRAUD_FEAR if _FEAR.search(key)
        else FRAUD_KNEW if _KNEW_ME.search(key) else FRAUD_KNOWN_PERSON if _KNOWN.search(key) else ""
    )  # fmt: skip
