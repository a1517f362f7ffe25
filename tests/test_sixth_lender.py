"""A sixth lender from data only: one flow file and one utterance file (tests/fixtures/sixth/), put
beside the real lenders' files, with no change to code: a diagnosis and a repayment reminder."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.diagnosis.flow import FLOWS_DIR
from bot.core.dialogue.messages import Incoming, SaveReminder, UserRef
from bot.core.dialogue.state import ConversationState
from bot.core.lenders import load_lenders
from bot.core.lenders.desk import LenderDesk
from bot.core.situation.facts import Situation

FIXTURE = Path(__file__).parent / "fixtures" / "sixth"
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
USER = UserRef("console", "six")


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> LenderDesk:
    folder = tmp_path_factory.mktemp("flows")
    for path in [*FLOWS_DIR.iterdir(), *FIXTURE.iterdir()]:
        shutil.copy(path, folder)
    return LenderDesk(load_lenders(folder), ZoneInfo("Asia/Tokyo"))


def _turns(desk: LenderDesk, *texts: str) -> tuple[ConversationState, list[str], list]:
    state, said, effects = ConversationState(welcomed=True), [], []
    for text in texts:
        out = desk.handle(state, Situation(), Incoming(USER, text=text), NOW)
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
