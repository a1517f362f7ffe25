"""Words at a repayment reminder's confirmation: this month already paid (the first month skipped,
for real in the planned sends), 「当日も」, 「月末ってことだと思う」, a new day told in passing, and
a short month asked about. Real service, real SQLite file, console chat, the clock fixed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.console import ConsoleChat
from bot.app import build_app
from bot.core.reminders.kinds.repay_talk import DAY_OF_TOO, MONTH_END_SAID, PAID_NOTED
from bot.settings import load_settings

FRIDAY_EVENING = datetime(2026, 12, 4, 12, 30, tzinfo=UTC)  # 21:30 in Japan


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_LENDERS", "")
    app = build_app(load_settings(dotenv=None), db_path=str(tmp_path / "chat.db"))
    moment = [FRIDAY_EVENING]

    def tick() -> datetime:
        moment[0] += timedelta(seconds=30)
        return moment[0]

    app.service.clock = tick
    return app


@pytest.fixture
def talk(app):
    chat = ConsoleChat(app.service, "sora")
    chat.greet()
    return lambda *turns: [chat.say(t) for t in turns]


def _sends(app) -> list[dict]:
    store = app.service.store
    [row] = [r for r in store.reminders.for_user(1) if r["kind"] == "repay"]
    return store.reminders.pending_for(row["id"])


@pytest.mark.parametrize(
    "paid",
    [
        "あと今月の10日はもう口座に入れたからいらない",
        "今月分はもう払ったので、今月はいらないです",
        "今月の分はもう払いました",
    ],
)
def test_this_month_paid_skips_the_first_month_for_real(app, talk, paid):
    _, said, saved = talk("毎月10日に引き落としあるから、前の日に教えてくれる？", paid, "はい")
    assert said.startswith(PAID_NOTED) and "2027年1月" in said and "12月9日" not in said
    assert "設定しました" in saved
    dues = {s["real_due"] for s in _sends(app)}
    assert dues and all(d >= "2027-01-01" for d in dues)


def test_not_paid_yet_is_no_skip(app, talk):
    _, said = talk("返済日は10日", "今月まだ払ってない")
    assert PAID_NOTED not in said


def test_the_day_of_too_is_said_to_be_there(talk):
    _, said = talk("返済日15日なんだけど、前の日にも教えてくれる？", "やっぱ前の日だけじゃなくて当日も")
    assert said.startswith(DAY_OF_TOO) and "1日前と当日" in said


def test_month_end_restated_is_confirmed(talk):
    _, said = talk("返済日は毎月31日って言われた", "月末ってことだと思う")
    assert said.startswith(MONTH_END_SAID) and "読み取れません" not in said


@pytest.mark.parametrize("told", ["あ、来月から25日に変わるんだった", "28日じゃなくて25日"])
def test_a_new_day_told_in_passing_changes_the_draft(talk, told):
    _, said = talk("返済日は28日", told)
    assert "毎月25日" in said and "毎月28日" not in said


def test_a_short_month_is_answered_and_the_draft_stays(talk):
    _, said = talk("返済日は毎月31日って言われた", "2月とかはどうなるの？")
    assert "28日" in said and "この内容で設定しますか" in said


def test_not_late_after_all_is_kept_at_the_draft(talk):
    _, said, shown = talk("アコムで、返済日は3日だった気がする", "アプリで確認したら延滞してなかった", "状況見せて")
    assert said.startswith("わかりました。そのことも記録しておきます。") and "この内容で設定しますか" in said
    assert "最近の返済の遅れ：なし" in shown
