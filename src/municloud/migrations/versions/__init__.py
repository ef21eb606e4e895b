"""Alembic revisions (a package so that installed wheels carry them)."""
