"""The flow schema's lender additions: ``[lender] id/aliases/generic``, contacts whose number is not
known, repayment rules as data, and maintenance windows on the nth weekday of a month."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.diagnosis.flow import DEFAULT_FLOW, FLOWS_DIR, FlowError, load_flow, parse_flow

TOKYO = ZoneInfo("Asia/Tokyo")


def _data(name: str = "promise") -> dict:
    return tomllib.loads((FLOWS_DIR / f"{name}.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(FLOWS_DIR.glob("*.toml")), ids=lambda p: p.stem)
def test_every_lender_file_loads_with_its_id_equal_to_its_name(path):
    flow = load_flow(path)
    assert flow.lender_id == path.stem
    assert flow.aliases, "every lender is found in a message by its aliases"


def test_promise_is_the_default_flow_and_keeps_its_name():
    flow = load_flow()
    assert DEFAULT_FLOW.name == "promise.toml"
    assert flow.lender_id == "promise" and not flow.generic
    assert load_flow(FLOWS_DIR / "other.toml").generic


def test_an_id_that_is_not_the_file_name_is_refused(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text(DEFAULT_FLOW.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(FlowError, match="must be the file's name"):
        load_flow(path)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("id", "Promise1", "lower-case"),
        ("aliases", "プロミス", "list of texts"),
        ("generic", "yes", "true or false"),
        ("colour", "red", "unknown key"),
    ],
)
def test_bad_lender_keys_are_named(key, value, message):
    data = _data()
    data["lender"][key] = value
    with pytest.raises(FlowError, match=message):
        parse_flow(data)


def test_a_contact_whose_number_is_not_known_is_never_dialable():
    flow = load_flow(FLOWS_DIR / "aiful.toml")
    unknown = [c for c in flow.contacts.values() if not c.phone_known]
    assert unknown
    for contact in unknown:
        assert not any(ch.isdigit() for ch in contact.phone)
    data = _data("aiful")
    data["contacts"]["aiful_loss"]["phone"] = "0120-000-000"
    with pytest.raises(FlowError, match="holds none"):
        parse_flow(data)


def test_repayment_rules_are_read_and_checked():
    acom = load_flow(FLOWS_DIR / "acom.toml").repayment
    assert acom["schedules"] == ("monthly", "every_35_days") and acom["cycle_days"] == 35
    assert acom["debit_days"] == (6,) and acom["holiday_shift"] is None
    mobit = load_flow(FLOWS_DIR / "mobit.toml").repayment
    assert mobit["monthly_days"] == (5, 15, 25, 31) and mobit["holiday_shift"] == "next_business_day"
    for key, value, message in [
        ("schedules", ["weekly"], "schedules"),
        ("cycle_days", 0, "cycle_days"),
        ("monthly_days", [32], "monthly_days"),
        ("debit_days", [], "debit_days"),
        ("holiday_shift", "previous_day", "holiday_shift"),
    ]:
        data = _data("acom")
        data["repayment"][key] = value
        with pytest.raises(FlowError, match=message):
            parse_flow(data)
    data = _data("acom")
    del data["repayment"]["cycle_days"]
    data["repayment"].pop("sources")
    with pytest.raises(FlowError, match="needs 'cycle_days'"):
        parse_flow(data)


def test_a_window_on_the_third_sunday_holds_only_then():
    lake = load_flow(FLOWS_DIR / "lake.toml").maintenance
    assert lake is not None
    # December 2026: Sundays are the 6th, 13th, 20th and 27th; the third is the 20th.
    assert lake.window_at(datetime(2026, 12, 20, 20, 30, tzinfo=TOKYO)) is not None
    for day in (6, 13, 27):
        assert lake.window_at(datetime(2026, 12, day, 20, 30, tzinfo=TOKYO)) is None
    assert lake.window_at(datetime(2026, 12, 20, 12, 0, tzinfo=TOKYO)) is None


def test_nth_needs_weekdays_and_a_number_from_1_to_5():
    data = _data("lake")
    data["maintenance"]["windows"][0]["nth"] = 6
    with pytest.raises(FlowError, match="'nth'"):
        parse_flow(data)


def test_flows_without_maintenance_or_repayment_load(tmp_path: Path):
    other = load_flow(FLOWS_DIR / "other.toml")
    assert other.maintenance is None and other.repayment == {}
    assert load_flow(FLOWS_DIR / "mobit.toml").maintenance is None
