"""A turn whose message held a secret (hidden before anything read it): what is said beside it, and
the warning placed among the answers."""

from __future__ import annotations

import re

from bot.core.dialogue import texts
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.state import Outcome

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
