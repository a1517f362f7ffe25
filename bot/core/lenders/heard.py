"""What a message says about lenders: which ones it names, and whether it says nothing else.

「〇〇」 「〇〇使ってる」 「私はAとBを使ってる」 「間違えた、Cだった」 say only which lender: the
question the person is in comes back after a short 「〇〇ですね」. 「他の会社」 alone names the generic
flow (the general advice), which is otherwise only an answer to 「どちらの会社ですか？」.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Incoming, Reply
from bot.core.dialogue.state import ConversationState, Outcome
from bot.core.lenders import texts
from bot.core.lenders.detect import Detector
from bot.core.lenders.registry import Lenders

# What may be left of a message once the lenders' names are taken out for it to say only which lender.
_ONLY_THE_NAME = re.compile(
    r"(?:(?:ごめん(?:なさい)?|すみません|すいません|いや|あっ?|戻った|もどった|戻りました|もどりました|ただいま|お待たせ(?:しました)?|おまたせ|そっか|そうか|なるほど|ふーん)[、,。!！\s]*)*"
    r"(?:(?:あと|それと|で|わかった|了解|じゃあ|じゃ|では|なら|それなら|えっと|えーと|えと)[、,。\s]*)?"
    r"(?:(?:カード|かーど|アプリ|あぷり|借りてるの|借りてるとこ|ローン|借入先|借り入れ先|借入れ先|かりいれさき)(?:は|が|も)?)?"
    r"(?:(?:私|わたし|僕|ぼく|俺|おれ|うち)(?:は|が)?|(?:あ、?)?(?:会社|かいしゃ)?(?:を|は)?(?:間違えた|まちがえた|ちがった|違った|ちがう|違う|訂正)[、,\s]*)?"
    r"(?:(?:会社|かいしゃ)(?:は|が|:|：)\s*)?"
    # 「〇〇じゃなくて△△だった」: the name denied and the one meant, with nothing else said.
    r"(?:と|や|、|,|&|\s|じゃなくて|じゃなく|ではなくて|ではなく|でなくて|やなくて|って言ったけど|っていったけど|って言ったが|と言ったけど)*"
    r"[\s、。,.!！?？ー〜]*(?:は|も|の|で|や|です|だよ|だけど|やで|やねん|のこと|のほうだった|の方だった|のほうでした|の方でした|のほうです|の方です|のほう|の方|です。|だった|でした|のやつ|のです|の分|のぶん|の間違い|のまちがい|の間違いです|の間違いでした)?"
    # 「〇〇と△△両方借りてる」: several lenders, each to be answered
    r"(?:(?:の)?(?:両方|りょうほう|どっちも|どちらも|2社|二社|2つ|二つ)(?:とも)?(?:で|から|を)?)?"
    r"(?:を?(?:使ってる|使ってます|使っています|利用中|利用してる|利用しています|で借りてる|で借りてます|から借りてる"
    r"|借りてる|借りてます|借りています|かりてる))?"
    # 「〇〇使ってることだけ覚えといて」: which lender, to be kept
    r"(?:こと)?(?:だけ|のみ)?(?:は|を)?[、,\s]*(?:って|と)?(?:覚えといて|覚えておいて|おぼえといて|記録して|記録しといて|メモして|登録して|覚えて)?"
    r"(?:です|だよ|よ|ね)?[\s、。,.!！?？ー〜]*"
)


class NameReader:
    """Reads the lenders a typed message names, for the desk."""

    def __init__(self, lenders: Lenders) -> None:
        self.lenders = lenders
        self.detector = Detector(lenders.flows)
        # Named but not served (BOT_LENDERS): told, not answered with another lender's facts.
        self.elsewhere = Detector(lenders.unserved)
        generic = sorted(lenders.fallback.aliases, key=len, reverse=True) if lenders.fallback else []
        self._generic_words = re.compile("|".join(map(re.escape, generic)) or r"(?!)")

    def heard(self, incoming: Incoming) -> tuple[list[str], bool]:
        """The served lenders a typed message names, and True when it names only a lender not served."""
        if not incoming.text or incoming.choice is not None:
            return [], False
        named = self.detector.find(incoming.text)
        unserved = not named and bool(self.elsewhere.find(incoming.text))
        generic = self.lenders.fallback
        if not named and not unserved and generic is not None:
            if self._only_generic(incoming.text) or names_another_company(incoming.text):
                # 「他の会社」 alone, or a company this bot has no data for (「〇〇銀行のカードローン」):
                # the general advice (the number on the card), without asking which of ours it is.
                named = [generic.lender_id]
        return named, unserved

    def _only_generic(self, text: str) -> bool:
        fallback = self.lenders.fallback
        return (
            fallback is not None
            and self.detector.answer(text) == fallback.lender_id
            and bool(_ONLY_THE_NAME.fullmatch(self._generic_words.sub("", text)))
        )

    def only_the_name(self, incoming: Incoming, lender: str | None) -> Incoming:
        """Only which lender: the question the person is in comes back (``go_on``); else the message."""
        rest = self._generic_words.sub("", self.detector.mask(incoming.text or ""))
        if lender is None or not incoming.text or not _ONLY_THE_NAME.fullmatch(rest):
            return incoming
        return replace(incoming, text=None, choice=Command("go_on"))


# A company named that is none of the bot's lenders: a name (katakana, Latin letters, or kanji with
# a word of finance) followed by what people have with a lender, or 「〇〇ってとこで借りてる」.
_COMPANY = re.compile(
    r"(?P<name>[ァ-ヶー]{3,}|[A-Za-z][A-Za-z0-9]{2,}|[一-龥ぁ-ん]{1,8}(?:銀行|ぎんこう|信金|信用金庫|カード|ファイナンス|クレジット|信販))"
    r"\s*(?:の|で)\s*(?:カードローン|ローン|マイページ|会員ページ|会員サイト|アプリ|カード|借り|かり)"
    r"|(?P<told>[^\s、。]{2,12})(?:って|という)(?:とこ|ところ|会社)(?:で|から|に)(?:借り|かり)"
)
# Words that look like a name there but are not a company (「アプリのカード」 「スマホのアプリ」).
_NOT_A_COMPANY = frozenset(
    "カード アプリ ログイン パスワード メール サイト ページ マイページ ネット スマホ システム セキュリティ エラー "
    "メンテナンス ロック キャッシング カードローン アカウント ユーザー ブラウザ アップデート バージョン コンビニ "
    "クレジット クレジットカード キャッシュカード ショートメール ホーム サービス ポイント デビット "
    "インスタ インスタグラム ツイッター フェイスブック ティックトック ジモティー メルカリ "
    "sms web id pin iphone android google apple line app atm twitter instagram facebook tiktok".split()
)


def names_another_company(text: str) -> bool:
    """True when the message names a lender company the bot has no data for (never one of its own:
    those are found first)."""
    for match in _COMPANY.finditer(text):
        name = (match.group("name") or match.group("told") or "").lower()
        if name and name not in _NOT_A_COMPANY and not name.endswith(tuple(_NOT_A_COMPANY)):
            return True
    return False


# 「言いたくない」 「内緒」 「会社名は秘密で」: the company is not told, and need not be asked again.
_DECLINED = re.compile(
    r"(?:(?:会社|かいしゃ)(?:名|めい)?|どこ|それ)?(?:は|も)?(?:ちょっと)?[、,\s]*"
    r"(?:言いたくない|いいたくない|言いたくありません|言えない|いえない|言えません|教えたくない|おしえたくない"
    r"|教えられない|答えたくない|こたえたくない|言わない|内緒|ないしょ|ナイショ|秘密|ひみつ|伏せ(?:たい|ます|とく)"
    r"|ノーコメント|のーこめんと|パス|ぱす)"
    r"(?:です|でお願いします|で|にしとく|にします|にさせてください|かな|です(?:けど|が))?[。.!！…〜ー\s]*"
)


def declines_company(text: str) -> bool:
    """True when a message says only that the person would rather not tell the company."""
    return bool(_DECLINED.fullmatch(text.strip()))


# 「〇〇のほうは普通に入れてる」 「〇〇は問題ない」: that lender works; the talk is about another.
_WORKS = re.compile(
    r"(?:普通に|ふつうに|ちゃんと|問題なく|もんだいなく)?(?:入れ|はいれ|ログインでき|ろぐいんでき|使え|つかえ)(?:てる|ている|てます|ています|る|ます)(?!.{0,4}(?:けど|のに))"
    r"|(?:は|も)(?:大丈夫|だいじょうぶ|問題ない|もんだいない|平気|へいき)"
)


def works_fine(text: str) -> bool:
    """True when the words say a lender works fine (not that it does not)."""
    return bool(_WORKS.search(text)) and not re.search(r"ない(?!.{0,2}(?:けど|から))|ません|できな", text)


def other_fine(
    state: ConversationState,
    incoming: Incoming,
    named: list[str],
    run: Callable[..., Outcome],
    name_of: Callable[[str], str],
) -> Outcome | None:
    """「〇〇のほうは普通に入れてる」 about another lender: heard, and this lender's question goes on."""
    other = next((n for n in named if n != state.lender), None)
    if state.lender is None or other is None or not works_fine(incoming.text or ""):
        return None
    out = run(state.lender, state, replace(incoming, text=None, choice=Command("go_on")))
    out.replies.insert(0, Reply(texts.OTHER_FINE.format(name=name_of(other))))
    return out
