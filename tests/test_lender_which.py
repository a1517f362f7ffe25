"""Of several lenders named in one message, the one the trouble is about comes first; lenders said to
be fine, former or confused with are not the one (and alone, with another company spoken of, none)."""

from __future__ import annotations

import pytest

from bot.core.lenders import Detector, load_lenders

DETECTOR = Detector(load_lenders().flows)


@pytest.mark.parametrize(
    ("message", "first"),
    [
        ("アイフルは問題なく入れたのに、レイクはエラーが出る", "lake"),
        ("モビットは大丈夫。アコムだけパスワードが通らない", "acom"),
        ("プロミスとアコムがあって、止められたのはアコムのほう", "acom"),
        ("以前はレイクを使ってました。今のアイフルでロックされた", "aiful"),
        ("アコムにプロミスと同じIDを入れたらエラーになった", "acom"),
        ("アコムのサイトは普通に開けるけど、プロミスが真っ白", "promise"),
        ("レイクはカードを作ってないから平気なんだけど、モビットのカード落とした", "mobit"),
    ],
)
def test_the_lender_in_trouble_comes_first(message, first):
    assert DETECTOR.find(message)[0] == first


@pytest.mark.parametrize(
    "message",
    [
        "アコムは平気だけど、ろうきんのカードローンのほうが入れない",
        "前にプロミスを使ってたけど、今は別の会社で、そっちのIDを忘れた",
    ],
)
def test_a_lender_said_to_be_fine_is_not_the_one(message):
    assert DETECTOR.find(message) == []


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("プロミスも使えない", ["promise"]),
        ("レイクの方は大丈夫？", ["lake"]),
        ("アコムにログインできない", ["acom"]),
        ("アイフㇽにログインできない", ["aiful"]),
    ],
)
def test_one_lender_stays_found(message, found):
    assert DETECTOR.find(message) == found
