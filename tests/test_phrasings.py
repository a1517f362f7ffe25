"""How people actually write: each phrasing must land on the right cause or command, in one turn."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.diagnosis.steps import DiagnosisSteps
from bot.core.dialogue.actions import Command, GoCause, RepayDay
from bot.core.dialogue.conversation import ConversationState
from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.situation.facts import Situation

# The words of the button that calls a person, as declared with its command.
CALL_LABEL = DiagnosisSteps._call.__command_spec__.label  # type: ignore[attr-defined]

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
USER = UserRef("test", "u1")

PHRASINGS = [
    # lost or stolen card
    ("カードを落とした", "lost_card"),
    ("カード落とした", "lost_card"),
    ("カードをなくしました", "lost_card"),
    ("カード無くした", "lost_card"),
    ("カードを失くしてしまいました", "lost_card"),
    ("カード紛失", "lost_card"),
    ("カードを盗まれた", "lost_card"),
    ("財布ごと盗まれました", "lost_card"),
    ("カードが見つからない", "lost_card"),
    ("かーどおとした", "lost_card"),
    ("ｶｰﾄﾞ落とした", "lost_card"),
    ("カードどこかにいった", "lost_card"),
    ("財布を落としてしまって…", "lost_card"),
    ("電車でスリにあってすられた", "lost_card"),
    ("カードを落としてログインできない", "lost_card"),
    # forgotten PIN
    ("暗証番号忘れた", "forgot_pin"),
    ("暗証番号を忘れてしまいました", "forgot_pin"),
    ("あんしょうばんごうわすれた", "forgot_pin"),
    ("パスワード忘れた", "forgot_pin"),
    ("パスワードがわからない", "forgot_pin"),
    ("暗証番号が思い出せません", "forgot_pin"),
    ("PIN忘れた", "forgot_pin"),
    ("ｐｉｎを忘れました", "forgot_pin"),
    ("暗証番号わからなくなった", "forgot_pin"),
    ("ﾊﾟｽﾜｰﾄﾞ忘れた", "forgot_pin"),
    ("暗証番号を覚えていない", "forgot_pin"),
    ("パス忘れちゃった", "forgot_pin"),
    # locked
    ("ロックされた", "locked"),
    ("ロックがかかりました", "locked"),
    ("アカウントがロックされてしまった", "locked"),
    ("ろっくされた", "locked"),
    ("暗証番号を何回も間違えた", "locked"),
    ("3回間違えた", "locked"),
    ("３回まちがえました", "locked"),
    ("何度も間違えてしまった", "locked"),
    ("暗証番号を5回ミスした", "locked"),
    ("ﾛｯｸされました", "locked"),
    # wrong format
    ("番号が違うと出る", "wrong_format"),
    ("カード番号が違いますと表示される", "wrong_format"),
    ("IDが違うって言われる", "wrong_format"),
    ("Web-IDが違うと出ます", "wrong_format"),
    ("入力エラーになる", "wrong_format"),
    ("正しくありませんと表示されます", "wrong_format"),
    ("ハイフンを入れていいの？", "wrong_format"),
    ("全角で入力してた", "wrong_format"),
    # suspended
    ("利用停止になった", "suspended"),
    ("利用停止されました", "suspended"),
    # Late without a word about logging in: call soon (and free counselling), not 「利用停止」 first.
    ("延滞してしまいました", "reply:late"),
    ("止められたみたい", "suspended"),
    ("返済が遅れてしまった", "suspended"),
    ("延滞してます", "reply:late"),
    ("ご利用いただけませんと出る", "suspended"),
    # maintenance
    ("メンテナンス中と出た", "maintenance"),
    ("メンテ中？", "maintenance"),
    ("めんてなんすちゅう", "maintenance"),
    ("ｻｰﾊﾞｰが落ちてる？", "maintenance"),
    ("システムが停止してる", "maintenance"),
    ("サイトにつながらない", "maintenance"),
    # commands
    ("ログインできない", "cmd:start"),
    ("ログインできません", "cmd:start"),
    ("ろぐいんできない", "cmd:start"),
    ("ﾛｸﾞｲﾝできない", "cmd:start"),
    ("ログイン出来ないんですけど", "cmd:start"),
    ("アプリに入れない", "cmd:start"),
    ("会員ページにログインできず困っています", "cmd:start"),
    ("login", "cmd:start"),
    ("ヘルプ", "cmd:help"),
    ("help", "cmd:help"),
    ("HELP", "cmd:help"),
    ("？", "cmd:help"),
    ("使い方", "cmd:help"),
    ("何ができる？", "cmd:help"),
    ("状況", "cmd:status"),
    ("わたしの状況", "cmd:status"),
    ("メニュー", "cmd:menu"),
    ("最初から", "cmd:start"),
]


def test_at_least_sixty_phrasings():
    assert len(PHRASINGS) >= 60


def _lands(conversation, flow, text, expected) -> bool:
    state = ConversationState(welcomed=True)
    out = conversation.handle(state, Situation(), Incoming(USER, text=text), NOW)
    body = "\n".join(r.text for r in out.replies)
    if expected == "reply:late":
        return flow.repay_urgent["late"] in body and out.state.node is None
    if expected.startswith("cmd:"):
        command = expected[4:]
        if command == "start":
            return out.state.node == flow.start
        if command == "help":
            return "このボットでできること" in body
        if command == "status":
            return "まだ何も教えていただいていません" in body
        return out.state.node is None and "何をお手伝いしましょうか" in body
    return out.state.node == expected and flow.nodes[expected].title in body


def _asks_with(conversation, flow, text, expected) -> bool:
    """Unsure is allowed: 「もしかして」 with the right meaning among the choices is not a miss."""
    out = conversation.handle(ConversationState(welcomed=True), Situation(), Incoming(USER, text=text), NOW)
    last = out.replies[-1]
    return "もしかして" in last.text and any(
        (c.action == GoCause(expected)) or (expected.startswith("cmd:") and isinstance(c.action, Command))
        for c in last.choices
    )


def test_phrasings_land_in_one_turn_or_ask(conversation, flow):
    """The table is a regression set written before the classifier: at most one phrasing in 25 may miss."""
    missed = [
        (text, expected)
        for text, expected in PHRASINGS
        if not _lands(conversation, flow, text, expected) and not _asks_with(conversation, flow, text, expected)
    ]
    assert len(missed) <= len(PHRASINGS) // 25, missed


@pytest.mark.parametrize(
    ("text", "expected"),
    [p for p in PHRASINGS if p[1] in ("lost_card", "cmd:help", "cmd:menu", "cmd:status") or p[0] == "ログインできない"],
)
def test_urgent_and_command_phrasings_never_miss(conversation, flow, text, expected):
    assert _lands(conversation, flow, text, expected) or _asks_first(conversation, text, expected), text


def _asks_first(conversation, text, expected) -> bool:
    """An unsure reading may ask, but then the right meaning is the first choice."""
    out = conversation.handle(ConversationState(welcomed=True), Situation(), Incoming(USER, text=text), NOW)
    last = out.replies[-1]
    return "もしかして" in last.text and last.choices[0].action == GoCause(expected)


@pytest.mark.parametrize("text", ["支払いってどうすれば", "返済のことで相談したい", "今日は返済日だった"])
def test_repayment_talk_without_a_day_offers_the_repayment_reminder(conversation, text):
    out = conversation.handle(ConversationState(welcomed=True), Situation(), Incoming(USER, text=text), NOW)
    first = out.replies[-1].choices[0].action
    # Either the offer itself, or straight to its first question (which repayment day).
    assert first == Command("remind_repay") or isinstance(first, RepayDay), out.replies[-1].text


@pytest.mark.parametrize(
    "text", ["あいうえお", "今日はいい天気ですね", "🍣🍣🍣", "x" * 10_000, "\x00\x07\x1b[31m", "ー", "!!!"]
)
def test_anything_else_gets_a_kind_answer_and_the_menu(conversation, text):
    out = conversation.handle(ConversationState(welcomed=True), Situation(), Incoming(USER, text=text), NOW)
    assert out.replies and "うまく読み取れませんでした" in out.replies[-1].text
    menu_and_a_person = ["ログインできない", "リマインダー", "わたしの状況", "ヘルプ", CALL_LABEL]
    assert [c.label for c in out.replies[-1].choices] == menu_and_a_person
    assert out.effects == []
