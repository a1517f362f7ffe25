"""Words met in fresh conversations: a dialect request and its correction (「11時に教えてくれん？」
「10時半に言って」), next Monday only skipped at a weekly draft, 「今日からいける？」, not knowing when one
can pay, the day money comes in, 「その日の朝」. Real service, real SQLite file, console chat."""

from __future__ import annotations

from bot.core.reminders.payday import PAYDAY_LEAD


def test_a_dialect_request_and_its_correction(friday_talk):
    first, moved = friday_talk(
        "明日の昼、病院の予約あるけん11時に教えてくれん？", "あ、病院は11時半からやけん、10時半に言って"
    )
    assert "12月5日(土) 11:00に「病院の予約ある」" in first and "くれん" not in first
    assert "12月5日(土) 10:30に「病院の予約ある」" in moved


def test_next_monday_only_skipped_at_a_weekly_draft(friday_talk):
    _, skipped = friday_talk("毎週月曜の朝7時にゴミ出し", "来週の月曜だけ出張でいないからなしで")
    assert "12月7日(月) 7:00の分は、お知らせしません" in skipped


def test_from_today_asked_as_a_question(friday_talk):
    _, today = friday_talk("毎週金曜の夜10時に「今週の支出メモ」", "今日金曜だけど今日からいける？")
    assert today.startswith("今日からです。") and "お答えできません" not in today


def test_not_knowing_when_one_can_pay_then_the_day_money_comes(friday_talk):
    _, unknown, payday, morning = friday_talk(
        "アコムで延滞してて、返済リマインドほしい",
        "いつ払えるかわからない",
        "来週の金曜なら給料入る",
        "じゃあその日の朝",
    )
    assert "いつなら払えるかを相談して" in unknown and "お答えできません" not in unknown
    assert PAYDAY_LEAD in payday and "12月11日(金) 9:00に「返済する」" in payday
    assert "12月11日(金) 9:00に「返済する」" in morning and "読み取れません" not in morning


def test_a_time_after_laughing_it_off_is_the_drafts_time(friday_talk):
    _, seven = friday_talk(
        "アイフルの返済日が毎月25日、前日にリマインドして。もうこんな生活疲れた、生きてる意味ない",
        "大げさに言っただけw リマインドは朝7時で",
    )
    assert "返済日の1日前と当日、7:00にお知らせします" in seven


def test_an_hour_before_the_appointment(friday_talk):
    _, draft, before = friday_talk(
        "アイフルのアプリ開けない。すぐ落ちる", "そういえば明日10時に歯医者なんだ。リマインドして", "1時間前で"
    )
    assert "12月5日(土) 10:00に「歯医者」" in draft
    assert "12月5日(土) 9:00に「歯医者」" in before


def test_screening_failed_and_what_a_shakyo_is(friday_talk):
    _, failed, shakyo = friday_talk(
        "Xで「個人間融資 即日 審査なし」ってDMきた。借りていい？", "でもプロミスもアコムも審査落ちた", "社協ってなに"
    )
    assert "登録のない業者からは借りないでください" in failed and "読み取れません" not in failed
    assert "社会福祉協議会" in shakyo


def test_why_cannot_i_get_in_is_no_phone_line_and_being_recorded(friday_talk):
    _, why = friday_talk("アイフルにログインできない、IDは aiful_yuki でパスは yuki1990!", "で、なんで入れないの")
    assert "つながらなかった" not in why
    _, kept = friday_talk(
        "モビットの返済日10日。前日にリマインド", "ちなみにこれ、私がモビット使ってるって記録されるの？"
    )
    assert "はい。教えていただいた会社や返済日は" in kept


def test_digits_typed_with_japanese_input_get_the_wide_digit_tip(friday_talk):
    _, japanese = friday_talk(
        "アイフルの会員ページにログインできんっちゃけど。番号は合っとるはずなのにエラーになる",
        "スマホで入れとる。数字は日本語のキーボードのまま打っとる",
    )
    assert "半角で入力し直して" in japanese and "何回くらいエラー" not in japanese


def test_logged_in_then_a_question_goes_to_no_question(friday_talk):
    *_, answer = friday_talk(
        "プロミスのアプリ入れないんだけど",
        "会員番号とパスワード入れたら「入力内容に誤りがあります」って出る",
        "半角にしたら入れた！ありがと。ついでに聞くけど、次も全角になる？",
    )
    assert "半角" in answer and "何回くらいエラー" not in answer


def test_something_left_out_while_typing_is_no_deletion(friday_talk):
    *_, fixed = friday_talk(
        "アコムのマイページ、ID入れたら「このIDは存在しません」って出る", "ゼロ消して打ってた、戻したらいけた"
    )
    assert "どれを消しますか" not in fixed and "よかった" in fixed


def test_titles_without_emoji_or_counts_and_that_day(friday_talk):
    first, when, second = friday_talk(
        "再来週の金曜の夜7時に忘年会ってリマインドして🍻",
        "それって何日？",
        "あ、その日の昼にATMで返済もしたいから12時にもう1個",
    )
    assert "12月18日(金) 19:00に「忘年会」" in first
    assert "12月18日(金) 12:00に「ATMで返済もしたい」" in second


def test_this_months_time_skipped_at_a_monthly_draft(friday_talk):
    _, skipped = friday_talk("毎月25日に家賃振込のリマインダー入れて、朝10時", "今月だけスキップできる？もう払ったから")
    assert "12月25日(金) 10:00の分は、お知らせしません" in skipped and "お答えできません" not in skipped


def test_a_saved_reminder_asked_about_in_another_set_up(friday_talk):
    *_, asked = friday_talk(
        "明後日の朝7時に燃えるゴミ",
        "あと、それとは別に毎月5日にプロミスの返済",
        "5日の分は当日の朝だけでいい。8時",
        "ゴミのほうは何曜日になってる？",
    )
    assert "燃えるゴミ 12月6日(日) 7:00" in asked and "お答えできません" not in asked
    assert "この内容で設定しますか" in asked


def test_one_lenders_record_paid_off_and_deleted(friday_talk):
    *_, deleted, left = friday_talk(
        "レイクとアイフル両方から借りてる",
        "レイクは10日、アイフルは25日が返済日",
        "アイフルのほうはもう完済したから消して",
        "残ってるの見せて",
    )
    assert "記録を消しました" in deleted and "どれを消しますか" not in deleted
    assert "【アイフル】" not in left and "毎月10日" in left
