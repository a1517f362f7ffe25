"""Facts told in everyday words, kept where they belong (whole conversations through the service).

Each case runs the real service on a real SQLite file through the console chat (every lender served
unless said) and checks what the bot answered and what the record then shows, as a person sees it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.lenders.moved import just_told

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


# ---------------------------------------------------------------------- the company corrected


@pytest.mark.parametrize(
    ("told", "fixed", "old", "new", "fact"),
    [
        (
            "プロミスの返済日は25日って覚えて",
            "あ、プロミスじゃなくてアコムだった",
            "プロミス",
            "アコム",
            "返済日：毎月25日",
        ),
        ("プロミスのカードなくした", "会社間違えた、レイクです", "プロミス", "レイク", "カードの紛失・盗難：あり"),
        ("アイフルの返済日は10日", "ごめん、間違えた。モビットだった", "アイフル", "SMBCモビット", "返済日：毎月10日"),
    ],
)
def test_what_was_just_told_moves_to_the_company_meant(chat_turns, told, fixed, old, new, fact):
    talk = chat_turns("")
    _, answer, status = talk(told, fixed, "何覚えてる？")
    assert f"{old}ではなく{new}の記録に移しました" in answer
    assert f"いまご案内している会社：{new}" in status
    assert fact in status
    assert f"【{old}】" not in status  # nothing is left under the company named by mistake


def test_another_companys_facts_stay_with_it(chat_turns):
    talk = chat_turns("")
    *_, status = talk(
        "アコムの返済日は15日って覚えて",
        "アコムのカードはちゃんと持ってる",
        "プロミスのカードなくした",
        "間違えた、レイクだった",
        "何覚えてる？",
    )
    shown = blocks(status)
    assert "返済日：毎月15日" in shown["アコム"]
    assert "カードの紛失・盗難：あり" in shown["レイク"]
    assert "プロミス" not in shown


def test_only_facts_told_in_the_last_minutes_count_as_just_told():
    now = datetime(2026, 12, 4, 12, 30, tzinfo=UTC)
    rows = {
        "situation_history": [
            {"lender": "a", "field": "due_day", "value": 10, "at": (now - timedelta(days=3)).isoformat()},
            {"lender": "a", "field": "card_lost", "value": True, "at": (now - timedelta(minutes=2)).isoformat()},
            {"lender": "b", "field": "overdue", "value": True, "at": (now - timedelta(minutes=1)).isoformat()},
            {"lender": "a", "field": "reminder_time", "value": "09:00", "at": now.isoformat()},
        ]
    }
    assert just_told(rows, "a", now) == ["card_lost"]


# ---------------------------------------------------------------------- the company not told

ASKED = "どちらの会社"


@pytest.mark.parametrize("declined", ["言いたくない", "内緒", "会社名は秘密です"])
def test_a_company_not_told_is_not_asked_again(chat_turns, declined):
    answers = chat_turns("")("カードなくした", declined, "暗証番号忘れた", "返済日は25日")
    assert ASKED in answers[0]
    assert "会社名はなくても大丈夫です" in answers[1]
    assert "カードの裏面" in answers[1] and "カードの紛失・盗難" in answers[1]
    assert not any(ASKED in a for a in answers[1:])
    assert "カードの裏面" in answers[2]  # the general advice: the number on the card


def test_a_company_declined_before_it_is_asked_is_not_asked_later(chat_turns):
    answers = chat_turns("")("ログインできない", "言いたくない", "カードなくした", "暗証番号忘れた")
    assert "会社名はなくても大丈夫です" in answers[1]
    assert not any(ASKED in a for a in answers)


def test_a_lender_not_served_gets_the_general_advice_and_no_company_question(chat_turns):
    answers = chat_turns("promise,acom")("アイフルにログインできない", "カードなくした", "暗証番号忘れた")
    assert "プロミス・アコムについてご案内しています" in answers[0]
    assert not any(ASKED in a for a in answers)
    assert "カードの裏面" in answers[1]
