"""One time of a repeating reminder skipped in the person's words (「今週だけなしで」 「明日だけ…お休み」),
with the time that is skipped said back."""

import pytest


@pytest.mark.parametrize(
    ("setup", "said", "skipped"),
    [
        ("毎週水曜の19時にゴミ出しって教えて", "ゴミ出し今週だけなしで", "12月9日(水) 19:00の「ゴミ出し」は止めました"),
        ("毎朝7時に薬", "明日だけ薬のやつお休みで", "12月5日(土) 7:00の「薬」は止めました"),
    ],
)
def test_one_time_skipped_in_words(friday_talk, setup, said, skipped):
    *_, answer, listed = friday_talk(setup, "はい", said, "リマインダー")
    assert skipped in answer
    assert skipped.split("の「")[0] not in listed  # the next time listed is the one after
