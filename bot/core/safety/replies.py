"""Answers of the safety net: care, fraud, a phone number asked about, leaving."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.dialogue import texts
from bot.core.dialogue.actions import (
    Command,
    FactEdit,
)
from bot.core.dialogue.commands import command
from bot.core.dialogue.messages import (
    Choice,
    Reply,
)
from bot.core.dialogue.state import Outcome
from bot.core.reminders.kinds.registry import kind_of
from bot.core.reminders.refs import PAID_OFF_WORDS, says_skip
from bot.core.reminders.setup_state import Confirm, ConfirmCancel, ConfirmForget
from bot.core.reminders.several import kept_of
from bot.core.safety.card_hand import card_at_hand
from bot.core.safety.danger import (
    CALLING,
    DV_LINES,
    OTHER_IN_DANGER,
    OWN_ANGER,
    at_home,
    someone_else_in_danger,
    stopped_answering,
    wants_to_hurt,
    will_call,
)
from bot.core.safety.fraud import (
    asks_for_money,
    asks_if_real,
    is_fraud,
    is_loan_shark,
    offers_to_unlock,
    urged_to_pay,
)
from bot.core.safety.guard import phone_numbers
from bot.core.safety.net import (
    deletion_scope,
    in_danger_now,
    is_emergency,
    is_threatened,
    is_urgent_loss,
    is_withdrawal,
    safety_key,
)
from bot.core.safety.texts import (
    CALL_SCARE,
    FRAUD_MONEY,
    PHISHING_CALL,
    SHARK_FEE,
    SHARK_MESSAGE,
    SHARK_OWED,
    UNKNOWN_CALLS,
    UNLOCK_OFFER,
)
from bot.core.situation.facts import FIELD_LABELS, Situation

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


# After words of crisis, a body in trouble (「頭がぼーっとする」 「吐きそう」): 119 again, first.
_BODY_IN_DANGER = re.compile(
    r"頭が(?:ぼー|ぼう|ふら|まわらな)|意識|いしき|ふらふら|吐き|はき|息が|いきが|眠くて|ねむくて|眠い|ねむい|眠た|ねむた|動けな|うごけな|気持ち悪|きもちわる|しびれ"
)


# A call told (「電話きて」 「着信があって」) and no message or link: the warning speaks of the call.
_CALLED = re.compile(r"電話|でんわ|着信|ちゃくしん|かかってき|掛かってき|tel", re.IGNORECASE)
_MESSAGE = re.compile(
    r"sms|ＳＭＳ|メール|めーる|ショートメ|リンク|りんく|url|ＵＲＬ|サイト|dm|LINE|ライン", re.IGNORECASE
)


def by_phone(text: str) -> str:
    """The warning for a call, when that is how it came (a secret asked for, or calls from a number
    not known); "" otherwise."""
    if not _CALLED.search(text) or _MESSAGE.search(text):
        return ""
    if _SECRET_ASKED.search(text):
        return PHISHING_CALL
    if _CALL_THREAT.search(text):
        return CALL_SCARE
    return UNKNOWN_CALLS if _UNKNOWN_NUMBER.search(text) else ""


# What a caller threatens with to hurry someone (a lawsuit, a seizure, an arrest, a stop).
_CALL_THREAT = re.compile(
    r"裁判|さいばん|訴訟|そしょう|訴え|うったえ|差し?押さえ|差押|さしおさえ|法的|ほうてき|逮捕|たいほ|今日中|きょうじゅう"
)


# Words of a threat itself (not a visit, which a fraudster makes too: 「銀行員が家に来てカード預かるって」).
_THREAT_WORDS = re.compile(
    r"脅|おど[さしす]|取り立て|とりたて|(?:家|いえ|うち)(?:に|まで|へ)?(?:行|い)く(?:ぞ|って|から)|(?:連絡|電話)(?:する|すん)ぞ|ばらす|晒す|さらす"
)


def _threat_only(text: str) -> bool:
    """Threatened by someone who only gave a lender's name (「『家行くぞ』って。〇〇って名乗ってた」): the
    threat's answer (the police), unless a secret or money was asked for as well."""
    return bool(_THREAT_WORDS.search(text)) and not (asks_for_money(text) or _SECRET_ASKED.search(text))


_UNKNOWN_NUMBER = re.compile(r"知らない番号|しらない番号|非通知|ひつうち|心当たりのない|見知らぬ|知らん番号")
_SECRET_ASKED = re.compile(
    r"暗証|あんしょう|パスワード|ぱすわーど|カード番号|会員番号|ID|id|聞かれ|きかれ|教えて|おしえて"
)

# 「借りてる」 「利息取られてる」 「返してるのに」: the debt to an illegal lender already exists.
_OWED = re.compile(r"借りて|借りた|かりて|かりた|返済|へんさい|返して|かえして|利息|りそく|払って|はらって|払い続け")


_EVERY = re.compile(r"全部|ぜんぶ|すべて|全て|両方|りょうほう|どっちも|みんな")


def _own_question_reads(pending: object, text: str) -> bool:
    """True when the question the person is in reads a deletion's words itself: the one about
    everything, or 「今後ぜんぶ」 to 「取り消しますか？」 (this one, for good: its own yes)."""
    if isinstance(pending, ConfirmForget):
        return True
    if isinstance(pending, Confirm) and pending.queued and kept_of([pending.spec, *pending.queued], text):
        return True  # 「薬のやつだけ消して」 with several drafts: that draft, not a record
    return isinstance(pending, ConfirmCancel) and bool(re.search(r"今後|こんご|これから|以降|ずっと", text))


# 「その情報だけ消しといて」: what was just said (the card found), not a record named.
_THAT_ONE = re.compile(
    r"(?:その|それ|この|これ|あの)(?:情報|じょうほう|記録|きろく|話|はなし|件|けん|こと)?(?:だけ|は|も|を)?"
)


class SafetyReplies:
    """Answers of the safety net: care, fraud, a phone number asked about, leaving."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def _safety(self, out: Outcome, text: str, reading_top: str, situation: Situation, now: datetime) -> bool:
        """Fraud, leaving and deletions read for recall; True when one of them answered."""
        if self._shielded(out, text):
            if self.conv.dialog.in_progress(out):
                # A warning in the middle of a set-up: the set-up is kept and its question comes back.
                self.conv.fallback._repeat_question(out, now, texts.KEEP_GOING)
            return True
        return self._deletions(out, text, reading_top, situation, now)

    def _shielded(self, out: Outcome, text: str) -> bool:
        """Danger now, fraud, a number asked about, a loan shark: answered whatever else the message holds."""
        if in_danger_now(text):
            self._danger(out, text, lead=texts.DANGER_NOW, lines=at_home(text))
            return True
        if wants_to_hurt(text) and self.conv.flow.crisis.get("money"):
            lines = [OWN_ANGER, "", *self._phone_lines(self.conv.flow.crisis["money"])]
            out.replies.append(Reply("\n".join(lines), self.conv.menu_choices(), important=True))
            return True
        shark = is_loan_shark(text) and bool(self.conv.flow.crisis.get("money"))
        fraud = is_fraud(text, self._official_numbers()) or urged_to_pay(text)
        if fraud and not shark and not _threat_only(text):
            self._fraud(out, text)
            return True
        if asks_if_real(text):  # 「…ってSMS来たんだけど本当？」: checked on the official side, not by its link
            self._phishing(out, lead=texts.FRAUD_REAL)
            return True
        if self._phone_question(out, text):
            return True
        if shark:  # an offer only an unregistered lender makes: that, before phishing advice
            # Owed: said so, or named right after a threat (「ヤミ金かも」 of the one who threatens).
            owed = bool(_OWED.search(text)) or (out.money_warned_before and not fraud)
            self._loan_shark(out, threatened=is_threatened(text), message=fraud, owed=owed)
            return True
        return False

    def _fraud(self, out: Outcome, text: str) -> None:
        """A likely fraud: money asked first, an offer to unlock, a call, or a secret asked for."""
        money = asks_for_money(text)
        lead = FRAUD_MONEY if money else UNLOCK_OFFER if offers_to_unlock(text) else by_phone(text)
        out.state.money_warned = money  # 「でも急いでる」 「怖い」 next are about the money
        self._phishing(out, self.conv._fill(lead) if lead else "", main_line=money or lead == CALL_SCARE)

    def _deletions(self, out: Outcome, text: str, reading_top: str, situation: Situation, now: datetime) -> bool:
        """Leaving, and what a deletion is about (everything only when the words say so)."""
        pending = out.state.pending
        if _own_question_reads(pending, text) or self.conv.dialog.takes_task(out):
            return False  # its own question reads its answers (a task may well be 「通知を消す」)
        key = safety_key(text)
        if isinstance(pending, ConfirmCancel) and _EVERY.search(key):
            self.conv.dialog.confirm_cancel_all(
                out, now
            )  # 「全部」 to 「このお知らせを取り消しますか？」: the reminders
            return True
        if is_withdrawal(text):
            self._withdraw(out, situation, now)
            return True
        if self._not_a_deletion(out, text):
            return False
        if situation.card_lost and card_at_hand(text) == "have" and _THAT_ONE.search(text):
            # 「見つかったわ、その情報だけ消しといて」: the card found is what is deleted (and said so)
            self.conv.diagnosis.lost_card.found(out, situation, now)
            return True
        return self._record_deleted(out, text, key, reading_top, situation, now)

    def _record_deleted(
        self, out: Outcome, text: str, key: str, reading_top: str, situation: Situation, now: datetime
    ) -> bool:
        """A record deleted by name or by asking which; a set-up in progress kept when it can be."""
        pending = out.state.pending
        dropped = self.conv.dialog.in_progress(out)  # a set-up waiting for its yes is not saved by what follows
        if dropped and deletion_scope(text) in (None, "ask", "reminder"):
            return False  # 「やっぱりキャンセルで」 at a set-up: its own question reads it (not saved)
        start = len(out.replies)
        if (dropped or not self._paid_off_record(out, text, situation, now)) and not self.conv.records._deletion(
            out, text, key, reading_top, situation, now
        ):
            return False
        if dropped and self._draft_kept(out, pending, text, now):
            pass  # 「遅れそうってのは消しといて」: one record gone, the set-up goes on
        elif dropped and not self.conv.dialog.in_progress(out):
            out.replies.insert(start, Reply(texts.SETUP_DROPPED))
        if PAID_OFF_WORDS.search(text):
            out.replies.insert(start, Reply(texts.PAID_OFF))  # 「完済した！」 is heard first
        return True

    def _paid_off_record(self, out: Outcome, text: str, situation: Situation, now: datetime) -> bool:
        """「Bのほうはもう完済したから消して」: that lender's record, all of it, gone."""
        told = [n for n in FIELD_LABELS if n != "language" and getattr(situation, n) is not None]
        if not (told and PAID_OFF_WORDS.search(text) and deletion_scope(text) == "ask"):
            return False
        self.conv.dispatch(out, FactEdit("del", ",".join(told)), situation, now)
        return True

    def _draft_kept(self, out: Outcome, draft: object, text: str, now: datetime) -> bool:
        """One record deleted in the middle of a set-up (nothing else asked): the draft comes back with
        its question."""
        if deletion_scope(text) != "fact" or out.state.pending is not None:
            return False
        spec = getattr(draft, "spec", None)
        if spec is not None and kind_of(spec.kind).records_due_day and re.search(r"返済日|へんさいび|支払日", text):
            return False  # 「返済日の情報だけ消しといて」: the repayment draft holds that day, it goes too
        out.state.pending = draft  # type: ignore[assignment]
        if out.replies:  # the record's own buttons would lead away from the question
            out.replies[-1] = replace(out.replies[-1], choices=())
        self.conv.fallback._repeat_question(out, now, texts.KEEP_GOING)
        return True

    def _not_a_deletion(self, out: Outcome, text: str) -> bool:
        """A lost card said with a deletion comes first (it cannot wait: 「カードなくしたのと、リマインダー
        消したい」); 「今月だけスキップ」 is one time of a reminder (its own stage), nothing deleted."""
        skip = says_skip(text) and (bool(out.reminders) or self.conv.dialog.in_progress(out))
        return (is_urgent_loss(text) and deletion_scope(text) != "fact") or skip

    @command("withdraw")
    def _withdraw(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """「退会したい」: what this bot can delete, and that the loan contract is the lender's."""
        lines = [self.conv._fill(texts.WITHDRAW)]
        last = self.conv.flow.nodes.get(self.conv.flow.last_step or "")
        if last is not None and last.contacts:
            lines += self.conv.render._contact_block(last.contacts[0], last.contact_hours, out, intro=False)
        out.replies.append(Reply("\n".join(lines)))
        self.conv.records._forget(out, situation, now)  # the one thing the bot can do here, asked as a question

    def _danger(self, out: Outcome, text: str, lead: str, lines: bool) -> None:
        """Danger now: the police number first; harm at home (or asked again): where to talk about it."""
        out.state.endangered = True  # what follows is read as the talk about it
        body = "\n\n".join([lead, DV_LINES] if lines or at_home(text) else [lead])
        out.replies.append(Reply(body, self.conv.menu_choices(), important=True))

    def _official_numbers(self) -> list[str]:
        return [c.phone for c in self.conv.flow.contacts.values()]

    def _phone_question(self, out: Outcome, text: str) -> bool:
        """「0120-12-3456で合ってる？」: whose number it is, from the flow data (a number is no secret)."""
        numbers = phone_numbers(text)
        if not numbers or not re.search(
            r"合って|あって|正し|ただし|本物|ほんもの|公式|こうしき|どこの|誰|だれ|何の|なんの", text
        ):
            return False
        known = {re.sub(r"\D", "", c.phone): c for c in self.conv.flow.contacts.values()}
        contact = known.get(numbers[0])
        if contact is not None:
            out.replies.append(Reply(texts.PHONE_KNOWN.format(name=contact.name), self.conv.menu_choices()))
        else:
            self._phishing(out, lead=self.conv._fill(texts.PHONE_UNKNOWN))
        return True

    def _phishing(self, out: Outcome, lead: str = "", main_line: bool = False) -> None:
        """Asked for a PIN or password by someone: most likely a fraud; whom to call to stop the card."""
        out.state.warned = True
        out.state.money_warned = out.state.money_warned or out.money_warned_before  # a threat's talk goes on
        lines = [lead or self.conv._fill(texts.PHISHING)]
        flow = self.conv.flow
        lost = next((n for n in flow.results if n.facts.get("card_lost") and n.contacts), None)
        # Money asked for: the lender's main line to check with; a secret asked for: the card stopped.
        holder = flow.nodes.get(flow.last_step or "") if main_line else lost
        if holder is not None and holder.contacts:
            lines += self.conv.render._contact_block(holder.contacts[0], holder.contact_hours, out, intro=False)
        out.replies.append(Reply("\n".join(lines), self.conv.menu_choices(), important=True))

    def _loan_shark(self, out: Outcome, threatened: bool = False, message: bool = False, owed: bool = False) -> None:
        """「闇金から借りようかな」: why not, in one line, and where free help is (the flow's money
        contacts); threatened by one already: the police first; borrowing from one already: where to
        talk it over."""
        out.state.warned = out.state.money_warned = True  # 「避けたほうがいい？」 next is read as about it
        lead = [texts.THREATENED, ""] if threatened else [SHARK_OWED if owed else texts.LOAN_SHARK, ""]
        if message and not threatened:
            lead = [SHARK_MESSAGE, *lead]  # come as a message: not answered, its link not opened
            if asks_for_money(out.said):
                lead.insert(1, SHARK_FEE)  # money asked first: 「振り込まないで」 before anything else
        lines = [*lead, *self._phone_lines(self.conv.flow.crisis["money"])]
        out.replies.append(Reply("\n".join(lines), self.conv.menu_choices(), important=True))

    def _counselling(self, out: Outcome) -> None:
        """Where to talk, for free: the money's counselling centre and the lines that listen."""
        out.state.cared = True
        crisis = self.conv.flow.crisis
        # The lines that listen at any hour first (「今夜話聞いてくれるとこ」), the money's centre after.
        lines = [texts.COUNSELLING, "", *self._phone_lines([*crisis["contacts"], *crisis.get("money", ())])]
        out.replies.append(Reply("\n".join(lines), (Choice(texts.LABEL_MENU, Command("menu")),), important=True))

    def _care_again(self, out: Outcome) -> None:
        """After words of crisis, what the bot cannot read is met with care, not 「読み取れませんでした」;
        a body in danger (「救急車呼ぶの怖い」) hears the emergency number first, again."""
        out.state.cared = True
        crisis = self.conv.flow.crisis
        body = is_emergency(out.said) or bool(_BODY_IN_DANGER.search(out.said)) or stopped_answering(out.said)
        other = someone_else_in_danger(out.said)
        urgent = (
            ([OTHER_IN_DANGER] if other else [crisis["urgent"], texts.EMERGENCY_HELP])
            if crisis.get("urgent") and body
            else []
        )
        calling = will_call(out.said) and not urgent  # 「わかった電話する」: heard, and thanked
        care = [] if other and urgent else [CALLING if calling else texts.CARE_AGAIN]  # the one with them: what to do
        lines = [*urgent, *care, *self._phone_lines(crisis["contacts"][:1])]
        out.replies.append(Reply("\n".join(lines), (Choice(texts.LABEL_MENU, Command("menu")),), important=True))

    def _crisis(self, out: Outcome, emergency: bool = False, said: str = "") -> None:
        """Someone who speaks of not wanting to live: care first, then people to talk to now; harm
        under way (``emergency``): the emergency number before anything else."""
        out.state.cared = True
        crisis = self.conv.flow.crisis
        # An emergency first (seen without scrolling), then people to talk to, then the money.
        other = emergency and bool(crisis.get("urgent")) and someone_else_in_danger(said)
        # Someone else's harm (「友達が薬いっぱい飲んだ」): 119 and what to do, not care meant for them.
        lines = [] if other else [crisis["say"], *([crisis["urgent"]] if crisis.get("urgent") else [])]
        if emergency and crisis.get("urgent"):
            lines.append(OTHER_IN_DANGER if other else texts.EMERGENCY_HELP)  # who can call, at once
        lines += ["", *self._phone_lines(crisis["contacts"])]
        if crisis.get("money") and not emergency:
            lines += ["", *([crisis["after"]] if crisis.get("after") else []), *self._phone_lines(crisis["money"])]
        if crisis.get("closing"):
            lines += ["", crisis["closing"]]
        # No menu of tasks under these words: only the way back, when they want it.
        out.replies.append(Reply("\n".join(lines), (Choice(texts.LABEL_MENU, Command("menu")),), important=True))

    def _phone_lines(self, ids: Sequence[str]) -> list[str]:
        """Each contact as its name and number, then its hours (a crisis message: every hour shown)."""
        lines: list[str] = []
        for cid in ids:
            contact = self.conv.flow.contacts[cid]
            lines += [f"{contact.name}：{contact.phone}", f"　{contact.hours}"]
        return lines

    @command("withheld")
    def withheld(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """A message a door withheld before storing it anywhere (it looked like a secret)."""
        self._secret(out)

    def _secret(self, out: Outcome) -> None:
        # Nothing of this message may be kept: no effect, no state change beyond the reprompt (and the
        # mark that the next message may be about it).
        out.state.hid = True
        out.replies.append(Reply(texts.SECRET_WARNING))
        self.conv.fallback._reprompt(out, texts.CONTINUE)
