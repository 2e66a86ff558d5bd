"""One RAG and phase vocabulary: the rules every page, export and query share."""

from __future__ import annotations

import pytest

from app.toolkit import get_toolkit
from app.toolkit.vocabulary import (
    RAG,
    RAG_LABELS,
    current_phase,
    gateway_phase_numbers,
    phase_numbers,
    rag_label,
    rag_ladder,
)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((0, 0, 0, 0), None),  # nothing applicable
        ((3, 3, 0, 0), "complete"),
        ((3, 1, 1, 1), "red"),  # an essential task is red
        ((3, 1, 0, 2), "amber"),  # red or amber, none of them essential and red
        ((3, 1, 0, 0), "green"),
    ],
)
def test_the_roll_up_ladder(counts, expected) -> None:
    assert rag_ladder(*counts) == expected


def test_rag_words_and_order() -> None:
    assert list(RAG_LABELS) == ["red", "amber", "green", "complete"]  # worst first
    assert [RAG[k].severity for k in RAG_LABELS] == [3, 2, 1, 0]
    assert rag_label(None) == "Not applicable" and rag_label("amber") == "Amber"
    assert {status.tag for status in RAG.values()} == {"red", "orange", "green", "blue"}


def test_phases_come_from_the_toolkit() -> None:
    toolkit = get_toolkit()
    assert phase_numbers() == tuple(p.number for p in toolkit.phases)
    assert gateway_phase_numbers() == tuple(p.number for p in toolkit.phases if p.has_gateway)
    assert gateway_phase_numbers() == (1, 2, 3, 4, 5, 6)


def test_current_phase() -> None:
    assert current_phase([]) == 1
    assert current_phase([1, 2]) == 3
    assert current_phase([1, 3]) == 2  # the first gateway not signed off
    assert current_phase(range(1, 7)) == 6  # all signed: stays on the last
