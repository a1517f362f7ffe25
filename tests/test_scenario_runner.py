"""The scenario runner talks each scenario through a fresh console chat on the scenarios' clock."""

from __future__ import annotations

import json

from bench import scenarios


def test_each_scenario_is_talked_through_a_fresh_bot_on_friday_evening(tmp_path):
    source = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "category": "reminders", "turns": ["明日の10時に電話", "はい"], "expect": ["", ""]},
        {"id": "b", "category": "situation", "turns": ["リマインダー"], "expect": [""]},
    ]
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    target = tmp_path / "out.jsonl"
    scenarios.main([str(source), str(target)])
    first, second = (json.loads(line) for line in target.read_text(encoding="utf-8").splitlines())
    assert [t["user"] for t in first["turns"]] == ["明日の10時に電話", "はい"]
    assert "12月5日(土) 10:00" in first["turns"][0]["bot"]  # the clock is Friday 2026-12-04 21:30
    assert "設定しました" in first["turns"][1]["bot"]
    assert "設定中のお知らせはありません" in second["turns"][0]["bot"]  # a fresh bot: nothing of a's
