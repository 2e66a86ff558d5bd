"""The meeting page's drop-downs: one query for people and tasks, and options written in
Python that read exactly as the NHS.UK select macro writes them."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.extensions import db
from app.meetings import queries
from app.meetings.forms import ActionForm
from tests.fixtures.meetings import create_person


def test_people_and_tasks_in_one_query(make_site, make_task, count_queries) -> None:
    site, other = make_site(), make_site()
    for name in ("Zoe", "adam", "Beth"):
        create_person(site, name)
    create_person(site, "Erased", erased=True)
    create_person(other, "Elsewhere")
    make_task(site, phase=2, position=0, title="Later phase")
    make_task(site, phase=1, position=1, title="Second")
    make_task(site, phase=1, position=0, title="First")
    make_task(other, title="Not ours")
    db.session.commit()
    site_id = site.id
    with count_queries() as q:
        people, tasks = queries.people_and_tasks(site_id)
    assert len(q) == 1
    assert [p.name for p in people] == [p.name for p in queries.people(site_id)]
    assert {p.name for p in people} == {"Zoe", "adam", "Beth"}
    assert [t.title for t in tasks] == ["First", "Second", "Later phase"]


class _Tokens(HTMLParser):
    """Tags, attributes and text, whitespace aside: what a browser and a test read."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tokens.append((tag, sorted((k, " ".join((v or "").split())) for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("/" + tag,))

    def handle_data(self, data: str) -> None:
        if data.split():
            self.tokens.append((" ".join(data.split()),))


def _tokens(html: str) -> list[tuple]:
    parser = _Tokens()
    parser.feed(html)
    return parser.tokens


@pytest.mark.parametrize(
    "data, hint, errors",
    [(None, None, []), (2, None, []), (None, None, ["Choose the owner."]), (3, "A hint", ["Bad"])],
)
def test_long_select_reads_as_the_nhs_select(app, data, hint, errors) -> None:  # noqa: ANN001
    template = app.jinja_env.from_string(
        '{% from "macros/forms.html" import field_select %}'
        '{% from "meetings/_select.html" import long_select %}'
        "{{ field_select(field, hint=hint) }}|{{ long_select(field, hint=hint) }}"
    )
    with app.test_request_context():
        form = ActionForm(meta={"csrf": False})
        people = [queries.IdName(i, f"Person <{i}> & co") for i in (1, 2, 3)]
        form.set_choices(people, [])
        form.owner_id.data, form.owner_id.errors = data, errors
        nhs, ours = template.render(field=form.owner_id, hint=hint).split("|")
    assert _tokens(ours) == _tokens(nhs)
    assert "&lt;2&gt; &amp; co" in ours
