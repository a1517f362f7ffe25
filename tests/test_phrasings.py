"""How people actually write: each phrasing must land on the right cause or command, in one turn."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.conversation import ConversationState
from bot.core.messages import Incoming, UserRef
from bot.core.situation import Situation

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
    ("延滞してしまいました", "suspended"),
    ("止められたみたい", "suspended"),
    ("返済が遅れてしまった", "suspended"),
    ("延滞してます", "suspended"),
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


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_phrasing(conversation, flow, text, expected):
    state = ConversationState(welcomed=True)
    out = conversation.handle(state, Situation(), Incoming(USER, text=text), NOW)
    body = "\n".join(r.text for r in out.replies)
    if expected.startswith("cmd:"):
        command = expected[4:]
        if command == "start":
            assert out.state.node == flow.start, body
        elif command == "help":
            assert "このボットでできること" in body
        elif command == "status":
            assert "まだ何も教えていただいていません" in body
        elif command == "menu":
            assert out.state.node is None and "何をお手伝いしましょうか" in body
    else:
        assert out.state.node == expected, f"{text!r} went to {out.state.node}: {body[:80]}"
        assert flow.nodes[expected].title in body


@pytest.mark.parametrize("text", ["返済を忘れてた", "今日は返済日だった", "支払いってどうすれば"])
def test_repayment_talk_without_a_day_offers_the_repayment_reminder(conversation, text):
    out = conversation.handle(ConversationState(welcomed=True), Situation(), Incoming(USER, text=text), NOW)
    assert "返済のことですね" in out.replies[-1].text
    assert out.replies[-1].choices[0].value == "a:remind_repay"


@pytest.mark.parametrize(
    "text", ["あいうえお", "今日はいい天気ですね", "🍣🍣🍣", "x" * 10_000, "\x00\x07\x1b[31m", "ー", "!!!"]
)
def test_anything_else_gets_a_kind_answer_and_the_menu(conversation, text):
    out = conversation.handle(ConversationState(welcomed=True), Situation(), Incoming(USER, text=text), NOW)
    assert out.replies and "うまく読み取れませんでした" in out.replies[-1].text
    assert [c.label for c in out.replies[-1].choices] == ["ログインできない", "リマインダー", "わたしの状況", "ヘルプ"]
    assert out.effects == []
