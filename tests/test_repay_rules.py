"""The repayment reminder follows each lender's rules (``[repayment]`` of its flow file): a due date on
a closed day moves only for a lender known to move it, the days offered are the lender's, a day it
does not offer is corrected, and a debit day it fixes is known without asking. Real 2027 dates."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime

import pytest

from bot.core.dialogue import texts
from bot.core.dialogue.actions import RepayDay, encode
from bot.core.lenders import load_lenders
from bot.core.lenders.desk import LenderDesk
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.senders import SENT
from bot.service import ChatService
from tests.conftest import TOKYO
from tests.test_reminder_dialog import ALICE, pending, reminders, say, tap

# 2027-04-25 is a Sunday; the next business day is Monday 2027-04-26.
SUNDAY, MONDAY = date(2027, 4, 25), date(2027, 4, 26)
APRIL_10 = datetime(2027, 4, 10, 0, 0, tzinfo=UTC)  # 9:00 in Tokyo


class Sender:
    def __init__(self) -> None:
        self.texts: list[str] = []

    async def send(self, platform_user_id, reply, key):
        self.texts.append(reply.text)
        return SENT


@pytest.fixture(scope="module")
def desk() -> LenderDesk:
    return LenderDesk(load_lenders(), TOKYO)


@pytest.fixture
def service(store, clock, desk):
    return ChatService(store, desk, clock=clock)


def _labels(replies) -> list[str]:
    return [c.label for c in replies[-1].choices]


def _set(service, lender: str, day: str) -> str:
    say(service, f"{lender}の返済日のお知らせを設定したい")
    _, confirmation = say(service, day)
    _, done = say(service, "はい")
    assert "設定しました" in done
    return confirmation


def _real_dues(service) -> dict[str, set[str]]:
    lender_of = {r["id"]: r["lender"] for r in reminders(service)}
    dues: dict[str, set[str]] = {}
    for row in pending(service):
        dues.setdefault(lender_of[row["reminder_id"]], set()).add(row["real_due"])
    return dues


# ---------------------------------------------------------------------- a due day on a Sunday


def test_a_sunday_due_date_moves_only_for_a_lender_known_to_move_it(service, clock):
    clock.now = APRIL_10
    shifted = _set(service, "モビット", "25日")
    kept = _set(service, "アコム", "25日")
    _set(service, "プロミス", "25日")
    assert "4月25日は日曜日のため、返済日は4月26日(月)になります。" in shifted
    assert texts.REPAY_SHIFT_NOTE in shifted
    assert "（返済日 4月25日(日)）" in kept and "4月26日" not in kept
    assert texts.REPAY_NO_SHIFT_NOTE.format(name="アコム") in kept and texts.REPAY_SHIFT_NOTE not in kept
    assert _real_dues(service) == {
        "mobit": {MONDAY.isoformat()},
        "promise": {MONDAY.isoformat()},  # as before: Promise moves it too
        "acom": {SUNDAY.isoformat()},
    }


def test_the_reminders_sent_speak_of_each_lenders_own_date(service, store, clock, desk):
    clock.now = APRIL_10
    _set(service, "モビット", "25日")
    _set(service, "アコム", "25日")
    sender = Sender()
    dispatcher = Dispatcher(store, desk.flow, {ALICE.platform: sender}, clock, flow_for=desk.flow_of)
    clock.now = datetime(2027, 4, 25, 0, 0, tzinfo=UTC)  # Sunday 9:00 in Tokyo
    asyncio.run(dispatcher.run_due())
    acom_day = next(t for t in sender.texts if "今日（4月25日(日)）が返済日です。" in t)
    assert (
        "4月25日は日曜日です。この日の返済の扱いは、アコムの公式サイトか、カードに書かれた番号でご確認ください。"
        in acom_day
    )
    assert "翌営業日" not in acom_day
    mobit_before = next(t for t in sender.texts if "返済日は4月26日(月)です（あと1日）。" in t)
    assert "4月25日は日曜日のため、返済日は4月26日(月)になります。" in mobit_before
    # Each chain's next due date follows its lender: Acom's next is May, SMBCモビット's still 4/26.
    assert _real_dues(service) == {"acom": {"2027-05-25"}, "mobit": {MONDAY.isoformat()}}


def test_the_list_shows_each_lenders_next_send(service, clock):
    clock.now = datetime(2027, 4, 23, 3, 0, tzinfo=UTC)  # Friday 12:00: the 3-day lead of 4/25 is over
    _set(service, "モビット", "25日")
    _set(service, "アコム", "25日")
    _, listed = say(service, "リマインダーの一覧を見せて")
    assert "次回 4月25日(日) 9:00" in listed  # Acom: on the day itself, a Sunday
    assert "次回 4月26日(月) 9:00" in listed  # SMBCモビット: the Monday


# ---------------------------------------------------------------------- the days offered


@pytest.mark.parametrize(
    ("lender", "days"),
    [
        ("モビット", ["5日", "15日", "25日", "末日"]),  # its own monthly_days
        ("アコム", ["5日", "15日", "25日", "末日"]),  # none named: the usual choices
        ("レイク", ["5日", "15日", "25日", "末日"]),
        ("プロミス", ["5日", "15日", "25日", "末日"]),
    ],
)
def test_the_days_offered_are_the_lenders(service, lender, days):
    replies, _ = say(service, f"{lender}の返済日のお知らせを設定したい")
    assert _labels(replies) == [*days, texts.LABEL_DAY_UNKNOWN, texts.LABEL_MENU]


def test_a_lender_with_its_own_days_says_so_and_the_others_take_any_day(service):
    _, mobit = say(service, "モビットの返済日のお知らせを設定したい")
    assert "SMBCモビットの返済日は、5日・15日・25日・末日から選ぶ形です。" in mobit
    say(service, "メニューに戻る")
    _, acom = say(service, "アコムの返済日のお知らせを設定したい")
    assert texts.ASK_REPAY_DAY in acom
    _, confirmation = say(service, "20日")
    assert "返済日は毎月20日ですね。" in confirmation


# ---------------------------------------------------------------------- a day the lender does not offer

NOT_OFFERED = texts.REPAY_DAY_NOT_OFFERED.format(name="SMBCモビット", days="5日・15日・25日・末日", day="20日")


def test_a_typed_day_the_lender_does_not_offer_is_corrected_with_its_days(service):
    say(service, "モビットの返済日のお知らせを設定したい")
    replies, text = say(service, "20日")
    assert NOT_OFFERED in text and "ですね" not in text
    assert _labels(replies)[:4] == ["5日", "15日", "25日", "末日"]
    assert not reminders(service)
    _, text = say(service, "25日")
    assert "返済日は毎月25日ですね。" in text


@pytest.mark.parametrize(
    "steps",
    [
        ("SMBCモビットの返済日は毎月20日です",),  # said in a sentence
        ("モビットの返済日のお知らせを設定したい", "25日", "20日に変えて"),  # a correction at the confirmation
    ],
)
def test_a_day_not_offered_is_corrected_however_it_is_said(service, steps):
    for step in steps:
        _, text = say(service, step)
    assert NOT_OFFERED in text
    assert not reminders(service)


def test_a_day_button_not_offered_is_corrected_too(service):
    say(service, "モビットの返済日のお知らせを設定したい")
    _, text = tap(service, encode(RepayDay(20)))  # a slash command's day, or an old button
    assert NOT_OFFERED in text


# ---------------------------------------------------------------------- automatic debit


def test_a_debit_day_fixed_whatever_the_bank_is_known_without_asking(service):
    say(service, "アコムの返済日のお知らせを設定したい")
    _, text = say(service, "口座振替です")
    assert texts.DEBIT_FIXED_ANY.format(day=6) in text and "返済日は毎月6日ですね。" in text


def test_a_day_not_known_is_asked_about_the_lenders_fixed_debit_day(service):
    say(service, "アコムの返済日のお知らせを設定したい")
    replies, text = say(service, "わからない")
    assert texts.ASK_DEBIT_ANY.format(day=6) in text
    assert _labels(replies)[0] == texts.LABEL_DEBIT_YES_ANY
    _, text = say(service, "はい")
    assert "返済日は毎月6日ですね。" in text


def test_a_debit_on_one_of_a_few_days_asks_which(service):
    say(service, "レイクの返済日のお知らせを設定したい")
    replies, text = say(service, "口座振替です")
    assert texts.ASK_DEBIT_DAYS.format(days="14日・27日") in text
    assert _labels(replies)[:2] == ["14日", "27日"]
    _, text = say(service, "27日")
    assert "返済日は毎月27日ですね。" in text


# ---------------------------------------------------------------------- names, never ids

_IDS = re.compile(r"(?<![A-Za-z])(promise|acom|aiful|mobit|lake|other)(?![A-Za-z])")


def test_the_status_and_the_record_name_the_lenders(service):
    _set(service, "アコム", "6日")
    _set(service, "モビット", "末日")
    _, status = say(service, "わたしの状況")
    assert "・アコム：毎月6日" in status and "いまご案内している会社：SMBCモビット" in status
    assert not _IDS.search(status)
    _, summary = say(service, "記録を見る")
    assert not _IDS.search(summary)
    _, full = say(service, "すべて見る")
    assert "会社：アコム" in full and "会社：SMBCモビット" in full
    assert "いまご案内している会社：SMBCモビット" in full
    assert "お知らせする返済日" in full and "土日祝は翌営業日" not in full  # not every lender moves it
    assert not _IDS.search(full)
