"""The lenders bench's independent set: well formed, and scored as the bench says (no figures asserted)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bench.lenders import INDEPENDENT, detected_right, independent_set
from bot.core.lenders import Detector, load_lenders
from bot.core.lenders.desk import LenderDesk

LENDERS = load_lenders()
NAMED = frozenset(f.lender_id for f in LENDERS.named)


def test_the_independent_set_says_who_wrote_it_and_is_well_formed():
    first = INDEPENDENT.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#") and "neither the corpus nor the aliases" in first and "2026-12-04" in first
    rows = independent_set()
    assert len(rows) == 440
    intents = frozenset(LenderDesk(LENDERS, ZoneInfo("Asia/Tokyo")).understanding.intents)
    for lender, label, text in rows:
        assert lender in NAMED | {"other", "none"}, lender
        assert label in intents, label
        assert text.strip() and "\t" not in text


def test_detection_is_scored_per_expected_lender():
    assert detected_right("acom", ["acom", "promise"], NAMED)
    assert not detected_right("acom", ["promise", "acom"], NAMED)
    assert not detected_right("acom", [], NAMED)
    assert detected_right("none", [], NAMED)
    assert not detected_right("none", ["promise"], NAMED)
    # "other": nothing, the generic flow or an unserved lender is right; a served named lender is not.
    assert detected_right("other", [], NAMED)
    assert detected_right("other", ["other"], NAMED)
    assert detected_right("other", ["lake"], NAMED - {"lake"})
    assert not detected_right("other", ["promise"], NAMED)
    detector = Detector(LENDERS.flows)
    assert detector.find("その他の会社にログインできない") == []  # the generic flow is never named in a message
