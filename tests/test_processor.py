"""The update processor: many chats at once, each chat strictly in order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update

from bot.app import ChatOrderedUpdateProcessor


def update_in(chat_id: int, update_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(
        update_id, message=Message(update_id, datetime(2026, 3, 2, tzinfo=UTC), chat, text="x")
    )


async def test_a_chats_updates_never_overlap_even_when_they_queue() -> None:
    processor = ChatOrderedUpdateProcessor(max_concurrent_updates=8)
    running: set[int] = set()
    overlaps: list[tuple[int, ...]] = []
    order: list[int] = []

    async def handle(update_id: int) -> None:
        if running:
            overlaps.append((update_id, *running))
        running.add(update_id)
        await asyncio.sleep(0.01)
        order.append(update_id)
        running.discard(update_id)

    first = asyncio.create_task(processor.process_update(update_in(1, 1), handle(1)))
    await asyncio.sleep(0)
    second = asyncio.create_task(processor.process_update(update_in(1, 2), handle(2)))
    await asyncio.sleep(0.015)  # the first is done, the second woken but not yet running
    third = asyncio.create_task(processor.process_update(update_in(1, 3), handle(3)))
    await asyncio.gather(first, second, third)
    assert overlaps == []
    assert order == [1, 2, 3]


async def test_different_chats_run_side_by_side() -> None:
    processor = ChatOrderedUpdateProcessor(max_concurrent_updates=8)
    both_started = asyncio.Event()
    started: list[int] = []

    async def handle(chat_id: int) -> None:
        started.append(chat_id)
        if len(started) == 2:
            both_started.set()
        await asyncio.wait_for(both_started.wait(), 1)

    await asyncio.gather(
        processor.process_update(update_in(1, 1), handle(1)),
        processor.process_update(update_in(2, 2), handle(2)),
    )
    assert sorted(started) == [1, 2]
