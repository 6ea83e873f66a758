"""The organisation as the bot sees it: the admin panel, finding people, the leader's team view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram.ext import ConversationHandler, MessageHandler

from bot.feature import Audience, Command, DialogParts, Feature, MenuEntry, tap
from bot.i18n import N_
from bot.org import admin, find, naming, routes


def dialogs(parts: DialogParts) -> Sequence[ConversationHandler[Any]]:
    naming_dialog = parts.dialog(
        "naming",
        [tap(route, naming.naming_start) for route in naming.ENTRY_ROUTES],
        {
            naming.NAMING: [
                MessageHandler(parts.typed, naming.naming_typed),
                MessageHandler(parts.media, naming.naming_not_text),
            ]
        },
    )
    find_dialog = parts.dialog(
        "find",
        [tap(routes.FIND, find.find_start)],
        {
            find.FINDING: [
                MessageHandler(parts.typed, find.find_typed),
                MessageHandler(parts.media, find.find_not_text),
            ]
        },
    )
    return (naming_dialog, find_dialog)


FEATURE = Feature(
    name="org",
    summary="the admin panel (workshops, teams, team leaders, admins, finding people) "
    "and each leader's team view",
    taps=(
        # NEW_WORKSHOP, NEW_TEAM, RENAME_WORKSHOP, RENAME_TEAM and FIND start the dialogs above.
        (routes.ADMIN_HOME, admin.admin_home_tapped),
        (routes.MY_TEAMS, admin.my_teams_page),
        (routes.WORKSHOPS, admin.list_workshops),
        (routes.WORKSHOP, admin.open_workshop),
        (routes.CLOSE_WORKSHOP_ASK, admin.ask_close_workshop),
        (routes.CLOSE_WORKSHOP, admin.close_workshop),
        (routes.TEAM, admin.open_team),
        (routes.MEMBERS, admin.list_members),
        (routes.INVITE, admin.send_invite),
        (routes.NEW_INVITE_ASK, admin.ask_new_invite),
        (routes.NEW_INVITE, admin.new_invite),
        (routes.CANCEL_INVITE_ASK, admin.ask_cancel_invite),
        (routes.CANCEL_INVITE, admin.cancel_invite),
        (routes.LEADERS, admin.list_leaders),
        (routes.PICK_LEADER, admin.pick_leader),
        (routes.ASSIGN_LEADER, admin.assign_leader),
        (routes.REMOVE_LEADER, admin.remove_leader),
        (routes.LEADER_INVITE, admin.leader_invite),
        (routes.CLOSE_TEAM_ASK, admin.ask_close_team),
        (routes.CLOSE_TEAM, admin.close_team),
        (routes.MEMBER, admin.open_member),
        (routes.SET_LEADER, admin.set_member_leader),
        (routes.SET_TEMPORARY, admin.set_member_temporary),
        (routes.SET_ADMIN, admin.set_member_admin),
        (routes.REMOVE_MEMBER_ASK, admin.ask_remove_member),
        (routes.REMOVE_MEMBER, admin.remove_member),
        (routes.ADMINS, admin.list_admins),
        (routes.REMOVE_ADMIN, admin.remove_admin),
        (routes.FIND_PAGE, find.find_page),
    ),
    commands=(Command("admin", admin.admin_home, audience=Audience.ADMINS),),
    menu=(
        MenuEntry(
            N_("👥 My team"),
            admin.my_team,
            row=0,
            audience=Audience.LEADERS,
            help=N_("👥 My team: your team's members and its invite QR code"),
        ),
        MenuEntry(
            N_("🛠 Admin"),
            admin.admin_home,
            row=0,
            audience=Audience.ADMINS,
            help=N_("🛠 Admin: workshops, teams, team leaders and admins"),
        ),
    ),
    dialogs=dialogs,
)
