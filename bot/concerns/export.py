"""Anonymous records for an external sentiment-analysis system: the export file and the push.

The record is the one in docs/concerns-export.schema.json: no person, no time
finer than the day, a record id that is not the concern's id (so the external
system cannot match it with a reply-key button), and the concern's own text.

The push (when BOT_EXPORT_URL is set) sends new records in batches of at most
50, in random order, at most every `PUSH_MINUTES`, so the receiving system
learns no more about when a concern arrived than the day. Each batch is signed
with HMAC-SHA256 of the body under BOT_EXPORT_SECRET in `X-Shiftmate-Signature`.
A record leaves the durable queue (`concern_outbox`) when the endpoint answers
2xx; failures and time-outs are retried with back-off. It runs in the
feature's tick, never in a worker's dialog.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import logging
import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import httpx

from bot.clock import Clock
from bot.config import Settings
from bot.db.concerns import Concern, ConcernRepository

_LOGGER = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FIELDS = (
    "schema_version",
    "record_id",
    "day",
    "category",
    "unit_kind",
    "unit_id",
    "urgent",
    "urgent_kinds",
    "status",
    "answered_on",
    "sentiment",
    "text",
)
PUSH_MINUTES = 10
BATCH = 50
MAX_BACKOFF = timedelta(hours=1)
SIGNATURE_HEADER = "X-Shiftmate-Signature"


def record_id(concern_id: int, pepper: bytes) -> str:
    """A stable id for the external system that cannot be turned back into the concern's id."""
    return hmac.new(pepper, str(concern_id).encode(), hashlib.sha256).hexdigest()[:20]


def record(concern: Concern, text: str, pepper: bytes) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "record_id": record_id(concern.id, pepper),
        "day": concern.day.isoformat(),
        "category": concern.category,
        "unit_kind": concern.unit_kind,
        "unit_id": concern.unit_id,
        "urgent": bool(concern.urgent),
        "urgent_kinds": list(concern.urgent),
        "status": concern.status,
        "answered_on": concern.answered_on.isoformat() if concern.answered_on else None,
        "sentiment": round(concern.sentiment, 3),
        "text": text,
    }


def write_jsonl(records: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)


def write_csv(records: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow(
            {
                **r,
                "urgent": "true" if r["urgent"] else "false",
                "urgent_kinds": ",".join(r["urgent_kinds"]),
                "answered_on": r["answered_on"] or "",
            }
        )
    return out.getvalue()


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Pusher:
    """Drains `concern_outbox` to BOT_EXPORT_URL, signed, in batches, with back-off."""

    def __init__(
        self,
        repo: ConcernRepository,
        settings: Settings,
        clock: Clock,
        pepper: bytes = b"",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._repo = repo
        self._settings = settings
        self._clock = clock
        self.pepper = pepper
        self._transport = transport
        self._next: datetime | None = None  # no push before this
        self._failures = 0

    async def push_due(self) -> int:
        """Push one batch if it is time; the number of records the endpoint acknowledged."""
        now = self._clock.now()
        if self._next is not None and now < self._next:
            return 0
        ids = await self._repo.outbox(BATCH)
        if not ids:
            self._next = now + timedelta(minutes=PUSH_MINUTES)
            return 0
        random.shuffle(ids)
        if not self.pepper:
            self.pepper = await self._repo.export_pepper()
        records = [record(c, text, self.pepper) for c, text in await self._repo.by_ids(ids)]
        body = json.dumps({"records": records}, ensure_ascii=False, sort_keys=True).encode()
        if await self._post(body):
            await self._repo.pushed(ids)
            self._failures = 0
            self._next = now + timedelta(minutes=PUSH_MINUTES) if len(ids) < BATCH else now
            return len(ids)
        await self._repo.push_failed(ids)
        self._failures += 1
        self._next = now + min(timedelta(seconds=30 * 2 ** (self._failures - 1)), MAX_BACKOFF)
        return 0

    async def _post(self, body: bytes) -> bool:
        url, secret = self._settings.export_url, self._settings.export_secret or ""
        if url is None:
            return False
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)}
        try:
            async with httpx.AsyncClient(transport=self._transport, timeout=10.0) as client:
                response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as err:
            _LOGGER.warning("Export push failed: %s; retrying later", type(err).__name__)
            return False
        if 200 <= response.status_code < 300:
            return True
        _LOGGER.warning("Export push refused with HTTP %s; retrying later", response.status_code)
        return False
