"""The middle of a conversation, as people write it, with every lender served (the default).

Each case runs the real service on a real SQLite file through the console chat, turn by turn, and
checks what the last turns answered. The cases come from multi-turn scenarios that went wrong: the
company question asked again on every turn, a company named alone, a cause said while answering
another question, a correction taken for a reminder's title, 「いいえ」 to a menu.
"""

from __future__ import annotations

import pytest

from bot.adapters.console import ConsoleChat
from bot.app import build_app
from bot.core.dialogue import texts
from bot.core.lenders import texts as lender_texts
from bot.settings import load_settings
from tests.conftest import ORDINARY_MORNING, ticking_clock


@pytest.fixture
def talk(tmp_path, monkeypatch):
    """Send turns in order to one fresh user; returns each turn's rendered answer."""
    monkeypatch.setenv("BOT_LENDERS", "")
    app = build_app(load_settings(dotenv=None), db_path=str(tmp_path / "mid.db"))
    app.service.clock = ticking_clock(ORDINARY_MORNING)
    chat = ConsoleChat(app.service, "mika")
    chat.greet()

    def run(*turns: str) -> list[str]:
        return [chat.say(t) for t in turns]

    return run


ASKED = "どちらの会社"


def test_the_company_is_asked_once_and_the_set_up_goes_on_without_it(talk):
    answers = talk("返済日リマインダーお願い", "毎月27日", "3日前と当日", "はい")
    assert sum(a.count(ASKED) for a in answers) == 1
    assert "返済日は毎月27日" in answers[1]
    assert "設定しました" in answers[3]


def test_a_company_named_alone_gets_a_short_word_and_the_question_again(talk):
    _, named = talk("ログインできない", "アイフル")
    assert named.startswith(lender_texts.LENDER_HEARD.format(name="アイフル"))
    assert "今の状況にいちばん近いもの" in named
    assert texts.BACK_TO_QUESTION not in named and "問い合わせ先" not in named


def test_a_cause_said_while_answering_another_question_goes_to_it(talk):
    _, said, lake = talk("ログインできない", "メンテナンス中って出る", "レイク")
    assert ASKED in said  # the answer depends on the company: asked once, then given
    assert "【メンテナンス中】" in lake and "何と表示されていますか" not in lake


def test_a_display_said_in_passing_skips_the_display_question_but_not_a_question_of_fact(talk):
    _, said = talk("ログインできない", "利用停止って出てる")
    assert "返済が遅れたことはありますか" in said and "何と表示されていますか" not in said


def test_a_count_question_is_still_asked(talk):
    _, said = talk("ログインできない", "番号が違うって出る")
    assert "何回くらい" in said


@pytest.mark.parametrize(
    "message",
    [
        "レイクって書いてあるSMSで当選しましたって",
        "モビットからのメールに口座番号書けって",
        "SMSに口座が凍結されましたってリンクがあった",
    ],
)
def test_fraud_in_other_words_is_warned(talk, message):
    [said] = talk(message)
    assert "詐欺の可能性" in said


def test_a_lottery_plan_is_not_taken_for_fraud(talk):
    [said] = talk("宝くじ当選したら返済したい")
    assert "詐欺の可能性" not in said


def test_an_illegal_lender_gets_one_line_why_and_free_help(talk):
    [said] = talk("闇金から借りようかな")
    assert texts.LOAN_SHARK in said and "0570-051-051" in said


def test_no_to_the_deletion_menu_deletes_nothing(talk):
    _, _, no = talk("返済日は25日です", "全部消して", "いいえ")
    assert texts.NOT_UNDERSTOOD.split("。")[0] not in no
    assert "やめました" in no or "何をお手伝いしましょうか" in no
    [status] = talk("わたしの状況")
    assert "25日" in status


def test_that_one_deleted_at_a_draft_drops_the_draft_not_the_record(talk):
    *_, said = talk("返済日27日", "プロミス", "それ消して")
    assert "すべての記録を削除" not in said and "どれを消しますか" not in said
    assert "やめました" in said


@pytest.mark.parametrize("follow_up", ["解除方法", "どうすればいい？"])
def test_a_follow_up_at_a_result_gets_the_steps_again(talk, follow_up):
    _, again = talk("アイフルのロック", follow_up)
    assert "【ログインの制限】" in again or "【ログインのロック】" in again
    assert "このボットについて" not in again and "ようこそ" not in again


def test_not_me_after_a_login_notice_is_a_yes_to_it(talk):
    _, again = talk("アイフルから知らないログイン通知が来た", "自分じゃない")
    assert "【身に覚えのない通知】" in again


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("毎週金曜20時", "ゴミ出し", "はい"), "設定しました"),
        (("毎日21時に家計簿", "はい"), "設定しました"),
    ],
)
def test_a_repeating_time_is_a_reminder_asked_for(talk, turns, expected):
    answers = talk(*turns)
    assert "もしかして" not in answers[0] and expected in answers[-1]


def test_a_correction_while_the_task_is_asked_changes_the_time_not_the_title(talk):
    _, fixed, task = talk("毎週月曜の朝8時に通知", "やっぱ火曜にして", "ゴミ出し")
    assert "毎週火曜 8:00" in fixed and "火曜にして」" not in fixed
    assert "毎週火曜 8:00に「ゴミ出し」" in task


def test_moved_right_after_saving_changes_the_saved_reminder(talk):
    *_, moved = talk("明日10時電話", "はい", "11時にずらして")
    assert "11:00に「電話」" in moved and "今夜の23:00" not in moved


def test_two_companies_answer_the_first_and_offer_the_other(talk):
    _, both, other = talk("カード紛失", "どこの会社かって？プロミスとアコム両方", "アコム")
    # A card lost: every lender's stop line at once (the other lender's is not a message away).
    assert "0120-24-0365" in both and "アコムのカードも" in both and "0120-629-215" in both
    assert "【カードの紛失・盗難】" in other and "0120-629-215" in other and "0120-24-0365" not in other


def test_a_feeling_is_heard_and_the_question_comes_back(talk):
    _, heard = talk("ログインできない", "なんでこんな目に")
    assert heard.startswith(texts.HEARD_FEAR)
    assert "今の状況にいちばん近いもの" in heard and texts.KEEP_GOING not in heard and "もしかして" not in heard


def test_thinking_aloud_at_a_confirmation_keeps_the_draft(talk):
    _, thinking, fixed = talk("明日10時に電話", "ちょっと待って、何時がいいかな", "11時で")
    assert thinking.startswith(texts.CONFIRM_THINKING) and "10:00に「電話」" in thinking
    assert "11:00に「電話」" in fixed


def test_details_asked_at_a_question_say_when_they_come(talk):
    _, said = talk("ログインできない", "くわしく")
    assert said.startswith(texts.DETAILS_LATER)


def test_the_emergency_line_comes_before_the_list_of_numbers(talk):
    [said] = talk("もう死にたい")
    lines = said.splitlines()
    assert any("119" in line for line in lines[:3])


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("リマインダーって無料？", "無料でお使いいただけます"),
        ("私のデータどこに保存されてる？", "サーバーに保存"),
        ("え、電話してくれるの？", "電話をかけることはありません"),
    ],
)
def test_questions_about_the_bot_are_answered(talk, message, words):
    [said] = talk(message)
    assert words in said


def test_this_time_only_before_any_message_skips_the_coming_due_date(tmp_path, monkeypatch):
    """「今回の分だけ止める」 right after setting a repayment reminder: the coming due date's messages are
    not sent, and the next month's are planned (before, the skip touched nothing until one was sent)."""
    monkeypatch.setenv("BOT_LENDERS", "promise")
    app = build_app(load_settings(dotenv=None), db_path=str(tmp_path / "skip.db"))
    app.service.clock = ticking_clock(ORDINARY_MORNING)
    chat = ConsoleChat(app.service, "sora")
    chat.greet()
    for turn in ("返済日は25日", "はい", "リマインダー", "1", "2"):
        chat.say(turn)
    said = chat.say("今回の分だけ止める")
    assert "止めました" in said
    rows = app.service.store.reminders.outbox_rows()
    pending = [r["real_due"] for r in rows if r["status"] == "pending"]
    skipped = [r["real_due"] for r in rows if r["status"] == "skipped"]
    assert pending and all(due > max(skipped) for due in pending)
    assert skipped


def test_a_repayment_day_after_saving_a_call_is_a_new_reminder_not_a_new_date(talk):
    *_, asked, said = talk("明日10時に電話", "はい", "返済日は27日", "プロミス")
    assert "「電話」" not in asked
    assert "返済日は毎月27日" in said and "「電話」" not in said


@pytest.mark.parametrize(
    ("named", "meant"),
    [("金曜のやつ止めて", "ゴミ出し"), ("27日の消して", "返済日（毎月27日")],
)
def test_a_reminder_named_by_when_it_comes(talk, named, meant):
    *_, said = talk("毎週金曜20時にゴミ出し", "はい", "返済日は27日", "プロミス", "はい", named)
    assert "取り消しますか" in said and meant in said
    assert "選んでください" not in said  # one reminder asked about, not the list to pick from


@pytest.mark.parametrize(
    ("question", "lead"),
    [("それってどこに電話すればいい？", texts.RESULT_WHERE), ("土日もやってる？", texts.RESULT_HOURS)],
)
def test_where_and_when_to_call_at_a_result_are_answered_with_the_number(talk, question, lead):
    _, said = talk("アコムでロックされた", question)
    assert said.startswith(lead.format(name="アコム総合カードローンデスク"))
    assert "0120-629-215" in said and "確かなお答えができません" not in said


def test_late_without_a_login_word_gets_the_call_first(talk):
    [said] = talk("延滞してしまった")
    assert "【利用停止の可能性】" not in said and "0570-051-051" in said


def test_the_line_busy_is_heard_before_the_number_again(talk):
    [said] = talk("プロミスコールに電話したけどつながらない")
    assert texts.PHONE_NOT_THROUGH in said
    assert said.index(texts.PHONE_NOT_THROUGH) < said.index("0120-24-0365")


@pytest.mark.parametrize(
    ("said", "reply"), [("わかりました", texts.ACKNOWLEDGED), ("わかった、ありがとう", texts.THANKS)]
)
def test_an_acknowledgement_at_a_result_ends_it_politely(talk, said, reply):
    _, answer = talk("レイクでロック", said)
    assert answer.startswith(reply) and "【" not in answer and "読み取れません" not in answer


def test_a_card_number_said_in_passing_keeps_the_question(talk):
    _, said = talk("ログインできない", "ちなみにカード番号は4980123456789012です")
    assert "4980" not in said and "大切な情報" in said
    assert "何回くらい" not in said and "今の状況にいちばん近いもの" not in said.split("大切な情報")[0]
    assert "1) カードをなくした・盗まれた" in said  # the same question's choices, not a choice taken


def test_a_hedge_alone_at_a_question_is_no_answer_yet(talk):
    _, said = talk("ログインできない", "たぶん")
    assert said.startswith(texts.TAKE_YOUR_TIME) and "今の状況にいちばん近いもの" in said


def test_the_date_button_in_other_words(talk):
    *_, said = talk("明日10時に電話", "日付を変える")
    assert "いつお知らせしますか" in said


def test_one_record_named_with_mo_is_that_record_not_the_menu(talk):
    *_, said = talk("返済日は25日です", "プロミス", "はい", "カードの記録も消しといて")
    assert "どれを消しますか" not in said and "もともとありません" in said
    [status] = talk("わたしの状況")
    assert "25日" in status


def test_a_change_of_mind_at_the_deletion_menu_touches_nothing(talk):
    *_, said = talk("返済日は25日です", "プロミス", "はい", "全部消して", "やっぱりやめる")
    assert "取り消しますか" not in said and "削除" not in said


def test_a_draft_shown_in_full_is_kept_when_the_person_moves_on(talk):
    _, second, listed = talk("明日の12時に銀行行くってリマインド", "日曜の10時に残高確認", "リマインダー")
    assert second.startswith(texts.SETUP_KEPT) and "残高確認" in second
    assert "銀行行く" in listed


def test_a_correction_of_the_draft_is_not_taken_for_moving_on(talk):
    _, fixed = talk("明日の10時に電話する", "電話じゃなくてメール")
    assert texts.SETUP_KEPT not in fixed and "メール" in fixed


def test_where_to_talk_after_words_of_crisis_is_the_counselling_not_a_company(talk):
    *_, said = talk("しにたい", "返済できなくて", "相談できるとこある？")
    assert said.startswith(texts.COUNSELLING) and "0570-051-051" in said and "どちらの会社" not in said


@pytest.mark.parametrize(
    "message",
    [
        "Xで『ブラックでも即日融資』ってDM来た",
        "保証料先に2万振り込めって",
        "ギフト10万円当選 → http://x.xyz 受取にはカード情報入力",
    ],
)
def test_more_fraud_in_other_words(talk, message):
    [said] = talk(message)
    assert "詐欺の可能性" in said


def test_no_late_payment_is_not_taken_for_one(talk):
    [said] = talk("延滞なし")
    assert "返済日を過ぎている" not in said and "【利用停止の可能性】" not in said


def test_a_card_at_home_is_not_a_lost_card(talk):
    *_, said = talk("返済日は25日", "プロミス", "はい", "カードは家にある")
    assert "【カードの紛失・盗難】" not in said


def test_night_said_while_the_task_is_asked_moves_the_hour(talk):
    _, night, task = talk("明日8時にリマインドして", "夜", "内容は書類を探す")
    assert "20:00" in night and "「夜」" not in night
    assert "20:00に「書類を探す」" in task


def test_a_lateness_said_at_a_repayment_draft_is_answered_and_the_draft_stays(friday_talk):
    _, late, yes = friday_talk("アコム使ってて、返済日は毎月27日です", "今月ちょっと遅れそう", "はい")
    assert "返済日の前に" in late and "読み取れません" not in late
    assert "この内容で設定しますか" in late
    assert "設定しました" in yes


def test_one_record_deleted_in_the_middle_of_a_set_up_keeps_the_draft(friday_talk):
    *_, deleted, yes = friday_talk(
        "アコム使ってて、返済日は毎月27日です", "今月ちょっと遅れそう", "遅れそうってのは消しといて", "はい"
    )
    assert "保存していません" not in deleted and "この内容で設定しますか" in deleted
    assert "設定しました" in yes


def test_a_password_named_where_the_result_knows_only_the_pin_is_not_guessed(friday_talk):
    _, answer = friday_talk("レイクでログインできない", "パスワード忘れたかも")
    assert "Webのパスワード" in answer and "公式サイト" in answer
    assert answer.index("Webのパスワード") < answer.index("【暗証番号を忘れた】")


def test_maintenance_asked_as_a_question_at_a_result_is_that_cause(friday_talk):
    *_, answer = friday_talk(
        "レイクでログインできない", "パスワード忘れたかも", "あ、でもその前にメンテ中とかじゃない？"
    )
    assert "【メンテナンス中】" in answer


def test_the_same_cause_said_again_at_its_result_is_not_the_result_twice(friday_talk):
    first, again = friday_talk("SMBCモビットのアプリ開いたら「ロックされています」って出た", "何回か間違えたかも")
    assert "【セキュリティロック】" in first
    assert "いまお伝えした【セキュリティロック】" in again and "0120-24-7217" in again
    assert "ロックがかかったことを伝え" not in again  # the steps are just above: not shown twice


def test_another_lender_named_at_a_result_gets_its_own_result_again(friday_talk):
    first, other = friday_talk("プロミスの暗証番号忘れた", "アコムも暗証番号忘れた")
    assert "【" in other and "いまお伝えした" not in other and "アコム" in other


def test_two_lenders_borrowed_from_are_heard_not_misunderstood(friday_talk):
    (answer,) = friday_talk("プロミスとアコム両方借りてる")
    assert "読み取れません" not in answer and "アコムのことも" in answer


def test_each_lenders_day_said_with_every_month_is_kept_under_its_lender(friday_talk):
    (answer,) = friday_talk("プロミスの返済日は毎月5日、アコムは20日")
    assert "毎月5日" in answer and "毎月20日" in answer and "会社ごと" in answer


def test_coming_back_to_the_diagnosis_after_a_reminder_is_heard_as_that(friday_talk):
    *_, back = friday_talk(
        "プロミスにログインできない",
        "番号が違うって出る",
        "リマインダー作りたい、返済日25日",
        "はい",
        "で、さっきの続きなんだけど",
    )
    assert "続きに戻りますね" in back and "そうなんですね" not in back
    assert "何回くらい" in back


def test_an_error_code_leads_into_the_causes_question_and_a_birth_date_is_a_format(friday_talk):
    first, second = friday_talk("アイフルのアプリでログインしようとしたらエラーコード出た", "生年月日のとこかも")
    assert "このボットではわかりません" in first and "近いもの" in first
    assert "何回くらい" in second


def test_what_do_you_know_about_me_shows_the_record(friday_talk):
    *_, answer = friday_talk("アコムで返済日は10日", "いいえ", "私のこと何か知ってる？")
    assert "毎月10日" in answer and "お答えできません" not in answer


@pytest.mark.parametrize(
    ("turns", "said"),
    [
        (("アイフルロックかかった", "ネットで30分って見たけどほんと？"), "確かなお答えができません"),
        (("プロミスのロックかかった", "これいつ解除されるの？"), "確かなお答えができません"),
        (("アイフルでログインできない", "パスワード再設定のメールが来ない"), "迷惑メール"),
        (("アイフルのパスワード再設定", "迷惑メールに入ってたw"), "見つかってよかった"),
        (("レイクのアプリ。顔認証でログインしてたのに急にできなくなった",), "顔認証"),
        (("アコムに入れない", "赤い字で何か出ておりますが、小さくて読めません。"), "指で広げる"),
        (("プロミスでログインできない", "電話するの怖い。なんて言えばいい？"), "お名前"),
    ],
)
def test_follow_up_questions_in_a_diagnosis_get_their_own_answer(friday_talk, turns, said):
    *_, answer = friday_talk(*turns)
    assert said in answer


def test_asked_to_keep_a_lateness_it_is_kept_and_read_back(friday_talk):
    *_, answer = friday_talk(
        "プロミスにログインしたら「現在ご利用いただけません」って出た",
        "先月の返済ちょっと遅れてる…",
        "延滞してることも記録しといて",
    )
    assert "記録しました" in answer and "返済の遅れ：あり" in answer


@pytest.mark.parametrize(
    ("turns", "said", "not_said"),
    [
        (("アイフルのカード、ATMで読み込まない",), "磁気", "【カードの紛失・盗難】"),
        (("弁護士に債務整理お願いしたら、プロミスにログインできなくなった",), "頼んだ弁護士", "読み取れません"),
        (
            ("昔使ってたアコム、ログインできない。完済したはずなんだけど", "完済した証明みたいなのほしい"),
            "証明書",
            "読み取れません",
        ),
        (("コンビニATMで借りたいのに暗証番号わからん。アイフル",), "暗証番号", "読み取れません"),
        (("アイフルの暗証番号忘れた", "誕生日とか適当に試していい？"), "おすすめしません", "19900503"),
        (("レイクのログインID忘れた", "あった。IDはlake_taro88だった"), "よかったです", "lake_taro88"),
        (("SMBCモビット、パスワード何回か間違えてる", "再設定ってカード番号とか聞かれる？"), "公式の画面", "詐欺"),
        (("レイクのログイン、電話番号入れるとこでエラー出る。090-のあとハイフン入れてる",), "ハイフン", "順に試す"),
    ],
)
def test_what_people_say_in_a_diagnosis_gets_the_answer_that_fits(friday_talk, turns, said, not_said):
    *_, answer = friday_talk(*turns)
    assert said in answer and not_said not in answer


def test_a_reminder_in_the_last_sentence_is_read_from_that_sentence(friday_talk):
    _, answer = friday_talk("アイフルの暗証番号わからん", "じゃあ今日はあきらめる。月曜に電話するの忘れそう")
    assert "12月7日(月)" in answer and "「電話する」" in answer


def test_a_lateness_of_the_past_is_not_answered_as_one_due_now(friday_talk):
    (answer,) = friday_talk("モビット使ってる。返済日は毎月15日、先月1回遅れた")
    assert "返済日は毎月15日" in answer and "返済日を過ぎているときは" not in answer


def test_a_lateness_still_unpaid_is_answered_as_now(friday_talk):
    (answer,) = friday_talk("先月の返済遅れてまだ払えてない")
    assert "返済日を過ぎているときは" in answer


def test_a_file_asked_for_shows_the_whole_record_even_at_a_result(friday_talk):
    *_, answer = friday_talk("モビット使ってる。ログインすると利用できませんって出る", "データをファイルでほしい")
    assert "ファイルでお送りすることはできません" in answer and "【ご利用の記録】" in answer


def test_the_record_asked_to_be_fixed_with_no_new_value_is_shown_as_it_is(friday_talk):
    *_, answer = friday_talk(
        "アコムの返済日25日でリマインダー",
        "はい",
        "来月から返済日が27日に変わるんだけど",
        "はい",
        "あと記録の返済日も直しといて",
    )
    assert "返済日：毎月27日" in answer and "この内容で設定しますか" not in answer


@pytest.mark.parametrize("said", ["暗証番号はわかる", "パスワードは合ってる", "暗証番号はちゃんとわかってる"])
def test_a_pin_said_to_be_known_is_not_a_forgotten_one(friday_talk, said):
    _, answer = friday_talk("プロミスでログインできない", said)
    assert "【暗証番号を忘れた】" not in answer and "わかっているのですね" in answer


@pytest.mark.parametrize("said", ["あ、ごめんアコムじゃなくてアイフルだった", "アイフルの方だった"])
def test_another_company_said_in_the_middle_of_a_diagnosis_starts_its_questions(friday_talk, said):
    *_, answer = friday_talk("アコムにログインできない", "番号が違うって出る", said)
    assert "アイフル" in answer and "近いもの" in answer and "何をお手伝いしましょうか" not in answer


@pytest.mark.parametrize("said", ["保存されてる情報を全部見たい", "LINEで送れる形にして"])
def test_the_whole_record_asked_for_is_shown_whole(friday_talk, said):
    *_, answer = friday_talk("アコムで返済日10日", "いいえ", said)
    assert "あなたについての内容です" in answer and "要約" not in answer


def test_when_is_my_due_day_is_answered_with_where_to_look_and_what_was_told(friday_talk):
    *_, answer = friday_talk("アイフルで返済日は10日", "いいえ", "返済日っていつだっけ？")
    assert "契約で決まって" in answer and "毎月10日" in answer and "返済日（約定日）はいつですか" not in answer


@pytest.mark.parametrize("said", ["おはようございます。プロミスのことで相談です", "ちょっと聞きたいことがある"])
def test_an_opening_with_nothing_asked_yet_is_met_with_what_is_it(friday_talk, said):
    (answer,) = friday_talk(said)
    assert "どうされましたか" in answer and "そうなんですね" not in answer


def test_fine_now_at_a_result_ends_kindly(friday_talk):
    _, answer = friday_talk("プロミスの暗証番号忘れた", "もう大丈夫")
    assert "確かなお答えができません" not in answer and "ほかにも" in answer


def test_wanting_to_know_the_due_day_says_where_it_is_written(friday_talk):
    (answer,) = friday_talk("レイクの返済日いつか知りたい")
    assert "契約で決まって" in answer
