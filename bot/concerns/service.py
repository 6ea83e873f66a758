"""Anonymous concerns as a service: drafts in memory, submitting, alerts, notices, limits.

A draft lives in this process's memory only (`Concerns.drafts`), never in the
dialog data that is saved after every update, nor in a file or a log: if the
bot restarts, the draft is gone and the worker is told so. What is stored is
decided in `submit`, under the rules in docs/anonymity.md.
"""

from __future__ import annotations

import logging
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.concerns import sentiment
from bot.concerns.content import ConcernContent
from bot.concerns.export import Pusher
from bot.concerns.seal import Sealer, new_receipt, receipt_matches
from bot.db.concerns import ConcernRepository, NewConcern
from bot.services import Services

_LOGGER = logging.getLogger(__name__)

MAX_CHARS = 2000
DRAFT_MINUTES = 60  # a draft left alone this long is dropped from memory
URGENT_DAYS = 1  # an urgent concern is due to be answered by the next day
BY_CATEGORY = "category"  # urgent because of its category (safety), not its words


@dataclass
class Draft:
    """What a worker is writing, in memory only."""

    category: str | None = None
    text: str | None = None
    typed_message_id: int | None = None  # their own message, removed if they ask
    notify: bool = False
    remove: bool = False
    # A follow-up to an existing thread: its id and the reply key that opened it.
    thread: tuple[int, str] | None = None
    started: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Submitted:
    concern_id: int
    key: str  # goes into the 🧾 button, and nowhere else
    urgent: tuple[str, ...]
    helpline: bool


class OverLimit(Exception):
    """This person has sent as many concerns today as one day allows."""


def problem_with(text: str) -> str | None:
    """Why a concern's text cannot be taken: 'empty', 'long' or 'no_words'; None if fine."""
    stripped = text.strip()
    if not stripped:
        return "empty"
    if len(stripped) > MAX_CHARS:
        return "long"
    if not any(unicodedata.category(ch)[0] in "LN" for ch in stripped):
        return "no_words"
    return None


class Concerns:
    def __init__(self, services: Services, content: ConcernContent) -> None:
        self.services = services
        self.content = content
        self.repo = ConcernRepository(services.db)
        self.sealer = Sealer.from_file(services.settings.seal_key_path)
        self.drafts: dict[int, Draft] = {}  # by Telegram id; memory only
        sentiment.model()  # loaded now (about 0.3 s), not while the first worker waits
        self.alerting = False  # an alert round is running
        self.limits_day: date | None = None  # the day whose limit keys are current
        self.pusher: Pusher | None = (
            Pusher(self.repo, services.settings, services.clock)
            if services.settings.export_url
            else None
        )

    # -------------------------------------------------------------- drafts

    def draft(self, telegram_id: int) -> Draft | None:
        found = self.drafts.get(telegram_id)
        if found is not None and time.monotonic() - found.started > DRAFT_MINUTES * 60:
            del self.drafts[telegram_id]
            return None
        return found

    def start_draft(self, telegram_id: int, draft: Draft) -> Draft:
        self.drafts[telegram_id] = draft
        return draft

    def forget(self, telegram_id: int) -> None:
        self.drafts.pop(telegram_id, None)

    # ---------------------------------------------------------------- time

    def today(self) -> date:
        return self.services.today()

    # ------------------------------------------------------------- raising

    async def submit(
        self, telegram_id: int, team_id: int | None, chat_id: int, locale: str, draft: Draft
    ) -> Submitted:
        """Store a finished draft as an anonymous concern. Raises OverLimit, or the
        database's error (then nothing was stored and the draft is kept)."""
        assert draft.category is not None and draft.text is not None  # noqa: S101 - checked by the dialog
        today = self.today()
        if (
            await self.repo.sent_today(today, telegram_id)
            >= self.services.settings.concerns_per_day
        ):
            raise OverLimit
        category = self.content.category(draft.category)
        kinds = self.content.urgent_kinds(draft.text)
        urgent = kinds or ((BY_CATEGORY,) if category is not None and category.urgent else ())
        key, salt, digest = new_receipt()
        concern_id = await self.repo.create(
            NewConcern(
                day=today,
                category=draft.category,
                unit=await self.services.anonymous_unit(team_id),
                text=draft.text.strip(),
                urgent=urgent,
                due_on=today + timedelta(days=URGENT_DAYS) if urgent else None,
                sentiment=sentiment.score(draft.text),
                receipt_salt=salt,
                receipt_hash=digest,
                notify_sealed=self.seal(chat_id, locale) if draft.notify else None,
                export=self.services.settings.export_url is not None,
            )
        )
        try:
            await self.repo.count_toward_limit(today, telegram_id)
        except Exception as err:  # the concern is stored; a missed count must not undo that
            _LOGGER.warning(
                "Could not count a concern toward the daily limit: %s", type(err).__name__
            )
        helpline = any(k.helpline for k in self.content.kinds if k.id in kinds)
        return Submitted(concern_id, key, urgent, helpline)

    def seal(self, chat_id: int, locale: str) -> bytes:
        return self.sealer.seal_target(chat_id, locale)

    async def opens(self, concern_id: int, key: str) -> bool:
        """Whether a reply key opens this thread (the same work whether it exists or not)."""
        return receipt_matches(key, await self.repo.receipt(concern_id))
