"""Scores and bands: the rule the heat map, the log, the overview and the export share."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.risks.scoring import BANDS, band_for, score, valid_score


@pytest.mark.parametrize(
    "value, band",
    [
        (1, "Low"),
        (4, "Low"),
        (5, "Medium"),
        (9, "Medium"),
        (10, "High"),
        (15, "High"),
        (16, "Very high"),
        (25, "Very high"),
    ],
)
def test_band_boundaries(value: int, band: str) -> None:
    assert band_for(value).name == band


def test_bands_cover_1_to_25_without_gaps_or_overlaps() -> None:
    covered = [n for band in BANDS for n in range(band.low, band.high + 1)]
    assert covered == list(range(1, 26))


def test_every_band_has_a_word_and_a_colour() -> None:
    assert [(b.name, b.tag_colour) for b in BANDS] == [
        ("Low", "green"),
        ("Medium", "yellow"),
        ("High", "orange"),
        ("Very high", "red"),
    ]


@given(st.integers(1, 5), st.integers(1, 5))
def test_score_is_likelihood_times_impact(likelihood: int, impact: int) -> None:
    assert score(likelihood, impact) == likelihood * impact
    assert band_for(score(likelihood, impact)) is not None


def test_no_score_until_both_are_given() -> None:
    assert score(None, 3) is None
    assert score(3, None) is None
    assert band_for(None) is None


@pytest.mark.parametrize("bad", [0, 6, -1, 3.5, "3", True])
def test_scores_outside_1_to_5_are_refused(bad) -> None:  # noqa: ANN001
    assert not valid_score(bad)
    with pytest.raises(ValueError):
        score(bad, 3)


@pytest.mark.parametrize("bad", [0, 26])
def test_band_of_impossible_score_is_an_error(bad: int) -> None:
    with pytest.raises(ValueError):
        band_for(bad)
