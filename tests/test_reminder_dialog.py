"""Setting, confirming, listing, changing and acting on reminders through the real service."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.dialogue.actions import decode
from bot.core.dialogue.messages import Incoming, UserRef

ALICE = UserRef("console", "alice")
BOB = UserRef("console", "bob")


def say(service, text, user=ALICE):
    replies = service.handle(Incoming(user, text=text))
    return replies, "\n".join(r.text for r in replies)


def tap(service, value, user=ALICE):
    replies = service.handle(Incoming(user, choice=decode(value), stale=decode(value) is None))
    return replies, "\n".join(r.text for r in replies)


def reminders(service, user=ALICE):
    uid = service.store.find_user(user.platform, user.user_id)
    return service.store.reminders.for_user(uid) if uid else []


def pending(service):
    return [r for r in service.store.reminders.outbox_rows() if r["status"] == "pending"]


def test_repayment_day_is_repeated_back_with_the_moved_date_before_saving(service, clock):
    clock.now = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # Monday 12:00 in Tokyo
    replies, body = say(service, "返済日は5日です")
    assert "毎月5日" in body and "3日前と当日、9:00" in body
    assert "12月5日は土曜日のため、返済日は12月7日(月)になります" in body
    assert "次のお知らせ：12月4日(金) 9:00" in body
    assert reminders(service) == []  # nothing saved before the user agrees
    replies, body = say(service, "はい")
    assert "「リマインダー」から" in body and "取り消し" in body
    [rem] = reminders(service)
    assert (rem["kind"], rem["due_day"], rem["days_before"], rem["time_of_day"]) == ("repay", 5, 3, "09:00")
    [row] = pending(service)
    assert (row["slot"], row["due_at"], row["real_due"]) == ("before", "2026-12-04T00:00:00+00:00", "2026-12-07")
    uid = service.store.find_user("console", "alice")
    assert service.store.load_situation(uid)["due_day"] == 5


def test_days_before_and_time_can_be_changed_before_saving(service):
    say(service, "返済日は末日")
    _, body = say(service, "日数を変える")
    assert "何日前" in body
    _, body = say(service, "4")  # a typed number is the numbered choice shown: 4) 5日前
    assert "5日前と当日" in body
    say(service, "時刻を変える")
    _, body = say(service, "夜8時")
    assert "当日、20:00" in body
    say(service, "1")
    [rem] = reminders(service)
    assert (rem["due_day"], rem["days_before"], rem["time_of_day"]) == (31, 5, "20:00")


def test_a_second_due_day_replaces_the_first(service):
    say(service, "返済日は25日")
    say(service, "はい")
    say(service, "毎月15日に返済")
    say(service, "はい")
    [rem] = reminders(service)
    assert rem["due_day"] == 15
    assert len(pending(service)) == 1


def test_visit_reminder_after_a_lock_warns_outside_machine_hours(service, clock):
    say(service, "ロックされた")
    replies, body = say(service, "来店リマインダーを設定")
    assert "いつ行く予定" in body and replies[-1].ask == "datetime"
    _, body = say(service, "明日の22時")
    assert "自動契約機へ行く予定ですね" in body and "9:00〜21:00" in body
    _, body = say(service, "日時を変える")
    _, body = say(service, "明日の18時")
    assert "9:00〜21:00" not in body and "12月4日(金) 18:00" in body
    say(service, "はい、設定する")
    [rem] = reminders(service)
    assert (rem["kind"], rem["reason"]) == ("visit", "locked")
    assert rem["at"] == "2026-12-04T09:00:00+00:00"


def test_new_years_day_gets_a_warning(service, clock):
    clock.now = datetime(2026, 12, 30, 1, 0, tzinfo=UTC)
    say(service, "来店リマインダー")
    _, body = say(service, "1月1日 10時")
    assert "1月1日は、自動契約機がお休みです" in body


def test_unparseable_past_and_impossible_times_get_a_question(service):
    say(service, "来店リマインダー")
    _, body = say(service, "そのうち")
    assert "日時が決まりません" in body and "土曜の10時" in body
    _, body = say(service, "2月30日")
    assert "カレンダーにない" in body
    _, body = say(service, "今日の朝8時")
    assert "過ぎている" in body
    assert reminders(service) == []


def test_free_reminder_from_one_sentence(service):
    _, body = say(service, "明日の10時にプロミスコールに電話")
    assert "12月4日(金) 10:00に「プロミスコールに電話」をお知らせします" in body
    say(service, "はい")
    [rem] = reminders(service)
    assert (rem["kind"], rem["what"]) == ("free", "プロミスコールに電話")


def test_a_past_time_keeps_the_task_and_asks_only_for_a_new_time(service):
    _, body = say(service, "昨日の10時に電話するとリマインドして")
    assert "過ぎている" in body and reminders(service) == []
    _, body = say(service, "明日の15時")
    assert "12月4日(金) 15:00に「電話する」をお知らせします" in body
    say(service, "はい")
    [rem] = reminders(service)
    assert (rem["kind"], rem["what"]) == ("free", "電話する")


def test_a_time_with_a_request_for_a_reminder_keeps_the_time_and_asks_what(service):
    _, body = say(service, "15時にリマインドして")
    assert "12月3日(木) 15:00に、何をお知らせしますか" in body
    _, body = say(service, "書類を探す")
    assert "12月3日(木) 15:00に「書類を探す」をお知らせします" in body
    # A morning time already past today is proposed for tomorrow; the task is asked after the yes.
    _, body = say(service, "やめる")
    _, body = say(service, "朝8時にリマインドして")
    assert "明日の8:00にしますか" in body
    _, body = say(service, "はい")
    assert "12月4日(金) 8:00に、何をお知らせしますか" in body
    assert reminders(service) == []


def test_a_bare_hour_past_this_morning_offers_tonight_then_tomorrow(service, clock):
    clock.now = datetime(2026, 12, 3, 10, 25, tzinfo=UTC)  # Thursday 19:25 in Tokyo
    replies, body = say(service, "8時に電話")
    assert "8時は、今夜の20:00ですか？ 明日の朝8:00ですか？" in body
    assert [c.label for c in replies[-1].choices] == ["今夜の20:00", "明日の8:00", "やめる"]
    # Two moments were proposed: a yes alone does not say which, so the choices come again.
    replies, body = say(service, "はい")
    assert "どちらにしますか？ 下から選ぶか" in body and reminders(service) == []
    assert [c.label for c in replies[-1].choices] == ["今夜の20:00", "明日の8:00", "やめる"]
    _, body = say(service, "2")
    assert "12月4日(金) 8:00に「電話」をお知らせします" in body
    say(service, "はい")
    [rem] = reminders(service)
    assert rem["at"] == "2026-12-03T23:00:00+00:00"


def test_an_hour_from_one_to_six_is_asked_about_afternoon_first(service):
    replies, body = say(service, "明日2時に歯医者")
    assert "2時は、午後2時（14:00）のことですか？" in body and reminders(service) == []
    assert [c.label for c in replies[-1].choices] == ["明日の14:00", "明日の2:00", "やめる"]
    _, body = say(service, "1")
    assert "12月4日(金) 14:00に「歯医者」をお知らせします" in body
    # Alone, the hour is asked about first and the task after.
    say(service, "やめる")
    replies, body = say(service, "3時")
    assert "3時は、午後3時（15:00）のことですか？" in body
    assert [c.label for c in replies[-1].choices] == ["今日の15:00", "明日の3:00", "やめる"]
    _, body = say(service, "1")
    assert "12月3日(木) 15:00に、何をお知らせしますか" in body


def test_period_words_in_the_task_and_a_deadline_keep_the_time(service):
    _, body = say(service, "明日の10時に昼の会議")
    assert "12月4日(金) 10:00に「昼の会議」をお知らせします" in body
    say(service, "やめる")
    _, body = say(service, "明日の10時までに書類出す")
    assert "12月4日(金) 10:00に「10:00までに書類出す」をお知らせします" in body


def test_a_yes_or_no_is_not_taken_for_the_task(service):
    say(service, "リマインドして")
    _, body = say(service, "はい")
    assert "何をお知らせしましょうか" in body and "「はい」" not in body
    say(service, "明日の10時")
    _, body = say(service, "はい")
    assert "何をお知らせしますか" in body and "「はい」" not in body
    _, body = say(service, "いいえ")
    assert "やめました" in body
    say(service, "はい")
    assert reminders(service) == []


def test_list_change_and_cancel(service):
    say(service, "返済日は25日")
    say(service, "はい")
    say(service, "3日後の15時に書類を探す")
    say(service, "はい")
    _, body = say(service, "リマインダー一覧")
    assert "・返済日（毎月25日" in body and "・書類を探す 12月6日(日) 15:00" in body
    _, body = say(service, "2")
    assert "書類を探す" in body
    _, body = say(service, "日時を変える")
    _, body = say(service, "12/8 19:00")
    assert "12月8日(火) 19:00に「書類を探す」" in body
    say(service, "はい")
    free = [r for r in reminders(service) if r["kind"] == "free"]
    assert len(free) == 1 and free[0]["at"] == "2026-12-08T10:00:00+00:00"
    say(service, "リマインダー一覧")
    say(service, "2")
    _, body = say(service, "取り消す")
    assert "取り消しました" in body
    assert [r["kind"] for r in reminders(service)] == ["repay"]
    assert all(r["reminder_id"] != free[0]["id"] for r in pending(service))


def test_only_the_owner_can_act_on_a_reminder(service):
    say(service, "明日の10時に電話する")
    say(service, "はい")
    [rem] = reminders(service)
    for verb in ("cancel", "done", "s1h", "open", "change"):
        _, body = tap(service, f"r:{verb}:{rem['id']}", user=BOB)
        _, missing = tap(service, "r:cancel:999999", user=BOB)
        assert body.splitlines()[-1] == missing.splitlines()[-1]  # same answer as for a missing one
        assert "見つかりませんでした" in body
    assert reminders(service)[0]["status"] == "active"
    assert len(pending(service)) == 1


def test_snooze_and_done_from_the_reminder_buttons(service, clock):
    say(service, "来店リマインダー")
    say(service, "明日の10時")
    say(service, "はい")
    [rem] = reminders(service)
    _, body = tap(service, f"r:s1h:{rem['id']}")
    assert "12月3日(木) 11:00にもう一度" in body
    _, body = tap(service, f"r:s1d:{rem['id']}")
    assert "12月4日(金) 10:00にもう一度" in body
    slots = sorted(r["slot"] for r in pending(service))
    # The evening before, the visit itself, and one snooze (tomorrow 10:00 is the visit's own send: once).
    assert slots == ["eve", "once", "snooze"]
    _, body = tap(service, f"r:done:{rem['id']}")
    assert "記録しました" in body
    assert reminders(service) == []
    assert pending(service) == []
    uid = service.store.find_user("console", "alice")
    assert service.store.load_situation(uid)["visit_done_at"] == clock.now.isoformat(timespec="seconds")


def test_a_repay_day_picked_while_changing_a_visit_does_not_turn_the_visit_into_a_repayment(service):
    say(service, "来店リマインダー")
    say(service, "明日の10時")
    say(service, "はい")
    [visit] = reminders(service)
    tap(service, f"r:change:{visit['id']}")
    _, body = tap(service, "rd:15")
    assert "毎月15日" in body
    say(service, "はい")
    kinds = sorted(r["kind"] for r in reminders(service))
    assert kinds == ["repay", "visit"]
    assert [r for r in reminders(service) if r["kind"] == "visit"][0]["at"] == visit["at"]


def test_old_buttons_from_another_set_up_are_stale_not_errors(service):
    say(service, "返済リマインダー")  # asking for the day
    _, body = tap(service, "rb:3")
    assert "古くなっている" in body
    say(service, "来店リマインダー")  # asking when
    _, body = tap(service, "rb:3")
    assert "古くなっている" in body
    say(service, "返済日は25日")  # confirming a repayment
    _, body = tap(service, "rt:2026-12-10T10:00:00+09:00")
    assert "古くなっている" in body


def test_commands_and_quit_always_get_out_of_a_question(service):
    say(service, "返済日は25日")
    say(service, "日数を変える")
    _, body = say(service, "メニュー")
    assert "何をお手伝いしましょうか" in body
    say(service, "返済日は25日")
    say(service, "時刻を変える")
    _, body = say(service, "ごはんのあとで")  # no time of day in it
    assert "読み取れませんでした" in body
    _, body = say(service, "1")  # the numbered choice shown: 1) やめる
    assert "やめました" in body
    assert reminders(service) == []


def test_a_leftover_date_picker_is_stale(service):
    replies = service.handle(Incoming(ALICE, params={"datetime": "2026-12-10T10:00"}))
    assert "古くなっている" in replies[-1].text


def test_a_visit_is_also_reminded_the_evening_before_and_a_snooze_shows_in_the_list(service, clock):
    _, body = say(service, "明日の10時に自動契約機へ行く")
    assert "前日の12月3日(木) 20:00にも" in body
    say(service, "はい")
    [rem] = reminders(service)
    eve = [r for r in pending(service) if r["slot"] == "eve"]
    assert [r["due_at"] for r in eve] == ["2026-12-03T11:00:00+00:00"]  # 20:00 Tokyo the day before
    from bot.core.diagnosis.flow import load_flow
    from bot.core.reminders.kinds import fire_message
    from bot.core.reminders.model import ReminderView

    view = ReminderView.from_row(rem)
    text = fire_message(view, load_flow(), datetime(2026, 12, 3, 11, 0, tzinfo=UTC), clock.now, slot="eve").text
    assert "自動契約機へ行く予定のお知らせ" in text and "12月4日(金) 10:00" in text and "運転免許証" in text
    tap(service, f"r:s1h:{rem['id']}")
    _, body = say(service, "リマインダー一覧")
    assert "→ 次回 12月3日(木) 11:00" in body


def test_a_call_planned_outside_the_operators_hours_gets_a_gentle_note(service):
    _, body = say(service, "土曜の10時にプロミスコールに電話")
    assert "つながりにくいかもしれません" in body
    _, body = say(service, "やめる")
    _, body = say(service, "明日の10時にプロミスコールに電話")
    assert "オペレーター" not in body
