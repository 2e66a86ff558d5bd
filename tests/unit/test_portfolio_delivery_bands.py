"""The portfolio's "Delivering the business case": shares counted by band, live ones summed."""

from app.delivery.facts import DeliveryShare
from app.portfolio.queries import delivery_bands


def test_no_share_yet_gives_no_section() -> None:
    assert delivery_bands([None, None]) is None
    assert delivery_bands([]) is None


def test_shares_are_counted_by_band_and_the_live_ones_summed() -> None:
    short, ahead = DeliveryShare(40, 100, 5, 10), DeliveryShare(95, 100, 0, 0)
    bands = delivery_bands([short, None, ahead, None])
    assert (bands.counts["short"], bands.counts["on-track"], bands.counts["none"]) == (1, 1, 2)
    assert bands.live == 2
    assert bands.total == DeliveryShare(135, 200, 5, 10)
