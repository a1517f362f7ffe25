"""No lender's name, number or hours in the bot's Python: every lender is data (bot/flows/<id>.toml).

The terms come from the flow files themselves: each lender's name, company and aliases, every phone
number of every contact, the hours texts of contacts and machines. A new lender's file adds its terms
here without a change to this test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.diagnosis.flow import FLOWS_DIR, Flow, load_flow

ROOT = Path(__file__).resolve().parents[1]
FLOWS = [load_flow(p) for p in sorted(FLOWS_DIR.glob("*.toml"))]
# Being reworked elsewhere (the reminder dialog split into kind strategies): checked once that work lands.
PENDING: set[str] = set()
_PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}")
_LATIN = re.compile(r"[A-Za-z0-9 .-]+")


def _terms(flow: Flow) -> set[str]:
    terms: set[str] = set()
    if not flow.generic:  # the generic flow's words (「その他」「ご利用中の会社」) are everyday words
        terms |= {flow.lender["name"], flow.lender["company"], *flow.aliases}
    for contact in flow.contacts.values():
        terms |= set(_PHONE.findall(contact.phone))
        if not flow.generic:
            terms |= {t for t in contact.hour_parts.values() if len(t) >= 8}
    if not flow.generic:
        terms.add(flow.machine_hours)
    return {t for t in terms if len(t.strip()) >= 3}


TERMS = sorted({(term, flow.lender_id) for flow in FLOWS for term in _terms(flow)})


def _python_files() -> list[Path]:
    return sorted(p for p in (ROOT / "bot").rglob("*.py") if p.relative_to(ROOT).as_posix() not in PENDING)


def _found(term: str, text: str) -> bool:
    if _LATIN.fullmatch(term):
        return re.search(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])", text, re.IGNORECASE) is not None
    return term in text


def test_there_are_terms_for_every_lender():
    lenders = {lender for _, lender in TERMS}
    assert {f.lender_id for f in FLOWS if not f.generic} <= lenders


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_lender_in_python(path):
    text = path.read_text(encoding="utf-8")
    found = [f"{term!r} ({lender})" for term, lender in TERMS if _found(term, text)]
    assert not found, f"{path.relative_to(ROOT)} names a lender's fact: {', '.join(found)} (move it to bot/flows)"


def test_pending_files_are_still_there():
    # When the reminder rework lands, drop its files from PENDING so that they are checked too.
    for name in PENDING:
        assert (ROOT / name).exists(), f"{name} is gone: remove it from PENDING"
