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
