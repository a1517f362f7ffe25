"""「状況」 offers to correct each recorded fact; a correction is recorded (and kept in the history)."""

from __future__ import annotations

from bot.adapters.console import ConsoleChat
from bot.core.dialogue.actions import FactEdit, decode, encode


def test_fact_edit_round_trips_on_the_wire():
    for action in (FactEdit("ask", "due_day"), FactEdit("set", "reminder_time", "09:00"), FactEdit("del")):
        assert decode(encode(action)) == action
    assert decode("f:drop:due_day:") is None and decode("f:set:Bad-Name:1") is None


def test_status_offers_a_fix_for_each_fact_and_records_it(service):
    chat = ConsoleChat(service, "fixer")
    chat.say("ロックされた")
    chat.say("カードを落とした")
    status = chat.say("状況")
    for label in ("原因の記録を修正", "カードの記録を修正", "記録をひとつ消す", "メニューに戻る"):
        assert f") {label}" in status, label
    chat.say("原因の記録を修正")
    assert "「考えられる原因」を「暗証番号を忘れた」に修正しました" in chat.say("暗証番号を忘れた")
    uid = service.store.find_user("console", "fixer")
    assert service.store.load_situation(uid)["cause"] == "forgot_pin"
    assert [h["value"] for h in service.store.situation_history(uid) if h["field"] == "cause"][-1] == "forgot_pin"


def test_a_fact_can_be_deleted_and_the_history_keeps_the_change(service):
    chat = ConsoleChat(service, "deleter")
    chat.say("カードを落とした")
    chat.say("状況")
    which = chat.say("記録をひとつ消す")
    assert "消したい記録を選んでください" in which
    assert "「カードの紛失・盗難」の記録を消しました" in chat.say("カードの紛失・盗難")
    uid = service.store.find_user("console", "deleter")
    assert "card_lost" not in service.store.load_situation(uid)
    assert service.store.situation_history(uid)[-1]["value"] is None
    assert "状況の変更の記録" in chat.say("データ確認")
    assert "カードの紛失・盗難：（消去）" in chat.say("すべて見る")


def test_repayment_day_leads_into_the_reminder_when_there_is_one(service):
    chat = ConsoleChat(service, "payer")
    chat.say("返済日は25日")
    chat.say("はい")
    chat.say("状況")
    assert "返済日（約定日）はいつですか" in chat.say("返済日の記録を修正")
    chat = ConsoleChat(service, "nopayer")
    chat.say("ロックされた")
    service.store.record_facts(service.store.find_user("console", "nopayer"), {"due_day": 5}, service.clock())
    chat.say("状況")
    chat.say("返済日の記録を修正")
    assert "「返済日」を「末日」に修正しました" in chat.say("末日")
    assert service.store.load_situation(service.store.find_user("console", "nopayer"))["due_day"] == 31
