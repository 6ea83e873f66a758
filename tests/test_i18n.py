"""Languages: choosing one, complete catalogs, a fresh messages.pot, locale-aware formatting."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bot.app import FEATURES
from bot.config import SUPPORTED_LOCALES
from bot.i18n import LOCALES_DIR, I18n, negotiate
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


# Words that never reach a worker or a team leader (../shared/GLOSSARY.md), per language.
# An admin screen may be denser, but uses the same words, so every entry is checked.
FORBIDDEN = {
    "en": re.compile(
        r"\b(ID|payload|PNG|callback|configuration|config|database|data|users?|archived?|"
        r"archiving|renamed?|renaming|hiccup\w*|revoked?|revoking|bot)\b",
        re.IGNORECASE,
    ),
    "zh_Hans": re.compile(r"ID|PNG|回调|配置|数据|用户|归档|重命名|机器人|撤销|用工类型|链接"),
    "zh_Hant": re.compile(
        r"ID|PNG|回調|配置|設定|數據|資料庫|用戶|使用者|歸檔|重新命名|重命名|機器人|撤銷|連結"
    ),
}
_NOT_WORDS = re.compile(r"\{\w*\}|https?://\S+|/\w+")  # placeholders, links, /commands


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalogs_use_the_glossarys_words(locale: str) -> None:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as fp:
        catalog = read_po(fp, locale=locale)
    found = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            text = _NOT_WORDS.sub(" ", str(string or ""))
            for word in FORBIDDEN[locale].findall(text):
                found.append(f"{word!r} in {string!r}")
    assert not found, f"{locale}: words the glossary keeps from workers:\n" + "\n".join(found)


def test_the_glossary_check_can_fail() -> None:
    assert FORBIDDEN["en"].search("Your data was archived by the bot")
    assert FORBIDDEN["zh_Hans"].search("请打印这张 PNG 图片")
    assert FORBIDDEN["zh_Hant"].search("請私下發給使用者")
    assert not FORBIDDEN["en"].search(_NOT_WORDS.sub(" ", "Talk to me: https://t.me/{bot}"))


def test_menu_labels_never_collide_across_languages() -> None:
    """A tapped menu button arrives as text; one label must not mean two buttons."""
    i18n = I18n("zh_Hans", ZoneInfo("Asia/Shanghai"))
    owner: dict[str, str] = {}
    for feature in FEATURES:
        for entry in feature.menu:
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
