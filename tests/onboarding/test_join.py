"""Journey 1, end to end: a worker joins a team from its invite link, in each language."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.fake_telegram.users import Person, Reply, links_in
from bot.models import InviteKind
from bot.sim.harness import Harness
from tests.conftest import ADMIN_ID
from tests.dialog import Link, Press, Tap, verify_dialog
from tests.helpers import at_name_step, make_team, member_row


def _first_admin_welcome(reply: Reply) -> None:
    assert "欢迎回来" not in reply.text, reply.text
    assert "Shiftmate" in reply.text and "管理员" in reply.text, reply.text


async def test_admin_creates_a_team_and_a_worker_joins_from_its_link(
    harness: Harness, admin: Person
) -> None:
    await verify_dialog(
        admin,
        [
            # Set up in BOT_ADMINS, so this is their first visit: a welcome, not "welcome back".
            ("/start", lambda reply: _first_admin_welcome(reply)),
            (Press("🛠"), "🛠"),
            (Tap(1), "🏭"),
            (Tap("➕"), "40"),
            ("Salt Works No.1", "Salt Works No.1"),
            (Tap("➕"), "40"),
            ("Shift A", "Shift A"),
        ],
    )
    reply = await admin.tap("🔗")
    (poster,) = reply.documents
    assert poster.media["document"]["mime_type"] == "image/png"
    assert (
        poster.file is not None
        and poster.file.body is not None
        and poster.file.body.startswith(b"\x89PNG")
    )
    (link,) = links_in(reply.text)

    worker = harness.person(1, "Old", last_name="Li", language_code="en")
    await verify_dialog(
        worker,
        [
            (
                Link(link),
                [
                    "You are invited to join the team Shift A · Salt Works No.1",
                    "choose your language",
                ],
            ),
            (Tap("English"), ["Language: English", "What name should your team see?", "“Old Li”"]),
            ("  Li   Wei  ", "regular staff or temporary staff?"),
            (
                Tap("Temporary staff"),
                ["I am: temporary staff", "Welcome to the team Shift A · Salt Works No.1, Li Wei!"],
            ),
        ],
    )
    assert worker.keyboard == ["📋 My info", "🌐 Language", "🔒 Anonymous message", "ℹ️ Help"]
    row = await member_row(harness, 1)
    assert (row["display_name"], row["locale"], row["is_temporary"], row["role"]) == (
        "Li Wei",
        "en",
        1,
        "worker",
    )


@pytest.mark.parametrize(
    ("language_code", "pick", "expected"),
    [
        (
            "zh-hans",
            "简体中文",
            [
                "你受邀加入班组“甲班 · 制盐一车间”",
                "请选择你的语言",
                "语言：简体中文",
                "你想让班组里的人看到什么名字？",
                "你是正式工还是临时工？",
                "欢迎加入班组",
            ],
        ),
        (
            "zh-hk",
            "繁體中文",
            [
                "你受邀加入班組「甲班 · 制盐一车间」",
                "請選擇你的語言",
                "語言：繁體中文",
                "你想讓班組看到什麼名字？",
                "你是正式工還是臨時工？",
                "歡迎加入班組",
            ],
        ),
        (
            "en",
            "English",
            [
                "You are invited to join",
                "choose your language",
                "Language: English",
                "What name should your team see?",
                "regular staff or temporary staff",
                "Welcome to the team",
            ],
        ),
    ],
)
async def test_joining_in_each_language(
    harness: Harness, language_code: str, pick: str, expected: list[str]
) -> None:
    link = await make_team(harness, "制盐一车间", "甲班")
    worker = harness.person(2, "张", last_name="伟", language_code=language_code)
    invited, choose, language, name, staff, welcome = expected
    await verify_dialog(
        worker,
        [
            (Link(link), [invited, choose]),
            (Tap(pick), [language, name, "张伟"]),
            (Tap("✅"), staff),
            (Tap(1), [welcome, "甲班 · 制盐一车间", "张伟"]),
        ],
    )
    row = await member_row(harness, 2)
    assert row["display_name"] == "张伟" and row["is_temporary"] == 0
    assert row["locale"] == {"简体中文": "zh_Hans", "繁體中文": "zh_Hant", "English": "en"}[pick]


async def test_the_greeting_follows_telegrams_language_until_one_is_chosen(
    harness: Harness,
) -> None:
    link = await make_team(harness, "Salt", "A")
    hk = harness.person(3, "Wing", language_code="zh-HK")
    reply = await hk.open_link(link)
    assert "請選擇你的語言" in reply.text  # traditional, from the phone's language
    unknown = harness.person(4, "Ana", language_code="pt-BR")
    assert "请选择你的语言" in (await unknown.open_link(link)).text  # the plant's default, zh_Hans
    await hk.tap("English")
    assert "What name should your team see?" in hk.last_message.text  # type: ignore[operator]


async def test_a_name_can_be_typed_when_telegram_has_none_usable(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "A")
    worker = harness.person(5, "🙂" * 40, language_code="en")
    await worker.open_link(link)
    reply = await worker.tap("English")
    assert reply.buttons == []  # the profile name is too long to offer
    assert "Type your name" in reply.text
    await verify_dialog(
        worker, [("Ah Wing", "regular staff"), (Tap("Regular staff"), "Welcome to the team")]
    )


async def test_a_member_moves_team_with_another_teams_invite(harness: Harness) -> None:
    first = await make_team(harness, "Salt", "A")
    second = await make_team(harness, "Salt", "B")
    worker = await joined(harness, 6, first)
    await verify_dialog(
        worker,
        [
            (Link(first), "You are already in the team A · Salt."),
            (Link(second), ["You are in the team A · Salt now.", "Move to the team B · Salt?"]),
            (Tap("Stay"), "OK, you stay in your team."),
            (Link(second), "Move to the team B"),
            (Tap("Move"), "You are now in the team B · Salt."),
        ],
    )
    history = await harness.services.db.fetch_all(
        "SELECT t.name, ms.left_at IS NULL AS current FROM memberships ms JOIN teams t ON t.id = ms.team_id ORDER BY ms.id"
    )
    assert [(r["name"], r["current"]) for r in history] == [("A", 0), ("B", 1)]


async def test_a_leader_invite_makes_a_leader_once(harness: Harness, clock: FakeClock) -> None:
    await make_team(harness, "Salt", "A")
    team = (await harness.services.org.all_teams())[0]
    invite = await harness.services.invites.create(team.id, InviteKind.LEADER, timedelta(days=7))
    link = harness.services.invite_link(invite.token)
    leader = harness.person(7, "Lin", language_code="en")
    await verify_dialog(
        leader,
        [
            (Link(link), "You are invited to lead the team A · Salt."),
            (Tap("English"), "What name should your team see?"),
            (Tap(1), "You now lead the team A · Salt."),  # no staff-type question for leaders
        ],
    )
    assert "👥 My team" in leader.keyboard
    latecomer = harness.person(8, "Kim", language_code="en")
    assert "already been used" in (await latecomer.open_link(link)).text
    assert await harness.services.members.by_telegram_id(8) is None


async def test_an_existing_member_accepts_a_leader_invite(harness: Harness) -> None:
    link = await make_team(harness, "Salt", "A")
    worker = await joined(harness, 9, link)
    team = (await harness.services.org.all_teams())[0]
    invite = await harness.services.invites.create(team.id, InviteKind.LEADER, timedelta(days=7))
    await verify_dialog(
        worker,
        [
            (Link(harness.services.invite_link(invite.token)), "invited to lead the team A · Salt"),
            (Tap("Accept"), "You now lead the team A · Salt."),
        ],
    )
    assert "👥 My team" in worker.keyboard
    assert [m.telegram_id for m in await harness.services.org.leaders(team.id)] == [9]


async def test_a_configured_admin_is_registered_on_first_contact(
    harness: Harness, admin: Person
) -> None:
    assert await harness.services.members.by_telegram_id(ADMIN_ID) is None
    reply = await admin.send("/start")
    assert "王芳" in reply.text
    assert "🛠 管理" in admin.keyboard[0]
    row = await member_row(harness, ADMIN_ID)
    assert row["role"] == "admin"


async def test_a_stranger_without_an_invite_is_told_how_to_join(harness: Harness) -> None:
    stranger = harness.person(10, "Sam", language_code="en")
    reply = await stranger.send("/start")
    assert "scan the invite QR code on your team's poster" in reply.text
    assert await harness.services.members.by_telegram_id(10) is None


async def joined(harness: Harness, user_id: int, link: str) -> Person:
    """Someone who has joined the team of `link` in English, as "Worker <id>", regular staff."""
    worker = await at_name_step(harness, user_id, link, f"W{user_id}")
    await worker.send(f"Worker {user_id}")
    reply: Reply = await worker.tap("Regular staff")
    assert "Welcome to the team" in reply.text
    return worker
