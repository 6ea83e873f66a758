"""The main menu: the reply keyboard of big buttons under every worker's chat.

Each entry is a label marked for translation and the roles that see it. A tap
arrives as plain text in the reader's language, so `app.py` matches each entry
against its label in every language.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.i18n import N_, Translator


@dataclass(frozen=True)
class MenuEntry:
    label: str
    for_leaders: bool = False
    for_admins: bool = False


MY_TEAM = MenuEntry(N_("👥 My team"), for_leaders=True)
ADMIN = MenuEntry(N_("🛠 Admin"), for_admins=True)
MY_DATA = MenuEntry(N_("📋 My data"))
LANGUAGE = MenuEntry(N_("🌐 Language"))
HELP = MenuEntry(N_("ℹ️ Help"))

# Rows, top to bottom: the journeys a person uses most sit nearest their thumb's reach.
LAYOUT: tuple[tuple[MenuEntry, ...], ...] = (
    (MY_TEAM, ADMIN),
    (MY_DATA, LANGUAGE),
    (HELP,),
)


def main_menu(tr: Translator, *, is_leader: bool, is_admin: bool) -> ReplyKeyboardMarkup:
    rows = []
    for row in LAYOUT:
        shown = [
            KeyboardButton(tr.gettext(entry.label))
            for entry in row
            if (not entry.for_leaders or is_leader) and (not entry.for_admins or is_admin)
        ]
        if shown:
            rows.append(shown)
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)
