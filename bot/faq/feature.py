"""Journey 4 as the bot sees it: questions in a worker's own words, curated answers, hand-offs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from telegram.ext import ConversationHandler, MessageHandler, filters

from bot.content import Problem
from bot.faq import content, handlers, routes
from bot.faq.service import Answers
from bot.feature import Audience, Command, DialogParts, Feature, tap
from bot.i18n import N_
from bot.services import Services


def _answers(services: Services) -> Answers:
    """The FAQ files are read at start-up; errors stop the bot (a reload keeps the old ones)."""
    return Answers(services, content.Faq.load(services.settings.content_dir))


def _check(folder: Path) -> list[Problem]:
    return content.load(folder)[1]


def dialogs(parts: DialogParts) -> Sequence[ConversationHandler[Any]]:
    answering = parts.dialog(
        "faq_answer",
        [tap(routes.ANSWER, handlers.answer_start)],
        {
            handlers.ANSWERING: [
                MessageHandler(parts.typed, handlers.answer_typed),
                MessageHandler(parts.media, handlers.answer_not_text),
            ]
        },
    )
    return (answering,)


FEATURE = Feature(
    name="faq",
    summary="policy questions in the worker's own words: curated answers, did-you-mean, "
    "hand-off to the admins, the curators' gap list",
    taps=(
        (routes.SHOW, handlers.show_entry),
        (routes.VOTE, handlers.vote),
        (routes.NONE, handlers.none_of_these),
        (routes.ASK_ADMINS, handlers.ask_admins),
        (routes.ASK_ANONYMOUSLY, handlers.ask_anonymously),
        (routes.DROP, handlers.drop),
        (routes.QUESTIONS, handlers.questions_page),
        (routes.QUESTION, handlers.open_question),
        (routes.LEARN_ENTRY, handlers.learn_entry),
        (routes.LEARN_PHRASING, handlers.learn_phrasing),
        (routes.GAPS, handlers.gaps_page),
    ),
    commands=(
        Command(
            "questions",
            handlers.questions_command,
            description=N_("Questions passed on to the admins"),
            audience=Audience.ADMINS,
        ),
        Command("gaps", handlers.gaps_command, audience=Audience.ADMINS),
        Command("faqreload", handlers.reload_command, audience=Audience.ADMINS),
    ),
    dialogs=dialogs,
    my_data=handlers.my_data,
    # Free text that no dialog waits for (and that is no command or menu button, which
    # are answered before this) is a question.
    handlers=(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, handlers.question
        ),
    ),
    provides=(_answers,),
    content=_check,
)
