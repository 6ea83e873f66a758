"""Small shortcuts for setting up a plant in tests without clicking through the admin panel."""

from __future__ import annotations

import sqlite3
from typing import Any

from bot.clock import JumpTicker
from bot.fake_telegram.fake import FakeTelegram
from bot.fake_telegram.users import Person
from bot.models import InviteKind
from bot.sim.harness import Harness


def on_virtual_time(**fake_options: Any) -> dict[str, Any]:
    """A fake Telegram and the bot's pacing on one virtual time, for `Harness(..., **these)`.

    Both see the same instants, so flood limits are kept exactly and no test
    waits for them in real time, however busy the machine.
    """
    ticker = JumpTicker()
    return {"fake": FakeTelegram(clock=ticker.now, **fake_options), "ticker": ticker}


async def make_team(harness: Harness, workshop: str, team: str) -> str:
    """Create the team (and its workshop if new); return the team's invite link."""
    services = harness.services
    existing = {w.name: w for w in await services.org.workshops()}
    unit = existing.get(workshop) or await services.org.create_workshop(workshop)
    created = await services.org.create_team(unit.id, team)
    invite = await services.invites.create(
        created.id, InviteKind.MEMBER, services.member_invite_validity
    )
    return services.invite_link(invite.token)


async def member_row(harness: Harness, telegram_id: int) -> sqlite3.Row:
    row = await harness.services.db.fetch_one(
        "SELECT * FROM members WHERE telegram_id = ?", (telegram_id,)
    )
    assert row is not None, f"no member with Telegram id {telegram_id}"
    return row


async def table_counts(harness: Harness) -> dict[str, int]:
    """Rows per table: a cheap fingerprint to show that a bad input changed nothing."""
    counts = {}
    for table in (
        "workshops",
        "teams",
        "members",
        "memberships",
        "team_leaders",
        "invites",
        "concerns",
        "faq_gaps",
        "faq_votes",
        "faq_handoffs",
        "faq_learned",
    ):
        row = await harness.services.db.fetch_one(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed names
        counts[table] = row[0] if row else 0
    return counts


async def at_name_step(harness: Harness, user_id: int, link: str, first_name: str = "Li") -> Person:
    """Someone new who opened the team's invite and picked English: the bot now asks their name."""
    person = harness.person(user_id, first_name, language_code="en")
    await person.open_link(link)
    reply = await person.tap("English")
    assert "What name should your team see?" in reply.text
    return person
