"""Settings: defaults, every variable's parsing, and one clear line per bad value."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, file_url_for, load_settings

TOKEN = "123456:ABCdefGhIJKlmnoPQRstuVWxyz-0123456789"
ROOT = Path(__file__).resolve().parent.parent


def test_defaults_need_nothing() -> None:
    settings = load_settings({}, env_file=None)
    assert settings == Settings()
    assert settings.api_base_url == "https://api.telegram.org/bot"
    assert settings.file_base_url == "https://api.telegram.org/file/bot"
    assert settings.db_path == Path("data/shiftmate.sqlite3")
    assert settings.timezone.key == "Asia/Shanghai"
    assert settings.locale == "zh_Hans"
    assert settings.content_dir == ROOT / "content"  # the shipped content, wherever the bot starts


def test_every_variable_is_read() -> None:
    settings = load_settings(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_API_BASE_URL": "http://127.0.0.1:8081/bot",
            "BOT_DB": "/var/lib/shiftmate/db.sqlite3",
            "BOT_ADMINS": " 42, 7 ,,",
            "BOT_TIMEZONE": "Asia/Hong_Kong",
            "BOT_LOCALE": "zh_Hant",
            "BOT_CONTENT_DIR": "/srv/content",
            "BOT_WEBHOOK_URL": "https://bot.example.org/telegram",
            "BOT_WEBHOOK_SECRET": "s3cr3t_-token",
            "BOT_WEBHOOK_LISTEN": "0.0.0.0",  # noqa: S104 - a value under test
            "BOT_WEBHOOK_PORT": "9443",
            "BOT_INVITE_DAYS": "30",
            "BOT_LOG_LEVEL": "debug",
            "BOT_PRESHIFT_MINUTES": "45",
            "BOT_ANON_K": "7",
        },
        env_file=None,
    )
    assert settings.bot_token == TOKEN
    assert settings.file_base_url == "http://127.0.0.1:8081/file/bot"
    assert settings.db_path == Path("/var/lib/shiftmate/db.sqlite3")
    assert settings.admins == frozenset({42, 7})
    assert settings.timezone.key == "Asia/Hong_Kong"
    assert settings.locale == "zh_Hant"
    assert settings.webhook_port == 9443
    assert settings.invite_days == 30
    assert settings.log_level == "DEBUG"
    assert (settings.preshift_minutes, settings.anon_k) == (45, 7)


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("BOT_ADMINS", "abc", "'abc' is not a Telegram user id"),
        ("BOT_ADMINS", "12,-5", "'-5' is not a Telegram user id"),
        ("BOT_TIMEZONE", "Mars/Olympus_Mons", "unknown time zone"),
        ("BOT_LOCALE", "fr", "unsupported locale"),
        ("BOT_TOKEN", "not-a-token", "expected a token from @BotFather"),
        ("BOT_API_BASE_URL", "ftp://example.org/bot", "expected an http(s) URL"),
        ("BOT_API_BASE_URL", "https://example.org/api", "must end in /bot"),
        ("BOT_WEBHOOK_URL", "http://bot.example.org/hook", "only delivers webhooks to https://"),
        ("BOT_WEBHOOK_SECRET", "has spaces!", "only A-Z, a-z, 0-9, _ and -"),
        ("BOT_WEBHOOK_PORT", "70000", "between 1 and 65535"),
        ("BOT_INVITE_DAYS", "0", "at least 1"),
        ("BOT_LOG_LEVEL", "LOUD", "choose one of"),
        ("BOT_PRESHIFT_MINUTES", "2", "between 5 and 240"),
        ("BOT_ANON_K", "2", "at least 3"),
    ],
)
def test_a_bad_value_is_named_with_what_is_wrong(variable: str, value: str, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({variable: value}, env_file=None)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{variable}={value!r}: ")
    assert says in problem


def test_all_bad_values_are_reported_together() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(
            {"BOT_ADMINS": "x", "BOT_TIMEZONE": "Nowhere", "BOT_LOCALE": "de"}, env_file=None
        )
    assert [p.split("=")[0] for p in caught.value.problems] == [
        "BOT_ADMINS",
        "BOT_TIMEZONE",
        "BOT_LOCALE",
    ]


def test_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        '# comment\nBOT_LOCALE=en\nexport BOT_ADMINS="5,6"\nBOT_DB=from-file.sqlite3\n'
    )
    settings = load_settings({"BOT_DB": "from-env.sqlite3"}, env_file=env_file)
    assert settings.locale == "en"
    assert settings.admins == frozenset({5, 6})
    assert settings.db_path == Path("from-env.sqlite3")


@pytest.mark.parametrize(
    ("base", "files"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://10.0.0.5:8081/bot", "http://10.0.0.5:8081/file/bot"),
        (
            "https://proxy.example.org/tg/bot{token}/",
            "https://proxy.example.org/tg/file/bot{token}/",
        ),
    ],
)
def test_file_downloads_come_from_the_matching_file_path(base: str, files: str) -> None:
    assert file_url_for(base) == files


def test_the_command_line_refuses_bad_settings_in_plain_words(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "migrate"],
        cwd=ROOT,
        env={"BOT_ADMINS": "abc", "BOT_DB": str(tmp_path / "x.sqlite3"), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "BOT_ADMINS='abc'" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_every_sub_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for command in ("run", "sim", "db"):
        assert command in result.stdout


def test_every_variable_is_documented() -> None:
    names = set(re.findall(r'read\("(BOT_[A-Z_]+)"', (ROOT / "bot" / "config.py").read_text()))
    assert len(names) >= 13
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    for name in names:
        assert f"\n{name}=" in example, f"{name} is missing from .env.example"
        assert f"`{name}`" in readme, f"{name} is missing from the README's configuration table"
    assert load_settings({}, env_file=ROOT / ".env.example") == Settings()
