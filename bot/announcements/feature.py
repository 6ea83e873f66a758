"""Journey 5 as the bot sees it: the composer, the outbox's announcements, the read button."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram.ext import ConversationHandler, MessageHandler, filters

from bot.announcements import handlers, routes
from bot.announcements.service import Announcements, tick
from bot.feature import Audience, Command, DialogParts, Feature, MenuEntry, tap
from bot.i18n import N_


def dialogs(parts: DialogParts) -> Sequence[ConversationHandler[Any]]:
    compose = parts.dialog(
        "announce_compose",
        [
            tap(routes.NEW, handlers.compose_start),
        ],
        {
            handlers.BODY: [
                MessageHandler(parts.typed, handlers.body_text),
                MessageHandler(filters.PHOTO | filters.Document.PDF, handlers.body_file),
                MessageHandler(parts.media, handlers.body_unsupported),
            ]
        },
    )
    variant = parts.dialog(
        "announce_variant",
        [tap(routes.VARIANT, handlers.variant_start)],
        {handlers.VARIANT_TEXT: [MessageHandler(parts.typed, handlers.variant_typed)]},
    )
    later = parts.dialog(
        "announce_later",
        [tap(routes.LATER, handlers.later_start)],
        {handlers.WHEN: [MessageHandler(parts.typed, handlers.later_typed)]},
    )
    correct = parts.dialog(
        "announce_correct",
        [tap(routes.CORRECT, handlers.correct_start)],
        {handlers.CORRECTION: [MessageHandler(parts.typed, handlers.correct_typed)]},
    )
    return (compose, variant, later, correct)


_LABEL = N_("📣 Notices")

FEATURE = Feature(
    name="announcements",
    summary="announcements from the admins: audience, languages, read receipts, "
    "scheduling, correcting and recalling, all through the outbox",
    taps=(
        (routes.LIST, handlers.list_page),
        (routes.OPEN, handlers.open_one),
        (routes.UNREAD, handlers.unread),
        (routes.RECALL_ASK, handlers.recall_ask),
        (routes.RECALL, handlers.recall),
        (routes.CANCEL_SCHEDULED, handlers.cancel_scheduled),
        (routes.DRAFT, handlers.draft_again),
        (routes.AUDIENCE, handlers.audience_screen),
        (routes.AUDIENCE_SET, handlers.audience_set),
        (routes.AUDIENCE_LIST, handlers.audience_list),
        (routes.AUDIENCE_PICK, handlers.audience_pick),
        (routes.ACK, handlers.toggle_ack),
        (routes.PIN, handlers.toggle_pin),
        (routes.NOW, handlers.send_now),
        (routes.PREVIEW, handlers.preview),
        (routes.SEND, handlers.send),
        (routes.DISCARD, handlers.discard),
        (routes.READ, handlers.read),
    ),
    commands=(
        Command(
            "announcements",
            handlers.list_command,
            description=N_("Notices: send one, see who has read them"),
            audience=Audience.ADMINS,
        ),
    ),
    menu=(
        MenuEntry(
            _LABEL,
            handlers.list_command,
            row=2,
            audience=Audience.ADMINS,
            help=N_("📣 Notices: send to everyone or chosen teams, see who has read them"),
        ),
    ),
    dialogs=dialogs,
    my_data=handlers.my_data,
    every=((10.0, tick),),
    provides=(Announcements,),
)
