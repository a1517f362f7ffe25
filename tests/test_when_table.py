"""Date and time phrases against a fixed reference time, from a table written independently of the parser.

tests/fixtures/when_table.tsv: ``phrase<TAB>expected<TAB>task`` at 2026-11-03 (Tue) 14:00 Tokyo;
expected is ``at YYYY-MM-DD HH:MM``, ``ask``, ``past``, ``invalid`` or ``task`` (no time at all).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.jptime import When, WhenAsk, WhenError, parse_when

TABLE = Path(__file__).parent / "fixtures" / "when_table.tsv"
NOW = datetime(2026, 11, 3, 14, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
# Every phrase the issue quotes must be exactly right.
QUOTED = [
    "来月の5日 10時に電話",
    "昨日の10時に電話",
    "来年の1月10日に電話",
    "1時間半後に電話",
    "明日の正午に電話",
    "週明けに電話",
    "来月の頭に電話",
    "9999年12月31日夜12時に電話",
]


def _rows(table: Path = TABLE) -> list[tuple[str, str, str]]:
    rows = []
    for line in table.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        phrase, expected, task = (line.split("\t") + [""])[:3]
        rows.append((phrase, expected, task))
    return rows


def _right(phrase: str, expected: str, task: str, now: datetime = NOW) -> bool:
    result = parse_when(phrase, now)
    if expected.startswith("at "):
        return (
            isinstance(result, When)
            and result.at is not None
            and result.at.strftime("%Y-%m-%d %H:%M") == expected[3:]
            and (not task or result.rest == task)
        )
    if expected == "ask":
        # A time with no task is right too: the dialog then asks what to remind about.
        return isinstance(result, WhenAsk) or (not task and isinstance(result, When) and not result.rest)
    if expected == "past":
        return isinstance(result, WhenError) and result.reason == "past"
    if expected == "invalid":
        return isinstance(result, WhenError) and result.reason != "past"
    return result is None  # "task": no time in it


def test_the_table_is_large_and_covers_every_kind():
    rows = _rows()
    assert len(rows) >= 150
    assert {e.split()[0] for _, e, _ in rows} == {"at", "ask", "past", "invalid", "task"}


def test_nearly_every_phrase_is_read_as_written_down():
    rows = _rows()
    wrong = [(p, e, t, parse_when(p, NOW)) for p, e, t in rows if not _right(p, e, t)]
    assert len(wrong) <= len(rows) // 50, wrong  # at least 98%


@pytest.mark.parametrize("phrase", QUOTED)
def test_every_phrase_quoted_in_the_issue_is_right(phrase):
    row = next(r for r in _rows() if r[0] == phrase)
    assert _right(*row), parse_when(phrase, NOW)


@pytest.mark.parametrize(
    "phrase",
    ["10000000日後に電話", "999999999分後に電話", "9999年12月31日夜12時に電話", "0月0日", "25時に", "2月30日", "13月1日",
     "1年後" * 50, "１" * 500 + "日後", "第9月曜", "令和99年1月1日"],
)  # fmt: skip
def test_absurd_phrases_never_raise(phrase):
    result = parse_when(phrase, NOW)
    assert result is None or isinstance(result, WhenError | WhenAsk | When)
    if isinstance(result, When) and result.at is not None:
        assert result.at.year < 2100


def test_another_timezone_reads_the_same_words_in_its_own_local_time():
    new_york = datetime(2026, 11, 3, 14, 0, tzinfo=ZoneInfo("America/New_York"))
    result = parse_when("明日の10時に電話", new_york)
    assert isinstance(result, When) and result.at is not None
    assert result.at.tzinfo == new_york.tzinfo and (result.at.day, result.at.hour) == (4, 10)
    assert result.at.utcoffset() != NOW.utcoffset()


def test_month_and_year_ends():
    dec31 = datetime(2026, 12, 31, 22, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert parse_when("明日の10時に電話", dec31).at.date().isoformat() == "2027-01-01"  # type: ignore[union-attr]
    assert parse_when("来月末に振込", dec31).at.date().isoformat() == "2027-01-31"  # type: ignore[union-attr]
    jan31 = datetime(2027, 1, 31, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert parse_when("1か月後に電話", jan31).at.date().isoformat() == "2027-02-28"  # type: ignore[union-attr]
    leap = datetime(2028, 2, 28, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert parse_when("明日の10時に電話", leap).at.date().isoformat() == "2028-02-29"  # type: ignore[union-attr]
    assert parse_when("月末に振込", leap).at.date().isoformat() == "2028-02-29"  # type: ignore[union-attr]


def test_a_second_table_at_the_year_end_written_by_someone_else():
    """2026-12-30 (Wed) 22:00: 明日 is New Year's Eve, 2月 is next year's, 年明け and 元日 are two days off."""
    year_end = datetime(2026, 12, 30, 22, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    rows = _rows(TABLE.parent / "when_table_yearend.tsv")
    wrong = [(p, e, parse_when(p, year_end)) for p, e, t in rows if not _right(p, e, t, year_end)]
    # Three rows ask for what the bot cannot know or rightly reads otherwise (紅白が始まる頃, 給料日,
    # 2月29日 = the next 29 February there is); a few more may miss.
    assert len(rows) >= 100 and len(wrong) <= len(rows) // 15, wrong
