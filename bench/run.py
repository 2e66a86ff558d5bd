"""The performance benchmark: times the main pages at two data sizes in one run.

    make bench            (or: FLS_ENV=test python -m bench.run [--quick])

Per-site pages are timed on a site with 150 tasks and on one with 300 (people, meetings,
risks and KPI values in proportion, from `seed-bench`); the portfolio at 100 and 200 sites.
Each figure is the median of several requests, and the ratio between the two sizes is
what must stay under 2.5: absolute times vary by machine, ratios show how a page scales.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from app.accounts.service import create_user
from app.demo import seed_bench
from app.extensions import db
from tests.conftest import PASSWORD, IsolatedClient, make_app, sign_in

RATIO_LIMIT = 2.5

# (label, path under /sites/<id>) for pages that must scale with one site's size.
SITE_PAGES = [
    ("Overview", "/"),
    ("Plan page", "/plan"),
    ("Plan workbook (xlsx)", "/plan.xlsx"),
    ("Timeline", "/timeline"),
    ("People", "/people"),
    ("Coverage", "/coverage"),
    ("Meetings", "/meetings"),
    ("Action log", "/actions"),
    ("Risks", "/risks"),
    ("Gateways", "/gateways"),
    ("Needs", "/needs"),
    ("KPIs", "/kpis"),
    ("PID (docx)", "/documents/pid.docx"),
    ("Steering report (docx)", "/documents/steering-report.docx"),
]
PORTFOLIO_PAGES = [("Portfolio", "/portfolio"), ("Portfolio workbook (xlsx)", "/portfolio.xlsx")]


def median_ms(client, url: str, repeats: int) -> float | None:  # noqa: ANN001
    first = client.get(url)
    if first.status_code == 404:
        return None  # the feature is not part of this build
    assert first.status_code == 200, f"{url}: {first.status_code}"
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def report(rows: list[tuple[str, float | None, float | None]], sizes: tuple[str, str]) -> bool:
    ok = True
    print(f"{'page':<28}{sizes[0]:>14}{sizes[1]:>14}{'ratio':>8}")
    for label, small, large in rows:
        if small is None or large is None:
            print(f"{label:<28}{'(not built)':>14}")
            continue
        ratio = large / small
        flag = "" if ratio < RATIO_LIMIT else "  <-- over the limit"
        ok = ok and ratio < RATIO_LIMIT
        print(f"{label:<28}{small:>12.1f}ms{large:>12.1f}ms{ratio:>8.2f}{flag}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller portfolio (20/40 sites)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="fls-bench-"))
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir / 'bench.sqlite'}")
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        admin = create_user("bench@example.nhs.uk", "Bench Admin", PASSWORD, "admin")
        small_site, large_site = seed_bench(1, 150)[0], seed_bench(1, 300)[0]
        db.session.commit()
        client = app.test_client()
        sign_in(client, admin)
        print("Per-site pages: one site with 150 tasks, one with 300\n")
        rows = [
            (
                label,
                median_ms(client, f"/sites/{small_site.id}{path}", args.repeats),
                median_ms(client, f"/sites/{large_site.id}{path}", args.repeats),
            )
            for label, path in SITE_PAGES
        ]
        ok = report(rows, ("150 tasks", "300 tasks"))

        half = 20 if args.quick else 100
        seed_bench(half - 2, 150)
        db.session.commit()
        small = {label: median_ms(client, path, args.repeats) for label, path in PORTFOLIO_PAGES}
        seed_bench(half, 150)
        db.session.commit()
        large = {label: median_ms(client, path, args.repeats) for label, path in PORTFOLIO_PAGES}
        print(f"\nPortfolio: {half} sites and {2 * half} sites, 150 tasks each\n")
        ok = (
            report(
                [(label, small[label], large[label]) for label, _ in PORTFOLIO_PAGES],
                (f"{half} sites", f"{2 * half} sites"),
            )
            and ok
        )
    print(f"\n{'All' if ok else 'NOT all'} ratios under {RATIO_LIMIT}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
