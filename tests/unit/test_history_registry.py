"""Each feature declares its history words in the registry; the reader imports no feature."""

from __future__ import annotations

import pytest

from app.core.history_words import HistoryWords, NameSource
from app.core.registry import registry


def test_a_key_declared_twice_with_another_meaning_is_refused() -> None:
    words = HistoryWords()
    words.add(objects={"task": "Task"}, fields={"task_id": "Linked task"})
    words.add(objects={"task": "Task"})  # the same meaning again is harmless
    with pytest.raises(ValueError, match="task_id"):
        words.add(fields={"task_id": "Task"})
    words.add_names("task", NameSource(model=object, name=None, gone="a deleted task"))
    with pytest.raises(ValueError, match="task"):
        words.add_names("task", NameSource(model=object, name=None, gone="gone"))


def test_every_id_field_points_at_a_kind_with_names(app) -> None:  # noqa: ANN001
    words = registry().history
    assert set(words.id_fields.values()) <= set(words.names)
    assert {"person", "user", "meeting", "task", "group", "entry"} <= set(words.names)
    assert words.last_steering_group is not None
