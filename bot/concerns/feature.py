"""Journey 3 as the bot sees it: anonymous messages, their reply keys, the admins' inbox."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler, MessageHandler, filters

from bot.concerns import alerts, content, inbox, routes, thread, worker
from bot.concerns.service import Concerns
from bot.content import Problem
from bot.feature import Audience, Command, DialogParts, Feature, MenuEntry, tap
from bot.i18n import N_
from bot.services import Services

_LABEL = N_("🔒 Anonymous message")
_INBOX = N_("📥 Anonymous messages")
_ROUTES = {
    r.name
    for r in (
        routes.ABOUT,
        routes.CATEGORY,
        routes.SEND,
        routes.NOTIFY,
        routes.REMOVE,
        routes.REWRITE,
        routes.CANCEL,
        routes.THREAD,
        routes.ADD,
        routes.WATCH,
    )
}


def _concerns(services: Services) -> Concerns:
    """The categories and urgent patterns are read at start-up; errors stop the bot."""
    services.hooks["anonymous_question"] = worker.ask_anonymously
    return Concerns(services, content.ConcernContent.load(services.settings.content_dir))


def _check(folder: Path) -> list[Problem]:
    return content.load(folder)[1]


def _anonymous(update: Update, services: Services) -> bool:
    """A worker's anonymous flow: its buttons, a draft in progress, a reply to the prompt."""
    query = update.callback_query
    if query is not None and query.data:
        return query.data.split("~", 1)[0].split(":", 1)[0] in _ROUTES
    user = update.effective_user
    if user is not None and services.get(Concerns).draft(user.id) is not None:
        return True
    message = update.message
    reply_to = message.reply_to_message if message is not None else None
    return reply_to is not None and (reply_to.text or "").startswith("✍️")


def _forget(services: Services, telegram_id: int) -> None:
    services.get(Concerns).forget(telegram_id)


def dialogs(parts: DialogParts) -> Sequence[ConversationHandler[Any]]:
    # Taps are also entry points: a worker who pressed 🔒 inside another dialog got the
    # topics from that dialog's exit, and their topic tap starts this one.
    raising = parts.dialog(
        "concern",
        [
            MessageHandler(parts.menu_label(_LABEL), worker.start),
            tap(routes.CATEGORY, worker.pick),
            tap(routes.ADD, thread.add_start),
        ],
        {
            worker.PICKING: [tap(routes.CATEGORY, worker.pick)],
            worker.WRITING: [
                MessageHandler(parts.typed, worker.typed),
                MessageHandler(parts.media, worker.not_text),
            ],
            worker.CHECKING: [
                tap(routes.SEND, worker.send),
                tap(routes.NOTIFY, worker.toggle_notify),
                tap(routes.REMOVE, worker.toggle_remove),
                tap(routes.REWRITE, worker.rewrite),
                MessageHandler(parts.typed, worker.typed),
                MessageHandler(parts.media, worker.not_text),
            ],
            worker.ADDING: [
                MessageHandler(parts.typed, thread.add_typed),
                MessageHandler(parts.media, thread.add_not_text),
            ],
        },
        fallbacks=[*parts.exits, tap(routes.CANCEL, worker.cancel)],
        allow_reentry=True,
        persistent=False,
    )
    answering = parts.dialog(
        "inbox_answer",
        [tap(routes.ANSWER, inbox.answer_start)],
        {
            inbox.ANSWERING: [
                MessageHandler(parts.typed, inbox.answer_typed),
                MessageHandler(parts.media, inbox.answer_not_text),
            ]
        },
        persistent=False,
    )
    return (raising, answering)


FEATURE = Feature(
    name="concerns",
    summary="anonymous messages with reply keys, urgent alerts to admins, the admins' inbox",
    taps=(
        (routes.ABOUT, worker.about),
        (routes.THREAD, thread.open_thread),
        (routes.WATCH, thread.watch),
        # Steps of a draft this process no longer holds (a restart, or already sent).
        (routes.SEND, worker.lost),
        (routes.NOTIFY, worker.lost),
        (routes.REMOVE, worker.lost),
        (routes.REWRITE, worker.lost),
        (routes.CANCEL, worker.lost),
        (routes.INBOX, inbox.inbox_page),
        (routes.OPEN, inbox.open_concern),
        (routes.SET_STATUS, inbox.set_status),
    ),
    commands=(
        Command(
            "inbox",
            inbox.inbox_command,
            description=N_("Anonymous messages to answer"),
            audience=Audience.ADMINS,
        ),
    ),
    menu=(
        MenuEntry(
            _LABEL,
            worker.start,
            row=1,
            audience=Audience.MEMBERS,
            help=N_("🔒 Anonymous message: tell the admins what worries you, without your name"),
        ),
        MenuEntry(
            _INBOX,
            inbox.inbox_command,
            row=1,
            audience=Audience.ADMINS,
            help=N_("📥 Anonymous messages: read, answer and close them"),
        ),
    ),
    # Text typed into the writing prompt after a restart: the draft is gone; say so,
    # before anything else (a question, later) could take the words.
    handlers=(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & worker.RepliesToPrompt(),
            worker.lost_reply,
        ),
    ),
    dialogs=dialogs,
    my_data=worker.my_data,
    every=((alerts.TICK_SECONDS, alerts.tick),),
    provides=(_concerns,),
    content=_check,
    anonymous=_anonymous,
    forget=_forget,
)
