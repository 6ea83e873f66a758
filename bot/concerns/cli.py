"""`python -m bot analysis --month YYYY-MM` and `python -m bot export concerns …`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date

from bot.concerns import analysis, content, export
from bot.concerns.service import Concerns
from bot.config import Settings
from bot.services import Services


def main(settings: Settings, args: argparse.Namespace) -> int:
    try:
        if args.command == "analysis":
            period = analysis.Period.month(args.month)
        else:
            since = date.fromisoformat(args.since)
    except ValueError as err:
        print(f"{err}", file=sys.stderr)
        return 2
    if not settings.db_path.exists():
        print(f"No database at {settings.db_path} (set BOT_DB).", file=sys.stderr)
        return 2

    async def run() -> str:
        services = await Services.start(settings)
        try:
            concerns = Concerns(services, content.ConcernContent.load(settings.content_dir))
            if args.command == "analysis":
                return analysis.render(await analysis.analyse(concerns, period))
            found = await concerns.repo.between(since, date.max)
            pepper = await concerns.repo.export_pepper()
            records = [export.record(c, text, pepper) for c, text in found]
            return (export.write_jsonl if args.format == "jsonl" else export.write_csv)(records)
        finally:
            await services.close()

    text = asyncio.run(run())
    if args.command == "export" and args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    return 0
