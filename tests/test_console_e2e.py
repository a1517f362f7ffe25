"""End to end through the console as a subprocess, exactly as the README and DESIGN.md describe it."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.conftest import ROOT


def run_console(db, user, lines, extra_env=None, args=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "BOT_"))}
    env.update(extra_env or {})
    cmd = [sys.executable, "-m", "bot", *(args or ["console", "--db", str(db), "--user", user])]
    data = "".join(line + "\n" for line in lines).encode("utf-8") if isinstance(lines, list) else lines
    return subprocess.run(cmd, input=data, capture_output=True, cwd=ROOT, env=env, timeout=60)


def test_choices_are_numbered_and_answerable_by_number_or_label(tmp_path):
    out = run_console(tmp_path / "c.db", "alice", ["ログインできない", "2"])
    text = out.stdout.decode()
    assert out.returncode == 0, out.stderr.decode()
    assert "1) ログインできない" in text and "3) わたしの状況" in text
    assert re.search(r"^1\) カードをなくした・盗まれた$", text, re.M)
    assert "【暗証番号を忘れた】" in text
    out = run_console(tmp_path / "c2.db", "bob", ["ログインできない", "暗証番号を忘れた"])
    assert "【暗証番号を忘れた】" in out.stdout.decode()


def test_two_processes_continue_one_conversation(tmp_path):
    db = tmp_path / "shared.db"
    first = run_console(db, "carol", ["ログインできない", "その他・わからない"])
    assert first.returncode == 0
    assert "何と表示されていますか" in first.stdout.decode()
    second = run_console(db, "carol", ["1"])
    text = second.stdout.decode()
    assert second.returncode == 0
    assert "前回の続きです" in text and "公式サービスではありません。\nカード番号" not in text
    assert "【メンテナンス中】" in text  # "1" answered the question the first process asked
    # Another user of the same database starts fresh.
    other = run_console(db, "dave", ["1"])
    assert "【" not in other.stdout.decode() and "ログインできない" in other.stdout.decode()


def test_bad_input_never_crashes(tmp_path):
    lines = ["", "x" * 10_000, "\x01\x02\x1b[2J", "🙏🙏", "99", "ログインできない", "0", "-1"]
    out = run_console(tmp_path / "bad.db", "eve", lines)
    text = out.stdout.decode()
    assert out.returncode == 0 and b"Traceback" not in out.stderr
    assert "メッセージが空のようです" in text
    assert text.count("うまく読み取れませんでした") >= 2
    assert "その番号の選択肢はありません" in text


def test_undecodable_bytes_and_eof_without_newline(tmp_path):
    out = run_console(tmp_path / "bytes.db", "frank", b"\xff\xfe\x80garbled\nhelp")
    assert out.returncode == 0 and b"Traceback" not in out.stderr
    assert "このボットでできること" in out.stdout.decode()


def test_database_folder_is_created(tmp_path):
    db = tmp_path / "new" / "deeper" / "bot.db"
    out = run_console(db, "gina", ["ヘルプ"])
    assert out.returncode == 0 and db.exists()


def test_unusable_database_path_is_one_line_and_nonzero(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    out = run_console(blocker / "bot.db", "hana", ["ヘルプ"])
    err = out.stderr.decode().strip()
    assert out.returncode != 0 and "Traceback" not in err
    assert len(err.splitlines()) == 1 and "BOT_DB_PATH" in err


def test_run_without_platforms_starts_the_console(tmp_path):
    out = run_console(None, "", ["ヘルプ"], {"BOT_DB_PATH": str(tmp_path / "run.db")}, args=["run"])
    assert out.returncode == 0, out.stderr.decode()
    assert "このボットでできること" in out.stdout.decode()


def test_bad_setting_is_one_clear_line(tmp_path):
    for env, name in (
        ({"BOT_TIMEZONE": "Mars/Olympus"}, "BOT_TIMEZONE"),
        ({"BOT_PORT": "eighty"}, "BOT_PORT"),
        ({"LINE_CHANNEL_SECRET": "s3cr3t-value"}, "LINE_CHANNEL_ACCESS_TOKEN"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ):
        env["BOT_DB_PATH"] = str(tmp_path / "x.db")
        out = run_console(None, "", ["ヘルプ"], env, args=["run"])
        err = out.stderr.decode().strip()
        assert out.returncode == 2, err
        assert len(err.splitlines()) == 1 and name in err and "Traceback" not in err
        assert "s3cr3t-value" not in err
