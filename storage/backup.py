"""A consistent copy of the SQLite database while the bot runs (SQLite's online backup API).

The copy is read from a connection of its own that holds one read transaction for the whole copy:
in WAL mode that snapshot never blocks the bot's writes, and the pages copied step by step all come
from the same moment (a backup that let go of its snapshot between steps would start over after
every write of a busy bot). The copy goes to a temporary file next to the target, is checked, made
a self-contained single file (no ``-wal`` beside it) and flushed to disk; only then does it take the
target's name, so a target never holds half a copy. The copy can be read by its owner only (it
holds personal data, like the database).

The webhook inbox (``bot.inbox.db`` next to the database) is not copied: it only holds events
acknowledged but not yet applied (usually for milliseconds), their message text included, and the
bot applies whatever it holds at its next start.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.request import pathname2url

STEP_PAGES = 1024  # pages per backup step (4 MiB with the default page size)


class BackupError(RuntimeError):
    """The backup cannot be made; the message is one clear line."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    """What was written: the target file, its size in bytes and its number of pages."""

    path: Path
    size: int
    pages: int


def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database at ``path`` (it never creates or writes the database;
    SQLite may create its ``-shm`` / ``-wal`` companions when the bot is not running)."""
    uri = f"file:{pathname2url(str(path))}?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=5.0, isolation_level=None)


def backup_sqlite(
    source: str | Path, target: str | Path, *, force: bool = False, step_pages: int = STEP_PAGES
) -> BackupResult:
    """Copy the SQLite database ``source`` to the file ``target`` while other connections write to it.

    Refuses to replace an existing ``target`` unless ``force``; raises :class:`BackupError` with one
    line for a missing database, a target that is a folder, a folder that does not exist or cannot be
    written, or a database SQLite cannot read.
    """
    source = Path(source)
    target = Path(target)
    if str(source) in ("", ":memory:") or not source.is_file():
        raise BackupError(f"no database file at {source}")
    if target.is_dir():
        raise BackupError(f"{target} is a folder: give the backup's file name")
    folder = target.resolve().parent
    if not folder.is_dir():
        raise BackupError(f"folder {folder} does not exist")
    if target.exists() and not force:
        raise BackupError(f"{target} already exists (add --force to replace it)")
    if target.resolve() == source.resolve():
        raise BackupError(f"{target} is the database itself")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BackupError(f"cannot write in {folder} ({exc.strerror})") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        pages = _copy(source, temp, step_pages)
        _publish(temp, target, force)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return BackupResult(target, target.stat().st_size, pages)


def _copy(source: Path, temp: Path, step_pages: int) -> int:
    """Copy one snapshot of ``source`` into ``temp``, check it and make it a single file."""
    try:
        src = _read_only(source)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open database {source} ({exc})") from None
    try:
        dst = sqlite3.connect(temp, isolation_level=None)
        try:
            # One read transaction for the whole copy: every step reads the same snapshot.
            src.execute("BEGIN")
            src.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            src.backup(dst, pages=step_pages)
            src.execute("COMMIT")
            # A self-contained file: restoring it is copying one file back (the bot turns WAL on again).
            dst.execute("PRAGMA journal_mode=DELETE").fetchone()
            check = dst.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"the copy failed its check ({check})")
            pages = int(dst.execute("PRAGMA page_count").fetchone()[0])
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"cannot copy database {source} ({exc})") from None
    finally:
        src.close()
    with open(temp, "rb+") as f:
        os.fsync(f.fileno())
    return pages


def _publish(temp: Path, target: Path, force: bool) -> None:
    """Give the finished copy the target's name (never half a file under it) and flush the folder."""
    try:
        if force:
            os.replace(temp, target)
        else:
            # A hard link fails if the target appeared meanwhile: nothing is ever silently replaced.
            try:
                os.link(temp, target)
            except FileExistsError:
                raise BackupError(f"{target} already exists (add --force to replace it)") from None
            except OSError:
                if target.exists():
                    raise BackupError(f"{target} already exists (add --force to replace it)") from None
                os.replace(temp, target)  # a file system without hard links
            temp.unlink(missing_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot write {target} ({exc.strerror})") from None
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(target.resolve().parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
