"""The safety readings: words of crisis, a likely fraud, an urgent lost card, leaving, and what a
deletion request is scoped to.

These come before any other reading of a message (the router's first step), and they are read
for recall: people in distress rarely use the words a classifier was trained on. Every pattern
works on a folded key (NFKC, lower case, katakana as hiragana, small kana as full, no spaces,
punctuation or long-vowel marks), so 「シニタイ」, 「ｼﾆﾀｲ」 and 「しにたぃ〜」 read alike. The
labelled lines in ``bot/corpus/safety.tsv`` are what the patterns are measured on (a held-out
quarter of them, see ``bench/safety.py``).
"""

from __future__ import annotations

import re
from typing import Literal

from bot.core.understanding.textnorm import fold_kana, normalize

# Small vowels stretch a word (しにたぃ); folded to full ones, in the key and in the patterns alike.
_SMALL = str.maketrans("ぁぃぅぇぉ", "あいうえお")


def safety_key(text: str) -> str:
    """The folded form every safety pattern reads."""
    return re.sub(r"[〜~]+", "", normalize(text)).translate(_SMALL)


def _compile(pattern: str) -> re.Pattern[str]:
    """A pattern over the folded key: its katakana are folded too, so either script can be written."""
    return re.compile(fold_kana(pattern).translate(_SMALL))


def _any(*parts: str) -> re.Pattern[str]:
    return _compile("|".join(parts))


# ------------------------------------------------------------------ crisis

_DIE = r"(?:死|し|氏|市|タヒ|たひ)"
_CRISIS = _any(
    # The plain words first (one list for every door; they were the whole list once).
    r"死にたい|しにたい|死のう|しのう|死んだ(?:方|ほう)が|しんだほうが|死ぬしかない|しぬしかない|自殺|じさつ|消えたい|きえたい"
    r"|生きていけない|いきていけない|生き(?:る|てる|ている)のが(?:つら|辛|しんど)|いき(?:る|てる)のが(?:つら|しんど)|首(?:を)?つ|首吊"
    r"|終わりにしたい|おわりにしたい|いなくなりたい|楽になりたい|らくになりたい",
    # wanting to die, in standard speech and dialects (死にたか, 死にてえ, 死にとうなる)
    rf"{_DIE}に(?:たい|たく|たか|てえ|てぇ|てー|て[ぇえ]?わ|と[うお]|てえ)",
    r"死の(?:う|っかな)|しのうかな|しのっかな|死にて$|しにて$|shinitai|sinitai|死に場所|しにばしょ|死ねば|しねば|死ねる方法|しねるほうほう",
    r"死ぬ(?:しか|ほかな|ほかに|つもり|覚悟|かくご|ことにし|ことを考|こと考|方法|ほうほう|べき|っきゃ|しかな|のが一番|のがいちばん|わ$|んや$|かな$|か$|ね$)",
    r"しぬ(?:しか|ほかな|つもり|かくご|ほうほう|べき|のがいちばん|かな$)",
    r"死んだ(?:方|ほう)が|しんだほうが|死んだら(?:楽|らく|保険|ほけん|全部|ぜんぶ|返せ|かえせ|ちゃら|チャラ|借金|しゃっきん|家族|みんな)",
    r"しんだら(?:らく|ほけん|ぜんぶ|かえせ|ちゃら|しゃっきん|かぞく|みんな)",
    r"死んで(?:お?詫び|わび|償|つぐな|返|かえ|保険|ほけん|楽|らく|しまいたい|しまおう|やる|やろう)|死んじゃ(?:いたい|おう|おっかな)",
    r"しんで(?:おわび|わび|つぐな|かえ|ほけん|らく|しまいたい|しまおう)|しんじゃ(?:いたい|おう)|死んだる|しんだる",
    r"自殺|じさつ|自死|自害|じがい|suicid|killmyself|wanttodie|wannadie|endmylife|enditall|(?<![a-z])die(?![a-z])",
    r"(?:消|き)え(?:たい|たく|てしまいたい|ちゃいたい|てなくなりたい|てえ|てぇ|てー|させて|てしまおう|たろか|よかな)",
    r"(?:いなく|居なく)(?:なりたい|なったほうが|なった方が|なれたら|なれば)|いない(?:方|ほう)が(?:いい|まし|みんな|楽)",
    r"(?:生|い)き(?:る|てる|ている|ていく|てく|てい)(?:の|こと)?(?:が|は|も)?(?:つら|辛|しんど|嫌|いや|疲|つかれ|無理|むり|限界|げんかい|めんど|面倒)",
    r"(?:生|い)き(?:てる|ている|る|てく|ていく)?(?:意味|いみ|価値|かち|理由|りゆう|資格|しかく)(?:が|も|は)?(?:ない|無い|ねえ|ねー|なし|わから|見いだせ|みいだせ|ある)",
    r"(?:生|い)きて(?:いけ|け|い|ゆけ)(?:ない|へん|ん|ねえ|ません)|(?:生|い)きたく(?:ない|ねえ|ねー|なか|あり)",
    r"(?:生|う)まれて(?:こなければ|こなきゃ|こなけりゃ|きたくなかった|こんかった|こなかったら)",
    r"(?:楽|らく)に(?:なりたい|なれる|なろう|してほしい)",
    r"(?:もう|全部|ぜんぶ|人生|じんせい|何もかも|なにもかも|すべて|^)(?:を)?(?:終わり|おわり)に(?:したい|しよう|する|します)",
    r"(?:全部|ぜんぶ|人生|じんせい|すべて|何もかも|なにもかも|自分|じぶん|命|いのち)(?:を)?(?:終わら|おわら)せ(?:たい|よう|る)",
    r"(?:全部|ぜんぶ|もう|人生)(?:終わり|おわり)(?:だ|や|です|なんだ|や$|$)",
    r"人生(?:終わ|おわ|詰ん|つん|おわた|オワ|やめ|辞め|終了|しゅうりょう|積ん|つみ)|じんせい(?:おわ|つん|やめ|しゅうりょう)",
    r"首(?:を)?(?:吊|つ[るっりろ]|くく|括)|くび(?:を)?(?:つ[るっりろ]|くく)|首吊|くびつり",
    r"飛び降り|とびおり|飛び降り|(?:電車|でんしゃ|線路|せんろ|ホーム|ほーむ)に(?:飛び込|とびこ)|飛び込み(?:たい|自殺)|とびこみたい",
    r"樹海|じゅかい|練炭|れんたん|睡眠薬|すいみんやく|オーバードーズ|おーばーどーず|(?<![a-z])od(?![a-z])|リスカ|りすか|リストカット",
    r"(?:薬|くすり)を?(?:少しずつ|すこしずつ|こっそり)?(?:ため|溜め|貯め|大量|たいりょう|全部飲|ぜんぶの|いっぱい飲|まとめて飲|まとめての)",
    r"手首(?:を)?(?:切|き[っりる])|てくび(?:を)?(?:き[っりる])|腕を切|うでをき|自分を傷|じぶんをきず",
    r"(?:明日|あした|あす|朝|あさ)(?:が|なんて|なんか|なんぞ)?(?:来なければ|こなければ|来なきゃ|こなきゃ|来なけりゃ|こなけりゃ|来ないで|こないで)",
    r"(?:目|め)(?:が)?(?:覚めなければ|さめなければ|覚めなきゃ|さめなきゃ|覚めないで|さめないで)|(?:起き|おき)(?:なければ|なきゃ|なけりゃ)(?:いい|良い)",
    r"命を(?:絶|断|捨|終わ)|いのちを(?:たつ|たと|すて|おわ)|この世(?:から|に)(?:消|き|いなく|おさらば|いたくな)|このよ(?:から|に)(?:き|いなく|いたくな)",
    r"(?:遺書|いしょ)を?(?:書|か)|(?:迷惑|めいわく)(?:を)?かける(?:だけ|くらいなら)|(?:存在|そんざい)を?(?:消|け)したい",
    r"もう(?:無理|むり)(?:死|し)|(?:楽|らく)になる(?:方法|ほうほう|薬|くすり)",
    r"(?:生|い)き(?:る|てる|ている|てく)?(?:意味|理由|価値|気力|希望|資格|きりょく|きぼう)(?:が|も|は|って)?.{0,6}(?:ない|無い|ねえ|なし|ありません|わから|見つから|ある[?？]?$|あるの|あるか)",
    r"死(?:ぬ|んで)(?:の)?(?:も|ても|でも)(?:あり|いい|いいか|かまわ|構わ)|死ぬ(?:準備|じゅんび|ならもう|から)|どうせ死ぬ|(?:たら|なら|もう|いっそ)、?死ぬ",
    r"(?:私|わたし|俺|おれ|僕|ぼく|自分|じぶん|うち)が?(?:死|し)んでも|(?:誰|だれ)も(?:悲しま|かなしま|困らな|こまらな)|いなくなっても(?:困らな|こまらな|誰も|だれも|いい)",
    r"自傷|二度と(?:帰|かえ|戻|もど|目を覚ま|めをさま|起き|おき)|(?:帰|かえ|戻|もど)(?:らない|ってこない|れない)(?:つもり|ところ)",
    r"永遠に(?:眠|ねむ)|えいえんに(?:ねむ)|(?:目|め)を(?:覚ま|さま)したくな|存在(?:ごと|を|自体|じたい)?(?:消|け)し",
    r"(?:みんな|皆|家族|かぞく)に(?:さよなら|さようなら|お別れ|おわかれ)|(?:限界|げんかい).{0,4}(?:さよなら|さようなら|ばいばい)",
    r"(?:今日|きょう|今夜|こんや|これ)で最後に(?:する|します|しよう)|決行",
    r"(?:生|い)きとう(?:な|ね)|(?:生|い)き(?:てて|ていても|てても|とっても|とって)も?(?:仕方|しかた|しょうがな|しゃあな|意味|いみ|無駄|むだ)",
    r"(?:消|き)えてしまいた[いかく]|(?:消|き)えちゃいた[いかく]|生ぎでだぐ|いぎでだぐ|死んでしまい(?:たい|てえ|てぇ|たか|とう)",
    r"お荷物(?:です|だ|なんだ|でしか)|おにもつ(?:です|だ)",
    r"(?:生|い)きる(?:の|こと)に(?:疲|つか)|(?:生|い)きて(?:い)?たく(?:ない|ねえ|な)",
    r"(?:海|川|うみ|かわ)に(?:入|はい)ろう|(?:海|川|うみ|かわ)に(?:飛び込|とびこ|身を投)",
    r"(?:殺|ころ)して(?:ほしい|くれ|ください|$)|(?:殺|ころ)されたい|(?:命|いのち)で(?:払|はら|償|つぐな|返|かえ)",
    r"(?:生|い)[きぎ](?:る|で|て|てる|てく|でぐ|でく)?(?:の|こと)?(?:を)?(?:やめ|辞め|止め|やんだ|諦め|あきらめ)",
    r"(?:橋|はし|線路|せんろ|ホームの端|ほーむのはし|崖|がけ|ビルの上|びるのうえ)の?(?:上|うえ|そば|前|まえ|端|はし)?に(?:いる|来た|きた|立って|たって)|"
    r"屋上|おくじょう|(?:死ぬ|しぬ|飛ぶ|とぶ|消える|きえる)しか(?:ない|なか|ねえ|ねー)|(?:何|なん)のために(?:生|い)きて",
    r"死にます|しにます|死んでしまえ(?:たら|ば)|死ねたら|しねたら|(?:消|き)えた(?:方|ほう)が(?:いい|まし)",
    # 「来月まで生きてるかわかんない」: not sure of being alive, said in passing.
    r"(?:生|い)きて(?:る|いる|られる|いられる)か(?:どうか)?(?:わか|分か)(?:らない|んない|らん|んね)",
    # 「死ぬことも考えてた」 「死のうかとも思った」: said of the past, still words of crisis.
    r"(?:死|し)ぬ(?:こと|の)(?:も|を|まで|すら|ばかり|ばっかり)?(?:考|かんが|思|おも)",
    # 「最後に借金のことだけ片付けたい。家族には迷惑かけたくない」: putting affairs in order.
    r"身辺整理|しんぺんせいり|(?:最後|最期|さいご)に.{0,24}(?:片付け|かたづけ|整理|せいり|けりをつけ).{0,30}(?:迷惑|めいわく)",
)
# Idioms that look like the words above but say nothing of the kind.
_NOT_CRISIS = _any(
    r"死ぬほど|しぬほど|死ぬかと思|しぬかとおも|死ぬ気で|しぬきで|死ぬまでに|しぬまでに|死ぬまで|死にそう|しにそう",
    r"(?:電池|でんち|バッテリー|ばってりー|スマホ|すまほ|wifi|パソコン|ぱそこん|回線|かいせん|携帯|けいたい|ゲーム|げーむ|アプリ|あぷり)(?:が|は|も)?(?:死|し)",
    r"(?:画面|がめん|ボタン|ぼたん|アイコン|あいこん|表示|ひょうじ|データ|でーた|メニュー|めにゅー|履歴|りれき|メモ|めも|文字|もじ|通知|つうち|アプリ|あぷり|カード|かーど)(?:が|は|も)?(?:消|き)え",
    r"(?:死|し)にたくない|(?:生|い)き返|いきかえ|生き生き|いきいき",
    # 「別に死にたいとかじゃないけど」: said to be not that (heard with care by what follows, not 119).
    r"(?:死|し)にたい(?:とか|わけ|って(?:わけ)?)?(?:じゃ|では|ちゃう)(?:ない|なく|ありません|ねえ)",
)


def is_crisis(text: str) -> bool:
    """True when the message speaks of not wanting to live (care comes before anything else)."""
    key = safety_key(text)
    if not _CRISIS.search(key):
        return False
    # An idiom alone is not a crisis; an idiom beside real words of crisis still is.
    stripped = _NOT_CRISIS.sub("", key)
    return bool(_CRISIS.search(stripped))


# A request's words (「作って」 「設定したい」 「リマインドして」 「消して」 「教えて」 「お願い」).
_ASKS_FOR = re.compile(
    r"(?:て|で)(?:ほしい|欲しい|ください|下さい|くれ|もらえ|おいて|おいで|おいた|おけ|っ?て?$)|(?:し|作り|つくり|入れ|いれ|登録し|設定し|消し|けし)たい"
    r"|お願い|おねがい|頼む|たのむ|りまいんど|リマインド|設定|せってい|登録|とうろく|削除|さくじょ|ろぐいん"
)


def beside_the_crisis(text: str) -> str:
    """The sentences of a message that hold no words of crisis, when they ask for something (the
    request said in the same message is answered after the care); "" when there are none."""
    parts = [p.strip(" 、,") for p in re.split(r"[。…!！?？\n]+|(?:\.\.\.)", text) if p.strip(" 、,")]
    rest = [p for p in parts if not is_crisis(p)]
    if len(rest) == len(parts) or not any(_ASKS_FOR.search(normalize(p)) for p in rest):
        return ""  # 「明日返済日なのに1円もない」 beside it is no request: the care alone answers
    joined = "。".join(rest)
    return joined if len(normalize(joined)) >= 6 else ""


# Harm already under way (「薬いっぱい飲んだ」 「手首切った」), or the fear of calling for help after it
# (「救急車呼ぶの怖い」): the emergency number comes first, before anything else is said.
_EMERGENCY = _compile(
    r"(?:薬|くすり|睡眠薬|すいみんやく).{0,8}(?:いっぱい|たくさん|大量|たいりょう|全部|ぜんぶ|まとめて|一気|いっき)?.{0,4}(?:飲ん|のん)(?:だ|じゃ|でしま)"
    r"|(?:手首|てくび|腕|うで)(?:を)?(?:切っ|きっ)|(?:飛び降り|とびおり)(?:る|よう|たい|そう)|(?:首|くび)(?:を)?(?:吊|つ)(?:る|ろう)"
    r"|(?:救急車|きゅうきゅうしゃ|119)(?:を|に|は)?.{0,6}(?:呼ぶ|よぶ|電話|でんわ|かける)(?:の)?(?:が)?(?:怖|こわ|無理|むり|嫌|いや|迷)"
    # 「救急車よぶほどじゃないかも」: doubting the call after harm: 119 again, whatever the doubt
    r"|(?:救急車|きゅうきゅうしゃ|119)[^。]{0,8}(?:ほど|まで)(?:じゃ|では|でも)?(?:ない|なく)"
)


def is_emergency(text: str) -> bool:
    """True when the words tell of harm under way or a body in danger: call 119 now."""
    return bool(_EMERGENCY.search(safety_key(text)))


_THREAT = _compile(
    r"脅さ|おどさ|脅迫|きょうはく|脅して|おどして|取り立て|とりたて|家に来|いえにく|職場に|しょくばに|会社に電話"
    # 「家族にバラすって」 「ネットに晒すぞ」: a threat to expose the debt is a threat too
    r"|(?:ばら|バラ|晒|さら)(?:す|される|すぞ|すって|され)|言いふら|いいふら|拡散|かくさん"
    # 「家行くぞ」 「払わないなら家に行く」 「家族と会社に連絡するって」: a visit or a call to others threatened
    r"|(?:家|いえ|うち)(?:に|まで|へ)?(?:行|い)く(?:ぞ|から|って|よ|で|わ|$)"
    r"|(?:家族|かぞく|親|おや|会社|かいしゃ|職場|しょくば)(?:と|や|に)?.{0,8}(?:連絡|れんらく|電話|でんわ)(?:する|すん)(?:ぞ|って|と|から)"
)
# Danger now (「家の前にいるかも」 「殴られる」): the police number before anything else.
_DANGER_NOW = _compile(
    r"(?:家|いえ|うち|玄関|げんかん|ドア|どあ|部屋|へや)の(?:前|まえ|外|そと)に(?:いる|来て|きて|来た|きた)|押しかけ|おしかけ|待ち伏せ|まちぶせ"
    r"|殴られ|なぐられ|殴るって|なぐるって|暴力|ぼうりょく|殺すって|ころすって|殺される|ころされる|刺され|さされ"
    # 「殴ってくる」 「叩いてくる」 「蹴ってくる」: someone hitting, told from the person's side
    r"|(?:殴|なぐ|叩|たた|蹴|け|ぶ)(?:っ|い)て(?:くる|きた|きます|くるん)|手を(?:上げ|あげ)(?:る|られ|てく)"
    r"|(?:物|もの)(?:を)?(?:投げ|なげ)(?:て|られ)|(?:叩|たた)かれ|蹴られ|けられ|首(?:を)?(?:絞|し)め"
    # 「ドア叩いてる」 「家に来てる」: someone at the door now
    # 「今隠れてる。声出せない」 「追いかけられてる」: hiding or fleeing from someone now
    r"|(?:隠|かく)れて(?:る|いる|います|ます)|声(?:が|を)?(?:出せ|だせ)(?:ない|へん|ません)|(?:逃|に)げて(?:る|いる|います|きた)"
    r"|(?:追|お)いかけられ|(?:追|お)われて(?:る|いる)|(?:つけ|付け|尾行)られ|監禁|かんきん|閉じ込められ|とじこめられ"
    r"|(?:ドア|どあ|玄関|げんかん|扉|とびら)(?:を|が)?(?:叩|たた|どんどん|ドンドン|蹴|け)|(?:家|いえ|うち)(?:に|まで)(?:来て(?:る|いる)|きて(?:る|いる)|押しかけ)"
)


# 「借金から逃げてる」 「督促の電話から逃げてる」: fleeing a debt, not a person.
_NOT_DANGER = _compile(
    r"(?:借金|しゃっきん|返済|へんさい|支払い?|しはらい|督促|とくそく|現実|げんじつ|電話|でんわ|請求|せいきゅう)(?:の電話|のでんわ)?(?:から)?(?:逃|に)げて"
)


def in_danger_now(text: str) -> bool:
    """True when the words tell of someone at the door or violence: call 110 now."""
    return bool(_DANGER_NOW.search(_NOT_DANGER.sub("", safety_key(text))))


def is_threatened(text: str) -> bool:
    """True when the words tell of threats or collectors at home or work."""
    return bool(_THREAT.search(safety_key(text)))


# ------------------------------------------------------------------ an urgent lost card

_LOST = _compile(
    r"(?:かーど|カード|財布|さいふ|かばん|鞄|バッグ|ばっぐ).{0,40}?"
    r"(?:落と|おと|無くし|なくし|失くし|無くなっ|なくなっ|紛失|ふんしつ|盗ま|ぬすま|盗られ|とられ|すられ|スられ|掏られ|ひったくられ"
    r"|見当たら|みあたら|置き忘れ|おきわすれ|忘れてき|わすれてき|置いてき|おいてき|どこかに|どっかに|どっかいっ|どこかいっ|行方不明|捨て|すて)"
    r"|(?:落と|おと|無くし|なくし|失くし|盗ま|ぬすま|盗られ|とられ|すられ).{0,6}?(?:かーど|カード|財布|さいふ)"
    r"|(?:財布|さいふ|かばん|鞄|バッグ|ばっぐ)(?:を|ごと)?(?:忘れ|わすれ)|盗難|とうなん|紛失(?:した|届|とどけ|しま|です|て)|ふんしつ(?:した|とどけ)"
    r"|(?:盗ま|ぬすま|盗られ|とられ|すられ)(?:れ)?(?:た|ました|てる|ちゃ)"
    r"|(?:かーど|カード)が(?:ない|無い|見つからない|みつからない)(?!人|ひと|ので|から|けど|契約|けいやく|たいぷ|ほう|方)"
    r"|置き引き|おきびき|ひったくり|車上荒らし|しゃじょうあらし|空き巣|あきす|(?:無くし|なくし|失くし|落とし|おとし)(?:た|ました|ちゃった)$"
)
_STOP_CARD = _compile(
    r"(?:かーど|カード).{0,24}?(?:止め|とめ|停止|ていし|無効|むこう)(?:たい|て(?!もら|あ|い[るた]|た|ない|ほしくな)|なきゃ|ないと|たく|る方法|るほうほう|てほしい|てください|てもらえ|させたい|して(?:ほしい|ください)|したい)"
)
_NOT_LOST = _compile(
    r"(?:落と|おと|無くし|なくし|失くし|盗ま|ぬすま|盗られ|とられ)(?:して|され)?(?:ない|なかっ|ません|てない|ていない|てません|てへん|てねえ)"
    r"|(?:た|し|て)?わけ(?:じゃ|では)(?:ない|なく|ありません|ねえ)|(?:れ|し)?た(?:の)?(?:じゃ|では)(?:ない|なく)"
    r"|見つか|みつか|出てきた|でてきた|(?<!に)あった$|(?<!に)ありました|手元にあ|てもとにあ"
)
# 「カードが止められた」: the lender stopped it (suspended use), not a loss.
_SUSPENDED = _compile(r"止められ(?:た|て|ました|てる)|とめられ(?:た|て|ました|てる)|止まっ|とまっ")


def is_urgent_loss(text: str) -> bool:
    """True when a card (or the wallet holding it) is lost or stolen, or the user wants it stopped now."""
    key = safety_key(text)
    stop = bool(_STOP_CARD.search(key))
    if _NOT_LOST.search(key) and not stop:
        return False
    lost = bool(_LOST.search(key))
    if _SUSPENDED.search(key) and not lost:
        return False
    return lost or stop


# ------------------------------------------------------------------ leaving

_WITHDRAW = _compile(
    r"(?:退会|たいかい|脱会|だっかい|解約|かいやく)(?!し(?:た(?!い)|て(?:る|ある|いる|ます))|済|ずみ|後|ご)|会員(?:を)?(?:やめ|辞め|抜け)|かいいん(?:を)?(?:やめ|ぬけ)"
    r"|契約(?:を)?(?:終わ|おわ|解除|かいじょ|やめ|辞め|終了|しゅうりょう|切|き[りっ])|けいやく(?:を)?(?:おわ|かいじょ|やめ|しゅうりょう)"
    r"|(?:ぼっと|ボット|bot|このサービス|このさーびす)(?:を)?(?:やめ|辞め|使うのをやめ|つかうのをやめ|卒業|そつぎょう|抜け|ぬけ)"
    r"|(?:アカウント|あかうんと)(?:を)?(?:閉|と[じざ]|解約|かいやく|やめ|辞め)|友だち(?:を)?(?:解除|やめ)|ともだち(?:を)?(?:かいじょ|やめ)"
    r"|(?:ぼっと|bot|さーびす)の?(?:利用|りよう)(?:を)?(?:やめ|辞め|停止|ていし|終了|しゅうりょう)|(?:ぼっと|bot)(?:を)?(?:解除|かいじょ|ぶろっく)"
    r"|会員登録(?:を)?(?:取り消|とりけ|削除|解除|やめ)|(?:口座|こうざ)(?:を)?(?:閉じ|とじ|解約|閉鎖|へいさ)"
    r"|契約(?:自体|じたい|ごと)?(?:を)?(?:なくし|無くし|終わら|おわら)|(?:さーびす|ぼっと|bot)(?:は|を|も)?(?:もう)?(?:使わな|つかわな)"
)


# 「前の電話番号はもう解約した」: a phone line or a number cancelled, not the loan or the bot.
_PHONE_CANCELLED = _compile(
    r"(?:電話|でんわ|番号|ばんごう|携帯|けいたい|すまほ|回線|かいせん|sim|めーる|あどれす|めあど|キャリア)(?:は|を|が|も)?(?:もう)?(?:解約|かいやく)"
)


def is_withdrawal(text: str) -> bool:
    """True for 「退会したい」 「解約したい」 「このボットやめたい」: leaving the bot or the loan contract."""
    key = safety_key(text)
    return bool(_WITHDRAW.search(key)) and not _PHONE_CANCELLED.search(key)


# ------------------------------------------------------------------ what a deletion is about

Scope = Literal["all", "reminders", "reminder", "fact", "ask"]

_DELETE = _compile(
    r"(?:全部|ぜんぶ|すべて|全て|何もかも|なにもかも|こと|件|話)(?:は|を)?(?:忘れ|わすれ)|(?<!解)消して|けして|(?<!解)消す|けす|(?<!解)消し|けし|削除|さくじょ|消去|しょうきょ|取り消|とりけ|きゃんせる|キャンセル|止めて|とめて|やめて"
    r"|いらない|要らない|不要|ふよう|解除|かいじょ|くりあ|クリア|捨て|破棄|はき|抹消|まっしょう|なかったことに|なしにして|なしで"
    r"|止めたい|とめたい|やめたい|消えて(?:ほしい|欲しい|くれ)|要らん|いらん|いらへん|要らへん|(?<![a-z])(?:delete|erase|remove|forget)(?![a-z])|外して|はずして|しなくて(?:いい|良い)|結構です|けっこうです|もういい(?:です)?$|おふ(?:に|で)|止めといて|とめといて"
)
# 「遅れた話」 「延滞のこと」 「カードの件」: a fact spoken of as a thing, to be deleted on its own.
_ABOUT_IT = _compile(
    r"(?:話|はなし|こと|件|けん|情報|じょうほう|とこ|ところ)(?:は|も|を)?(?:もう)?(?:消|け|削除|さくじょ|忘れ|わすれ)"
    # 「カードなくしたのは消しといて」 「返済日を消して」: the fact itself, named just before the verb
    r"|の(?:は|も|を)(?:消|けし|削除|さくじょ)|(?:返済日|へんさいび|延滞|えんたい|紛失|ふんしつ)(?:は|も|を)(?:消|けし|削除|さくじょ)"
)
# A deletion told in the past (「メール消しちゃった」 「アプリ削除した」): done by the person, not asked of the bot.
_DONE_ALREADY = _compile(
    r"(?:消し|けし|削除し|さくじょし|消去し)(?:ちゃった|ちまった|てしまった|てしまいました|た(?![いら])|ました)"
    # 「消したら戻せる？」 「削除しても大丈夫？」: asked about, not asked for
    r"|(?:消し|けし|削除し|さくじょし|消去し)(?:たら|ても(?=いい|良い|大丈夫|だいじょうぶ|平気|へいき|かまわ|構わ|問題|もんだい|戻|もど|復元|ふくげん|[?？]|$)|たあと|た後|ちゃったら|たく?な(?:っ)?たら|たい(?:時|とき))"
    # 「ゼロ消して打ってた」: something left out while typing, told
    r"|(?:消し|けし|抜い|ぬい)て(?:打|う|入れ|いれ|入力し|にゅうりょくし)(?:って|て)(?:た|ました|いた)"
)
_REMINDER_WORDS = _compile(
    r"最後に(?:入れ|いれ|設定|作っ|登録)|りまいんだ|りまいんど|お知らせ|おしらせ|通知|つうち|あらーむ|予定|よてい|番目|ばんめ|つ目|つめ|個目|こめ|(?<![a-z])no\d|\d番|\dと\d|両方|りょうほう|どっちも|一番上|いちばんうえ"
    r"|一番下|いちばんした|最初の|さいしょの|最後の|さいごの|上の|(?<![ぁ-ん])うえの|下の|(?<![ぁ-ん])したの|さっきの|今のやつ|いまのやつ|やつ|りまいんど"
)
_REMINDER_NOUNS = _compile(r"りまいんだ|りまいんど|お知らせ|おしらせ|通知|つうち|あらーむ|予定|よてい")
# 「それ消して」: a reminder when the list was just shown, else unclear.
_THAT = _compile(r"それ|これ|あれ|そっち|こっち")
_ALL_DATA = _compile(
    r"でーた|データ|記録|きろく|情報|じょうほう|履歴|りれき|話したこと|はなしたこと|覚えてること|おぼえてること|覚えていること|教えたこと"
    r"|おしえたこと|登録内容|とうろくないよう|あかうんと|アカウント|私のこと|わたしのこと|僕のこと|ぼくのこと|俺のこと|おれのこと|自分のこと"
    r"|じぶんのこと|覚えてるの|おぼえてるの|覚えてるもの|個人情報|こじんじょうほう|会話|かいわ|何もかも|なにもかも|全部忘れ|ぜんぶわすれ|すべて忘れ|すべてわすれ|全て忘れ"
    r"|話した内容|はなしたないよう|何も残さ|なにものこさ|跡形も|あとかたも|痕跡|こんせき|(?<![a-z])data(?![a-z])"
)
_EVERY = _compile(
    r"(?<![a-z])all(?![a-z])|全部|ぜんぶ|全消し|ぜんけし|すべて|全て|まるごと|丸ごと|一切|いっさい|完全に|かんぜんに|根こそぎ|ねこそぎ|何もかも|なにもかも|両方|りょうほう|どっちも|どちらも|みんな|全件|ぜんけん|all"
)
# A fact of the situation named in the request (「返済日の記録」 「紛失の記録」): one record, not all.
_FACT_WORDS = _compile(
    r"返済日|へんさいび|払えて(?:い)?な|はらえて(?:い)?な|払って(?:い)?な|はらって(?:い)?な|未払|みばらい|滞納|たいのう|紛失|ふんしつ|盗難|とうなん|(?:かーど|カード).{0,8}(?:なくし|無くし|落と|紛失)|原因|げんいん|遅れ|おくれ|延滞|えんたい"
    r"|停止|ていし|時刻|時間|回数|間違|まちが|来店|らいてん|契約機|けいやくき|状況の一部|(?<![なん])だけ(?!ど)|(?:かーど|カード)の(?:記録|きろく)"
)


_STRONG_DATA = re.compile(
    r"でーた|data|個人情報|こじんじょうほう|あかうんと|なにものこさ|何も残さ|跡形も|あとかたも|痕跡|こんせき"
)


# 「ロック解除の方法だけ教えて」: unlocking a login (the lender's), nothing to delete here.
_UNLOCKING = _compile(
    r"(?:ろっく|制限|せいげん|停止|ていし|凍結|とうけつ|利用停止)(?:の|を)?(?:解除|かいじょ)|(?:解除|かいじょ)(?:の)?(?:方法|ほうほう|仕方|しかた|やり方|やりかた|手順|てじゅん)"
)


# 「延滞なしで」: a fact told (nothing late), not 「なしで」 asking for something to go.
_NONE_TOLD = _compile(r"(?:延滞|えんたい|遅れ|おくれ|滞納|たいのう)(?:は|も)?(?:なし|無し)(?:で|です)?")


# 「3分後にお風呂止めてってリマインドして」: the words of a reminder's text, not a deletion.
_TASK_QUOTED = _compile(
    r"^.*(?:って|と)(?=(?:りまいんど|教えて|おしえて|知らせて|しらせて|通知して|お知らせして|入れて|いれて|登録))"
)


def deletion_scope(text: str, reminder_named: bool = False, listed: bool = False) -> Scope | None:
    """What a request to delete is about; None when it asks to delete nothing.

    ``reminder_named``: a word of one of the user's reminders is in the message (「薬の止めて」);
    ``listed``: the user's reminders were the last thing shown (「それ消して」 is one of them).
    Everything of the user goes only when the words say all of their data; a reminder, a fact or a
    record stays scoped; a request that names nothing (「全部消して」) is asked about.
    """
    key = safety_key(text)
    # English words run together in the key (「deleteallmydata」): read them with their spaces.
    key += " " + " ".join(re.findall(r"[a-z]+", text.lower()))
    if not _DELETE.search(_TASK_QUOTED.sub("", _UNLOCKING.sub("", _DONE_ALREADY.sub("", _NONE_TOLD.sub("", key))))):
        return None  # 「メール消しちゃった」: something the person deleted, told; nothing asked
    data = bool(_ALL_DATA.search(key))
    every = bool(_EVERY.search(key))
    # 「さっきのカード落とした話、消しといて」: 「さっきの」 points at the fact it names, not a reminder.
    pointed = bool(_REMINDER_WORDS.search(key)) and not (
        _names_a_fact(key, data, every) and not _REMINDER_NOUNS.search(key)
    )
    reminders = pointed or reminder_named or (listed and bool(_THAT.search(key)))
    if reminders:
        return _reminder_scope(key, data, every)
    if _names_a_fact(key, data, every):
        return "fact"  # 「返済日だけ消して」 「遅れた話は消しといて」: that record
    if data and (every or _STRONG_DATA.search(key)):
        return "all"
    return "ask"


def _names_a_fact(key: str, data: bool, every: bool) -> bool:
    """True when the deletion names records of the situation, not all of it (「返済日だけ」 「遅れた話は」
    「カードの件と返済日を」)."""
    named = {m.group(0)[:2] for m in _FACT_WORDS.finditer(key)}
    only = bool(re.search(r"(?<![なん])だけ(?!ど)", key))  # 「返済日だけ」, not 「なんだけど」
    return bool(named) and not every and (data or only or bool(_ABOUT_IT.search(key)) or len(named) > 1)


def says_everything(text: str) -> bool:
    """True when the words say 「全部」 (of whatever is being deleted)."""
    return bool(_EVERY.search(safety_key(text)))


def _reminder_scope(key: str, data: bool, every: bool) -> Scope:
    """A deletion that names reminders: all of the data only when it says so, else one or all reminders."""
    if data and every:
        return "all"  # 「リマインダーも記録も全部消して」: everything, said so
    return "reminders" if every and not re.search(r"\d|番目|つ目|個目", key) else "reminder"


_POSITION = _compile(
    r"(?<!\d)(\d{1,2})(?:番目|ばんめ|つ目|つめ|個目|こめ|番(?!号))|(?<![a-z])no\.?(\d{1,2})|(一|二|三|四|五|ひと|ふた|みっ|よっ|いつ)つ(?:目|め)"
    r"|(一|二|三|四|五)(?:番目|個目|こめ)|(最初|さいしょ|一番上|いちばんうえ|上の|うえの)|((?:最後|さいご)(?!に(?:入れ|いれ|設定|せってい|作っ|つくっ|登録|とうろく))|一番下|いちばんした|下の|したの)"
)
_ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "ひと": 1, "ふた": 2, "みっ": 3, "よっ": 4, "いつ": 5}


def position(text: str) -> int | None:
    """The position a request names in the list shown (1-based); -1 for 「最後の」; None when none."""
    match = _POSITION.search(safety_key(text))
    if match is None:
        return None
    digits, number, kana, kanji, first, last = match.groups()
    if digits or number:
        return int(digits or number)
    if kana or kanji:
        return _ORDINALS[kana or kanji]
    if first:
        return 1
    return -1 if last else None


# ------------------------------------------------------------------ a card at hand
