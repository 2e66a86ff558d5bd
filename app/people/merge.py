"""One person per human per site: linking accounts to People entries and merging duplicates.

Used by `flask people merge-report` (a dry run, or `--apply`). Migration 0012 applied a
frozen copy of it (a migration imports nothing from the app); a test checks the copy still
plans the same as this one. It works on a
plain database connection with reflected tables, not the ORM models, so it keeps working
on the schema as it stood when the migration runs.

Nothing is lost in a merge: every row that pointed at a duplicate (tasks, actions, risks,
attendance, group membership, history...) is moved to the person kept. Where the kept person
already has the same row (both invited to one meeting, both in one group with one role),
the duplicate row's missing details are copied across and the duplicate row is dropped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

# Empty text fields of the person kept are filled from the duplicates, in this order.
_FILLABLE = ("job_title", "organisation", "email", "phone", "notes", "category_other")


@dataclass
class Merge:
    site_id: int
    keeper_id: int
    duplicate_ids: list[int]
    user_id: int | None = None  # the account the kept person ends up linked to
    moved: dict[str, int] = field(default_factory=dict)  # "table.column" -> rows pointing


@dataclass
class MergePlan:
    merges: list[Merge] = field(default_factory=list)
    links: list[tuple[int, int, int]] = field(default_factory=list)  # (site, person, user)
    creates: list[tuple[int, int]] = field(default_factory=list)  # (site, user)
    conflicts: list[tuple[int, list[int]]] = field(default_factory=list)  # (site, person ids)

    @property
    def empty(self) -> bool:
        return not (self.merges or self.links or self.creates or self.conflicts)

    def report_lines(self) -> list[str]:
        """The dry-run report: ids only, so it can be pasted anywhere without personal data."""
        lines = [
            f"{len(self.merges)} duplicate group(s) to merge, {len(self.links)} account link(s), "
            f"{len(self.creates)} People entr(ies) to create for members, "
            f"{len(self.conflicts)} group(s) left for a person to decide."
        ]
        for merge in self.merges:
            moved = ", ".join(f"{k}: {v}" for k, v in sorted(merge.moved.items()) if v) or "none"
            dups = ", ".join(f"#{i}" for i in merge.duplicate_ids)
            lines.append(
                f"site #{merge.site_id}: keep person #{merge.keeper_id}, merge {dups} "
                f"(rows moved: {moved})"
            )
        for site_id, person_id, user_id in self.links:
            lines.append(f"site #{site_id}: link person #{person_id} to user #{user_id}")
        for site_id, user_id in self.creates:
            lines.append(f"site #{site_id}: add a People entry for member user #{user_id}")
        for site_id, person_ids in self.conflicts:
            ids = ", ".join(f"#{i}" for i in person_ids)
            lines.append(
                f"site #{site_id}: people {ids} share an email but are linked to different "
                "accounts; not merged"
            )
        return lines


def _tables(conn: Connection, *names: str) -> list[sa.Table]:
    metadata = sa.MetaData()
    return [sa.Table(name, metadata, autoload_with=conn) for name in names]


def _references(conn: Connection) -> list[tuple[str, str, list[list[str]]]]:
    """(table, column, unique column sets containing it) for every column pointing at people.id."""
    inspector = sa.inspect(conn)
    found = []
    for table in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(table):
            if fk["referred_table"] != "people" or len(fk["constrained_columns"]) != 1:
                continue
            column = fk["constrained_columns"][0]
            uniques = [
                u["column_names"]
                for u in inspector.get_unique_constraints(table)
                if column in u["column_names"]
            ]
            found.append((table, column, uniques))
    return sorted(found)


class _Groups:
    """Union-find over person ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def plan_merge(conn: Connection) -> MergePlan:
    """What linking and merging would change; reads only."""
    people, users, memberships = _tables(conn, "people", "users", "memberships")
    user_email = {
        uid: (email or "").strip().lower()
        for uid, email in conn.execute(sa.select(users.c.id, users.c.email))
    }
    rows = conn.execute(
        sa.select(people.c.id, people.c.site_id, people.c.email, people.c.user_id)
        .where(people.c.erased.is_(False))
        .order_by(people.c.id)
    ).all()
    plan = MergePlan()
    by_site: dict[int, list] = defaultdict(list)
    for row in rows:
        by_site[row.site_id].append(row)
    references = _references(conn)
    linked: set[tuple[int, int]] = set()  # (site, user) that end up with a person
    email_owner: dict[tuple[int, str], int] = {}  # (site, email) -> kept person id
    for site_id, site_rows in sorted(by_site.items()):
        groups = _Groups()
        first_with: dict[tuple[str, object], int] = {}
        for row in site_rows:
            keys = []
            if (row.email or "").strip():
                keys.append(("email", row.email.strip().lower()))
            if row.user_id is not None:
                keys.append(("user", row.user_id))
                if user_email.get(row.user_id):
                    keys.append(("email", user_email[row.user_id]))
            groups.find(row.id)
            for key in keys:
                if key in first_with:
                    groups.union(row.id, first_with[key])
                else:
                    first_with[key] = row.id
        members: dict[int, list] = defaultdict(list)
        for row in site_rows:
            members[groups.find(row.id)].append(row)
        for group in members.values():
            user_ids = {r.user_id for r in group if r.user_id is not None}
            if len(user_ids) > 1:
                plan.conflicts.append((site_id, [r.id for r in group]))
                linked.update((site_id, uid) for uid in user_ids)
                continue
            # The person already linked to an account is kept, else the oldest entry.
            keeper = min(group, key=lambda r: (r.user_id is None, r.id))
            user_id = next(iter(user_ids), None)
            if user_id is not None:
                linked.add((site_id, user_id))
            for r in group:
                if (r.email or "").strip():
                    email_owner[(site_id, r.email.strip().lower())] = keeper.id
            if len(group) > 1:
                dup_ids = [r.id for r in group if r.id != keeper.id]
                merge = Merge(site_id, keeper.id, dup_ids, user_id)
                for table, column, _uniques in references:
                    t = sa.table(table, sa.column(column))
                    merge.moved[f"{table}.{column}"] = conn.scalar(
                        sa.select(sa.func.count()).select_from(t).where(t.c[column].in_(dup_ids))
                    )
                plan.merges.append(merge)
    for site_id, user_id in conn.execute(
        sa.select(memberships.c.site_id, memberships.c.user_id).order_by(
            memberships.c.site_id, memberships.c.user_id
        )
    ):
        if (site_id, user_id) in linked:
            continue
        person_id = email_owner.get((site_id, user_email.get(user_id, "")))
        if person_id is not None and person_id not in {p for _s, p, _u in plan.links}:
            plan.links.append((site_id, person_id, user_id))
        else:
            plan.creates.append((site_id, user_id))
        linked.add((site_id, user_id))
    return plan


def _move_rows(conn: Connection, table_name: str, column: str, uniques, keeper: int, dup: int):  # noqa: ANN001, ANN202
    table = sa.Table(table_name, sa.MetaData(), autoload_with=conn)
    col = table.c[column]
    others = [[c for c in u if c != column] for u in uniques]
    for row in conn.execute(sa.select(table).where(col == dup)).mappings().all():
        clash = None
        for rest in others:
            clash = (
                conn.execute(
                    sa.select(table).where(col == keeper, *(table.c[c] == row[c] for c in rest))
                )
                .mappings()
                .first()
            )
            if clash is not None:
                break
        if clash is None:
            conn.execute(table.update().where(table.c.id == row["id"]).values({column: keeper}))
            continue
        # The kept person already has this row: keep any detail only the duplicate's row has.
        fill = {
            name: row[name]
            for name in row
            if name not in ("id", column) and clash[name] is None and row[name] is not None
        }
        if fill:
            conn.execute(table.update().where(table.c.id == clash["id"]).values(fill))
        conn.execute(table.delete().where(table.c.id == row["id"]))


def apply_merge(conn: Connection, plan: MergePlan, now: datetime | None = None) -> None:
    """Carry out a plan made by plan_merge on the same connection."""
    now = now or datetime.utcnow()  # noqa: DTZ003 - naive UTC, like every DateTime column
    people, users, audit = _tables(conn, "people", "users", "audit_events")
    references = _references(conn)
    for merge in plan.merges:
        keeper = conn.execute(sa.select(people).where(people.c.id == merge.keeper_id)).mappings()
        keeper = keeper.one()
        fill: dict[str, object] = {}
        for dup_id in merge.duplicate_ids:
            dup = conn.execute(sa.select(people).where(people.c.id == dup_id)).mappings().one()
            for name in _FILLABLE:
                if not (keeper[name] or fill.get(name)) and dup[name]:
                    fill[name] = dup[name]
            if keeper["category"] is None and dup["category"] and "category" not in fill:
                fill["category"] = dup["category"]
            for table, column, uniques in references:
                _move_rows(conn, table, column, uniques, merge.keeper_id, dup_id)
            # The duplicate's history now reads as the kept person's: no row is dropped.
            conn.execute(
                audit.update()
                .where(audit.c.object_type == "person", audit.c.object_id == dup_id)
                .values(object_id=merge.keeper_id)
            )
            conn.execute(people.delete().where(people.c.id == dup_id))
        if merge.user_id is not None and keeper["user_id"] is None:
            fill["user_id"] = merge.user_id
        if fill:
            conn.execute(people.update().where(people.c.id == merge.keeper_id).values(fill))
        conn.execute(
            audit.insert().values(
                at=now,
                site_id=merge.site_id,
                action="merge",
                object_type="person",
                object_id=merge.keeper_id,
                detail="Merged duplicate people " + ", ".join(f"#{i}" for i in merge.duplicate_ids),
            )
        )
    for _site_id, person_id, user_id in plan.links:
        conn.execute(people.update().where(people.c.id == person_id).values(user_id=user_id))
    for site_id, user_id in plan.creates:
        user = conn.execute(sa.select(users.c.name, users.c.email).where(users.c.id == user_id))
        name, email = user.one()
        conn.execute(
            people.insert().values(
                site_id=site_id,
                name=name,
                job_title="",
                organisation="",
                category_other="",
                email=email,
                phone="",
                preferred_contact="email",
                notes="",
                influence="low",
                interest="low",
                engagement="engaged",
                added_on=date.today(),
                user_id=user_id,
                erased=False,
                version=1,
                created_at=now,
                updated_at=now,
            )
        )
