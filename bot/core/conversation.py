"""The conversation core: ``handle(state, situation, incoming, now) -> Outcome``.

Pure and synchronous: the stored state, the user's situation, the message and the current time go
in; the new state, the replies and the effects (facts to record, ...) come out. Nothing is read
from the clock, the network or the database here, so every conversation is a table-driven test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import guidance, previews, result_view, texts
from bot.core.actions import (
    COMMANDS,
    Action,
    Command,
    DaysBefore,
    FactEdit,
    GoCause,
    Pick,
    RemindAt,
    ReminderOp,
    RepayDay,
    SetupControl,
    decode,
    encode,
)
from bot.core.answers import pick_answer
from bot.core.export_view import ExportContext, StoredRows, export_replies
from bot.core.fact_edit import FactEditor
from bot.core.flow import NOW, Flow, FlowChoice, Node
from bot.core.guard import ends_with_keyword, looks_like_value, nothing_else, phone_numbers, redact
from bot.core.jptime import When, WhenAsk, WhenError, parse_when, utc_stamp
from bot.core.messages import (
    Choice,
    ForgetUser,
    Incoming,
    RecordFacts,
    Reply,
    SaveReminder,
)
from bot.core.reminder_dialog import ReminderDialog
from bot.core.reminder_refs import named_reminder
from bot.core.reminders import ReminderView
from bot.core.repayment import LATE_WORDS
from bot.core.safety import (
    card_at_hand,
    deletion_scope,
    is_crisis,
    is_fraud,
    is_urgent_loss,
    is_withdrawal,
    position,
    safety_key,
)
from bot.core.setup_answers import yes_no
from bot.core.setup_state import AskTask, AskWhat, Confirm, ConfirmCancel, ConfirmForget, Spec
from bot.core.situation import Situation, describe
from bot.core.state import ConversationState, Outcome
from bot.core.textnorm import clean, normalize
from bot.core.understanding import ANSWERS, Reading, Scored, Understanding, build

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
    "details": "くわしく",
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
    "call": "プロミスコールに相談したい",
    "about_bot": "このボットについて",
    "bye": "今日はここまでにする",
    "back": "ひとつ戻る",
    "restart": "最初からやり直す",
    "quit": "やめる",
}


def _acts(top: Scored) -> bool:
    """A confident meaning other than a short answer: a command or a cause, whatever was asked."""
    return top.score >= ACT and top.intent not in ANSWERS and top.intent != "none"


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


class Conversation:
    """The conversation rules for one flow and one default timezone."""

    def __init__(self, flow: Flow, tz: ZoneInfo, understanding: Understanding | None = None) -> None:
        self.flow = flow
        self.tz = tz
        if understanding is None:
            if flow.path is None:
                raise ValueError("a flow built in memory needs an explicit understanding")
            understanding = build(flow.path, flow.causes)
        self.understanding = understanding
        self.dialog = ReminderDialog(flow, tz, self)
        self.facts = FactEditor(tz, flow.cause_titles(), self.menu_choices, self.dispatch)
        # One handler per action type, one per command: adding an action is one line here.
        self._handlers: dict[type, Callable[[Outcome, Any, Situation, datetime], None]] = {
            Command: self._on_command,
            Pick: self._on_pick,
            GoCause: self._on_cause,
            RepayDay: self.dialog.on_repay_day,
            DaysBefore: self.dialog.on_days_before,
            RemindAt: self.dialog.on_remind_at,
            SetupControl: self.dialog.on_setup_control,
            ReminderOp: self.dialog.on_reminder_op,
            FactEdit: self.facts.on_edit,
        }
        self._commands: dict[str, Callable[[Outcome, Situation, datetime], None]] = {
            "menu": lambda out, s, n: self._menu(out),
            "diagnose": lambda out, s, n: self._start_diagnosis(out, n),
            "restart": lambda out, s, n: self._start_diagnosis(out, n),
            "not_solved": self._not_solved,
            "result": self._result_again,
            "details": lambda out, s, n: self._details(out),
            "back": self._back,
            "forget": self._forget,
            "forget_yes": self._forget_yes,
            "forget_no": self._forget_no,
            "export": self._export,
            "export_all": lambda out, s, n: self._export(out, s, n, full=True),
            "previews_on": lambda out, s, n: previews.switch(out, True, self.menu_choices()),
            "previews_off": lambda out, s, n: previews.switch(out, False, self.menu_choices()),
            "nontext": lambda out, s, n: self._reprompt(out, texts.NON_TEXT),
            "welcome_back": self._welcome_back,
            "resume": lambda out, s, n: self._repeat_question(out, n, texts.RESUME),
            "help": lambda out, s, n: out.replies.append(Reply(self._fill(texts.HELP), self.menu_choices())),
            "status": self._status,
            "show_ids": self._show_ids,
            "machines": lambda out, s, n: out.replies.append(Reply(self._machines_text(), self.menu_choices())),
            "pin_by_phone": self._pin_by_phone,
            "card_found": self._card_found,
            "thanks": lambda out, s, n: out.replies.append(Reply(texts.THANKS, self.menu_choices())),
            "solved": self._solved,
            "call": self._call,
            "about_bot": lambda out, s, n: out.replies.append(Reply(self._fill(texts.ABOUT_BOT), self.menu_choices())),
            "bye": lambda out, s, n: out.replies.append(Reply(texts.BYE, self.menu_choices())),
            "quit": self._quit,
            "none_of_these": self._none_of_these,
            "picked": lambda out, s, n: self.stale(out),
            # A message a door withheld before storing it anywhere (it looked like a secret).
            "withheld": lambda out, s, n: self._secret(out),
            "withdraw": self._withdraw,
            "delete_which": lambda out, s, n: self._delete_which(out),
            "cancel_all": lambda out, s, n: self.dialog.confirm_cancel_all(out, n),
            "cancel_all_yes": lambda out, s, n: self.dialog.cancel_all(out, n),
        }
        self._label_actions = self._labelled_actions()

    def _labelled_actions(self) -> dict[str, Action]:
        """Every command's button label (normalized) and its action: typed exactly, they need no reading."""
        labels = [
            *INTENT_LABELS.items(),
            # The menu's and the rich menu's own words.
            ("status", texts.LABEL_STATUS),
            ("reminders", texts.LABEL_REMINDERS),
            ("help", texts.LABEL_HELP),
            ("menu", texts.LABEL_MENU),
            ("restart", texts.LABEL_RESTART),
            ("export", texts.LABEL_EXPORT),
            ("forget", texts.LABEL_FORGET),
            # 「一覧」 alone is the reminder list (the only list the bot keeps).
            ("details", "詳しく"),
            ("reminders", "一覧"),
            ("reminders", "いちらん"),
            ("reminders", "リスト"),
            ("reminders", "リマインダー一覧"),
            ("reminders", "お知らせ一覧"),
            ("export", "書き出し"),
            ("export", "エクスポート"),
            ("export_all", texts.LABEL_EXPORT_ALL),
            *((intent, phrase) for intent, phrases in previews.PHRASES.items() for phrase in phrases),
            ("export", "データを書き出す"),
        ]
        pairs = ((normalize(label), self._intent_action(intent) or Command(intent)) for intent, label in labels)
        return {
            key: action for key, action in pairs if key and (not isinstance(action, Command) or action.name in COMMANDS)
        }

    # ------------------------------------------------------------------ entry point

    def handle(
        self,
        state: ConversationState,
        situation: Situation,
        incoming: Incoming,
        now: datetime,
        reminders: Sequence[ReminderView] = (),
        history: Sequence[dict[str, Any]] | Callable[[], Sequence[dict[str, Any]]] = (),
        record: Callable[[], StoredRows] | None = None,
    ) -> Outcome:
        """Process one incoming message and return the new state, the replies and the effects.

        ``history`` (the situation's changes, for the export) may be given as a loader that is
        called only when the turn needs it. ``record`` reads every stored row about the user, table
        by table; it too is called only by the export. Without it the export shows what was given.
        """
        saved_last_turn, stuck_before = state.just_saved, state.stuck_at
        state = replace(state, back=list(state.back), offered=list(state.offered), just_saved=False, stuck_at=None)
        if callable(history):
            out = Outcome(state=state, replies=[], reminders=tuple(reminders), load_history=history)
        else:
            out = Outcome(state=state, replies=[], reminders=tuple(reminders), history=tuple(history))
        out.load_record = record
        out.saved_last_turn = saved_last_turn
        out.stuck_before = stuck_before
        if not state.welcomed:
            state.welcomed = True
            state.disclaimed = True  # the welcome says it: results do not repeat it
            out.replies.append(Reply(self._fill(texts.WELCOME)))
            if (
                incoming.choice is None
                and not incoming.stale
                and not (incoming.text or "").strip()
                and not incoming.params
            ):
                self._menu(out)
                return self._finish(out)
        picked = incoming.params.get("datetime")
        if picked:
            # LINE's datetime picker answers with a local "YYYY-MM-DDTHH:MM" in the user's zone.
            try:
                at = datetime.fromisoformat(picked).replace(tzinfo=self.tz)
            except ValueError:
                at = None
            self.dialog.picked(out, at if at is not None and 2000 <= at.year <= 2999 else None, situation, now)
            return self._finish(out)
        if incoming.stale:
            self.stale(out)
        elif incoming.choice is not None:
            self.dispatch(out, incoming.choice, situation, now)
        else:
            self._text(out, incoming.text or "", situation, now)
        return self._finish(out)

    def _finish(self, out: Outcome) -> Outcome:
        # Remember the choices last shown, so "2" or a label typed later can be resolved.
        for reply in reversed(out.replies):
            if reply.choices:
                out.state.offered = [(c.label, c.value) for c in reply.choices]
                break
        return out

    # ------------------------------------------------------------------ typed text

    @staticmethod
    def redacts(raw: str) -> str | None:
        """What a door may keep of a message: the text with its secrets hidden, "" when nothing of it
        may be kept, None when it holds no secret (keep it as it came)."""
        guarded = redact(raw)
        return (guarded.text if not guarded.whole else "") if guarded.found else None

    def _secret(self, out: Outcome) -> None:
        # Nothing of this message may be kept: no effect, no state change beyond the reprompt.
        out.replies.append(Reply(texts.SECRET_WARNING))
        self._reprompt(out, texts.CONTINUE)

    def _text(self, out: Outcome, raw: str, situation: Situation, now: datetime) -> None:
        """Typed text, through the router's fixed order: the safety net first (care, secrets, fraud,
        leaving, what a deletion is about), then the question the user is in, then the reading."""
        announced, out.state.secret_next = out.state.secret_next, False
        out.cared_before, out.state.cared = out.state.cared, False
        if self.flow.crisis and is_crisis(raw[: MATCH_LIMIT * 2]):
            self._crisis(out)  # care before anything else, whatever else the message holds
            return
        guarded = redact(raw)
        if guarded.whole or (guarded.found and nothing_else(guarded.text)) or (announced and looks_like_value(raw)):
            self._secret(out)  # nothing of it can be kept, and there is no request left to answer
            return
        text = clean(guarded.text[: MATCH_LIMIT * 2])[:MATCH_LIMIT]
        out.said = normalize(text)
        if not text:
            self._reprompt(out, texts.EMPTY)
            return
        # 「パスワードは」 alone: the next message may be the value itself.
        out.state.secret_next = ends_with_keyword(text)
        start = len(out.replies)
        waiting = out.state.pending
        self._guarded_text(out, text, situation, now)
        if self._replaced_unsaved(waiting, out):
            # 「明日の10時に…」 then another reminder before the yes: the first is not kept, and that is said.
            out.replies.insert(start, Reply(texts.SETUP_DROPPED))
        if guarded.found:
            # The rest of the request was answered; the warning goes first, after an urgent answer.
            first = out.replies[start] if len(out.replies) > start else None
            at = start + 1 if first is not None and first.important else start
            out.replies.insert(at, Reply(texts.SECRET_HIDDEN))

    @staticmethod
    def _loose_choice(out: Outcome, key: str) -> str | None:
        """The one reminder choice a short answer can mean, said in other words; None when not one.

        Only among a reminder question's own choices (a time, a stop, a change): there the person is
        answering, and a word of the label (or the label in fewer words) says which.
        """
        if not key or len(key) > 10:
            return None
        offered = [(label, value) for label, value in out.state.offered if _REMINDER_CHOICE.match(value)]
        if not offered:
            return None

        def core(text: str) -> str:
            return _LABEL_FILLER.sub("", _SYNONYMS.sub(lambda m: _SYNONYM_OF[m.group(0)], normalize(text)))

        said = core(key)
        if not said:
            return None
        hits = [value for label, value in offered if said in core(label)]
        return hits[0] if len(set(hits)) == 1 else None

    @staticmethod
    def _replaced_unsaved(waiting: object, out: Outcome) -> bool:
        """True when a reminder waiting for its yes was replaced by a new one this turn, unsaved."""
        after = out.state.pending
        if not isinstance(waiting, Confirm) or any(isinstance(e, SaveReminder) for e in out.effects):
            return False
        if any(r.text == texts.SETUP_DROPPED for r in out.replies) or waiting.spec.replace is not None:
            return False
        spec = getattr(after, "spec", None)
        if isinstance(spec, Spec):
            return (spec.kind, spec.what) != (waiting.spec.kind, waiting.spec.what) and spec.replace is None
        if after is None:
            # Left for something else (the list, a question): unless the person said no, say it was not kept.
            said = {r.text for r in out.replies}
            return not said & {texts.CANCELLED_SETUP, texts.NOT_CANCELLED, texts.FORGOTTEN} and not out.state.cared
        return isinstance(after, AskTask | AskWhat)

    def _safety(self, out: Outcome, text: str, reading_top: str, situation: Situation, now: datetime) -> bool:
        """Fraud, leaving and deletions read for recall; True when one of them answered."""
        if is_fraud(text, self._official_numbers()):
            self._phishing(out)
            return True
        if self._phone_question(out, text):
            return True
        pending = out.state.pending
        if isinstance(pending, ConfirmForget) or self.dialog.takes_task(out):
            return False  # its own question reads its answers (a task may well be 「通知を消す」)
        key = safety_key(text)
        if isinstance(pending, ConfirmCancel) and re.search(
            r"全部|ぜんぶ|すべて|全て|両方|りょうほう|どっちも|みんな", key
        ):
            self.dialog.confirm_cancel_all(out, now)  # 「全部」 to 「このお知らせを取り消しますか？」: the reminders
            return True
        if is_withdrawal(text):
            self._withdraw(out, situation, now)
            return True
        dropped = self.dialog.in_progress(out)  # a set-up waiting for its yes is not saved by what follows
        start = len(out.replies)
        if self._deletion(out, text, key, reading_top, situation, now):
            if dropped and not self.dialog.in_progress(out):
                out.replies.insert(start, Reply(texts.SETUP_DROPPED))
            return True
        return False

    def _deletion(
        self, out: Outcome, text: str, key: str, reading_top: str, situation: Situation, now: datetime
    ) -> bool:
        """What a deletion request is about, answered in its own scope; False when it is none."""
        # 「それキャンセルで」 right after a list or a save: one of the reminders.
        listed = any(isinstance(decode(v), ReminderOp) for _l, v in out.state.offered) or out.saved_last_turn
        named = named_reminder(text, out.reminders)
        scope = deletion_scope(text, reminder_named=bool(named and named.matches), listed=listed)
        if scope is None or (
            scope == "ask"
            and not re.search(
                r"(?<!解)消|け[しす]|削除|さくじょ|忘れ|わすれ|取り消|とりけ|きゃんせる|delete|erase|cancel", key
            )
        ):
            # Not a deletion; or only 「やめて」 「いらない」: read as before, but never as deleting everything.
            if out.reminders and scope == "ask" and _STOP_WORDS.search(key) and not _LOGIN_TOPIC.search(key):
                self.dialog.action(out, "cancel_reminder", situation, now)  # 「しばらく止めて」: which one?
                return True
            if reading_top != "forget":
                return False
            self._delete_which(out)
            return True
        if scope == "reminder":
            number = position(text)
            if number is not None:
                self.dialog.cancel_at(out, number, now)
                return True
            if self.dialog.by_name(out, text, now):
                return True
            self.dialog.action(out, "cancel_reminder", situation, now)
            return True
        if scope == "reminders":
            self.dialog.confirm_cancel_all(out, now)
            return True
        if scope == "fact":
            self.dispatch(out, FactEdit("del", _one_record(key) or ""), situation, now)
            return True
        if scope == "all":
            self._forget(out, situation, now)
            return True
        self._delete_which(out)
        return True

    def _delete_which(self, out: Outcome) -> None:
        """A deletion that names nothing: which one? (Never everything on a guess.)"""
        every = (Choice(texts.LABEL_CANCEL_ALL, Command("cancel_all")),) if len(out.reminders) > 1 else ()
        choices = (
            Choice(texts.LABEL_CANCEL_SOME, Command("cancel_reminder")),
            *every,
            Choice(texts.LABEL_DELETE_FACT, Command("status")),
            Choice(texts.LABEL_FORGET_ALL, Command("forget")),
            Choice(texts.LABEL_QUIT, Command("menu")),
        )
        out.replies.append(Reply(texts.DELETE_SCOPE, choices))

    def _withdraw(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """「退会したい」: what this bot can delete, and that the loan contract is the lender's."""
        lines = [self._fill(texts.WITHDRAW)]
        last = self.flow.nodes.get(self.flow.last_step or "")
        if last is not None and last.contacts:
            lines += self._contact_block(last.contacts[0], last.contact_hours, out, intro=False)
        out.replies.append(Reply("\n".join(lines)))
        self._forget(out, situation, now)  # the one thing the bot can do here, asked as a question

    def _official_numbers(self) -> list[str]:
        return [c.phone for c in self.flow.contacts.values()]

    def _phone_question(self, out: Outcome, text: str) -> bool:
        """「0120-24-0365で合ってる？」: whose number it is, from the flow data (a number is no secret)."""
        numbers = phone_numbers(text)
        if not numbers or not re.search(
            r"合って|あって|正し|ただし|本物|ほんもの|公式|こうしき|どこの|誰|だれ|何の|なんの", text
        ):
            return False
        known = {re.sub(r"\D", "", c.phone): c for c in self.flow.contacts.values()}
        contact = known.get(numbers[0])
        if contact is not None:
            out.replies.append(Reply(texts.PHONE_KNOWN.format(name=contact.name), self.menu_choices()))
        else:
            self._phishing(out, lead=self._fill(texts.PHONE_UNKNOWN))
        return True

    def _guarded_text(self, out: Outcome, text: str, situation: Situation, now: datetime) -> None:
        pending = out.state.pending
        number = _NUMBER.fullmatch(text)
        # A typed number is the numbered choice shown (as the console prints them); beyond the
        # choices, a question that asks for a value (a day, a time) reads it as that value.
        if number and out.state.offered:
            index = int(number.group(1)) - 1
            if 0 <= index < len(out.state.offered):
                self._dispatch_offered(out, out.state.offered[index][1], situation, now)
                return
            if not self.dialog.wants_value(out):
                self._reprompt(out, texts.NO_SUCH_NUMBER)
                return
        key = normalize(text)
        for label, value in out.state.offered:
            if key and normalize(label) == key:
                self._dispatch_offered(out, value, situation, now)
                return
        loose = self._loose_choice(out, key)
        if loose is not None:
            # 「今回だけ」 for 「今回の分だけ止める」, 「夜」 for 「今夜の20:00」: the one choice it can mean.
            self._dispatch_offered(out, loose, situation, now)
            return
        if text in ("?", "？"):
            self.dispatch(out, Command("help"), situation, now)
            return
        labelled = self._label_actions.get(key)
        if labelled is not None and (out.state.pending is None or isinstance(out.state.pending, Confirm)):
            # The exact words of one of the bot's own buttons (typed, or a rich-menu message): no guess needed.
            self.dispatch(out, labelled, situation, now)
            return
        if pending is None and guidance.is_lost(key):
            # 「初めてでよくわからない」 「何ができるの？」: a welcome with examples, not an apology.
            out.replies.append(guidance.welcome(self._fill(texts.NEWCOMER), self.menu_choices()))
            return
        if not _MEANINGFUL.search(key):
            # Only emoji, punctuation or symbols: there is nothing to read, so nothing to guess.
            self._not_understood(out, now)
            return
        reading = self.understanding.read(text)
        if reading.english:
            out.replies.append(Reply(texts.ENGLISH_NOTE))
        if self._safety(out, text, reading.top.intent, situation, now):
            return
        lost = self._lost_cause()
        lost_node = self.flow.result_for(lost) if lost is not None else None
        after_loss = lost_node is not None and out.state.node == lost_node.id and bool(_STOP_WORDS.search(key))
        if lost is not None and reading.top.intent != lost and (is_urgent_loss(text) or after_loss):
            # 「カード番号…なんだけど止めたい」: stopping the card is the 24-hour line, now.
            reading = replace(reading, ranked=(Scored(lost, 1.0), *reading.ranked))
        at_hand = card_at_hand(text)
        if (
            lost is not None
            and at_hand is not None
            and (reading.top.intent == lost or (at_hand == "have" and situation.card_lost))
        ):
            # 「カードは持ってます」 「カードレスだから持ってない」: said of a card that is not lost.
            reading = replace(
                reading, ranked=(Scored("card_found" if at_hand == "have" else "none", 0.6), *reading.ranked[1:])
            )
        top = reading.top
        if top.intent == "forget" and not isinstance(pending, ConfirmForget) and deletion_scope(text) != "all":
            self._delete_which(out)  # everything goes only when the words say everything
            return
        elsewhere = _acts(top)
        # 「朝って何時？」 at a reminder's confirmation is about the reminder, not a login cause: a cause
        # leaves a set-up only in words about logging in.
        held = (
            elsewhere
            and self.dialog.in_progress(out)
            and top.intent in self.flow.causes
            and top.intent != lost
            and not _LOGIN_TOPIC.search(key)
        )
        if held:
            elsewhere = False
        if isinstance(pending, ConfirmForget) and self._forget_answer(out, key, reading, situation, now):
            return
        if pending is None and self._yes_no_to_a_fact(out, key, reading, situation, now):
            return
        if pending is not None and self.dialog.text(out, text, reading, situation, now, elsewhere):
            return
        if held:
            self._repeat_question(out, now, texts.KEEP_GOING)
            return
        node = self.flow.nodes.get(out.state.node or "")
        if node is not None and not node.is_final and pending is None:
            choice = pick_answer(node, text, reading, self.flow, elsewhere, self.understanding)
            if choice is not None:
                self._choose(out, node, choice, situation, now)
                return
        when = parse_when(text, now.astimezone(self.tz))
        if pending is None and (not elsewhere or top.intent == "remind_free") and self._bare_time(out, when, now):
            return
        if pending is None and self._repay_urgency(out, key, now):
            # Late or due today: the call and the counselling centre came first; the reminder follows.
            if not self.dialog.detect(out, text, situation, now, stage="repay"):
                out.replies.append(Reply(texts.REPAY_REMINDER_OFFER, self._repay_choices()))
            return
        if (
            pending is None
            and (not elsewhere or top.intent in _ABOUT_REMINDERS)
            and self.dialog.by_name(out, text, now)
        ):
            return
        if pending is None and out.saved_last_turn and self.dialog.change_newest(out, text, now):
            return
        deleting = top.intent == "forget" or ("記録" in key and any(w in key for w in ("削除", "消し", "消す", "けし")))
        if deleting and (one := _one_record(key)) is not None:
            # 「紛失の記録だけ消して」: that record, never everything (a yes there would delete it all).
            self.dispatch(out, FactEdit("del", one), situation, now)
            return
        exact = _exact_reading(key, text, top)
        if exact is not None:
            top = exact
            reading = replace(reading, ranked=(top, *reading.ranked[1:]))
            elsewhere = _acts(top)
        # 「金曜にコールセンターに電話するのを知らせて」: a time makes a call a reminder to call.
        # 「あさっての朝9時半に自動契約機に行く」 reads as the machines, but "<when>に<task>" is a reminder
        # (a cause with a time, 「昨日からロックされてる」, stays a cause).
        timed_task = (
            isinstance(when, When) and when.kind == "once" and bool(when.rest) and when.joined_by == "に"
        ) and (top.intent not in self.flow.causes or not _HAPPENED.search(when.rest))
        timed_call = (top.intent == "call" and when is not None) or timed_task
        if top.intent in ("remind_repay", "remind_free", "remind_visit") or not elsewhere or timed_call:
            # Reminders with their date in the text are read by the exact date parser.
            if self.dialog.detect(out, text, situation, now, stage="repay"):
                return
            # Asked for a reminder in so many words: a time alone is kept and the task asked for.
            explicit = top.intent == "remind_free" and top.score >= ACT
            if self.dialog.detect(out, text, situation, now, stage="free", explicit=explicit):
                return
        if elsewhere and self.dialog.in_progress(out) and top.intent in _ASIDES:
            # 「電話番号って何番？」 while a reminder waits: answered, and the set-up question comes back.
            waiting = out.state.pending
            self._act_on(out, reading, situation, now)
            out.state.pending = waiting
            self._repeat_question(out, now, texts.KEEP_GOING)
            return
        if elsewhere:
            dropped = self.dialog.in_progress(out) and top.intent != "quit"
            if dropped:
                out.state.pending = None
            self._act_on(out, reading, situation, now)
            if dropped:
                # Said after the answer (an urgent one comes first), before the bubble with the choices.
                out.replies.insert(max(len(out.replies) - 1, 0), Reply(texts.SETUP_DROPPED))
            return
        if top.intent in ("remind_repay", "none") and any(w in key for w in ("返済", "へんさい", "支払", "しはらい")):
            # About repaying, without a day or a login problem: offer what the bot can do for it.
            out.replies.append(Reply(texts.ABOUT_REPAYING, self._repay_choices()))
            return
        maybe = [
            s
            for s in reading.ranked
            if s.score >= ASK and s.intent not in _NEVER_SUGGESTED and self._intent_action(s.intent) is not None
        ]
        if maybe and top.intent != "none" and not out.cared_before:
            options = [Choice(self._intent_label(s.intent), a) for s in maybe if (a := self._intent_action(s.intent))]
            options = options[:MAX_MAYBE] + [Choice(texts.LABEL_NONE_OF_THESE, Command("none_of_these"))]
            out.replies.append(guidance.maybe(options))
            return
        self._not_understood(out, now)

    def _bare_time(self, out: Outcome, parsed: When | WhenAsk | WhenError | None, now: datetime) -> bool:
        """A date and time with nothing else (「明日の10時」): ask what to remind about then.

        An hour that could be morning or evening (「2時」, 「8時」 at 19:00) is asked about first.
        ``parsed``: the message's time phrase, read once per turn by the caller.
        """
        if isinstance(parsed, When) and parsed.kind == "once" and not parsed.rest and parsed.at is not None:
            self.dialog.ask_what(out, parsed.at, now)
            return True
        if isinstance(parsed, WhenAsk) and parsed.reason in ("ampm", "tonight") and not parsed.rest:
            self.dialog.ask_about(out, parsed, now)
            return True
        return False

    def _act_on(self, out: Outcome, reading: Reading, situation: Situation, now: datetime) -> None:
        """Act on a confident reading: several causes are all answered, an urgent one first."""
        top = reading.top
        if top.intent in self.flow.causes:
            causes = self.understanding.causes_in(reading, self.flow.causes, ALSO_CAUSE)
            if top.intent not in causes:
                causes.insert(0, top.intent)
            urgent = [c for c in causes if (n := self.flow.result_for(c)) is not None and n.urgent]
            ordered = urgent + [c for c in causes if c not in urgent]
            node = self.flow.result_for(ordered[0])
            if node is not None:
                self._go(out, node, now, from_node=out.state.node, situation=situation, also=ordered[1:])
            return
        node = self.flow.nodes.get(out.state.node or "")
        if top.intent in STILL_STUCK and node is not None and node.is_final:
            # 「まだログインできない」 right after a result: the advice did not help, so step up.
            self._not_solved(out, situation, now)
            return
        action = self._intent_action(top.intent)
        if action is None:
            self._not_understood(out, now)
        else:
            self.dispatch(out, action, situation, now)

    def _intent_action(self, intent: str) -> Action | None:
        if intent in self.flow.causes:
            return GoCause(intent)
        if intent == "cant_login":
            return Command("diagnose")
        if intent in INTENT_LABELS and intent in COMMANDS:
            return Command(intent)
        return None

    def _intent_label(self, intent: str) -> str:
        node = self.flow.result_for(intent)
        return ((node.ask or node.title) if node else INTENT_LABELS.get(intent, intent))[:20]

    # ------------------------------------------------------------------ choices and actions

    def dispatch(self, out: Outcome, action: Action, situation: Situation, now: datetime) -> None:
        """Run one typed action through its handler."""
        self._handlers[type(action)](out, action, situation, now)

    def _dispatch_offered(self, out: Outcome, value: str, situation: Situation, now: datetime) -> None:
        action = decode(value)
        if action is None:
            self.stale(out)
        else:
            self.dispatch(out, action, situation, now)

    def _on_command(self, out: Outcome, action: Command, situation: Situation, now: datetime) -> None:
        handler = self._commands.get(action.name)
        if handler is not None:
            handler(out, situation, now)
        elif not self.dialog.action(out, action.name, situation, now):
            self.stale(out)

    def _on_pick(self, out: Outcome, action: Pick, situation: Situation, now: datetime) -> None:
        node = self.flow.nodes.get(action.node)
        choice = self.flow.choice(action.node, action.choice)
        if node is None or choice is None:
            self.stale(out)
            return
        self._choose(out, node, choice, situation, now)

    def _on_cause(self, out: Outcome, action: GoCause, situation: Situation, now: datetime) -> None:
        node = self.flow.result_for(action.cause)
        if node is None:
            self.stale(out)
        else:
            self._go(out, node, now, from_node=out.state.node, situation=situation)

    def _choose(self, out: Outcome, node: Node, choice: FlowChoice, situation: Situation, now: datetime) -> None:
        if choice.facts:
            out.effects.append(RecordFacts(self._facts(choice.facts, now)))
        target = self.flow.nodes.get(choice.next or "")
        if target is None:
            self.stale(out)
            return
        self._go(out, target, now, from_node=node.id, situation=situation)

    def _back(self, out: Outcome, situation: Situation, now: datetime) -> None:
        state = out.state
        if any(value == encode(Command("result")) for _label, value in state.offered):
            # 「戻る」 typed under the ID list: back to the advice, as its own button says.
            self._result_again(out, situation, now)
            return
        if state.back:
            previous = self.flow.nodes.get(state.back.pop())
            if previous is not None:
                state.node = previous.id
                if previous.is_final:
                    out.replies.append(Reply(texts.AFTER_RESULT, self._result_choices(previous)))
                else:
                    out.replies.extend(self._render_question(previous))
                return
        self._menu(out)

    def _forget(self, out: Outcome, situation: Situation, now: datetime) -> None:
        out.state.pending = ConfirmForget()
        choices = (Choice("削除する", Command("forget_yes")), Choice("やめる", Command("forget_no")))
        out.replies.append(Reply(texts.FORGET_CONFIRM, choices))

    def _forget_yes(self, out: Outcome, situation: Situation, now: datetime) -> None:
        if not isinstance(out.state.pending, ConfirmForget):
            self.stale(out)
            return
        # Nothing of this user is kept: the service deletes every row and does not save the state.
        out.effects.append(ForgetUser())
        out.replies.append(Reply(texts.FORGOTTEN))

    def _forget_answer(self, out: Outcome, key: str, reading: Reading, situation: Situation, now: datetime) -> bool:
        """A typed answer to 「すべての記録を削除してよろしいですか？」: only a clear yes deletes."""
        top = reading.top
        if _KEEP.search(key):
            # 「消さないで」 「削除しないでください」: a no, whatever word it contains.
            self._forget_no(out, situation, now)
            return True
        answer = yes_no(key, reading, ACT)
        # 「いや、やっぱり消して」: the request itself, even after a first "no".
        asked = any(w in key for w in _FORGET_YES if len(w) >= 3)
        if answer == "yes" or key in _FORGET_YES or asked or (top.intent == "forget" and top.score >= ACT):
            self._forget_yes(out, situation, now)
        elif answer == "no":
            self._forget_no(out, situation, now)
        elif answer == "unsure":
            self._forget(out, situation, now)  # 「大丈夫です」: asked again, with the two buttons
        else:
            return False
        return True

    def _forget_no(self, out: Outcome, situation: Situation, now: datetime) -> None:
        out.state.pending = None
        out.replies.append(Reply(texts.FORGET_KEPT, self.menu_choices()))

    def _welcome_back(self, out: Outcome, situation: Situation, now: datetime) -> None:
        out.replies.append(Reply(texts.WELCOME_BACK))
        self._menu(out)

    def _status(self, out: Outcome, situation: Situation, now: datetime) -> None:
        lines = describe(situation, self.flow.cause_titles(), self.tz)
        if not lines:
            out.replies.append(Reply(texts.STATUS_EMPTY, self.menu_choices()))
            return
        # Each recorded fact can be corrected or deleted from here.
        body = "\n".join([texts.STATUS_HEAD, *lines, texts.STATUS_FOOT])
        out.replies.append(Reply(body, self.facts.status_choices(situation)))

    def _pin_by_phone(self, out: Outcome, situation: Situation, now: datetime) -> None:
        text = self.flow.answers.get("pin_by_phone", "")
        choices = (Choice("来店のお知らせを設定", Command("remind_visit")), Choice(texts.LABEL_MENU, Command("menu")))
        out.replies.append(Reply("\n\n".join(x for x in (text, self._machines_text()) if x), choices))

    def _card_found(self, out: Outcome, situation: Situation, now: datetime) -> None:
        if not situation.card_lost:
            # 「カードは手元にあります」 from someone who never said it was lost: nothing was found, and
            # nothing is recorded; the question in front of them (or the diagnosis) goes on.
            if self._in_question(out):
                self._repeat_question(out, now, texts.CARD_AT_HAND)
            else:
                out.replies.append(Reply(texts.CARD_AT_HAND))
                self._start_diagnosis(out, now)
            return
        lines = [self.flow.answers.get("card_found", "")]
        if situation.card_lost:
            # The card may have been stopped after the lost-card advice: it must be turned back on.
            lines.append(self.flow.answers.get("card_found_stopped", ""))
            # Whom to call is whom the result that records a lost card says to call (flow data).
            lost = next((n for n in self.flow.results if n.facts.get("card_lost") and n.contacts), None)
            contact = self.flow.contacts[lost.contacts[0]] if lost is not None else None
            if contact is not None:
                lines.append(f"{contact.name}：{contact.phone}\n{contact.hours}")
        # The lost card is no longer the likely cause: the status must not show it beside 「なし」.
        found = {"card_lost": False, "card_lost_at": None}
        if situation.cause in self._lost_causes():
            found["cause"] = None
        out.effects.append(RecordFacts(found))
        out.replies.append(Reply("\n".join(x for x in lines if x), self.menu_choices()))

    def _lost_cause(self) -> str | None:
        """The cause whose result is the urgent lost-card answer (flow data)."""
        return next(
            (c for c in self.flow.causes if (n := self.flow.result_for(c)) is not None and n.facts.get("card_lost")),
            None,
        )

    def _lost_causes(self) -> set[str]:
        """The causes whose result records a lost card (flow data)."""
        return {n.id for n in self.flow.results if n.facts.get("card_lost")} | {
            c for c in self.flow.causes if (n := self.flow.result_for(c)) is not None and n.facts.get("card_lost")
        }

    def _quit(self, out: Outcome, situation: Situation, now: datetime) -> None:
        if self.dialog.in_progress(out):
            self.dialog.quit(out, now)
            return
        self._menu(out)
        out.replies[-1] = Reply(texts.QUIT, out.replies[-1].choices)

    def _none_of_these(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """「どれでもない」 after a 「もしかして」: ask again what the user is in, or invite a few words."""
        if self._in_question(out):
            self._repeat_question(out, now, texts.NONE_OF_THESE)
        else:
            out.replies.append(Reply(texts.NONE_OF_THESE, self.menu_choices()))

    # ------------------------------------------------------------------ moving and rendering

    def _start_diagnosis(self, out: Outcome, now: datetime) -> None:
        out.state.pending = None
        out.state.back = []
        out.state.node = self.flow.start
        maintenance = self.flow.maintenance
        window = maintenance.window_at(now) if maintenance is not None else None
        if maintenance is not None and window is not None:
            # The clock knows what the user cannot see: say first that it may be maintenance.
            if window.say:
                out.replies.append(Reply(window.say))
            else:
                lead = maintenance.lead.replace("{window}", window.label)
                advice = window.advice or texts.MAINTENANCE_ADVICE
                out.replies.append(Reply(f"{lead}\n{maintenance.note}\n{advice}"))
        out.replies.extend(self._render_question(self.flow.nodes[self.flow.start]))

    def _not_solved(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """「まだ解決しない」: the next likely cause not yet shown in this diagnosis, then the last step."""
        node = self.flow.nodes.get(out.state.node or "")
        if node is None:
            self._start_diagnosis(out, now)
            return
        shown = [n for n in out.state.back if (b := self.flow.nodes.get(n)) is not None and b.is_final]
        if not node.is_final:
            last = self.flow.nodes.get(self.flow.last_step or "")
            if last is not None and (shown or out.stuck_before == node.id):
                # Still stuck at the question a step-up asked, or for the second time at this one:
                # no more questions, whom to call.
                self._go(out, self._carry_hours(last, shown), now, from_node=node.id, situation=situation)
            else:
                # Not an answer to the question in front of the user: the same question once more.
                self._repeat_question(out, now, texts.PICK_CLOSEST)
                out.state.stuck_at = node.id
            return
        # The way back holds every node of this diagnosis: what was already shown is not shown again.
        covered = {*out.state.back, node.id}
        target = self.flow.step_up(node.id, covered, now)
        if target is None:
            # Already at the last step: not the whole step again, just whom to call, in one bubble.
            node = self._carry_hours(node, shown)
            contact = self.flow.contacts[node.contacts[0]] if node.contacts else None
            lines = [
                texts.STILL_STUCK_AT_END.format(name=contact.name if contact else self.flow.lender.get("name", ""))
            ]
            for cid in node.contacts:
                lines += self._contact_block(cid, node.contact_hours, out, intro=False)
            out.replies.append(Reply("\n".join(lines), self._result_choices(node)))
            return
        lead = texts.STEP_UP_CALL if target.end else texts.STEP_UP_CAUSE if target.is_final else texts.STEP_UP_ASK
        if target.end:
            target = self._carry_hours(target, [*shown, node.id])
        self._go(out, target, now, from_node=node.id, situation=situation, lead=lead)

    def _yes_no_to_a_fact(self, out: Outcome, key: str, reading: Reading, situation: Situation, now: datetime) -> bool:
        """「いいえ」 to 「最近、返済が遅れたことはありますか？」 asked by a correction: its own button."""
        offered = [decode(value) for _label, value in out.state.offered]
        edits = [a for a in offered if isinstance(a, FactEdit) and a.verb == "set" and a.value in ("1", "0")]
        if len(edits) != 2:
            return False
        answer = yes_no(key, reading, ACT)
        if answer not in ("yes", "no"):
            return False
        self.dispatch(out, next(a for a in edits if a.value == ("1" if answer == "yes" else "0")), situation, now)
        return True

    def _result_again(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """The result the user is at, shown again (「結果に戻る」 after the ID list)."""
        node = self.flow.nodes.get(out.state.node or "")
        if node is None or not node.is_final:
            self._menu(out)
            return
        out.replies.extend(self._render_final(node, out))

    def _solved(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """「ログインできた」: glad, with what the bot can still do. After a result 「まだ解決しない」 stays
        offered: a misread success must not leave a stuck user without the next step."""
        node = self.flow.nodes.get(out.state.node or "")
        choices = self.menu_choices()
        if node is not None and node.is_final and node.id != self.flow.last_step:
            choices = (*choices, Choice(texts.LABEL_NOT_SOLVED, Command("not_solved")))
        out.replies.append(Reply(texts.SOLVED, choices))

    def _call(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """「オペレーターと話したい」: the call step at once, with the hours the causes shown so far need."""
        last = self.flow.nodes.get(self.flow.last_step or "")
        if last is None:
            self._start_diagnosis(out, now)
            return
        here = out.state.node
        shown = [n for n in (*out.state.back, here or "") if (b := self.flow.nodes.get(n)) is not None and b.is_final]
        self._go(out, self._carry_hours(last, shown), now, from_node=here, situation=situation)

    def _carry_hours(self, target: Node, shown: Sequence[str]) -> Node:
        """The last step with the contact hours an urgent result already shown needed (a lost card's
        24-hour line must not give way to office hours when the user is still stuck)."""
        hours = {cid: list(names) for cid, names in target.contact_hours.items()}
        for node_id in shown:
            earlier = self.flow.nodes.get(node_id)
            if earlier is None or not earlier.urgent or earlier.end:
                continue
            for cid, names in earlier.contact_hours.items():
                if cid in hours:
                    hours[cid] = [*names, *(n for n in hours[cid] if n not in names)]
        return replace(target, contact_hours={cid: tuple(names) for cid, names in hours.items()})

    def _show_ids(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """The ID list; after a result its other offers (the reminder) stay at hand."""
        node = self.flow.nodes.get(out.state.node or "")
        if node is not None and node.is_final and out.state.pending is None:
            # 「戻る」 here means the advice just read, not the question before it.
            kept = [c for c in self._result_choices(node) if c.action not in (Command("show_ids"), Command("back"))]
            choices = (*kept, Choice(texts.LABEL_BACK_TO_RESULT, Command("result")))
        else:
            choices = (self._choice_menu(),)
        out.replies.append(Reply(self._ids_text(), choices))

    def _repay_urgency(self, out: Outcome, key: str, now: datetime) -> bool:
        """A repayment late or due today (not a login problem): call soon, the counselling centre once."""
        urgent = self.flow.repay_urgent
        if any(w in key for w in LATE_WORDS) and _PAID.search(key) and not any(w in key for w in _LOGIN_WORDS):
            # 「延滞分はもう払いました」: no scolding and no call; the record says it is settled.
            out.effects.append(RecordFacts({"overdue": False}))
            out.replies.append(Reply(texts.LATE_PAID))
            return True
        repaying = any(w in key for w in _REPAY_WORDS)
        hard = bool(urgent.get("hard")) and (
            any(w in key for w in _HARD_WORDS) or (repaying and any(w in key for w in _HARD_WITH_REPAY))
        )
        if not urgent or not (repaying or hard) or any(w in key for w in _LOGIN_WORDS):
            return False
        if hard:
            lead = urgent["hard"]
        elif any(w in key for w in LATE_WORDS):
            lead = urgent["late"]
            out.effects.append(RecordFacts({"overdue": True}))  # 「返済日を過ぎちゃってる」 is kept, as its button is
        elif any(w in key for w in _TODAY_WORDS) or self._names_today(key, now):
            lead = urgent["today"]
        else:
            return False
        lines = [lead]
        for cid in urgent["contacts"]:
            block = self._contact_block(cid, urgent["hours"], out)
            if block:
                lines += ["", *block]
        out.replies.append(Reply("\n".join(lines)))
        return True

    def _phishing(self, out: Outcome, lead: str = "") -> None:
        """Asked for a PIN or password by someone: most likely a fraud; whom to call to stop the card."""
        lines = [lead or texts.PHISHING]
        lost = next((n for n in self.flow.results if n.facts.get("card_lost") and n.contacts), None)
        if lost is not None:
            lines += self._contact_block(lost.contacts[0], lost.contact_hours, out, intro=False)
        out.replies.append(Reply("\n".join(lines), self.menu_choices(), important=True))

    def _care_again(self, out: Outcome) -> None:
        """After words of crisis, what the bot cannot read is met with care, not 「読み取れませんでした」."""
        out.state.cared = True
        crisis = self.flow.crisis
        lines = [texts.CARE_AGAIN, *self._phone_lines(crisis["contacts"][:1])]
        out.replies.append(Reply("\n".join(lines), (Choice(texts.LABEL_MENU, Command("menu")),), important=True))

    def _crisis(self, out: Outcome) -> None:
        """Someone who speaks of not wanting to live: care first, then people to talk to now."""
        out.state.cared = True
        crisis = self.flow.crisis
        lines = [crisis["say"], "", *self._phone_lines(crisis["contacts"])]
        if crisis.get("money"):
            lines += ["", *([crisis["after"]] if crisis.get("after") else []), *self._phone_lines(crisis["money"])]
        if crisis.get("urgent"):
            lines += ["", crisis["urgent"]]
        # No menu of tasks under these words: only the way back, when they want it.
        out.replies.append(Reply("\n".join(lines), (Choice(texts.LABEL_MENU, Command("menu")),), important=True))

    def _phone_lines(self, ids: Sequence[str]) -> list[str]:
        """Each contact as its name and number, then its hours (a crisis message: every hour shown)."""
        lines: list[str] = []
        for cid in ids:
            contact = self.flow.contacts[cid]
            lines += [f"{contact.name}：{contact.phone}", f"　{contact.hours}"]
        return lines

    def _names_today(self, key: str, now: datetime) -> bool:
        """「返済日は3日」 on the 3rd: the due day named is today's date."""
        local = now.astimezone(self.tz)
        # 「3日後」「3日前」「3日間」 are spans, not dates; a month, when given, must be this one.
        match = re.search(r"(?:(\d{1,2})月)?(\d{1,2})日(?![後前間ご])", key)
        if match is None or int(match.group(2)) != local.day:
            return False
        return match.group(1) is None or int(match.group(1)) == local.month

    def _repay_choices(self) -> tuple[Choice, ...]:
        return (
            Choice("返済日のお知らせを設定", Command("remind_repay")),
            Choice(texts.LABEL_DIAGNOSE, Command("diagnose")),
            Choice(texts.LABEL_MENU, Command("menu")),
        )

    def _go(
        self,
        out: Outcome,
        node: Node,
        now: datetime,
        from_node: str | None,
        situation: Situation,
        also: Sequence[str] = (),
        lead: str = "",
    ) -> None:
        state = out.state
        state.pending = None
        maintenance = self.flow.maintenance
        while node.clock is not None:
            # Never asked: the time decides (a flow without windows cannot hold a clock node).
            inside = maintenance is not None and maintenance.window_at(now) is not None
            node = self.flow.nodes[node.clock[0] if inside else node.clock[1]]
        if from_node is not None and from_node in self.flow.nodes and from_node != node.id:
            state.back.append(from_node)
            del state.back[:-20]  # a bounded way back is enough
        state.node = node.id
        if node.is_final:
            if node.facts:
                out.effects.append(RecordFacts(self._facts(node.facts, now)))
            out.replies.extend(self._render_final(node, out, also=also, lead=lead))
        else:
            if lead:
                out.replies.append(Reply(lead))
            out.replies.extend(self._render_question(node))

    def _facts(self, facts: dict[str, Any], now: datetime) -> dict[str, Any]:
        stamp = utc_stamp(now)
        return {k: (stamp if v == NOW else v) for k, v in facts.items()}

    def _nav(self) -> list[Choice]:
        return [Choice(texts.LABEL_BACK, Command("back")), Choice(texts.LABEL_RESTART, Command("restart"))]

    def _render_question(self, node: Node) -> list[Reply]:
        choices = [Choice(c.label, Pick(node.id, c.id)) for c in node.choices]
        if node.id == self.flow.start:
            choices.append(self._choice_menu())
        else:
            choices.extend(self._nav())
        return [Reply(node.text, tuple(choices))]

    def _result_choices(self, node: Node, also: Sequence[str] = ()) -> tuple[Choice, ...]:
        nexts = [Choice(texts.LABEL_NEXT_CAUSE.format(title=self._intent_label(c))[:20], GoCause(c)) for c in also[:2]]
        offers = [Choice(c.label, Command(c.action or "menu")) for c in node.choices if c.action != "menu"]
        menus = [Choice(c.label, Command("menu")) for c in node.choices if c.action == "menu"]
        # Every result but the last step can step up; the menu and the way back come last.
        stuck = [Choice(texts.LABEL_NOT_SOLVED, Command("not_solved"))] if node.id != self.flow.last_step else []
        return tuple(nexts + offers + stuck + menus + [Choice(texts.LABEL_BACK, Command("back"))])

    def _contact_block(
        self,
        cid: str,
        hours: dict[str, tuple[str, ...]],
        out: Outcome,
        indent: str = "",
        intro: bool = True,
        why: str = "",
    ) -> list[str]:
        return result_view.contact_block(self.flow, cid, hours, out, indent, intro, why)

    def _render_final(self, node: Node, out: Outcome, also: Sequence[str] = (), lead: str = "") -> list[Reply]:
        """A result, as :mod:`bot.core.result_view` shows it, with this conversation's choices."""
        titles = [self._intent_label(c) for c in also]
        return result_view.render_final(self.flow, node, out, self._result_choices(node, also), titles, lead)

    def _export(self, out: Outcome, situation: Situation, now: datetime, full: bool = False) -> None:
        """Every stored row about the user, in as many bubbles as it takes; the menu on the last."""
        rows = out.load_record() if out.load_record is not None else self._given_rows(situation, out)
        if rows.get("conversations"):
            # The position as it is saved at the end of this turn: a set-up this very message dropped
            # (and said so) must not show as still in progress.
            current = json.dumps(out.state.to_dict(), ensure_ascii=False)
            rows = {**rows, "conversations": [{**r, "state": current} for r in rows["conversations"]]}
        nodes = {n.id: (n.title or n.text.split("\n")[0])[:40] for n in self.flow.nodes.values()}
        context = ExportContext(self.tz, self.flow.cause_titles(), nodes)
        out.replies.extend(export_replies(rows, context, full, self.menu_choices()))

    def _given_rows(self, situation: Situation, out: Outcome) -> StoredRows:
        """Without a stored record (a core-only caller): the situation, its history and reminders given."""
        facts = {f.name: getattr(situation, f.name) for f in fields(Situation)}
        history = [{**entry, "value": json.dumps(entry["value"])} for entry in out.situation_history()]
        reminders = [
            {"id": r.id, "kind": r.kind, "status": r.status, "what": r.what or None, "due_day": r.due_day}
            for r in out.reminders
        ]
        return {"situations": [facts], "situation_history": history, "reminders": reminders}

    def _details(self, out: Outcome) -> None:
        """「くわしく」: the rest of the result the user is at (else the menu)."""
        node = self.flow.nodes.get(out.state.node or "")
        if node is None or not node.is_final:
            self._menu(out)
            return
        out.replies.extend(result_view.render_details(self.flow, node, out, self._result_choices(node)))

    def _ids_text(self) -> str:
        return result_view.ids_text(self.flow)

    def _machines_text(self) -> str:
        return result_view.machines_text(self.flow)

    def _fill(self, template: str) -> str:
        """Lender-neutral copy with the flow's lender fields filled in."""
        return template.format(**{k: self.flow.lender.get(k, "") for k in ("name", "company", "disclaimer")})

    def menu_choices(self) -> tuple[Choice, ...]:
        """The main menu's choices (also the reminder dialog's host interface)."""
        return (
            Choice(texts.LABEL_DIAGNOSE, Command("diagnose")),
            Choice(texts.LABEL_REMINDERS, Command("reminders")),
            Choice(texts.LABEL_STATUS, Command("status")),
            Choice(texts.LABEL_HELP, Command("help")),
        )

    def _choice_menu(self) -> Choice:
        return Choice(texts.LABEL_MENU, Command("menu"))

    def _menu(self, out: Outcome) -> None:
        out.state.pending = None
        out.state.node = None
        out.state.back = []
        out.replies.append(Reply(texts.MENU, self.menu_choices()))

    def stale(self, out: Outcome) -> None:
        """Answer a button that no longer applies (also the reminder dialog's host interface)."""
        out.state.pending = None
        out.state.node = None
        out.state.back = []
        out.replies.append(Reply(texts.STALE_BUTTON, self.menu_choices()))

    def _reprompt(self, out: Outcome, message: str) -> None:
        choices = tuple(self._offered_choices(out)) or self.menu_choices()
        out.replies.append(Reply(message, choices))

    def _offered_choices(self, out: Outcome) -> list[Choice]:
        return [Choice(label, action) for label, value in out.state.offered if (action := decode(value)) is not None]

    def _not_understood(self, out: Outcome, now: datetime) -> None:
        """The last resort: say so, then ask again the question the user is in (not the menu's examples)."""
        node = self.flow.nodes.get(out.state.node or "")
        said = out.said
        if out.cared_before:
            self._care_again(out)
            return
        if _FEAR.search(said) or _ANGER.search(said):
            # One line that hears it; then the question the person is in, or the menu.
            out.replies.append(Reply(texts.HEARD_ANGER if _ANGER.search(said) else texts.HEARD_FEAR))
            if self._in_question(out):
                self._repeat_question(out, now, texts.KEEP_GOING)
            else:
                # A person is always one tap away, for whoever is upset.
                call = Choice(INTENT_LABELS["call"], Command("call"))
                out.replies.append(Reply(texts.MENU, (*self.menu_choices(), call)))
            return
        if node is not None and node.is_final and out.state.pending is None and _WHAT_NOW.search(said):
            out.replies.extend(self._render_final(node, out))
            return
        node_shown = node is not None and any(v.startswith("p:") for _l, v in out.state.offered)
        if out.state.pending is not None or node_shown:
            self._repeat_question(out, now, texts.NOT_UNDERSTOOD)
        elif self._asked_a_choice(out):
            # 「はい」 to 「どれを消しますか？」: the choices last shown again, not an earlier question.
            self._reprompt(out, texts.NOT_UNDERSTOOD)
        elif self._in_question(out):
            self._repeat_question(out, now, texts.NOT_UNDERSTOOD)
        else:
            # A person is always one tap away, for whoever the bot cannot follow.
            call = Choice(INTENT_LABELS["call"], Command("call"))
            out.replies.append(Reply(texts.NOT_UNDERSTOOD_MENU, (*self.menu_choices(), call)))

    def _asked_a_choice(self, out: Outcome) -> bool:
        """True when the choices last shown are a question of their own (not the main menu)."""
        menu = {c.value for c in self.menu_choices()} | {encode(Command("menu")), encode(Command("call"))}
        return any(value not in menu for _label, value in out.state.offered)

    def _in_question(self, out: Outcome) -> bool:
        node = self.flow.nodes.get(out.state.node or "")
        return out.state.pending is not None or node is not None

    def _repeat_question(self, out: Outcome, now: datetime, lead: str) -> None:
        """Repeat the pending question with its choices (a resumed conversation, a misunderstanding)."""
        out.replies.append(Reply(lead))
        if self.dialog.repeat_question(out, now):
            return
        if isinstance(out.state.pending, ConfirmForget):
            self._forget(out, Situation(), now)
            return
        node = self.flow.nodes.get(out.state.node or "")
        if node is not None and node.is_final:
            out.replies.extend(self._render_final(node, out))  # short: the result again, 「くわしく」 first
        elif node is not None:
            out.replies.extend(self._render_question(node))
        else:
            out.replies.pop()
            self._menu(out)
