"""Words at a repayment reminder's confirmation: this month already paid (the first month skipped,
for real in the planned sends), 「当日も」, 「月末ってことだと思う」, a new day told in passing, and
a short month asked about. Real service, real SQLite file, console chat, the clock fixed."""

from __future__ import annotations

import pytest

from bot.core.reminders.kinds.repay_talk import DAY_OF_TOO, MONTH_END_SAID, PAID_NOTED


def _sends(friday_app) -> list[dict]:
    store = friday_app.service.store
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
def test_this_month_paid_skips_the_first_month_for_real(friday_app, friday_talk, paid):
    _, said, saved = friday_talk("毎月10日に引き落としあるから、前の日に教えてくれる？", paid, "はい")
    assert said.startswith(PAID_NOTED) and "2027年1月" in said and "12月9日" not in said
    assert "設定しました" in saved
    dues = {s["real_due"] for s in _sends(friday_app)}
    assert dues and all(d >= "2027-01-01" for d in dues)


def test_not_paid_yet_is_no_skip(friday_app, friday_talk):
    _, said = friday_talk("返済日は10日", "今月まだ払ってない")
    assert PAID_NOTED not in said


def test_the_day_of_too_is_said_to_be_there(friday_talk):
    _, said = friday_talk("返済日15日なんだけど、前の日にも教えてくれる？", "やっぱ前の日だけじゃなくて当日も")
    assert said.startswith(DAY_OF_TOO) and "1日前と当日" in said


def test_month_end_restated_is_confirmed(friday_talk):
    _, said = friday_talk("返済日は毎月31日って言われた", "月末ってことだと思う")
    assert said.startswith(MONTH_END_SAID) and "読み取れません" not in said


@pytest.mark.parametrize("told", ["あ、来月から25日に変わるんだった", "28日じゃなくて25日"])
def test_a_new_day_told_in_passing_changes_the_draft(friday_talk, told):
    _, said = friday_talk("返済日は28日", told)
    assert "毎月25日" in said and "毎月28日" not in said


def test_a_short_month_is_answered_and_the_draft_stays(friday_talk):
    _, said = friday_talk("返済日は毎月31日って言われた", "2月とかはどうなるの？")
    assert "28日" in said and "この内容で設定しますか" in said


def test_not_late_after_all_is_kept_at_the_draft(friday_talk):
    _, said, shown = friday_talk(
        "アコムで、返済日は3日だった気がする", "アプリで確認したら延滞してなかった", "状況見せて"
    )
    assert said.startswith("わかりました。そのことも記録しておきます。") and "この内容で設定しますか" in said
    assert "最近の返済の遅れ：なし" in shown
