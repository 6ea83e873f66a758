"""Journey 1 as the bot sees it: joining, /language, /mydata and /leave."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from bot.feature import Audience, Command, DialogParts, Feature, MenuEntry, tap
from bot.i18n import N_
from bot.onboarding import handlers as h
from bot.onboarding import routes


def dialogs(parts: DialogParts) -> Sequence[ConversationHandler[Any]]:
    private = filters.ChatType.PRIVATE
    join = parts.dialog(
        "join",
        [CommandHandler("start", h.start, filters=private)],
        {
            h.LANGUAGE: [
                tap(routes.JOIN_LANGUAGE, h.join_language),
                MessageHandler(parts.typed | parts.media, h.join_use_buttons),
            ],
            h.NAME: [
                tap(routes.JOIN_NAME, h.join_name_tapped),
                MessageHandler(parts.typed, h.join_name_typed),
                MessageHandler(parts.media, h.join_name_not_text),
            ],
            h.STAFF: [
                tap(routes.JOIN_STAFF, h.join_staff),
                MessageHandler(parts.typed | parts.media, h.join_use_buttons),
            ],
        },
        # Commands and menu buttons do not end a join: only /cancel does.
        fallbacks=[CommandHandler("cancel", h.cancel_join, filters=private)],
        allow_reentry=True,
    )
    rename = parts.dialog(
        "rename",
        [tap(routes.RENAME, h.rename_start)],
        {
            h.RENAME: [
                MessageHandler(parts.typed, h.rename_typed),
                MessageHandler(parts.media, h.rename_not_text),
            ]
        },
    )
    return (join, rename)


FEATURE = Feature(
    name="onboarding",
    summary="joining a team from its invite QR code; /language, /mydata and /leave",
    taps=(
        # JOIN_LANGUAGE, JOIN_NAME, JOIN_STAFF and RENAME are answered by the dialogs above.
        (routes.LANGUAGE, h.set_language),
        (routes.LEAVE_YES, h.leave_confirmed),
        (routes.LEAVE_NO, h.leave_cancelled),
        (routes.LEAVE, h.leave),
        (routes.MOVE, h.move_team),
        (routes.STAY, h.stay_in_team),
        (routes.LEAD, h.accept_lead),
        (routes.NO_LEAD, h.decline_lead),
    ),
    commands=(
        Command(
            "language",
            h.language,
            description=N_("Change the language"),
            help=N_("/language: change the language"),
        ),
        Command(
            "mydata",
            h.my_data,
            description=N_("See my info"),
            help=N_("/mydata: see everything Shiftmate stores about you"),
            audience=Audience.EVERYONE,
        ),
        Command(
            "leave",
            h.leave,
            description=N_("Delete my info"),
            help=N_("/leave: delete my info"),
        ),
    ),
    menu=(
        MenuEntry(N_("📋 My info"), h.my_data, row=1),
        MenuEntry(N_("🌐 Language"), h.language, row=1),
    ),
    dialogs=dialogs,
)
