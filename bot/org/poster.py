"""The printable invite poster: a team's QR code with its name, for the wall where it gathers.

A4 portrait at 150 dpi. The team and workshop names are drawn with Noto Sans
CJK (shipped by `mplfonts`), so Chinese names print on any server. The "scan to
join" line appears in every language the bot speaks, because the poster hangs
in front of everyone.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

import segno
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1240, 1754  # A4 at 150 dpi
MARGIN = 90
QR_SIZE = 900


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    path = resources.files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
    with resources.as_file(path) as font_file:
        return ImageFont.truetype(str(font_file), size)


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> ImageFont.FreeTypeFont:
    """The largest font up to `size` that keeps `text` within `width`."""
    while size > 18:
        font = _font(size)
        if draw.textlength(text, font=font) <= width:
            return font
        size -= 4
    return _font(size)


def _centred(draw: ImageDraw.ImageDraw, y: int, text: str, size: int, fill: str) -> int:
    font = _fit(draw, text, size, WIDTH - 2 * MARGIN)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text(((WIDTH - (right - left)) / 2 - left, y - top), text, font=font, fill=fill)
    return int(y + (bottom - top))


def render_poster(
    *, link: str, team: str, workshop: str, instructions: list[str], footer: str
) -> bytes:
    """The poster as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    y = _centred(draw, MARGIN, team, 110, "#111111") + 24
    y = _centred(draw, y, workshop, 60, "#444444") + 50

    qr = segno.make(link, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=1, border=0)
    buffer.seek(0)
    with Image.open(buffer) as raw:
        code = raw.convert("RGB").resize((QR_SIZE, QR_SIZE), Image.Resampling.NEAREST)
    image.paste(code, ((WIDTH - QR_SIZE) // 2, y))
    y += QR_SIZE + 50

    for line in instructions:
        y = _centred(draw, y, line, 52, "#111111") + 18
    y += 20
    y = _centred(draw, y, link, 30, "#666666") + 14
    _centred(draw, y, footer, 30, "#666666")

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
