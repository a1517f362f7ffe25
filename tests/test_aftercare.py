"""The next message is read as about what was just answered: care after crisis words, what to do
after a fraud warning, an honest answer to a question about a result, and a message that answers
two flow questions at once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.diagnosis.flow import load_flow
from bot.core.dialogue.conversation import Conversation, ConversationState
from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.situation.facts import Situation
from bot.core.understanding import build

TZ = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=TZ)  # a Wednesday morning: no maintenance window
FLOW = load_flow()
USER = UserRef("test", "after")


@pytest.fixture(scope="module")
def conv() -> Conversation:
    return Conversation(FLOW, TZ, build(FLOW.path, FLOW.causes))


def chat(conv: Conversation, *messages: str) -> list[str]:
    """The text of the bot's answer to each message, in one conversation."""
    state, said = ConversationState(welcomed=True), []
    for message in messages:
        out = conv.handle(state, Situation(), Incoming(USER, text=message), NOW)
        state = out.state
        said.append(
            "\n".join(r.text for r in out.replies) + "\n" + " / ".join(c.label for r in out.replies for c in r.choices)
        )
    return said


def test_after_crisis_words_a_wish_to_talk_is_met_with_people_who_listen(conv):
    first, second = chat(conv, "借金で首が回らない。もう終わりにしたい", "話聞いてほしい")
    assert "よりそいホットライン" in first
    assert "0120-279-338" in second and "削除" not in second and "消しますか" not in second


def test_a_wish_to_talk_alone_gets_a_help_line(conv):
    [answer] = chat(conv, "誰かに話を聞いてほしい")
    assert "0120-279-338" in answer


def test_a_mail_with_a_link_is_warned_and_its_follow_ups_answered(conv):
    warned, real, clicked = chat(
        conv, "「ご利用停止のお知らせ」ってメールきた。リンクある", "本物？", "リンク押しちゃった"
    )
    assert "詐欺" in warned
    assert "公式" in real and "このボット" not in real
    assert "入力してしまったとき" in clicked and "0120-24-0365" in clicked


def test_a_question_about_a_result_keeps_the_result_and_says_whom_to_ask(conv):
    *_, asked = chat(conv, "ログインできない", "3", "どのくらい待てば解除されますか？")
    assert "確かなお答えができません" in asked and "0120-24-0365" in asked
    assert "まだ解決しない" in asked  # the result's own choices stay


def test_a_question_is_never_a_goodbye(conv):
    *_, asked = chat(conv, "ログインできません", "いつ終わりますか")
    assert "ご利用ありがとうございました" not in asked


def test_one_message_answers_two_questions_of_the_flow(conv):
    _, shown = chat(conv, "ログインできません", "メンテナンス中って表示されました")
    assert "メンテナンス" in shown and "何と表示されていますか" not in shown
    _, denied = chat(conv, "ログインできません", "利用停止って出とる")
    assert "返済が遅れたことはありますか" in denied


def test_words_of_a_choice_denied_right_after_do_not_answer_the_next_question(conv):
    _, said = chat(conv, "ログインできません", "メンテナンスじゃないと思う")
    assert "【メンテナンス中】" not in said


def test_no_at_a_result_steps_up_to_the_next_cause(conv):
    *_, said = chat(conv, "ログインできないです。メンテかな？", "いや、メンテじゃなかった")
    assert "ほかの原因" in said and "うまく読み取れませんでした" not in said


@pytest.mark.parametrize(
    ("message", "what"),
    [("名前は田中です", "お名前"), ("スマホはiPhoneです", "お使いの機種"), ("年収は300万くらいです", "収入や金額")],
)
def test_a_fact_the_bot_does_not_keep_is_thanked_and_said_so(conv, message, what):
    [said] = chat(conv, message)
    assert what in said and "もしかして" not in said


def test_a_kana_hour_and_a_lead_in_sentence_do_not_end_up_in_the_task():
    from bot.core.dates.jptime import parse_when

    now = datetime(2026, 12, 4, 10, 0, tzinfo=TZ)
    kana = parse_when("あしたじゅうじにでんわ", now)
    assert kana.at.hour == 10 and kana.rest == "でんわ"
    half = parse_when("あさってのごごさんじはんにびょういん", now)
    assert (half.at.hour, half.at.minute, half.rest) == (15, 30, "びょういん")
    assert parse_when("ないか。じゃあ明日18時に薬", now).rest == "薬"
    assert parse_when("明日の10時ってリマインドしてくれるの？", now).rest == ""
    assert parse_when("たからくじ買う", now) is None and parse_when("ごじつ連絡", now) is None


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("ちなみに通知ってどこに来るの？", "個別のトーク"),
        ("スヌーズできる？", "1時間後にもう一度"),
        ("返済日のお知らせって何日前まで設定できる？", "1〜7日前"),
        ("なんで覚えてくれないの？", "記録しない"),
    ],
)
def test_a_question_about_the_bot_is_answered_and_the_task_comes_back(conv, question, answer):
    _, said = chat(conv, "明日10時に電話", question)
    assert answer in said and "この内容で設定しますか" in said
