"""No loops and no dead ends, read as a worried user would: every path of the diagnosis, generated
from the flow data, is played through the conversation core with a fixed clock.

Every path reaches a result or the call step within five answers without asking a question twice;
「まだ解決しない」 after any result steps up (the next likely cause not yet shown, then the call) and
never starts the same tree again; results are short bubbles with the urgent action first.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.diagnosis.flow import load_flow
from bot.core.diagnosis.result_view import BUBBLE_LINES
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command, GoCause, Pick
from bot.core.dialogue.messages import Incoming, RecordFacts, UserRef
from bot.core.dialogue.state import ConversationState
from bot.core.situation.facts import Situation

USER = UserRef("test", "paths")
OUTSIDE = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # Thursday 10:00 in Tokyo: no maintenance window
INSIDE = datetime(2026, 12, 6, 18, 30, tzinfo=UTC)  # Monday 3:30 in Tokyo: early-Monday maintenance
NEW_YEAR = datetime(2026, 12, 31, 15, 30, tzinfo=UTC)  # 1 January 0:30 in Tokyo
MAX_ANSWERS = 5
FLOW = load_flow()


def _paths(flow):
    """Every way through the diagnosis: (answers as (node, choice id), clock branch taken, final node)."""
    found = []

    def walk(node_id, answers, inside, asked):
        node = flow.nodes[node_id]
        if node.clock is not None:
            # Both branches are paths: one for a time inside a window, one outside.
            if inside is not False:
                walk(node.clock[0], answers, True, asked)
            if inside is not True:
                walk(node.clock[1], answers, False, asked)
            return
        if node.is_final or len(answers) > MAX_ANSWERS or node_id in asked:
            found.append((tuple(answers), inside, node_id, node_id in asked))
            return
        for choice in node.choices:
            walk(choice.next, [*answers, (node_id, choice.id)], inside, asked | {node_id})

    walk(flow.start, [], None, frozenset())
    return found


PATHS = _paths(FLOW)


def _name(path):
    answers, inside, end, _ = path
    clock = {True: "[in window]", False: "[outside]", None: ""}[inside]
    return ">".join(f"{n}:{c}" for n, c in answers) + clock + f"=>{end}"


def _turn(conversation, state, action, now, situation=None):
    return conversation.handle(state, situation or Situation(), Incoming(USER, choice=action), now)


def _facts(out):
    facts: dict = {}
    for effect in out.effects:
        if isinstance(effect, RecordFacts):
            facts.update(effect.facts)
    return facts


def test_the_walk_finds_every_final_node_and_both_clock_branches():
    ends = {p[2] for p in PATHS}
    assert {n.id for n in FLOW.nodes.values() if n.is_final} - {FLOW.last_step} <= ends
    assert {p[1] for p in PATHS} >= {True, False}
    assert len(PATHS) >= 10


@pytest.mark.parametrize("path", PATHS, ids=[_name(p) for p in PATHS])
def test_every_path_ends_in_a_result_or_the_call_within_five_answers(conversation, path):
    answers, inside, end, revisited = path
    assert not revisited, "a question is asked twice on this path"
    assert len(answers) <= MAX_ANSWERS
    assert FLOW.nodes[end].is_final
    # Played through the core: the same path lands on the same node, every answer a question.
    now = INSIDE if inside else OUTSIDE
    state = ConversationState(welcomed=True)
    state = _turn(conversation, state, Command("diagnose"), now).state
    seen = []
    for node_id, choice_id in answers:
        assert state.node == node_id and node_id not in seen
        seen.append(node_id)
        out = _turn(conversation, state, Pick(node_id, choice_id), now)
        state = out.state
    assert state.node == end
    assert out.replies[-1].choices, "a result always offers a next step"


def test_no_input_error_reported_never_ends_in_an_input_error():
    # その他 → 利用できない → いいえ → いいえ: nothing was said about typing, so not 「入力の形式ちがい」.
    reported = FLOW.result_for("wrong_format").ask
    ends = {end for answers, _, end, _ in PATHS if reported not in [FLOW.choice(n, c).label for n, c in answers]}
    assert ends and "wrong_format" not in ends


# ---------------------------------------------------------------------- stepping up


@pytest.mark.parametrize("cause", FLOW.causes)
@pytest.mark.parametrize("now", [OUTSIDE, INSIDE], ids=["outside", "in-window"])
def test_not_solved_after_any_result_steps_up_to_the_call_without_repeating(conversation, cause, now):
    state = _turn(conversation, ConversationState(welcomed=True), GoCause(cause), now).state
    shown = [state.node]
    for _ in range(len(FLOW.nodes)):
        node = FLOW.nodes[state.node]
        if node.id == FLOW.last_step:
            break
        if not node.is_final:
            # A question reached by stepping up: the first choice keeps the walk going.
            out = _turn(conversation, state, Pick(node.id, node.choices[0].id), now)
        else:
            assert texts.LABEL_NOT_SOLVED in [c.label for c in _result_choices(conversation, state)]
            out = _turn(conversation, state, Command("not_solved"), now)
            body = "\n".join(r.text for r in out.replies)
            assert FLOW.nodes[FLOW.start].text not in body, "the same tree started again"
        state = out.state
        assert state.node not in shown, f"{state.node} shown twice after {shown}"
        shown.append(state.node)
    assert state.node == FLOW.last_step, shown
    if now == INSIDE and cause != FLOW.maintenance.result:
        assert shown[1] == FLOW.maintenance.result  # the clock says maintenance first


def _result_choices(conversation, state):
    return conversation.diagnosis._result_choices(FLOW.nodes[state.node])


def test_the_call_step_gives_number_hours_and_what_to_have_ready_never_a_pin(conversation):
    state = _turn(conversation, ConversationState(welcomed=True), GoCause("suspended"), OUTSIDE).state
    out = _turn(conversation, state, Command("not_solved"), OUTSIDE)
    assert out.state.node == FLOW.last_step
    more = _turn(conversation, out.state, Command("details"), OUTSIDE)  # 「くわしく」
    body = "\n".join(r.text for r in (*out.replies, *more.replies))
    call = FLOW.contacts["promise_call"]
    assert call.phone in body and call.hour_parts["operator"] in body
    assert "メモ" in body  # what to have ready
    # A PIN is never something to have ready: it is only ever mentioned as something not to write down.
    assert all("暗証番号" not in line or "書かないで" in line for line in body.splitlines())
    assert texts.LABEL_NOT_SOLVED not in [c.label for c in out.replies[-1].choices]
    # Still stuck at the last step: the same advice, never the start of the tree.
    again = _turn(conversation, out.state, Command("not_solved"), OUTSIDE)
    assert again.state.node == FLOW.last_step and call.phone in "\n".join(r.text for r in again.replies)


@pytest.mark.parametrize(
    "words", ["まだログインできない", "時間をおいても同じ", "まだ解決しない", "やっぱりだめでした"]
)
def test_still_stuck_in_free_text_after_a_result_steps_up(conversation, words):
    state = _turn(conversation, ConversationState(welcomed=True), GoCause("maintenance"), OUTSIDE).state
    out = conversation.handle(state, Situation(cause="maintenance"), Incoming(USER, text=words), OUTSIDE)
    assert out.state.node != FLOW.start and out.state.node != "maintenance"
    assert out.state.node in (*FLOW.nodes["maintenance"].then, FLOW.last_step)


# ---------------------------------------------------------------------- the clock


@pytest.mark.parametrize("now", [INSIDE, NEW_YEAR], ids=["monday-early", "new-year"])
def test_inside_a_window_the_diagnosis_says_first_it_may_be_maintenance(conversation, now):
    out = _turn(conversation, ConversationState(welcomed=True), Command("diagnose"), now)
    first = out.replies[0].text
    window = FLOW.maintenance.window_at(now)
    # A window with its own words (a whole day) says them; the others the lead, the soft note and advice.
    assert "メンテナンス" in first and (window.say == first or FLOW.maintenance.note in first)
    assert out.replies[-1].text == FLOW.nodes[FLOW.start].text


def test_outside_a_window_nothing_is_said_about_maintenance(conversation):
    out = _turn(conversation, ConversationState(welcomed=True), Command("diagnose"), OUTSIDE)
    assert "メンテナンス" not in "\n".join(r.text for r in out.replies)


def test_monday_at_seven_is_outside_the_early_monday_window(flow):
    assert flow.maintenance.window_at(datetime(2026, 12, 6, 21, 59, tzinfo=UTC)) is not None  # 6:59
    assert flow.maintenance.window_at(datetime(2026, 12, 6, 22, 0, tzinfo=UTC)) is None  # 7:00
    assert flow.maintenance.window_at(datetime(2026, 12, 6, 14, 59, tzinfo=UTC)) is None  # Sunday 23:59


# ---------------------------------------------------------------------- short bubbles


def _finals():
    return [n for n in FLOW.nodes.values() if n.is_final]


@pytest.mark.parametrize("node_id", [n.id for n in _finals()])
def test_a_result_is_two_or_three_bubbles_of_at_most_eight_lines(conversation, node_id):
    from bot.core.dialogue.state import Outcome

    node = FLOW.nodes[node_id]
    for shown_once, lead, also in [([], "", ()), (["counselling"], texts.STEP_UP_CAUSE, ("forgot_pin",))]:
        out = Outcome(state=ConversationState(shown_once=list(shown_once)), replies=[])
        replies = conversation.render._render_final(node, out, also=also, lead=lead)
        assert 2 <= len(replies) <= 3, [r.text for r in replies]
        for reply in replies:
            assert len(reply.text.splitlines()) <= BUBBLE_LINES, reply.text
        assert replies[-1].choices and not any(r.choices for r in replies[:-1])


def test_the_lost_card_number_is_in_the_first_bubble_under_the_first_step(conversation):
    out = _turn(conversation, ConversationState(welcomed=True), GoCause("lost_card"), OUTSIDE)
    first = out.replies[0].text.splitlines()
    call = FLOW.contacts["promise_call"]
    step_one = next(i for i, line in enumerate(first) if line.startswith("1."))
    assert call.phone in first[step_one + 1] and call.hour_parts["loss"] in "\n".join(first)
    assert not any(line.startswith("2.") for line in first[: step_one + 1])


@pytest.mark.parametrize("cause", ["locked", "suspended", "forgot_pin", "wrong_format", "maintenance"])
def test_only_a_lost_card_shows_the_loss_and_theft_line(conversation, cause):
    out = _turn(conversation, ConversationState(welcomed=True), GoCause(cause), OUTSIDE)
    body = "\n".join(r.text for r in out.replies)
    assert FLOW.contacts["promise_call"].hour_parts["loss"] not in body and "24時間" not in body


# ---------------------------------------------------------------------- after a result


def test_the_id_list_after_a_result_keeps_the_reminder_offer(conversation):
    state = _turn(conversation, ConversationState(welcomed=True), GoCause("locked"), OUTSIDE).state
    out = _turn(conversation, state, Command("show_ids"), OUTSIDE)
    labels = [c.label for c in out.replies[-1].choices]
    assert "運転免許証" in out.replies[-1].text
    assert "来店のお知らせを設定" in labels and texts.LABEL_NOT_SOLVED in labels
    assert "本人確認書類を見る" not in labels


# ---------------------------------------------------------------------- urgency


def _say(conversation, text, state=None, now=OUTSIDE):
    return conversation.handle(state or ConversationState(welcomed=True), Situation(), Incoming(USER, text=text), now)


@pytest.mark.parametrize("text", ["返済忘れてた", "返済日を過ぎちゃった", "支払いが遅れてます", "返済日は今日です"])
def test_late_or_due_today_leads_with_the_call_then_counselling_once_then_the_reminder(conversation, text):
    out = _say(conversation, text)
    first = out.replies[0].text
    assert first.startswith(FLOW.repay_urgent["late"][:8]) or first.startswith(FLOW.repay_urgent["today"][:8])
    assert FLOW.contacts["promise_call"].phone in first and FLOW.contacts["counselling"].phone in first
    assert "24時間" not in first
    assert any(c.action == Command("remind_repay") for c in out.replies[-1].choices)
    again = _say(conversation, text, out.state)
    assert FLOW.contacts["promise_call"].phone in again.replies[0].text
    assert FLOW.contacts["counselling"].phone not in "\n".join(r.text for r in again.replies)


def test_a_due_day_that_is_today_leads_with_the_call_then_confirms_the_reminder(conversation):
    out = _say(conversation, "返済日は3日です")  # 3 December
    assert FLOW.contacts["promise_call"].phone in out.replies[0].text
    assert "この内容で設定しますか" in out.replies[-1].text
    other_day = _say(conversation, "返済日は25日です")
    assert FLOW.contacts["promise_call"].phone not in "\n".join(r.text for r in other_day.replies)


def test_a_late_repayment_with_a_login_problem_is_still_diagnosed(conversation):
    out = _say(conversation, "返済が遅れてからログインできない")
    assert out.state.node == "suspended" and _facts(out).get("cause") == "suspended"


@pytest.mark.parametrize("text", ["3日後に返済します", "1月3日に返済する予定", "返済日は3日間待ってもらえる？"])
def test_a_span_or_another_month_is_not_a_due_date_of_today(conversation, text):
    out = _say(conversation, text)
    assert not out.replies[0].text.startswith(FLOW.repay_urgent["today"][:8])
