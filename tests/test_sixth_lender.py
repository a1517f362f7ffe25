"""A sixth lender from data only: one flow file and one utterance file (tests/fixtures/sixth/), put
beside the real lenders' files, with no change to code: a diagnosis and a repayment reminder that
follows its repayment rules (its own days, its holiday rule; and the same lender with the holiday rule
left out: the date kept)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.diagnosis.flow import FLOWS_DIR
from bot.core.dialogue import texts as copy
from bot.core.dialogue.actions import FactEdit
from bot.core.dialogue.messages import Incoming, SaveReminder, UserRef
from bot.core.dialogue.state import ConversationState
from bot.core.lenders import load_lenders
from bot.core.lenders.desk import LenderDesk
from bot.core.situation.facts import Situation
from bot.service import ChatService

FIXTURE = Path(__file__).parent / "fixtures" / "sixth"
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
# 2026-12-25 10:00 in Tokyo. Its next due day 10 is Sunday 2027-01-10, and Monday the 11th is 成人の日.
CHRISTMAS = datetime(2026, 12, 25, 1, 0, tzinfo=UTC)
USER = UserRef("console", "six")
HOLIDAY_RULE = 'holiday_shift = "next_business_day"\n'


def _desk(folder: Path, holiday_rule: bool = True) -> LenderDesk:
    for path in [*FLOWS_DIR.iterdir(), *FIXTURE.iterdir()]:
        shutil.copy(path, folder)
    if not holiday_rule:
        flow = folder / "zenkin.toml"
        text = flow.read_text(encoding="utf-8")
        assert HOLIDAY_RULE in text
        flow.write_text(text.replace(HOLIDAY_RULE, ""), encoding="utf-8")
    return LenderDesk(load_lenders(folder), ZoneInfo("Asia/Tokyo"))


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> LenderDesk:
    return _desk(tmp_path_factory.mktemp("flows"))


@pytest.fixture(scope="module")
def unknown_rule_desk(tmp_path_factory) -> LenderDesk:
    """The same lender with its holiday rule left out (not known)."""
    return _desk(tmp_path_factory.mktemp("flows"), holiday_rule=False)


def _turns(desk: LenderDesk, *texts: str, now: datetime = NOW) -> tuple[ConversationState, list[str], list]:
    state, said, effects = ConversationState(welcomed=True), [], []
    for text in texts:
        out = desk.handle(state, Situation(), Incoming(USER, text=text), now)
        state = out.state
        said.append("\n".join(r.text for r in out.replies))
        effects += out.effects
    return state, said, effects


def test_the_sixth_lender_is_loaded_and_offered(desk):
    assert "zenkin" in desk.lenders.ids
    assert "ゼンキン" in [c.label for c in desk.lender_choices()]


@pytest.mark.parametrize(
    ("text", "title"), [("ゼンキンの暗証番号を忘れた", "【暗証番号"), ("ゼンキンカードを落とした", "【カード")]
)
def test_a_diagnosis_with_the_sixth_lender_gives_its_number(desk, text, title):
    state, said, _ = _turns(desk, text)
    assert state.lender == "zenkin"
    assert title in said[-1] and "0120-000-777" in said[-1]
    for flow in desk.lenders.named:
        if flow.lender_id != "zenkin":
            assert flow.lender["name"] not in said[-1]


def test_a_repayment_reminder_with_the_sixth_lender(desk):
    state, said, effects = _turns(desk, "返済日のお知らせを設定したい", "ゼンキン", "20日", "はい")
    assert "どちらの会社" in said[0]
    assert state.lender == "zenkin"
    saved = [e for e in effects if isinstance(e, SaveReminder)]
    assert saved and saved[0].kind == "repay" and saved[0].fields["due_day"] == 20


def test_the_sixth_lenders_own_days_are_offered_and_another_day_is_corrected(desk):
    state, said, effects = _turns(desk, "ゼンキンの返済日のお知らせを設定したい", "15日", "10日")
    assert "ゼンキンの返済日は、10日・20日・末日から選ぶ形です。" in said[0]
    assert copy.REPAY_DAY_NOT_OFFERED.format(name="ゼンキン", days="10日・20日・末日", day="15日") in said[1]
    assert "返済日は毎月10日ですね。" in said[2]
    out = desk.handle(
        ConversationState(welcomed=True),
        Situation(),
        Incoming(USER, text="ゼンキンの返済日のお知らせを設定したい"),
        NOW,
    )
    assert [c.label for c in out.replies[-1].choices][:3] == ["10日", "20日", "末日"]


def test_the_sixth_lenders_holiday_rule_moves_a_due_day_on_a_closed_day(desk):
    _, said, _ = _turns(desk, "ゼンキンの返済日のお知らせを設定したい", "10日", now=CHRISTMAS)
    assert "（返済日 2027年1月12日(火)）" in said[-1]
    assert "1月10日は日曜日のため、返済日は1月12日(火)になります。" in said[-1]


def test_the_sixth_lender_without_a_holiday_rule_keeps_the_date_and_says_where_to_check(unknown_rule_desk):
    _, said, _ = _turns(unknown_rule_desk, "ゼンキンの返済日のお知らせを設定したい", "10日", now=CHRISTMAS)
    assert "（返済日 2027年1月10日(日)）" in said[-1] and "1月12日" not in said[-1]
    assert copy.REPAY_NO_SHIFT_NOTE.format(name="ゼンキン") in said[-1]


@pytest.mark.parametrize(("holiday_rule", "due"), [(True, "2027-01-12"), (False, "2027-01-10")])
def test_the_sends_planned_for_the_sixth_lender_follow_its_rule(
    desk, unknown_rule_desk, store, clock, holiday_rule, due
):
    clock.now = CHRISTMAS
    service = ChatService(store, desk if holiday_rule else unknown_rule_desk, clock=clock)
    for text in ("ゼンキンの返済日のお知らせを設定したい", "10日", "はい"):
        service.handle(Incoming(USER, text=text))
    [row] = [r for r in store.reminders.outbox_rows() if r["status"] == "pending"]
    assert row["real_due"] == due


def test_the_recorded_day_is_corrected_with_the_sixth_lenders_days(desk):
    state = ConversationState(welcomed=True, lender="zenkin")
    out = desk.handle(state, Situation(due_day=10), Incoming(USER, choice=FactEdit("ask", "due_day")), NOW)
    assert [c.label for c in out.replies[-1].choices][:3] == ["10日", "20日", "末日"]
