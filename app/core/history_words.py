"""What each feature tells the history reader, so it can put codes and ids into words.

The audit table keeps codes and ids. The reader (app/sites/history.py) sits below the
features, so each feature declares here, from its `register(registry)`, how its rows read:
`registry.history.add(...)` for its record and field names and code vocabularies, and
`registry.history.add_names(...)` for the records its id fields point at.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class NameSource:
    """Where the names for one kind of id come from: a table read once per page."""

    model: Any  # the mapped class (core cannot name the features' types)
    name: Any  # the column shown, e.g. Task.title
    gone: str  # shown for an id no longer there: "a deleted task"
    when: Any = None  # an optional DateTime column passed to `text`
    erased: Any = None  # an optional Boolean column: true shows "erased person"
    site_scoped: bool = True  # the model has a site_id and ids from other sites are unknown
    text: Callable[[str, Any], str] | None = None  # (name, when) -> the words shown


@dataclass
class HistoryWords:
    # object type -> "Risk log entry"
    object_names: dict[str, str] = field(default_factory=dict)
    # field -> "Linked task" (fields not listed read as their words: "due_date" -> "Due date")
    field_labels: dict[str, str] = field(default_factory=dict)
    # (object type or "*", field) -> {code: label}
    vocabularies: dict[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)
    # id field -> kind of record it points at ("owner_id" -> "person")
    id_fields: dict[str, str] = field(default_factory=dict)
    # kind -> where its names come from; the kind is also the noun in labels ("task #4")
    names: dict[str, NameSource] = field(default_factory=dict)
    # object type -> label -> the label in words ("gateway 2" -> "Phase 2: Define and Scope")
    label_words: dict[str, Callable[[str], str]] = field(default_factory=dict)
    # (site id, now) -> a SELECT of when the last steering-group meeting before now started,
    # for "changes since the last steering group" (the meetings feature answers it)
    last_steering_group: Callable[[int, datetime], Any] | None = None

    def add(
        self,
        *,
        objects: Mapping[str, str] | None = None,
        fields: Mapping[str, str] | None = None,
        vocabularies: Mapping[tuple[str, str], Mapping[str, str]] | None = None,
        ids: Mapping[str, str] | None = None,
        labels: Mapping[str, Callable[[str], str]] | None = None,
    ) -> None:
        """Declare a feature's words; a second, different meaning for one key is an error."""
        for mine, theirs in (
            (self.object_names, objects),
            (self.field_labels, fields),
            (self.vocabularies, vocabularies),
            (self.id_fields, ids),
            (self.label_words, labels),
        ):
            for key, value in (theirs or {}).items():
                if key in mine and mine[key] != value:
                    raise ValueError(f"history words for {key!r} declared twice")
                mine[key] = value

    def add_names(self, kind: str, source: NameSource) -> None:
        if kind in self.names:
            raise ValueError(f"history names for {kind!r} declared twice")
        self.names[kind] = source
