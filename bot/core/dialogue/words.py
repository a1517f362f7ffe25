"""Word lists and patterns the conversation reads with (shared by the router and the skills)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core.dialogue.asked import asks_what_is_kept
from bot.core.understanding import ANSWERS, Scored
from bot.core.understanding.textnorm import normalize

# Longer messages are cut before matching: nobody describes a login problem in 1,000 characters,
# and it keeps the cost of a 10,000-character paste bounded.

MATCH_LIMIT = 1000
_NUMBER = re.compile(r"(\d{1,3})[).．。番]?")
# A letter, a digit, kana or a kanji: without one there is nothing to read (emoji, "ー", "!!!").
_MEANINGFUL = re.compile(r"[0-9a-z\u3041-\u3096\u30a1-\u30fa\u3400-\u9fff]")
# Confidence bands of a reading (held-out calibration in the README): from ACT on the bot acts,
# from ASK on it asks 「もしかして」 with the likely meanings, below that it says it did not understand.
ACT = 0.5
ASK = 0.2
# A second cause in the same message is taken from this confidence on.
ALSO_CAUSE = 0.5
MAX_MAYBE = 3
# Intents that mean "the advice did not help" when said right after a result.
STILL_STUCK = frozenset({"not_solved", "cant_login"})
# Readings under which a message may name one of the user's reminders (「ジムのやつやめたい」 reads as quit).
_ABOUT_REMINDERS = frozenset({"cancel_reminder", "quit", "reminders", "remind_repay", "remind_visit", "remind_free"})
# A negation at the end of a verb that a reading of "solved" may have missed (dialects included).
_DENIED = re.compile(
    r"(?<!問題)(?<!もんだい)(?<!難)(?<!なん)な[いくかけ]|ません|ず[、。!！?？\s]*$|ねえ|ねー|へん|ひん|ん[、。!！?？…\s]*$|ん(?:よう|く)"
)
_KEEP = re.compile(r"ほしくない|欲しくない|消さな|けさな|消さん|削除しな|削除せん|消すな|消しちゃだめ|残して|のこして")
# 「消して」 「削除してください」 to the deletion question: a yes in the words of the request.
_FORGET_YES = frozenset(
    normalize(w)
    for w in "消して 消してください けして 削除 削除して 削除してください 削除する 消す 全部消して はい消して".split()
)
# A repayment that is late, or due today, when the words are about repaying and not about logging in.
_REPAY_WORDS = (
    "返済",
    "へんさい",
    "支払",
    "しはらい",
    "払い",
    "はらい",
    "払え",
    "はらえ",
    "引き落とし",
    "引き落とされ",
    "口座振替",
    "残高不足",
    "残高が足り",
    "残高足り",
)
_TODAY_WORDS = ("今日", "きょう", "本日")
# Repaying is hard (no day named): 「返せない」 「首が回らない」; with a repayment word also 「無理」.
_HARD_WORDS = (
    "返せない", "かえせない", "払えない", "はらえない", "返済できない", "支払えない", "首が回らない",
    "くびがまわらない", "お金がない", "おかねがない", "金がない", "借金が", "返せそう", "払えそう", "取り立て",
    "とりたて", "債務整理", "さいむせいり", "闇金", "やみきん", "借金地獄", "多重債務",
)  # fmt: skip
_HARD_WITH_REPAY = (
    "苦し",
    "くるし",
    "無理",
    "むり",
    "きつい",
    "厳し",
    "きびし",
    "できない",
    "できません",
    "間に合わない",
    "できそうにない",
    "できそうもない",
    "無理そう",
    "足りない",
    "たりない",
)
# Which record 「〜の記録だけ消して」 means ("" when only 「だけ」 says it is one: the list to pick from).
_RECORD_WORDS = (
    ("due_day", ("返済日", "へんさいび")), ("card_lost", ("紛失", "盗難", "カード", "かーど")), ("cause", ("原因",)),
    ("overdue", ("遅れ", "延滞", "滞納", "払えてな", "払えてへん", "払ってな", "払ってへん", "未払")), ("suspended", ("停止",)), ("reminder_time", ("時刻", "時間")),
    ("wrong_attempts", ("回数", "間違", "まちが")), ("visit_done_at", ("来店", "契約機")),
)  # fmt: skip
# 「人間出せ」 「担当の人につないで」: a person, now.
_PERSON = re.compile(
    r"(?:人間|ひと|人|担当|係|オペレーター)(?:の人|さん)?(?:を|に|と)?(?:出せ|出して|だして|代わ|かわって|つないで|繋いで|話したい|話させ)"
)
# What only logging in (or getting it to work) says: without it, "solved" is not acted on.
_SUCCESS_WORDS = re.compile(
    r"ログイン|ろぐいん|入れ|はいれ|いれた|つなが|繋が|開|ひら|解除|解決|でき|いけ|通っ|とおっ|直っ|なおっ|治っ|使え|見れ|みれ|ok|おっけ|大丈夫"
)
_PHONE_WORDS = ("電話", "でんわ", "こーる", "0120", "オペレーター", "おぺれーたー", "フリーダイヤル", "ふりーだいやる")
_NOT_THROUGH = re.compile(r"つながら|つながん|繋がら|繋がん|でない|出ない|出てくれない|通じない|話し中|はなしちゅう")
# A task that already happened or failed is a report (「明日の10時に…」 never ends like this), not a plan:
# 「12/5 10時に振込」 is a reminder even if 振込 reads like maintenance; 「…にロックされた」 is not.
_HAPPENED = re.compile(r"ない|なかった|ません|でした|ました|れた|った$|た$|てる|ている")
# Never offered as a guess: 「ログインできた？」 to someone who wrote 「人生終わった」 would hurt.
_NEVER_SUGGESTED = frozenset({"solved", "forget"})  # never guess 「すべて削除」 either
_LOGIN_WORDS = ("ログイン", "ろぐいん", "入れない", "はいれない", "使えない", "利用でき", "停止", "止め", "ロック")


def _acts(top: Scored) -> bool:
    """A confident meaning other than a short answer: a command or a cause, whatever was asked."""
    return top.score >= ACT and top.intent not in ANSWERS and top.intent != "none"


# Paid after all: 「延滞分はもう払いました」 「延滞は解消した」 (not 「返したいけど」).
# Words of the bot's subject (money, logging in, the lender), as a pattern on the key.
SUBJECT_WORDS = (
    r"ろぐいん|かーど|暗証|あんしょう|ぱすわーど|返済|へんさい|支払|しはらい|借|かり|金利|きんり|利息|りそく|限度|げんど"
    r"|口座|こうざ|atm|振込|ふりこみ|契約|けいやく|会員|かいいん|あぷり|電話|でんわ|番号|ばんごう|ろっく|審査|しんさ|融資|ゆうし"
    r"|延滞|えんたい|遅れ|おくれ|明細|めいさい|残高|ざんだか|手続|てつづき|解約|かいやく|id|めーる|sms"
    r"|めあど|再発行|さいはっこう|完済|かんさい|証明|しょうめい|認証|にんしょう|機種変|きしゅへん"
)
# 「延滞分はもう払いました」 「今払ってきた！」: a repayment made (not 「払ったら…」, a condition).
_PAID = re.compile(
    r"払ってきた|はらってきた|払ってきました|返してきた|返済してきた|返済しました|入金して(?:きた|きました)|振り込んで(?:きた|きました)"
    r"|払いました|払った(?![らり])|はらった(?![らり])|はらいました|返しました|返した(?![いく])|かえした(?![いく])|入金し(?:た|ました)|振り込(?:みました|んだ)"
    r"|解消|かいしょう|済ませ|すませ|支払い?済|払い終わ|完済|かんさい"
)
# Choice values that answer a reminder question (a time, a set-up control, an action on a reminder).
_REMINDER_CHOICE = re.compile(r"r[a-z]*:")
# Words that move a time (「11時にずらして」): a change to a reminder, not a new one.
_MOVE = re.compile(r"ずらし|ずらす|変え|かえて|変更|へんこう|にして|移動|遅らせ|早め")
# A plain "no" to a menu of things to do: the menu's own 「やめる」 (nothing is done).
_DECLINE = re.compile(
    r"(?:あ|いや|やっぱり|やっぱ)?[、,\s]*"
    r"(?:いいえ|いえ|いや|いやいや|ううん|いい|いいや|やめる|やめます|やめとく|やめておく|やめときます|けっこうです|結構です"
    r"|大丈夫|だいじょうぶ|いらない|いりません|なし|何もしない|なにもしない)[。.!！、ー〜]*(?:です)?[。.!！]*"
)
# Words a label and an answer may differ by: 「今回の分だけ止める」 is 「今回だけ」.
_LABEL_FILLER = re.compile(r"の分|ぶん|止める|とめる|変える|かえる|する|を|の|に|です|で|お願い|おねがい")
_SYNONYM_OF = {
    "時刻": "日時",
    "時間": "日時",
    "じかん": "日時",
    "じこく": "日時",
    "日付": "日時",
    "ひづけ": "日時",
    "日にち": "日時",
    "全部": "すべて",
    "ぜんぶ": "すべて",
}
_SYNONYMS = re.compile("|".join(map(re.escape, sorted(_SYNONYM_OF, key=len, reverse=True))))
# Questions answered on the side: a set-up in progress stays and is asked again after the answer.
_ASIDES = frozenset({"help", "about_bot", "call", "machines", "show_ids", "thanks", "pin_by_phone", "reminders"})
# Words about logging in: only these take a person out of a reminder set-up into a diagnosis.
_LOGIN_TOPIC = re.compile(
    r"ろぐいん|ログイン|入れ|はいれ|ろっく|ロック|暗証|あんしょう|ぱすわーど|パスワード|かーど|カード|めんて|メンテ|停止|ていし"
    r"|えらー|エラー|会員|かいいん|あぷり|アプリ|さいと|サイト|画面|がめん|web|(?<![a-z])id(?![a-z])|使えな|つかえな"
)
_STOP_WORDS = re.compile(r"止めて|とめて|止めたい|とめたい|やめて|停止|ていし|お休み|おやすみ|休み|やすみ|止めと")
_ASK_HOURS = re.compile(
    r"(?:電話|でんわ|こーる|オペレーター|おぺれーたー|窓口|まどぐち).{0,6}(?:何時|なんじ|いつ(?:まで|から)|時間|じかん|営業|やって|つながる時間)"
)
# 「どこに電話すればいい」 「何番にかければ」: the number to call.
_WHERE_TO_CALL = re.compile(
    r"(?:どこ|どちら|どの番号|何番|なんばん|誰|だれ)(?:に|へ)?(?:電話|でんわ|かけ|連絡|れんらく|問い合わせ|といあわせ)"
)
_WISHED = re.compile(r"ように(?:したい|して|なりたい|なって|ならない)|(?:でき|いけ|入れ|はいれ)(?:たい|るかな|ますか)")
_BEFORE_BUT = re.compile(
    r"(?:昨日|きのう|前|まえ|この前|さっき|以前|今まで|いままで)(?:は|まで)|のに$|のに[、。!！?？]|のに(?:今|いま)"
)
_NOW_SOLVED = re.compile(
    r"(?:解除|かいじょ|解決|かいけつ)(?:された|できた|できました|してもらった|してもらいました|されました|した$|しました)|直りました|なおりました|治りました"
)
# 「どうすれば」 right after a result: the result again, not 「読み取れませんでした」.
_WHAT_NOW = re.compile(
    r"どうすれば|どうしたら|どうする|どうすん|どうすっ|どない(?:し|す)|どげんす|何すれば|なにすれば|次は|つぎは|どうしよう|どうすりゃ"
    # 「じゃあ何を入れるの？」 at a result that says what to type: its steps again
    r"|(?:何|なに|なん|どれ)(?:を)?(?:入れ|いれ|入力|にゅうりょく|打|う[つて])(?:る|れば|たら|ばいい|の)"
)
# Feelings said in a few words: heard in one line before the next step (fear or sadness; anger).
_FEAR = re.compile(
    r"怖い|こわい|怖く|こわく|眠れな|ねむれな|寝られ(?:ん|な|へん)|寝れ(?:ん|な|へん)|不安|ふあん|泣きそう|なきそう|泣いて|泣きたい|なきたい|つらい|辛い|しんどい|心配|しんぱい|焦|あせ|パニック|ぱにっく|疲れ|つかれ"
    r"|こんな目に|こんなめに|ついてない|落ち込|おちこ|へこむ|凹む|もう嫌|もういや|困り果て|どうしよ|ばれたら|バレたら|ばれる|バレる"
    r"|わけわかんな|わけわからな|訳わからな|わけがわからな|混乱|こんらん"
    r"|限界|げんかい|もうだめ|もうダメ|もう無理|もうむり|絶望|ぜつぼう|首が回らない|くびがまわらない|首(?:が)?(?:回|まわ)ら(?:ん|へん)|どうにもならない"
    r"|誰にも言えな|だれにもいえな|誰にも相談でき|だれにもそうだんでき|相談できる人がいな|そうだんできるひとがいな"
    r"|もう(?:どうでもいい|どうなってもいい|どうにでもなれ)|(?:人生|全部|ぜんぶ|何もかも|なにもかも)(?:が|も)?(?:どうでもいい|どうなってもいい)|やけくそ|ヤケクソ|投げやり|なげやり"
    # 「なんかもう疲れた」 「気力もない」: worn out, heard with people who listen
    r"|(?:ため|為)に(?:生|い)きて(?:る|いる)|もう(?:疲れ|つかれ)|(?:疲れ|つかれ)(?:果て|はて|きっ)|気力(?:が|も)?(?:ない|なく|わかな)|きりょく(?:が|も)?(?:ない|なく)|何もしたくな|なにもしたくな"
)
# At the end of one's rope (no words of crisis): heard, and the free counselling offered at once.
_DESPAIR = re.compile(
    r"限界|げんかい|もうだめ|もうダメ|もう無理|もうむり|絶望|ぜつぼう|首が回らない|くびがまわらない|首(?:が)?(?:回|まわ)ら(?:ん|へん)|どうにもならない"
    r"|誰にも言えな|だれにもいえな|誰にも相談でき|だれにもそうだんでき|相談できる人がいな|そうだんできるひとがいな"
    r"|もう(?:どうでもいい|どうなってもいい|どうにでもなれ)|(?:人生|全部|ぜんぶ|何もかも|なにもかも)(?:が|も)?(?:どうでもいい|どうなってもいい)|やけくそ|ヤケクソ|投げやり|なげやり"
    # 「なんかもう疲れた」 「気力もない」: worn out, heard with people who listen
    r"|(?:ため|為)に(?:生|い)きて(?:る|いる)|もう(?:疲れ|つかれ)|(?:疲れ|つかれ)(?:果て|はて|きっ)|気力(?:が|も)?(?:ない|なく|わかな)|きりょく(?:が|も)?(?:ない|なく)|何もしたくな|なにもしたくな"
    # 「もう全部どうでもよくなった」 「疲れた」 alone
    r"|どうでも(?:よく|良く)なっ|^(?:なんか|ほんと|ほんとに|本当に|すごく|めっちゃ|まじで)?(?:疲れ|つかれ)(?:た|ちゃった|ました|てる)(?:な|よ|わ|ー|…|\.)*$"
)
_ANGER = re.compile(
    r"ふざけ|むかつ|ムカつ|腹立|はらた|いい加減|いいかげん|最悪|さいあく|ありえない|何なの|なんなの|くそ|クソ|イライラ|いらいら|イラつ|いらつ"
    r"|使えね|つかえね|役に立たな|やくにたたな|役立たず|やくたたず|ぽんこつ|ポンコツ"
)


def _exact_reading(key: str, text: str, top: Scored) -> Scored | None:
    """Where exact words overrule the classifier's reading (None: they do not)."""
    for rule in _EXACT_RULES:
        found = rule(key, text, top)
        if found is not None:
            return found
    return None


def _to(top: Scored, intent: str) -> Scored:
    return replace(top, intent=intent, score=max(top.score, ACT))


def _the_phone_line(key: str, text: str, top: Scored) -> Scored | None:
    """「人間出せ」; 「0120に電話したけどつながらない」: the phone line, not the website, is what fails;
    「電話って何時まで？」: the call step says the hours."""
    phone = any(w in key for w in _PHONE_WORDS)
    fails = phone and _NOT_THROUGH.search(key)
    unsure = top.score < ACT or top.intent in ("none", "cant_login", "maintenance")
    asked = _ASK_HOURS.search(key) or _WHERE_TO_CALL.search(key)
    if _PERSON.search(key) or (phone and top.intent == "maintenance") or (fails and unsure) or asked:
        return _to(top, "call")
    return None


def _the_record(key: str, text: str, top: Scored) -> Scored | None:
    """「わたしのこと何が記録されてる？」: the record itself, not what the bot is."""
    return _to(top, "status") if asks_what_is_kept(key) else None


def _fixed_now(key: str, text: str, top: Scored) -> Scored | None:
    """「ロックはもう解除された」: fixed, not the advice again."""
    if top.intent not in ("solved", "not_solved") and _NOW_SOLVED.search(key) and not _DENIED.search(text):
        # 「解除してもらったのにまたロックされた」: fixed once, broken again: not solved.
        return None if _AGAIN_BROKEN.search(key) else _to(top, "solved")
    return None


# 「…のにまた」 「またロック」 「まだ入れない」: the fix did not hold.
_AGAIN_BROKEN = re.compile(
    r"のに|けど|また(?:ろっく|入れ|はいれ|だめ|ダメ|できな|止ま)|まだ(?:入れ|はいれ|できな|だめ)"
)


def _solved_doubted(key: str, text: str, top: Scored) -> Scored | None:
    """A reading of "solved" the words do not bear out: never "glad you got in" on a guess."""
    if top.intent != "solved":
        return None
    if _WISHED.search(key):
        return replace(top, intent="cant_login")  # 「ログインできるようにしたい」: wanted, not done
    if _BEFORE_BUT.search(key):
        return replace(top, intent="cant_login")  # 「昨日は入れたのに」: it worked before, not now
    if not _SUCCESS_WORDS.search(key) or _ASKING.search(text):
        # 「警察にはもう行った」: done something, not logged in; 「ちゃんと直った？」 「保存できた？」: asked
        return replace(top, intent="none", score=0.0)
    if _DENIED.search(text):
        return replace(top, intent="not_solved")  # 「入れん」 「できひん」: a negation the reading missed
    return None


# A question is never a goodbye or a thank-you (「いつ終わりますか」 is not 「終わります」).
_ASKING = re.compile(
    r"[?？]|(?:ますか|ですか|でしょうか|かな|っけ)[。…\s]*$|いつ|どのくらい|どれくらい|なんで|なぜ|どうして"
)


def _no_goodbye_in_a_question(key: str, text: str, top: Scored) -> Scored | None:
    if top.intent in ("bye", "thanks") and _ASKING.search(text):
        return replace(top, intent="none", score=0.0)
    return None


# 「じゃあ27日で」: a day or a time given; 「じゃあ」 there is "then", not a goodbye.
_TIME_SAID = re.compile(
    r"\d+\s*(?:日|時|分)|明日|あした|明後日|あさって|今日|きょう|今夜|こんや|来週|らいしゅう|末日|月末|[月火水木金土日]曜"
)


def _no_goodbye_with_a_time(key: str, text: str, top: Scored) -> Scored | None:
    if top.intent in ("bye", "thanks") and _TIME_SAID.search(text):
        return replace(top, intent="none", score=0.0)
    return None


# 「…の思い出させて」 「…リマインドして」 with a time: a reminder asked for in so many words.
_REMIND_ASKED = re.compile(r"リマインド|りまいんど|思い出させ|おもいださせ")


def _a_reminder_asked(key: str, text: str, top: Scored) -> Scored | None:
    sure = top.intent.startswith("remind_") and top.score >= ACT
    if sure or not _REMIND_ASKED.search(key) or not _TIME_SAID.search(text):
        return None
    return _to(top, top.intent if top.intent.startswith("remind_") else "remind_free")


# 「マイページ入れない」 「会員ページにログインできん」: can't log in, said in so many words.
_CANT_GET_IN = re.compile(
    r"(?:まいぺーじ|会員ぺーじ|会員さいと|会員さーびす|ろぐいん|あぷり|さいと|ぺーじ|だけ|のほう|の方)(?:に|が|へ|も|は)?"
    r"(?:入れな|はいれな|入れん|はいれん|入れへん|はいれへん|入られへん|はいられへん|入られな|はいられな|入られん|はいられん|入れず|はいれず|入れません|はいれません"
    r"|ろぐいんできな|できな|できず|できません|出来な|出来ず|出来ません|開けな|ひらけな|開かな|ひらかな|弾かれ|はじかれ)"
    # 「ログインができず」 「…入れたのですが、入れません」 「パスワード合ってるのに弾かれる」
    r"|ろぐいん(?:が|も)?(?:でき|出来)(?:な|ず|ません|ひん|へん)"
    r"|(?:が|けど|けれど|のに|ども)(?:全然|ぜんぜん|まだ)?(?:入れません|はいれません|入れない|はいれない|入れん|はいれん)$"
    r"|(?:合って|あって|正しい|ただしい)(?:る|いる)?(?:はず)?(?:なのに|のに|けど).{0,6}(?:弾かれ|はじかれ|入れな|はいれな|えらー)"
    # 「生年月日入れるとこで弾かれる」 「IDのとこでエラーになる」: an entry field refused
    r"|(?:とこ|ところ|欄|らん|画面|がめん)(?:で|が|は)[^。]{0,6}(?:弾かれ|はじかれ|えらー|エラー|通らな|とおらな|進めな|すすめな)"
)


# 「ログインはできるけど借入できない」: borrowing stopped, not logging in.
_CANT_BORROW = re.compile(
    r"(?:借入|借り入れ|かりいれ|出金|しゅっきん|借りられ|かりられ|借りれ|かりれ)(?:が|も)?(?:でき(?:な|ません)|不可|ふか|なくな|ない)"
)
# 「何回やってもダメ」: can't log in, however often tried.
_TRIED_AGAIN = re.compile(
    r"(?:何回|なんかい|何度|なんど)(?:やって|試して|ためして|入れて|いれて)も(?:だめ|ダメ|無理|むり|入れ|はいれ|エラー|えらー)"
)
# 「再設定する。何がいる？」 「持ち物は？」: what to bring (the ID list).
_WHAT_TO_BRING = re.compile(r"(?:何|なに)(?:が|を)?(?:いる|要る|必要|持って(?:いけ|行け|く))|持ち物|もちもの")
# 「カード止めるのはどうするんだっけ」: how to stop a card (the lost card's steps).
_STOP_CARD_HOW = re.compile(r"(?:かーど)(?:を|は)?(?:止め|とめ)(?:る|たい)(?:の|には|方法|やり方|ほうほう)")


def _cant_borrow(key: str, text: str, top: Scored) -> Scored | None:
    """Borrowing refused while logging in works: the suspension, not a login problem."""
    return _to(top, "suspended") if top.score < ACT and _CANT_BORROW.search(key) else None


# 「来月はちゃんと鳴る？」 「次はいつ来るの？」: when the next reminder comes (the list says it).
_NEXT_ONE = re.compile(
    r"(?:来月|らいげつ|次回|じかい|次|つぎ|[0-9]{1,2}月)(?:は|の|も|から)?(?:分|ぶん)?(?:は|も)?.{0,8}"
    r"(?:来る|くる|鳴る|なる|届く|とどく|お知らせ|おしらせ|通知|つうち)(?:よね|かな|の|か|ますか|ます)?$"
    r"|(?:次|つぎ)(?:は|の)?(?:いつ|何日|なんにち)"
)


# 「CSVでちょうだい」 「テキストで送って」: the record, written out.
_EXPORT_ASKED = re.compile(
    r"csv|えくすぽーと|書き出|かきだ|だうんろーど|てきすとで|ふぁいるで|(?:記録|きろく|でーた)(?:を)?(?:全部|ぜんぶ)?(?:ちょうだい|ください|送って|おくって|出して|だして)"
)


def _other_plain_words(key: str, text: str, top: Scored) -> Scored | None:
    """Plain words that say what is meant when the reading is unsure."""
    if _EXPORT_ASKED.search(key):
        return _to(top, "export")
    if _NEXT_ONE.search(key) and ("?" in text or "？" in text or key.endswith(("よね", "かな", "の", "か"))):
        return _to(top, "reminders")
    if top.score >= ACT:
        return None
    if _TRIED_AGAIN.search(key):
        return _to(top, "cant_login")
    if _WHAT_TO_BRING.search(key):
        return _to(top, "show_ids")
    if _STOP_CARD_HOW.search(key):
        return _to(top, "lost_card")
    return None


def _cant_get_in(key: str, text: str, top: Scored) -> Scored | None:
    """「〇〇ってとこで借りてる。マイページ入れない」: an unknown company's name makes the reading unsure,
    but the words say what happens: not being able to log in (a cause read surely stays)."""
    if top.score >= ACT or not _CANT_GET_IN.search(key):
        return None
    return _to(top, "cant_login")


_EXACT_RULES = (
    _the_phone_line,
    _the_record,
    _fixed_now,
    _solved_doubted,
    _no_goodbye_in_a_question,
    _no_goodbye_with_a_time,
    _a_reminder_asked,
    _cant_get_in,
    _cant_borrow,
    _other_plain_words,
)


def _records_named(key: str) -> str | None:
    """The records a deletion names, comma-joined (「カードの件と返済日を消して」); else as _one_record."""
    one = _one_record(key)
    if not one:
        return one
    names = [name for name, words in _RECORD_WORDS if any(w in key for w in words)]
    return ",".join(names)


def _one_record(key: str) -> str | None:
    """The one record a deletion names (「返済日の記録を消して」), "" for 「〜だけ」 alone, None for all."""
    if any(w in key for w in ("全部", "ぜんぶ", "すべて", "全て", "全データ", "まるごと")):
        return None
    for name, words in _RECORD_WORDS:
        if any(w in key for w in words):
            return name
    return "" if "だけ" in key else None
