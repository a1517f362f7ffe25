"""Several lenders, several repayment schedules: each reminder is stored with its lender, one
schedule per lender, and it speaks with that lender's facts when it fires."""

from __future__ import annotations

import pytest

from bot.core.lenders import load_lenders
from bot.core.lenders.desk import LenderDesk
from bot.delivery.dispatcher import Dispatcher
from bot.service import ChatService
from tests.conftest import TOKYO
from tests.test_reminder_dialog import reminders, say


@pytest.fixture(scope="module")
def desk() -> LenderDesk:
    return LenderDesk(load_lenders(), TOKYO)


@pytest.fixture
def service(store, clock, desk):
    return ChatService(store, desk, clock=clock)


def _repay(service, lender: str, day: str) -> str:
    say(service, f"{lender}の返済日のお知らせを設定したい")
    say(service, day)
    _, text = say(service, "はい")
    return text


def test_each_lender_keeps_its_own_repayment_schedule(service):
    assert "設定しました" in _repay(service, "アコム", "6日")
    assert "設定しました" in _repay(service, "レイク", "14日")
    rows = {r["lender"]: r["due_day"] for r in reminders(service) if r["kind"] == "repay"}
    assert rows == {"acom": 6, "lake": 14}
    _repay(service, "アコム", "7日")  # a new day for one lender replaces only that lender's schedule
    rows = {r["lender"]: r["due_day"] for r in reminders(service) if r["kind"] == "repay"}
    assert rows == {"acom": 7, "lake": 14}


def test_a_reminder_fires_with_its_lenders_flow(service, store, desk):
    _repay(service, "レイク", "14日")
    dispatcher = Dispatcher(store, desk.flow, {}, flow_for=desk.flow_of)
    [row] = [r for r in reminders(service) if r["kind"] == "repay"]
    assert dispatcher.flow_for(row["lender"]).lender_id == "lake"
    assert dispatcher.flow_for(None) is desk.flow  # a reminder from before several lenders


def test_the_export_names_the_lender_column(service):
    from bot.core.export.view import COLUMN_LABELS

    assert "lender" in COLUMN_LABELS["reminders"]


def test_the_status_shows_the_lender_and_each_lenders_repayment_day(service):
    _repay(service, "アコム", "6日")
    _repay(service, "レイク", "末日")
    _, text = say(service, "わたしの状況")
    assert "いまご案内している会社：レイク" in text
    assert "・アコム：毎月6日" in text and "・レイク：毎月末日" in text
    assert "・返済日：毎月末日" in text  # the facts shown are the current lender's, never mixed


def test_another_lenders_facts_are_kept_for_it_not_carried_over(service):
    say(service, "アコムのカードをなくした")
    _, text = say(service, "わたしの状況")
    assert "カードの紛失・盗難：あり" in text
    say(service, "レイクの暗証番号を忘れた")
    _, text = say(service, "わたしの状況")
    assert "いまご案内している会社：レイク" in text
    lake, acom = text.split("【レイク】")[1].split("【アコム】")
    assert "カードの紛失・盗難" not in lake and "カードの紛失・盗難：あり" in acom
