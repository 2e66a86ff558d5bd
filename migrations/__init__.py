"""Alembic's migrations: a package so `lint-imports` can check they import nothing from app."""
