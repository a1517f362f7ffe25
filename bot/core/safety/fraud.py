"""A likely fraud, read for recall.

Someone asked for a secret, a transfer or a login through a link, or an unknown number claims to
be the lender.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.safety.net import _compile, safety_key

# ------------------------------------------------------------------ fraud

_CHANNEL = (
    r"電話|でんわ|sms|しょーとめ|ショートメ|めーる|メール|めっせ|メッセ|line|らいん|dm|着信|ちゃくしん|りんく|リンク|url|http|www"
    r"|さいと|サイト|ぺーじ|ページ|非通知|ひつうち|知らない番号|しらないばんごう|番号から|ばんごうから|連絡|れんらく|手紙|はがき|訪ね|家に来"
)
_REPORTED_ASK = (
    r"教えて(?:って|と|ほしいと|ほしいって|くださいと|くださいって|ください(?:って|と)?(?:来|き|言|い))|おしえて(?:って|と|ほしいって)"
    r"|教えろ|おしえろ|聞かれ|きかれ|聞いてき|きいてき|聞いてこ|尋ねられ|たずねられ|求められ|もとめられ|要求され|ようきゅうされ"
    r"|(?:入力|にゅうりょく|入れ|いれ|送信|送|おく|返信|へんしん)っ?(?:して|しろ|て)(?:って|と|ください(?:って|と)|くださいと|ほしいと|ほしいって)"
    r"|送れ(?!ば)|(?:送|おく)って(?:くれ|ほし|欲し)|(?:書|か)け(?:って|と)|(?:記入|きにゅう|再登録|さいとうろく)(?:を)?(?:して|しろ)(?:って|と|ください)|(?:って|と)(?:来|き)た|って(?:届|とど)い|(?:って|と)(?:書|か)いて"
    r"|(?:ログイン|ろぐいん|アクセス|あくせす)(?:して|しろ)(?:って|と|ください)|確認(?:させて|のため|したいと|したいって)"
    r"|ように(?:言|い)われ|(?:言|い)わされ|(?:聞|き)(?:く|いてくる)(?:電話|でんわ|sms|人|ひと|業者)|(?:入力|にゅうりょく)させられ|(?:教え|おしえ)させられ"
    r"|(?:振り込|ふりこ|振込|払|はら)(?:め|んで|えと|えって|うよう|えと言)|(?:振込|ふりこみ)(?:を)?(?:求め|要求|しろ|してと)"
)
_SECRET_THING = (
    r"暗証|あんしょう|ぱすわーど|パスワード|pin|(?<![a-z])id(?![a-z])|あいでぃ|かーどばんごう|カード番号|カードの番号|かーどのばんごう|口座|こうざ"
    r"|認証こーど|認証コード|にんしょう|わんたいむ|ワンタイム|こーど|コード|個人情報|こじんじょうほう|情報|じょうほう|番号|ばんごう|生年月日"
    r"|免許|めんきょ|まいなんばー|マイナンバー|キャッシュカード|きゃっしゅかーど|会員|かいいん|ろぐいん|ログイン|お金|おかね|振込|ふりこみ"
    r"|写真|しゃしん|ぱす(?![ぽた])|かーど"
)
_IMPERSONATION = (
    r"を?名乗|をなの|なのる|怪しい|あやしい|不審|ふしん|偽|にせ|変な(?:番号|url|りんく|めーる|あどれす|さいと)|知らん(?:url|番号|ばんごう|りんく|さいと|めーる)"
    r"|見覚えのない(?:番号|でんわ|電話|めーる|メール|sms|さいと|サイト|りんく|リンク|あどれす|アドレス)"
    r"|知らない(?:番号|でんわ|電話|めーる|メール|sms|さいと|サイト|りんく|リンク|あどれす|アドレス|人)"
    r"|しらない(?:ばんごう|でんわ|めーる|さいと|りんく|ひと)|身に覚えのない(?:番号|電話|でんわ|sms|めーる|メール|請求|せいきゅう)"
)
# The user already gave something away (「教えちゃった」 「入力してしまった」 「リンク踏んだ」).
_GAVE = (
    r"(?:教え|おしえ|入力し|にゅうりょくし|入れ|いれ|答え|こたえ|伝え|つたえ|送っ|おくっ|言っ|いっ|渡し|わたし|ろぐいんし|ログインし)"
    r"(?:ちゃ|てしま|ちま|てもう|てもた)|(?:踏|ふ)ん(?:だ|じゃ)|(?:タップ|クリック|押)し(?:た|ちゃ|てしま)"
    # 「リンク開いちゃった」, not 「サイト開いたら〜って出てる」 (the official site opened, as usual)
    r"|(?:りんく|url|sms|めーる|めっせ|添付|てんぷ)[^。]{0,6}(?:開|ひら)い(?:たら|ちゃ|てしま)|(?:開|ひら)い(?:ちゃ|てしま)"
)
# Given in the plain past (「カード情報入れた」): only things never typed anywhere in ordinary use count.
_GAVE_PLAIN = r"(?:入れ|いれ|入力し|にゅうりょくし|送っ|おくっ|教え|おしえ|伝え|つたえ)(?:た|ました)"
# 「ロック解除代行します」 「代わりに解除してあげる」: someone other than the lender offers to unlock.
_OFFER_TO_UNLOCK = (
    r"(?:解除|かいじょ|ろっく|ろぐいん|復旧|ふっきゅう)(?:を|の)?(?:代行|だいこう)|(?:代わり|かわり)に(?:解除|かいじょ|ろぐいん)"
    r"|(?:解除|かいじょ)(?:して)?(?:あげ|やる(?:よ|って)|します(?:よ|って|と))"
)
# 「お金払えばすぐ解除してくれる」: money asked to unlock.
_PAY_TO_UNLOCK = r"(?:払|はら)えば.{0,12}(?:解除|かいじょ|復旧|ふっきゅう)"
# Strong words of fraud that need nothing else (「これ詐欺？」 「個人間融資」 「ギフト券で払えって」).
_FRAUD_ALONE = (
    r"詐欺|さぎ(?:かな|です|だ|じゃ|？|\?|$)|(?:sms|めーる|めっせ|電話|でんわ|りんく|url|通知|連絡|れんらく).{0,20}(?:当選|とうせん|賞金|しょうきん)"
    r"|(?:当選|とうせん|賞金|しょうきん).{0,20}(?:sms|めーる|りんく|url|http|って|と(?:来|き)|受け取|うけと|受取|うけとり|手数料)"
    r"|(?:きゃっしゅばっく|還付金|かんぷきん|返金|へんきん|ぷれぜんと|給付金|きゅうふきん).{0,24}(?:sms|めーる|りんく|url|って(?:来|き|届|とど)|再登録|さいとうろく|入力|にゅうりょく)"
    r"|(?:再登録|さいとうろく).{0,24}(?:きゃっしゅばっく|還付|返金|ぷれぜんと|円|えん)"
    r"|(?:sms|めーる|りんく|url).{0,20}(?:凍結|とうけつ)|(?:凍結|とうけつ).{0,20}(?:sms|めーる|りんく|url)|なりすまし|成りすまし|成り済まし|ふぃっしんぐ|を名乗|をなの|個人間融資|こじんかんゆうし"
    r"|(?:手数料|てすうりょう|保証金|ほしょうきん|保証料|前金|まえきん)(?:を)?(?:先に|さきに)?(?:振り込|ふりこ|振込|払|はら|入金)"
    r"|ぎふと(?:かーど|券|けん)|アマギフ|電子マネー|でんしまねー|ぷりぺいどかーど|itunes|googleplay"
    r"|個人名義|こじんめいぎ|個人名の口座|(?:口座|振込先|ふりこみさき|返済先|へんさいさき)(?:が)?(?:変わ|かわ|変更|へんこう)"
    r"|(?:かーど|キャッシュカード)(?:を)?(?:預か|あずか|取りに|とりに|渡せ|わたせ|渡して|封筒|ふうとう|回収|かいしゅう|受け取りに|うけとりに|交換しに)"
    # 「ロック解除に5000円かかるってメール」: a fee to unlock, asked by message or call.
    r"|(?:解除|かいじょ|再開|さいかい|復旧|ふっきゅう)(?:に|には|するのに|の(?:ため|為)に|の)?.{0,8}(?:\d+円|万円|手数料|てすうりょう|費用|ひよう|料金|りょうきん)"
    # 「ロック解除代行します」 「代わりに解除してあげる」: only the lender can unlock; an offer to is a fraud.
    rf"|{_OFFER_TO_UNLOCK}|{_PAY_TO_UNLOCK}"
    # 「ログイン画面っぽいサイトでパスワード入れたら変なページに飛んだ」: a look-alike site
    r"|(?:っぽい|ぽい|みたいな|そっくりな|似た|にた|偽の?|にせの?)(?:さいと|ぺーじ|画面|がめん|ろぐいん画面)"
    r"|(?:変な|へんな|知らない|しらない|別の|べつの)(?:ぺーじ|さいと|画面|がめん)に(?:飛|と)ん"
    # 「本日中に下記口座へ振込ってSMS」: a transfer to an account named in a message.
    r"|(?:下記|かき|こちらの|指定の|していの|以下の|いかの)(?:の)?(?:口座|こうざ)"
    r"|(?:sms|しょーとめ|めーる|らいん|line|dm).{0,30}(?:口座|こうざ).{0,6}(?:振込|振り込|ふりこ|入金)"
    # 「『カード停止のお知らせ』ってSMS来た」: a notice of a stop or a lock, come by message
    r"|(?:停止|ていし|凍結|とうけつ|ろっく|利用制限|りようせいげん|不正利用|ふせいりよう)[^。]{0,16}(?:って|と)(?:sms|しょーとめ|めーる|らいん|line)"
    r"|(?:融資|ゆうし|貸し)(?:します|しますって|ますって)|審査なし|しんさなし|ブラックでも|ぶらっくでも"
    r"|(?:保証料|ほしょうりょう|保証金|ほしょうきん|手数料|てすうりょう|前金|まえきん).{0,14}"
    r"(?:振り込め|ふりこめ|振り込んで|ふりこんで|振込して|払え(?:って|と)|はらえ(?:って|と)|払って(?:って|と|ください))"
    r"|(?:借|か)りて(?:い)?ない(?:会社|かいしゃ|ところ|とこ)|契約して(?:い)?ない(?:会社|かいしゃ|ところ)"
    r"|身に覚えのない(?:督促|とくそく|請求|せいきゅう|借金|しゃっきん)|みにおぼえのない(?:とくそく|せいきゅう|しゃっきん)"
    r"|です(?:って|と)(?:電話|でんわ|sms|めーる|連絡|れんらく|らいん|line)|(?:りんく|url)(?:付|つき|がつい|が貼|がはっ|が来|がき|が届|送られ|おくられ)"
    r"|(?:りんく|url)(?:が|を)?.{0,8}(?:来|き[たて]|届|とど|送られ|おくられ)|遠隔操作|えんかくそうさ|りもーと操作|口座が個人名|個人名(?:義)?の?口座"
    r"|(?:未払い|みはらい|未納|みのう)(?:料金|りょうきん).{0,12}(?:sms|めーる|はがき|手紙|電話|でんわ|来|き)|(?:法的手続き|ほうてきてつづき|訴訟|裁判|差し?押さえ).{0,12}(?:sms|めーる|はがき|手紙)"
    r"|(?:sms|めーる|はがき|手紙|てがみ).{0,16}(?:電話|でんわ|連絡|れんらく)(?:しろ|して(?:ください)?)(?:って|と)"
    r"|(?:や|だ|です)(?:って|と)(?:言う|いう|名乗る|なのる)(?:電話|でんわ|人|ひと|めーる|sms)"
    r"|(?:振り込|ふりこ|払|はら)(?:んだら|えば|ったら).{0,16}(?:言われ|いわれ|って)"
    r"|(?:暗証番号|あんしょうばんごう|ぱすわーど|かーどばんごう|口座番号|こうざばんごう)を(?:って|と)(?:言|い|来|き|$)"
)
_URL = r"(?<![a-z])url|https?|www\.|\.(?:com|net|co|xyz|jp|info|top|shop|site|biz)(?![a-z])|bit\.ly"
_FRAUD_ASK = _compile(_REPORTED_ASK)
_FRAUD_GAVE = _compile(_GAVE)
_FRAUD_STRONG = _compile(_FRAUD_ALONE)
_FRAUD_URL = _compile(_URL)
_RAW_URL = re.compile(r"https?://|www\.|[a-z0-9-]\.(?:com|net|co|xyz|jp|info|top|shop|site|biz)(?![a-z])|bit\.ly")
_URL_CONTEXT = _compile(
    r"来|き[たて]|届|とど|送られ|おくられ|sms|めーる|本物|ほんもの|開|ひら|踏|ふん|ろぐいん|確認|かくにん|大丈夫|公式|飛ばされ|とばされ"
)
_FRAUD_GAVE_PLAIN = _compile(_GAVE_PLAIN)
# Things that are only typed into the real site in ordinary use; given away elsewhere they are not.
_TOLD = _compile(r"(?:教え|おしえ|伝え|つたえ|言っ|いっ|送っ|おくっ|渡し|わたし)(?:ちゃ|てしま|ちま|てもう|てもた)")
_GIVEN_PLAINLY = _compile(
    r"個人情報|こじんじょうほう|口座番号|こうざばんごう|かーど(?:の)?(?:ばんごう|情報|じょうほう)|免許|めんきょ|まいなんばー|生年月日|写真|しゃしん"
)
_GIVEN_THING = _compile(
    r"情報|じょうほう|個人情報|こじんじょうほう|口座番号|こうざばんごう|かーど(?:の)?ばんごう|免許|めんきょ|まいなんばー|生年月日|写真|しゃしん|かーどの(?:裏|うら)|こーど|わんたいむ|認証"
)
_ON_SCREEN = _compile(r"(?:って|と)(?:表示|ひょうじ|出|で[るたてま])|画面に|がめんに")
_FRAUD_THING = _compile(_SECRET_THING)
_FRAUD_CHANNEL = _compile(_CHANNEL)
_FRAUD_WHO = _compile(_IMPERSONATION)
# A notice that someone logged in is its own answer (the lender's call first), not this one.
_LOGIN_NOTICE = _compile(
    r"ろぐいん(?:通知|つうち|の?お知らせ|のおしらせ|しました|されました|がありました|があった|履歴|りれき|あり)|新しい端末|あたらしいたんまつ"
    r"|知らない端末|しらないたんまつ|別の端末|べつのたんまつ|端末から|たんまつから|ろぐいんされ"
)
_NOTICE_WORDS = _compile(r"ろぐいん|会員|かいいん|お知らせ|おしらせ|通知|つうち")
# The user asking the bot (「電話番号教えて」 「暗証番号を電話で教えてもらえますか」): no one asked them.
_USER_ASKS = _compile(r"電話番号|でんわばんごう|問い合わせ番号|といあわせばんごう|の番号(?:を|は)?(?:教え|おしえ)")


@dataclass(frozen=True, slots=True)
class _Signals:
    """What a message says that fraud is made of: who, through what, asking or told what."""

    key: str
    thing_key: str  # the key without the user's own asking for a number
    url: bool
    numbers: tuple[str, ...]
    asked: bool
    who: bool
    channel: bool
    thing: bool
    gave: bool


def _signals(text: str) -> _Signals:
    key = safety_key(text)
    # Addresses lose their dots in the key: they are looked for in the plain text.
    url = bool(_FRAUD_URL.search(key)) or bool(_RAW_URL.search(text.lower()))
    numbers = tuple(re.findall(r"0\d{9,10}|\+81\d{9,10}", re.sub(r"[-\s]", "", key)))
    thing_key = _USER_ASKS.sub("", key)
    return _Signals(
        key=key,
        thing_key=thing_key,
        url=url,
        numbers=numbers,
        asked=bool(_FRAUD_ASK.search(key)),
        who=bool(_FRAUD_WHO.search(key)),
        channel=bool(_FRAUD_CHANNEL.search(key)) or bool(numbers),
        thing=bool(_FRAUD_THING.search(thing_key)),
        gave=bool(_FRAUD_GAVE.search(key)),
    )


def _strong(s: _Signals) -> bool:
    return bool(_FRAUD_STRONG.search(s.key))


# 「エラーって書いてあるだけ」: words on the screen, unless a message or a call brought them.
_WRITTEN = _compile(r"(?:って|と)(?:書|か)いて(?:ある|あり|ます|た)")
_REACHED = _compile(
    r"ろぐいん(?:し|でき)たら|(?:開|ひら)いたら|(?:入|はい)ったら|(?:見|み)たら|あぷりで|まいぺーじで|会員ぺーじで"
)


# 「暗証番号確認してくださいって」: asked to check a secret (a card alone may be the app's own advice).
_CHECK_ASKED = _compile(
    r"(?:暗証|あんしょう|ぱすわーど|pin|番号|ばんごう|こーど|認証|にんしょう|口座|こうざ).{0,8}(?:確認|かくにん)(?:して|しろ)(?:って|と|ください(?:って|と)|くださいと)"
)


# 「再設定ってカード番号とか聞かれる？」: a question about the lender's own procedure, no one's contact.
_PROCEDURE_ASKED = _compile(
    r"(?:再設定|さいせってい|手続|てつづき|再発行|さいはっこう|登録|とうろく|申し込|もうしこ|申込|本人確認|ほんにんかくにん|ろぐいん画面|窓口|まどぐち)"
    r".{0,16}(?:聞かれ|きかれ|必要|ひつよう|いる|要る)(?:る|ます|の)?(?:か|かな|の)?[?？]?$"
)


def _asked_for_a_secret(s: _Signals) -> bool:
    if _PROCEDURE_ASKED.search(s.key) and not (s.channel or s.url or s.who):
        return False
    if _CHECK_ASKED.search(s.key):
        return True
    # 「ページにログインしたら…って書いてある」: the lender's own page, reached by the person.
    written = _WRITTEN.search(s.key) and not s.url and (not s.channel or _REACHED.search(s.key))
    on_screen = _ON_SCREEN.search(s.key) or written
    return s.asked and s.thing and not on_screen


def _gave_something(s: _Signals) -> bool:
    if s.gave and (_GIVEN_THING.search(s.thing_key) or s.channel or s.url):
        return True
    return bool(
        _FRAUD_GAVE_PLAIN.search(s.key) and _GIVEN_PLAINLY.search(s.thing_key) and (s.channel or s.who or s.url)
    )


def _told_someone(s: _Signals) -> bool:
    """「業者に暗証番号伝えてしまった」, or 「教えちゃった」 alone: something told to someone."""
    oops = s.gave and bool(re.search(r"ちゃ|ちま|てしま|てもう|てもた|じゃ", s.key))
    return bool(_TOLD.search(s.key) or oops) and (s.thing or len(s.key) <= 12)


def _link(s: _Signals) -> bool:
    return s.url and bool(_URL_CONTEXT.search(s.key))


_LINK_WORD = _compile(r"りんく|url|ゆーあーるえる")
_ARRIVED = _compile(r"来|き[たて]|届|とど|送られ|おくられ|入って|はいって")


def _link_sent(s: _Signals) -> bool:
    """「メールきた。リンクある」: a message that came with a link (a real one never needs a tap there)."""
    return bool(_LINK_WORD.search(s.key) and _ARRIVED.search(s.key))


def _impersonation(s: _Signals) -> bool:
    return s.who and (s.channel or s.asked or s.thing)


# Any one of these is a likely fraud (after a plain login notice is set aside).
_FRAUD_READS = (_strong, _asked_for_a_secret, _gave_something, _told_someone, _link, _link_sent, _impersonation)
_CONTACTED = re.compile(
    r"かかって|着信|ちゃくしん|から(?:電話|でんわ|sms|めーる|メール|連絡|れんらく)|から(?:来|き)た|届いた|とどいた"
)


_LOAN_SHARK = _compile(
    r"闇金|やみきん|ヤミ金|090金融|ソフト闇金|そふとやみきん|違法業者|いほうぎょうしゃ|登録のない業者|無登録"
    # An offer that only an unregistered lender makes (「ブラックOK即日融資ってDM来た」).
    # Lending between strangers met online (個人間融資): only an unregistered lender does that.
    r"|個人間融資|こじんかんゆうし|(?:sns|ついったー|twitter|いんすた|instagram|tiktok|掲示板|けいじばん)(?:で|から|の).{0,16}?(?:借り|かり|融資|ゆうし)"
    # 「090で始まる番号の業者から融資できますって」: a lender with a mobile number only.
    r"|0[789]0(?:で始まる|ではじまる|の)?(?:番号|ばんごう)?(?:の|から)?.{0,12}(?:業者|ぎょうしゃ|融資|ゆうし|貸|かし)"
    r"|給料ファクタリング|給与ファクタリング|きゅうりょうふぁくたりんぐ"
    # Lending against a pension, or asking for a bankbook or cash card: only an illegal lender does it.
    r"|(?:相手|あいて)は(?:個人|こじん)|(?:個人|こじん)(?:の人)?(?:から|に)(?:借り|かり|融資)|年金担保|ねんきんたんぽ|(?:通帳|つうちょう|キャッシュカード|きゃっしゅかーど).{0,12}(?:送|おく|預け|あずけ|渡|わた)"
    r"|ぶらっく(?:ok|おk|可|歓迎|かんげい)|即日融資.{0,10}(?:dm|sms|らいん|line|めーる|ちらし|チラシ)|(?:dm|sms|らいん|line).{0,10}即日融資"
)


def is_loan_shark(text: str) -> bool:
    """True when the message speaks of an illegal lender (闇金): borrowing from one makes it worse."""
    return bool(_LOAN_SHARK.search(safety_key(text)))


def is_fraud(text: str, official_numbers: Iterable[str] = ()) -> bool:
    """True when someone asked the user for a secret, a transfer or a login through a link, or an
    unknown number or message claims to be the lender (a likely fraud)."""
    s = _signals(text)
    # 「ログインしましたって来た」: a notice, unless someone also asked for a secret.
    if _LOGIN_NOTICE.search(s.key) and not (s.asked and _FRAUD_THING.search(_NOTICE_WORDS.sub("", s.thing_key))):
        return False
    if any(read(s) for read in _FRAUD_READS):
        return True
    # An unknown number that called or wrote (not the lender's official one).
    official = {re.sub(r"\D", "", n) for n in official_numbers}
    unknown = [n for n in s.numbers if n not in official]
    return bool(unknown and _CONTACTED.search(s.key) and not _USER_ASKS.search(s.key))


# Money asked for first (a fee, a deposit, gift cards): the fraud is answered with 「払わないで」 first.
_MONEY_ASKED = _compile(
    r"(?:手数料|てすうりょう|保証料|ほしょうりょう|保証金|ほしょうきん|前金|まえきん|解除料|費用|ひよう|料金|りょうきん|\d+円|万円"
    r"|着手金|ちゃくしゅきん|登録料|とうろくりょう|手付金|てつけきん|先払い|さきばらい)"
    r".{0,16}(?:振り込|ふりこ|振込|払|はら|入金|にゅうきん|送金|そうきん|かかる|必要)"
    r"|ぎふと(?:かーど|券|けん)|アマギフ|電子マネー|でんしまねー|ぷりぺいどかーど|" + _PAY_TO_UNLOCK
)


_UNLOCK_OFFER = _compile(_OFFER_TO_UNLOCK)


def offers_to_unlock(text: str) -> bool:
    """「ロック解除代行します」: someone other than the lender offers to unlock (only the lender can)."""
    return bool(_UNLOCK_OFFER.search(safety_key(text)))


_URGED = _compile(r"今日中|きょうじゅう|今日まで|すぐ|至急|しきゅう|急いで|いそいで|今すぐ|いますぐ|期限")


def urged_to_pay(text: str) -> bool:
    """「今日中に着手金振り込んでって」: money asked first, and hurried: a fraud's mark, whoever they say they are."""
    return asks_for_money(text) and bool(_URGED.search(safety_key(text)))


def asks_for_money(text: str) -> bool:
    """True when a fraud told of asks for money first (a fee to lend or to unlock, gift cards)."""
    return bool(_MONEY_ASKED.search(safety_key(text)))


# 「『ログインできなくなりました』ってSMS来たんだけど本当？」: a message come, asked whether it is real.
_MESSAGE_CAME = _compile(
    r"(?:sms|しょーとめ|めーる|dm|らいん|line|通知|つうち)(?:が|で)?[^。]{0,6}(?:来|き[たて]|届|とど|入っ|はいっ)"
)
_REAL_ASKED = _compile(r"本当|ほんとう|ほんと|本物|ほんもの|公式|こうしき|信じ|しんじ|怪しい|あやしい")


def asks_if_real(text: str) -> bool:
    """True when a message that came is asked about: is it real? (What it said, quoted, is set aside:
    「SMSで「…返済が確認できません」って来た。本物？」.)"""
    key = safety_key(re.sub(r"「[^」]*」|『[^』]*』|\"[^\"]*\"", "", text))
    return bool(_MESSAGE_CAME.search(key) and _REAL_ASKED.search(key))
