"""reshape users

Revision ID: 3f2a9c1d
Revises: 1b7e44aa
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "3f2a9c1d"
down_revision = "1b7e44aa"


def upgrade():
    op.create_table(
        "login",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ip", sa.String(45)),
    )
    op.add_column("user", sa.Column("nickname", sa.String(length=40)))
    op.drop_column("user", "fax")
    op.alter_column("user", "bio", existing_type=sa.Text(), type_=sa.String(200))
    op.alter_column("user", "name", new_column_name="display_name")
    op.rename_table("plan", "subscription")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("pager")
        batch_op.alter_column("balance", type_=sa.Numeric(8, 2), existing_type=postgresql.NUMERIC(12, 2))
    op.execute(f"DELETE FROM {table}")
    op.get_bind().execute(sa.text("TRUNCATE audit"))
    op.drop_table("login")
    op.drop_table("legacy")


def downgrade():
    op.create_table("legacy", sa.Column("id", sa.Integer()))
    op.execute("DROP TABLE subscription")
