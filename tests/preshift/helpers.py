"""A team to study with: a team leader and workers, made directly, reading English."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.study import Session
from bot.fake_telegram.fake import StoredMessage
from bot.fake_telegram.users import Person
from bot.models import Team
from bot.preshift import routes
from bot.preshift.service import Preshift
from bot.sim.harness import Harness

WORKER_ROUTES = tuple(
    f"{r.name}:" for r in (routes.BEGIN, routes.CARD_READ, routes.ANSWER, routes.MOOD)
)


@dataclass
class Crew:
    team: Team
    leader: Person
    workers: list[Person]


async def crew(
    harness: Harness,
    workers: int = 3,
    *,
    team_name: str = "Shift A",
    leader_id: int = 500,
) -> Crew:
    services = harness.services
    existing = {w.name: w for w in await services.org.workshops()}
    workshop = existing.get("Salt") or await services.org.create_workshop("Salt")
    team = await services.org.create_team(workshop.id, team_name)
    people = []
    for user_id in range(leader_id, leader_id + workers + 1):
        person = harness.person(user_id, f"W{user_id}", language_code="en")
        person.user.started = True  # they opened the chat with Shiftmate when they joined
        member = await services.members.register(
            telegram_id=user_id,
            display_name=f"Worker {user_id}",
            locale="en",
            language_code="en",
            is_temporary=False,
            team_id=team.id,
        )
        if user_id == leader_id:
            await services.org.assign_leader(team.id, member.id)
        people.append(person)
    refreshed = await services.org.team(team.id)
    assert refreshed is not None
    await people[0].send("/start")  # the team leader's menu now has 📚
    return Crew(refreshed, people[0], people[1:])


async def open_session(harness: Harness, team: Team) -> Session:
    session = await harness.services.get(Preshift).study.open_for(team.id)
    assert session is not None
    return session


def session_message(person: Person) -> StoredMessage:
    """The worker's pre-shift message (the newest with pre-shift buttons)."""
    return next(
        m
        for m in reversed(person.bot_messages())
        if m.buttons and any(b["callback_data"].startswith(WORKER_ROUTES) for b in m.buttons)
    )


async def take(person: Person, *, right: bool = True) -> str:
    """Start, read the lesson, answer every question (right or wrong); the text at the end."""
    await person.tap("Start", session_message(person))
    await person.tap("read the lesson", session_message(person))
    while True:
        message = session_message(person)
        options = [b["text"] for b in message.buttons]
        if not any(o[2:].startswith(("Right", "Wrong")) for o in options):
            return message.text or ""
        wanted = next(o for o in options if o[2:].startswith("Right" if right else "Wrong"))
        await person.tap(wanted, message)
