"""Every button survives a double tap: the repeat sends nothing, stores nothing, apologises for nothing.

Phones send two taps when a button is pressed hard or the network is slow, and
both reach the bot before the first answer reaches the phone. Each dialog is
walked here with every button tapped twice; the admin panel and the leader's
team view are crawled, every button on every screen.
"""

from __future__ import annotations

import logging
from collections import deque

import pytest

from bot.callbacks import Route
from bot.fake_telegram.fake import StoredMessage
from bot.fake_telegram.users import Person, links_in
from bot.models import InviteKind, Role
from bot.org import routes
from bot.sim.harness import Harness
from tests.helpers import make_team, member_row, table_counts
from tests.onboarding.test_join import joined
from tests.org.test_admin import english_admin
from tests.twice import double_press, double_tap, double_tap_data

REPEAT_LOGGED = "Ignored a repeated"


def repeats_logged(caplog: pytest.LogCaptureFixture) -> int:
    return sum(REPEAT_LOGGED in r.getMessage() for r in caplog.records)


async def test_the_join_dialog(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    link = await make_team(harness, "Salt", "A")
    worker = harness.person(70, "Li", last_name="Wei", language_code="en")
    await worker.open_link(link)
    (await double_tap(harness, worker, "English")).assert_second_changed_nothing("language")
    (await double_tap(harness, worker, "Use")).assert_second_changed_nothing("name")
    twice = await double_tap(harness, worker, "Temporary staff")
    twice.assert_second_changed_nothing("staff type")
    assert "Welcome to the team A · Salt, Li Wei!" in twice.first.text
    assert (await table_counts(harness))["members"] == 1
    assert repeats_logged(caplog) == 3


async def test_choosing_a_language_twice_is_answered_once(harness: Harness) -> None:
    """The case that used to apologise: /language, then English twice before the edit arrives."""
    worker = await joined(harness, 71, await make_team(harness, "Salt", "A"))
    await worker.send("/language")
    twice = await double_tap(harness, worker, "English")
    twice.assert_second_changed_nothing("/language")
    assert "From now on I will write to you in this language." in twice.first.text


async def test_an_unchanged_screen_is_not_an_error(harness: Harness) -> None:
    """An edit that changes nothing ("message is not modified") counts as done, wherever it is."""
    worker = await joined(harness, 72, await make_team(harness, "Salt", "A"))
    await worker.send("/language")
    picker = worker.last_message
    english = picker.buttons[2]["callback_data"]
    await worker.tap_data(english, picker)
    await worker.send("/help")
    # A late tap on the message, after something else: handled again, and its edit is a no-op.
    reply = await worker.tap_data(english, picker)
    assert "Sorry" not in reply.text
    assert any(
        c.method == "editMessageText" and c.error and "not modified" in c.error.description
        for c in harness.fake.calls
    )


async def test_own_data_rename_and_delete(harness: Harness) -> None:
    worker = await joined(harness, 73, await make_team(harness, "Salt", "A"))
    await worker.send("/mydata")
    (await double_tap(harness, worker, "Change the name")).assert_second_changed_nothing("rename")
    assert "Your name is now Lin." in (await worker.send("Lin")).text
    await worker.send("/mydata")
    twice = await double_tap(harness, worker, "Delete my info")
    twice.assert_second_changed_nothing("delete?")
    (await double_tap(harness, worker, "No, keep it")).assert_second_changed_nothing("keep")
    await worker.send("/leave")
    twice = await double_tap(harness, worker, "Yes, delete my info")
    twice.assert_second_changed_nothing("delete")
    assert [m.text for m in twice.first.messages if m.text and "Thank you" in m.text]
    assert await harness.services.members.by_telegram_id(73) is None


async def test_moving_team_and_leader_invites(harness: Harness) -> None:
    link_a = await make_team(harness, "Salt", "A")
    link_b = await make_team(harness, "Salt", "B")
    worker = await joined(harness, 74, link_a)
    await worker.open_link(link_b)
    (await double_tap(harness, worker, "Move")).assert_second_changed_nothing("move")
    await worker.open_link(link_a)
    (await double_tap(harness, worker, "Stay")).assert_second_changed_nothing("stay")
    memberships = await harness.services.db.fetch_all(
        "SELECT team_id, left_at FROM memberships WHERE member_id = "
        "(SELECT id FROM members WHERE telegram_id = 74) ORDER BY id"
    )
    assert len(memberships) == 2 and memberships[0]["left_at"] is not None

    team_a = (await harness.services.org.all_teams())[0]
    for answer in ("Not now", "Accept"):
        invite = await harness.services.invites.create(
            team_a.id, InviteKind.LEADER, harness.services.leader_invite_validity
        )
        await worker.open_link(harness.services.invite_link(invite.token))
        (await double_tap(harness, worker, answer)).assert_second_changed_nothing(answer)
    assert (await member_row(harness, 74))["role"] == "leader"


async def test_every_menu_button(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "A")
    person = await joined(harness, 75, link)
    team = (await harness.services.org.all_teams())[0]
    member = await harness.services.members.by_telegram_id(75)
    assert member is not None
    await harness.services.org.assign_leader(team.id, member.id)
    await harness.services.members.set_role(member.id, Role.ADMIN)
    await person.send("/start")
    assert len(person.keyboard) >= 5  # a team leader and admin sees every menu button
    for label in list(person.keyboard):
        twice = await double_press(harness, person, label)
        twice.assert_second_changed_nothing(label)
        assert twice.first.messages, label


# ------------------------------------------------------------- the panel, crawled


def _signature(message: StoredMessage) -> str:
    text = message.text or message.caption or ""
    return f"{text.splitlines()[0] if text else ''}|{len(message.buttons)}"


async def crawl(harness: Harness, person: Person, start: str) -> set[str]:
    """Double-tap every button on every screen reachable from `start`; return the routes tapped.

    Screens are answered by button data alone (a button carries everything its
    handler needs), so every tap lands on the one message `start` opened: each
    screen's buttons are tapped there, after the screen itself has moved on, as
    a late tap on an old message would. Confirmations ("Yes, …") are left out:
    they change the plant under the crawl, and are double-tapped on their own below.
    """
    if start.startswith("/"):
        await person.send(start)
    else:
        await person.press(start)
    surface = next(m for m in reversed(person.bot_messages()) if m.buttons)
    screens = {_signature(surface)}
    queue = deque((b["text"], b["callback_data"]) for b in surface.buttons)
    tried: set[str] = set()
    while queue:
        label, data = queue.popleft()
        if data in tried or label.startswith("Yes"):
            continue
        tried.add(data)
        twice = await double_tap_data(harness, person, data, surface)
        twice.assert_second_changed_nothing(label)
        for shown in twice.first.messages:
            if shown.buttons and _signature(shown) not in screens:
                screens.add(_signature(shown))
                queue.extend((b["text"], b["callback_data"]) for b in shown.buttons)
        if any(e.kind == "sent" and not e.message.buttons for e in twice.first.events if e.message):
            await person.send("/cancel")  # a prompt for typed input: leave it
    return {data.split("~")[0].split(":")[0] for data in tried}


async def small_plant(harness: Harness) -> None:
    link_a = await make_team(harness, "Salt", "A")
    await make_team(harness, "Salt", "B")
    for user_id in (80, 81, 82):
        await joined(harness, user_id, link_a)
    team = (await harness.services.org.all_teams())[0]
    leader = await harness.services.members.by_telegram_id(80)
    assert leader is not None
    await harness.services.org.assign_leader(team.id, leader.id)


async def test_every_admin_button(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    await small_plant(harness)
    promoted = await harness.services.members.by_telegram_id(82)
    assert promoted is not None
    await harness.services.members.set_role(promoted.id, Role.ADMIN)
    admin = await english_admin(harness)
    caplog.clear()
    tapped = await crawl(harness, admin, "/admin")
    confirmations = {
        routes.CLOSE_WORKSHOP,
        routes.CLOSE_TEAM,
        routes.NEW_INVITE,
        routes.CANCEL_INVITE,
        routes.REMOVE_MEMBER,
    }
    # Every button of the panel but the confirmations, the search results (they need a
    # typed search, see test_plant_scale) and the choice of teams (a leader of several).
    unreached = {routes.FIND_PAGE, routes.MY_TEAMS}
    every = {r.name for r in vars(routes).values() if isinstance(r, Route)}
    assert tapped == every - {r.name for r in confirmations | unreached}
    assert repeats_logged(caplog) >= len(tapped)


async def test_every_leader_button(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    await small_plant(harness)
    leader = harness.person(80, "W80")
    await leader.send("/start")  # the menu now has 👥 My team
    caplog.clear()
    tapped = await crawl(harness, leader, "My team")
    assert tapped == {
        r.name
        for r in (
            routes.MEMBERS,
            routes.INVITE,
            routes.MY_TEAMS,
            routes.TEAM,
            routes.NEW_INVITE_ASK,
            routes.CANCEL_INVITE_ASK,
        )
    }
    assert repeats_logged(caplog) >= len(tapped)


async def test_confirmations(harness: Harness) -> None:
    """Each "Yes" does its work once: one new invite, one removal, one closing."""
    await small_plant(harness)
    team = (await harness.services.org.all_teams())[0]
    admin = await english_admin(harness)

    async def open_team() -> None:
        await admin.send("/admin")
        await admin.tap("Workshops and teams")
        await admin.tap("Salt")
        await admin.tap("A (")

    await open_team()
    await admin.tap("Invite QR code")
    await admin.tap("New invite QR code")
    before = await table_counts(harness)
    twice = await double_tap(harness, admin, "Yes, make a new one")
    twice.assert_second_changed_nothing("new invite")
    assert (await table_counts(harness))["invites"] == before["invites"] + 1
    assert len(links_in(twice.first.text)) == 1

    await admin.tap("Cancel this invite QR code")
    (await double_tap(harness, admin, "Yes, cancel it")).assert_second_changed_nothing("cancel")
    assert await harness.services.invites.current_member_invite(team.id) is None

    await open_team()
    await admin.tap("Members")
    await admin.tap("Worker 81")
    await admin.tap("Remove from the team")
    twice = await double_tap(harness, admin, "Yes, remove")
    twice.assert_second_changed_nothing("remove")
    assert (await harness.services.org.team(team.id)).member_count == 2  # type: ignore[union-attr]

    await open_team()
    await admin.tap("Close the team")
    (await double_tap(harness, admin, "Yes, close it")).assert_second_changed_nothing("close")
    assert (await harness.services.org.team(team.id)).archived_at is not None  # type: ignore[union-attr]


async def test_a_repeat_after_a_failure_is_tried_again(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """If the first tap failed and the person was asked to try again, the same tap is new."""
    from bot.fake_telegram.fake import Fault

    worker = await joined(harness, 76, await make_team(harness, "Salt", "A"))
    await worker.send("/language")
    harness.expect_errors = True
    harness.fake.inject(Fault("editMessageText", status=400, description="Bad Request: boom"))
    harness.expect_refused = True
    twice = await double_tap(harness, worker, "English")
    assert "Sorry" in twice.first.text
    assert "From now on I will write to you in this language." in twice.second.text
    assert repeats_logged(caplog) == 0
    assert any(r.levelno == logging.ERROR for r in caplog.records)


async def test_every_pre_shift_button_of_the_panel(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Pre-shift study as an admin runs it for a team: the team, the live status, the schedule."""
    from bot.preshift import routes as preshift

    await small_plant(harness)
    admin = await english_admin(harness)  # not in the team: no study message of their own
    caplog.clear()
    tapped = await crawl(harness, admin, "/preshift")
    assert {
        r.name
        for r in (
            preshift.TEAM,
            preshift.START,
            preshift.NUDGE,
            preshift.IN_PERSON,
            preshift.MARK_PRESENT,
            preshift.EXTEND,
            preshift.CLOSE,
            preshift.SCHEDULES,
            preshift.SCHEDULE_DAYS,
            preshift.SCHEDULE_HOUR,
            preshift.SCHEDULE_MINUTE,
            preshift.SCHEDULE_LEAD,
            preshift.SCHEDULE_SAVE,
            preshift.SCHEDULE_REMOVE,
        )
    } <= tapped
    assert repeats_logged(caplog) >= len(tapped)


async def test_the_anonymous_message_dialog_and_the_inbox(harness: Harness) -> None:
    """Every step of raising a message, the reply key and the inbox, each tapped twice."""
    from tests.concerns.helpers import admin_at_hand

    admin = await admin_at_hand(harness)
    worker = await joined(harness, 76, await make_team(harness, "Salt", "A"))
    (await double_press(harness, worker, "Anonymous message")).assert_second_changed_nothing("🔒")
    (await double_tap(harness, worker, "A suggestion")).assert_second_changed_nothing("topic")
    await worker.send("Shade over the salt pans in summer")
    (await double_tap(harness, worker, "Tell me when")).assert_second_changed_nothing("notify")
    twice = await double_tap(harness, worker, "Send anonymously")
    twice.assert_second_changed_nothing("send")
    assert (await table_counts(harness))["concerns"] == 1
    (await double_tap(harness, worker, "Open my reply key")).assert_second_changed_nothing("key")
    await admin.send("/inbox")
    (await double_tap(harness, admin, "Shade over")).assert_second_changed_nothing("open")
    (await double_tap(harness, admin, "Mark in progress")).assert_second_changed_nothing("status")
    (await double_tap(harness, admin, "Back to the list")).assert_second_changed_nothing("back")


async def test_policy_questions_and_the_admins_questions(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A suggestion, a vote, a hand-off and "none of these", each tapped twice; then every
    button of /questions and the gap list, crawled."""
    from bot.faq import routes as faq
    from tests.concerns.helpers import admin_at_hand

    admin = await admin_at_hand(harness)
    worker = await joined(harness, 77, await make_team(harness, "Salt", "A"))
    await worker.send("overtime")
    (await double_tap(harness, worker, "Can I refuse")).assert_second_changed_nothing("shown")
    (await double_tap(harness, worker, "👍")).assert_second_changed_nothing("vote")
    await worker.send("overtime")
    (await double_tap(harness, worker, "None of these")).assert_second_changed_nothing("none")
    (await double_tap(harness, worker, "Ask the admins")).assert_second_changed_nothing("ask")
    await worker.send("Where can I park my motorbike?")
    (await double_tap(harness, worker, "No, thanks")).assert_second_changed_nothing("drop")
    counts = await table_counts(harness)
    assert (counts["faq_votes"], counts["faq_handoffs"]) == (1, 1)
    caplog.clear()
    tapped = await crawl(harness, admin, "/questions")
    assert {r.name for r in (faq.QUESTION, faq.ANSWER, faq.QUESTIONS, faq.GAPS)} <= tapped
    assert repeats_logged(caplog) >= len(tapped)
    assert (await table_counts(harness))["faq_handoffs"] == 1


async def test_composing_sending_and_reading_a_notice(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Every step of the composer tapped twice: one notice, one row each, one "read";
    then every button of /announcements, crawled."""
    from tests.concerns.helpers import admin_at_hand

    admin = await admin_at_hand(harness)
    worker = await joined(harness, 78, await make_team(harness, "Salt", "A"))
    await admin.send("/announcements")
    (await double_tap(harness, admin, "New notice")).assert_second_changed_nothing("new")
    await admin.send("The canteen is closed on Friday.")
    for label in ("Ask for", "Pin in", "Who gets it", "Chosen teams", "A · Salt", "Done"):
        (await double_tap(harness, admin, label)).assert_second_changed_nothing(label)
    (await double_tap(harness, admin, "Preview")).assert_second_changed_nothing("preview")
    twice = await double_tap(harness, admin, "Yes, send it")
    twice.assert_second_changed_nothing("send")
    await harness.quiet()
    counts = await harness.services.db.fetch_one(
        "SELECT (SELECT COUNT(*) FROM announcements), (SELECT COUNT(*) FROM outbox)"
    )
    assert counts is not None and (counts[0], counts[1]) == (1, 1)
    (await double_tap(harness, worker, "I have read it")).assert_second_changed_nothing("read")
    acks = await harness.services.db.fetch_one("SELECT COUNT(*) FROM announcement_acks")
    assert acks is not None and acks[0] == 1
    caplog.clear()
    tapped = await crawl(harness, admin, "/announcements")
    from bot.announcements import routes as notices

    assert {
        r.name for r in (notices.LIST, notices.OPEN, notices.UNREAD, notices.RECALL_ASK)
    } <= tapped
    assert repeats_logged(caplog) >= len(tapped)
    counts = await harness.services.db.fetch_one(
        "SELECT (SELECT COUNT(*) FROM announcements), (SELECT COUNT(*) FROM outbox)"
    )
    assert counts is not None and (counts[0], counts[1]) == (1, 1)
