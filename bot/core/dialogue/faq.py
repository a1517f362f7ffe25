"""Questions asked in passing (about the bot, typing, calling, a lost card), answered wherever the
person is: one entry each in ``bot/corpus/questions.toml`` (the words that ask it, and the answer).
The answer is given and the question the person is in comes back."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.dates.calendar_asked import calendar_answer
from bot.core.dates.jptime import format_datetime
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.asked import ASKED
from bot.core.dialogue.draft_left import beside_the_draft
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.turn import Turn
from bot.core.dialogue.words import _ANGER, _FEAR, ACT, SUBJECT_WORDS
from bot.core.reminders.kinds.registry import kind_of
from bot.core.reminders.model import ReminderView
from bot.core.reminders.setup_state import Confirm, Spec
from bot.core.safety.danger import fears_the_police
from bot.core.understanding.textnorm import fold_kana, normalize

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation

QUESTIONS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "questions.toml"
# 「半角なのにログインできない」 reports a login problem: the diagnosis answers it, not a tip.
# Asked, not told: a question mark, or a question's ending (「〜かな」 「〜ですか」 「〜の？」).
_QUESTION = ASKED
# Words of the bot's own subject: a question with one of them is one the lender can answer.
_DOMAIN = re.compile(SUBJECT_WORDS)
_REPORTS_FAILURE = re.compile(r"(?:ろぐいん|入れ|はいれ|開け|ひらけ)(?:でき)?(?:ない|なく|ません)")


# 「一番近い通知いつ？」 「次のお知らせって何日？」: when the next reminder comes.
_NEXT_NOTICE = re.compile(
    r"(?:次|つぎ|一番近い|いちばん近い|直近|最初|さいしょ)の?(?:通知|つうち|おしらせ|りまいんど|りまいんだー)(?:って|は)?"
    r"(?:いつ|何日|なんにち|何時|なんじ)"
    # 「今月の分はいつ通知くる？」 「いつ通知来るの？」
    r"|(?:今月|こんげつ|来月|らいげつ|次|つぎ)の?(?:分|ぶん)(?:は|って)?(?:いつ|何日|なんにち)"
    r"|いつ(?:頃|ごろ)?(?:通知|つうち|おしらせ|りまいんど)(?:が|は)?(?:来|く|届|とど)"
    # 「今月はもう15日の分も通知くる？」: whether this one comes, asked of its date
    r"|(?:分|ぶん)(?:も|は)?(?:通知|つうち|おしらせ|りまいんど)(?:は|って|が)?(?:来|く|届|とど)"
)
NEXT_IN_DRAFT = "お知らせは、下の日時に届きます（「はい」で保存したあと）。"
NEXT_DRAFTED = "次のお知らせは{when}です（「はい」で保存したあとに届きます）。"
# The set-up itself asked about (「リマインダーは？」 「設定どうなった？」).
_THE_SETUP = re.compile(r"りまいんだ|りまいんど|おしらせ|設定|せってい|続き|つづき|保存|ほぞん|登録|とうろく")
_DONE_ASKED = re.compile(
    r"でき(?:た|てる)|され(?:た|てる)|保存|ほぞん|登録|とうろく|入った|はいった|変わる|かわる|できる"
)
SAVED_ONE = "設定済みのお知らせです。\n・{line}"


def _saved_named(turn: Turn) -> ReminderView | None:
    """The one saved reminder a word of whose task the message names (「ゴミのほう」), if exactly one."""
    key = turn.key
    named = [r for r in turn.out.reminders if r.status == "active" and _names(normalize(r.what), key)]
    return named[0] if len(named) == 1 else None


def _names(title: str, key: str) -> bool:
    """True when two characters in a row of the title are said (「ゴミのほう」 for 「燃えるゴミ」)."""
    return any(title[i : i + 2] in key for i in range(len(title) - 1) if title[i : i + 2].strip())


# 「最終的に何日になってる？」 「何時になった？」: the draft's own value asked.
_DRAFT_ASKED = re.compile(
    r"(?:何日|なんにち|何時|なんじ|いつ|何曜日|なんようび|何曜|なんよう)(?:に|で|が)?(?:なって|なっと|なった|決まっ|きまっ|だっけ|でしたっけ|になる|設定)"
)
_HOW_IN = re.compile(
    r"(?:どう|どうやって|どうしたら|どうすれば|どないしたら)[^。]{0,6}(?:ろぐいん|入れ|はいれ|ログイン)"
)
HOW_IN_LEAD = "原因がわかれば、入り方をご案内できます。下から、いちばん近いものを選んでください。"
DRAFT_NOW = "いまは、下の内容になっています（まだ保存していません。よければ「はい」と送ってください）。"
# Screens a follow-up may show beside a draft that waits for its yes (the draft asked again after).
_SCREENS = frozenset({"export_all", "export", "status"})
# 「入れた！」 「いけた」 「ログインできた」: logged in now.
_GOT_IN = re.compile(r"(?:入れ|はいれ|ろぐいんでき|いけ|行け|開け|ひらけ)(?:た|ました)(?![らり])")
NOT_SAVED_YET = "まだ保存していません。下の内容でよければ「はい」と送ってください。"


@dataclass(frozen=True, slots=True)
class Question:
    """One question: the words that ask it, the answer, and when it may be answered."""

    id: str
    asks: tuple[re.Pattern[str], ...]
    answer: str
    told: bool = False  # also said without asking (「パスワードも送るよ」)
    causes: tuple[str, ...] = ()  # only at one of these causes
    idle: bool = False  # only when no question waits for an answer
    after_fraud: bool = False  # only right after a fraud warning
    also_after_fraud: bool = False  # anywhere, and right after a fraud warning before its follow-ups
    first: bool = False  # answered even when the words also read as a login cause (a secret's safety)
    not_at: tuple[str, ...] = ()  # never at these causes
    cause: str = ""  # the cause this is about: when read surely, its own result answers
    outside_results: bool = False  # not at a result (the result's own contact answers there)
    outside_setups: bool = False  # not while a reminder is set up (its own question hears the words)
    then: str = ""  # a command that follows the answer (「メールで送って」: the full record, shown here)
    again: bool = False  # the result on the screen is shown again after it (「続きから」 「ちょっと待って」)
    then_idle: bool = False  # ``then`` only when no question waits (it would start over)
    warns: bool = False  # a danger about money (threats, an illegal offer): what follows is that talk

    def matches(self, key: str) -> bool:
        """True when the message's key holds one of the words that ask this."""
        return any(p.search(key) for p in self.asks)


@cache
def load_questions(path: Path = QUESTIONS_FILE) -> tuple[Question, ...]:
    """The questions of the data file, in its order (the first that matches answers)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Question(
            id=str(q["id"]),
            # Keys are hiragana: a pattern's katakana is folded the same way.
            asks=tuple(re.compile(fold_kana(str(p)).lower()) for p in q["asks"]),
            answer=str(q["answer"]),
            told=bool(q.get("told", False)),
            causes=tuple(q.get("causes", ())),
            idle=bool(q.get("idle", False)),
            after_fraud=q.get("after_fraud", False) is True,
            also_after_fraud=q.get("after_fraud", False) == "also",
            first=bool(q.get("first", False)),
            not_at=tuple(q.get("not_at", ())),
            cause=str(q.get("cause", "")),
            outside_results=bool(q.get("outside_results", False)),
            outside_setups=bool(q.get("outside_setups", False)),
            then=str(q.get("then", "")),
            again=bool(q.get("again", False)),
            then_idle=bool(q.get("then_idle", False)),
            warns=bool(q.get("warns", False)),
        )
        for q in data["question"]
    )


def _asking(text: str) -> bool:
    return bool(re.search(r"[?？]|(?:ますか|ですか|かな|っけ|の|る|るん|のん|いい|大丈夫)[。…\s]*$", text))


class Faq:
    """A router stage: a question asked in passing, answered wherever the person is."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def answer(self, turn: Turn) -> bool:
        """Answer the first matching question; then the question the person is in, or the menu."""
        return self._answer(turn, self._found(turn))

    def calendar(self, turn: Turn) -> bool:
        """「今月の12日って土曜？」 「それ日曜だよね？」: the calendar answered, then the question again."""
        spec = getattr(turn.pending, "spec", None)
        at = getattr(spec, "at", None)
        draft_day = datetime.fromisoformat(at).astimezone(self.conv.tz).date() if at else None
        if _NEXT_NOTICE.search(turn.key):
            # 「一番近い通知いつ？」: the draft on the screen says it; else the list of those set.
            if spec is not None:
                self.conv.fallback._repeat_question(turn.out, turn.now, self._next_of_draft(spec, turn))
            else:
                self.conv.dispatch(turn.out, Command("reminders"), turn.situation, turn.now)
            return True
        answer = calendar_answer(turn.text, turn.now.astimezone(self.conv.tz).date(), draft_day)
        if answer is None:
            return False
        self._say(turn, answer)
        return True

    def _next_of_draft(self, spec: Spec, turn: Turn) -> str:
        """「次のお知らせは12月26日(土) 20:00です」: read from the draft's own lines (saved, it comes then)."""
        lines = kind_of(spec.kind).confirm_lines(spec, turn.now, self.conv.tz, self.conv.flow)
        nxt = next((line.split("：", 1)[1] for line in lines if line.startswith(("次のお知らせ：", "次回："))), "")
        return NEXT_DRAFTED.format(when=nxt.split("、")[0].split("（")[0]) if nxt else NEXT_IN_DRAFT

    def after_fraud(self, turn: Turn) -> bool:
        """Right after a fraud warning: its own follow-ups first (paid already, tell the lender...)."""
        if turn.out.money_warned_before and fears_the_police(turn.text):
            return False  # 「警察に言ったら家族にバレますか」 after a threat: the talk about it answers
        found = self._found(turn, after_fraud=True) if turn.out.warned_before else None
        return self._answer(turn, found)

    def _answer(self, turn: Turn, found: Question | None) -> bool:
        if found is None:
            return False
        out = turn.out
        text = self._filled(found.answer, turn)
        if found.after_fraud or found.warns:
            out.state.warned = True  # still talking about the fraud: its follow-ups keep being read
        out.state.money_warned = out.state.money_warned or found.warns  # 「怖い」 next: about this
        idle = not self.conv.fallback._in_question(out)
        if found.then and out.state.pending is None and (idle or not found.then_idle):
            out.replies.append(Reply(text))
            self.conv.dispatch(out, Command(found.then), turn.situation, turn.now)
            return True
        if found.then in _SCREENS and out.state.pending is not None:
            out.replies.append(Reply(text))  # 「テキストで書き出して」 at a draft: shown, the draft asked again
            beside_the_draft(self.conv, turn, Command(found.then))
            return True
        self._say(turn, text, again=found.again)
        return True

    def unknown_question(self, turn: Turn) -> bool:
        """A question no rule answers and the reading is unsure of: said honestly, with whom to ask
        (a guess at what else it might mean would not answer it); the question the person is in stays."""
        top = turn.top
        if not _QUESTION.search(turn.text) or (top.score >= ACT and top.intent != "none"):
            return False
        if _FEAR.search(turn.key) or _ANGER.search(turn.key):
            return False  # 「なんでこんな目に」: a feeling, heard first (the fallback's line)
        if self._where_it_stands(turn):
            return True
        # About money or logging in: whom to ask. Anything else (the weather, a favourite food): what
        # this bot is for, without sending the person to the lender with it.
        about = _DOMAIN.search(turn.key) is not None
        text = self._filled(texts.UNKNOWN_QUESTION if about else texts.OFF_TOPIC, turn)
        self._say(turn, text)
        return True

    def _where_it_stands(self, turn: Turn) -> bool:
        """A question about the set-up or the diagnosis the person is in: where it stands, asked again."""
        if turn.pending is not None and _THE_SETUP.search(turn.key):
            # 「で、リマインダーは？」 「ちゃんとできた？」 in the middle of a set-up: where it stands, asked again.
            done = isinstance(turn.pending, Confirm) and _DONE_ASKED.search(turn.key)
            self.conv.fallback._repeat_question(turn.out, turn.now, NOT_SAVED_YET if done else texts.KEEP_GOING)
            return True
        node = self.conv.flow.nodes.get(turn.out.state.node or "")
        if node is not None and not node.is_final and turn.pending is None and _HOW_IN.search(turn.key):
            # 「じゃあどうしたらログインできる？」 at a question of the diagnosis: the question is the way.
            self.conv.fallback._repeat_question(turn.out, turn.now, HOW_IN_LEAD)
            return True
        named = _saved_named(turn) if _DRAFT_ASKED.search(turn.key) else None
        if named is not None:
            # 「ゴミのほうは何曜日になってる？」 in another set-up: that saved reminder's line.
            self._say(turn, SAVED_ONE.format(line=kind_of(named.kind).describe(named, turn.now)))
            return True
        if isinstance(turn.pending, Confirm) and _DRAFT_ASKED.search(turn.key):
            # 「最終的に何日になってる？」 at a confirmation: the draft as it stands is the answer.
            self.conv.fallback._repeat_question(turn.out, turn.now, DRAFT_NOW)
            return True
        return False

    def _say(self, turn: Turn, text: str, again: bool = False) -> None:
        """The answer, then the question the person is in (or the menu when they are in none)."""
        out = turn.out
        if out.state.pending is None and _GOT_IN.search(turn.key):
            out.state.node = None  # 「半角にしたら入れた！…次も全角になる？」: solved, no question to go back to
        node = self.conv.flow.nodes.get(out.state.node or "")
        if out.state.pending is None and node is not None and node.is_final and not (again or node.urgent):
            # At a result: the answer with the result's own buttons (the result stays just above it).
            out.replies.append(Reply(text, self.conv.diagnosis._result_choices(node)))
        elif self.conv.fallback._in_question(out):
            out.replies.append(Reply(text))
            lead = texts.KEEP_GOING if out.state.pending is not None else texts.BACK_TO_QUESTION
            self.conv.fallback._repeat_question(out, turn.now, lead)
        else:
            out.replies.append(Reply(text, self.conv.menu_choices()))

    def _found(self, turn: Turn, after_fraud: bool = False) -> Question | None:
        asking = _asking(turn.text)
        diagnosis_reads = self._diagnosis_reads(turn, asking)
        for question in load_questions():
            if after_fraud and not (question.after_fraud or question.also_after_fraud):
                continue  # right after a warning, its own follow-ups are looked for first
            if not (asking or question.told) or not question.matches(turn.key):
                continue
            if not (self._fits_cause(question, turn) and self._fits_moment(question, turn)):
                continue
            if diagnosis_reads and not question.first:
                # A login problem in the same words, or told as a cause of the flow reads it (a new
                # cause in a flow file wins over a tip here): the diagnosis answers it, unless a
                # question that comes first (a secret's safety, an SMS code) is asked too.
                continue
            return question
        return None

    def _diagnosis_reads(self, turn: Turn, asking: bool) -> bool:
        """True when the words read surely as a cause, reported or told, whose result is not the one
        on the screen already (there, 「全角で打ってた」 gets the tip, not the same result again)."""
        top = turn.top
        if top.intent not in self.conv.flow.causes or top.score < ACT:
            return False
        if not (_REPORTS_FAILURE.search(turn.key) or not asking):
            return False
        shown = self.conv.flow.nodes.get(turn.out.state.node or "")
        return self.conv.flow.result_for(top.intent) is not shown

    def _fits_moment(self, question: Question, turn: Turn) -> bool:
        """Right after a fraud warning, or with no question waiting, when the entry asks for it."""
        if (question.after_fraud and not turn.out.warned_before) or (question.outside_setups and turn.pending):
            return False
        waiting = self.conv.fallback._in_question(turn.out) or self.conv.fallback._asked_a_choice(turn.out)
        node = self.conv.flow.nodes.get(turn.out.state.node or "")
        at_result = node is not None and node.is_final
        return not (question.idle and waiting) and not (question.outside_results and at_result)

    def _fits_cause(self, question: Question, turn: Turn) -> bool:
        """Where the person is (and what the words read as) lets this question be answered here."""
        now = self._cause_now(turn)
        if (question.causes and now not in question.causes) or (now is not None and now in question.not_at):
            return False
        top = turn.top
        return not (question.cause and top.intent == question.cause and top.score >= ACT)

    def _cause_now(self, turn: Turn) -> str | None:
        node = self.conv.flow.nodes.get(turn.out.state.node or "")
        return (node.result if node is not None and node.is_final else None) or turn.situation.cause

    def _filled(self, answer: str, turn: Turn) -> str:
        flow = self.conv.flow
        contact = ""
        holder = flow.nodes.get(flow.last_step or "")
        if "{lost_contact}" in answer:
            # The line that stops a card (its own hours: often all day), as the lost card's result has it.
            holder = next((n for n in flow.results if n.facts.get("card_lost") and n.contacts), holder)
            answer = answer.replace("{lost_contact}", "{contact}")
        if "{contact}" in answer and holder is not None and holder.contacts:
            lines = self.conv.render._contact_block(holder.contacts[0], holder.contact_hours, turn.out, intro=False)
            contact = "\n".join(lines)
        now = format_datetime(turn.now.astimezone(self.conv.tz)) if "{now}" in answer else ""
        return answer.format(name=flow.lender.get("name", ""), contact=contact, now=now).strip()
