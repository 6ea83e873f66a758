"""python-telegram-bot persistence in our SQLite file: dialog states and dialog data.

Only conversations and per-user dialog data are kept (no chat or bot data), as
JSON, never pickles. Writes are skipped when nothing changed, so a busy shift
start does not turn into one write per update.
"""

from __future__ import annotations

import json
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.db.database import Database

DialogData = dict[Any, Any]
# The shapes python-telegram-bot passes around (its own aliases live in a private module).
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]


class SqlitePersistence(BasePersistence[DialogData, DialogData, DialogData]):
    def __init__(self, db: Database, update_interval: float = 1.0) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._db = db
        self._written_users: dict[int, str] = {}
        self._written_states: dict[tuple[str, str], str] = {}

    async def get_user_data(self) -> dict[int, DialogData]:
        found = await self._db.fetch_all("SELECT telegram_id, data FROM dialog_data")
        self._written_users = {row["telegram_id"]: row["data"] for row in found}
        return {user_id: json.loads(data) for user_id, data in self._written_users.items()}

    async def update_user_data(self, user_id: int, data: DialogData) -> None:
        encoded = json.dumps(data, ensure_ascii=False, sort_keys=True)
        if self._written_users.get(user_id) == encoded:
            return
        if data:
            await self._db.execute(
                "INSERT INTO dialog_data (telegram_id, data) VALUES (?, ?)"
                " ON CONFLICT (telegram_id) DO UPDATE SET data = excluded.data",
                (user_id, encoded),
            )
        else:
            await self._db.execute("DELETE FROM dialog_data WHERE telegram_id = ?", (user_id,))
        self._written_users[user_id] = encoded

    async def refresh_user_data(self, user_id: int, user_data: DialogData) -> None:
        """Nothing to do: this process is the only writer."""

    async def drop_user_data(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM dialog_data WHERE telegram_id = ?", (user_id,))
        self._written_users.pop(user_id, None)

    async def get_conversations(self, name: str) -> ConversationDict:
        found = await self._db.fetch_all(
            "SELECT key, state FROM conversation_states WHERE handler = ?", (name,)
        )
        conversations: ConversationDict = {}
        for row in found:
            self._written_states[(name, row["key"])] = row["state"]
            conversations[tuple(json.loads(row["key"]))] = json.loads(row["state"])
        return conversations

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        encoded_key = json.dumps(list(key))
        encoded = json.dumps(new_state)
        if self._written_states.get((name, encoded_key)) == encoded:
            return
        if new_state is None:
            await self._db.execute(
                "DELETE FROM conversation_states WHERE handler = ? AND key = ?",
                (name, encoded_key),
            )
        else:
            await self._db.execute(
                "INSERT INTO conversation_states (handler, key, state) VALUES (?, ?, ?)"
                " ON CONFLICT (handler, key) DO UPDATE SET state = excluded.state",
                (name, encoded_key, encoded),
            )
        self._written_states[(name, encoded_key)] = encoded

    # Chat, bot and callback data are not persisted (see store_data above).

    async def get_chat_data(self) -> dict[int, DialogData]:
        return {}

    async def update_chat_data(self, chat_id: int, data: DialogData) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: DialogData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def get_bot_data(self) -> DialogData:
        return {}

    async def update_bot_data(self, data: DialogData) -> None:
        return None

    async def refresh_bot_data(self, bot_data: DialogData) -> None:
        return None

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def flush(self) -> None:
        """Every write above is already committed."""
