"""SVG to PNG in the process, with cairosvg (Cairo), for charts people paste into slides
and Word, which cannot show SVG. The PNG is drawn from the very SVG the page shows."""

from __future__ import annotations

import cairosvg

from app.core.cleantext import clean_text


class PngUnavailable(RuntimeError):
    """The SVG could not be drawn; the caller offers the SVG instead."""


def svg_to_png(svg: str, *, scale: float = 2.0, background: str = "white") -> bytes:
    """A PNG of `svg` at `scale` times its own size (2: sharp on high-density screens)."""
    try:
        return cairosvg.svg2png(
            bytestring=clean_text(svg).encode("utf-8"),  # a site name may hold a \x0b
            scale=scale,
            background_color=background,
            unsafe=False,  # no external files or entities, whatever the SVG says
        )
    except Exception as error:  # noqa: BLE001 - cairosvg raises parser and Cairo errors alike
        raise PngUnavailable("The chart could not be drawn as a PNG; use the SVG.") from error
