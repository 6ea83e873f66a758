"""What a member can see and change about themselves: /mydata, names, language, /help, /leave."""

from __future__ import annotations

import json

from bot.fake_telegram.users import Reply
from bot.sim.harness import Harness
from tests.dialog import Press, Tap, verify_dialog
from tests.helpers import make_team, member_row
from tests.onboarding.test_join import joined


def not_a_rename(reply: Reply) -> None:
    assert "Your name is now" not in reply.text
    assert "no answer to that yet" in reply.text or "Did you mean" in reply.text, reply.text


async def test_mydata_shows_everything_stored(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "A")
    worker = await joined(harness, 11, link)
    reply = await worker.press("My info")
    for line in (
        "Name: Worker 11",
        "Language: English",
        "Role: worker",
        "I am: regular staff",
        "Team: A · Salt, since Mar 2, 2026",
        "Joined Shiftmate: Mar 2, 2026",
        "Telegram account number: 11 (used only to send you messages)",
    ):
        assert line in reply.text
    # What the features add: anonymous messages are not stored about the person.
    assert "Anonymous messages: nothing links them to you" in reply.text
    assert reply.buttons == ["✏️ Change the name", "🗑 Delete my info"]


async def test_a_member_changes_their_name(harness: Harness) -> None:
    worker = await joined(harness, 12, await make_team(harness, "Salt", "A"))
    await verify_dialog(
        worker,
        [
            (Press("My info"), "Name: Worker 12"),
            (Tap("Change the name"), "Type your new name"),
            ("x" * 33, "That name is too long. Please type a name of up to 32 characters."),
            ("Big  Li", "Your name is now Big Li."),
            ("Another text", not_a_rename),  # the dialog is over: it is a question now
        ],
    )
    assert (await member_row(harness, 12))["display_name"] == "Big Li"


async def test_the_menu_ends_a_half_finished_rename(harness: Harness) -> None:
    worker = await joined(harness, 13, await make_team(harness, "Salt", "A"))
    await worker.press("My info")
    await worker.tap("Change the name")
    await worker.press("Help")
    reply = await worker.send("Not my name")
    not_a_rename(reply)  # taken as a question, not as a name
    assert (await member_row(harness, 13))["display_name"] == "Worker 13"


async def test_language_switch_is_remembered_and_relabels_the_menu(harness: Harness) -> None:
    worker = await joined(harness, 14, await make_team(harness, "Salt", "A"))
    await verify_dialog(
        worker,
        [
            (Press("Language"), "Choose your language"),
            (Tap("繁體中文"), "語言：繁體中文"),
        ],
    )
    assert "📋 我的資料" in worker.keyboard
    assert (await member_row(harness, 14))["locale"] == "zh_Hant"
    reply = await worker.send("/help")
    assert "Shiftmate" in reply.text and "/mydata" in reply.text
    assert "How Shiftmate works" not in reply.text


async def test_help_depends_on_the_role(harness: Harness, admin: object) -> None:
    link = await make_team(harness, "Salt", "A")
    worker = await joined(harness, 15, link)
    reply = await worker.send("/help")
    assert (
        "/mydata" in reply.text and "🛠 Admin" not in reply.text and "👥 My team" not in reply.text
    )
    stranger = harness.person(16, "Sam", language_code="en")
    assert "scan the invite QR code" in (await stranger.send("/help")).text


async def test_leave_deletes_the_member_and_only_them(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "A")
    stays = await joined(harness, 17, link)
    leaves = await joined(harness, 18, link)
    await leaves.send("/language")  # leaves some dialog data behind
    await verify_dialog(
        leaves,
        [
            ("/leave", ["Delete my info?", "removes your name, team and language"]),
            (Tap("No, keep it"), "OK, nothing was deleted."),
            ("/leave", "Delete my info?"),
            (
                Tap("Yes, delete my info"),
                ["Your info has been deleted.", "To come back, scan your team's invite QR code."],
            ),
        ],
    )
    assert leaves.keyboard == []  # the menu is gone
    assert await harness.services.members.by_telegram_id(18) is None
    assert (
        await harness.services.db.fetch_all("SELECT * FROM dialog_data WHERE telegram_id = 18")
        == []
    )
    assert await harness.services.members.by_telegram_id(17) is not None
    assert "Name: Worker 17" in (await stays.press("My info")).text
    after = await leaves.send("/mydata")
    assert "nothing is stored about you" in after.text


async def test_a_stranger_can_pick_a_language_and_delete_that_too(harness: Harness) -> None:
    stranger = harness.person(19, "Sam", language_code="en")
    await stranger.send("/language")
    await stranger.tap("简体中文")
    reply = await stranger.send("/mydata")
    assert "语言" in reply.text and "简体中文" in reply.text
    stored = await harness.services.db.fetch_one(
        "SELECT data FROM dialog_data WHERE telegram_id = 19"
    )
    assert stored is not None and json.loads(stored["data"]) == {"locale": "zh_Hans"}
    await stranger.send("/leave")
    await stranger.tap(1)
    assert (
        await harness.services.db.fetch_one("SELECT data FROM dialog_data WHERE telegram_id = 19")
        is None
    )
