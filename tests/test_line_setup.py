"""`python -m bot line-setup` against the fake LINE API: the default rich menu, created once, kept,
replaced after a change; its image is a valid PNG of LINE's size, drawn by the project's code."""

from __future__ import annotations

import asyncio
import os
import struct
import sys
import zlib
from pathlib import Path

from linebot.v3.messaging import RichMenuRequest

from bot.adapters.line_render import parse_postback
from bot.adapters.line_richmenu import HEIGHT, ITEMS, WIDTH, menu_image, menu_request
from bot.core.dialogue.actions import Command
from tests.conftest import ROOT
from tests.fake_line import FakeLine


async def _setup(url: str, tmp_path, token: str = "test-token") -> tuple[int, str, str]:
    env = {
        **os.environ,
        "LINE_CHANNEL_SECRET": "s",
        "LINE_CHANNEL_ACCESS_TOKEN": token,
        "LINE_API_BASE_URL": url,
        "LINE_DATA_API_BASE_URL": url,
        "BOT_DB_PATH": str(tmp_path / "bot.db"),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "line-setup", cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    return proc.returncode or 0, out.decode(), err.decode()


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 2)
    idat_len = struct.unpack(">I", data[33:37])[0]
    assert data[37:41] == b"IDAT"
    raw = zlib.decompress(data[41 : 41 + idat_len])
    assert len(raw) == height * (1 + width * 3)
    return width, height


def test_the_image_is_a_png_of_lines_size_and_the_menu_has_the_main_actions():
    image = menu_image()
    assert _png_size(image) == (WIDTH, HEIGHT) == (2500, 843) and len(image) < 1024 * 1024
    request = menu_request()
    assert RichMenuRequest.from_dict(request).to_dict() == request
    actions = [parse_postback(a["action"]["data"]) for a in request["areas"]]
    assert actions == [Command(n) for n in ("diagnose", "reminders", "status", "help", "export", "forget")]
    labels = [a["action"]["label"] for a in request["areas"]]
    assert labels[:4] == ["ログインできない", "リマインダー", "わたしの状況", "ヘルプ"]
    assert [i.label for i in ITEMS] == labels
    # The areas cover the image exactly, without overlap.
    covered = sum(a["bounds"]["width"] * a["bounds"]["height"] for a in request["areas"])
    assert covered == WIDTH * HEIGHT


def test_line_setup_creates_the_default_menu_once_and_replaces_only_its_own(tmp_path):
    async def scenario():
        fake = FakeLine()
        url = await fake.start()
        try:
            # Someone's campaign menu and an older version of ours are already there.
            fake.rich_menus["richmenu-campaign"] = {**menu_request(), "name": "campaign"}
            fake.rich_menus["richmenu-old"] = {**menu_request(), "name": "main-menu-000000000000"}
            code, out, err = await _setup(url, tmp_path)
            assert code == 0, err
            [ours] = [m for m, body in fake.rich_menus.items() if body["name"].startswith("main-menu-")]
            assert fake.default_rich_menu == ours and ours in out
            assert "richmenu-campaign" in fake.rich_menus and "richmenu-old" not in fake.rich_menus
            content_type, image = fake.rich_menu_images[ours]
            assert content_type == "image/png" and image == menu_image()
            assert fake.rich_menus[ours]["areas"] == menu_request()["areas"]
            # Again: nothing new is created or uploaded; the same menu stays the default.
            code, out, err = await _setup(url, tmp_path)
            assert code == 0, err
            assert fake.calls.count("POST /v2/bot/richmenu") == 1
            assert sum(c.endswith("/content") for c in fake.calls) == 1
            assert fake.default_rich_menu == ours and len(fake.rich_menus) == 2
        finally:
            await fake.stop()

    asyncio.run(scenario())


def test_line_setup_without_a_token_says_so_in_one_line(tmp_path):
    async def scenario():
        code, out, err = await _setup("http://127.0.0.1:9", tmp_path, token="")
        assert code != 0 and "LINE_CHANNEL" in err and "Traceback" not in err

    asyncio.run(scenario())


def test_each_area_is_labelled_in_japanese_with_the_installed_font():
    import io

    import numpy as np
    from PIL import Image

    from bot.adapters.line_richmenu import INK, _cell, font_path

    assert font_path().name == "ipaexg.ttf" and font_path().stat().st_size > 1_000_000
    pixels = np.asarray(Image.open(io.BytesIO(menu_image())).convert("RGB"))
    for i, _item in enumerate(ITEMS):
        x, y, w, h = _cell(i)
        # The label's band (the lower third of the tile) holds ink: words, not an empty tile.
        band = pixels[y + int(h * 0.62) : y + int(h * 0.9), x : x + w]
        assert (np.abs(band.astype(int) - INK).sum(axis=2) < 40).sum() > 2000, ITEMS[i].label
    # The picture in the README is the menu as drawn (same size; regenerate it after a change).
    committed = Image.open(Path(__file__).parent.parent / "docs" / "rich-menu.png")
    assert committed.size == (WIDTH, HEIGHT)
