"""The hour a clock phrase means, with the period word said before it (朝8時, 夜3時, 午後2時)."""

from __future__ import annotations

_PERIOD_DEFAULT = {"朝": 8, "朝一": 9, "朝イチ": 9, "昼": 12, "正午": 12, "お昼": 12, "夕方": 17, "夜": 20,
                   "晩": 20, "深夜": 23, "夜中": 23, "午前中": 9, "午後": 13}  # fmt: skip
# Period words typed in hiragana before a clock ("よる8じ"); alone they are too often part of other
# words (コンビニによる) to be read as a time.
_KANA_PERIODS = {"よなか": "夜中", "よる": "夜", "あさ": "朝", "おひる": "お昼", "ひる": "昼", "ゆうがた": "夕方",
                 "ごご": "午後", "ごぜん": "午前", "しんや": "深夜"}  # fmt: skip


# (periods, lowest hour, highest hour, shift, the next day): the first row that fits decides.
_HOUR_SHIFTS: tuple[tuple[frozenset[str], int, int, int, bool], ...] = (
    (frozenset({"夜", "晩", "深夜", "夜中"}), 12, 12, 12, True),  # 夜12時 = 24
    (frozenset({"深夜", "夜中"}), 0, 5, 24, True),  # 深夜1時: 1:00 of the next day
    # 夜3時 is the small hours after tonight, as 深夜3時 / 夜中の3時, not 15:00
    (frozenset({"夜", "晩"}), 1, 4, 24, True),
    (frozenset({"午後", "夕方", "夜", "晩", "深夜", "夜中", "PM", "pm"}), 0, 11, 12, False),
    (frozenset({"昼", "お昼"}), 1, 6, 12, False),
    (frozenset({"午前", "AM", "am"}), 12, 12, -12, False),
)


def hour_of(period: str | None, hour: int, suffix: str | None = None) -> int | None:
    """The 24-hour hour; 24 and more mean the next day (夜12時 = 24, 深夜1時 / 夜3時 = 25, 27)."""
    period = _KANA_PERIODS.get(period or "", period) or suffix or ""
    for periods, low, high, shift, next_day in _HOUR_SHIFTS:
        if period in periods and low <= hour <= high:
            if next_day:
                return hour + shift
            hour += shift
            break
    return hour if 0 <= hour <= 23 else None
