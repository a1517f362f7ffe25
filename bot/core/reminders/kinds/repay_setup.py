"""The repayment reminder's own questions: the day of the month (「返済日は27日」, 「わからない」,
「口座振替で地銀から」: the lender's fixed debit day), how many days before, and at what time; and the
repayment day read from a sentence. Part of the repayment kind (:mod:`.repay`).

The lender's rules (``[repayment]`` of its flow, read by :mod:`bot.core.lenders.repayment`) decide
the days offered (its ``monthly_days``, else 5, 15, 25 and the month's end, any day typed being
taken), a day it does not offer (corrected, with its days), and the day an automatic debit falls on."""

from __future__ import annotations

import re
from datetime import datetime

from bot.core.dates.jptime import When, clock_in, format_time, numerals_to_digits, parse_clock, parse_when
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command, DaysBefore, RepayDay, SetupControl
from bot.core.dialogue.messages import Choice, Reply
from bot.core.dialogue.state import Outcome
from bot.core.lenders import repayment as rules
from bot.core.reminders.asking import QUIT, confirm
from bot.core.reminders.host import ANSWER_MIN, Ctx
from bot.core.reminders.kinds.base import Answer
from bot.core.reminders.kinds.repay_day import parse_day
from bot.core.reminders.repayment import MONTH_END, late_said
from bot.core.reminders.setup_answers import (
    PLAIN_NO,
    after_negation,
    days_before_in,
    debit_in,
    last_thought,
    leads_said,
    yes_no,
)
from bot.core.reminders.setup_state import AskDaysBefore, AskDebit, AskRepayDay, AskRepayTime, Spec
from bot.core.situation.facts import Situation
from bot.core.understanding.textnorm import clean, normalize

NAME = "repay"
# The days offered when the lender names none (any day 1-31 may still be typed).
DAY_CHOICES = (5, 15, 25, MONTH_END)
_REPAY_WORDS = ("返済", "へんさい", "支払", "しはらい", "約定日")
# 「わからない」 「覚えてない」 to the question of the repayment day (a short answer, no day in it).
_DAY_UNKNOWN = re.compile(r"わから|分から|わかん|知らな|しらな|覚えて(?:い)?な|おぼえて(?:い)?な|忘れ|わすれ|不明")


TIMING_KEPT = "お知らせのタイミングは、そのようにします。"
# 「7日前と3日前と前日」: one notice before the day is kept (the earliest), and that is said.
ONE_LEAD = "前もってのお知らせは1回だけ設定できます（当日にもお知らせします）。いちばん早い{days}日前にしました。"


def repay_spec(day: int, situation: Situation, base: Spec | None = None) -> Spec:
    """The draft for a repayment day (the time: the draft's, the user's usual one, or 9:00)."""
    time_of_day = (base.time if base else "") or situation.reminder_time or "09:00"
    # A repayment day already recorded means a set-up was saved before: the lender's mail was mentioned then.
    noted = situation.due_day is not None
    if base is not None and base.kind == NAME:
        return base.but(due_day=day, time=time_of_day, mail_noted=base.mail_noted or noted)
    return Spec(NAME, due_day=day, time=time_of_day, mail_noted=noted)


# ---------------------------------------------------------------------- asking


def _day_label(day: int) -> str:
    return "末日" if day >= MONTH_END else f"{day}日"


def _days_text(days: tuple[int, ...]) -> str:
    """「5日・15日・25日・末日」."""
    return "・".join(_day_label(d) for d in days)


def _lender_name(ctx: Ctx) -> str:
    return str(ctx.flow.lender.get("name", ""))


def ask_repay_day(ctx: Ctx, out: Outcome, message: str, spec: Spec, days: tuple[int, ...] = ()) -> None:
    """The question of the day, with ``days`` as choices (else the lender's, else :data:`DAY_CHOICES`).

    A lender with days of its own says so in the question (「…から選ぶ形です」), first and when asked again."""
    out.state.pending = AskRepayDay(spec)
    offered = rules.day_choices(ctx.flow.repayment)
    if not days and offered:
        days = offered
        wording = {
            texts.ASK_REPAY_DAY: texts.ASK_REPAY_DAY_FROM,
            texts.ASK_REPAY_DAY_AGAIN: texts.ASK_REPAY_DAY_AGAIN_FROM,
        }.get(message)
        if wording is not None:
            message = wording.format(name=_lender_name(ctx), days=_days_text(days))
    choices = [Choice(_day_label(d), RepayDay(d)) for d in days or DAY_CHOICES]
    choices.append(Choice(texts.LABEL_DAY_UNKNOWN, SetupControl("unknown_day")))
    out.replies.append(Reply(message, (*choices, Choice(texts.LABEL_MENU, Command("menu")))))


def confirm_day(ctx: Ctx, out: Outcome, spec: Spec, now: datetime, lead: str = "") -> None:
    """A monthly due day said or picked: confirmed when the lender has such a day; else said kindly
    that it does not, with its days to pick from (the draft otherwise kept)."""
    day = spec.due_day
    if day is None or rules.accepts_day(ctx.flow.repayment, day):
        confirm(ctx, out, spec, now, lead=lead)
        return
    days = rules.day_choices(ctx.flow.repayment)
    message = texts.REPAY_DAY_NOT_OFFERED.format(name=_lender_name(ctx), days=_days_text(days), day=_day_label(day))
    ask_repay_day(ctx, out, message, spec.but(due_day=None))


def ask_days(ctx: Ctx, out: Outcome, spec: Spec, message: str = texts.ASK_DAYS_BEFORE) -> None:
    out.state.pending = AskDaysBefore(spec)
    choices = tuple(Choice(f"{n}日前", DaysBefore(n)) for n in (1, 2, 3, 5, 7))
    out.replies.append(Reply(message, (*choices, QUIT)))


def ask_time(ctx: Ctx, out: Outcome, spec: Spec, message: str = texts.ASK_TIME) -> None:
    out.state.pending = AskRepayTime(spec)
    out.replies.append(Reply(message, (QUIT,)))


# ---------------------------------------------------------------------- automatic debit


def _banks(ctx: Ctx) -> str:
    """The lender's own banks, as one phrase (「三井住友銀行・PayPay銀行」)."""
    return "・".join(ctx.flow.repayment.get("own_banks", ()))


def fixed_debit_day(ctx: Ctx) -> int | None:
    """The day an automatic debit falls on when the lender fixes it: whatever the bank (its one
    ``debit_days``), or from banks other than its own (``debit_day``); None when it fixes none."""
    return rules.debit_day(ctx.flow.repayment)


def _bank_matters(ctx: Ctx) -> bool:
    """True when only a debit from other banks than the lender's own is on the fixed day."""
    return len(rules.debit_days(ctx.flow.repayment)) != 1 and bool(ctx.flow.repayment.get("own_banks"))


def debit_day_said(ctx: Ctx, debit: str | None) -> int | None:
    """The day a debit said in words falls on (「口座振替で地銀から」), when that settles it: from another
    bank, or from any bank when the lender's day does not depend on it."""
    fixed = fixed_debit_day(ctx)
    if fixed is None or debit is None:
        return None
    return fixed if debit == "other" or not _bank_matters(ctx) else None


def debit_fixed_line(ctx: Ctx) -> str:
    """Why the day is the fixed one: automatic debit (from another bank, when the bank matters)."""
    if _bank_matters(ctx):
        return texts.DEBIT_FIXED.format(banks=_banks(ctx), day=fixed_debit_day(ctx))
    return texts.DEBIT_FIXED_ANY.format(day=fixed_debit_day(ctx))


def ask_debit(ctx: Ctx, out: Outcome, spec: Spec) -> None:
    """The day is not known: is it an automatic debit (from another bank) (then the day is fixed)?"""
    out.state.pending = AskDebit(spec.but(debit_asked=True))
    if _bank_matters(ctx):
        message = texts.ASK_DEBIT.format(banks=_banks(ctx), day=fixed_debit_day(ctx))
        yes = texts.LABEL_DEBIT_YES
    else:
        message, yes = texts.ASK_DEBIT_ANY.format(day=fixed_debit_day(ctx)), texts.LABEL_DEBIT_YES_ANY
    choices = (Choice(yes, SetupControl("debit")), Choice(texts.LABEL_DEBIT_NO, SetupControl("no_debit")), QUIT)
    out.replies.append(Reply(message, choices))


def ask_debit_days(ctx: Ctx, out: Outcome, spec: Spec) -> bool:
    """An automatic debit on one of a few days whatever the bank (「14日か27日」): which one. False
    when the lender names no such days."""
    days = rules.debit_days(ctx.flow.repayment)
    if len(days) < 2:
        return False
    ask_repay_day(ctx, out, texts.ASK_DEBIT_DAYS.format(days=_days_text(days)), spec, days)
    return True


def day_unknown(ctx: Ctx, out: Outcome, spec: Spec) -> None:
    """「わからない」 to the repayment day: the debit question once (when the lender fixes a debit
    day), else where the day can be found."""
    if fixed_debit_day(ctx) is not None and not spec.debit_asked:
        ask_debit(ctx, out, spec)
    else:
        ask_repay_day(ctx, out, texts.ASK_REPAY_DAY_UNKNOWN.format(name=_lender_name(ctx)), spec)


def debit_day(ctx: Ctx, out: Outcome, spec: Spec, situation: Situation, now: datetime) -> None:
    """Automatic debit (from another bank): the fixed day, said with its reason, then confirmed."""
    day = fixed_debit_day(ctx)
    if day is None:
        ask_repay_day(ctx, out, texts.ASK_REPAY_DAY, spec)
        return
    confirm(ctx, out, repay_spec(day, situation, spec), now, lead=debit_fixed_line(ctx))


def _by_debit(ctx: Ctx, a: Answer, spec: Spec, day: int | None) -> bool:
    """A debit said while the day is asked: the day it fixes; without the bank (when it matters) and
    without a day, the debit question (once); on one of a few days, which one. False when the text
    says neither."""
    debit = debit_in(a.text, ctx.flow.repayment.get("own_bank_words", ()))
    if debit_day_said(ctx, debit) is not None:
        debit_day(ctx, a.out, spec, a.situation, a.now)
        return True
    if debit == "debit" and day is None and fixed_debit_day(ctx) is not None and not spec.debit_asked:
        ask_debit(ctx, a.out, spec)
        return True
    return debit is not None and day is None and ask_debit_days(ctx, a.out, spec)


# ---------------------------------------------------------------------- typed answers


# 「調べてからにする」 「確認してからまた来る」 「あとで送る」: the day will be looked up first.
_LOOK_IT_UP = re.compile(
    r"(?:調べ|しらべ|確認し|かくにんし|見て|みて|探し|さがし)(?:て|た)(?:から|きます|くる|みる|来る)|(?:あとで|後で|また今度|またこんど)(?:送|おく|言|い|にする|調べ)"
)
LOOK_IT_UP = "わかりました。返済日がわかったら、日にちだけ送ってください（例：15日）。ここから続けます。"


def on_day(ctx: Ctx, pending: AskRepayDay, a: Answer) -> bool:
    """「27日」, 「わからない」, 「口座振替です」 to 「返済日（約定日）はいつですか？」."""
    day = parse_day(a.text)
    days = days_before_in(a.text)
    spec = (
        pending.spec.but(days_before=days) if day is not None and days is not None and 0 <= days <= 7 else pending.spec
    )
    if _by_debit(ctx, a, spec, day):
        return True  # 「口座振替で地方銀行から」: the fixed day; 「口座振替です」: which bank (asked once)
    if day is not None:
        confirm_day(ctx, a.out, repay_spec(day, a.situation, spec), a.now)
        return True
    top = a.reading.top
    if len(a.key) <= 15 and (_DAY_UNKNOWN.search(a.key) or (top.intent == "dont_know" and top.score >= ANSWER_MIN)):
        day_unknown(ctx, a.out, spec)
        return True
    if _LOOK_IT_UP.search(a.key):
        # 「調べてからにする。いったんやめる」: the question waits for the day, looked up (no choices pressed).
        a.out.replies.append(Reply(LOOK_IT_UP))
        return True
    timing, _lead = _with_lead_and_time(spec, a.text, "")
    if timing != spec:
        # 「前の日の夜にして」 before the day: kept, and the day asked for.
        a.out.replies.append(Reply(TIMING_KEPT))
        ask_repay_day(ctx, a.out, texts.ASK_REPAY_DAY, timing)
    elif not a.elsewhere:
        ask_repay_day(ctx, a.out, texts.ASK_REPAY_DAY_AGAIN, spec)
    return not a.elsewhere


def on_debit(ctx: Ctx, pending: AskDebit, a: Answer) -> bool:
    """Typed text at the debit question: a day, another bank (or a yes), our banks (or a no)."""
    spec = pending.spec
    day = parse_day(a.text)
    if day is not None:
        confirm_day(ctx, a.out, repay_spec(day, a.situation, spec), a.now)
        return True
    debit = debit_in(a.text, ctx.flow.repayment.get("own_bank_words", ()), asked=True)
    answer = yes_no(a.key, a.reading, ANSWER_MIN)
    if debit in ("other", "debit") or (debit is None and answer == "yes"):
        # 「口座振替です」 to 「…以外の銀行口座からの口座振替ですか？」 says yes to the question asked.
        debit_day(ctx, a.out, spec, a.situation, a.now)
    elif debit == "own" or answer == "no" or a.key in PLAIN_NO or _DAY_UNKNOWN.search(a.key):
        day_unknown(ctx, a.out, spec)
    elif not a.elsewhere:
        ask_debit(ctx, a.out, spec)
    else:
        return False
    return True


def on_days(ctx: Ctx, pending: AskDaysBefore, a: Answer) -> bool:
    """「2」 「前日」 「3日前」 to 「何日前にお知らせしますか？」."""
    match = re.fullmatch(r"(\d)\s*(?:日前?)?", clean(a.text))
    days = int(match.group(1)) if match else days_before_in(a.text)
    if days is not None and 0 <= days <= 7:
        confirm(ctx, a.out, pending.spec.but(days_before=days), a.now)
        return True
    if days is not None or not a.elsewhere:
        ask_days(ctx, a.out, pending.spec, texts.ASK_DAYS_AGAIN)
        return True
    return False


def on_time(ctx: Ctx, pending: AskRepayTime, a: Answer) -> bool:
    """「20時」 「夜8時」 to 「何時にお知らせしますか？」 (「2時」 is the afternoon)."""
    clock = parse_clock(a.text)
    if (
        clock is not None
        and 1 <= clock.hour <= 6
        and not re.search(r"午前|朝|あさ|夜中|深夜|am|:", clean(a.text).lower())
    ):
        # 「2時」 for a repayment reminder is the afternoon; the confirmation shows 14:00 to check.
        clock = clock.replace(hour=clock.hour + 12)
    if clock is not None:
        confirm(ctx, a.out, pending.spec.but(time=format_time(clock).zfill(5)), a.now)
        return True
    if not a.elsewhere:
        ask_time(ctx, a.out, pending.spec, texts.ASK_TIME_AGAIN)
    return not a.elsewhere


# ---------------------------------------------------------------------- the day in a sentence


def _day_said(ctx: Ctx, text: str, now: datetime) -> int | None:
    """The day in 「返済日は25日」 「毎月末に支払い」 (「3日前」 is a lead, not a day); 「14日…いや違う、
    24日だ」: the day said again."""
    again, _held = last_thought(text, "")
    day_again = re.search(r"(?<!\d)(\d{1,2})\s*日(?!\s*前)", again) if again != text else None
    if day_again is not None and 1 <= int(day_again.group(1)) <= 31:
        return int(day_again.group(1))
    parsed = parse_when(text, ctx.local(now))
    if isinstance(parsed, When) and parsed.kind == "monthly":
        return parsed.day
    body = numerals_to_digits(clean(text))
    # 「25日じゃなくて27日」: the day after the negation, when one is there.
    corrected = after_negation(body)
    match = re.search(r"(\d{1,2})\s*日(?!\s*前)", corrected) or re.search(r"(\d{1,2})\s*日(?!\s*前)", body)
    return int(match.group(1)) if match else (MONTH_END if "末" in text else None)


def _with_lead_and_time(spec: Spec, text: str, lead: str) -> tuple[Spec, str]:
    """「返済日は27日で、前日の夜8時に」: the lead and the time said with it are kept."""
    days = days_before_in(text)
    if days is not None and 0 <= days <= 7:
        spec = spec.but(days_before=days)
        if len(leads_said(text)) > 1:
            lead = "\n".join(x for x in (lead, ONE_LEAD.format(days=days)) if x)
    elif days is not None and days > 7:
        # Said, not silently changed.
        spec, lead = spec.but(days_before=7), "\n".join(x for x in (lead, texts.REPAY_LEAD_MAX) if x)
    clock, _spans = clock_in(numerals_to_digits(clean(text)))
    if clock is not None:
        spec = spec.but(time=format_time(clock).zfill(5))
    return spec, lead


def _asked_first(ctx: Ctx, out: Outcome, debit: str | None, day: int | None) -> bool:
    """A debit without the bank decides nothing yet (which bank?); from the lender's own banks the
    day was chosen (which day?); on one of a few days (which one?). False when nothing needs asking."""
    if day is not None or debit is None:
        return False
    if debit == "debit" and fixed_debit_day(ctx) is not None:
        ask_debit(ctx, out, Spec(NAME))
        return True
    if debit == "own":
        ask_repay_day(ctx, out, texts.ASK_REPAY_DAY, Spec(NAME))
        return True
    return ask_debit_days(ctx, out, Spec(NAME))


# 「〇〇のリマインダー設定したい、毎月10日」: a reminder about the lender, monthly: its repayment.
_REMINDER_WORD = re.compile(r"りまいんど|りまいんだ|リマインド|リマインダー|お知らせ|おしらせ|通知|つうち")
_MONTHLY = re.compile(r"毎月|まいつき")


def _lenders_monthly(ctx: Ctx, key: str) -> bool:
    """True when a monthly reminder is asked for by the lender's name alone (no other task)."""
    flow = ctx.flow
    if flow.generic or not (_REMINDER_WORD.search(key) and _MONTHLY.search(key)):
        return False
    names = {normalize(a) for a in (*flow.aliases, flow.lender["name"])} - {""}
    return any(name in key for name in names)


def read_sentence(ctx: Ctx, out: Outcome, text: str, key: str, situation: Situation, now: datetime) -> bool:
    """「返済日は25日」 「口座振替で地銀から」: the repayment day in a sentence, confirmed with what else
    was said of it; False when the sentence gives none."""
    debit = debit_in(text, ctx.flow.repayment.get("own_bank_words", ()))
    if not (any(w in key for w in _REPAY_WORDS) or debit or _lenders_monthly(ctx, key)) or late_said(key):
        return False
    said = _day_said(ctx, text, now)
    fixed = debit_day_said(ctx, debit)
    if fixed is None and _asked_first(ctx, out, debit, said):
        return True
    day = fixed or said
    if day is None or not 1 <= day <= 31:
        return False
    spec, lead = _with_lead_and_time(repay_spec(day, situation), text, debit_fixed_line(ctx) if fixed else "")
    if fixed:
        confirm(ctx, out, spec, now, lead=lead)  # the lender's own debit day
    else:
        confirm_day(ctx, out, spec, now, lead=lead)
    return True
