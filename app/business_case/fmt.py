"""Figures as people read them, the same on the page, in Word and in the spreadsheet notes."""

from __future__ import annotations

from app.needs.model import approx


def money(value: float | None, missing: str = "Not worked out") -> str:
    """£ to the nearest £100 (or £1,000 above £10,000); a minus sign for negative values."""
    if value is None:
        return missing
    shown = approx(abs(value), "£")
    return f"−{shown}" if value < 0 and shown != "£0" else shown


def count(value: float | None, missing: str = "Not worked out") -> str:
    if value is None:
        return missing
    return approx(value)


def per_qaly(icer: float | None, dominant: bool = False) -> str:
    """Cost per QALY gained, or what stands in for it."""
    if dominant:
        return "Cost-saving (cheaper and better than today's service)"
    if icer is None:
        return "No QALYs gained"
    return f"{money(icer)} a QALY gained"


def chance(value: float) -> str:
    """A probability as people read it: 97%, 'over 99%', 'under 1%'."""
    if value >= 0.995:
        return "over 99%"
    if value < 0.005:
        return "under 1%"
    return f"{value:.0%}"


def qalys(value: float | None) -> str:
    if value is None:
        return "Not worked out"
    return f"{value:,.1f}"
