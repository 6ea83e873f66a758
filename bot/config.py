"""Typed settings read from the environment (and an optional `.env` file beside it).

Every bad value is reported at once, one line per variable, so an operator fixes
the whole file in one go instead of restarting the bot once per typo.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

SUPPORTED_LOCALES: tuple[str, ...] = ("zh_Hans", "zh_Hant", "en")
# The curated content shipped beside the package (a checkout, or the image's /app).
SHIPPED_CONTENT = Path(__file__).resolve().parent.parent / "content"

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
_TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

T = TypeVar("T")


class ConfigError(Exception):
    """One or more environment variables hold values the bot cannot use."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment, already validated."""

    bot_token: str | None = None
    api_base_url: str = DEFAULT_API_BASE_URL
    db_path: Path = Path("data/shiftmate.sqlite3")
    admins: frozenset[int] = field(default_factory=frozenset)
    timezone_name: str = "Asia/Shanghai"
    locale: str = "zh_Hans"
    content_dir: Path = SHIPPED_CONTENT
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    invite_days: int = 180
    log_level: str = "INFO"
    preshift_minutes: int = 30
    anon_k: int = 5
    concerns_per_day: int = 3
    # Hours after an announcement went out before those who have not tapped
    # "I have read it" get one reminder.
    announcement_reminder_hours: int = 24
    # The external analysis system's endpoint for anonymous records (optional).
    export_url: str | None = None
    export_secret: str | None = None

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone_name)

    @property
    def seal_key_path(self) -> Path | None:
        """The key that seals "a reply is waiting" targets: beside the database, never in it."""
        if str(self.db_path) == ":memory:":
            return None
        return self.db_path.with_name(self.db_path.name + ".seal-key")

    @property
    def file_base_url(self) -> str:
        return file_url_for(self.api_base_url)


def file_url_for(api_base_url: str) -> str:
    """Telegram serves files from `/file/bot<token>/…` beside `/bot<token>/…`."""
    head, sep, tail = api_base_url.rpartition("/bot")
    return f"{head}/file{sep}{tail}"


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Read settings; values in the real environment win over the `.env` file."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    problems: list[str] = []

    def read(name: str, parse: Callable[[str], T], default: T) -> T:
        raw = values.get(name, "").strip()
        if not raw:
            return default
        try:
            return parse(raw)
        except ValueError as err:
            problems.append(f"{name}={raw!r}: {err}")
            return default

    settings = Settings(
        bot_token=read("BOT_TOKEN", _token, None),
        api_base_url=read("BOT_API_BASE_URL", _api_base_url, DEFAULT_API_BASE_URL),
        db_path=read("BOT_DB", Path, Settings.db_path),
        admins=read("BOT_ADMINS", _admins, frozenset()),
        timezone_name=read("BOT_TIMEZONE", _timezone, Settings.timezone_name),
        locale=read("BOT_LOCALE", _locale, Settings.locale),
        content_dir=read("BOT_CONTENT_DIR", Path, Settings.content_dir),
        webhook_url=read("BOT_WEBHOOK_URL", _https_url, None),
        webhook_secret=read("BOT_WEBHOOK_SECRET", _webhook_secret, None),
        webhook_listen=read("BOT_WEBHOOK_LISTEN", str, Settings.webhook_listen),
        webhook_port=read("BOT_WEBHOOK_PORT", _port, Settings.webhook_port),
        invite_days=read("BOT_INVITE_DAYS", _positive_days, Settings.invite_days),
        log_level=read("BOT_LOG_LEVEL", _log_level, Settings.log_level),
        preshift_minutes=read("BOT_PRESHIFT_MINUTES", _window, Settings.preshift_minutes),
        anon_k=read("BOT_ANON_K", _anon_k, Settings.anon_k),
        concerns_per_day=read("BOT_CONCERNS_PER_DAY", _positive_count, Settings.concerns_per_day),
        announcement_reminder_hours=read(
            "BOT_ANNOUNCEMENT_REMINDER_HOURS",
            _positive_count,
            Settings.announcement_reminder_hours,
        ),
        export_url=read("BOT_EXPORT_URL", _export_url, None),
        export_secret=read("BOT_EXPORT_SECRET", _webhook_secret, None),
    )
    if problems:
        raise ConfigError(problems)
    return settings


def _token(raw: str) -> str:
    if not _TOKEN_RE.match(raw):
        raise ValueError("expected a token from @BotFather, like 123456:ABC-DEF1234ghIkl-zyx57W2v")
    return raw


def _api_base_url(raw: str) -> str:
    parsed = urlparse(raw)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError("expected an http(s) URL such as https://api.telegram.org/bot")
    if "/bot" not in parsed.path:
        raise ValueError("the URL must end in /bot (the token is appended to it)")
    return raw


def _admins(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"{part!r} is not a Telegram user id (digits only, comma-separated)")
        ids.add(int(part))
    return frozenset(ids)


def _timezone(raw: str) -> str:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("unknown time zone; use an IANA name such as Asia/Shanghai") from None
    return raw


def _locale(raw: str) -> str:
    if raw not in SUPPORTED_LOCALES:
        raise ValueError(f"unsupported locale; choose one of {', '.join(SUPPORTED_LOCALES)}")
    return raw


def _https_url(raw: str) -> str:
    parsed = urlparse(raw)
    if parsed.scheme != "https" or not parsed.netloc:
        raise ValueError("Telegram only delivers webhooks to https:// URLs")
    return raw


def _webhook_secret(raw: str) -> str:
    if not _SECRET_RE.match(raw):
        raise ValueError("1-256 characters, only A-Z, a-z, 0-9, _ and -")
    return raw


def _port(raw: str) -> int:
    port = int(raw) if raw.isdigit() else -1
    if not 0 < port < 65536:
        raise ValueError("expected a TCP port number between 1 and 65535")
    return port


def _positive_days(raw: str) -> int:
    days = int(raw) if raw.isdigit() else 0
    if days <= 0:
        raise ValueError("expected a whole number of days, at least 1")
    return days


def _window(raw: str) -> int:
    minutes = int(raw) if raw.isdigit() else 0
    if not 5 <= minutes <= 240:
        raise ValueError("expected minutes between 5 and 240")
    return minutes


def _positive_count(raw: str) -> int:
    count = int(raw) if raw.isdigit() else 0
    if count <= 0:
        raise ValueError("expected a whole number, at least 1")
    return count


def _export_url(raw: str) -> str:
    parsed = urlparse(raw)
    loopback = parsed.hostname in ("127.0.0.1", "localhost", "::1")
    if not parsed.netloc or not (
        parsed.scheme == "https" or (parsed.scheme == "http" and loopback)
    ):
        raise ValueError("expected an https:// URL (http:// only on this machine, for testing)")
    return raw


def _anon_k(raw: str) -> int:
    k = int(raw) if raw.isdigit() else 0
    if k < 3:
        raise ValueError("expected a whole number of at least 3 (anonymous counts need company)")
    return k


def _log_level(raw: str) -> str:
    level = raw.upper()
    if level not in _LOG_LEVELS:
        raise ValueError(f"choose one of {', '.join(_LOG_LEVELS)}")
    return level
