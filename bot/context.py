"""The typed context every handler receives (PTB's `contexttypesbot` pattern)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.callbacks import Route, Tap
from bot.feature import Feature, MenuEntry
from bot.i18n import Translator
from bot.models import Member
from bot.pacing import PaceArgs
from bot.services import Services

# Dialog data that outlives a dialog: the language someone picked before joining a team.
KEPT_BETWEEN_DIALOGS = frozenset({"locale"})


class BotData:
    """What the application shares between handlers: the services and the features."""

    services: Services | None = None
    features: tuple[Feature, ...] = ()
    menu_labels: frozenset[str] = frozenset()  # every menu button's label, in every language


class Ctx(CallbackContext[ExtBot[PaceArgs], dict[Any, Any], dict[Any, Any], BotData]):
    """Filled in by `bot.common.prepare` before any feature handler runs."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.member: Member | None = None
        self.tap: Tap | None = None
        self._tr: Translator | None = None

    async def load_reader(self, update: Update) -> None:
        """Who is writing, and the language to answer in.

        Their saved choice wins; someone still joining has picked a language in
        the dialog already; otherwise Telegram's language for them is used.
        """
        user = update.effective_user
        if user is None:
            return
        self.member = await self.services.members.by_telegram_id(user.id)
        dialog = self.user_data or {}
        chosen = self.member.locale if self.member else None
        chosen = chosen or (dialog.get("join") or {}).get("locale") or dialog.get("locale")
        self.tr = self.services.i18n.for_person(chosen, user.language_code)

    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are attached before the application starts")
        return services

    @property
    def tr(self) -> Translator:
        """The reader's translator; the plant's default language until `prepare` ran."""
        if self._tr is None:
            self._tr = self.services.i18n.translator(None)
        return self._tr

    @tr.setter
    def tr(self, value: Translator) -> None:
        self._tr = value

    @property
    def dialog(self) -> dict[Any, Any]:
        """This person's dialog data (python-telegram-bot's user_data), persisted."""
        data = self.user_data
        if data is None:
            raise RuntimeError("dialog data needs an update from a person")
        return data

    def end_dialogs(self) -> None:
        """Forget every half-finished dialog's data (each dialog keeps its own under its name)."""
        for key in [k for k in self.dialog if k not in KEPT_BETWEEN_DIALOGS]:
            del self.dialog[key]
        if self._user_id is not None:
            for feature in self.features:
                if feature.forget is not None:
                    feature.forget(self.services, self._user_id)

    @property
    def features(self) -> tuple[Feature, ...]:
        return self.bot_data.features

    @property
    def menu_entries(self) -> list[MenuEntry]:
        return [entry for feature in self.features for entry in feature.menu]

    @property
    def is_admin(self) -> bool:
        return self._user_id is not None and self.services.is_admin(self._user_id, self.member)

    def int_arg(self, index: int) -> int:
        """A number carried by the tapped button (routes only reach handlers with a tap)."""
        if self.tap is None:
            raise RuntimeError("this handler needs a button tap")
        return self.tap.int_arg(index)

    def button_for(self, telegram_id: int, route: Route, *args: str | int) -> str:
        """Signed callback data for a button sent to someone else (a worker's session)."""
        return self.services.signer.pack(telegram_id, route, *args)

    def button(self, route: Route, *args: str | int) -> str:
        """Signed callback data for a button shown to the current user."""
        if self._user_id is None:
            raise RuntimeError("buttons are signed for a person; this update has none")
        return self.services.signer.pack(self._user_id, route, *args)
