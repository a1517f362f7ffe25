"""The safety net measured on messages written by someone who never read the corpus or the code.

``tests/fixtures/safety/messages.tsv`` is run through the real conversation core, each message as
the first thing a user says, the deletion requests with two reminders listed. Care and fraud must
be recalled every time, no scoped request may ever end in deleting everything, and ordinary talk
must almost never raise an alarm. ``bot/corpus/safety.tsv`` is held to the same on its held-out
quarter (every fourth line), the part the patterns were not tuned on.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import ForgetUser, Incoming, UserRef
from bot.core.dialogue.state import ConversationState
from bot.core.reminders.model import ReminderView
from bot.core.reminders.setup_state import ConfirmForget
from bot.core.safety.fraud import is_fraud
from bot.core.safety.net import deletion_scope, is_crisis, is_urgent_loss, is_withdrawal
from bot.core.safety.texts import FRAUD_MONEY, PHISHING_CALL
from bot.core.situation.facts import Situation

ROOT = Path(__file__).resolve().parent.parent
TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)  # a Friday, 10:00 in Tokyo
USER = UserRef("console", "safety")


def _rows(path: Path) -> list[tuple[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t", 1)) for line in lines if line and not line.startswith("#")]  # type: ignore[misc]


EVAL = _rows(ROOT / "tests" / "fixtures" / "safety" / "messages.tsv")


def _reminders() -> tuple[ReminderView, ...]:
    return (
        ReminderView(id=1, kind="free", tz=TOKYO, what="保険証を探す", at=datetime(2026, 12, 5, 9, 0, tzinfo=TOKYO)),
        ReminderView(id=2, kind="free", tz=TOKYO, what="薬を飲む", at=datetime(2026, 12, 4, 21, 0, tzinfo=TOKYO)),
    )


def _turn(conversation, text: str, state: ConversationState | None = None):
    state = state or ConversationState(welcomed=True)
    return conversation.handle(state, Situation(), Incoming(USER, text=text), NOW, reminders=_reminders())


def _listed_state(conversation) -> ConversationState:
    out = conversation.handle(
        ConversationState(welcomed=True),
        Situation(),
        Incoming(USER, choice=Command("reminders")),
        NOW,
        reminders=_reminders(),
    )
    return out.state


def _verdict(conversation, label: str, text: str) -> bool:
    """Whether the bot's answer is right for the label."""
    state = _listed_state(conversation) if label.startswith("delete_") else None
    out = _turn(conversation, text, state)
    said = "\n".join(r.text for r in out.replies)
    care = conversation.flow.crisis["say"] in said
    # Money asked for first, and a PIN asked on the phone, have their own first lines.
    warnings = (texts.PHISHING, FRAUD_MONEY, PHISHING_CALL)
    fraud = any(conversation._fill(w) in said for w in warnings) or "心当たりのない番号" in said
    all_data = isinstance(out.state.pending, ConfirmForget) or any(isinstance(e, ForgetUser) for e in out.effects)
    if label == "care":
        return care and out.replies[0].text.startswith(conversation.flow.crisis["say"])
    if label == "fraud":
        return fraud and not care
    if label == "loss":
        lost = conversation.diagnosis._lost_cause()
        return out.state.node == conversation.flow.result_for(lost).id or fraud
    if label == "delete_all":
        return isinstance(out.state.pending, ConfirmForget)
    if label in ("delete_reminder", "delete_fact"):
        if all_data:
            return False
        # A yes after it must not delete everything either.
        after = conversation.handle(out.state, Situation(), Incoming(USER, text="はい"), NOW, reminders=_reminders())
        return not any(isinstance(e, ForgetUser) for e in after.effects)
    if label == "phone":
        return "保存していません" not in said and not care
    if label == "withdraw":
        return "解約や退会" in said
    return not care and not fraud  # plain


@pytest.fixture(scope="module")
def core():
    from bot.core.diagnosis.flow import load_flow
    from bot.core.dialogue.conversation import Conversation

    return Conversation(load_flow(), TOKYO)


@pytest.fixture(scope="module")
def verdicts(core):
    return [(label, text, _verdict(core, label, text)) for label, text in EVAL]


def test_the_set_is_big_enough_and_written_apart():
    counts = Counter(label for label, _ in EVAL)
    assert len(EVAL) >= 150
    assert {
        "care",
        "fraud",
        "loss",
        "delete_all",
        "delete_reminder",
        "delete_fact",
        "phone",
        "withdraw",
        "plain",
    } <= set(counts)


def test_care_and_fraud_are_always_recalled(verdicts):
    missed = [(label, text) for label, text, ok in verdicts if label in ("care", "fraud") and not ok]
    assert missed == []


def test_no_scoped_request_ends_in_deleting_everything(verdicts):
    missed = [(label, text) for label, text, ok in verdicts if label in ("delete_reminder", "delete_fact") and not ok]
    assert missed == []


def test_false_alarms_on_ordinary_talk_stay_under_two_percent(verdicts):
    plain = [(text, ok) for label, text, ok in verdicts if label in ("plain", "phone")]
    alarms = [text for text, ok in plain if not ok]
    assert len(alarms) <= len(plain) * 0.02, alarms


def test_losses_deletions_and_leaving_land(verdicts):
    missed = [(label, text) for label, text, ok in verdicts if label in ("loss", "delete_all", "withdraw") and not ok]
    assert len(missed) <= 2, missed


def test_the_corpus_held_out_quarter_is_read_with_recall():
    rows = _rows(ROOT / "bot" / "corpus" / "safety.tsv")
    held = [row for i, row in enumerate(rows) if i % 4 == 3]
    care = [t for label, t in held if label == "care"]
    fraud = [t for label, t in held if label == "fraud"]
    plain = [t for label, t in held if label == "plain"]
    assert sum(is_crisis(t) for t in care) >= 0.9 * len(care)
    assert sum(is_fraud(t) for t in fraud) >= 0.8 * len(fraud)
    assert not [t for t in plain if is_crisis(t) or is_fraud(t)]
    assert all(deletion_scope(t) != "all" for label, t in rows if label in ("delete_reminder", "delete_fact"))
    assert sum(is_urgent_loss(t) for label, t in held if label == "loss") >= 0.9 * sum(
        1 for x in held if x[0] == "loss"
    )
    assert all(is_withdrawal(t) for label, t in held if label == "withdraw")


SCOPED = [
    "1番目のを消して", "2つ目のお知らせ削除して", "薬のリマインダー止めて", "リマインダー全部消して", "お知らせ全部いらない",
    "保険証のやつ消して", "最後のを取り消して", "No.2を消して", "通知を全部キャンセル", "返済日の記録だけ消して",
    "紛失の記録を削除して", "延滞の記録を消して", "原因の記録消して", "予定を全部消して", "アラーム全部削除",
]  # fmt: skip


@pytest.mark.parametrize("text", SCOPED + [t for label, t in EVAL if label in ("delete_reminder", "delete_fact")])
def test_a_scoped_request_and_a_yes_never_delete_everything(core, text):
    """A property over scoped phrasings: whatever the state, the request and a 「はい」 keep the record."""
    for state in (ConversationState(welcomed=True), _listed_state(core)):
        out = _turn(core, text, state)
        assert not isinstance(out.state.pending, ConfirmForget), text
        for answer in ("はい", "全部", "削除する"):
            after = core.handle(out.state, Situation(), Incoming(USER, text=answer), NOW, reminders=_reminders())
            assert not any(isinstance(e, ForgetUser) for e in after.effects), (text, answer)
