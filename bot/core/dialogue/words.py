"""Word lists and patterns the conversation reads with (shared by the router and the skills)."""

from __future__ import annotations

import re
from dataclasses import replace

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
# A chat bubble of a result holds at most this many lines (read on a phone without scrolling).
BUBBLE_LINES = 8
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
)
# Which record 「〜の記録だけ消して」 means ("" when only 「だけ」 says it is one: the list to pick from).
_RECORD_WORDS = (
    ("due_day", ("返済日", "へんさいび")), ("card_lost", ("紛失", "盗難", "カード", "かーど")), ("cause", ("原因",)),
    ("overdue", ("遅れ", "延滞")), ("suspended", ("停止",)), ("reminder_time", ("時刻", "時間")),
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
# The short labels of intents offered in a 「もしかして」 question (causes use their flow titles).
INTENT_LABELS: dict[str, str] = {
    "cant_login": "ログインできない",
    "not_solved": "まだ解決しない",
    "help": "使い方を見る",
    "menu": "メニューを見る",
    "status": "わたしの状況を見る",
    "export": "記録の内容を見る",
    "forget": "すべての記録を削除する",
    "reminders": "お知らせの一覧を見る",
    "remind_repay": "返済日のお知らせを設定",
    "remind_visit": "来店のお知らせを設定",
    "remind_free": "お知らせを追加",
    "cancel_reminder": "お知らせを止める",
    "show_ids": "本人確認書類を見る",
    "machines": "自動契約機の営業時間を見る",
    "pin_by_phone": "来店せずに暗証番号を再設定したい",
    "card_found": "カードが見つかった",
    "thanks": "ありがとう",
    "solved": "ログインできた",
    "call": "電話で相談したい",
    "about_bot": "このボットについて",
    "bye": "今日はここまでにする",
    "back": "ひとつ戻る",
    "restart": "最初からやり直す",
    "quit": "やめる",
}


def _acts(top: Scored) -> bool:
    """A confident meaning other than a short answer: a command or a cause, whatever was asked."""
    return top.score >= ACT and top.intent not in ANSWERS and top.intent != "none"


# What a notification preview must not show: money words, amounts and dates (the lender's name is
# taken from the flow).
_PRIVATE_PREVIEW = re.compile(r"返済|延滞|借入|借り入れ|利息|残高|円|\d{1,2}月\d{1,2}日|\d{1,2}/\d{1,2}")
# Paid after all: 「延滞分はもう払いました」 「延滞は解消した」 (not 「返したいけど」).
_PAID = re.compile(
    r"払いました|払った|はらった|はらいました|返しました|返した(?![いく])|かえした(?![いく])|入金し(?:た|ました)|振り込(?:みました|んだ)"
    r"|解消|かいしょう|済ませ|すませ|支払い?済|払い終わ|完済|かんさい"
)
# Choice values that answer a reminder question (a time, a set-up control, an action on a reminder).
_REMINDER_CHOICE = re.compile(r"r[a-z]*:")
# Words a label and an answer may differ by: 「今回の分だけ止める」 is 「今回だけ」.
_LABEL_FILLER = re.compile(r"の分|ぶん|止める|とめる|変える|かえる|する|を|の|に|です|で|お願い|おねがい")
_SYNONYM_OF = {
    "時刻": "日時",
    "時間": "日時",
    "じかん": "日時",
    "じこく": "日時",
    "全部": "すべて",
    "ぜんぶ": "すべて",
}
_SYNONYMS = re.compile("|".join(map(re.escape, sorted(_SYNONYM_OF, key=len, reverse=True))))
# Questions answered on the side: a set-up in progress stays and is asked again after the answer.
_ASIDES = frozenset(
    {"help", "about_bot", "call", "machines", "show_ids", "thanks", "pin_by_phone", "status", "reminders"}
)
# Words about logging in: only these take a person out of a reminder set-up into a diagnosis.
_LOGIN_TOPIC = re.compile(
    r"ろぐいん|ログイン|入れ|はいれ|ろっく|ロック|暗証|あんしょう|ぱすわーど|パスワード|かーど|カード|めんて|メンテ|停止|ていし"
    r"|えらー|エラー|会員|かいいん|あぷり|アプリ|さいと|サイト|画面|がめん|web|(?<![a-z])id(?![a-z])|使えな|つかえな"
)
_STOP_WORDS = re.compile(r"止めて|とめて|止めたい|とめたい|やめて|停止|ていし|お休み|おやすみ|休み|やすみ|止めと")
_ASK_HOURS = re.compile(
    r"(?:電話|でんわ|こーる|オペレーター|おぺれーたー|窓口|まどぐち).{0,6}(?:何時|なんじ|いつ(?:まで|から)|時間|じかん|営業|やって|つながる時間)"
)
_WHAT_KEPT = re.compile(
    r"(?:何|なに|どんな|どこまで).{0,6}(?:記録|きろく|保存|ほぞん|覚えて|おぼえて)|(?:記録|きろく|保存|覚えて|おぼえて)(?:して|され|し)(?:る|ている|てる|てある).{0,6}(?:何|なに|の[?？]?$|もの)"
)
_BEFORE_BUT = re.compile(
    r"(?:昨日|きのう|前|まえ|この前|さっき|以前|今まで|いままで)(?:は|まで)|のに$|のに[、。!！?？]|のに(?:今|いま)"
)
_NOW_SOLVED = re.compile(
    r"(?:解除|かいじょ|解決|かいけつ)(?:された|できた|できました|してもらった|してもらいました|されました|した$|しました)|直りました|なおりました|治りました"
)
# 「どうすれば」 right after a result: the result again, not 「読み取れませんでした」.
_WHAT_NOW = re.compile(r"どうすれば|どうしたら|どうする|何すれば|なにすれば|次は|つぎは|どうしよう|どうすりゃ")
# Feelings said in a few words: heard in one line before the next step (fear or sadness; anger).
_FEAR = re.compile(
    r"怖い|こわい|不安|ふあん|泣きそう|なきそう|泣いて|つらい|辛い|しんどい|心配|しんぱい|焦|あせ|パニック|ぱにっく|疲れ|つかれ"
)
_ANGER = re.compile(
    r"ふざけ|むかつ|ムカつ|腹立|はらた|いい加減|いいかげん|最悪|さいあく|ありえない|何なの|なんなの|くそ|クソ"
)


def _exact_reading(key: str, text: str, top: Scored) -> Scored | None:
    """Where exact words overrule the classifier's reading (None: they do not)."""
    phone = any(w in key for w in _PHONE_WORDS)
    phone_fails = phone and _NOT_THROUGH.search(key)
    if (
        _PERSON.search(key)
        or (phone and top.intent == "maintenance")
        or (phone_fails and (top.score < ACT or top.intent in ("none", "cant_login", "maintenance")))
    ):
        # 「人間出せ」; 「0120に電話したけどつながらない」: the phone line, not the website, is what fails.
        return replace(top, intent="call", score=max(top.score, ACT))
    if _ASK_HOURS.search(key):
        # 「電話って何時まで？」: the call step says the hours.
        return replace(top, intent="call", score=max(top.score, ACT))
    if _WHAT_KEPT.search(key):
        # 「わたしのこと何が記録されてる？」: the record itself, not what the bot is.
        return replace(top, intent="status", score=max(top.score, ACT))
    if top.intent not in ("solved", "not_solved") and _NOW_SOLVED.search(key) and not _DENIED.search(text):
        # 「ロックはもう解除された」: fixed, not the advice again.
        return replace(top, intent="solved", score=max(top.score, ACT))
    if top.intent == "solved" and _BEFORE_BUT.search(key):
        # 「昨日は入れたのに」: it worked before, not now.
        return replace(top, intent="cant_login")
    if top.intent == "solved" and not _SUCCESS_WORDS.search(key):
        # 「警察にはもう行った」: done something, not logged in; never "glad you got in" on a guess.
        return replace(top, intent="none", score=0.0)
    if top.intent == "solved" and _DENIED.search(text):
        # 「入れん」 「できひん」: a negation the reading missed; never answer a stuck user "glad".
        return replace(top, intent="not_solved")
    return None


def _one_record(key: str) -> str | None:
    """The one record a deletion names (「返済日の記録を消して」), "" for 「〜だけ」 alone, None for all."""
    if any(w in key for w in ("全部", "ぜんぶ", "すべて", "全て", "全データ", "まるごと")):
        return None
    for name, words in _RECORD_WORDS:
        if any(w in key for w in words):
            return name
    return "" if "だけ" in key else None
