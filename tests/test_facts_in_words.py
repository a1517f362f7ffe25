"""Facts told in everyday words, kept where they belong (whole conversations through the service).

Each case runs the real service on a real SQLite file through the console chat (every lender served
unless said) and checks what the bot answered and what the record then shows, as a person sees it.
"""

from __future__ import annotations

import pytest

LATE_KEPT = "最近の返済の遅れ：あり"


def blocks(status: str) -> dict[str, str]:
    """The status answer's lender blocks: name -> its fact lines."""
    found = {}
    for part in status.split("【")[1:]:
        name, body = part.split("】", 1)
        found[name] = "\n".join(line for line in body.splitlines() if line.startswith("・"))
    return found


# ---------------------------------------------------------------------- a lateness feared is not kept


@pytest.mark.parametrize(
    "said",
    ["延滞かも", "遅れそう", "来月遅れるかもしれない", "払えないかも", "次の返済、間に合わないかも", "延滞してるかも"],
)
def test_a_lateness_feared_or_to_come_is_not_kept_as_late(chat_turns, said):
    answer, status = chat_turns("")(said, "何覚えてる？")
    assert "返済日の前に" in answer  # the call before the due day
    assert "0570-051-051" in answer  # the free counselling centre
    assert LATE_KEPT not in status


@pytest.mark.parametrize("said", ["延滞してる", "払い忘れてた", "返済が遅れてます"])
def test_a_lateness_that_is_is_still_kept(chat_turns, said):
    answer, status = chat_turns("")(said, "何覚えてる？")
    assert "できるだけ早く" in answer
    assert LATE_KEPT in status


# ---------------------------------------------------------------------- several lenders' days at once


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("プロミスは25日、アコムは10日が返済日", {"プロミス": "毎月25日", "アコム": "毎月10日"}),
        ("アコム27日でプロミスは月末", {"アコム": "毎月27日", "プロミス": "毎月末日"}),
        ("返済日はアイフルが5日で、レイクは15日です", {"アイフル": "毎月5日", "レイク": "毎月15日"}),
    ],
)
def test_two_lenders_days_in_one_message_are_kept_each_under_its_lender(chat_turns, said, expected):
    answer, status = chat_turns("")(said, "何覚えてる？")
    assert "会社ごとに記録しました" in answer
    shown = blocks(status)
    assert set(shown) == set(expected)
    for name, day in expected.items():
        assert shown[name] == f"・返済日：{day}"


def test_each_lenders_day_stays_its_own_when_one_is_changed_later(chat_turns):
    talk = chat_turns("")
    *_, status = talk("プロミスは25日、アコムは10日が返済日", "アコムの返済日は15日って覚えて", "何覚えてる？")
    shown = blocks(status)
    assert shown["プロミス"] == "・返済日：毎月25日"
    assert shown["アコム"] == "・返済日：毎月15日"


def test_days_whose_lender_is_not_clear_are_not_split(chat_turns):
    (answer,) = chat_turns("")("25日がプロミスで10日がアコム")
    assert "会社ごとに記録しました" not in answer
