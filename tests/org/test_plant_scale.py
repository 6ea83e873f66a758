"""A plant of 300 teams and 3,000 people, walked screen by screen through the fake Telegram.

The fake refuses what Telegram refuses (over 100 buttons, over 8 in a row, over-long
markup), and the harness fails the test on any refused call; every list must
therefore page, and every page must say which page it is.
"""

from __future__ import annotations

from bot.db.bulk import PlantShape, add_plant
from bot.fake_telegram.fake import StoredMessage
from bot.fake_telegram.users import Person, Reply
from bot.models import Role
from bot.sim.harness import Harness
from tests.org.test_admin import english_admin

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
BIG_WORKSHOP_TEAMS = 100
BIG_TEAM_MEMBERS = 120
LEADER_TEAMS = 12
PROMOTED_ADMINS = 25


def reference_plant() -> PlantShape:
    """20 workshops, 300 teams (100 in the first), 3,000 members (120 in the first team)."""
    workshops = [f"{n:02d}车间" for n in range(1, 21)]
    teams = [(0, f"大{n:03d}班") for n in range(1, BIG_WORKSHOP_TEAMS + 1)]
    teams += [(1 + n % 19, f"{n:03d}班") for n in range(300 - BIG_WORKSHOP_TEAMS)]
    members = []
    for n in range(3000):
        team = 0 if n < BIG_TEAM_MEMBERS else 1 + (n - BIG_TEAM_MEMBERS) % 299
        name = f"{SURNAMES[n % 20]}{GIVEN[(n // 20) % 20]}{n:04d}"
        members.append((team, 100_000 + n, name))
    # One person leads twelve teams; every other team has a leader of its own.
    leaders = [(team, 0) for team in range(LEADER_TEAMS)]
    leaders += [(team, BIG_TEAM_MEMBERS + team - 1) for team in range(LEADER_TEAMS, 300)]
    return PlantShape(workshops, teams, members, leaders)


def screen_fits(message: StoredMessage) -> None:
    rows = message.inline_keyboard
    assert sum(len(row) for row in rows) <= 100 and all(len(row) <= 8 for row in rows)
    assert len(rows) <= 14, f"{len(rows)} rows of buttons do not fit a phone"


async def walk_pages(person: Person, first: Reply, pages: int) -> str:
    """▶️ through every page of a list, then ◀️ back to the first; return all pages' text."""
    assert f"Page 1 of {pages}" in first.text, first.text
    seen = [first.text]
    for page in range(2, pages + 1):
        reply = await person.tap("▶️")
        assert f"Page {page} of {pages}" in reply.text, reply.text
        screen_fits(reply.messages[0])
        seen.append(reply.text)
    assert "▶️" not in [b["text"] for b in person.last_message.buttons]
    for page in range(pages - 1, 0, -1):
        reply = await person.tap("◀️")
        assert f"Page {page} of {pages}" in reply.text
    return "\n".join(seen)


async def test_every_admin_and_leader_screen_at_plant_scale(harness: Harness) -> None:
    _, member_ids = await add_plant(harness.services.db, harness.services.clock, reference_plant())
    for member_id in member_ids[200 : 200 + PROMOTED_ADMINS]:
        await harness.services.members.set_role(member_id, Role.ADMIN)
    admin = await english_admin(harness)

    home = await admin.send("/admin")
    assert "20 workshops · 300 teams · 3,000 members" in home.text
    walk_to = await admin.tap("Workshops and teams")
    await walk_pages(admin, walk_to, 2)
    await walk_pages(admin, await admin.tap("01车间"), 10)
    team = await admin.tap("大001班")
    assert "120 members" in team.text and "Team leader: 王伟0000" in team.text
    listed = await walk_pages(admin, await admin.tap("Members"), 15)
    assert "王伟0000 · ⭐ team leader" in listed  # the leader is marked in the list
    assert listed.count("⭐") == 1
    member = await admin.tap("刘伟0003")
    assert "👤 刘伟0003" in member.text
    screen_fits(member.messages[0])
    await admin.tap("Back")
    await admin.tap("Back")
    await admin.tap("Team leaders")
    await walk_pages(admin, await admin.tap("Pick from the members"), 15)

    await admin.send("/admin")
    admins = await admin.tap("Admins")
    await walk_pages(admin, admins, 4)

    await admin.send("/admin")
    await admin.tap("Find a person or team")
    found = await admin.send("张")  # one surname in twenty: 150 people
    assert "🔍 “张”: 0 teams, 150 people" in found.text and "Page 1 of 19" in found.text
    for _ in range(5):
        screen_fits((await admin.tap("▶️")).messages[0])
    person = await admin.tap(3)
    assert "👤" in person.text
    back = await admin.tap("Back")
    assert "Page 6 of" in back.text  # back to the same page of results

    leader = harness.person(100_000, "王伟")  # reads simplified Chinese, leads twelve teams
    await leader.send("/start")
    teams = await leader.press("我的班组")
    assert "第 1 页，共 2 页" in teams.text
    assert "第 2 页，共 2 页" in (await leader.tap("▶️")).text
    await leader.tap("◀️")
    await leader.tap("大001班")
    assert "第 1 页，共 15 页" in (await leader.tap("成员")).text
    for _ in range(14):
        screen_fits((await leader.tap("▶️")).messages[0])
    assert "第 15 页，共 15 页" in leader.last_message.text  # type: ignore[operator]
