"""SQLite storage through sqlite-utils: schema, migrations and repositories. No platform SDK here."""

from storage.db import StorageError, open_database
from storage.repo import Store

__all__ = ["StorageError", "Store", "open_database"]
