"""Journey 2 as the bot sees it: pre-shift study sessions, their schedules, and the tick that runs them."""

from __future__ import annotations

from pathlib import Path

from telegram.ext import CommandHandler, filters

from bot.content import Problem
from bot.feature import Audience, Command, Feature, MenuEntry
from bot.i18n import N_
from bot.outbox import Sender
from bot.preshift import bank, leader, routes, sessions, worker
from bot.preshift.service import Preshift
from bot.services import Services


def _preshift(services: Services) -> Preshift:
    """The bank is read at start-up; content with errors stops the bot (ContentError).
    Session messages and reminders go out through the outbox (built before this)."""
    services.get(Sender).handle(sessions.KIND, sessions.perform, sessions.progress)
    services.get(Sender).handle(sessions.STATUS_KIND, sessions.perform_status)
    return Preshift(services, bank.Bank.load(services.settings.content_dir))


def _check(folder: Path) -> list[Problem]:
    return bank.load(folder)[1]


FEATURE = Feature(
    name="preshift",
    summary="pre-shift study: today's lesson and a quiz per worker, attendance, "
    "shift schedules, spaced repetition",
    taps=(
        (routes.BEGIN, worker.begin),
        (routes.CARD_READ, worker.card_read),
        (routes.ANSWER, worker.answer),
        (routes.MOOD, worker.mood),
        (routes.TEAMS, leader.teams_page),
        (routes.TEAM, leader.open_team),
        (routes.START, leader.start),
        (routes.STATUS, leader.show_status),
        (routes.CLOSE, leader.close),
        (routes.EXTEND, leader.extend),
        (routes.NUDGE, leader.nudge),
        (routes.IN_PERSON, leader.in_person),
        (routes.MARK_PRESENT, leader.mark_present),
        (routes.SCHEDULES, leader.schedules),
        (routes.SCHEDULE_DAYS, leader.schedule_days),
        (routes.SCHEDULE_HOUR, leader.schedule_hour),
        (routes.SCHEDULE_MINUTE, leader.schedule_minute),
        (routes.SCHEDULE_LEAD, leader.schedule_lead),
        (routes.SCHEDULE_SAVE, leader.schedule_save),
        (routes.SCHEDULE_REMOVE, leader.schedule_remove),
        (routes.LINK_GROUP, leader.link_group),
        (routes.UNLINK_GROUP, leader.unlink_group),
    ),
    commands=(
        Command(
            "preshift",
            leader.home,
            description=N_("Pre-shift study of my team"),
            audience=Audience.LEADERS,
        ),
    ),
    menu=(
        MenuEntry(
            N_("📚 Pre-shift study"),
            leader.home,
            row=0,
            audience=Audience.LEADERS,
            help=N_(
                "📚 Pre-shift study: start it for your team, follow it, set the shift schedule"
            ),
        ),
    ),
    my_data=leader.my_data,
    handlers=(CommandHandler("link", leader.link_command, filters=filters.ChatType.GROUPS),),
    every=((sessions.TICK_SECONDS, sessions.tick),),
    provides=(_preshift,),
    content=_check,
)
