"""Languages: which one a person reads, their catalogs, and locale-aware formatting.

Source strings are English and marked with `_()` (or `N_()` where a label is
defined once and translated when shown). Each update is answered in the
reader's language, so there is no process-wide `_`: handlers take a
`Translator` for the person in front of them, and scheduled jobs build one for
each recipient.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path

from babel.dates import format_date, format_time
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from bot.config import SUPPORTED_LOCALES

_LOGGER = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"

# How each language names itself on the language picker.
LANGUAGE_NAMES = {"zh_Hans": "简体中文", "zh_Hant": "繁體中文", "en": "English"}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a string for extraction without translating it yet."""
    return message


def negotiate(chosen: str | None, language_code: str | None, default: str) -> str:
    """The member's own choice, else what Telegram says their app speaks, else the default."""
    if chosen in SUPPORTED_LOCALES:
        return chosen
    code = (language_code or "").lower().replace("_", "-")
    if code.startswith("zh"):
        traditional = ("hant", "tw", "hk", "mo")
        return "zh_Hant" if any(tag in code.split("-") for tag in traditional) else "zh_Hans"
    if code.startswith("en"):
        return "en"
    return default


def load_catalog(locale: str, locales_dir: Path = LOCALES_DIR) -> Translations:
    """The compiled catalog, or the `.po` compiled in memory when the `.mo` is missing or stale."""
    folder = locales_dir / locale / "LC_MESSAGES"
    po_path, mo_path = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo_path.is_file() and (
        not po_path.is_file() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as fp:
            return Translations(fp, domain=DOMAIN)
    if not po_path.is_file():
        raise FileNotFoundError(f"no catalog for {locale} in {folder}")
    with po_path.open("rb") as fp:
        catalog = read_po(fp, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    _LOGGER.info("Compiled %s in memory; run `pybabel compile -d locales` to skip this", po_path)
    return Translations(buffer, domain=DOMAIN)


@dataclass(frozen=True)
class Translator:
    """Everything needed to talk to one reader: their language and the plant's clock."""

    locale: str
    catalog: Translations
    timezone: tzinfo

    def gettext(self, message: str) -> str:
        return str(self.catalog.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(self.catalog.ngettext(singular, plural, n))

    def pgettext(self, context: str, message: str) -> str:
        return str(self.catalog.pgettext(context, message))

    def date(self, value: date | datetime, fmt: str = "medium") -> str:
        if isinstance(value, datetime):
            value = value.astimezone(self.timezone).date()
        return str(format_date(value, format=fmt, locale=self.locale))

    def time_of_day(self, value: datetime, fmt: str = "short") -> str:
        return str(format_time(value, format=fmt, tzinfo=self.timezone, locale=self.locale))

    def number(self, value: float) -> str:
        return str(format_decimal(value, locale=self.locale))

    def names(self, items: list[str]) -> str:
        """Names joined as this language lists them: 甲班、乙班和丙班, or A, B, and C."""
        return str(format_list(items, locale=self.locale)) if items else ""


class I18n:
    """All catalogs, loaded once at start-up."""

    def __init__(
        self, default_locale: str, timezone: tzinfo, locales_dir: Path = LOCALES_DIR
    ) -> None:
        self.default_locale = default_locale
        self.timezone = timezone
        self._translators = {
            locale: Translator(locale, load_catalog(locale, locales_dir), timezone)
            for locale in SUPPORTED_LOCALES
        }

    def translator(self, locale: str | None) -> Translator:
        return self._translators.get(locale or "", self._translators[self.default_locale])

    def for_person(self, chosen: str | None, language_code: str | None) -> Translator:
        return self._translators[negotiate(chosen, language_code, self.default_locale)]

    def every_translation(self, message: str) -> set[str]:
        """A label as it reads in every language, to recognise a tapped keyboard button."""
        return {t.gettext(message) for t in self._translators.values()}
