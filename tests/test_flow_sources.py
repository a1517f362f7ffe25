"""Every fact in the flow data has its source beside it: the page's address and the day it was read.

A fact is a text that names a phone number, hours or days of service, a place to go, or a count
(「数回」, 「4桁」, 「数日〜1週間」), or a number the bot computes with (a fixed repayment day). The words
a user answers with (choice labels and their aliases) and the buttons of a result are the user's, not
facts. Every flow file in bot/flows is checked, so a lender added beside Promise keeps the same rule.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.core.diagnosis.flow import DEFAULT_FLOW, FlowError, parse_flow
from tests.conftest import ROOT

FLOWS = sorted((ROOT / "bot" / "flows").glob("*.toml"))
FACT_KINDS = {
    "phone number": re.compile(r"(?<![\d-])0\d{1,4}-\d{1,4}-\d{3,4}(?![\d-])|(?<!\d)1[01][09]番"),
    "hours": re.compile(r"\d{1,2}:\d{2}|\d+\s*時間|\d{1,2}時|平日|土日|祝日|毎月\s*\d+日|\d{1,2}月\d{1,2}日|年末年始"),
    "place": re.compile(r"自動契約機|契約機|店頭|窓口|店舗|郵送|警察|交番|ATM|銀行|サービスプラザ"),
    # 「何回くらい…？」 asks, 「何度か合わないと」 states: only the statement is a count.
    "count": re.compile(r"\d+\s*回|数回|何回も|何度か|何度も|\d+\s*桁|数日|\d+\s*週間|\d+\s*日前|\d{4}年"),
}
# Lists whose texts are what the user taps or types, not what the bot states.
USER_WORDS = frozenset({"choices", "followups"})
# Numbers that wire the file together rather than state a fact.
WIRING = frozenset({"version", "lender.order"})  # numbers that wire the data, not facts: the lenders' order in lists


def _leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """(dotted path, value) of every text and number, lists counted from 1, sources left out."""
    if isinstance(value, dict):
        out = []
        for key, inner in value.items():
            if key != "sources" and key not in USER_WORDS:
                out += _leaves(inner, f"{path}.{key}" if path else key)
        return out
    if isinstance(value, list):
        return [leaf for i, inner in enumerate(value, 1) for leaf in _leaves(inner, f"{path}.{i}")]
    return [(path, value)]


def facts(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(path, kind, text) of every fact in flow data: texts matching a kind, and numbers."""
    found = []
    for path, value in _leaves(data):
        if isinstance(value, str):
            found += [(path, kind, value) for kind, pattern in FACT_KINDS.items() if pattern.search(value)]
        elif isinstance(value, int) and not isinstance(value, bool) and path not in WIRING:
            found.append((path, "number", str(value)))
    return found


def unsourced(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The facts no source backs: neither one for the fact itself, a part of it, nor a table around it."""
    flow = parse_flow(data)
    return [(path, kind, text) for path, kind, text in facts(data) if not flow.sources_of(path)]


def _data(path: Path = DEFAULT_FLOW) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FLOWS, ids=[p.name for p in FLOWS])
def test_every_place_number_hours_and_count_has_a_source_beside_it(path):
    data = _data(path)
    assert facts(data), "no fact found: the detectors are broken"
    missing = unsourced(data)
    assert missing == [], "facts without a source (add `sources` to the table that holds them):\n" + "\n".join(
        f"  {p} ({kind}): {text[:60]}" for p, kind, text in missing
    )


@pytest.mark.parametrize("path", FLOWS, ids=[p.name for p in FLOWS])
def test_each_source_names_a_page_and_the_day_it_was_read(path):
    flow = parse_flow(_data(path))
    assert flow.sources
    for covered, sources in flow.sources.items():
        for source in sources:
            assert re.fullmatch(r"https?://\S+", source.url), (covered, source.url)
            assert isinstance(source.read, date), (covered, source.read)


def test_promise_facts_were_read_on_the_day_of_the_check(flow):
    """The Promise facts were checked against public pages on 2026-12-04 (FACTS.md)."""
    reads = {s.read for sources in flow.sources.values() for s in sources}
    assert reads == {date(2026, 12, 4)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("0120-24-0365（通話無料）", "phone number"),
        ("いま命の危険があるときは、119番に電話してください。", "phone number"),
        ("平日9:00〜17:30", "hours"),
        ("毎月10日は24時間つながります", "hours"),
        ("自動契約機で再設定します", "place"),
        ("郵送なら数日〜1週間ほど", "place"),
        ("暗証番号が数回続けて合わないと", "count"),
        ("4桁の暗証番号", "count"),
    ],
)
def test_each_kind_of_fact_is_recognised(text, kind):
    assert FACT_KINDS[kind].search(text)


def test_a_users_answer_is_not_a_fact():
    """「3回以上」 is what the user taps at q_attempts, not a count the bot states."""
    data = _data()
    paths = [p for p, _, _ in facts(data)]
    assert not any(".choices." in p or ".followups." in p for p in paths)
    labels = [c["label"] for c in data["nodes"]["q_attempts"]["choices"]]
    assert any(FACT_KINDS["count"].search(label) for label in labels)  # it would match, were it a fact


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["contacts"]["yorisoi"].pop("sources"), "contacts.yorisoi.phone"),
        (lambda d: d["nodes"]["locked"].pop("sources"), "nodes.locked.summary"),
        (
            lambda d: d["nodes"]["suspended"]["steps"].append("お近くの店舗でも相談できます。"),
            "nodes.suspended.steps.3",
        ),
        (lambda d: d["repayment"].pop("sources"), "repayment.debit_day"),
        (lambda d: d["maintenance"]["windows"][0].pop("sources"), "maintenance.windows.1.label"),
    ],
)
def test_a_fact_without_a_source_is_found(mutate, path):
    data = _data()
    mutate(data)
    found = [p for p, _, _ in unsourced(data)]
    assert path in found, found


@pytest.mark.parametrize(
    ("source", "needles"),
    [
        ({"read": date(2026, 12, 4)}, ["contacts.yorisoi", "url"]),
        ({"url": "279338.jp/yorisoi/", "read": date(2026, 12, 4)}, ["contacts.yorisoi", "url"]),
        ({"url": "http://279338.jp/yorisoi/", "read": "2026-12-04"}, ["contacts.yorisoi", "read"]),
        ({"url": "http://279338.jp/yorisoi/"}, ["contacts.yorisoi", "read"]),
        (
            {"url": "http://279338.jp/yorisoi/", "read": date(2026, 12, 4), "about": ["fone"]},
            ["contacts.yorisoi", "fone"],
        ),
        ({"url": "http://279338.jp/yorisoi/", "read": date(2026, 12, 4), "date": "x"}, ["contacts.yorisoi", "date"]),
    ],
)
def test_a_bad_source_stops_start_up_with_its_table_named(source, needles):
    data = _data()
    data["contacts"]["yorisoi"]["sources"] = [source]
    with pytest.raises(FlowError) as err:
        parse_flow(data)
    assert all(n in str(err.value) for n in needles), str(err.value)


def test_a_source_can_back_one_step(flow):
    """`steps.3` backs the third step only: the re-issue times of a lost card, not the call."""
    lost = "nodes.lost_card.steps"
    assert flow.sources_of(f"{lost}.3") and not flow.sources_of(f"{lost}.1")
    assert any("1週間" in s.note for s in flow.sources_of(f"{lost}.3"))
