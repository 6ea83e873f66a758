"""Languages: choosing one, complete catalogs, a fresh messages.pot, locale-aware formatting."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bot.config import SUPPORTED_LOCALES
from bot.i18n import LOCALES_DIR, I18n, negotiate
from bot.menu import LAYOUT
from dev import extract_args

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{\w*\}")


@pytest.mark.parametrize(
    ("chosen", "telegram", "expected"),
    [
        ("en", "zh-hans", "en"),  # a choice made in the bot wins
        (None, "zh-hans", "zh_Hans"),
        (None, "zh-CN", "zh_Hans"),
        (None, "zh", "zh_Hans"),
        (None, "zh-hant", "zh_Hant"),
        (None, "zh-TW", "zh_Hant"),
        (None, "zh-HK", "zh_Hant"),
        (None, "zh-hant-mo", "zh_Hant"),
        (None, "en-GB", "en"),
        (None, "pt-br", "zh_Hans"),  # unsupported: the plant's default
        (None, None, "zh_Hans"),
        ("klingon", None, "zh_Hans"),
    ],
)
def test_negotiation(chosen: str | None, telegram: str | None, expected: str) -> None:
    assert negotiate(chosen, telegram, "zh_Hans") == expected


def test_the_default_is_the_configured_one() -> None:
    assert negotiate(None, "pt-br", "zh_Hant") == "zh_Hant"


def test_messages_pot_is_up_to_date(tmp_path: Path) -> None:
    """Fails when code gained or lost a string: run `python3 dev.py i18n` and translate."""
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", *extract_args(fresh)])

    def ids(path: Path) -> list[object]:
        with path.open("rb") as fp:
            return [(m.id, m.context, sorted(m.auto_comments)) for m in read_po(fp) if m.id]

    assert ids(fresh) == ids(LOCALES_DIR / "messages.pot"), (
        "messages.pot is stale: run `python3 dev.py i18n`"
    )


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_catalog_is_complete_and_consistent(locale: str) -> None:
    with (LOCALES_DIR / "messages.pot").open("rb") as fp:
        template = {m.id for m in read_po(fp) if m.id}
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as fp:
        catalog = read_po(fp, locale=locale)
    problems = [f"{msgid!r}: {error}" for msgid, error in _catalog_errors(catalog)]
    present = {m.id for m in catalog if m.id}
    problems += [f"missing: {msgid!r}" for msgid in template - present]
    problems += [f"obsolete: {msgid!r}" for msgid in present - template]
    assert not problems, f"{locale}:\n" + "\n".join(problems)


def _catalog_errors(catalog: object) -> list[tuple[object, str]]:
    errors: list[tuple[object, str]] = []
    for message in catalog:  # type: ignore[attr-defined]
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            errors.append((ids[0], "fuzzy"))
        for string in strings[: len(strings) if catalog.locale.language == "en" else 1]:  # type: ignore[attr-defined]
            if not string:
                errors.append((ids[0], "untranslated"))
            elif set(PLACEHOLDER.findall(string)) != set(PLACEHOLDER.findall(ids[-1])):
                errors.append((ids[0], f"placeholders differ in {string!r}"))
            elif string.count("\n") != ids[0].count("\n"):
                errors.append((ids[0], f"line breaks differ in {string!r}"))
            elif ids[0][:1] != string[:1] and not ids[0][:1].isalnum() and ids[0][:1] not in "/“•{":
                errors.append((ids[0], f"the leading signpost emoji is lost in {string!r}"))
        errors += [(ids[0], str(e)) for e in message.check(catalog)]
    return errors


def test_menu_labels_never_collide_across_languages() -> None:
    """A tapped menu button arrives as text; one label must not mean two buttons."""
    i18n = I18n("zh_Hans", ZoneInfo("Asia/Shanghai"))
    owner: dict[str, str] = {}
    for row in LAYOUT:
        for entry in row:
            for label in i18n.every_translation(entry.label):
                assert owner.setdefault(label, entry.label) == entry.label, label


@pytest.mark.parametrize(
    ("locale", "date", "number"),
    [
        ("zh_Hans", "2026年3月2日", "12,345.5"),
        ("zh_Hant", "2026年3月2日", "12,345.5"),
        ("en", "Mar 2, 2026", "12,345.5"),
    ],
)
def test_dates_and_numbers_follow_the_reader_and_the_plants_clock(
    locale: str, date: str, number: str
) -> None:
    i18n = I18n("zh_Hans", ZoneInfo("Asia/Shanghai"))
    tr = i18n.translator(locale)
    late_evening_utc = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # already 2 March in Shanghai
    assert tr.date(late_evening_utc) == date
    assert tr.number(12345.5) == number
    assert "04:00" in tr.time_of_day(late_evening_utc) or "4:00" in tr.time_of_day(late_evening_utc)
