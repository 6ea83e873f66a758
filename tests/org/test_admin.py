"""The admin panel and the leader's team view, end to end."""

from __future__ import annotations

import io

from PIL import Image

from bot.fake_telegram.users import Person, links_in
from bot.models import Role
from bot.sim.harness import Harness
from tests.dialog import Press, Tap, verify_dialog
from tests.helpers import at_name_step, make_team, member_row, table_counts
from tests.onboarding.test_join import joined


async def english_admin(harness: Harness) -> Person:
    """The configured admin, reading English (the translations are tested elsewhere)."""
    admin = harness.person(9001, "Fang", language_code="en")
    await admin.send("/start")
    return admin


async def open_team(admin: Person, workshop: str, team: str) -> None:
    await admin.send("/admin")
    await admin.tap("Workshops and teams")
    await admin.tap(workshop)
    await admin.tap(team)


async def test_admin_builds_the_organisation(harness: Harness) -> None:
    admin = await english_admin(harness)
    await verify_dialog(
        admin,
        [
            (Press("Admin"), ["🛠 Admin", "0 workshops · 0 teams · 0 members"]),
            (Tap("Workshops and teams"), "There are no workshops yet."),
            (Tap("New workshop"), "Type the name of the new workshop (up to 40 characters)"),
            ("x" * 41, "That name is too long. Please use up to 40 characters."),
            ("Salt Works", ["🏭 Salt Works", "No teams yet."]),
            (Tap("New team"), "Type the name of the new team"),
            ("Shift A", ["👥 Shift A", "🏭 Salt Works", "0 members", "Team leader: none yet"]),
            (Tap("Back"), "1 team"),
            (Tap("New team"), "Type the name of the new team"),
            ("Shift A", "“Shift A” is already taken here."),
            ("Shift B", "👥 Shift B"),
            (Tap("Change the name"), "Type the team's new name"),
            ("Shift C", "👥 Shift C"),
            (Tap("Back"), "2 teams"),
            (Tap("Change the name"), "Type the workshop's new name"),
            ("Salt Works No.1", "🏭 Salt Works No.1"),
        ],
    )
    teams = await harness.services.org.all_teams()
    assert [(t.workshop_name, t.name) for t in teams] == [
        ("Salt Works No.1", "Shift A"),
        ("Salt Works No.1", "Shift C"),
    ]


async def test_naming_is_cancelled_by_cancel_or_the_menu(harness: Harness) -> None:
    admin = await english_admin(harness)
    await admin.send("/admin")
    await admin.tap("Workshops and teams")
    await admin.tap("New workshop")
    assert "OK, cancelled." in (await admin.send("/cancel")).text
    assert "There is nothing to cancel right now." in (await admin.send("/cancel")).text
    await admin.tap("New workshop")
    await admin.press("My info")
    stray = await admin.send("Not a workshop")  # no dialog waits: it is taken as a question
    assert "Workshop “Not a workshop” created" not in stray.text
    assert await harness.services.org.workshops() == []


async def test_the_invite_poster_and_replacing_or_revoking_it(harness: Harness) -> None:
    await make_team(harness, "Salt", "Shift A")
    team = (await harness.services.org.all_teams())[0]
    await harness.services.invites.withdraw_member_invites(team.id)
    admin = await english_admin(harness)
    await open_team(admin, "Salt", "Shift A")
    assert "Invite QR code: none" in admin.last_message.text  # type: ignore[operator]
    reply = await admin.tap("Invite QR code")
    (poster,) = reply.documents
    assert poster.file is not None and poster.file.body is not None
    with Image.open(io.BytesIO(poster.file.body)) as image:
        assert image.size == (1240, 1754)  # A4 at 150 dpi
    (first,) = links_in(reply.text)
    assert "Valid until" in reply.text

    worker = harness.person(40, "Li", language_code="en")
    assert "choose your language" in (await worker.open_link(first)).text

    await verify_dialog(
        admin,
        [
            (Tap("New invite QR code"), "The old one, printed copies included, will stop working."),
            (
                Tap("Yes, make a new one"),
                ["New invite QR code made.", "Invite QR code for Shift A · Salt"],
            ),
        ],
    )
    (second,) = links_in(admin.last_message.caption or "")
    assert second != first
    assert "replaced by a newer one" in (await worker.open_link(first)).text
    await verify_dialog(
        admin,
        [
            (Tap("Cancel this invite QR code"), "Nobody will be able to join with it."),
            (Tap("Yes, cancel it"), "The invite QR code of Shift A · Salt is cancelled."),
        ],
    )
    reply = await worker.open_link(second)
    assert "has been cancelled" in reply.text and "replaced" not in reply.text
    assert await harness.services.invites.current_member_invite(team.id) is None


async def test_assigning_a_leader_tells_them_in_their_language(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "Shift A")
    worker = harness.person(41, "张", language_code="zh-hans")
    await worker.open_link(link)
    await worker.tap("简体中文")
    await worker.tap(1)
    await worker.tap(1)
    admin = await english_admin(harness)
    await open_team(admin, "Salt", "Shift A")
    await verify_dialog(
        admin,
        [
            (Tap("Team leaders"), "No team leader yet."),
            (Tap("Pick from the members"), "Who should lead Shift A · Salt?"),
            (
                Tap("张"),
                [
                    "✅ 张 now leads Shift A · Salt. They have been told.",
                    "👷 Team leaders of Shift A",
                ],
            ),
            (Tap("Back"), "Team leader: 张"),
            (Tap("Members"), "1. 张 · ⭐ team leader · regular staff"),
            (Tap("Back"), "👥 Shift A"),
            (Tap("Team leaders"), "• 张"),
        ],
    )
    assert admin.last_message.buttons[0]["text"] == "✖️ Remove 张"
    notice = worker.last_message.text or ""
    assert "👷 你现在是班组“Shift A · Salt”的班组长。" in notice
    assert "👥 我的班组" in worker.keyboard
    assert (await member_row(harness, 41))["role"] == "leader"
    await admin.tap("Remove 张")
    assert (await member_row(harness, 41))["role"] == "worker"


async def test_leader_invite_link_from_the_panel(harness: Harness) -> None:
    await make_team(harness, "Salt", "Shift A")
    admin = await english_admin(harness)
    await open_team(admin, "Salt", "Shift A")
    await admin.tap("Team leaders")
    reply = await admin.tap("Leader invite")
    assert "It works once" in reply.text
    (link,) = links_in(reply.text)
    leader = await at_name_step(harness, 42, link, "Lin")
    assert "You now lead the team Shift A · Salt." in (await leader.tap(1)).text


async def test_a_member_view_with_every_change_an_admin_can_make(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "Shift A")
    worker = await joined(harness, 43, link)
    admin = await english_admin(harness)
    await open_team(admin, "Salt", "Shift A")
    await verify_dialog(
        admin,
        [
            (
                Tap("Members"),
                ["📋 Members of Shift A (1)", "1. Worker 43 · regular staff · since Mar 2, 2026"],
            ),
            (Tap("Worker 43"), ["👤 Worker 43", "Regular staff"]),
            (Tap("Change to temporary staff"), "Temporary staff"),
            (Tap("Make team leader"), "Leads this team."),
            (Tap("Make admin"), "Is an admin."),
        ],
    )
    assert (await member_row(harness, 43))["role"] == "admin"
    assert "🛠 Admin" in worker.keyboard  # told, with the new menu
    await verify_dialog(
        admin,
        [
            (Tap("Take away admin rights"), "Leads this team."),
            (Tap("Remove from the team"), "Remove Worker 43 from Shift A · Salt?"),
            (Tap("Yes, remove"), "Nobody has joined yet."),
        ],
    )
    row = await member_row(harness, 43)
    assert (row["role"], row["is_temporary"]) == ("worker", 1)
    assert (await harness.services.members.by_telegram_id(43)).team_id is None  # type: ignore[union-attr]


async def test_admins_list_and_demoting_a_promoted_admin(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "Shift A")
    await joined(harness, 44, link)
    member = await harness.services.members.by_telegram_id(44)
    assert member is not None
    await harness.services.members.set_role(member.id, Role.ADMIN)
    admin = await english_admin(harness)
    await admin.send("/admin")
    reply = await admin.tap("Admins")
    assert "• Fang (set by the plant)" in reply.text and "• Worker 44" in reply.text
    await admin.tap("Remove Worker 44")
    assert (await member_row(harness, 44))["role"] == "worker"


async def test_archiving(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "Shift A")
    worker = await joined(harness, 45, link)
    admin = await english_admin(harness)
    await open_team(admin, "Salt", "Shift A")
    await admin.tap("Back")
    reply = await admin.tap("Close the workshop")
    assert reply.alert == "This workshop still has teams. Close its teams first."
    await admin.tap("Shift A")
    await verify_dialog(
        admin,
        [
            (
                Tap("Close the team"),
                ["Close the team Shift A · Salt?", "Its 1 member will be without a team"],
            ),
            (Tap("Yes, close it"), "No teams yet."),
            (Tap("Close the workshop"), "Close the workshop Salt?"),
            (Tap("Yes, close it"), "There are no workshops yet."),
        ],
    )
    assert "This team is no longer in use" in (await worker.open_link(link)).text
    assert "Team: none" in (await worker.press("My info")).text


async def test_leader_sees_their_team_and_shares_its_poster(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "Shift A")
    for user_id in range(50, 60):
        await joined(harness, user_id, link)
    team = (await harness.services.org.all_teams())[0]
    leader = await harness.services.members.by_telegram_id(50)
    assert leader is not None
    await harness.services.org.assign_leader(team.id, leader.id)
    person = harness.person(50, "W50")
    await person.send("/start")
    await verify_dialog(
        person,
        [
            (Press("My team"), ["👥 Shift A", "10 members", "Team leader: Worker 50"]),
            (
                Tap("Members"),
                [
                    "📋 Members of Shift A (10)",
                    "1. Worker 50 · ⭐ team leader",
                    "8. Worker 57",
                    "Page 1 of 2",
                ],
            ),
            (Tap("▶️"), ["9. Worker 58", "10. Worker 59", "Page 2 of 2"]),
            (Tap("◀️"), "1. Worker 50"),
            (Tap("Back"), "👥 Shift A"),
        ],
    )
    # The page number is in the text, never a button that does nothing.
    labels = [b["text"] for b in person.last_message.buttons]
    assert not any("/" in label for label in labels)
    assert "Team leaders" not in labels  # no admin tools for leaders
    reply = await person.tap("Invite QR code")
    assert len(reply.documents) == 1
    assert links_in(reply.text) == [link]  # the current poster, not a new one


async def test_bad_names_for_units_change_nothing(harness: Harness) -> None:
    admin = await english_admin(harness)
    await admin.send("/admin")
    await admin.tap("Workshops and teams")
    await admin.tap("New workshop")
    before = await table_counts(harness)
    assert "Please type the name as text" in (await admin.send_sticker()).text
    assert "too long" in (await admin.send("车" * 4096)).text
    assert await table_counts(harness) == before
    assert "🏭 制盐一车间" in (await admin.send("制盐一车间")).text
