"""Whether a card is at hand: 「カードは持ってます」, found again (「カバンの中にあった」), or never had
(「カードレスだから」), read from the words alone."""

from __future__ import annotations

from typing import Literal

from bot.core.safety.net import _compile, safety_key

_HAVE_CARD = _compile(
    r"(?:かーど|カード)(?:は|も|なら)?(?:ちゃんと|ここに)?(?:持って(?:ます|る|いる|います)|もって(?:ます|る)|手元にあ|てもとにあ|あります|ある(?:よ|けど|し)|財布に)"
    # 「カード手元」 「カードは家にある」 「カードは財布」: a place it is in, as a note (not denied after).
    r"|(?:かーど|カード)(?:は|も)?(?:手元|てもと|家に|いえに|うちに|財布|さいふ)(?:にある|にあります|です|だよ|ある)?(?![^、。,]{0,4}(?:ない|なく|ません))"
    # 「なくしたんじゃなくて家に忘れただけ」: left at home, not lost.
    r"|(?:家|いえ|うち|会社|職場)に(?:忘れ|わすれ|置いてき|おいてき)"
)
_CARDLESS = _compile(
    r"カードレス|かーどれす|(?:かーど|カード)(?:は|を)?(?:持って(?:ない|いない|ません)|もって(?:ない|ません)|作って(?:ない|いない)|発行して(?:ない|いない))|(?:かーど|カード)(?:が)?ない契約|アプリだけ|あぷりだけ"
)


_NOT_LOST_AFTER_ALL = _compile(
    r"(?:落と|おと|無くし|なくし|失くし)して(?:なかった|ない|ませんでした)|(?:なくし|無くし|失くし|落とし|おとし)て(?:ない|いない|ません|なかった|へん|ねえ)|見つか(?:った|りました)|みつか(?:った|りました)|出てきた|でてきた"
    # 「カバンの内ポケットにあった😂」 「いや待って、あった！」: found where it was, or just "there it is"
    r"|(?:かばん|鞄|ばっぐ|ぽけっと|財布|さいふ|家|いえ|部屋|へや|そふぁ|机|つくえ|車|くるま|引き出し|ひきだし|服|ふく|上着|うわぎ)[^。]{0,10}(?:あった|ありました|入って(?:た|ました))"
    r"|^(?:いや|あ|あっ|え|ごめん)*[、,!！\s]*(?:待って|まって)?[、,!！\s]*(?:ごめん)?[、,!！\s]*(?:あった|ありました)(?!ら|か[なも]|っけ|けど)"
)


# 「財布ないわ…カード入ってたかも」 「カード。財布ごと無いかも」: the wallet (and the card in it) is missing.
_MISSING = _compile(
    r"(?:財布|さいふ|かばん|鞄|ばっぐ|かーど|カード)(?:ごと|が|も|は)?(?:無い|ない|無く|なく|なくし|無くし|落と|おと|盗|ぬす|見当たら|みあたら)"
)
_NOT_LOST = _compile(
    r"(?:なくし|無くし|失くし|落とし|おとし|盗まれ|ぬすまれ)て(?:ない|いない|ません|なかった|へん|ねえ)"
)
_FOUND = _compile(r"見つか(?:った|りました)|みつか(?:った|りました)|出てきた|でてきた")


def card_at_hand(text: str) -> Literal["have", "cardless"] | None:
    """「カードは持ってます」 -> "have"; 「カードレスで持ってない」 -> "cardless"; None when neither is said
    (nor when the wallet or the card is said to be missing: 「財布ないわ…カード入ってたかも」)."""
    key = safety_key(text)
    if _CARDLESS.search(key):
        return "cardless"
    if _MISSING.search(key) and not (_FOUND.search(key) or _NOT_LOST.search(key)):
        return None
    return "have" if _HAVE_CARD.search(key) or _NOT_LOST_AFTER_ALL.search(key) else None
