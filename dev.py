#!/usr/bin/env python3
"""Set up and run Shiftmate with nothing but Python 3.11+ and the package registries.

    python3 dev.py run     set up, then start the bot (the simulator when BOT_TOKEN is unset)
    python3 dev.py test    set up, then lint, type-check and run the whole test suite
    python3 dev.py i18n    re-extract messages.pot and merge it into every catalog

Set-up is idempotent: a virtual environment in .venv, the package installed
into it (again only when pyproject.toml changed), and the message catalogs
compiled. Standard library only, since it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".shiftmate-installed"
LOCALES = ROOT / "locales"


def extract_args(output: Path) -> list[str]:
    """pybabel's arguments for extracting messages.pot (the test for a stale .pot uses them too)."""
    return [
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "-o",
        str(output),
        "--no-location",
        "--sort-output",
        "--add-comments=TRANSLATORS:",
        "--project=Shiftmate",
        "--version=0.1",
        "--copyright-holder=Shiftmate",
        "--msgid-bugs-address=",
        "-k",
        "N_",
        str(ROOT / "bot"),
    ]


def python() -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    return VENV / folder / ("python.exe" if os.name == "nt" else "python")


def call(*args: str | Path) -> int:
    """Run a command in the foreground and return its exit status once it has finished.

    Ctrl-C at the terminal reaches the command as well as this script: the
    command decides how to stop (the bot shuts down cleanly, the simulator says
    Bye!) and this script waits for it, rather than killing it a quarter of a
    second later as `subprocess.call` does. The interruption is then raised
    here as KeyboardInterrupt, so nothing runs after it; `entry` turns it into
    a quiet exit.
    """
    interrupted = False

    def note(signum: int, frame: object) -> None:
        nonlocal interrupted
        interrupted = True

    # A Python handler, not SIG_IGN: the command must not inherit "ignore Ctrl-C".
    previous = signal.signal(signal.SIGINT, note)
    try:
        with subprocess.Popen([str(a) for a in args], cwd=ROOT) as process:
            status = process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupted:
        raise KeyboardInterrupt
    return status


def run(*args: str | Path) -> None:
    status = call(*args)
    if status != 0:
        raise subprocess.CalledProcessError(status, [str(a) for a in args])


def set_up(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs before the venv exists
        sys.exit(f"Shiftmate needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not python().exists():
        print("Creating the virtual environment in .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    installed = STAMP.read_text().split() if STAMP.exists() else []
    # Reinstall when pyproject.toml changed, or when extras are wanted that are not there yet.
    if installed[:1] != [digest] or (extras and extras not in installed[1:]):
        print("Installing Shiftmate and its dependencies …", flush=True)
        run(python(), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(python(), "-m", "pip", "install", "--quiet", "-e", f".{extras}")
        STAMP.write_text(" ".join([digest, extras] if extras else [digest]))
    run(
        python(),
        "-m",
        "babel.messages.frontend",
        "--quiet",
        "compile",
        "-d",
        LOCALES,
        "-D",
        "messages",
        "--use-fuzzy",
    )


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "run":
        set_up("")
        return call(python(), "-m", "bot", "run", *argv[1:])
    if command == "test":
        set_up("[test]")
        run(python(), "-m", "ruff", "check", ".")
        run(python(), "-m", "ruff", "format", "--check", ".")
        run(python(), "-m", "mypy")
        return call(python(), "-m", "pytest", *argv[1:])
    if command == "i18n":
        set_up("[test]")
        run(python(), "-m", "babel.messages.frontend", *extract_args(LOCALES / "messages.pot"))
        run(
            python(),
            "-m",
            "babel.messages.frontend",
            "update",
            "-i",
            "locales/messages.pot",
            "-d",
            LOCALES,
            "-D",
            "messages",
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        )
        run(python(), "tools/fill_en.py")
        print("Now translate the new entries in locales/zh_Hans and locales/zh_Hant.")
        return 0
    print(__doc__)
    return 2


def entry(argv: list[str]) -> int:
    """`main`, with the exit status a shell expects and no traceback for Ctrl-C or a failed step.

    The step that failed or was interrupted has already said why on the terminal.
    """
    try:
        return main(argv)
    except subprocess.CalledProcessError as err:
        # A step killed by a signal has a negative status; shells report 128 + the signal.
        return err.returncode if err.returncode >= 0 else 128 - err.returncode
    except KeyboardInterrupt:
        return 128 + signal.SIGINT


if __name__ == "__main__":
    sys.exit(entry(sys.argv[1:]))
