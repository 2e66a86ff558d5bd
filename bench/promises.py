"""The agreed business case every benchmark and load-test site is given (`make bench`'s
1,000-site size and `make load`), so the portfolio's delivery column, chart and kept
shares are measured as a deployment whose sites have agreed cases runs them."""

from __future__ import annotations

from sqlalchemy import text

# Each site's agreed business case, as the demo's Riverside promises it: what the service
# will find, assess, scan, treat and keep on treatment each quarter (patients), its staff
# and cost, ramping up through 2025 and steady from 2026 (measure, KPI, period, starts,
# ends, percent, patients a quarter, amount, fractures prevented a patient).
PROMISES = [
    ("identified", 2, "ramp_up", "2025-01-01", "2026-01-01", 65.0, 195.0, None, 0.0312),
    ("assessed", 4, "ramp_up", "2025-01-01", "2026-01-01", 85.0, 165.75, None, 0.0312),
    ("scanned", 5, "ramp_up", "2025-01-01", "2026-01-01", 50.0, 97.5, None, None),
    ("treated", 10, "ramp_up", "2025-01-01", "2026-01-01", 80.0, 72.0, None, 0.0845),
    ("adherent", 11, "ramp_up", "2025-01-01", "2026-01-01", 63.75, 47.4, None, None),
    ("staff", None, "ramp_up", "2025-01-01", "2026-01-01", None, None, 9.1, None),
    ("cost", None, "ramp_up", "2025-01-01", "2026-01-01", None, None, 460748.0, None),
    ("identified", 2, "steady", "2026-01-01", None, 80.0, 240.0, None, 0.0338),
    ("assessed", 4, "steady", "2026-01-01", None, 85.0, 204.0, None, 0.0338),
    ("scanned", 5, "steady", "2026-01-01", None, 50.0, 120.0, None, None),
    ("treated", 10, "steady", "2026-01-01", None, 80.0, 96.0, None, 0.0845),
    ("adherent", 11, "steady", "2026-01-01", None, 70.0, 67.2, None, None),
    ("staff", None, "steady", "2026-01-01", None, None, None, 9.1, None),
    ("cost", None, "steady", "2026-01-01", None, None, None, 466094.0, None),
]
PROMISES_SQL = """
INSERT INTO delivery_promises (site_id, version, agreed_on, measure, kpi_number, period,
                               starts_on, ends_on, percent, patients, amount,
                               fractures_per_patient, created_at)
SELECT s.id, 1, DATE '2024-11-16', p.measure, p.kpi, p.period, CAST(p.starts AS date),
       CAST(p.ends AS date), p.percent, p.patients, p.amount, p.per_patient, now()
FROM sites s
CROSS JOIN (VALUES {promises})
  AS p(measure, kpi, period, starts, ends, percent, patients, amount, per_patient)
WHERE s.id > :after
"""


def sql_literal(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def _value(value: object) -> str:
    if value is None:
        return "NULL"
    return sql_literal(value) if isinstance(value, str) else repr(value)


def agree_business_cases(connection, after_site_id: int) -> int:  # noqa: ANN001
    """Every site after `after_site_id` gets the agreed business case `PROMISES` holds."""
    rows = ", ".join("(" + ", ".join(_value(v) for v in row) + ")" for row in PROMISES)
    result = connection.execute(text(PROMISES_SQL.format(promises=rows)), {"after": after_site_id})
    return result.rowcount
