"""The Discord door through real discord.py code paths: REST against a local fake, raw gateway payloads."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.adapters.discord import INVALID_DAY, NOTES, invite_url, sync_commands
from bot.adapters.discord_sender import NOTE_DMS_CLOSED, NOTE_DMS_UNREACHABLE, classify
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Pick, encode
from bot.core.dialogue.messages import Choice, Reply
from bot.settings import Settings
from tests import fake_discord as F
from tests.discord_harness import discord_bot, fake_discord

ALICE = 111111111111111111
BOB = 222222222222222222


def run(scenario, db_path, clock):
    """Run ``scenario(bot)`` against a fresh fake and a logged-in door."""

    async def main():
        async with fake_discord() as fake, discord_bot(fake, db_path, clock) as bot:
            await scenario(bot)

    asyncio.run(main())


def texts_of(answers: list[dict]) -> list[str]:
    """The message contents of an interaction's answers, in order (an embed as 【title】 and its texts)."""
    out = []
    for a in answers:
        data = a.get("data") or {}
        if data.get("content") is not None:
            out.append(data["content"])
        for embed in data.get("embeds") or []:
            parts = [f"【{embed['title']}】", embed.get("description", "")]
            parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
            parts.append((embed.get("footer") or {}).get("text", ""))
            out.append("\n".join(p for p in parts if p))
    return out


def buttons(answers: list[dict]) -> list[tuple[str, str, dict]]:
    """(label, custom_id, the message as Discord would show it) of every button in the answers."""
    out = []
    for a in answers:
        data = a.get("data") or {}
        msg = F.message(str(ALICE + 7), data.get("content", ""), data.get("components"), data.get("flags", 0))
        for row in data.get("components") or []:
            out.extend((b["label"], b["custom_id"], msg) for b in row["components"])
    return out


def assert_ephemeral(answers: list[dict]) -> None:
    assert answers, "no answer"
    assert answers[0]["kind"] == "callback" and answers[0]["type"] in (4, 5)
    assert all(a["data"]["flags"] & 64 for a in answers), answers


async def press(bot, uid: int, answers: list[dict], label: str) -> list[dict]:
    """Click the button labelled ``label`` in ``answers``."""
    label_, cid, msg = next(b for b in buttons(answers) if b[0] == label)
    return await bot.feed(F.click(uid, msg, cid))


async def set_repay_reminder(bot, uid: int, day: int = 25) -> int:
    options = F.sub("repay", [{"type": 4, "name": "day", "value": day}])
    answers = await bot.feed(F.command(uid, "remind", options))
    answers = await press(bot, uid, answers, "はい、設定する")
    assert texts.SAVED in "".join(texts_of(answers))
    user_id = bot.app.store.find_user("discord", str(uid))
    return bot.app.store.reminders.for_user(user_id)[0]["id"]


# ---------------------------------------------------------------------- commands


COMMANDS = [
    ("login-help", None, "原因を探しましょう"),
    ("situation", None, texts.STATUS_EMPTY),
    ("remind", F.sub("repay"), texts.ASK_REPAY_DAY),
    ("remind", F.sub("visit"), texts.ASK_VISIT_WHEN),
    ("remind", F.sub("list"), texts.REMINDERS_EMPTY),
    ("remind", F.sub("cancel", [{"type": 4, "name": "reminder", "value": 99}]), texts.REMINDER_NOT_FOUND),
    ("forget", None, texts.FORGET_CONFIRM),
    ("export", None, texts.EXPORT_SUMMARY_HEAD),
    ("help", None, texts.HELP.split("\n")[0]),
]


def test_every_command_answers_ephemerally_in_guild_and_dm(db_path, clock):
    async def scenario(bot):
        for in_guild in (True, False):
            for name, options, expected in COMMANDS:
                answers = await bot.feed(F.command(ALICE, name, options, in_guild=in_guild))
                assert_ephemeral(answers)
                assert answers[0]["type"] == 4  # answered at once, no defer needed
                assert expected in "\n".join(texts_of(answers)), name
        first_line = texts.WELCOME.format(**bot.app.flow.lender).splitlines()[0]
        welcome = [c for c in bot.fake.calls if first_line in str(c.body)]
        assert len(welcome) == 1  # first contact only

    run(scenario, db_path, clock)


def test_several_replies_go_as_response_then_followups(db_path, clock):
    async def scenario(bot):
        answers = await bot.feed(F.command(ALICE, "login-help"))
        assert [a["kind"] for a in answers] == ["callback", "followup"]  # welcome, then the question
        labels = [b[0] for b in buttons(answers)]
        assert "カードをなくした・盗まれた" in labels and "メニューに戻る" in labels
        for label, cid, _ in buttons(answers):
            assert len(cid) <= 100 and len(label) <= 80 and cid.startswith(f"c|{ALICE}|")

    run(scenario, db_path, clock)


def test_slow_turn_is_deferred_then_followed_up(db_path, clock):
    async def scenario(bot):
        bot.door.defer_after = 0
        answers = await bot.feed(F.command(ALICE, "help"))
        assert answers[0] == {"kind": "callback", "type": 5, "data": {"flags": 64}}
        assert [a["kind"] for a in answers[1:]] == ["followup", "followup"]
        assert_ephemeral(answers)

    run(scenario, db_path, clock)


def test_repay_day_is_validated_again(db_path, clock):
    async def scenario(bot):
        for bad in (0, 40):
            answers = await bot.feed(
                F.command(ALICE, "remind", F.sub("repay", [{"type": 4, "name": "day", "value": bad}]))
            )
            said = texts_of(answers)
            assert INVALID_DAY in said and texts.ASK_REPAY_DAY in said
            assert "rd:25" in str(answers)
        answers = await bot.feed(F.command(ALICE, "remind", F.sub("repay", [{"type": 4, "name": "day", "value": 15}])))
        assert "毎月15日" in "".join(texts_of(answers))

    run(scenario, db_path, clock)


# ---------------------------------------------------------------------- buttons


def test_diagnosis_walked_with_buttons_to_a_result(db_path, clock):
    async def scenario(bot):
        answers = await bot.feed(F.command(ALICE, "login-help"))
        answers = await press(bot, ALICE, answers, "カードをなくした・盗まれた")
        assert_ephemeral(answers)
        for _ in range(4):
            if any(t.startswith("【") for t in texts_of(answers)):
                break
            first = next(b[0] for b in buttons(answers) if "|p:" in b[1])
            answers = await press(bot, ALICE, answers, first)
        said = "\n".join(texts_of(answers))
        assert "【" in said and "0120-24-0365" in said
        user_id = bot.app.store.find_user("discord", str(ALICE))
        assert bot.app.store.load_situation(user_id).get("card_lost") is True

    run(scenario, db_path, clock)


def test_stale_button_gets_a_friendly_answer(db_path, clock):
    async def scenario(bot):
        msg = F.message(str(ALICE + 7), "old", [{"type": 1, "components": [
            {"type": 2, "style": 1, "label": "古い", "custom_id": f"c|{ALICE}|f0:start:0"}]}], flags=64)  # fmt: skip
        answers = await bot.feed(F.click(ALICE, msg, f"c|{ALICE}|f0:start:0"))
        assert_ephemeral(answers)
        assert texts.STALE_BUTTON in texts_of(answers)

    run(scenario, db_path, clock)


def test_another_users_button_is_refused_without_a_trace(db_path, clock):
    async def scenario(bot):
        answers = await bot.feed(F.command(ALICE, "login-help"))
        _, cid, msg = next(b for b in buttons(answers) if b[0] == "暗証番号を忘れた")
        answers = await bot.feed(F.click(BOB, msg, cid, in_guild=True))
        assert_ephemeral(answers)
        assert texts_of(answers) == [texts.STALE_BUTTON]
        assert bot.app.store.find_user("discord", str(BOB)) is None  # Bob never reached the core

    run(scenario, db_path, clock)


def test_another_users_reminder_id_is_refused(db_path, clock):
    async def scenario(bot):
        rid = await set_repay_reminder(bot, ALICE)
        complete = F.sub("cancel", [{"type": 4, "name": "reminder", "value": "", "focused": True}])
        answers = await bot.feed(F.command(ALICE, "remind", complete, kind=4))
        assert answers[0]["type"] == 8 and answers[0]["data"]["choices"][0]["value"] == rid
        answers = await bot.feed(F.command(BOB, "remind", complete, kind=4))
        assert answers[0]["data"]["choices"] == []  # Bob sees none of Alice's
        answers = await bot.feed(
            F.command(BOB, "remind", F.sub("cancel", [{"type": 4, "name": "reminder", "value": rid}]))
        )
        assert texts.REMINDER_NOT_FOUND in texts_of(answers)
        assert bot.app.store.reminders.get(rid)["status"] == "active"
        answers = await bot.feed(
            F.command(ALICE, "remind", F.sub("cancel", [{"type": 4, "name": "reminder", "value": rid}]))
        )
        assert texts.REMINDER_CANCELLED in texts_of(answers)
        assert bot.app.store.reminders.get(rid)["status"] == "cancelled"

    run(scenario, db_path, clock)


# ---------------------------------------------------------------------- reminders by DM


async def _due(bot, uid: int) -> int:
    rid = await set_repay_reminder(bot, uid)
    bot.app.service.clock.now = bot.app.store.reminders.next_due(("discord",))
    return rid


def test_reminder_is_sent_by_dm_and_its_button_works_after_restart(db_path, clock):
    async def main():
        async with fake_discord() as fake:
            async with discord_bot(fake, db_path, clock) as bot:
                rid = await _due(bot, ALICE)
                assert await bot.run_due() == 1
                opened = fake.find("POST", "/users/@me/channels")
                assert [c.body for c in opened] == [{"recipient_id": ALICE}]
                sent = fake.find("POST", "/messages")[-1]
                assert sent.path == f"/channels/{next(iter(fake.dm_channels))}/messages"
                assert sent.body["nonce"] and sent.body["enforce_nonce"] is True
                ids = [b["custom_id"] for row in sent.body["components"] for b in row["components"]]
                assert f"c|{ALICE}|r:done:{rid}" in ids and f"c|{ALICE}|r:s1h:{rid}" in ids
                assert [r["status"] for r in bot.app.store.reminders.outbox_rows(rid)][0] == "sent"
            # A new process on the same database: the DM's button still works (DynamicItem).
            async with discord_bot(fake, db_path, clock) as bot:
                msg = F.message(sent.path.split("/")[2], sent.body["content"], sent.body["components"])
                answers = await bot.feed(F.click(ALICE, msg, f"c|{ALICE}|r:done:{rid}"))
                assert_ephemeral(answers)
                assert texts.REPAY_DONE in texts_of(answers)
                answers = await bot.feed(F.click(BOB, msg, f"c|{ALICE}|r:stop:{rid}"))
                assert texts_of(answers) == [texts.STALE_BUTTON]
                assert bot.app.store.reminders.get(rid)["status"] == "active"

    asyncio.run(main())


def test_closed_dms_are_undeliverable_and_explained_at_the_next_command(db_path, clock):
    async def scenario(bot):
        rid = await _due(bot, ALICE)
        bot.fake.fail("POST", "/channels/", 403, {"code": 50007, "message": "Cannot send messages to this user"})
        await bot.run_due()
        row = bot.app.store.reminders.outbox_rows(rid)[0]
        assert row["status"] == "undeliverable" and row["last_error"] == "discord 50007 dms closed"
        answers = await bot.feed(F.command(ALICE, "help"))
        assert texts_of(answers)[-1] == NOTES[NOTE_DMS_CLOSED]
        assert_ephemeral(answers)
        answers = await bot.feed(F.command(ALICE, "help"))
        assert NOTES[NOTE_DMS_CLOSED] not in texts_of(answers)  # said once

    run(scenario, db_path, clock)


def test_rate_limit_asks_for_a_retry_after_discords_delay(db_path, clock):
    async def scenario(bot):
        body = {"message": "You are being rate limited.", "retry_after": 42.5, "global": False}
        bot.fake.fail("POST", "/channels/", 429, body, {"Via": "1.1 google"})
        result = await bot.door.sender.send(str(ALICE), Reply("x"), "key-1")
        assert (result.status, result.retry_after) == ("retry", 42.5)
        assert (await bot.door.sender.send(str(ALICE), Reply("x"), "key-1")).status == "sent"

    run(scenario, db_path, clock)


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (F.http_error(500, 0), "retry"),
        (F.http_error(404, 10003), "failed"),
        (F.http_error(403, 50007), "undeliverable"),
        (F.http_error(403, 50001), "failed"),
        (TimeoutError(), "retry"),
        (ConnectionResetError(), "retry"),
    ],
)
def test_send_errors_are_classified(exc, status):
    assert classify(exc).status == status


# ---------------------------------------------------------------------- DMs, start, sync


def test_text_typed_in_a_dm_is_a_message(db_path, clock):
    async def scenario(bot):
        await bot.feed_message(F.dm_text(ALICE, "ログインできない"))
        sent = bot.fake.find("POST", f"/channels/{ALICE + 7}/messages")
        assert len(sent) == 2 and "原因を探しましょう" in sent[1].body["content"]
        first = bot.app.flow.nodes["start"].choices[0]
        assert f"c|{ALICE}|{encode(Pick('start', first.id))}" in str(sent[1].body["components"])
        await bot.feed_message(F.message(str(ALICE + 7), "echo", author=F.BOT_USER))
        assert len(bot.fake.find("POST", "/messages")) == 2  # its own messages are ignored

    run(scenario, db_path, clock)


def test_start_prints_the_invite_url_and_close_stops(db_path, clock, capsys):
    async def scenario(bot):
        await bot.door.start()
        await asyncio.sleep(0.05)
        assert bot.door.health()["status"] in ("connecting", "ready")
        await bot.door.close()
        assert bot.door.health() == {"status": "closed"}

    run(scenario, db_path, clock)
    assert invite_url(F.APP_ID) in capsys.readouterr().out
    assert (
        invite_url(1)
        == "https://discord.com/oauth2/authorize?client_id=1&scope=bot+applications.commands&permissions=0"
    )


@pytest.mark.parametrize("guild", [F.GUILD_ID, None])
def test_sync_registers_localized_commands_for_dms_and_servers(guild):
    async def main():
        async with fake_discord() as fake:
            settings = Settings(discord_token="t", discord_api_base_url=fake.base)
            assert await sync_commands(settings, guild) == 6
            return fake.find("PUT", "/commands")

    (put,) = asyncio.run(main())
    where = f"/guilds/{guild}" if guild else ""
    assert put.path == f"/applications/{F.APP_ID}{where}/commands"
    by_name = {c["name"]: c for c in put.body}
    assert set(by_name) == {"login-help", "situation", "remind", "forget", "export", "help"}
    assert by_name["login-help"]["name_localizations"] == {"ja": "ログインヘルプ"}
    assert by_name["help"]["description_localizations"]["ja"] == by_name["help"]["description"]
    assert sorted(by_name["help"]["contexts"]) == [0, 1, 2]
    # Installable in a server (0) and by a user for themselves (1), every command.
    assert all(sorted(c["integration_types"]) == [0, 1] for c in put.body)
    subs = {o["name"]: o for o in by_name["remind"]["options"]}
    assert set(subs) == {"repay", "visit", "free", "list", "cancel"}
    assert subs["cancel"]["options"][0]["autocomplete"] is True
    day = subs["repay"]["options"][0]
    assert (day["min_value"], day["max_value"], day["required"]) == (1, 31, False)


def test_payload_logs_stay_quiet_at_debug(monkeypatch):
    import logging

    from bot.adapters.discord import PAYLOAD_LOGGERS, BotClient

    for name in PAYLOAD_LOGGERS:
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    monkeypatch.setattr(logging.getLogger(), "level", logging.DEBUG)
    BotClient()
    assert not any(logging.getLogger(name).isEnabledFor(logging.DEBUG) for name in PAYLOAD_LOGGERS)


def test_sync_without_a_token_is_one_clear_line(monkeypatch, capsys, tmp_path):
    from bot.__main__ import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["discord-sync"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "DISCORD_TOKEN" in err[0]


def test_export_shows_everything_and_attaches_json(db_path, clock):
    async def scenario(bot):
        await set_repay_reminder(bot, ALICE, 15)
        answers = await bot.feed(F.command(ALICE, "export"))
        assert_ephemeral(answers)
        body = "\n".join(texts_of(answers))
        assert texts.EXPORT_SUMMARY_HEAD in body and "返済日" in body  # the summary first
        [upload] = [a for a in answers if a["kind"] == "followup" and a["data"].get("files")]
        everything = await press(bot, ALICE, answers, texts.LABEL_EXPORT_ALL)
        body = "\n".join(texts_of(everything))
        assert texts.EXPORT_HEAD in body and "毎月15日" in body
        [file] = upload["data"]["files"]
        assert file["filename"] == "my-data.json"
        data = json.loads(file["content"])
        assert data["user"]["id"] == str(ALICE) and data["situation"]["due_day"] == 15
        assert data["reminders"][0]["due_day"] == 15 and data["situation_history"]

    run(scenario, db_path, clock)


# ---------------------------------------------------------------------- user installs, embeds, modal, limits


def test_a_user_installed_app_reaches_a_user_with_no_shared_server_and_explains_50278(db_path, clock):
    async def scenario(bot):
        # A command from a user who installed the app themselves, in a DM with a friend (context 2).
        payload = F.command(ALICE, "help", in_guild=False)
        payload["authorizing_integration_owners"] = {"1": str(ALICE)}
        payload["context"] = 2
        answers = await bot.feed(payload)
        assert_ephemeral(answers)
        assert "公式サービスではありません" in "\n".join(texts_of(answers))
        rid = await _due(bot, ALICE)
        bot.fake.fail("POST", "/channels/", 403, {"code": 50278, "message": "no mutual guilds"})
        await bot.run_due()
        row = bot.app.store.reminders.outbox_rows(rid)[0]
        assert row["status"] == "undeliverable" and row["last_error"] == "discord 50278 no mutual guilds"
        answers = await bot.feed(F.command(ALICE, "help", in_guild=False))
        assert texts_of(answers)[-1] == NOTES[NOTE_DMS_UNREACHABLE]
        answers = await bot.feed(F.command(ALICE, "help", in_guild=False))
        assert NOTES[NOTE_DMS_UNREACHABLE] not in texts_of(answers)  # said once

    run(scenario, db_path, clock)


def test_a_result_is_an_embed_with_the_call_first_and_buttons(db_path, clock):
    async def scenario(bot):
        answers = await bot.feed(F.command(ALICE, "login-help"))
        answers = await press(bot, ALICE, answers, "カードをなくした・盗まれた")
        [with_embed] = [a for a in answers if (a.get("data") or {}).get("embeds")]
        [embed] = with_embed["data"]["embeds"]
        assert embed["title"] == "カードの紛失・盗難" and embed["color"] == 0xC62828
        steps = embed["fields"][0]
        assert (
            steps["name"] == "やること"
            and steps["value"].splitlines()[1] == "　📞 **プロミスコール：0120-24-0365（通話無料）**"
        )
        # The result's text bubbles are in the embed, not sent again; its follow-up buttons are on it.
        assert len(answers) == 1 and "来店のお知らせを設定" in [b[0] for b in buttons(answers)]
        assert buttons(answers)[0][0] == "くわしく"
        # The details (the ID list among them) are one button away, as an embed of their own.
        answers = await press(bot, ALICE, answers, "くわしく")
        [with_embed] = [a for a in answers if (a.get("data") or {}).get("embeds")]
        [embed] = with_embed["data"]["embeds"]
        assert any("本人確認書類" in f["name"] for f in embed["fields"])

    run(scenario, db_path, clock)


def test_at_most_five_followups_per_interaction(db_path, clock):
    from bot.adapters.discord import fit

    replies = [Reply(f"bubble {i}", (Choice(f"c{i}", Pick("start", str(i))),)) for i in range(9)]
    fitted = fit(replies, 6)
    assert len(fitted) == 6 and fitted[-1].text == "\n\n".join(f"bubble {i}" for i in range(5, 9))
    assert fitted[-1].choices == replies[-1].choices

    async def scenario(bot):
        original = bot.app.service.handle
        bot.app.service.handle = lambda *a, **k: [Reply(f"bubble {i}") for i in range(9)]
        try:
            answers = await bot.feed(F.command(ALICE, "help"))
            assert [a["kind"] for a in answers] == ["callback"] + ["followup"] * 5
            assert texts_of(answers)[-1].endswith("bubble 8")
            answers = await bot.feed(F.command(ALICE, "export"))  # the file is the fifth follow-up
            assert [a["kind"] for a in answers] == ["callback"] + ["followup"] * 5
            assert answers[-1]["data"]["files"][0]["filename"] == "my-data.json"
        finally:
            bot.app.service.handle = original

    run(scenario, db_path, clock)


def test_the_free_reminder_form_asks_when_and_what_and_confirms(db_path, clock):
    async def scenario(bot):
        payload = F.command(ALICE, "remind", F.sub("free"), in_guild=False)
        [modal] = await bot.feed(payload)
        assert modal["kind"] == "callback" and modal["type"] == 9
        data = modal["data"]
        inputs = [c["components"][0] for c in data["components"]]
        assert [i["label"] for i in inputs] == ["日時", "お知らせする内容"]
        submit = F._base(5, ALICE, False)
        submit["data"] = {
            "custom_id": data["custom_id"],
            "components": [
                {"type": 1, "components": [{"type": 4, "custom_id": inputs[0]["custom_id"], "value": "明日の10時"}]},
                {"type": 1, "components": [{"type": 4, "custom_id": inputs[1]["custom_id"], "value": "書類を探す"}]},
            ],
        }
        answers = await bot.feed(submit)
        assert_ephemeral(answers)
        said = "\n".join(texts_of(answers))
        assert "書類を探す" in said and "12月4日(金) 10:00" in said and "この内容で設定しますか" in said

    run(scenario, db_path, clock)
