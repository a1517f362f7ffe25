"""Run fresh multi-turn scenarios through the console chat, as a user would, for a judge to read.

``python -m bench.scenarios IN.jsonl OUT.jsonl [FIRST LAST]`` reads scenarios (one JSON object per line:
``id``, ``category``, ``turns``, ``expect``; see ``tests/fixtures/scenarios/README.md``) and writes one
transcript per scenario: ``{id, category, greeting, turns: [{user, bot}], expect}``. Each scenario gets a
fresh bot with its own SQLite file and every lender served; the clock starts on Friday 2026-12-04 at
21:30 in Japan (the moment the scenarios are written for) and moves 30 seconds at each reading, so a
transcript does not depend on the day it is run. Judging is by people (or helpers) who read them.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

FRIDAY_EVENING = datetime(2026, 12, 4, 12, 30, tzinfo=UTC)


def ticking_clock(start: datetime) -> Callable[[], datetime]:
    """A clock that starts at ``start`` and moves 30 seconds at each reading."""
    moment = [start]

    def tick() -> datetime:
        moment[0] += timedelta(seconds=30)
        return moment[0]

    return tick


def transcript(scenario: dict[str, Any], folder: Path) -> dict[str, Any]:
    """One scenario talked through a fresh console chat: its greeting and each turn's answer."""
    from bot.adapters.console import ConsoleChat
    from bot.app import build_app
    from bot.settings import load_settings

    os.environ["BOT_LENDERS"] = ""  # every lender served, as in production
    app = build_app(load_settings(dotenv=None), db_path=str(folder / f"{scenario['id']}.db"))
    app.service.clock = ticking_clock(FRIDAY_EVENING)
    chat = ConsoleChat(app.service, "user")
    greeting = chat.greet()
    turns = [{"user": said, "bot": chat.say(said)} for said in scenario["turns"]]
    return {
        "id": scenario["id"],
        "category": scenario.get("category"),
        "greeting": greeting,
        "turns": turns,
        "expect": scenario.get("expect"),
    }


def run(scenarios: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The transcripts of ``scenarios``, in order (each with a database of its own, removed after)."""
    with tempfile.TemporaryDirectory() as folder:
        return [transcript(s, Path(folder)) for s in scenarios]


def main(argv: list[str]) -> None:
    """Read IN, write OUT (optionally only the lines FIRST..LAST-1)."""
    source, target = Path(argv[0]), Path(argv[1])
    first, last = (int(argv[2]), int(argv[3])) if len(argv) > 3 else (0, None)
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    written = run(rows[first:last])
    target.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in written), encoding="utf-8")
    print(f"{len(written)} transcripts written to {target}")


if __name__ == "__main__":
    import logging

    logging.disable(logging.CRITICAL)  # the transcripts are the output; the bot's own log is not
    main(sys.argv[1:])
