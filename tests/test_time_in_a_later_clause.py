"""The day in one clause and its time of day in a later one is one moment, the words between its task."""

from datetime import UTC, datetime

import pytest

from bot.core.dates.jptime import When, parse_when

NOW = datetime(2026, 12, 4, 21, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "day", "hour"),
    [
        ("あさって日曜に自動契約機行く予定。朝イチで", 6, 9),
        ("明日は病院。10時に", 5, 10),
        ("月曜に病院行くから、前の日の夜9時", 6, 21),
    ],
)
def test_day_then_words_then_time(text, day, hour):
    read = parse_when(text, NOW)
    assert isinstance(read, When) and read.at is not None
    assert (read.at.day, read.at.hour) == (day, hour)


@pytest.mark.parametrize("text", ["明日、10時夜", "10時に行く。明日の朝"])
def test_a_phrase_half_read_is_still_asked_about(text):
    assert not isinstance(parse_when(text, NOW), When)


def test_the_task_keeps_no_particle_the_time_left(friday_talk):
    (answer,) = friday_talk("明日は病院。10時に教えて")
    assert "10:00に「病院」" in answer


def test_a_doing_before_the_day_before_reads_as_its_day(friday_talk):
    (answer,) = friday_talk("月曜に病院行くから、前の日の夜9時にリマインドお願い")
    assert "12月6日(日) 21:00" in answer and "「病院行く日の前日」" in answer
