"""Words of fresh scenarios (round 20-22) that the bot misread: each test is a class of them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.core.dates.calendar_asked import calendar_answer
from bot.core.dates.jptime import When, numerals_to_digits, parse_when
from bot.core.dialogue import fraud_talk, texts
from bot.core.dialogue.asked import asks_what_is_kept
from bot.core.dialogue.faq import load_questions
from bot.core.safety import texts as safety_texts
from bot.core.situation.statements import stated_facts
from bot.core.understanding.textnorm import normalize
from tests.conftest import FRIDAY_EVENING

TOKYO = ZoneInfo("Asia/Tokyo")


def test_a_pension_loan_asking_for_the_bankbook_and_cash_card_is_an_illegal_lender(friday_talk):
    first, later = friday_talk(
        "電話で『年金担保でお金貸します』言うて、通帳とキャッシュカード送ってくれ言われたんやけど",
        "ほな、どこに相談したらええの",
    )
    assert "闇金" in first and "再発行" not in first
    assert "#9110" in later and "お答えできません" not in later


def test_a_threat_from_someone_giving_a_lenders_name_is_answered_as_a_threat(friday_talk):
    threat, real, fear = friday_talk(
        "夜中に何回も電話かかってきて『家行くぞ』って言われる。アコムって名乗ってた",
        "ほんとにアコムかわからん",
        "怖くて寝られん。明日も仕事なのに",
    )
    assert "110" in threat and "#9110" in threat
    assert fraud_talk.CLAIMED.split("。")[0] in real
    assert fear.startswith(fraud_talk.FEAR.split("。")[0]) and "原因を探しましょう" not in fear


def test_a_lender_named_after_a_threat_keeps_the_talk_about_it(friday_talk):
    *_, fear = friday_talk("取り立ての電話が夜中にもくる", "アイフル。ちゃんとした会社のはず", "夜はこわくて眠れない")
    assert "#9110" in fear and "そうなんですね" not in fear


def test_a_threat_by_a_private_lender_is_a_debt_to_an_illegal_one(friday_talk):
    threat, who, fear = friday_talk(
        "「払わないなら家に行く」ってLINEがきた", "相手は個人。友達の紹介で借りた", "住所知られてる。こわい"
    )
    assert "110" in threat
    assert safety_texts.SHARK_OWED.split("。")[0] in who
    assert "#9110" in fear and "カードを止めて" not in fear


def test_asking_what_the_login_id_is_is_not_taken_for_a_secret(friday_talk):
    (answer,) = friday_talk("モビットさログインすっとき、IDってなんだっけ")
    assert "送らないでください" not in answer and "ログインに使う番号" in answer


def test_asking_whether_it_can_be_deleted_later_deletes_nothing(friday_talk):
    _, asked = friday_talk("わたしアイフル使てて、返済は毎月23日やねん", "あ、これ後で全部消したなったら消せるん？")
    assert "いつでも消せます" in asked and "削除してよろしいですか" not in asked
    assert "この内容で設定しますか" in asked  # the draft waits


def test_one_fact_named_by_its_words_is_the_one_deleted(friday_talk):
    *_, late, listed, deleted = friday_talk(
        "プロミスで借りてて返済日は毎月5日です",
        "先月の分がまだ払えてなくて",
        "いま何が記録されてるか見せてください",
        "払えてないって記録は消してもらえますか",
    )
    assert "返済日を過ぎているとき" in late
    assert "最近の返済の遅れ：あり" in listed
    assert "すべて削除" not in deleted and "返済の遅れ" in deleted


@pytest.mark.parametrize(
    "said",
    [
        "あ、その前に、今わたしの情報なに入ってる？",
        "その前に　いま　おらのこと　なに　しゃべったっけ",
        "なんて　おぼえだ？",
        "今　なにが　のこっとる",
        "自分の情報ってどこまで覚えてるの？",
        "私の情報何持ってる？",
    ],
)
def test_what_is_kept_asked_in_own_words(said):
    assert asks_what_is_kept(normalize(said))


def test_what_is_kept_asked_at_a_draft_with_nothing_kept_says_so(friday_talk):
    _, asked = friday_talk("返済の通知、毎月3日にしてほしいねんけど", "あ、その前に、今わたしの情報なに入ってる？")
    assert asked.startswith(texts.NOTHING_KEPT_YET) and "この内容で設定しますか" in asked
    assert "お答えできません" not in asked


@pytest.mark.parametrize(
    "said",
    [
        "なんやようわからんけど、昼間は入れてたのに夜になったら入られへんようになってん、どないなってんの",
        "ほな明日になったら戻るん？",
    ],
)
def test_a_time_told_or_asked_about_makes_no_reminder(friday_talk, said):
    (answer,) = friday_talk(said)
    assert "お知らせします" not in answer and "日時の一部" not in answer


@pytest.mark.parametrize(
    ("said", "task"),
    [
        ("月曜に電話するから、月曜のお昼に知らせて", "電話する"),
        ("ちょ待って、その前に明日の朝9時に子供の送り迎えって入れといて。忘れそうや", "子供の送り迎え"),
        ("あと木曜の15時に銀行もおねがい", "銀行"),
        ("明日でいいから明日10時に電話するって教えて", "電話する"),
    ],
)
def test_the_task_is_what_is_left_of_the_words_of_speech(said, task):
    when = parse_when(said, FRIDAY_EVENING.astimezone(TOKYO))
    assert isinstance(when, When) and when.rest == task


@pytest.mark.parametrize(
    "said",
    ["レイク、毎月27日、延滞なし", "プロミス、毎月8日、遅れなし。覚えといて", "モビット、返済日20日、延滞なしで"],
)
def test_a_day_of_every_month_told_beside_the_lateness_is_the_repayment_day_kept(friday_talk, said):
    (answer,) = friday_talk(said)
    assert "次のように記録しました" in answer and "返済日：毎月" in answer and "遅れ：なし" in answer
    assert "お知らせします" not in answer and "もともとありません" not in answer


@pytest.mark.parametrize(
    "turns",
    [
        ("毎週土曜 10時 買い物", "一覧", "止めて"),
        ("30分後にお風呂止めてって言って", "それ消して、もう止めた笑"),
    ],
)
def test_words_of_stopping_never_save_the_draft_on_the_way(friday_talk, turns):
    *_, last = friday_talk(*turns, "リマインダー")
    assert texts.SETUP_KEPT not in friday_talk("リマインダー")[0]
    assert "設定中のお知らせはありません" in last


def test_dont_stop_it_at_a_draft_keeps_it(friday_talk):
    _, kept = friday_talk(
        "返済日の3日前と当日に知らせて。毎月10日ね", "出張中は止めてもいい？いや、やっぱ止めないで。忘れるから"
    )
    assert "設定しました" in kept and "やめました" not in kept


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("レイクでログインできない", "これってAIなの？人間？"), "プログラムが自動でお答えしています"),
        (("アイフル使ってる", "このアプリって私の暗証番号とか見てるの？"), "お聞きすることはありません"),
        (("アイフル使ってる", "これって誰かに見られたりする？"), "ほかの人にお見せすることはありません"),
        (("返済日のリマインダーって作れる？", "プロミス"), "返済日（約定日）はいつですか"),
    ],
)
def test_questions_about_the_bot_itself_are_answered(friday_talk, turns, expected):
    *_, answer = friday_talk(*turns)
    assert expected in answer and "お答えできません" not in answer and "確かなお答え" not in answer


def test_how_to_at_its_own_result_shows_the_steps_again(friday_talk):
    _, how = friday_talk("レイクにログインしようとしたら『ロックされています』って", "ふーん。で、ロックってどうすんの")
    assert "【ログインのロック】" in how and "確かなお答え" not in how


@pytest.mark.parametrize(
    ("said", "titles"),
    [
        ("明日10時美容院、日曜11時ランチ、月曜19時英会話、ぜんぶ入れて", ("美容院", "ランチ", "英会話")),
        (
            "今週末の予定入れてや。明日11時に歯医者、日曜の3時に甥っ子の誕生日会",
            ("歯医者", "15:00「甥っ子の誕生日会」"),
        ),
        (
            "明日の夜7時に友達と飲み、日曜の昼に母さんに電話、それと月曜はアコムに電話しなきゃいけないから9時半にお願い",
            ("19:00「友達と飲み」", "12:00「母さんに電話」", "9:30「アコムに電話"),
        ),
    ],
)
def test_several_reminders_in_one_message_among_the_words_of_asking(friday_talk, said, titles):
    (answer,) = friday_talk(said)
    assert f"次の{len(titles)}件のお知らせ" in answer and all(t in answer for t in titles)


def test_one_of_several_drafts_called_off_in_own_words_goes(friday_talk):
    _, left = friday_talk("明日の夜7時に友達と飲み、日曜の昼に母さんに電話", "飲みは無くなったわ笑")
    assert "友達と飲み" not in left and "母さんに電話" in left


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("明日8時に薬って覚えといて", "あ、明日だけじゃなくて毎日にして。朝の8時"), "毎日 8:00に「薬」"),
        (("月曜8時にゴミ出し", "ゴミ出しは毎週月曜にしといて"), "毎週月曜 8:00に「ゴミ出し」"),
    ],
)
def test_a_draft_made_to_repeat_in_own_words(friday_talk, turns, expected):
    *_, answer = friday_talk(*turns)
    assert expected in answer


def test_two_moments_of_one_task_said_apart_and_then_made_daily(friday_talk):
    both, daily = friday_talk("明日の朝8時と、夜の8時に、両方とも『犬の散歩』て入れて", "ほんで毎日にしといて")
    assert "8:00「犬の散歩」" in both and "20:00「犬の散歩」" in both
    assert "毎日 8:00「犬の散歩」" in daily and "毎日 20:00「犬の散歩」" in daily


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("木曜の15時に銀行", "銀行は金曜にずれた。時間はおなじ"), "12月11日(金) 15:00に「銀行」"),
        (("明日の12時に買い物", "明日雨だから月曜にずらして"), "12月7日(月) 12:00に「買い物」"),
        (("返済日当日に通知ほしい。毎月18日", "やっぱ1週間前も", "いや1週間前はいらんわ。5日前で"), "5日前と当日"),
    ],
)
def test_a_draft_changed_in_own_words(friday_talk, turns, expected):
    *_, answer = friday_talk(*turns)
    assert expected in answer


def test_a_saved_reminder_called_off_while_another_draft_waits(friday_talk):
    *_, asked, done, listed = friday_talk(
        "来週月曜の10時に歯医者",
        "あと木曜の15時に銀行もおねがい",
        "歯医者キャンセルになったから消しといて",
        "1",
        "リマインダー",
    )
    assert "取り消しますか" in asked and "歯医者" in asked
    assert "取り消しました" in done
    assert "銀行" in listed and "歯医者" not in listed


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("月曜の朝7時に燃えないごみって入れて",), "12月7日(月) 7:00に「燃えないごみ」"),
        (("まいにぢ　ばんげ　7じに　くすりのめって　いってけろ",), "毎日 19:00に「くすりのめ」"),
        (("まいしゅう　げつようの　ひる　デイサービスの　じゅんび　って　いれでけろ",), "毎週月曜 12:00"),
        (
            (
                "まいしゅう　げつようの　ひる　デイサービスの　じゅんび　って　いれでけろ",
                "あ、げつようでねぐて　かようだった",
            ),
            "毎週火曜 12:00",
        ),
        (
            ("毎週火曜と金曜の朝6時半に「弁当」っていれといて", "火曜を水曜に変えて"),
            "12月9日(水) 6:30、その次：12月11日(金)",
        ),
    ],
)
def test_reminders_said_in_kana_dialect_and_day_swaps(friday_talk, turns, expected):
    *_, answer = friday_talk(*turns)
    assert expected in answer


@pytest.mark.parametrize("said", ["学校にかよう", "番号がわからない", "昼寝する"])
def test_kana_that_is_no_time_word_stays_as_it_is(said):
    assert numerals_to_digits(said) == said


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("こんげつの　25にちは　なにようびだ", "12月25日(金)"),
        ("23日って今月は何曜日やったっけ", "12月23日(水)"),
        ("1月の10日って日曜じゃない？", "はい、2027年1月10日(日)"),
    ],
)
def test_calendar_questions_in_own_words(said, expected):
    answer = calendar_answer(said, FRIDAY_EVENING.astimezone(TOKYO).date())
    assert answer is not None and expected in answer


def test_a_due_day_on_a_sunday_asked_at_the_draft_is_answered(friday_talk):
    _, asked = friday_talk("毎月27日返済なんだけどリマインドして", "今月って27日日曜じゃん？どうなるの")
    assert "土日や祝日" in asked and "お答えできません" not in asked


def test_no_pattern_of_the_questions_asks_for_a_backslash():
    """A doubled backslash in a TOML literal string is a literal backslash that no message holds."""
    assert not [q.id for q in load_questions() for p in q.asks if "\\\\" in p.pattern]


def test_worry_after_a_hidden_pin_is_reassured_and_how_now_starts_the_diagnosis(friday_talk):
    _, worried, how = friday_talk(
        "ログインできない 暗証番号1234で合ってるはずなのに", "え、書いたらまずかった？", "じゃあどうすればいいの"
    )
    assert worried.startswith("大丈夫です") and "お答えできません" not in worried
    assert "原因を探しましょう" in how and "このボットでできること" not in how


def test_chat_counselling_is_offered_to_someone_who_cannot_phone(friday_talk):
    *_, chat = friday_talk(
        "リマインダー消したい。もうどうせ全部終わりにするし", "…うん、そういう意味", "チャットとかある？"
    )
    assert "mamorouyokokoro" in chat


def test_a_bare_yes_after_words_of_crisis_is_heard_as_care_not_as_the_set_ups_answer(friday_talk):
    *_, yes = friday_talk("返済日のリマインダーつけたい", "てかもう全部どうでもいい", "しにたい", "…うん")
    assert "返済日は、1〜31" not in yes and "0120-279-338" in yes


def test_a_question_at_a_draft_never_drops_it(friday_talk):
    _, asked = friday_talk("毎週日曜の夜9時に「一週間の振り返り」", "次はいつ？")
    assert "やめました" not in asked and "振り返り" in asked


def test_the_lender_told_to_be_kept_is_heard_not_a_deletion(friday_talk):
    (answer,) = friday_talk("借入先はモビットです、って登録して")
    assert "ですね。承知しました" in answer and "どれを消しますか" not in answer


def test_a_weekday_of_a_week_named_is_answered_with_its_date():
    assert (
        calendar_answer("ところで来週の水曜って何日？", FRIDAY_EVENING.astimezone(TOKYO).date()) == "12月9日(水)です。"
    )


@pytest.mark.parametrize(
    ("turns", "expected", "kept"),
    [
        (
            ("毎月15日の返済、3日前と当日に知らせて", "当日のだけ20時にして"),
            "どちらも20:00にしました",
            "3日前と当日、20:00",
        ),
        (
            ("毎月27日返済なんでリマインドほしい", "あ、やっぱ当日はいらない。前日にして"),
            "当日のお知らせは外せない",
            "1日前と当日",
        ),
    ],
)
def test_what_a_repayment_reminder_cannot_do_is_said_and_the_rest_kept(friday_talk, turns, expected, kept):
    *_, answer = friday_talk(*turns)
    assert expected in answer and kept in answer


@pytest.mark.parametrize(
    ("said", "late"), [("おくれては　いません", False), ("先月ちょっと遅れたけど、もう払ったで", False)]
)
def test_lateness_told_in_own_words(said, late):
    assert stated_facts(normalize(said)).get("overdue") is late


def test_cards_of_two_lenders_lost_at_once_get_both_stop_lines(friday_talk):
    _, both = friday_talk("カード盗まれたかもしれん。かばんごとや", "モビットとアコムのカード両方入ってた")
    assert "0120-24-7217" in both and "0120-629-215" in both and "会社名を送っていただければ" not in both


def test_the_secret_said_unknown_beside_another_thing_known_is_not_taken_as_known(friday_talk):
    _, answer = friday_talk("SMBCモビットにログインできない", "IDはわかる、パスワードがわからん")
    assert "わかっているのですね" not in answer and "忘れた" in answer


def test_a_repayment_reminder_said_all_in_kana(friday_talk):
    (answer,) = friday_talk("へんさいびは　まいつき　25にちだ。まえの日に　おしえでけろ")
    assert "返済日は毎月25日" in answer and "1日前と当日" in answer


@pytest.mark.parametrize("said", ["あさって行く", "よるごはん", "夜寄る"])
def test_kana_words_that_only_begin_like_a_time_stay(said):
    assert numerals_to_digits(said) == said


def test_whether_something_was_kept_just_now_shows_the_record(friday_talk):
    *_, kept = friday_talk(
        "プロミス入れない", "IDはあってる。パスワードを3回まちがえた", "ちょっと待って、さっきのでなんか記録した？"
    )
    assert "これまでに教えていただいた内容です" in kept and "急がなくて大丈夫" not in kept


def test_a_card_reissue_asked_goes_to_the_lender(friday_talk):
    *_, how = friday_talk("さいふ落とした…カードも入ってた", "モビットのカード", "再発行はどうすればいい")
    assert "再発行の手続き" in how and "0120-24-7217" in how


@pytest.mark.parametrize(
    ("turns", "expected", "not_said"),
    [
        (("あかん財布ないわ…カード入ってたかもしれん",), "【カードの紛失・盗難】", "お手元にある"),
        (
            ("明日の朝9時にクリーニング", "モビットのカード。財布ごと無いかも"),
            "【カードの紛失・盗難】",
            "見つかってよかった",
        ),
        (("プロミス", "今月はまだ遅れていません"), "遅れ：なし", "返済日を過ぎているとき"),
        (("返済日を忘れたらどうしようって不安で…毎月15日です",), "返済日は毎月15日", "返済日を過ぎているとき"),
        (("パスワード いう から なおして ください",), "ここには送らないでください", "もしかして"),
        (("プロミス", "じゃあパスワードだけでも"), "ここには送らないでください", "どちらの会社"),
        (
            (
                "SMS きました。『アコム ほんにんかくにん ここ クリック』。カードばんごう いれました",
                "カード止めるにはどこに電話すれば",
            ),
            "0120-629-215",
            "#9110",
        ),
        (
            ("SNSで借りたとこから、払わないと職場に電話するって言われてる", "警察に言ったら家族にバレますか"),
            "#9110",
            "カードを止めて",
        ),
    ],
)
def test_safety_words_never_read_the_opposite_way(friday_talk, turns, expected, not_said):
    *_, answer = friday_talk(*turns)
    assert expected in answer and not_said not in answer


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("毎月25日の返済リマインドして", "通知は夕方17時くらいにしてもらえる?"), "3日前と当日、17:00"),
        (("毎月10日の返済、2日前に知らせて", "それと当日の朝8時にもお願い"), "2日前と当日、8:00"),
    ],
)
def test_a_repayment_draft_changed_with_a_polite_question_or_an_addition(friday_talk, turns, expected):
    *_, answer = friday_talk(*turns)
    assert expected in answer and "お答えできません" not in answer


def test_asking_whether_the_id_is_the_card_number_is_answered_not_warned(friday_talk):
    (answer,) = friday_talk("IDってカード番号のこと？")
    assert "ログインに使う番号" in answer and "伏せて" not in answer


def test_a_calendar_question_with_a_laugh_after_it():
    assert calendar_answer("今日何曜日だっけ笑", FRIDAY_EVENING.astimezone(TOKYO).date()) == "今日は12月4日(金)です。"


def test_the_day_of_paying_back_in_plain_words_starts_the_repayment_reminder(friday_talk):
    first, day = friday_talk("レイクの返しの日を忘れないようにしたいです", "毎月10日です")
    assert "返済日（約定日）はいつですか" in first
    assert "返済日は毎月10日" in day and "「す」" not in day


def test_the_year_end_is_not_the_month_end_and_paying_at_an_atm_is_answered(friday_talk):
    _, asked = friday_talk(
        "アコム、毎月25日の返済リマインドして", "25日ってクリスマスやん。年末年始ってATMで返せるん？"
    )
    assert "ATMや銀行振込" in asked and "毎月末日" not in asked and "返済日は毎月25日" in asked


def test_a_lender_corrected_at_a_draft_takes_the_draft_along(friday_talk):
    *_, again, saved, status = friday_talk(
        "アコムの返済日は毎月15日", "ごめん間違い、アコムじゃなくてアイフル", "はい", "わたしの状況"
    )
    assert "アイフルで翌" in again and "設定しました" not in again
    assert "設定しました" in saved
    assert "アイフル" in status
