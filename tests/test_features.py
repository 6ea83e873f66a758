"""Features own their routes, commands and menu entries; `bot.app` only lists them.

A button is made from a `Route` and answered by the handler registered for the
same `Route`. A route declared but never registered would send every tap to
"this button has expired"; these tests catch it before a person does.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler

import bot
from bot.app import FEATURES, BotApp, build_application
from bot.callbacks import Route
from bot.config import Settings
from bot.services import Services


def declared_routes() -> dict[str, Route]:
    """Every `Route` in every `routes` module of the bot, by where it is declared."""
    found: dict[str, Route] = {}
    for module in pkgutil.walk_packages(bot.__path__, "bot."):
        if module.name.rsplit(".", 1)[-1] != "routes":
            continue
        loaded = importlib.import_module(module.name)
        for name, value in vars(loaded).items():
            if isinstance(value, Route):
                found[f"{module.name}.{name}"] = value
    return found


def tap_patterns(handlers: list[BaseHandler[Any, Any, Any]]) -> Iterator[str]:
    """The patterns of every button handler, inside dialogs too."""
    for handler in handlers:
        if isinstance(handler, CallbackQueryHandler) and handler.pattern is not None:
            pattern = handler.pattern
            yield pattern.pattern if isinstance(pattern, re.Pattern) else str(pattern)
        elif isinstance(handler, ConversationHandler):
            inner = [*handler.entry_points, *handler.fallbacks]
            for state_handlers in handler.states.values():
                inner += state_handlers
            yield from tap_patterns(inner)


def unregistered(app: BotApp, routes: dict[str, Route]) -> list[str]:
    registered = {p for group in app.handlers.values() for p in tap_patterns(group)}
    return sorted(where for where, route in routes.items() if route.pattern not in registered)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[BotApp]:
    settings = Settings(bot_token="123456:TEST-token-for-wiring-only-0000", db_path=tmp_path / "x")
    services = await Services.start(settings)
    try:
        yield build_application(services)
    finally:
        await services.close()


async def test_every_declared_route_is_answered(app: BotApp) -> None:
    routes = declared_routes()
    assert len(routes) > 40  # the scan found the features' routes
    assert unregistered(app, routes) == []


async def test_a_route_nobody_answers_is_caught(app: BotApp) -> None:
    assert unregistered(app, {"bot.example.routes.FORGOTTEN": Route("forgotten")}) == [
        "bot.example.routes.FORGOTTEN"
    ]


def test_route_names_are_unique_across_features() -> None:
    names = [route.name for route in declared_routes().values()]
    assert len(names) == len(set(names))


async def test_every_registered_button_handler_has_a_declared_route(app: BotApp) -> None:
    patterns = {route.pattern for route in declared_routes().values()}
    registered = {p for group in app.handlers.values() for p in tap_patterns(group)}
    assert registered <= patterns


async def test_commands_come_from_the_features(app: BotApp) -> None:
    declared = {command.name for feature in FEATURES for command in feature.commands}
    registered = {
        command
        for group in app.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    assert declared <= registered
    assert {"help", "cancel", "language", "mydata", "leave", "admin"} <= declared


def test_features_do_not_import_each_other() -> None:
    """A feature stands on the shared layer; it never imports another feature's modules."""
    root = Path(bot.__file__).parent
    packages = [f.name for f in FEATURES if (root / f.name).is_dir()]
    assert packages  # onboarding, org, …
    for package in packages:
        for path in (root / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for other in packages:
                if other != package:
                    assert f"bot.{other}" not in source, f"{path} imports bot.{other}"


class _Study:
    def __init__(self, services: Services) -> None:
        self.db = services.db


async def test_a_feature_brings_its_own_repositories(tmp_path: Path) -> None:
    services = await Services.start(Settings(db_path=tmp_path / "x"))
    try:
        with pytest.raises(LookupError, match="no feature provides a _Study"):
            services.get(_Study)
        services.provide([_Study])
        assert services.get(_Study).db is services.db
        with pytest.raises(ValueError, match="two features provide"):
            services.provide([_Study])
    finally:
        await services.close()


def test_help_describes_what_exists() -> None:
    """`python -m bot --help` lists each feature's own line, and nothing still to come."""
    from bot.__main__ import parser

    text = " ".join(parser().format_help().split())
    for feature in FEATURES:
        assert " ".join(feature.summary.split()) in text
    for later in ("report",):
        assert later not in text.lower(), later
