"""A team's group chat: its team leader links it, and the start notice and the figures go there."""

from __future__ import annotations

from bot.preshift.service import Preshift
from bot.sim.harness import Harness
from tests.preshift.helpers import crew

GROUP = -100_500


async def in_group(harness: Harness, user_id: int, text: str) -> None:
    await harness.settle(harness.fake.user_message(user_id, chat_id=GROUP, text=text))


async def test_a_team_leader_links_the_group_and_it_follows_the_study(harness: Harness) -> None:
    team = await crew(harness, 2)
    group = harness.fake.add_group(GROUP, "Shift A chat")
    await in_group(harness, team.workers[0].id, "/link")
    assert "Only a team leader can link this group" in (
        group.messages[max(group.messages)].text or ""
    )
    await in_group(harness, team.leader.id, "/link")
    ask = group.messages[max(group.messages)]
    assert "Link this group to a team?" in (ask.text or "")
    await team.leader.tap("Shift A", ask)
    assert "✅ This group is now linked to Shift A · Salt." in (ask.text or "")
    assert await harness.services.get(Preshift).study.group_of(team.team.id) == GROUP

    await team.leader.press("Pre-shift study")
    assert "The team's group chat gets the start notice" in (team.leader.last_message.text or "")
    await team.leader.tap("Start now")
    await harness.quiet()
    texts = [m.text or "" for m in group.messages.values()]
    # A group has no one language: it reads the plant's default (simplified Chinese here).
    assert any("班组“Shift A · Salt”的班前学习开始了" in t for t in texts)
    status = next(m for m in group.messages.values() if "人中已有" in (m.text or ""))
    assert status.buttons == []  # the group sees the figures; the buttons are the leader's

    await team.leader.press("Pre-shift study")
    await team.leader.tap("Unlink the group chat")
    assert await harness.services.get(Preshift).study.group_of(team.team.id) is None


async def test_someone_else_cannot_confirm_the_link(harness: Harness) -> None:
    team = await crew(harness, 1)
    group = harness.fake.add_group(GROUP, "Shift A chat")
    await in_group(harness, team.leader.id, "/link")
    ask = group.messages[max(group.messages)]
    reply = await team.workers[0].tap_data(ask.buttons[0]["callback_data"], ask)
    assert "This button is not valid" in (reply.alert or "")
    assert await harness.services.get(Preshift).study.group_of(team.team.id) is None
