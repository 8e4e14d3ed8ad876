"""Preview images for sharing ("social cards"): one PNG per page and language.

A link pasted in a chat application or a social network shows the page's
`og:image`: this draws it at build time with Pillow, in the page's language:
the site's name, the page's section and its title, on the site's colours.
The font is Source Sans Pro from the pinned `font-source-sans-pro` package
(SIL Open Font License), read from the installed package: nothing is fetched,
unlike Material's social plugin, which downloads its fonts from Google Fonts.

Drawing a card takes tens of milliseconds; each is kept in `.cache/cards/` under
a hash of everything it shows, of this module's code and of the libraries'
versions, so a build whose titles did not change draws none.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
from importlib import metadata
from pathlib import Path

WIDTH, HEIGHT = 1200, 630  # the size every network shows in full (1.91:1)
MARGIN = 80
BACKGROUND = (49, 27, 146)  # deep purple 900 (the theme's primary colour, darker): white text 11:1
ACCENT = (233, 30, 99)  # the theme's accent (pink)
TEXT = (255, 255, 255)
MUTED = (225, 215, 250)  # section and site name: 10:1 on the background
FILE_NAME = "kb-card.png"  # next to the page's index.html


def _font_file(style: str) -> Path:
    import font_source_sans_pro

    return Path(font_source_sans_pro.__file__).parent / "files" / f"SourceSansPro-{style}.ttf"


@functools.cache
def _versions() -> str:
    return ";".join(f"{name}={metadata.version(name)}" for name in ("pillow", "font-source-sans-pro"))


CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def key(title: str, section: str, site: str, host: str) -> str:
    """The cache key of a card: what it shows, and how it is drawn."""
    text = "\x00".join((title, section, site, host, CODE, _versions()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _wrap(draw, text: str, font, width: int) -> list[str]:
    """`text` in lines of at most `width` pixels, broken at spaces (never at a no-break space)."""
    lines: list[str] = []
    for word in text.split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def draw(title: str, section: str, site: str, host: str) -> bytes:
    """The card as PNG bytes."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, 16, HEIGHT), fill=ACCENT)
    regular = ImageFont.truetype(str(_font_file("Regular")), 34)
    semibold = ImageFont.truetype(str(_font_file("Semibold")), 40)
    top = MARGIN
    if site:  # the home page's title is the site's name
        pen.text((MARGIN, MARGIN - 10), site, font=regular, fill=MUTED)
        top += 60
    if section:
        pen.text((MARGIN, top), section, font=semibold, fill=MUTED)
        top += 70
    width = WIDTH - 2 * MARGIN
    bottom = HEIGHT - MARGIN - 40
    # the largest size at which the title fits (at most four lines)
    for size in (76, 68, 60, 52, 46, 40):
        bold = ImageFont.truetype(str(_font_file("Bold")), size)
        lines = _wrap(pen, title, bold, width)
        line_height = int(size * 1.18)
        if len(lines) <= 4 and top + line_height * len(lines) <= bottom:
            break
    else:
        lines = lines[:4]
        lines[-1] = lines[-1] + " …"
    for i, line in enumerate(lines):
        pen.text((MARGIN, top + i * line_height), line, font=bold, fill=TEXT)
    if host:
        pen.text((MARGIN, HEIGHT - MARGIN - 10), host, font=regular, fill=MUTED)
    pen.rectangle((MARGIN, HEIGHT - MARGIN - 24, MARGIN + 120, HEIGHT - MARGIN - 18), fill=ACCENT)
    # a palette of 32 colours (four colours and their anti-aliased edges): 20 KB rather than 45 KB
    out = io.BytesIO()
    image.quantize(32, method=Image.Quantize.FASTOCTREE).save(out, format="PNG")
    return out.getvalue()


def card(title: str, section: str, site: str, host: str, cache: Path) -> bytes:
    """The card's PNG, from the cache when it was drawn before."""
    path = cache / f"{key(title, section, site, host)}.png"
    if path.is_file():
        return path.read_bytes()
    png = draw(title, section, site, host)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(png)
    tmp.replace(path)
    return png
