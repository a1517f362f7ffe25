"""Guidance for someone who does not know where to start, and the 「もしかして」 question.

A first-time or lost user (「初めてでよくわからない」, 「何ができるの？」) gets a welcome with three
example sentences, not an apology for a message the bot "could not read". A 「もしかして」 with only
one likely meaning asks yes or no about it instead of 「次のどれですか？」 over one option.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Choice, Reply

# Asking what the bot is or how to begin (typed text after normalisation: lower case, no spaces).
_LOST = re.compile(
    r"初めて|はじめて|初心者|使い方が(?:わか|分か)|使い方(?:を)?教え|どう使|つかいかた"
    r"|何ができ|なにができ|何してくれ|なにしてくれ|何をすれば|なにをすれば|何すれば|どうすればいい(?:の|です)?か?[?？]?$"
    r"|よく(?:わか|分か)らない(?:ん|の|けど|です)"
)
# Words that make it a request about something in particular (then the reading answers it).
_ABOUT = re.compile(
    r"暗証|パスワード|ロック|カード|返済|リマインダ|お知らせ|通知|記録|削除|消|電話|番号|止め|停止|メンテ"
)


def is_lost(key: str) -> bool:
    """True for 「初めてでよくわからない」 「何ができるの？」: where to start, not a request."""
    return bool(_LOST.search(key)) and not _ABOUT.search(key)


def welcome(text: str, menu: Sequence[Choice]) -> Reply:
    """The welcome for a lost user: what the bot does and three sentences to send (``text`` filled)."""
    return Reply(text, tuple(menu))


def maybe(options: Sequence[Choice]) -> Reply:
    """「もしかして」: with one likely meaning, a yes/no question about it; with more, which one."""
    real = [c for c in options if c.action != Command("none_of_these")]
    if len(real) == 1:
        [only] = real
        yes = Choice(texts.LABEL_MAYBE_YES, only.action)
        no = Choice(texts.LABEL_MAYBE_NO, Command("none_of_these"))
        return Reply(texts.MAYBE_ONE.format(label=only.label), (yes, no))
    return Reply(texts.MAYBE, tuple(options))
