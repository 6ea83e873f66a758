"""The simulator: what a newcomer sees after the README's run command."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from bot.config import Settings
from bot.sim.console import simulate

ROOT = Path(__file__).resolve().parents[2]


async def run_script(tmp_path: Path, lines: list[str]) -> str:
    out = io.StringIO()
    await simulate(Settings(), db_path=tmp_path / "sim.sqlite3", script=lines, out=out)
    return out.getvalue()


async def test_admin_creates_a_team_and_people_join_in_each_language(tmp_path: Path) -> None:
    transcript = await run_script(
        tmp_path,
        [
            ":as admin",
            "/start",
            ":k1",  # 🛠 管理
            ":1",  # workshops and teams
            ":4",  # new workshop
            "码头车间",
            ":1",  # new team
            "装船班",
            ":2",  # invite QR code
            ":as zhang",
            ":open",
            ":1",  # 简体中文
            ":1",  # use the Telegram name
            ":2",  # temporary staff
            ":k1",  # 📋 my data
            ":as wing",
            ":open",
            ":2",  # 繁體中文
            ":1",
            ":1",
            ":as sam",
            ":open",
            ":3",  # English
            "Sam T.",
            ":1",
            ":k1",  # My data
            "/leave",
            ":1",  # yes, delete
            ":k1",  # no keyboard any more
            ":quit",
        ],
    )
    assert "🏭 码头车间" in transcript
    assert "👥 装船班" in transcript
    assert "📎 file saved:" in transcript and (tmp_path / "sim-files").is_dir()
    assert "欢迎加入班组“装船班 · 码头车间”" in transcript  # zhang, simplified
    assert "用工类型：临时工" in transcript
    assert (
        "歡迎加入班組「装船班 · 码头车间」" in transcript
    )  # wing reads traditional; names stay as written
    assert "Welcome to the team 装船班 · 码头车间, Sam T.!" in transcript
    assert "Name: Sam T." in transcript
    assert "Your data has been deleted." in transcript
    assert "There is no such keyboard button." in transcript
    assert "Traceback" not in transcript


async def test_the_simulator_keeps_its_plant_between_sessions(tmp_path: Path) -> None:
    await run_script(tmp_path, [":as admin", "/start", ":quit"])
    again = await run_script(tmp_path, [":as admin", "/start", ":k1", ":quit"])
    assert again.count("3 个车间") == 1  # seeded once, not twice


def test_the_run_command_without_a_token_opens_the_simulator(tmp_path: Path) -> None:
    """What `python3 dev.py run` ends in on a fresh machine: a terminal, no BOT_TOKEN."""
    main, child = pty.openpty()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "TERM": "dumb"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(ROOT)},
        stdin=child,
        stdout=child,
        stderr=child,
    )
    os.close(child)
    seen = b""
    deadline = time.monotonic() + 30
    try:
        while b"Type :open" not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.5)
            if ready:
                seen += os.read(main, 65536)
        os.write(main, b":quit\n")
        process.wait(15)
        while select.select([main], [], [], 0.2)[0]:
            try:
                seen += os.read(main, 65536)
            except OSError:
                break
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main)
    text = seen.decode(errors="replace")
    assert "BOT_TOKEN is not set, so here is the simulator" in text
    assert "You are now zhang" in text
    assert process.returncode == 0
    assert (tmp_path / "data" / "simulator.sqlite3").exists()


def test_the_run_command_without_a_token_and_without_a_terminal_explains_itself(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env={"PATH": "", "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "BOT_TOKEN is not set" in result.stderr
