"""A repeating reminder's first time skipped while it is set up (「今週の土曜は休むから飛ばして」):
the confirmation says so, the planned sends start with the next one, and 「その次からはいつも通りね」
is a word of agreement. Real service, real SQLite file, console chat, the clock fixed."""

from __future__ import annotations

import pytest

from bot.core.reminders.kinds.skip_first import USUAL_AFTER, skips_the_first


def test_this_weeks_time_skipped_for_real(friday_app, friday_talk):
    _, said, usual, saved = friday_talk(
        "毎週土曜の朝10時にジム", "今週の土曜は休むから飛ばして", "その次からはいつも通りね", "はい"
    )
    assert "次回：12月12日(土) 10:00" in said and "12月5日(土) 10:00の分は、お知らせしません" in said
    assert usual.startswith(USUAL_AFTER) and "設定しました" in saved
    store = friday_app.service.store
    [row] = store.reminders.for_user(1)
    dues = sorted(s["due_at"] for s in store.reminders.pending_for(row["id"]))
    assert dues and dues[0].startswith("2026-12-12")


@pytest.mark.parametrize("said", ["今週の土曜は休むから飛ばして", "最初の1回はなしで", "初回はスキップで"])
def test_skips_read(said):
    assert skips_the_first(said)


@pytest.mark.parametrize("said", ["その次からはいつも通りね", "毎週土曜の10時", "来週から休み"])
def test_not_skips(said):
    assert not skips_the_first(said)
