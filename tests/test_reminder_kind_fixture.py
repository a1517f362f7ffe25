"""A new kind of reminder is one module: the fixture kind in ``tests/fixtures/kinds/deadline.py``,
found the way the bot finds its own kinds, is set up in words, confirmed, saved, planned, listed,
sent and exported with no other change to the code."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import bot.core.reminders.kinds as kinds_package
from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.export.view import kind_labels, slot_labels
from bot.core.reminders.kinds import fire_message, registry
from bot.core.reminders.model import ReminderView
from bot.core.reminders.setup_state import Spec, load

FIXTURE_KINDS = Path(__file__).resolve().parent / "fixtures" / "kinds"
USER = UserRef("console", "kind-fixture")


@pytest.fixture
def deadline(monkeypatch):
    """The fixture folder added to the kinds' package path, as if its module were dropped in."""
    monkeypatch.setattr(kinds_package, "__path__", [*kinds_package.__path__, str(FIXTURE_KINDS)])
    registry.reset()
    kind = registry.get("deadline")
    assert kind is not None
    yield kind
    monkeypatch.undo()
    sys.modules.pop(f"{kinds_package.__name__}.deadline", None)
    registry.reset()
    assert registry.get("deadline") is None


def say(service, text):
    return "\n".join(r.text for r in service.handle(Incoming(USER, text=text)))


def test_a_new_kind_is_found_set_up_planned_listed_and_exported(deadline, service, clock):
    clock.now = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # Thursday 10:00 in Tokyo
    body = say(service, "12月10日の17時に書類の提出期限")
    assert "「書類の提出期限」の期限は12月10日(木) 17:00ですね" in body  # its own confirmation
    assert load({"type": "Confirm", "spec": {"kind": "deadline", "what": "x"}}) is not None  # storable
    say(service, "はい")
    uid = service.store.find_user(USER.platform, USER.user_id)
    [row] = service.store.reminders.for_user(uid)
    assert (row["kind"], row["what"]) == ("deadline", "書類の提出期限")
    planned = sorted((r["slot"], r["due_at"]) for r in service.store.reminders.outbox_rows(row["id"]))
    assert planned == [("day_before", "2026-12-09T08:00:00+00:00"), ("once", "2026-12-10T08:00:00+00:00")]
    assert "〆切：書類の提出期限" in say(service, "リマインダー")  # its list line
    view = ReminderView.from_row(row)
    fired = fire_message(view, service.conversation.flow, view.at, view.at, slot="once")
    assert fired.text.startswith("【期限のお知らせ】") and "今日が期限です" in fired.text
    assert kind_labels()["deadline"] == "期限のお知らせ" and slot_labels()["day_before"] == "期限の前日"


def test_a_registered_kind_starts_from_its_command(deadline):
    assert registry.for_command("remind_deadline") is deadline
    assert registry.for_task("請求書の締め切り") is deadline
    assert registry.kind_of(Spec("deadline").kind) is deadline
