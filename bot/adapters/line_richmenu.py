"""LINE's default rich menu: the main actions one tap away, set up by ``python -m bot line-setup``.

Six areas (ログインできない, リマインダー, わたしの状況, ヘルプ, データ確認, データを削除), each a postback
carrying the core's own action, so a tap works exactly like the matching button. The image is drawn
by :func:`menu_image`: a calm tile per action with a pictogram (NumPy shapes) and its label in
Japanese, set in IPAex Gothic, the font the ``japanize-matplotlib`` package ships (installed with the
bot, so no system font is needed); Pillow draws the words, the standard library encodes the PNG.

Set-up is idempotent: a menu with this name and the same content is kept (and set as the default
again); menus with this name but other content are deleted once the new one is the default.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import struct
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

# line-bot-sdk ships no type information (no py.typed marker, no stubs package): its names are Any.
from linebot.v3.messaging import (  # type: ignore[import-untyped]
    ApiException,
    AsyncApiClient,
    AsyncMessagingApi,
    AsyncMessagingApiBlob,
    Configuration,
    RichMenuRequest,
)
from PIL import Image, ImageDraw, ImageFont

from bot.adapters.line_render import postback_data
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 2500, 843  # LINE's compact full-width size
COLUMNS, ROWS = 3, 2
NAME_PREFIX = "main-menu"  # our menus' names start with it; the rest is the content's fingerprint
CHAT_BAR = "メニュー"
BACKGROUND = (247, 247, 244)
INK = (51, 65, 85)
LABEL_SIZE = 84  # pixels: read at a glance on a phone (the menu is about a third of the screen's width per area)


@dataclass(frozen=True, slots=True)
class MenuItem:
    """One area: its label (shown when tapped), the core command, the tile's colour and pictogram."""

    label: str
    command: str
    colour: tuple[int, int, int]
    icon: str


ITEMS = (
    MenuItem("ログインできない", "diagnose", (222, 236, 250), "lock"),
    MenuItem("リマインダー", "reminders", (255, 243, 214), "bell"),
    MenuItem("わたしの状況", "status", (225, 244, 231), "person"),
    MenuItem("ヘルプ", "help", (237, 233, 254), "question"),
    MenuItem(texts.LABEL_EXPORT, "export", (236, 240, 243), "list"),
    MenuItem(texts.LABEL_FORGET, "forget", (252, 231, 231), "trash"),
)


def _cell(index: int) -> tuple[int, int, int, int]:
    """(x, y, width, height) of area ``index`` (row by row); the last column takes the remainder."""
    col, row = index % COLUMNS, index // COLUMNS
    w, h = WIDTH // COLUMNS, HEIGHT // ROWS
    width = WIDTH - col * w if col == COLUMNS - 1 else w
    height = HEIGHT - row * h if row == ROWS - 1 else h
    return col * w, row * h, width, height


def menu_request() -> dict[str, Any]:
    """The rich menu as LINE's JSON (the name carries a fingerprint of the content and the image)."""
    body: dict[str, Any] = {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": False,
        "chatBarText": CHAT_BAR,
        "areas": [
            {
                "bounds": dict(zip(("x", "y", "width", "height"), _cell(i), strict=True)),
                "action": {
                    "type": "postback",
                    "label": item.label,
                    "data": postback_data(Command(item.command)),
                    "displayText": item.label,
                },
            }
            for i, item in enumerate(ITEMS)
        ],
    }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode() + menu_image()).hexdigest()[:12]
    return {**body, "name": f"{NAME_PREFIX}-{digest}"}


# ---------------------------------------------------------------------- the image


def _disc(canvas: np.ndarray, cx: float, cy: float, r: float, colour: tuple[int, int, int]) -> None:
    ys, xs = np.ogrid[: canvas.shape[0], : canvas.shape[1]]
    canvas[(xs - cx) ** 2 + (ys - cy) ** 2 <= r * r] = colour


def _box(canvas: np.ndarray, x0: float, y0: float, x1: float, y1: float, colour: tuple[int, int, int]) -> None:
    canvas[int(y0) : int(y1), int(x0) : int(x1)] = colour


def _ring(canvas: np.ndarray, cx: float, cy: float, r: float, width: float, colour: tuple[int, int, int]) -> None:
    ys, xs = np.ogrid[: canvas.shape[0], : canvas.shape[1]]
    d = (xs - cx) ** 2 + (ys - cy) ** 2
    canvas[(d <= r * r) & (d >= (r - width) ** 2)] = colour


def _icon(tile: np.ndarray, name: str, bg: tuple[int, int, int]) -> None:
    """A simple pictogram in the upper part of a tile (the label goes under it), in the ink colour."""
    h, w = tile.shape[:2]
    cx, cy, s = w / 2, h * 0.36, min(w, h) * 0.2
    if name == "lock":
        _ring(tile, cx, cy - s * 0.35, s * 0.55, s * 0.16, INK)
        _box(tile, cx - s * 0.8, cy - s * 0.2, cx + s * 0.8, cy + s * 0.9, INK)
        _disc(tile, cx, cy + s * 0.3, s * 0.15, bg)
    elif name == "bell":
        _disc(tile, cx, cy - s * 0.15, s * 0.7, INK)
        _box(tile, cx - s * 0.7, cy - s * 0.15, cx + s * 0.7, cy + s * 0.55, INK)
        _box(tile, cx - s * 0.95, cy + s * 0.5, cx + s * 0.95, cy + s * 0.68, INK)
        _disc(tile, cx, cy + s * 0.85, s * 0.18, INK)
    elif name == "person":
        _disc(tile, cx, cy - s * 0.45, s * 0.42, INK)
        _disc(tile, cx, cy + s * 0.95, s * 0.95, INK)
        _box(tile, 0, cy + s * 0.9, w, h, bg)
    elif name == "question":
        _ring(tile, cx, cy, s * 0.95, s * 0.14, INK)
        _ring(tile, cx, cy - s * 0.2, s * 0.38, s * 0.13, INK)
        _box(tile, cx - s * 0.4, cy - s * 0.2, cx, cy + s * 0.2, bg)
        _box(tile, cx - s * 0.07, cy + s * 0.1, cx + s * 0.07, cy + s * 0.35, INK)
        _disc(tile, cx, cy + s * 0.55, s * 0.09, INK)
    elif name == "list":
        _box(tile, cx - s * 0.75, cy - s * 0.95, cx + s * 0.75, cy + s * 0.95, INK)
        _box(tile, cx - s * 0.6, cy - s * 0.8, cx + s * 0.6, cy + s * 0.8, bg)
        for k in range(4):
            y = cy - s * 0.5 + k * s * 0.33
            _box(tile, cx - s * 0.4, y, cx + s * 0.4, y + s * 0.1, INK)
    elif name == "trash":
        _box(tile, cx - s * 0.85, cy - s * 0.75, cx + s * 0.85, cy - s * 0.6, INK)
        _box(tile, cx - s * 0.25, cy - s * 0.9, cx + s * 0.25, cy - s * 0.75, INK)
        _box(tile, cx - s * 0.65, cy - s * 0.5, cx + s * 0.65, cy + s * 0.95, INK)
        for dx in (-0.3, 0.0, 0.3):
            _box(tile, cx + s * (dx - 0.05), cy - s * 0.3, cx + s * (dx + 0.05), cy + s * 0.75, bg)


def _png(pixels: np.ndarray) -> bytes:
    """RGB pixels (height x width x 3, uint8) as a PNG file, with the standard library only."""
    height, width = pixels.shape[:2]
    raw = b"".join(b"\x00" + pixels[y].tobytes() for y in range(height))  # filter type 0 per row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


@cache
def font_path() -> Path:
    """IPAex Gothic, as shipped inside the ``japanize_matplotlib`` package (found without importing
    it, which would load matplotlib)."""
    spec = importlib.util.find_spec("japanize_matplotlib")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in locations:
        path = Path(folder) / "fonts" / "ipaexg.ttf"
        if path.is_file():
            return path
    raise FileNotFoundError("the Japanese font (japanize-matplotlib's ipaexg.ttf) is not installed")


def _label(tile: np.ndarray, text: str) -> None:
    """The area's label, centred in the lower part of the tile."""
    h, w = tile.shape[:2]
    font = ImageFont.truetype(str(font_path()), LABEL_SIZE)
    image = Image.fromarray(tile)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (w - (right - left)) / 2 - left
    y = h * 0.76 - (bottom - top) / 2 - top
    draw.text((x, y), text, font=font, fill=INK, stroke_width=1, stroke_fill=INK)  # a little bolder
    tile[:] = np.asarray(image)


_IMAGE: bytes | None = None


def menu_image() -> bytes:
    """The menu's PNG (2500×843): a soft tile per area with its pictogram and label, thin gaps between tiles."""
    global _IMAGE
    if _IMAGE is None:
        canvas = np.empty((HEIGHT, WIDTH, 3), dtype=np.uint8)
        canvas[:] = BACKGROUND
        gap = 12
        for i, item in enumerate(ITEMS):
            x, y, w, h = _cell(i)
            tile = canvas[y + gap : y + h - gap, x + gap : x + w - gap]
            tile[:] = item.colour
            _icon(tile, item.icon, item.colour)
            _label(tile, item.label)
        _IMAGE = _png(canvas)
    return _IMAGE


# ---------------------------------------------------------------------- set-up


async def setup_rich_menu(configuration: Configuration, data_configuration: Configuration) -> str:
    """Create (or keep) the main menu, upload its image, make it the default; return its id.

    Idempotent: run it again and the same menu stays; after a change the new one replaces ours.
    """
    wanted = menu_request()
    async with AsyncApiClient(configuration) as client, AsyncApiClient(data_configuration) as data_client:
        api = AsyncMessagingApi(client)
        blob = AsyncMessagingApiBlob(data_client)
        menus = (await api.get_rich_menu_list()).richmenus or []
        ours = [m for m in menus if (m.name or "").startswith(NAME_PREFIX)]
        same = next((m for m in ours if m.name == wanted["name"]), None)
        if same is not None:
            menu_id = same.rich_menu_id
            log.info("rich menu %s is up to date", menu_id)
        else:
            menu_id = (await api.create_rich_menu(RichMenuRequest.from_dict(wanted))).rich_menu_id
            await blob.set_rich_menu_image(menu_id, menu_image(), _headers={"Content-Type": "image/png"})
            log.info("rich menu %s created", menu_id)
        await api.set_default_rich_menu(menu_id)
        for old in ours:
            if old.rich_menu_id != menu_id:
                try:
                    await api.delete_rich_menu(old.rich_menu_id)
                except ApiException as exc:
                    log.warning("old rich menu %s not deleted (HTTP %s)", old.rich_menu_id, exc.status)
    return str(menu_id)
