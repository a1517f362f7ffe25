"""A result shows first the step about what the person named (「パスワード」 is not the card's PIN)."""

from bot.core.diagnosis.flow_model import Node
from bot.core.diagnosis.result_view import lead_step, with_lead


def _node() -> Node:
    return Node(
        id="forgot_pin",
        result="forgot_pin",
        title="t",
        summary="s",
        steps=("カードの暗証番号は自動契約機で。", "Web-IDのパスワードは公式サイトで。"),
        step_calls=("", "desk"),
    )


def test_the_step_named_leads_and_keeps_its_call():
    node = _node()
    assert lead_step(node, "パスワード忘れた") == 1
    moved = with_lead(node, 1)
    assert moved.steps[0].startswith("Web-IDのパスワード") and moved.step_calls == ("desk", "")


def test_nothing_moves_when_the_first_step_already_says_it_or_both_are_named():
    node = _node()
    assert lead_step(node, "暗証番号忘れた") == 0
    assert lead_step(node, "暗証番号もパスワードも忘れた") == 0
    assert lead_step(node, "ログインできない") == 0


def test_forgotten_password_answered_with_the_password_step_first_and_the_pin_in_the_details(friday_talk):
    first, details = friday_talk("プロミスのパスワード忘れた", "くわしく")
    step_one = next(line for line in first.splitlines() if line.startswith("1. "))
    assert "パスワード" in step_one and "暗証番号" not in step_one
    assert "2. カードの4桁の暗証番号" in details and "Web-IDのパスワードは" not in details


def test_a_space_named_brings_the_typing_step_first(friday_talk):
    (answer,) = friday_talk("レイクのログイン、最後にスペース入ってたかも")
    step_one = next(line for line in answer.splitlines() if line.startswith("1. "))
    assert "スペース" in step_one
