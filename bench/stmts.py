"""Print the SQL statements one request runs: FLS_ENV=test python -m bench.stmts /plan /meetings.

Paths are under /sites/<id> of a small benchmark site (20 tasks); used to find what a page
runs when its statement count is over budget.
"""

import sys

from sqlalchemy import event

from app.accounts.service import create_user
from app.demo import seed_bench
from app.extensions import db
from tests.conftest import PASSWORD, IsolatedClient, make_app, sign_in

app = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
app.test_client_class = IsolatedClient
with app.app_context():
    db.create_all()
    u = create_user("a@example.nhs.uk", "A", PASSWORD, "admin")
    site = seed_bench(1, 20)[0]
    db.session.commit()
    c = app.test_client()
    sign_in(c, u)
    for path in sys.argv[1:]:
        url = f"/sites/{site.id}" + path
        c.get(url)
        stm = []
        h = lambda *a: stm.append(a[2])
        event.listen(db.engine, "before_cursor_execute", h)
        r = c.get(url)
        event.remove(db.engine, "before_cursor_execute", h)
        print("==", path, r.status_code, len(stm))
        for s in stm:
            print("  ", " ".join(s.split())[:230])
