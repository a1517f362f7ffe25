"""The repayment set-up and automatic debit (口座振替): from a bank other than the lender's own the due
day is fixed (the 5th for Promise); the set-up asks about it once, only when the day is not known, and
says once that the lender's own reminder e-mail needs the member service."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pytest

from bot.core.diagnosis.flow import DEFAULT_FLOW, FlowError, parse_flow
from bot.core.dialogue.actions import SetupControl, decode, encode
from bot.core.dialogue.conversation import Conversation
from bot.core.reminders import setup_state
from bot.core.reminders.setup_answers import debit_in
from bot.core.reminders.setup_state import AskDebit, Spec
from bot.service import ChatService
from tests.conftest import TOKYO
from tests.test_reminder_dialog import ALICE, reminders, say

OWN = ("三井住友", "smbc", "paypay", "ペイペイ", "ぺいぺい", "ジャパンネット")
MAIL = "会員サービスで受け取る設定をした場合だけ"
DEBIT_QUESTION = "自動引き落とし（口座振替）ですか"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("口座振替で地方銀行から引き落とし", "other"),
        ("引き落としはゆうちょから", "other"),
        ("信金の口座から自動で引き落とされてる", "other"),
        ("三井住友じゃない銀行の口座振替", "other"),
        ("三井住友銀行以外から引き落とし", "other"),
        ("三井住友銀行の口座振替", "own"),
        ("ペイペイ銀行から引き落とし", "own"),
        ("口座振替です", "debit"),
        ("口フリにしてる", "debit"),
        ("返済日は25日", None),
        ("振替休日だった", None),
        ("カードを落とした", None),
        ("銀行振込で返してる", None),
    ],
)
def test_what_a_message_says_of_automatic_debit(text, expected):
    assert debit_in(text, OWN) == expected


def test_a_bank_alone_answers_the_question_once_it_is_asked():
    assert debit_in("地銀です", OWN) is None
    assert debit_in("地銀です", OWN, asked=True) == "other"
    assert debit_in("PayPay銀行", OWN, asked=True) == "own"


@pytest.mark.parametrize(
    "text", ["口座振替で地方銀行から引き落とし", "引き落としはゆうちょから", "返済は口座振替で、信用金庫の口座から"]
)
def test_one_sentence_sets_the_fixed_day(service, text):
    _, body = say(service, text)
    assert "三井住友銀行・PayPay銀行以外" in body and "返済日は毎月5日ですね" in body
    assert reminders(service) == []  # repeated back first
    _, body = say(service, "はい")
    [rem] = reminders(service)
    assert (rem["kind"], rem["due_day"]) == ("repay", 5)


def test_the_lead_and_time_said_with_it_are_kept(service):
    _, body = say(service, "口座振替で地銀から引き落とし。前日の夜8時に教えて")
    assert "返済日は毎月5日ですね" in body and "返済日の1日前と当日、20:00" in body


def test_the_debit_question_comes_only_when_the_day_is_not_known_and_only_once(service):
    _, body = say(service, "返済日のリマインダー")
    assert DEBIT_QUESTION not in body  # a day may well be known: it is asked first
    _, body = say(service, "わからない")
    assert DEBIT_QUESTION in body and "三井住友銀行・PayPay銀行以外" in body
    _, body = say(service, "いいえ")
    assert "「25日」のように" in body and "プロミスに電話で確認" in body and DEBIT_QUESTION not in body
    _, body = say(service, "覚えてない")
    assert DEBIT_QUESTION not in body and "「25日」のように" in body  # not asked a second time
    _, body = say(service, "15日")
    assert "返済日は毎月15日ですね" in body


def test_a_day_is_never_followed_by_the_debit_question(service):
    _, body = say(service, "返済日は25日")
    assert "返済日は毎月25日ですね" in body and DEBIT_QUESTION not in body


def test_a_debit_without_the_bank_asks_which_and_a_bank_answers(service):
    say(service, "返済日のリマインダー")
    _, body = say(service, "口座振替です")
    assert DEBIT_QUESTION in body
    _, body = say(service, "地銀です")
    assert "返済日は毎月5日ですね" in body


def test_the_lenders_own_banks_keep_the_chosen_day(service):
    _, body = say(service, "三井住友銀行から引き落とし")
    assert "返済日（約定日）はいつですか" in body
    _, body = say(service, "25日")
    assert "返済日は毎月25日ですね" in body


def test_the_buttons_of_the_questions(service):
    from bot.core.dialogue.messages import Incoming

    def tap(action):
        replies = service.handle(Incoming(ALICE, choice=action))
        return "\n".join(r.text for r in replies)

    say(service, "返済日のリマインダー")
    assert DEBIT_QUESTION in tap(SetupControl("unknown_day"))
    assert "返済日は毎月5日ですね" in tap(SetupControl("debit"))
    say(service, "やめる")
    say(service, "返済日のリマインダー")
    tap(SetupControl("unknown_day"))
    assert "「25日」のように" in tap(SetupControl("no_debit"))
    assert "このボタンは古くなっている" in tap(SetupControl("debit"))  # the question was answered


def test_the_lenders_mail_is_mentioned_once(service):
    _, body = say(service, "返済日は25日")
    assert body.count(MAIL) == 1
    _, body = say(service, "前日にして")
    assert MAIL not in body  # the same set-up: not again
    say(service, "はい")
    _, body = say(service, "毎月15日に返済")
    assert MAIL not in body  # a later set-up: the day is recorded, the mail was mentioned


def test_a_failed_debit_is_a_late_repayment_not_a_set_up(service):
    _, body = say(service, "引き落としできなかった")
    assert DEBIT_QUESTION not in body and "返済日を過ぎているとき" in body


def test_the_question_survives_a_restart_and_its_buttons_stay_valid():
    spec = Spec("repay", debit_asked=True)
    assert setup_state.load(setup_state.dump(AskDebit(spec))) == AskDebit(spec)
    assert setup_state.load({"type": "AskRepayDay", "spec": {"kind": "repay", "due_day": None}}) is not None  # older
    for verb in ("unknown_day", "debit", "no_debit"):
        assert decode(encode(SetupControl(verb))) == SetupControl(verb)


def _without_repayment_rules():
    data = tomllib.loads(DEFAULT_FLOW.read_text(encoding="utf-8"))
    data.pop("repayment")
    return parse_flow(data)


def test_a_lender_without_a_fixed_debit_day_is_never_asked_about_it(store, clock):
    flow = replace(_without_repayment_rules(), path=DEFAULT_FLOW)
    service = ChatService(store, Conversation(flow, TOKYO), clock=clock)
    say(service, "返済日のリマインダー")
    _, body = say(service, "わからない")
    assert DEBIT_QUESTION not in body and "「25日」のように" in body
    _, body = say(service, "返済日は25日")
    assert MAIL not in body  # nothing said of a mail the flow does not know


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"debit_day": 40}, "debit_day"),
        ({"own_banks": []}, "own_banks"),
        ({"own_bank_words": "三井住友"}, "own_bank_words"),
    ],
)
def test_bad_repayment_rules_stop_start_up(change, needle):
    data = tomllib.loads(DEFAULT_FLOW.read_text(encoding="utf-8"))
    data["repayment"].update(change)
    with pytest.raises(FlowError) as err:
        parse_flow(data)
    assert "[repayment]" in str(err.value) and needle in str(err.value)
