"""What one capability brings to the bot, so that `bot.app` only has to list it.

A feature owns its buttons (each `Route` named once, next to the handler that
answers it), its commands, its main-menu entries, its dialogs, and the lines it
adds to /mydata. `bot.app.wire` composes the features in one ordered block; no
feature imports another feature, and none reaches back into the wiring.

Adding a feature is adding a package with a `feature.py` that builds a
`Feature`, and one line in `bot.app.FEATURES` (the README's "How to add a
feature" lists the rest).
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, filters

from bot.callbacks import Route

if TYPE_CHECKING:
    from pathlib import Path

    from bot.content import Problem
    from bot.context import Ctx
    from bot.models import Member
    from bot.services import Services

Handler = Callable[[Update, "Ctx"], Coroutine[Any, Any, Any]]
Job = Callable[["Ctx"], Coroutine[Any, Any, Any]]
MyDataLines = Callable[["Ctx", "Member"], Awaitable[list[str]]]


class Audience(enum.Enum):
    """Who sees a menu entry or a help line."""

    EVERYONE = "everyone"  # also people who have not joined a team
    MEMBERS = "members"
    LEADERS = "leaders"
    ADMINS = "admins"


@dataclass(frozen=True)
class Command:
    """A slash command. `description` (marked with `N_`) is listed in Telegram's "/" menu."""

    name: str
    callback: Handler
    description: str | None = None  # None: works, but is not listed
    help: str | None = None  # a line for /help, marked with `N_`
    audience: Audience = Audience.EVERYONE


@dataclass(frozen=True)
class MenuEntry:
    """A big button of the main menu. A tap arrives as its label, in the reader's language."""

    label: str  # marked with `N_`
    callback: Handler
    row: int  # rows from the top; entries of one row sit side by side
    audience: Audience = Audience.MEMBERS
    help: str | None = None  # a line for /help, marked with `N_`


@dataclass(frozen=True)
class DialogParts:
    """What every dialog needs from the rest of the bot.

    `exits` are the commands and menu buttons of every feature: inside a dialog
    they end it and then do their job, so nobody is stuck in a half-finished
    step. `typed` is text someone typed (not a command, not a menu button);
    `media` is anything that is not text.
    """

    exits: Sequence[BaseHandler[Update, Any, Any]]
    typed: filters.BaseFilter
    media: filters.BaseFilter
    # Every translation of a text (a menu label), as the catalogs hold them.
    translations: Callable[[str], set[str]] = lambda text: {text}

    def menu_label(self, label: str) -> filters.BaseFilter:
        """A press of this main-menu button, in any language (to start a dialog with it)."""
        return filters.ChatType.PRIVATE & filters.Text(sorted(self.translations(label)))

    def dialog(
        self,
        name: str,
        entry_points: Sequence[BaseHandler[Update, Any, Any]],
        states: dict[object, list[BaseHandler[Update, Any, Any]]],
        *,
        fallbacks: Sequence[BaseHandler[Update, Any, Any]] | None = None,
        allow_reentry: bool = False,
        persistent: bool = True,
    ) -> ConversationHandler[Any]:
        """A dialog whose step is saved in the database after every update, so a restart
        resumes it; by default every command and menu button ends it (`exits`).

        `name` is stored with each person's step: never rename a dialog that is in use.
        An anonymous dialog passes `persistent=False`: its step stays in memory, and
        a restart forgets it.
        """
        return ConversationHandler(
            name=name,
            persistent=persistent,
            entry_points=list(entry_points),
            states=states,
            fallbacks=list(self.exits if fallbacks is None else fallbacks),
            allow_reentry=allow_reentry,
        )


DialogFactory = Callable[[DialogParts], Sequence[ConversationHandler[Any]]]


@dataclass(frozen=True)
class Feature:
    name: str
    summary: str = ""  # one line for `python -m bot --help`: what this feature does today
    taps: Sequence[tuple[Route, Handler]] = ()
    commands: Sequence[Command] = ()
    menu: Sequence[MenuEntry] = ()
    dialogs: DialogFactory | None = None
    my_data: MyDataLines | None = None  # lines this feature adds to /mydata
    # Anything else it answers, after every feature's buttons (e.g. a command in group chats).
    handlers: Sequence[BaseHandler[Update, Any, Any]] = ()
    # Work that runs by itself every `seconds` (python-telegram-bot's JobQueue).
    every: Sequence[tuple[float, Job]] = ()
    # Its own repositories and services, each made from the shared ones once at start-up
    # (e.g. `StudyRepository` given `lambda s: StudyRepository(s.db, s.clock)`); handlers
    # reach them with `ctx.services.get(StudyRepository)`.
    provides: Sequence[Callable[[Services], object]] = ()
    # Reads and checks this feature's files in the content folder (`python -m bot content check`).
    content: Callable[[Path], list[Problem]] | None = None
    # Whether an update belongs to this feature's anonymous flow: if so, a failure while
    # handling it is logged without the update, the person or the exception's message.
    anonymous: Callable[[Update, Services], bool] | None = None
    # Drops what this feature holds in memory for a person (by Telegram id) when their
    # dialog ends: a draft that must never be written anywhere.
    forget: Callable[[Services, int], None] | None = None


def tap(route: Route, callback: Handler) -> CallbackQueryHandler[Any, Any]:
    """The handler for one route's buttons (inside a dialog, or on its own)."""
    return CallbackQueryHandler(callback, pattern=route.pattern)
