"""The database file: migrations, transactions, and backups taken while the bot writes."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.db import database
from bot.db.database import Database, Migration, backup, bundled_migrations

ROOT = Path(__file__).resolve().parents[2]


async def test_start_up_applies_every_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    assert await db.schema_version() == len(bundled_migrations())
    assert await db.migrate() == []  # nothing left to apply
    await db.close()
    db = await Database.open(path)
    assert await db.schema_version() == len(bundled_migrations())
    await db.close()


async def test_pragmas_make_the_file_safe_and_shareable(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    try:
        assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
        assert (await db.fetch_one("PRAGMA synchronous"))[0] == 2  # type: ignore[index]  # FULL
    finally:
        await db.close()


async def test_a_broken_migration_leaves_the_schema_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    good = bundled_migrations()
    broken = Migration(
        len(good) + 1, "broken", "CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;"
    )
    monkeypatch.setattr(database, "bundled_migrations", lambda: [*good, broken])
    with pytest.raises(sqlite3.OperationalError):
        await db.migrate()
    assert await db.schema_version() == len(good)
    assert await db.fetch_one("SELECT name FROM sqlite_master WHERE name = 'half_done'") is None
    await db.close()


async def test_a_failed_transaction_writes_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO workshops (name, created_at) VALUES ('A', 'now')")
            raise RuntimeError("crash halfway")
    assert await db.fetch_all("SELECT * FROM workshops") == []
    await db.close()


async def test_backup_while_writing_is_consistent_and_self_contained(tmp_path: Path) -> None:
    source, target = tmp_path / "live.sqlite3", tmp_path / "backups" / "copy.sqlite3"
    db = await Database.open(source)
    stop = asyncio.Event()

    async def keep_writing() -> int:
        n = 0
        while not stop.is_set():
            await db.execute(
                "INSERT INTO workshops (name, created_at) VALUES (?, 'now')", (f"W{n}",)
            )
            n += 1
            await asyncio.sleep(0)
        return n

    writer = asyncio.create_task(keep_writing())
    await asyncio.sleep(0.05)
    await asyncio.to_thread(backup, source, target)
    stop.set()
    written = await writer
    await db.close()

    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = [row[0] for row in copy.execute("SELECT name FROM workshops ORDER BY id")]
    finally:
        copy.close()
    # A snapshot: a gap-free prefix of what was written.
    assert 0 < len(names) <= written
    assert names == [f"W{n}" for n in range(len(names))]
    assert not (target.parent / "copy.sqlite3.partial").exists()


def test_backup_of_a_missing_database_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        backup(tmp_path / "nothing.sqlite3", tmp_path / "copy.sqlite3")


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={"BOT_DB": str(db), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )


def test_db_migrate_and_backup_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"
    migrated = cli("db", "migrate", db=db)
    assert migrated.returncode == 0, migrated.stderr
    assert "0001_init" in migrated.stdout
    again = cli("db", "migrate", db=db)
    assert "nothing to apply" in again.stdout
    copied = cli("db", "backup", str(tmp_path / "copy.sqlite3"), db=db)
    assert copied.returncode == 0, copied.stderr
    assert (tmp_path / "copy.sqlite3").stat().st_size > 0
    missing = cli("db", "backup", str(tmp_path / "x.sqlite3"), db=tmp_path / "absent.sqlite3")
    assert missing.returncode == 1
    assert "Backup failed" in missing.stderr


async def test_rebuilding_members_keeps_every_row_and_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0002 rebuilds `members` (for ids that are never reused) without losing anyone's team."""
    path = tmp_path / "db.sqlite3"
    first, *rest = bundled_migrations()
    monkeypatch.setattr(database, "bundled_migrations", lambda: [first])
    db = await Database.open(path)
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO workshops (id, name, created_at) VALUES (1, 'Salt', 't')")
        await tx.execute(
            "INSERT INTO teams (id, workshop_id, name, created_at, archived_at)"
            " VALUES (1, 1, 'A', 't', NULL), (2, 1, 'B', 't', 'closed')"
        )
        for member_id in (1, 2, 3):
            await tx.execute(
                "INSERT INTO members (id, telegram_id, display_name, created_at)"
                " VALUES (?, ?, ?, 't')",
                (member_id, 100 + member_id, f"M{member_id}"),
            )
            await tx.execute(
                "INSERT INTO memberships (member_id, team_id, joined_at) VALUES (?, 1, 't')",
                (member_id,),
            )
        await tx.execute("INSERT INTO team_leaders VALUES (1, 2, 't')")
        await tx.execute(
            "INSERT INTO invites (token, team_id, kind, created_at, expires_at, revoked_at) VALUES"
            " ('old', 1, 'member', 'a', 'z', 'b'), ('new', 1, 'member', 'b', 'z', NULL),"
            " ('gone', 1, 'member', 'c', 'z', 'd'), ('closed', 2, 'member', 'a', 'z', 'closed')"
        )
    await db.close()

    monkeypatch.setattr(database, "bundled_migrations", lambda: [first, *rest])
    db = await Database.open(path)
    try:
        assert await db.fetch_all("PRAGMA foreign_key_check") == []
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
        names = await db.fetch_all(
            "SELECT m.display_name, ms.team_id FROM members m"
            " JOIN memberships ms ON ms.member_id = m.id ORDER BY m.id"
        )
        assert [tuple(r) for r in names] == [("M1", 1), ("M2", 1), ("M3", 1)]
        leaders = await db.fetch_all("SELECT member_id FROM team_leaders")
        assert [r[0] for r in leaders] == [2]
        reasons = await db.fetch_all("SELECT token, revoked_reason FROM invites ORDER BY id")
        assert [tuple(r) for r in reasons] == [
            ("old", "replaced"),
            ("new", None),
            ("gone", "withdrawn"),
            ("closed", "team_closed"),
        ]
        # Deleting a member still takes their memberships along (the cascade survived).
        await db.execute("DELETE FROM members WHERE id = 3")
        assert (await db.fetch_one("SELECT COUNT(*) FROM memberships"))[0] == 2  # type: ignore[index]
        # And the id of the member who left is never given to the next one.
        await db.execute(
            "INSERT INTO members (telegram_id, display_name, created_at) VALUES (999, 'New', 't')"
        )
        assert (await db.fetch_one("SELECT id FROM members WHERE telegram_id = 999"))[0] == 4  # type: ignore[index]
    finally:
        await db.close()


async def test_a_migration_that_breaks_a_link_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    await db.execute("INSERT INTO workshops (id, name, created_at) VALUES (1, 'Salt', 't')")
    await db.execute("INSERT INTO teams (workshop_id, name, created_at) VALUES (1, 'A', 't')")
    good = bundled_migrations()
    dangling = Migration(len(good) + 1, "dangling", "DELETE FROM workshops;")
    monkeypatch.setattr(database, "bundled_migrations", lambda: [*good, dangling])
    with pytest.raises(sqlite3.IntegrityError, match="breaks foreign keys"):
        await db.migrate()
    assert (await db.fetch_one("SELECT COUNT(*) FROM workshops"))[0] == 1  # type: ignore[index]
    assert await db.schema_version() == len(good)
    await db.close()
