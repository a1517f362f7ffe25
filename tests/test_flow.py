"""The flow data: valid, every cause reachable quickly, bad data refused with the node named."""

from __future__ import annotations

import re
import tomllib
from collections import deque
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.diagnosis.flow import DEFAULT_FLOW, FlowError, mermaid, parse_flow
from tests.conftest import ROOT

# The causes FACTS.md requires; the flow may have more (a new cause is an edit to data only).
REQUIRED_CAUSES = {"wrong_format", "locked", "forgot_pin", "lost_card", "suspended", "maintenance"}


def _data():
    return tomllib.loads(DEFAULT_FLOW.read_text(encoding="utf-8"))


def test_all_six_causes_reachable_within_four_answers(flow):
    depth = {flow.start: 0}
    queue = deque([flow.start])
    while queue:
        node = flow.nodes[queue.popleft()]
        for target in node.exits:
            if target not in depth:
                # The clock is never asked: going through it costs no answer.
                depth[target] = depth[node.id] + (0 if node.clock else 1)
                queue.append(target)
    results = {n.result: depth[n.id] for n in flow.results}
    assert REQUIRED_CAUSES <= set(results) == set(flow.causes)
    assert max(results.values()) <= 4, results


def test_results_say_what_to_do_and_never_mention_health_insurance_card(flow):
    text = DEFAULT_FLOW.read_text(encoding="utf-8")
    assert "健康保険証" not in text
    for node in flow.results:
        assert node.summary and node.steps, node.id
        assert node.choices, f"{node.id} offers no follow-up"
    locked = flow.nodes["locked"]
    # The count is not published (pages say 3 to 5): 数回, never a number.
    assert locked.bring_ids and "数回" in locked.summary and not re.search(r"\d\s*回", locked.summary)
    assert any("電話" in s and "できません" in s for s in locked.steps)
    assert "0120-24-0365" in flow.contacts["promise_call"].phone
    assert "0570-051-051" in flow.contacts["counselling"].phone
    assert "counselling" in flow.nodes["suspended"].contacts


def _texts(value, path=""):
    """Every text of the flow data with its dotted path, sources left out (their notes quote old pages)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key != "sources":
                yield from _texts(inner, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, inner in enumerate(value, 1):
            yield from _texts(inner, f"{path}.{i}")
    elif isinstance(value, str):
        yield path, value


def test_no_staffed_counter_is_offered_as_a_place_to_go(flow):
    """The counters (お客様サービスプラザ, 店頭窓口) closed on 2023-03-31: neither the flow nor the visit
    reminder sends anyone there."""
    from bot.core.reminders.kinds import kind_of
    from bot.core.reminders.model import ReminderView

    offered = [(p, t) for p, t in _texts(_data()) if re.search(r"店頭|お客様サービスプラザ|有人店舗", t)]
    assert offered == []
    tz = ZoneInfo("Asia/Tokyo")
    at = datetime(2026, 12, 5, 1, 0, tzinfo=UTC).astimezone(tz)
    view = ReminderView(id=1, kind="visit", tz=tz, reason="lost_card", at=at)
    for slot in ("eve", "once"):
        lines = kind_of("visit").fire_lines(view, flow, at, at, None, slot)
        assert not any("店頭" in line for line in lines), lines


def test_mermaid_diagram_is_current(flow):
    on_disk = (ROOT / "bot" / "flows" / "promise.mmd").read_text(encoding="utf-8")
    assert on_disk == mermaid(flow), "regenerate: python -m bot flow-diagram > bot/flows/promise.mmd"
    for node_id in flow.nodes:
        assert node_id in on_disk


def _broken(mutate):
    data = _data()
    mutate(data)
    with pytest.raises(FlowError) as err:
        parse_flow(data)
    return str(err.value)


def test_unknown_next_names_the_node():
    def mutate(d):
        d["nodes"]["q_screen"]["choices"][0]["next"] = "nowhere"

    msg = _broken(mutate)
    assert "q_screen" in msg and "nowhere" in msg


def test_orphan_node_is_refused():
    def mutate(d):
        d["nodes"]["lonely"] = {"text": "?", "choices": [{"label": "a", "next": "start"}]}

    assert "lonely" in _broken(mutate) and "orphan" in _broken(mutate)


def test_leaf_without_result_is_refused():
    def mutate(d):
        d["nodes"]["dead_end"] = {"text": "行き止まり"}
        d["nodes"]["q_overdue"]["choices"][2]["next"] = "dead_end"

    msg = _broken(mutate)
    assert "dead_end" in msg and "result" in msg


def test_long_label_is_refused():
    def mutate(d):
        d["nodes"]["q_screen"]["choices"][0]["label"] = "あ" * 21

    msg = _broken(mutate)
    assert "q_screen" in msg and "21" in msg


def test_unknown_fact_is_refused():
    def mutate(d):
        d["nodes"]["q_overdue"]["choices"][0]["set"] = {"pin": "1234"}

    assert "q_overdue" in _broken(mutate)


def test_unknown_followup_action_is_refused():
    def mutate(d):
        d["nodes"]["locked"]["followups"][0]["action"] = "unlock_account"

    assert "locked" in _broken(mutate)


def test_a_seventh_cause_is_only_data(conversation):
    data = _data()
    data["nodes"]["seventh_for_test"] = {
        "result": "seventh_for_test",
        "title": "アプリが古い",
        "summary": "アプリが古い可能性があります。",
        "steps": ["アプリを最新版に更新してください。"],
        "followups": [{"label": "メニューに戻る", "action": "menu"}],
    }
    # Any question with room for one more choice (at most five) can lead to it.
    room = next(k for k, n in data["nodes"].items() if "choices" in n and len(n["choices"]) < 5)
    data["nodes"][room]["choices"].append({"label": "更新してと出る", "next": "seventh_for_test"})
    flow = parse_flow(data)
    assert "seventh_for_test" in flow.cause_titles()


def test_bad_flow_file_stops_start_up_with_one_line(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "flow.toml"
    text = DEFAULT_FLOW.read_text(encoding="utf-8").replace('next = "q_overdue"', 'next = "q_missing"', 1)
    bad.write_text(text, encoding="utf-8")
    code = (
        "import sys\nfrom bot.core.diagnosis.flow import load_flow, FlowError\n"
        f"try:\n    load_flow({str(bad)!r})\nexcept FlowError as e:\n    print(e); sys.exit(2)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2
    assert out.stdout.count("\n") == 1 and "q_missing" in out.stdout


@pytest.mark.parametrize(
    ("mutate", "needles"),
    [
        (lambda d: d["nodes"]["by_clock"]["clock"].update(otherwise="nowhere"), ["by_clock", "nowhere"]),
        (lambda d: d["nodes"]["by_clock"].update(clock={"in_window": "maintenance"}), ["by_clock", "otherwise"]),
        (lambda d: d["maintenance"]["windows"][0].update(end="25:00"), ["window 1", "7:00"]),
        (lambda d: d["maintenance"]["windows"][0].update(weekdays=["月"]), ["window 1", "weekdays"]),
        (lambda d: d["maintenance"].update(timezone="Mars/Olympus"), ["[maintenance]", "Mars/Olympus"]),
        (lambda d: d["maintenance"].pop("lead"), ["[maintenance]", "lead"]),
        (lambda d: d.pop("maintenance"), ["by_clock", "[maintenance]"]),
        (lambda d: d["nodes"]["locked"]["contacts"][0].update(hours=["lunch"]), ["locked", "lunch"]),
        (lambda d: d["nodes"]["lost_card"]["steps"][0].update(call="nobody"), ["lost_card", "nobody"]),
        (lambda d: d["nodes"]["locked"].update(then=["locked"]), ["locked", "then"]),
        (lambda d: d["nodes"]["locked"].update(then=["nowhere"]), ["locked", "nowhere"]),
        (lambda d: d["step_up"].update(last="locked"), ["[step_up]", "locked"]),
        (lambda d: d["nodes"]["maintenance"].update(summary="{when}です"), ["maintenance", "placeholder"]),
        (lambda d: d["repay_urgent"].update(contacts=["nobody"]), ["[repay_urgent]", "nobody"]),
    ],
)
def test_new_parts_of_the_flow_are_checked_with_the_bad_place_named(mutate, needles):
    msg = _broken(mutate)
    assert all(n in msg for n in needles), msg


def test_the_user_is_never_asked_the_time(flow):
    questions = [n.text for n in flow.nodes.values() if n.text]
    assert questions and not any("日時" in q or "何時" in q or "曜日" in q for q in questions)
    assert any(n.clock for n in flow.nodes.values())


def test_the_maintenance_result_names_the_same_windows_the_clock_checks(flow, conversation):
    from bot.core.dialogue.state import ConversationState, Outcome

    out = Outcome(state=ConversationState(), replies=[])
    text = "\n".join(r.text for r in conversation.render._render_final(flow.nodes[flow.maintenance.result], out))
    assert all(w.label in text for w in flow.maintenance.windows)
    assert "{windows}" not in text
