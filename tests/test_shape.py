"""The code keeps its shape: no function in ``bot/`` too branchy, no class too long, no core module too long.

Limits: cyclomatic complexity at most :data:`MAX_COMPLEXITY` for every function and method in
``bot/``, at most :data:`MAX_CLASS_LINES` lines for every class, at most :data:`MAX_CORE_MODULE_LINES`
lines for every module of ``bot/core``. A function past the limit is split into named steps, a class
into collaborators, a module into modules, rather than the limit raised.

The complexity is McCabe's, counted as radon counts it (``radon cc``), from the standard library's
``ast`` alone, so that no tool beyond the test dependencies is needed: 1, plus one for each ``if`` and
``elif``, conditional expression, loop (and its ``else``), ``except`` handler (and a ``try``'s
``else``), comprehension ``for`` and its ``if``s, ``match`` case (a catch-all ``case _`` not counted), and
each ``and``/``or`` operand after the first; an ``assert`` adds one, whatever its condition holds.
``with`` adds nothing. A nested function or class is measured on its own, not as part of the function
around it. On this code base the figures are radon's, function for function.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

MAX_COMPLEXITY = 15
MAX_CLASS_LINES = 300
MAX_CORE_MODULE_LINES = 400

BOT = ROOT / "bot"
CORE = BOT / "core"
Function = ast.FunctionDef | ast.AsyncFunctionDef
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _branches(node: ast.AST) -> int:
    """The decision points one node adds (its children are counted on their own)."""
    if isinstance(node, ast.If | ast.IfExp):
        return 1
    if isinstance(node, ast.For | ast.AsyncFor | ast.While):
        return 1 + bool(node.orelse)
    if isinstance(node, ast.Try | ast.TryStar):
        return len(node.handlers) + bool(node.orelse)
    if isinstance(node, ast.BoolOp):
        return len(node.values) - 1
    if isinstance(node, ast.comprehension):
        return 1 + len(node.ifs)
    if isinstance(node, ast.Match):
        # A catch-all case (`case _`, or a bare name) is the match's "else", as radon counts it.
        wildcard = any(isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None for case in node.cases)
        return max(0, len(node.cases) - wildcard)
    return 0


def complexity(function: Function) -> int:
    """The cyclomatic complexity of one function's body, its nested functions and classes left out."""
    figure = 1
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, _NESTED):
            continue  # measured on its own
        if isinstance(node, ast.Assert):
            figure += 1
            continue  # as radon counts it: once, whatever the condition holds
        figure += _branches(node)
        pending.extend(ast.iter_child_nodes(node))
    return figure


def _definitions(body: list[ast.stmt], prefix: str = "") -> list[tuple[str, ast.AST]]:
    """Every function and class defined in ``body``, at any depth, with its dotted name, in line order."""
    found: list[tuple[str, ast.AST]] = []
    pending: list[tuple[str, ast.AST]] = [(prefix, node) for node in body]
    while pending:
        outer, node = pending.pop()
        if isinstance(node, _NESTED):
            name = f"{outer}{node.name}"
            found.append((name, node))
            pending.extend((f"{name}.", child) for child in ast.iter_child_nodes(node))
        else:
            pending.extend((outer, child) for child in ast.iter_child_nodes(node))
    return sorted(found, key=lambda named: getattr(named[1], "lineno", 0))


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _lines(node: ast.ClassDef) -> int:
    """Lines from a class's ``class`` line (decorators aside) to its last line."""
    return (node.end_lineno or node.lineno) - node.lineno + 1


def too_complex(folder: Path, limit: int = MAX_COMPLEXITY, root: Path = ROOT) -> list[str]:
    """Each function or method under ``folder`` over ``limit``: where, its name and its figure."""
    return [
        f"{path.relative_to(root)}:{node.lineno} {name} has complexity {figure} (limit {limit})"
        for path in _modules(folder)
        for name, node in _definitions(_parsed(path).body)
        if isinstance(node, Function) and (figure := complexity(node)) > limit
    ]


def too_long_classes(folder: Path, limit: int = MAX_CLASS_LINES, root: Path = ROOT) -> list[str]:
    """Each class under ``folder`` longer than ``limit`` lines: where, its name and its length."""
    return [
        f"{path.relative_to(root)}:{node.lineno} class {name} is {length} lines long (limit {limit})"
        for path in _modules(folder)
        for name, node in _definitions(_parsed(path).body)
        if isinstance(node, ast.ClassDef) and (length := _lines(node)) > limit
    ]


def too_long_modules(folder: Path, limit: int = MAX_CORE_MODULE_LINES, root: Path = ROOT) -> list[str]:
    """Each module under ``folder`` longer than ``limit`` lines: which and its length."""
    return [
        f"{path.relative_to(root)} is {length} lines long (limit {limit})"
        for path in _modules(folder)
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > limit
    ]


def test_no_function_in_bot_is_over_the_complexity_limit() -> None:
    over = too_complex(BOT)
    assert not over, "split these into smaller, named steps:\n" + "\n".join(over)


def test_no_class_in_bot_is_over_the_length_limit() -> None:
    over = too_long_classes(BOT)
    assert not over, "give these classes collaborators:\n" + "\n".join(over)


def test_no_core_module_is_over_the_length_limit() -> None:
    over = too_long_modules(CORE)
    assert not over, "split these modules:\n" + "\n".join(over)


# ------------------------------------------------------------------------------ the counter itself

SAMPLE = '''
def sample(items, flag, other):
    """Every construct that counts once or more, and some that do not."""
    with open("x") as f:  # with: nothing
        pass
    if flag and other or not items:  # if 1, and/or 2
        pass
    elif flag:  # elif 1
        pass
    x = 1 if flag else 2  # conditional expression 1
    for item in items:  # loop 1, its else 1
        pass
    else:
        pass
    while flag:  # loop 1
        break
    try:  # two handlers 2, else 1
        pass
    except ValueError:
        pass
    except KeyError:
        pass
    else:
        pass
    finally:
        pass
    assert items and flag  # assert 1, whatever it holds
    squares = [i * i for i in items if i if i > 2]  # for 1, two ifs 2
    match x:  # two cases 2, the wildcard nothing
        case 1:
            pass
        case 2:
            pass
        case _:
            pass

    def inner():  # measured on its own
        if flag:
            pass

    return lambda: 3 if squares else 4  # the lambda's conditional expression 1
'''


def test_the_counter_agrees_with_radon_on_every_construct() -> None:
    """19 is what ``radon cc -s`` (6.0.1) says of the sample; its inner function, 2."""
    tree = ast.parse(SAMPLE)
    figures = {name: complexity(node) for name, node in _definitions(tree.body) if isinstance(node, Function)}
    assert figures == {"sample": 19, "sample.inner": 2}


def test_each_failure_names_the_offender_and_its_figure(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    branches = "".join(f"        if x == {i}:\n            return {i}\n" for i in range(16))
    (package / "door.py").write_text(f"class Door:\n    def webhook(self, x):\n{branches}", encoding="utf-8")
    assert too_complex(package, root=tmp_path) == ["pkg/door.py:2 Door.webhook has complexity 17 (limit 15)"]
    assert too_long_classes(package, 30, tmp_path) == ["pkg/door.py:1 class Door is 34 lines long (limit 30)"]
    assert too_long_modules(package, 30, tmp_path) == ["pkg/door.py is 34 lines long (limit 30)"]
