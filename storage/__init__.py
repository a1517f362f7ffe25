"""Storage: one port (:class:`storage.port.StorePort`), two adapters. No platform SDK here.

SQLite through sqlite-utils is the embedded default (:class:`Store`); with ``DATABASE_URL`` set,
PostgreSQL through psycopg 3 (:class:`storage.postgres.PostgresStore`), which several instances may share.
"""

from __future__ import annotations

import sqlite3

import psycopg

from storage.db import StorageError, open_database
from storage.port import StorePort
from storage.repo import Store

# What a store raises when the database itself is the problem (locked, full, read-only, unreachable),
# as opposed to a bug: callers keep the work and try again.
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, psycopg.Error)


def open_store(db_path: str, database_url: str = "") -> StorePort:
    """PostgreSQL at ``database_url`` when given, else SQLite at ``db_path``; migrated either way."""
    if database_url:
        from storage.postgres import open_postgres

        return open_postgres(database_url)
    return Store(open_database(db_path))


__all__ = ["DATABASE_ERRORS", "StorageError", "Store", "StorePort", "open_database", "open_store"]
