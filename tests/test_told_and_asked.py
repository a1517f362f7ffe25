"""Facts told in a sentence, questions asked in passing, and the company asked after the read-back.

Each case runs the real service on a real SQLite file through the console chat, with every lender
served (the default), and checks what the bot answered and what it kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.adapters.console import ConsoleChat
from bot.app import build_app
from bot.core.dialogue import texts
from bot.core.dialogue.faq import load_questions
from bot.core.lenders import texts as lender_texts
from bot.core.situation.statements import only_states, stated_facts
from bot.core.understanding.textnorm import normalize
from bot.settings import load_settings


@pytest.fixture
def talk(tmp_path, monkeypatch):
    """Send turns in order to one fresh user; returns each turn's rendered answer."""
    monkeypatch.setenv("BOT_LENDERS", "")
    app = build_app(load_settings(dotenv=None), db_path=str(tmp_path / "told.db"))
    chat = ConsoleChat(app.service, "nao")
    chat.greet()

    def run(*turns: str) -> list[str]:
        return [chat.say(t) for t in turns]

    return run


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        ("返済日は10日。今は遅れてないよ", {"due_day": 10, "overdue": False}),
        ("毎月27日払いで、延滞はしてません", {"due_day": 27, "overdue": False}),
        ("支払日は月末、ちゃんと払ってます", {"due_day": 31, "overdue": False}),
        ("15日が返済日で、いま延滞してる", {"due_day": 15, "overdue": True}),
        ("返済日は3日後", {}),
    ],
)
def test_facts_said_in_a_sentence_are_read(said, facts):
    assert stated_facts(normalize(said)) == facts


@pytest.mark.parametrize("said", ["返済日10日にリマインドして", "返済日は10日だっけ？", "10日の前日に知らせてほしい"])
def test_a_request_or_a_question_is_not_a_statement(said):
    assert not only_states(said, normalize(said))


def test_a_situation_told_in_a_sentence_is_kept_and_read_back(talk):
    told, shown = talk("アコムで借りてて、返済日は10日。今は遅れてないよ", "何が記録されてる？")
    assert texts.FACTS_KEPT in told and "毎月10日" in told and "なし" in told
    assert "設定しますか" not in told and "何をお知らせしますか" not in told  # kept, not made a reminder
    assert texts.LABEL_REPAY_REMINDER in told
    assert "毎月10日" in shown and "最近の返済の遅れ：なし" in shown


def test_the_repayment_reminder_offered_after_the_facts_uses_the_day_told(talk):
    _, draft = talk("返済日は25日、遅れはないです", "1")
    assert "返済日は毎月25日ですね" in draft


def test_a_draft_with_its_day_is_read_back_before_the_company_is_asked(talk):
    draft, asked, saved = talk("毎月27日に返済のリマインダーお願い", "はい", "アコム")
    assert "返済日は毎月27日ですね" in draft and "どちらの会社" not in draft
    assert asked.count("どちらの会社") == 1 and lender_texts.ASK_LENDER_REPAY[:10] in asked
    assert "設定しました" in saved


def test_without_a_day_the_company_still_comes_first_for_its_own_days(talk):
    (asked,) = talk("返済日のお知らせを設定したい")
    assert "どちらの会社" in asked


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("半角ってどうやるの？iPhoneです", "ABC"),
        ("暗証番号、誕生日で試してもいい？", "おすすめしません"),
        ("カード番号わからないけど電話して大丈夫？", "電話で相談できます"),
        ("パスワードも送るよ？", "送らないでください"),
        ("リセットのメールが届かない", "迷惑メール"),
        ("電話するの怒られるかな", "よくあることです"),
        ("警察にも届けたほうがいい？", "受理番号"),
        ("ロックって信用情報に影響ある？", "返済の遅れとは別"),
        ("息子に聞いてみます", "身近な方"),
        ("家族にバレたくない", "お知らせが1件あります"),
        ("機種変して電話番号変わったんだけど", "古いほう"),
    ],
)
def test_a_question_in_passing_gets_its_answer(talk, said, expected):
    (answer,) = talk(said)
    assert expected in answer and "もしかして" not in answer


def test_a_question_in_passing_keeps_the_question_the_person_is_in(talk):
    question, answer = talk("ログインできない", "半角ってなに？")
    assert "ABC" in answer and texts.BACK_TO_QUESTION in answer
    assert question.split("\n")[0] in answer  # the same question again


def test_the_phone_hours_come_from_the_lenders_data(talk):
    (answer,) = talk("プロミスの電話って土曜もつながる？")
    assert "0120-24-0365" in answer


def test_a_login_problem_in_the_same_words_is_diagnosed_not_answered_with_a_tip(talk):
    (answer,) = talk("半角で打ってるのにログインできない")
    assert "ABC" not in answer


def test_every_question_pattern_compiles_and_has_an_answer():
    questions = load_questions(Path("bot/corpus/questions.toml"))
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        assert q.answer.strip() and q.asks
        assert all(isinstance(p, re.Pattern) for p in q.asks)
