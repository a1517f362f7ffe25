"""Middle-of-a-task turns of fresh conversations: back with the company's name, any time is fine,
good night at a draft, what the bot can do while a task is asked, which lead is best."""


def test_back_with_the_company_goes_on_with_the_diagnosis(friday_talk):
    *_, answer = friday_talk("ログインできない", "ちょっと待って、お風呂入ってくる", "戻った。プロミスです")
    assert "いちばん近いもの" in answer and "何をお手伝いしましょうか" not in answer


def test_any_time_keeps_the_drafts_time(friday_talk):
    _draft, answer = friday_talk("毎月15日返済なのでリマインドください", "何時でもいい")
    assert answer.startswith("では、時刻はこのままにしておきます。") and "本人確認書類" not in answer


def test_good_night_at_a_draft_keeps_it_and_says_so(friday_talk):
    _draft, answer, listed = friday_talk("明日の朝イチで役所に行くって教えて", "ありがとう、おやすみ", "リマインダー")
    assert "おやすみなさい" in answer and "設定しておきました" in answer
    assert "役所に行く" in listed


def test_what_can_you_do_while_a_task_is_asked_answers_and_asks_again_once(friday_talk):
    _asked, answer, draft = friday_talk("リマインド作って", "そもそも何ができるの？", "じゃあ返済日のやつで、毎月20日")
    assert "このボットでできること" in answer and answer.count("お知らせの設定に戻ります") == 1
    assert "返済日は毎月20日ですね" in draft


def test_which_lead_is_best_gets_a_suggestion(friday_talk):
    _asked, answer = friday_talk("返済リマインド作りたい", "何日前がおすすめ？")
    assert "3日前と当日がおすすめ" in answer
