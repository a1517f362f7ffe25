"""Answers at the confirmation that act on every draft on the screen: some of several kept
(「ATMのだけ残して」), or the drafts made to repeat (「毎日にして」), each at its own time."""

from __future__ import annotations

from datetime import datetime

from bot.core.reminders.asking import confirm, confirm_several
from bot.core.reminders.detect import repeat_spec
from bot.core.reminders.host import Ctx
from bot.core.reminders.kinds.base import Answer, Kind
from bot.core.reminders.recurrence import Rule
from bot.core.reminders.rule_edits import repetition_said
from bot.core.reminders.setup_state import Confirm, Spec
from bot.core.reminders.several import kept_of


def drafts_on_screen(spec: Spec, a: Answer) -> list[Spec]:
    """The draft asked about and the ones asked for with it (several confirmed with one yes)."""
    pending = a.out.state.pending
    return [spec, *pending.queued] if isinstance(pending, Confirm) else [spec]


def some_of_several(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    """「ATMのだけ残して」 「市役所はいらない」 when several were asked for at once: those kept."""
    drafts = drafts_on_screen(spec, a)
    kept = kept_of(drafts, a.text) if len(drafts) > 1 else None
    if not kept:
        return False
    a.out.state.pending = Confirm(kept[0])  # asked again without the others
    if len(kept) == 1:
        confirm(ctx, a.out, kept[0], a.now)
    else:
        confirm_several(ctx, a.out, kept, a.now)
    return True


def repeated(ctx: Ctx, kind: Kind, spec: Spec, a: Answer) -> bool:
    """「毎日にして」 「平日だけで」: the draft repeats by the rule said, at its own time unless one is said;
    several drafts on the screen (「朝8時と夜8時に犬の散歩」) each repeat at their own time."""
    if not (kind.by_rule or kind.takes_moment) or not spec.what:
        return False
    drafts = drafts_on_screen(spec, a)
    rules = [repetition_of(ctx, draft, a) for draft in drafts]
    if rules[0] is None:
        return False  # the draft asked about is not made to repeat by these words
    specs: list[Spec] = []
    for draft, rule in zip(drafts, rules, strict=True):
        made = repeat_spec(rule.to_json(), draft.what, draft.replace) if rule is not None else None
        if made is not None and made not in specs:
            specs.append(made)
    if len(specs) == 1:
        confirm(ctx, a.out, specs[0], a.now)
    else:
        confirm_several(ctx, a.out, specs, a.now)
    return True


def repetition_of(ctx: Ctx, spec: Spec, a: Answer) -> Rule | None:
    """The rule said for one draft, at the draft's own time unless the words say one."""
    if spec.rule:
        keep = Rule.from_json(spec.rule).clock
    elif spec.at:
        keep = ctx.local(datetime.fromisoformat(spec.at)).time().replace(tzinfo=None)
    else:
        return None
    return repetition_said(a.text, keep, ctx.local(a.now), spec.what)
