"""The diagnosis as a conversation: questions, results, stepping up, urgent repayment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.core.dates.jptime import utc_stamp
from bot.core.diagnosis import result_view
from bot.core.diagnosis.flow import NOW, Flow, FlowChoice, Node
from bot.core.diagnosis.lost_card import LostCard
from bot.core.diagnosis.repay_talk import RepayTalk
from bot.core.diagnosis.result_view import NAMED, lead_step, unnamed_password
from bot.core.dialogue import texts
from bot.core.dialogue.actions import (
    Command,
    FactEdit,
    GoCause,
    Pick,
    decode,
    encode,
)
from bot.core.dialogue.commands import command
from bot.core.dialogue.messages import (
    Choice,
    RecordFacts,
    Reply,
)
from bot.core.dialogue.state import Outcome
from bot.core.dialogue.words import (
    ACT,
    ALSO_CAUSE,
    STILL_STUCK,
)
from bot.core.reminders.setup_answers import yes_no
from bot.core.situation.facts import Situation
from bot.core.understanding import Reading

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


STEP_NAMED = "{word}のことなら、こちらです。\n{step}"


def _named_again(flow: Flow, node: Node, said: str) -> str:
    """At the same result, the step for the one thing named (not the first step), or the line that
    says a named password is not known here; "" when nothing is named."""
    index = lead_step(node, said)
    if index > 0:
        word = next(w for pattern, w in NAMED if pattern.search(said))
        return STEP_NAMED.format(word=word, step=node.steps[index])
    return unnamed_password(flow, node, said)


SAME_RESULT = "それなら、いまお伝えした【{title}】のとおりです。上の手順をお試しください。"


class DiagnosisSteps:
    """The diagnosis as a conversation: questions, results, stepping up, urgent repayment."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv
        self.repay = RepayTalk(self)
        self.lost_card = LostCard(self)

    def _act_on(self, out: Outcome, reading: Reading, situation: Situation, now: datetime) -> None:
        """Act on a confident reading: several causes are all answered, an urgent one first."""
        top = reading.top
        if top.intent in self.conv.flow.causes:
            causes = self.conv.understanding.causes_in(reading, self.conv.flow.causes, ALSO_CAUSE)
            if top.intent not in causes:
                causes.insert(0, top.intent)
            urgent = [c for c in causes if (n := self.conv.flow.result_for(c)) is not None and n.urgent]
            ordered = urgent + [c for c in causes if c not in urgent]
            node = self.conv.flow.result_for(ordered[0])
            if node is not None:
                self._go(out, node, now, from_node=out.state.node, situation=situation, also=ordered[1:])
            return
        node = self.conv.flow.nodes.get(out.state.node or "")
        if top.intent in STILL_STUCK and node is not None and node.is_final:
            # 「まだログインできない」 right after a result: the advice did not help, so step up.
            self._not_solved(out, situation, now)
            return
        action = self.conv._intent_action(top.intent)
        if action is None:
            self.conv.fallback._not_understood(out, now)
        else:
            self.conv.dispatch(out, action, situation, now)

    def _choose(self, out: Outcome, node: Node, choice: FlowChoice, situation: Situation, now: datetime) -> None:
        if choice.facts:
            out.effects.append(RecordFacts(self._facts(choice.facts, now)))
        target = self.conv.flow.nodes.get(choice.next or "")
        if target is None:
            self.conv.stale(out)
            return
        self._go(out, target, now, from_node=node.id, situation=situation)

    @command("back", label="ひとつ戻る")
    def _back(self, out: Outcome, situation: Situation, now: datetime) -> None:
        state = out.state
        if any(value == encode(Command("result")) for _label, value in state.offered):
            # 「戻る」 typed under the ID list: back to the advice, as its own button says.
            self._result_again(out, situation, now)
            return
        if state.back:
            previous = self.conv.flow.nodes.get(state.back.pop())
            if previous is not None:
                state.node = previous.id
                if previous.is_final:
                    out.replies.append(Reply(texts.AFTER_RESULT, self._result_choices(previous)))
                else:
                    out.replies.extend(self._render_question(previous))
                return
        self.conv._menu(out)

    @command("pin_by_phone", label="来店せずに暗証番号を再設定したい")
    def _pin_by_phone(self, out: Outcome, situation: Situation, now: datetime) -> None:
        text = self.conv.flow.answers.get("pin_by_phone", "")
        choices = (Choice("来店のお知らせを設定", Command("remind_visit")), Choice(texts.LABEL_MENU, Command("menu")))
        out.replies.append(Reply("\n\n".join(x for x in (text, self.conv.render._machines_text()) if x), choices))

    @command("card_found", label="カードが見つかった")
    def _card_found(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self.lost_card.found(out, situation, now)

    def _lost_cause(self) -> str | None:
        """The cause whose result is the urgent lost-card answer (flow data)."""
        return self.lost_card.cause()

    @command("none_of_these")
    def _none_of_these(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """「どれでもない」 after a 「もしかして」: ask again what the user is in, or invite a few words."""
        if self.conv.fallback._in_question(out):
            self.conv.fallback._repeat_question(out, now, texts.NONE_OF_THESE)
        else:
            out.replies.append(Reply(texts.NONE_OF_THESE, self.conv.menu_choices()))

    @command("diagnose", label="ログインできない", intents=("cant_login",), followup=True)
    def diagnose(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self._start_diagnosis(out, now)

    @command("restart", label="最初からやり直す", words=(texts.LABEL_RESTART,))
    def restart(self, out: Outcome, situation: Situation, now: datetime) -> None:
        self._start_diagnosis(out, now)

    @command("machines", label="自動契約機の営業時間を見る", followup=True)
    def machines(self, out: Outcome, situation: Situation, now: datetime) -> None:
        out.replies.append(Reply(self.conv.render._machines_text(), self.conv.menu_choices()))

    def _start_diagnosis(self, out: Outcome, now: datetime) -> None:
        out.state.pending = None
        out.state.back = []
        out.state.node = self.conv.flow.start
        maintenance = self.conv.flow.maintenance
        window = maintenance.window_at(now) if maintenance is not None else None
        if maintenance is not None and window is not None:
            # The clock knows what the user cannot see: say first that it may be maintenance.
            if window.say:
                out.replies.append(Reply(window.say))
            else:
                lead = maintenance.lead.replace("{window}", window.label)
                advice = window.advice or texts.MAINTENANCE_ADVICE
                out.replies.append(Reply(f"{lead}\n{maintenance.note}\n{advice}"))
        out.replies.extend(self._render_question(self.conv.flow.nodes[self.conv.flow.start]))

    @command("not_solved", label="まだ解決しない")
    def _not_solved(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """「まだ解決しない」: the next likely cause not yet shown in this diagnosis, then the last step."""
        node = self.conv.flow.nodes.get(out.state.node or "")
        if node is None:
            self._start_diagnosis(out, now)
            return
        shown = [n for n in out.state.back if (b := self.conv.flow.nodes.get(n)) is not None and b.is_final]
        if not node.is_final:
            self._stuck_at_question(out, node, shown, situation, now)
            return
        # The way back holds every node of this diagnosis: what was already shown is not shown again.
        covered = {*out.state.back, node.id}
        target = self.conv.flow.step_up(node.id, covered, now)
        if target is None:
            self._stuck_at_end(out, self._carry_hours(node, shown))
            return
        lead = texts.STEP_UP_CALL if target.end else texts.STEP_UP_CAUSE if target.is_final else texts.STEP_UP_ASK
        if target.end:
            target = self._carry_hours(target, [*shown, node.id])
        self._go(out, target, now, from_node=node.id, situation=situation, lead=lead)

    def _stuck_at_question(
        self, out: Outcome, node: Node, shown: Sequence[str], situation: Situation, now: datetime
    ) -> None:
        last = self.conv.flow.nodes.get(self.conv.flow.last_step or "")
        if last is not None and (shown or out.stuck_before == node.id):
            # Still stuck at the question a step-up asked, or for the second time at this one:
            # no more questions, whom to call.
            self._go(out, self._carry_hours(last, shown), now, from_node=node.id, situation=situation)
            return
        # Not an answer to the question in front of the user: the same question once more.
        self.conv.fallback._repeat_question(out, now, texts.PICK_CLOSEST)
        out.state.stuck_at = node.id

    def _stuck_at_end(self, out: Outcome, node: Node) -> None:
        """Already at the last step: not the whole step again, just whom to call, in one bubble."""
        contact = self.conv.flow.contacts[node.contacts[0]] if node.contacts else None
        name = contact.name if contact else self.conv.flow.lender.get("name", "")
        lines = [texts.STILL_STUCK_AT_END.format(name=name)]
        for cid in node.contacts:
            lines += self.conv.render._contact_block(cid, node.contact_hours, out, intro=False)
        out.replies.append(Reply("\n".join(lines), self._result_choices(node)))

    def _yes_no_to_a_fact(self, out: Outcome, key: str, reading: Reading, situation: Situation, now: datetime) -> bool:
        """「いいえ」 to 「最近、返済が遅れたことはありますか？」 asked by a correction: its own button."""
        offered = [decode(value) for _label, value in out.state.offered]
        edits = [a for a in offered if isinstance(a, FactEdit) and a.verb == "set" and a.value in ("1", "0")]
        if len(edits) != 2:
            return False
        answer = yes_no(key, reading, ACT)
        if answer not in ("yes", "no"):
            return False
        self.conv.dispatch(out, next(a for a in edits if a.value == ("1" if answer == "yes" else "0")), situation, now)
        return True

    @command("result")
    def _result_again(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """The result the user is at, shown again (「結果に戻る」 after the ID list)."""
        node = self.conv.flow.nodes.get(out.state.node or "")
        if node is None or not node.is_final:
            self.conv._menu(out)
            return
        out.replies.extend(self.conv.render._render_final(node, out))

    @command("solved", label="ログインできた")
    def _solved(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """「ログインできた」: glad, with what the bot can still do. After a result 「まだ解決しない」 stays
        offered: a misread success must not leave a stuck user without the next step."""
        node = self.conv.flow.nodes.get(out.state.node or "")
        choices = self.conv.menu_choices()
        if node is not None and node.is_final and node.id != self.conv.flow.last_step:
            choices = (*choices, Choice(texts.LABEL_NOT_SOLVED, Command("not_solved")))
        out.replies.append(Reply(texts.SOLVED, choices))

    @command("call", label="電話で相談したい")
    def _call(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """「オペレーターと話したい」: the call step at once, with the hours the causes shown so far need."""
        last = self.conv.flow.nodes.get(self.conv.flow.last_step or "")
        if last is None:
            self._start_diagnosis(out, now)
            return
        here = out.state.node
        shown = [
            n for n in (*out.state.back, here or "") if (b := self.conv.flow.nodes.get(n)) is not None and b.is_final
        ]
        self._go(out, self._carry_hours(last, shown), now, from_node=here, situation=situation)

    def _carry_hours(self, target: Node, shown: Sequence[str]) -> Node:
        """The last step with the contact hours an urgent result already shown needed (a lost card's
        24-hour line must not give way to office hours when the user is still stuck)."""
        hours = {cid: list(names) for cid, names in target.contact_hours.items()}
        for node_id in shown:
            earlier = self.conv.flow.nodes.get(node_id)
            if earlier is None or not earlier.urgent or earlier.end:
                continue
            for cid, names in earlier.contact_hours.items():
                if cid in hours:
                    hours[cid] = [*names, *(n for n in hours[cid] if n not in names)]
        return replace(target, contact_hours={cid: tuple(names) for cid, names in hours.items()})

    @command("show_ids", label="本人確認書類を見る", followup=True)
    def _show_ids(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """The ID list; after a result its other offers (the reminder) stay at hand."""
        node = self.conv.flow.nodes.get(out.state.node or "")
        if node is not None and node.is_final and out.state.pending is None:
            # 「戻る」 here means the advice just read, not the question before it.
            kept = [c for c in self._result_choices(node) if c.action not in (Command("show_ids"), Command("back"))]
            choices = (*kept, Choice(texts.LABEL_BACK_TO_RESULT, Command("result")))
        else:
            choices = (self.conv._choice_menu(),)
        asked = result_view.id_asked(self.conv.flow, out.said)  # 「マイナンバーカードでいける？」
        out.replies.append(Reply("\n".join(x for x in (asked, self.conv.render._ids_text()) if x), choices))

    def _same_again(self, out: Outcome, node: Node) -> None:
        """The same cause said again (「何回か間違えたかも」 at the lock's result): not the result twice;
        one thing of it named (「忘れたのはパスワードのほうだった」): that step, or that it is unknown."""
        lines = [_named_again(self.conv.flow, node, out.said) or SAME_RESULT.format(title=node.title)]
        if node.contacts:  # the number to call, again: it is what the person needs next
            lines += self.conv.render._contact_block(node.contacts[0], node.contact_hours, out, intro=False)
        out.replies.append(Reply("\n".join(lines), self.conv.diagnosis._result_choices(node)))

    def _go(
        self,
        out: Outcome,
        node: Node,
        now: datetime,
        from_node: str | None,
        situation: Situation,
        also: Sequence[str] = (),
        lead: str = "",
    ) -> None:
        state = out.state
        state.pending = None
        maintenance = self.conv.flow.maintenance
        while node.clock is not None:
            # Never asked: the time decides (a flow without windows cannot hold a clock node).
            inside = maintenance is not None and maintenance.window_at(now) is not None
            node = self.conv.flow.nodes[node.clock[0] if inside else node.clock[1]]
        if from_node is not None and from_node in self.conv.flow.nodes and from_node != node.id:
            state.back.append(from_node)
            del state.back[:-20]  # a bounded way back is enough
        state.node = node.id
        if node.is_final and from_node == node.id and not (also or lead):
            self._same_again(out, node)
        elif node.is_final:
            if node.facts:
                out.effects.append(RecordFacts(self._facts(node.facts, now)))
            out.replies.extend(self.conv.render._render_final(node, out, also=also, lead=lead))
        else:
            if lead:
                out.replies.append(Reply(lead))
            out.replies.extend(self._render_question(node))

    def _facts(self, facts: dict[str, Any], now: datetime) -> dict[str, Any]:
        stamp = utc_stamp(now)
        return {k: (stamp if v == NOW else v) for k, v in facts.items()}

    def _render_question(self, node: Node) -> list[Reply]:
        choices = [Choice(c.label, Pick(node.id, c.id)) for c in node.choices]
        if node.id == self.conv.flow.start:
            choices.append(self.conv._choice_menu())
        else:
            choices.extend(self.conv._nav())
        return [Reply(node.text, tuple(choices))]

    def _result_choices(self, node: Node, also: Sequence[str] = ()) -> tuple[Choice, ...]:
        nexts = [
            Choice(texts.LABEL_NEXT_CAUSE.format(title=self.conv._intent_label(c))[:20], GoCause(c)) for c in also[:2]
        ]
        offers = [Choice(c.label, Command(c.action or "menu")) for c in node.choices if c.action != "menu"]
        menus = [Choice(c.label, Command("menu")) for c in node.choices if c.action == "menu"]
        # Every result but the last step can step up; the menu and the way back come last.
        stuck = [Choice(texts.LABEL_NOT_SOLVED, Command("not_solved"))] if node.id != self.conv.flow.last_step else []
        return tuple(nexts + offers + stuck + menus + [Choice(texts.LABEL_BACK, Command("back"))])

    def _on_pick(self, out: Outcome, action: Pick, situation: Situation, now: datetime) -> None:
        node = self.conv.flow.nodes.get(action.node)
        choice = self.conv.flow.choice(action.node, action.choice)
        if node is None or choice is None:
            self.conv.stale(out)
            return
        self._choose(out, node, choice, situation, now)

    def _on_cause(self, out: Outcome, action: GoCause, situation: Situation, now: datetime) -> None:
        node = self.conv.flow.result_for(action.cause)
        if node is None:
            self.conv.stale(out)
        else:
            self._go(out, node, now, from_node=out.state.node, situation=situation)
