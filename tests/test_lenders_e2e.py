"""Every lender through the console, as an operator runs it (BOT_LENDERS empty: all of them)."""

from __future__ import annotations

from tests.test_console_e2e import run_console


def test_each_lender_named_gets_its_own_numbers_through_the_console(tmp_path):
    out = run_console(tmp_path / "l.db", "kei", ["アコムにログインできない", "暗証番号を忘れた"], {"BOT_LENDERS": ""})
    text = out.stdout.decode()
    assert out.returncode == 0, out.stderr.decode()
    assert "0120-629-215" in text and "0120-24-0365" not in text
    out = run_console(tmp_path / "l.db", "kei", ["レイクのカードなくした"], {"BOT_LENDERS": ""})
    text = out.stdout.decode()
    # The console first replays where the last session stopped (Acom's result); Lake's answer follows.
    lake = text[text.rindex("【カードの紛失・盗難】") :]
    assert "0120-09-09-09" in lake and "0120-629-215" not in lake


def test_the_lender_is_asked_once_through_the_console(tmp_path):
    out = run_console(tmp_path / "a.db", "ami", ["暗証番号を忘れた", "アコム"], {"BOT_LENDERS": ""})
    text = out.stdout.decode()
    assert "どちらの会社" in text and "6) その他" in text and "0120-629-215" in text


def test_a_bad_bot_lenders_is_one_line(tmp_path):
    out = run_console(tmp_path / "b.db", "bo", ["ヘルプ"], {"BOT_LENDERS": "promise,acme"})
    err = out.stderr.decode().strip()
    assert out.returncode != 0 and "Traceback" not in err
    assert len(err.splitlines()) == 1 and "BOT_LENDERS" in err


def test_a_lender_named_alone_in_the_middle_of_a_question_keeps_the_question(tmp_path):
    out = run_console(tmp_path / "n.db", "nao", ["ログインできない", "アコム"], {"BOT_LENDERS": ""})
    text = out.stdout.decode()
    tail = text[text.rindex("アコムですね") :]
    assert "今の状況にいちばん近いもの" in tail
    assert "うまく読み取れませんでした" not in tail and "続きに戻りますね" not in tail


def test_a_repayment_day_typed_instead_of_the_lender_is_kept_for_the_set_up(tmp_path):
    out = run_console(tmp_path / "r.db", "rio", ["返済日リマインダー", "27日", "1"], {"BOT_LENDERS": ""})
    text = out.stdout.decode()
    # Asked once; the day typed instead goes on with the set-up (the company is not asked again).
    assert text.count("どちらの会社") == 1
    tail = text[text.rindex("どちらの会社") :]
    assert "返済日は毎月27日" in tail and "何をお知らせしますか" not in text and "設定しました" in tail


def test_a_lender_question_left_unanswered_is_not_asked_again(tmp_path):
    turns = ["返済日のお知らせ設定したい", "月末", "前日と当日", "はい", "カードなくした"]
    out = run_console(tmp_path / "s.db", "sho", turns, {"BOT_LENDERS": ""})
    text = out.stdout.decode()
    assert text.count("どちらの会社") == 1 and "設定しました" in text
    assert "【カードの紛失・盗難】" in text  # the general advice answers meanwhile
