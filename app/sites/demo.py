"""What every feature's demo and benchmark step receives (see app/demo.py for the commands).

Here, below the features, so a feature's demo module can name these types without
importing the top-level app/demo.py that runs it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from app.accounts.models import User
from app.core.dates import today
from app.sites.models import Site


@dataclass
class DemoContext:
    users: dict[str, User] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    today: date = field(default_factory=today)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))


@dataclass
class BenchContext:
    site: Site
    tasks: int
    rng: random.Random
    today: date
