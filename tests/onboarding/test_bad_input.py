"""Bad input of every kind gets a clear reply in the person's language, and nothing stored is lost."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.fake_telegram.fake import Fault
from bot.fake_telegram.users import Person
from bot.models import InviteKind
from bot.org import routes
from bot.sim.harness import Harness
from tests.dialog import Photo, Sticker, Tap, Voice, verify_dialog
from tests.helpers import at_name_step, make_team, member_row, table_counts
from tests.onboarding.test_join import joined


async def test_an_unknown_command(harness: Harness) -> None:
    worker = await joined(harness, 20, await make_team(harness, "Salt", "A"))
    before = await table_counts(harness)
    reply = await worker.send("/selfdestruct now")
    assert "I don't know that command. /help shows what I can do." in reply.text
    assert await table_counts(harness) == before


@pytest.mark.parametrize("media", [Sticker(), Photo(), Voice()])
async def test_media_where_text_is_expected(
    harness: Harness, media: Sticker | Photo | Voice
) -> None:
    link = await make_team(harness, "Salt", "A")
    worker = await at_name_step(harness, 21, link, "Li")
    await verify_dialog(
        worker,
        [
            (media, "Please type your name as text, or tap the button above."),
            ("Li Ming", "regular staff or temporary staff"),  # the dialog carries on
            (media, "Please tap one of the buttons above."),
            (Tap("Regular staff"), "Welcome to the team"),
            (media, "I can only read text and button taps."),  # outside any dialog
        ],
    )
    assert (await member_row(harness, 21))["display_name"] == "Li Ming"


async def test_media_in_the_chinese_dialog_is_answered_in_chinese(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "A")
    worker = harness.person(22, "李", language_code="zh-hans")
    await worker.open_link(link)
    await worker.tap("简体中文")
    reply = await worker.send_sticker()
    assert "名字" in reply.text and "Please" not in reply.text


async def test_a_4096_character_name_is_refused_and_nothing_is_stored(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "A")
    worker = await at_name_step(harness, 23, link, "Li")
    before = await table_counts(harness)
    reply = await worker.send("名" * 4096)
    assert "That name is too long. Please type a name of up to 32 characters." in reply.text
    assert await table_counts(harness) == before
    assert "regular staff" in (await worker.send("Li")).text


@pytest.mark.parametrize("name", ["   ", "\u200b\n\t"])
async def test_a_blank_name_is_refused(harness: Harness, name: str) -> None:
    link = await make_team(harness, "Salt", "A")
    worker = await at_name_step(harness, 24, link, "Li")
    reply = await worker.send(name)
    assert "regular staff" not in reply.text


async def test_a_name_with_markup_characters_is_shown_as_typed(harness: Harness) -> None:
    """Names go into HTML messages; the fake Telegram refuses unescaped markup, so this proves escaping."""
    link = await make_team(harness, "<b>Salt</b> & Co", "A<3")
    worker = await at_name_step(harness, 25, link, "Li")
    await worker.send("<i>Li</i> & <3")
    reply = await worker.tap("Regular staff")
    assert "Welcome to the team A<3 · <b>Salt</b> & Co, <i>Li</i> & <3!" in reply.text


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ("", "scan the invite QR code on your team's poster"),
        ("garbage", "This invite doesn't work"),
        ("%%%;DROP TABLE members", "This invite doesn't work"),
        ("x" * 64, "This invite doesn't work"),
        ("x" * 500, "This invite doesn't work"),
    ],
)
async def test_garbage_deep_links(harness: Harness, payload: str, says: str) -> None:
    await make_team(harness, "Salt", "A")
    before = await table_counts(harness)
    stranger = harness.person(26, "Sam", language_code="en")
    reply = await stranger.send(f"/start {payload}".rstrip())
    assert says in reply.text
    assert await table_counts(harness) == before


async def test_a_tampered_link_does_not_work(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "A")
    tampered = link[:-1] + ("A" if link[-1] != "A" else "B")
    reply = await harness.person(27, "Sam", language_code="en").open_link(tampered)
    assert "This invite doesn't work" in reply.text


async def test_a_withdrawn_a_replaced_and_an_expired_invite(
    harness: Harness, clock: FakeClock
) -> None:
    """Each reason an invite stops working gets its own sentence (withdrawn is not replaced)."""
    withdrawn = await make_team(harness, "Salt", "A")
    team_a = (await harness.services.org.all_teams())[0]
    await harness.services.invites.withdraw_member_invites(team_a.id)
    stranger = harness.person(28, "Sam", language_code="en")
    reply = await stranger.open_link(withdrawn)
    assert "This invite QR code has been cancelled" in reply.text
    assert "replaced" not in reply.text
    replaced = await make_team(harness, "Salt", "B")
    team_b = (await harness.services.org.all_teams())[1]
    await harness.services.invites.create(
        team_b.id, InviteKind.MEMBER, harness.services.member_invite_validity
    )
    reply = await stranger.open_link(replaced)
    assert "This invite QR code has been replaced by a newer one." in reply.text
    fresh = await make_team(harness, "Salt", "C")
    clock.advance(timedelta(days=harness.services.settings.invite_days + 1))
    assert "This invite QR code has expired." in (await stranger.open_link(fresh)).text
    assert await harness.services.members.by_telegram_id(28) is None


async def test_an_invite_withdrawn_while_joining(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "A")
    worker = await at_name_step(harness, 29, link, "Li")
    await worker.send("Li")
    team = (await harness.services.org.all_teams())[0]
    await harness.services.invites.withdraw_member_invites(team.id)
    reply = await worker.tap("Regular staff")
    assert "This invite QR code has been cancelled" in reply.text
    assert await harness.services.members.by_telegram_id(29) is None


async def test_a_forged_button_is_refused(harness: Harness) -> None:
    worker = await joined(harness, 30, await make_team(harness, "Salt", "A"))
    before = await table_counts(harness)
    for data in ("leave.yes", "leave.yes~AAAAAAAA", "tm:1~xxxxxxxx", "💥"):
        reply = await worker.tap_data(data)
        assert (
            reply.alert
            == "This button is not valid. Please use the buttons in your latest messages."
        )
    assert await table_counts(harness) == before


async def test_a_button_issued_to_someone_else_is_refused(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "A")
    victim = await joined(harness, 31, link)
    thief = await joined(harness, 32, link)
    await victim.send("/leave")
    genuine = victim.last_message.buttons[0][
        "callback_data"
    ]  # "Yes, delete my data", signed for 31
    reply = await thief.tap_data(genuine)
    assert "This button is not valid" in (reply.alert or "")
    assert await harness.services.members.by_telegram_id(31) is not None
    assert await harness.services.members.by_telegram_id(32) is not None


async def test_a_stale_button_says_it_expired(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "A")
    worker = harness.person(33, "Li", language_code="en")
    await worker.open_link(link)
    picker = worker.last_message
    chinese = picker.buttons[0]["callback_data"]
    await worker.tap("English")
    await worker.send("Li")
    await worker.tap("Regular staff")
    # A slow phone delivers a tap on the language picker after the dialog has ended.
    reply = await worker.tap_data(chinese, picker)
    assert reply.alert == "This button has expired. Please use the latest message."
    assert (await member_row(harness, 33))["locale"] == "en"


async def test_a_double_tap_on_delete(harness: Harness) -> None:
    worker = await joined(harness, 38, await make_team(harness, "Salt", "A"))
    await worker.send("/leave")
    question = worker.last_message
    yes = question.buttons[0]["callback_data"]
    await worker.tap_data(yes, question)
    before = len(worker.bot_messages())
    again = await worker.tap_data(yes, question)  # a late tap, after the first was answered
    assert "Sorry" not in again.text
    assert len(worker.bot_messages()) == before
    assert question.text == "✅ Your info has been deleted."
    assert await harness.services.members.by_telegram_id(38) is None


async def test_a_worker_cannot_use_admin_commands_or_buttons(harness: Harness) -> None:
    worker = await joined(harness, 34, await make_team(harness, "Salt", "A"))
    before = await table_counts(harness)
    assert "Only admins can do this." in (await worker.send("/admin")).text
    # Even a correctly signed admin button (as if one leaked) is refused by the handler.
    for route, *args in (
        (routes.WORKSHOPS, 0),
        (routes.NEW_WORKSHOP,),
        (routes.CLOSE_TEAM_ASK, 1),
        (routes.CLOSE_TEAM, 1),
        (routes.SET_ADMIN, 1, 1, 1),
        (routes.ADMINS, 0),
    ):
        data = harness.services.signer.pack(34, route, *args)
        reply = await worker.tap_data(data)
        assert "Only admins" in (reply.alert or ""), route
    assert await table_counts(harness) == before
    team = (await harness.services.org.all_teams())[0]
    assert team.archived_at is None


async def test_a_worker_cannot_open_another_teams_invite_tools(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "A")
    await make_team(harness, "Salt", "B")
    worker = await joined(harness, 35, link)
    other = (await harness.services.org.all_teams())[1]
    for route in (routes.TEAM, routes.INVITE, routes.NEW_INVITE, routes.CANCEL_INVITE):
        reply = await worker.tap_data(harness.services.signer.pack(35, route, other.id))
        assert "Only admins and this team's leaders can do this." in (reply.alert or ""), route
    assert await harness.services.invites.current_member_invite(other.id) is not None


async def test_a_person_who_blocked_the_bot(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    worker = await joined(harness, 36, await make_team(harness, "Salt", "A"))
    await worker.block()
    assert not (await member_row(harness, 36))["reachable"]
    await worker.unblock()
    assert (await member_row(harness, 36))["reachable"]
    # Blocked between writing and the bot's answer: Telegram refuses the answer.
    harness.fake.inject(
        Fault("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    )
    caplog.clear()
    reply = await worker.send("/mydata")
    assert reply.messages == []
    row = await member_row(harness, 36)
    assert not row["reachable"] and row["display_name"] == "Worker 36"  # nothing lost
    assert any(
        "User 36 cannot be reached" in r.getMessage() and r.levelno == logging.INFO
        for r in caplog.records
    )


async def test_admin_notifications_to_unreachable_people_do_not_fail(
    harness: Harness, admin: Person
) -> None:
    await make_team(harness, "Salt", "A")
    team = (await harness.services.org.all_teams())[0]
    member = await harness.services.members.register(
        telegram_id=37,
        display_name="Ghost",
        locale="en",
        language_code="en",
        is_temporary=False,
        team_id=team.id,
    )
    harness.fake.add_user(37, "Ghost")  # never opened the bot, so Telegram refuses messages to them
    await admin.send("/start")
    reply = await admin.tap_data(
        harness.services.signer.pack(admin.id, routes.ASSIGN_LEADER, member.id, team.id)
    )
    assert any("Ghost" in label for label in reply.buttons)
    assert [m.display_name for m in await harness.services.org.leaders(team.id)] == ["Ghost"]
    assert not (await member_row(harness, 37))["reachable"]
