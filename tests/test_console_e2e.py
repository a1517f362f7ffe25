"""End to end through the console as a subprocess, exactly as the README and DESIGN.md describe it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from tests.conftest import ROOT


def run_console(db, user, lines, extra_env=None, args=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "BOT_"))}
    # These tests pin one lender's wording and numbers; the lender question has its own tests.
    env.update({"BOT_LENDERS": "promise", **(extra_env or {})})
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


def test_start_says_how_to_quit_and_piped_input_gets_no_prompt(tmp_path):
    out = run_console(tmp_path / "q.db", "quinn", ["ヘルプ"])
    text = out.stdout.decode()
    assert out.returncode == 0 and b"Traceback" not in out.stderr
    assert text.splitlines()[0] == "終わるときは Ctrl+D を押してください。次に開いたときは、続きから始まります。"
    assert "> " not in text  # a pipe is not a person at a terminal


def test_a_terminal_gets_a_prompt_before_each_line(service):
    import asyncio
    import io

    from bot.adapters.console import ConsoleChat

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stdout = io.StringIO()
    asyncio.run(ConsoleChat(service, "tty").run(Terminal("ログインできない\n1\n"), stdout))
    text = stdout.getvalue()
    assert text.count("\n> ") == 3 and text.endswith("> \n")  # before each line and at EOF
    assert re.search(r"^1\) カードをなくした・盗まれた$", text, re.M)
    assert "終わるときは Ctrl+D" in text.splitlines()[0]


def test_two_processes_continue_one_conversation(tmp_path):
    db = tmp_path / "shared.db"
    first = run_console(db, "carol", ["ログインできない", "その他・わからない"])
    assert first.returncode == 0
    assert "何と表示されていますか" in first.stdout.decode()
    second = run_console(db, "carol", ["1"])
    text = second.stdout.decode()
    assert second.returncode == 0
    assert "前回の続きから" in text and "カード番号・暗証番号・ログインID・パスワードは" not in text
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


def _plan_console_reminder(db, user, at, what):
    from bot.core.dialogue.messages import SaveReminder
    from bot.delivery.planner import Planner
    from storage import Store, open_database

    store = Store(open_database(str(db)))
    uid = store.ensure_user("console", user, datetime.now(UTC))
    fields = {"tz": "Asia/Tokyo", "at": at.isoformat(), "what": what}
    with store.transaction():
        Planner(store.reminders).save(uid, "console", user, SaveReminder("free", fields), datetime.now(UTC))
    store.db.close()


def test_reminders_arrive_in_a_running_console_and_can_be_answered(tmp_path):
    import queue
    import threading
    import time

    db = tmp_path / "rem.db"
    _plan_console_reminder(db, "ivy", datetime.now(UTC) - timedelta(hours=1), "書類を探す")
    _plan_console_reminder(db, "ivy", datetime.now(UTC) + timedelta(seconds=3), "プロミスコールに電話")
    _plan_console_reminder(db, "someone", datetime.now(UTC) - timedelta(minutes=1), "他人の予定")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "BOT_"))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--db", str(db), "--user", "ivy"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(raw.decode()) for raw in proc.stdout], daemon=True).start()
    seen: list[str] = []

    def wait_for(needle, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=0.2))
            except queue.Empty:
                continue
            if needle in seen[-1]:
                return
        raise AssertionError(f"{needle!r} not printed; got:\n{''.join(seen)}")

    try:
        wait_for("（遅れてのお知らせです）")  # fell due while nothing ran: printed at start
        wait_for("書類を探す")
        wait_for("プロミスコールに電話")  # falls due while the console runs
        wait_for("4) このお知らせを止める")
        proc.stdin.write(b"3\n")  # 3) 完了した, answered by number
        proc.stdin.flush()
        wait_for("完了にしました")
    finally:
        proc.stdin.close()
        proc.wait(timeout=20)
    assert proc.returncode == 0
    text = "".join(seen)
    assert "他人の予定" not in text
    assert text.count("プロミスコールに電話") == 1
