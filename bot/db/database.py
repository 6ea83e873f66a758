"""The one SQLite connection a bot process writes through.

WAL mode lets the backup command and reports read while the bot writes; every
transaction commits with `synchronous=FULL`, so what a user was told is saved
survives a power cut, not just a crashed process. All statements go through one
lock because concurrent handlers share this connection: without it, one
handler's statement could land inside another's open transaction.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

_LOGGER = logging.getLogger(__name__)
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

Params = Sequence[Any] | dict[str, Any]


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The numbered `.sql` files shipped in `bot/db/migrations`, in order."""
    found = []
    for entry in resources.files("bot.db.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 0001, 0002, … without gaps: {versions}")
    return found


class Transaction:
    """Statements inside one `BEGIN IMMEDIATE … COMMIT`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> aiosqlite.Cursor:
        return await self._conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._conn.execute(sql, params) as cursor:
            row: sqlite3.Row | None = await cursor.fetchone()
            return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def insert(self, sql: str, params: Params = ()) -> int:
        cursor = await self._conn.execute(sql, params)
        assert cursor.lastrowid is not None  # noqa: S101 - an INSERT always sets it
        return cursor.lastrowid


class Database:
    """Connection, migrations and transactions for one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path, *, migrate: bool = True) -> Database:
        """Connect and migrate; on any failure the connection is closed again.

        An aiosqlite connection left open keeps a thread alive, and with it the
        whole process, which then never exits.
        """
        db = cls(path)
        try:
            await db.connect()
            if migrate:
                await db.migrate()
        except BaseException:
            await db.close()
            raise
        return db

    async def connect(self) -> None:
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = FULL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
            # Deleted rows (a withdrawn draft, yesterday's limit keys) are overwritten with
            # zeros, not left readable in free pages of the file.
            "PRAGMA secure_delete = ON",
        ):
            await self._conn.execute(pragma)

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("the database is not open")
        return self._conn

    async def migrate(self) -> list[Migration]:
        """Apply every bundled migration the file has not seen yet; return those applied."""
        async with self._lock:
            await self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            async with self.conn.execute("SELECT version FROM schema_migrations") as cursor:
                done = {row[0] for row in await cursor.fetchall()}
            applied = []
            for migration in bundled_migrations():
                if migration.version in done:
                    continue
                await self._apply(migration)
                _LOGGER.info("Applied migration %04d_%s", migration.version, migration.name)
                applied.append(migration)
            return applied

    async def _apply(self, migration: Migration) -> None:
        """One migration and its bookkeeping row, all or nothing.

        Foreign keys are off while it runs, as SQLite's procedure for rebuilding a
        table requires (with them on, dropping the old table would delete every row
        that refers to it), and checked before the commit instead.
        """
        conn = self.conn
        await conn.execute("PRAGMA foreign_keys = OFF")
        try:
            # executescript commits what came before it, so the migration opens its own
            # transaction and leaves it open for the check and the bookkeeping row.
            await conn.executescript(f"BEGIN IMMEDIATE;\n{migration.sql}\n;")
            async with conn.execute("PRAGMA foreign_key_check") as cursor:
                broken = await cursor.fetchall()
            if broken:
                raise sqlite3.IntegrityError(
                    f"migration {migration.version:04d} breaks foreign keys: {[tuple(r) for r in broken][:5]}"
                )
            await conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (
                    migration.version,
                    migration.name,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ),
            )
            await conn.commit()
        except BaseException:
            if conn.in_transaction:
                await conn.rollback()
            raise
        finally:
            await conn.execute("PRAGMA foreign_keys = ON")

    async def schema_version(self) -> int:
        row = await self.fetch_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return int(row[0]) if row else 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Run statements atomically; roll back everything if any of them fails."""
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self.conn)
            except BaseException:
                await self.conn.rollback()
                raise
            await self.conn.commit()

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._lock:
            return await Transaction(self.conn).fetch_one(sql, params)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._lock:
            return await Transaction(self.conn).fetch_all(sql, params)

    async def forget_history(self) -> None:
        """Fold the write-ahead log into the file and empty it.

        The log keeps every page a transaction wrote, in the order they were
        written: after anonymous writes it would show which pages changed
        together. Emptied, the file holds only the present state. (A reader that
        holds a snapshot open keeps the log from being emptied; the next call does it.)
        """
        async with self._lock:
            await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement in its own transaction; return the number of rows changed."""
        async with self.transaction() as tx:
            cursor = await tx.execute(sql, params)
            return cursor.rowcount


def backup(source: Path, target: Path) -> None:
    """Copy a live database into `target` consistently, even while the bot writes to it.

    SQLite's online backup reads one snapshot; the copy is checked and switched out
    of WAL mode so it is a single self-contained file, then moved into place, so a
    failed backup never leaves a half-written file under the target name.
    """
    if not source.is_file():
        raise FileNotFoundError(f"no database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            (status,) = dst.execute("PRAGMA integrity_check").fetchone()
            if status != "ok":
                raise sqlite3.DatabaseError(f"the copy failed its integrity check: {status}")
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)
