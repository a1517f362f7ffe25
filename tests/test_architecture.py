"""The core stays platform-free; the console path loads no platform SDK."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import ROOT

FORBIDDEN = ("linebot", "discord", "apscheduler", "sqlite_utils", "aiohttp", "storage", "bot.adapters", "bot.service")


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_core_imports_no_platform_storage_or_scheduler():
    files = sorted((ROOT / "bot" / "core").rglob("*.py"))
    assert files, "the core package is missing"
    bad = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert bad == []


def test_storage_imports_no_platform_sdk():
    bad = [
        f"{path.name} imports {name}"
        for path in sorted((ROOT / "storage").rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in {"linebot", "discord", "apscheduler", "aiohttp", "bot"}
    ]
    assert bad == []


def test_console_path_does_not_load_discord_or_line(tmp_path):
    code = (
        "import sys, io\n"
        "from bot.__main__ import main\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO('ヘルプ\\n'.encode()), encoding='utf-8')\n"
        f"rc = main(['console', '--db', {str(tmp_path / 'c.db')!r}, '--user', 'arch'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('discord', 'linebot'))\n"
        "print('LOADED', loaded, rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert "LOADED [] 0" in out.stdout, out.stdout + out.stderr


def test_doors_reach_storage_only_through_the_service():
    """No door imports storage or touches a store: nothing outside storage/ knows which adapter runs."""
    files = sorted((ROOT / "bot" / "adapters").rglob("*.py"))
    assert files
    bad = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in _imports(path)
        if name == "storage" or name.startswith("storage.") or name in ("sqlite_utils", "psycopg", "psycopg_pool")
    ]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bad += [
            f"{path.relative_to(ROOT)}:{node.lineno} uses .store"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "store"
        ]
    assert bad == []


def test_only_storage_knows_the_database_engine():
    """Outside storage/, no module names the PostgreSQL driver or sqlite-utils."""
    files = [p for p in sorted((ROOT / "bot").rglob("*.py"))]
    bad = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in _imports(path)
        if name.split(".")[0] in ("psycopg", "psycopg_pool", "sqlite_utils")
    ]
    assert bad == []
