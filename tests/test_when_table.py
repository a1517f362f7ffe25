"""Date and time phrases against a fixed reference time, from a table written independently of the parser.

tests/fixtures/when_table.tsv: ``phrase<TAB>expected<TAB>task`` at 2026-11-03 (Tue) 14:00 Tokyo;
expected is ``at YYYY-MM-DD HH:MM``, ``ask``, ``past``, ``invalid`` or ``task`` (no time at all).
:data:`HOURS` checks, row by row and exactly, how hours are read: a period word in the task, an
hour that could be morning or evening, tonight, the small hours, and a deadline.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.dates.jptime import When, WhenAsk, WhenError, parse_when

TOKYO = ZoneInfo("Asia/Tokyo")

TABLE = Path(__file__).parent / "fixtures" / "when_table.tsv"
NOW = datetime(2026, 11, 3, 14, 0, tzinfo=TOKYO)
EVENING = datetime(2026, 11, 3, 19, 25, tzinfo=TOKYO)  # the same Tuesday, after dinner
MORNING = datetime(2026, 11, 3, 7, 0, tzinfo=TOKYO)
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


# (phrase, now, expected, task): expected is "at <moment>", "<question reason> <option>, <option>"
# (the options in the order proposed) or an error reason; the task ("" = not checked) is exact.
HOURS = [
    # A period word after the clock and its particle is the task's; before the clock it qualifies it.
    ("明日の10時に昼の会議", NOW, "at 2026-11-04 10:00", "昼の会議"),
    ("明日の10時に夜の準備", NOW, "at 2026-11-04 10:00", "夜の準備"),
    ("明日の12時半に昼ご飯", NOW, "at 2026-11-04 12:30", "昼ご飯"),
    ("あしたの１０時に夜ごはんの買い出し", NOW, "at 2026-11-04 10:00", "夜ごはんの買い出し"),
    ("明日の十時、朝の薬を飲む", NOW, "at 2026-11-04 10:00", "朝の薬を飲む"),
    ("明日9時半に夕方の打ち合わせの資料", NOW, "at 2026-11-04 09:30", "夕方の打ち合わせの資料"),
    ("明日の21時に深夜の作業の準備", NOW, "at 2026-11-04 21:00", "深夜の作業の準備"),
    ("明日の夜8時に電話", NOW, "at 2026-11-04 20:00", "電話"),
    ("明日の朝7時にジョギング", NOW, "at 2026-11-04 07:00", "ジョギング"),
    ("夜8時に電話", NOW, "at 2026-11-03 20:00", "電話"),
    ("よる8じに電話", NOW, "at 2026-11-03 20:00", "電話"),
    ("明日のあさ7じに電話", NOW, "at 2026-11-04 07:00", "電話"),
    ("明日の夜、9時に電話", NOW, "at 2026-11-04 21:00", "電話"),
    ("明日の昼に会議", NOW, "at 2026-11-04 12:00", "会議"),  # no clock: the period word is the time
    ("明日10時夜ご飯", NOW, "unknown", ""),  # no particle after the clock: asked, not guessed
    ("10時、明日の朝", NOW, "unknown", ""),
    # 1-6時 with nothing saying which half of the day: asked, the afternoon first.
    ("明日2時に歯医者", NOW, "ampm 2026-11-04 14:00, 2026-11-04 02:00", "歯医者"),
    ("明日の二時半に銀行", NOW, "ampm 2026-11-04 14:30, 2026-11-04 02:30", "銀行"),
    ("12/5 3時に振込", NOW, "ampm 2026-12-05 15:00, 2026-12-05 03:00", "振込"),
    ("金曜の5:30に電話", NOW, "ampm 2026-11-06 17:30, 2026-11-06 05:30", "電話"),
    ("４時に電話", NOW, "ampm 2026-11-03 16:00, 2026-11-04 04:00", "電話"),
    ("1時に電話", EVENING, "ampm 2026-11-04 13:00, 2026-11-04 01:00", "電話"),
    ("今日の3時に電話", NOW, "at 2026-11-03 15:00", "電話"),  # 3:00 today is gone: only 15:00 is left
    ("今日の1時に電話", NOW, "past", ""),
    ("今朝2時に電話", NOW, "past", ""),  # 今朝 says which half of the day
    ("明日の午後2時に歯医者", NOW, "at 2026-11-04 14:00", "歯医者"),
    ("明日の午前2時に起きる", NOW, "at 2026-11-04 02:00", "起きる"),
    ("明日の02:00にバックアップ", NOW, "at 2026-11-04 02:00", "バックアップ"),
    ("明日の14時に歯医者", NOW, "at 2026-11-04 14:00", "歯医者"),
    ("明日の昼2時に電話", NOW, "at 2026-11-04 14:00", "電話"),
    ("明日の夕方５時に電話", NOW, "at 2026-11-04 17:00", "電話"),
    (
        "明日の朝6時に起こして",
        NOW,
        "at 2026-11-04 06:00",
        "起きる時間です",
    ),  # a wake-up call: what it is for, not the request
    ("明日7時に電話", NOW, "at 2026-11-04 07:00", "電話"),  # 7-12 stay in the morning
    # A bare 1-11時 past this morning but ahead tonight: tonight first, then tomorrow morning.
    ("8時に電話", EVENING, "tonight 2026-11-03 20:00, 2026-11-04 08:00", "電話"),
    ("９時半に振込", EVENING, "tonight 2026-11-03 21:30, 2026-11-04 09:30", "振込"),
    ("十一時に薬", EVENING, "tonight 2026-11-03 23:00, 2026-11-04 11:00", "薬"),
    ("10時に電話", NOW, "tonight 2026-11-03 22:00, 2026-11-04 10:00", "電話"),
    ("7時に電話", EVENING, "tomorrow 2026-11-04 07:00", "電話"),  # 19:00 has passed too
    ("朝8時に電話", EVENING, "tomorrow 2026-11-04 08:00", "電話"),
    ("8時に電話", MORNING, "at 2026-11-03 08:00", "電話"),
    ("20時に電話", EVENING, "at 2026-11-03 20:00", "電話"),
    ("明日8時に電話", EVENING, "at 2026-11-04 08:00", "電話"),
    # 夜 with 1-4時 is the small hours after tonight, as 深夜 and 夜中 are.
    ("夜3時に電話", NOW, "at 2026-11-04 03:00", "電話"),
    ("夜中の3時に電話", NOW, "at 2026-11-04 03:00", "電話"),
    ("深夜2時に電話", NOW, "at 2026-11-04 02:00", "電話"),
    ("よる1じにアラーム", NOW, "at 2026-11-04 01:00", "アラーム"),
    ("明日の夜3時に電話", NOW, "at 2026-11-05 03:00", "電話"),
    ("今夜2時に電話", NOW, "at 2026-11-04 02:00", "電話"),
    ("夜7時に電話", NOW, "at 2026-11-03 19:00", "電話"),
    ("深夜11時に電話", NOW, "at 2026-11-03 23:00", "電話"),
    # A deadline: the time said, and the task keeps 「までに」.
    ("明日の10時までに書類出す", NOW, "at 2026-11-04 10:00", "10:00までに書類出す"),
    ("明日の15時までには振込", NOW, "at 2026-11-04 15:00", "15:00までに振込"),
    ("金曜までに書類を出す", NOW, "at 2026-11-06 09:00", "11月6日(金)までに書類を出す"),
]


def _read(result: When | WhenAsk | WhenError | None) -> str:
    if isinstance(result, When) and result.at is not None:
        return f"at {result.at:%Y-%m-%d %H:%M}"
    if isinstance(result, WhenAsk):
        return f"{result.reason} {', '.join(f'{o:%Y-%m-%d %H:%M}' for o in result.options)}".strip()
    if isinstance(result, WhenError):
        return result.reason
    return repr(result)


def test_the_hours_table_has_its_rows():
    assert len(HOURS) >= 50


@pytest.mark.parametrize(("phrase", "now", "expected", "task"), HOURS, ids=[f"{r[0]}@{r[1]:%H%M}" for r in HOURS])
def test_hours(phrase, now, expected, task):
    result = parse_when(phrase, now)
    assert _read(result) == expected
    if task:
        assert result is not None and result.rest == task
