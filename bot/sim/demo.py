"""A small demo plant for the simulator, so a newcomer can walk every journey at once.

Three workshops with their teams, a leader with a team of regular and
temporary workers, and personas to act as: the admin, the leader, and three
people who have not joined yet, one per language.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import InviteKind
from bot.services import Services


@dataclass(frozen=True)
class Persona:
    key: str  # what to type after :as
    user_id: int
    first_name: str
    last_name: str | None
    language_code: str
    # Who they are, not where they stand: whether they have joined a team, and
    # which, changes as you play and comes from the bot's database.
    about: str


ADMIN_ID = 1001
PERSONAS = (
    Persona("admin", ADMIN_ID, "王", "主任", "zh-hans", "admin (listed in BOT_ADMINS)"),
    Persona("leader", 1002, "李", "建国", "zh-hans", "team leader, reads simplified Chinese"),
    Persona("zhang", 1003, "张", "伟", "zh-hans", "new worker, reads simplified Chinese"),
    Persona(
        "wing", 1004, "Wing", "Chan", "zh-hk", "new temporary worker, reads traditional Chinese"
    ),
    Persona("sam", 1005, "Sam", "Taylor", "en", "new worker, reads English"),
)

# Workshop -> its teams. The first team is where the leader and the seeded workers are.
PLANT = {
    "制盐一车间": ("甲班", "乙班", "丙班"),
    "包装车间": ("包装一班", "包装二班"),
    "机修工区": ("电工班", "钳工班"),
}
SEEDED_WORKERS = (
    (2001, "老周", False),
    (2002, "刘芳", False),
    (2003, "陈强", True),
    (2004, "赵磊", False),
    (2005, "孙丽", True),
    (2006, "马超", False),
    (2007, "黄海", True),
    (2008, "Ahmed", True),
)


async def seed(services: Services) -> str:
    """Fill an empty database with the demo plant; return the first team's invite link."""
    org = services.org
    if not await org.workshops():
        first_team = None
        for workshop_name, team_names in PLANT.items():
            workshop = await org.create_workshop(workshop_name)
            for team_name in team_names:
                team = await org.create_team(workshop.id, team_name)
                first_team = first_team or team
        assert first_team is not None  # noqa: S101 - PLANT is not empty
        leader = PERSONAS[1]
        member = await services.members.register(
            telegram_id=leader.user_id,
            display_name=f"{leader.first_name}{leader.last_name}",
            locale="zh_Hans",
            language_code=leader.language_code,
            is_temporary=False,
            team_id=first_team.id,
        )
        await org.assign_leader(first_team.id, member.id)
        for user_id, name, temporary in SEEDED_WORKERS:
            await services.members.register(
                telegram_id=user_id,
                display_name=name,
                locale="zh_Hans" if name != "Ahmed" else "en",
                language_code=None,
                is_temporary=temporary,
                team_id=first_team.id,
            )
    teams = await org.all_teams()
    first = next(t for t in teams if t.name == "甲班")
    invite = await services.invites.current_member_invite(first.id)
    if invite is None:
        invite = await services.invites.create(
            first.id, InviteKind.MEMBER, services.member_invite_validity
        )
    return services.invite_link(invite.token)
