"""Fixtures shared by the whole test suite.

pytest-django reads DJANGO_SETTINGS_MODULE from pyproject.toml; the database is
whatever DATABASE_URL names (SQLite by default, PostgreSQL in CI's second run).
"""
