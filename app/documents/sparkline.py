"""Small run charts as PNG for Word, which cannot show SVG; no imaging library is installed,
so this draws the pixels itself and writes the PNG with zlib.

A run chart here is the KPI's values over time as a line, with the median as a grey line
and the target, if any, as a dashed green line: enough for a steering group to see a trend.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from statistics import median

WHITE = (255, 255, 255)
LINE = (0, 94, 184)  # NHS blue
MEDIAN = (150, 160, 170)
TARGET = (0, 122, 51)
AXIS = (66, 84, 98)


class Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(WHITE * (width * height))

    def dot(self, x: int, y: int, colour: tuple[int, int, int], size: int = 1) -> None:
        for dx in range(-(size // 2), size - size // 2):
            for dy in range(-(size // 2), size - size // 2):
                px, py = x + dx, y + dy
                if 0 <= px < self.width and 0 <= py < self.height:
                    at = (py * self.width + px) * 3
                    self.pixels[at : at + 3] = bytes(colour)

    def line(
        self, x0: int, y0: int, x1: int, y1: int, colour, size: int = 1, dash: int = 0
    ) -> None:  # noqa: ANN001
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for step in range(steps + 1):
            if dash and (step // dash) % 2:
                continue
            x = round(x0 + (x1 - x0) * step / steps)
            y = round(y0 + (y1 - y0) * step / steps)
            self.dot(x, y, colour, size)

    def png(self) -> bytes:
        raw = b"".join(
            b"\x00" + bytes(self.pixels[row * self.width * 3 : (row + 1) * self.width * 3])
            for row in range(self.height)
        )

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


def run_chart_png(
    values: Sequence[float], target: float | None = None, width: int = 240, height: int = 60
) -> bytes:
    """Percentages (0-100) oldest first, drawn at twice the size they print for sharpness."""
    canvas = Canvas(width, height)
    pad = 6
    low = min([*values, target if target is not None else values[0]]) if values else 0
    high = max([*values, target if target is not None else values[0]]) if values else 100
    if high - low < 10:  # a flat series would fill the chart with noise: show at least 10 points
        middle = (high + low) / 2
        low, high = middle - 5, middle + 5

    def y_of(value: float) -> int:
        return round(height - pad - (value - low) / (high - low) * (height - 2 * pad))

    canvas.line(pad, height - pad, width - pad, height - pad, AXIS)
    canvas.line(pad, pad, pad, height - pad, AXIS)
    if not values:
        return canvas.png()
    if target is not None:
        canvas.line(pad, y_of(target), width - pad, y_of(target), TARGET, 1, dash=4)
    centre = y_of(median(values))
    canvas.line(pad, centre, width - pad, centre, MEDIAN, 1)
    step = (width - 3 * pad) / max(len(values) - 1, 1)
    points = [(round(2 * pad + index * step), y_of(v)) for index, v in enumerate(values)]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        canvas.line(x0, y0, x1, y1, LINE, 2)
    for x, y in points:
        canvas.dot(x, y, LINE, 4)
    return canvas.png()
