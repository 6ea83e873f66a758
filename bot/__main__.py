"""The command line: `python -m bot --help` lists every sub-command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings

SIM_DB = Path("data/simulator.sqlite3")


def configure_logging(level: str, file: Path | None = None) -> None:
    handler: logging.Handler
    if file is None:
        handler = logging.StreamHandler()
    else:
        file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(file, encoding="utf-8")
    logging.basicConfig(
        level=level,
        handlers=[handler],
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    quiet_talkative_libraries(level)


def quiet_talkative_libraries(level: str) -> None:
    """Keep what people typed, and the bot token, out of the log at every level."""
    floor = max(logging.INFO, logging.getLevelName(level))
    # httpx logs every request URL at INFO, and the URL carries the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # Below INFO, python-telegram-bot logs whole updates and aiosqlite logs each
    # statement with its parameters: names, and later concerns.
    logging.getLogger("telegram").setLevel(floor)
    logging.getLogger("aiosqlite").setLevel(floor)
    logging.getLogger("tornado.access").setLevel(logging.WARNING)


def parser() -> argparse.ArgumentParser:
    from bot.app import FEATURES

    what = "\n".join(f"  - {feature.summary}" for feature in FEATURES if feature.summary)
    top = argparse.ArgumentParser(
        prog="python -m bot",
        description=f"Shiftmate, a Telegram bot for a plant's workforce. What it does:\n{what}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run", help="run the bot (long polling; the simulator when BOT_TOKEN is unset)"
    )
    run.add_argument(
        "--webhook",
        action="store_true",
        help="receive updates on a webhook (BOT_WEBHOOK_URL) instead of polling",
    )
    sim = commands.add_parser(
        "sim", help="chat with the bot in this terminal against a fake Telegram and a demo plant"
    )
    sim.add_argument(
        "--db", type=Path, default=SIM_DB, help=f"the simulator's database (default {SIM_DB})"
    )
    sim.add_argument(
        "--fresh",
        action="store_true",
        help="start again from the demo plant, forgetting earlier sessions",
    )
    sim.add_argument(
        "--script", type=Path, help="read console lines from this file instead of the terminal"
    )
    content = commands.add_parser("content", help="the curated content in BOT_CONTENT_DIR")
    content_commands = content.add_subparsers(
        dest="content_command", required=True, metavar="ACTION"
    )
    content_commands.add_parser(
        "check", help="check every content file; list each problem with its file and line"
    )
    analysis = commands.add_parser(
        "analysis", help="the staff-mood analysis of anonymous messages and mood taps for a month"
    )
    analysis.add_argument("--month", required=True, help="the month, as YYYY-MM (e.g. 2026-10)")
    export = commands.add_parser("export", help="export anonymous records for another system")
    export_commands = export.add_subparsers(dest="export_what", required=True, metavar="WHAT")
    concerns = export_commands.add_parser(
        "concerns", help="anonymous messages (schema: docs/concerns-export.schema.json)"
    )
    concerns.add_argument("--since", required=True, help="the first day, as YYYY-MM-DD")
    concerns.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    concerns.add_argument("--output", type=Path, help="write to this file instead of stdout")
    faq = commands.add_parser("faq", help="policy questions: ask the FAQ, evaluate it, its gaps")
    faq_commands = faq.add_subparsers(dest="faq_command", required=True, metavar="ACTION")
    ask = faq_commands.add_parser("ask", help="what the FAQ in BOT_CONTENT_DIR answers a question")
    ask.add_argument("question")
    ask.add_argument("--top", type=int, default=3)
    ask.add_argument("--faq", type=Path, help="a FAQ in the benchmark's JSON Lines format instead")
    evaluate = faq_commands.add_parser(
        "eval", help="hit@1, hit@3, MRR, confidence and speed on a question set (JSON Lines)"
    )
    evaluate.add_argument("--faq", type=Path, required=True)
    evaluate.add_argument("--queries", type=Path, required=True)
    evaluate.add_argument("--json", action="store_true")
    faq_commands.add_parser(
        "gaps", help="questions without a good answer and down-voted answers, grouped, with counts"
    )
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("migrate", help="apply pending migrations to BOT_DB")
    backup = db_commands.add_parser(
        "backup", help="copy BOT_DB consistently, even while the bot runs"
    )
    backup.add_argument("file", type=Path, help="where to write the copy")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as err:
        print("Shiftmate cannot start; fix these settings (see .env.example):", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    if args.command == "run":
        return run(settings, webhook=args.webhook)
    if args.command == "sim":
        return simulate(settings, args.db, fresh=args.fresh, script=args.script)
    if args.command == "db":
        return database(settings, args)
    if args.command == "content":
        return check_content(settings)
    if args.command == "faq":
        from bot.faq import cli as faq_cli

        return faq_cli.main(settings, args)
    if args.command in ("analysis", "export"):
        from bot.concerns import cli

        return cli.main(settings, args)
    return 2


def check_content(settings: Settings) -> int:
    """Every problem in the content, errors and warnings, with file and line; 1 if any error."""
    from bot.app import FEATURES
    from bot.content import errors

    problems = [
        problem
        for feature in FEATURES
        if feature.content is not None
        for problem in feature.content(settings.content_dir)
    ]
    for problem in problems:
        print(problem)
    failed = errors(problems)
    warnings = len(problems) - len(failed)
    if failed:
        print(
            f"{len(failed)} errors, {warnings} warnings: fix the errors before the bot can start."
        )
        return 1
    print(f"Content in {settings.content_dir} is fine ({warnings} warnings).")
    return 0


def run(settings: Settings, *, webhook: bool) -> int:
    if settings.bot_token is None:
        if not sys.stdin.isatty():
            print(
                "BOT_TOKEN is not set. Set it (see .env.example), or run `python -m bot sim` to try the simulator.",
                file=sys.stderr,
            )
            return 2
        print(
            "BOT_TOKEN is not set, so here is the simulator: the real bot against a fake Telegram.\n"
        )
        return simulate(settings, SIM_DB, fresh=False, script=None)
    if webhook and settings.webhook_url is None:
        print("--webhook needs BOT_WEBHOOK_URL (see .env.example).", file=sys.stderr)
        return 2
    from bot.content import ContentError
    from bot.runner import serve

    configure_logging(settings.log_level)
    try:
        asyncio.run(serve(settings, webhook=webhook))
    except ContentError as err:
        print_content_problems(err)
        return 2
    return 0


def print_content_problems(err: Exception) -> None:
    """The bot refuses to start on broken content: say where, so it can be fixed."""
    problems = getattr(err, "problems", [])
    print(
        f"Shiftmate cannot start: the content has {len(problems)} errors "
        "(fix them, then `python -m bot content check`):",
        file=sys.stderr,
    )
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


def simulate(settings: Settings, db_path: Path, *, fresh: bool, script: Path | None) -> int:
    from bot.sim.console import simulate as console

    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    configure_logging(settings.log_level, db_path.with_suffix(".log"))
    lines = script.read_text(encoding="utf-8").splitlines() if script else None
    from bot.content import ContentError

    try:
        asyncio.run(console(settings, db_path=db_path, script=lines))
    except KeyboardInterrupt:
        print("\nBye!")
    except ContentError as err:
        print_content_problems(err)
        return 2
    return 0


def database(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db.database import Database, backup

    if args.db_command == "migrate":

        async def migrate() -> int:
            db = await Database.open(settings.db_path, migrate=False)
            try:
                applied = await db.migrate()
                version = await db.schema_version()
            finally:
                await db.close()
            names = ", ".join(f"{m.version:04d}_{m.name}" for m in applied) or "nothing to apply"
            print(f"{settings.db_path}: {names}; schema version {version}")
            return 0

        return asyncio.run(migrate())
    try:
        backup(settings.db_path, args.file)
    except (FileNotFoundError, OSError) as err:
        print(f"Backup failed: {err}", file=sys.stderr)
        return 1
    print(f"Backed up {settings.db_path} to {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
