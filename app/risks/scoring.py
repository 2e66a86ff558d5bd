"""Risk scores and bands: the one place that turns likelihood × impact into a band.

Convention (documented on the log page and the help page): score = likelihood × impact,
each 1-5, so 1-25. Bands: 1-4 low, 5-9 medium, 10-15 high, 16-25 very high.
"""

from __future__ import annotations

from dataclasses import dataclass

SCORE_MIN, SCORE_MAX = 1, 5


@dataclass(frozen=True)
class Band:
    key: str
    name: str
    low: int
    high: int
    tag_colour: str  # an nhsuk-tag colour
    fill: str  # cell colour in the heat map and the spreadsheet (dark text stays readable)

    @property
    def range_text(self) -> str:
        return f"{self.low} to {self.high}"


BANDS: tuple[Band, ...] = (
    Band("low", "Low", 1, 4, "green", "B7DEC8"),
    Band("medium", "Medium", 5, 9, "yellow", "FFF59D"),
    Band("high", "High", 10, 15, "orange", "FFC48A"),
    Band("very_high", "Very high", 16, 25, "red", "F28B82"),
)
BANDS_BY_KEY = {band.key: band for band in BANDS}


def valid_score(value: object) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and SCORE_MIN <= value <= SCORE_MAX
    )


def score(likelihood: int | None, impact: int | None) -> int | None:
    """Likelihood × impact, or None until both are given. Out-of-range values are refused."""
    if likelihood is None or impact is None:
        return None
    if not (valid_score(likelihood) and valid_score(impact)):
        raise ValueError(f"likelihood and impact must be 1-5, not {likelihood!r} and {impact!r}")
    return likelihood * impact


def band_for(value: int | None) -> Band | None:
    if value is None:
        return None
    for band in BANDS:
        if band.low <= value <= band.high:
            return band
    raise ValueError(f"a score must be 1-25, not {value!r}")
