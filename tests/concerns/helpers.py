"""Workers who raise anonymous messages, and an admin who reads them."""

from __future__ import annotations

from bot.fake_telegram.users import Person, Reply
from bot.sim.harness import Harness
from tests.conftest import ADMIN_ID
from tests.helpers import make_team
from tests.onboarding.test_join import joined


async def admin_at_hand(harness: Harness) -> Person:
    """The admin of BOT_ADMINS, with a chat open, so urgent alerts reach them."""
    admin = harness.person(ADMIN_ID, "Fang", language_code="en")
    await admin.send("/start")
    return admin


async def team_of(harness: Harness, ids: list[int], team: str = "A") -> list[Person]:
    link = await make_team(harness, "Salt", team)
    return [await joined(harness, user_id, link) for user_id in ids]


async def raise_concern(
    worker: Person, topic: str, text: str, *, notify: bool = False, remove: bool = False
) -> Reply:
    """Press 🔒, pick the topic, write, choose the options, send; the reply to sending."""
    if not worker.keyboard:  # made directly in the database: no menu on screen yet
        await worker.send("/start")
    await worker.press("Anonymous message")
    await worker.tap(topic)
    reply = await worker.send(text)
    assert "Please check your anonymous message" in reply.text, reply.text
    if notify:
        await worker.tap("Tell me when there is an answer")
    if remove:
        await worker.tap("Remove my message from this chat")
    return await worker.tap("Send anonymously")
