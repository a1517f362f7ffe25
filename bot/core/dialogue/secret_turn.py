"""A turn whose message held a secret (hidden before anything read it): what is said beside it, and
the warning placed among the answers."""

from __future__ import annotations

import re

from bot.core.dialogue import texts
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.state import Outcome
from bot.core.safety.guard import MARK
from bot.core.understanding.textnorm import clean

# Erasing, said beside a secret (「やめて、消して」): about that secret (nothing was kept).
_ERASE_IT = re.compile(r"消して|けして|消しと|けしと|削除|さくじょ|忘れて|わすれて")


def hear_beside_secret(out: Outcome, found: bool, text: str) -> None:
    """「カード番号〇〇…やめて、消して」: erasing said beside a secret is read as after one."""
    out.hid_before = out.hid_before or (found and bool(_ERASE_IT.search(text)))


def warn_hidden(out: Outcome, start: int) -> None:
    """The rest of the request was answered; the warning goes first, after an urgent answer."""
    first = out.replies[start] if len(out.replies) > start else None
    at = start + 1 if first is not None and first.important else start
    out.replies.insert(at, Reply(texts.SECRET_HIDDEN))
    out.state.hid = True


# A hidden value typed in full-width digits (「１２３４みたいな感じで」): the value goes, what it shows
# stays as words, so the answer can be about full-width input.
_WIDE_DIGITS = re.compile(r"[０-９]{3,}")


def with_what_it_showed(text: str, raw: str, found: bool) -> str:
    """The text, with 「全角で打ってた」 when the secret hidden from it was typed in full-width digits."""
    return f"{text}。全角で打ってた" if found and _WIDE_DIGITS.search(raw) else text


def without_the_secret(text: str) -> str:
    """The text without the clauses that asked to note a hidden secret (「ついでにPIN…もメモっといて」);
    the text itself when there is none, or nothing else."""
    parts = re.split(r"(?<=[、,。!！?？\n])", text)
    kept = "".join(p for p in parts if not ((MARK in p or clean(MARK) in p) and _NOTE_IT.search(p))).strip(" 、,")
    return kept if len(kept) >= 2 else text


# Asking to note a secret: 「メモっといて」 「覚えといて」 「保存して」.
_NOTE_IT = re.compile(r"メモ|めも|覚え|おぼえ|保存|ほぞん|記録|きろく|控え|ひかえ|登録|とうろく|入れ")
