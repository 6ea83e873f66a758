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


def run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


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
        return subprocess.call([str(python()), "-m", "bot", "run", *argv[1:]], cwd=ROOT)
    if command == "test":
        set_up("[test]")
        run(python(), "-m", "ruff", "check", ".")
        run(python(), "-m", "ruff", "format", "--check", ".")
        run(python(), "-m", "mypy")
        return subprocess.call([str(python()), "-m", "pytest", *argv[1:]], cwd=ROOT)
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


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as err:
        sys.exit(err.returncode)
