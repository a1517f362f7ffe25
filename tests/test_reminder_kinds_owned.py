"""Each reminder kind is one strategy: no module outside ``bot/core/reminders/kinds/`` names a kind.

A kind's name written as a string anywhere else (``kind == "repay"``, a table keyed by kind names)
is behaviour that belongs to the kind's own module. The scan reads every string constant of
``bot/`` (the kinds folder aside) and fails on one that is a registered kind's name, except the
few listed below, each with why it is not a kind.
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot.core.reminders.kinds.registry import all_kinds

ROOT = Path(__file__).resolve().parent.parent
KINDS_DIR = ROOT / "bot" / "core" / "reminders" / "kinds"
# Words that happen to be spelled like a kind, and are not one.
NOT_A_KIND = {
    ("bot/adapters/discord_commands.py", "repay"): "the Discord slash command /remind repay (users type it)",
    ("bot/adapters/discord_commands.py", "visit"): "the Discord slash command /remind visit",
    ("bot/adapters/discord_commands.py", "free"): "the Discord slash command /remind free",
    ("bot/core/dates/jptime.py", "repeat"): "why a time phrase needs a question (「毎週」 alone)",
    ("bot/core/dates/jptime_rules.py", "repeat"): "the rule that reads 「毎週」 alone",
    ("bot/core/dates/phrases.py", "repeat"): "the reasons a time phrase may need a question",
    ("bot/core/reminders/when_menu.py", "repeat"): "the question asked for 「毎週」 alone",
}
# ``detect(..., stage="repay")``: the conversation names whose reading of a sentence runs (the
# dialog hands the stage to that kind); the keyword, not a test of a kind.
STAGE_KEYWORD = "stage"


def _kind_names() -> set[str]:
    return {k.name for k in all_kinds()}


def _named(tree: ast.AST, names: set[str]) -> list[tuple[int, str]]:
    allowed = {
        id(kw.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == STAGE_KEYWORD
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in names and id(node) not in allowed
    ]


def _sources() -> list[Path]:
    return [p for p in sorted((ROOT / "bot").rglob("*.py")) if KINDS_DIR not in p.parents]


def test_no_module_outside_the_kinds_names_a_kind():
    names = _kind_names()
    found = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        for line, value in _named(ast.parse(path.read_text(encoding="utf-8")), names):
            if (rel, value) not in NOT_A_KIND:
                found.append(f"{rel}:{line} names the kind {value!r}")
    assert not found, "a kind's behaviour belongs to its strategy in bot/core/reminders/kinds/:\n" + "\n".join(found)


def test_every_exception_is_still_needed():
    names = _kind_names()
    present = {
        (path.relative_to(ROOT).as_posix(), value)
        for path in _sources()
        for _line, value in _named(ast.parse(path.read_text(encoding="utf-8")), names)
    }
    assert set(NOT_A_KIND) <= present, sorted(set(NOT_A_KIND) - present)


def test_the_scan_sees_a_kind_named_outside(tmp_path):
    name = next(iter(_kind_names()))
    tree = ast.parse(f"if view.kind == {name!r}:\n    pass\ndetect(out, text, stage={name!r})\n")
    assert _named(tree, {name}) == [(1, name)]


def test_the_four_kinds_are_registered_in_their_order():
    assert [k.name for k in all_kinds()] == ["repay", "visit", "free", "repeat"]


def test_the_registry_read_from_several_threads_at_once_is_never_half_read():
    from concurrent.futures import ThreadPoolExecutor

    from bot.core.reminders.kinds import registry

    registry.reset()
    with ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(lambda _: sorted(k.name for k in registry.all_kinds()), range(32)))
    assert all(names == sorted(_kind_names()) for names in seen)
