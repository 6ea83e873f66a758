"""Small values the bot keeps for itself, such as the key that signs buttons."""

from __future__ import annotations

import secrets

from bot.db.database import Database


async def secret(db: Database, name: str) -> bytes:
    """A random 32-byte key, made on first use and kept in the database from then on."""
    async with db.transaction() as tx:
        row = await tx.fetch_one("SELECT value FROM meta WHERE key = ?", (name,))
        if row is not None:
            return bytes.fromhex(row["value"])
        key = secrets.token_bytes(32)
        await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (name, key.hex()))
        return key
