"""Print the SQL statements one request runs: FLS_ENV=test python -m bench.stmts /plan /meetings.

Paths are under /sites/<id> of a small benchmark site (20 tasks), fetched as an
administrator after one warm-up request; used to find what keeps a page over budget.
"""

import sys

from sqlalchemy import event

from app.accounts.service import create_user
from app.demo import seed_bench
from app.extensions import db
from tests.conftest import PASSWORD, IsolatedClient, make_app, sign_in


def main(paths: list[str]) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        admin = create_user("bench@example.nhs.uk", "Bench Admin", PASSWORD, "admin")
        site = seed_bench(1, 20)[0]
        db.session.commit()
        client = app.test_client()
        sign_in(client, admin)
        for path in paths:
            url = f"/sites/{site.id}" + path
            client.get(url)
            statements: list[str] = []

            def record(_conn, _cursor, statement, *_args, into=statements) -> None:  # noqa: ANN001
                into.append(statement)

            event.listen(db.engine, "before_cursor_execute", record)
            response = client.get(url)
            event.remove(db.engine, "before_cursor_execute", record)
            print(f"== {path}: HTTP {response.status_code}, {len(statements)} statements")
            for statement in statements:
                print("  ", " ".join(statement.split())[:240])


if __name__ == "__main__":
    main(sys.argv[1:])
