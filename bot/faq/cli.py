"""`python -m bot faq ask|eval|gaps`: the FAQ from the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.config import Settings
from bot.content import ContentError
from bot.faq import content, evaluate
from bot.faq.service import build, group_gaps


def main(settings: Settings, args: argparse.Namespace) -> int:
    if args.faq_command == "eval":
        argv = ["eval", "--faq", str(args.faq), "--queries", str(args.queries)]
        return evaluate.main([*argv, "--json"] if args.json else argv)
    if args.faq_command == "ask":
        if args.faq is not None:
            return evaluate.main(
                ["ask", args.question, "--faq", str(args.faq), "--top", str(args.top)]
            )
        return ask(settings, args.question, args.top)
    return gaps(settings)


def ask(settings: Settings, question: str, top: int) -> int:
    """The shipped FAQ's best matches for a question, with the confidence the bot would act on."""
    try:
        library = build(content.Faq.load(settings.content_dir))
    except ContentError as err:
        print(f"The FAQ has errors; run `python -m bot content check`:\n{err}", file=sys.stderr)
        return 2
    matches = library.engine.search(question, top=max(top, 2))  # confidence needs the runner-up
    confidence = library.engine.confidence(matches, question)
    matches = matches[:top]
    print(f"confidence: {confidence.name.lower()}")
    for rank, match in enumerate(matches, start=1):
        entry = library.entries[match.id]
        print(f"{rank}. {match.id}  {match.score:.3f}  {entry.text('zh_Hans').question}")
    if not matches:
        print("no match")
    return 0


def gaps(settings: Settings) -> int:
    """Questions with no good answer and down-voted answers, similar ones grouped, with counts."""
    if not settings.db_path.exists():
        print(f"No database at {settings.db_path} (set BOT_DB).", file=sys.stderr)
        return 2

    async def read() -> list[str]:
        from bot.clock import SystemClock
        from bot.db.database import Database
        from bot.db.faq import FaqRepository

        db = await Database.open(settings.db_path)
        try:
            found = await FaqRepository(db, SystemClock()).open_gaps()
        finally:
            await db.close()
        return [
            f"{g.count:>4} × {g.example}   [{', '.join(g.locales)}]"
            + (f"  (closest: {g.best_entry})" if g.best_entry else "")
            for g in group_gaps(found)
        ]

    lines = asyncio.run(read())
    print("\n".join(lines) if lines else "No open gaps: every question had a good answer.")
    return 0
