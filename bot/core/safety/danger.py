"""Danger to a body, told of someone else or after the police number was given.

After 「夫に殴られた」 the next words (「警察呼んだら家族にバレる」 「今隠れてる」) are about that danger,
never a menu guess; a friend who took too many pills and does not answer is an emergency for 119,
told to the person who is with them, not words of care meant for someone in distress themselves.
"""

from __future__ import annotations

from bot.core.safety.net import _compile, safety_key

# Harm at home: the violence lines go with the police number. Source: the government's page on
# domestic violence (gov-online.go.jp/cam/no_dvca/dv03/, read 2026-12-04): DV相談プラス 0120-279-889
# free, 24 hours, also mail and chat; DV相談ナビ #8008 connects to the nearest centre, call charges apply.
DV_LINES = (
    "家族やパートナーからの暴力について、相談できる窓口があります。\n"
    "DV相談プラス：0120-279-889（無料・電話は24時間。メールやチャットでも相談できます）\n"
    "DV相談ナビ：#8008（お近くの相談窓口につながります。受付時間は窓口によります。通話料がかかります）"
)
DANGER_AGAIN = (
    "いま危ないときは、迷わず110番に電話してください。安全な場所に移れたら、下の窓口で相談することもできます。"
)
POLICE_WORRY = (
    "ためらうお気持ちもあると思います。それでも、いちばん大切なのはあなたの身の安全です。"
    "いま危ないときは、迷わず110番に電話してください。"
)
# 「警察呼んで大丈夫？借金あるのに」: the police help whoever is in danger, debts or not.
POLICE_WITH_DEBT = (
    "はい、大丈夫です。借金があっても、危ないときは迷わず110番に電話してください。"
    "脅したり暴力をふるったりする取り立ては、許されることではありません。"
)
# 「呼んだ」 「通報した」: the call made; what to do until help comes.
CALLED = "電話してくださったのですね。助けが来るまで、できるだけ安全な場所にいてください。"
# Someone else took too much or does not answer: what the person with them can do now.
OTHER_IN_DANGER = (
    "すぐに119番に電話して、その人のいる場所と、飲んだものや様子を伝えてください。"
    "そばにいられるなら、ひとりにしないでください。呼びかけても返事がないときは、特に急いでください。"
)

_AT_HOME = _compile(
    r"(?<![丈工])夫(?!婦)|(?<![ち])おっと|旦那|だんな|妻|つま|嫁|よめ|彼氏|かれし|彼女|かのじょ|恋人|こいびと|ぱーとなー|親|おや|父|ちち|母|はは|家族|かぞく|兄|姉|同居|どうきょ|dv"
)
_POLICE_FEAR = _compile(
    r"(?:警察|けいさつ|110|通報|つうほう).{0,14}(?:ばれ|知られ|しられ|怖|こわ|無理|むり|できな|呼べな|よべな|嫌|いや|迷|逆上|怒)"
    r"|(?:ばれ|知られ|しられ).{0,10}(?:警察|けいさつ|110|通報)"
)
_SOMEONE_ELSE = _compile(
    r"(?:友達|ともだち|友人|ゆうじん|彼氏|かれし|彼女|かのじょ|(?<![丈工])夫|旦那|だんな|妻|嫁|家族|かぞく|母|父|親|子供|こども|息子|娘|兄|姉|弟|妹"
    r"|同僚|どうりょう|知り合い|しりあい|先輩|後輩|あの子|あいつ)(?:が|は|も|から|の(?:様子|ようす))"
)
_NO_ANSWER = _compile(
    r"返事が?(?:ない|なく|来な|こな)|へんじが?(?:ない|こな)|連絡が?(?:つかな|取れな|とれな|こな)|反応が?(?:ない|なく)|既読(?:に)?ならな|きどくならな"
    r"|起きな|おきな|目を覚まさ|息(?:を)?して(?:ない|いない)|意識(?:が)?(?:ない|なく)"
)


def at_home(text: str) -> bool:
    """True when the danger told of comes from family or a partner (the violence lines go with it)."""
    return bool(_AT_HOME.search(safety_key(text)))


def fears_the_police(text: str) -> bool:
    """「警察呼んだら家族にバレる」 「通報するのが怖い」: a reason not to call, said after the number."""
    return bool(_POLICE_FEAR.search(safety_key(text)))


def someone_else_in_danger(text: str) -> bool:
    """True when the emergency told of is someone else's (a friend took pills), or they stopped answering."""
    key = safety_key(text)
    return bool(_SOMEONE_ELSE.search(key) or _NO_ANSWER.search(key))


def stopped_answering(text: str) -> bool:
    """「返事がない」 「起きない」: a person who may be in danger does not answer."""
    return bool(_NO_ANSWER.search(safety_key(text)))


_DEBT = _compile(r"借金|しゃっきん|借りて|かりて|滞納|たいのう|延滞|えんたい|返済|へんさい")
_CALLED = _compile(
    r"^(?:もう)?(?:警察|けいさつ|110|救急|きゅうきゅう|119)?(?:に|を|は|へ)?(?:呼んだ|よんだ|通報した|つうほうした|電話した|でんわした|かけた|呼びました|電話しました)(?!ら|り|って|とき|後|あと)"
)


def about_debt(text: str) -> bool:
    """True when the worry about calling is a debt (「借金あるのに」)."""
    return bool(_DEBT.search(safety_key(text)))


def called_already(text: str) -> bool:
    """「呼んだ」 「通報した」: the call for help was made."""
    return bool(_CALLED.search(safety_key(text)))


# 「もうそいつ殴りに行きそう」: the person's own anger at a collector; kept from harm, helped to help.
OWN_ANGER = (
    "それほど追い詰められているのですね。でも、手を出してしまうと、あなたが罪に問われてしまいます。"
    "しつこい取り立ては、警察相談専用電話（#9110）や、下の窓口に相談できます。"
)
_HURT = _compile(
    r"(?:殴り|なぐり|殺し|ころし|刺し|さし|しばき|ぶん殴り|ぶんなぐり)(?:に)?(?:行き|いき|行く|いく|行っ|いっ)(?:そう|たい|たろ|てやる)"
    r"|(?:殴り|なぐり|殺し|ころし|ぶっ殺し|ぶっころし)(?:たい|てやる|てまう)"
)


def wants_to_hurt(text: str) -> bool:
    """True when the person speaks of hurting someone else (a collector, in anger)."""
    return bool(_HURT.search(safety_key(text)))


# 「わかった電話する」 「電話してみる」 after words of crisis: the call is to be made; thanked.
CALLING = "電話してくださるのですね。ありがとうございます。つながらないときは、時間をおいてかけ直すか、ほかの番号にもかけてみてください。"
_WILL_CALL = _compile(r"(?:電話|でんわ|かけ)(?:する|します|してみる|してみます|るね|てみる|てみます)|かけます|かけるよ")


def will_call(text: str) -> bool:
    """True when the person says they will make the call (「電話してみる」)."""
    return bool(_WILL_CALL.search(safety_key(text)))
