"""one person per account per site and invitations

Links every member's account to their People entry on the site (by email, any case),
creates the entry where there is none, and merges duplicate People entries without losing
any history, ownership, attendance or group membership. Then one person per account per
site is enforced by a unique constraint.

The linking and merging below is a frozen copy of app/people/merge.py as it stood when this
migration was written (`flask people merge-report` gives a dry run of the app's version):
a migration imports nothing from `app`, so it does the same thing whatever the app becomes.
It works on reflected tables, not the ORM models.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 08:28:36.058526

"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from alembic import op
import sqlalchemy as sa
from sqlalchemy.engine import Connection


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


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


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_invitations_site_id_sites'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invitations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_user_id'), ['user_id'], unique=False)

    connection = op.get_bind()
    apply_merge(connection, plan_merge(connection))

    # No batch (table rebuild) on SQLite here: dropping the old table would fire the
    # ON DELETE actions of every table pointing at it (owners, attendance, memberships).
    op.create_index('ix_people_site_id_user_id', 'people', ['site_id', 'user_id'], unique=True)
    op.add_column(
        'users',
        sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False),
    )

    # ### end Alembic commands ###


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), for the same reason as above.
    op.drop_column('users', 'must_change_password')
    op.drop_index('ix_people_site_id_user_id', table_name='people')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_user_id'))

    op.drop_table('invitations')
