"""The export for an external sentiment-analysis system: the file, its schema, the signed push."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import jsonschema

from bot.clock import FakeClock
from bot.concerns.export import SIGNATURE_HEADER, Pusher
from bot.concerns.service import Concerns
from bot.config import Settings
from bot.sim.harness import Harness
from tests.concerns.helpers import admin_at_hand, raise_concern, team_of

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "concerns-export.schema.json").read_text(encoding="utf-8"))


def export(settings: Settings, fmt: str) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "export",
            "concerns",
            "--since",
            "2026-01-01",
            "--format",
            fmt,
        ],
        cwd=ROOT,
        env={**os.environ, "BOT_DB": str(settings.db_path), "BOT_TOKEN": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


async def test_the_export_validates_against_its_schema_and_names_nobody(
    harness: Harness, settings: Settings
) -> None:
    await admin_at_hand(harness)
    workers = await team_of(harness, [41, 42])
    await raise_concern(workers[0], "Pay and benefits", "Night shift allowance is missing")
    await raise_concern(workers[1], "Safety", "A railing on the walkway is loose")
    lines = export(settings, "jsonl").splitlines()
    assert len(lines) == 2
    validator = jsonschema.Draft202012Validator(SCHEMA)
    records = [json.loads(line) for line in lines]
    for record in records:
        validator.validate(record)
    by_text = {r["text"]: r for r in records}
    assert by_text["A railing on the walkway is loose"]["urgent"] is True
    stored = {r["id"] for r in await harness.services.db.fetch_all("SELECT id FROM concerns")}
    assert not {r["record_id"] for r in records} & {str(i) for i in stored}
    assert all(set(r) == set(SCHEMA["properties"]) for r in records)  # nothing else rides along

    rows = list(csv.DictReader(io.StringIO(export(settings, "csv"))))
    assert len(rows) == 2
    for row in rows:  # the same record, typed back from its CSV text
        typed = {
            **row,
            "schema_version": int(row["schema_version"]),
            "unit_id": int(row["unit_id"]),
            "urgent": row["urgent"] == "true",
            "urgent_kinds": [k for k in row["urgent_kinds"].split(",") if k],
            "answered_on": row["answered_on"] or None,
            "sentiment": float(row["sentiment"]),
        }
        validator.validate(typed)


async def test_the_push_is_signed_retried_and_never_repeats_an_acknowledged_record(
    harness: Harness, settings: Settings
) -> None:
    workers = await team_of(harness, [43])
    secret = "push-secret-for-tests"
    received: list[bytes] = []
    answers = iter([503, 200, 200])

    def endpoint(request: httpx.Request) -> httpx.Response:
        body = request.read()
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert request.headers[SIGNATURE_HEADER] == expected
        status = next(answers)
        if status == 200:
            received.append(body)
        return httpx.Response(status)

    concerns = harness.services.get(Concerns)
    # The outbox is filled only when an endpoint is set: as if it had been set at start-up.
    concerns.services.settings = replace(
        settings, export_url="https://analysis.example/in", export_secret=secret
    )
    await raise_concern(workers[0], "A suggestion", "More shade near the salt pans")
    clock = FakeClock()
    pusher = Pusher(
        concerns.repo, concerns.services.settings, clock, transport=httpx.MockTransport(endpoint)
    )
    assert await pusher.push_due() == 0  # 503: kept, retried later
    assert await pusher.push_due() == 0  # backing off: not yet
    clock.advance(timedelta(seconds=31))
    assert await pusher.push_due() == 1
    (body,) = received
    (record,) = json.loads(body)["records"]
    jsonschema.Draft202012Validator(SCHEMA).validate(record)
    clock.advance(timedelta(hours=1))
    assert await pusher.push_due() == 0
    assert len(received) == 1  # acknowledged once, never sent again
    assert not await harness.services.db.fetch_all("SELECT * FROM concern_outbox")
