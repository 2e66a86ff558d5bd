"""Main pages run a fixed number of SQL statements whatever the amount of data."""

from tests.conftest import sign_in


def _count(client, count_queries, url: str) -> int:
    client.get(url)  # warm up: first-request work is not what we measure
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_home_page_queries_do_not_grow_with_sites(
    client, make_user, make_site, add_member, count_queries
) -> None:
    support = make_user(global_role="support")
    member = make_user()
    for _ in range(3):
        add_member(make_site(), member)
    sign_in(client, support)
    few_support = _count(client, count_queries, "/")
    sign_in(client, member)
    few_member = _count(client, count_queries, "/")
    for _ in range(30):
        add_member(make_site(), member)
    sign_in(client, support)
    assert _count(client, count_queries, "/") == few_support
    sign_in(client, member)
    assert _count(client, count_queries, "/") == few_member
