"""The simulator: what a newcomer sees after the README's run command."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock, JumpTicker, ShiftedClock
from bot.config import SHIPPED_CONTENT, Settings
from bot.preshift.bank import Bank
from bot.sim import chats
from bot.sim.console import simulate

ROOT = Path(__file__).resolve().parents[2]


async def run_script(tmp_path: Path, lines: list[str], clock: ShiftedClock | None = None) -> str:
    out = io.StringIO()
    await simulate(
        Settings(),
        db_path=tmp_path / "sim.sqlite3",
        script=lines,
        out=out,
        ticker=JumpTicker(),
        clock=clock,
    )
    return out.getvalue()


# Mid-morning in the plant (10:00 in Shanghai): a walk that moves the plant's clock on
# 35 minutes stays within one day, whatever time the tests run at.
MORNING = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


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
            ":k1",  # My info
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
    assert "我是：临时工" in transcript
    assert (
        "歡迎加入班組「装船班 · 码头车间」" in transcript
    )  # wing reads traditional; names stay as written
    assert "Welcome to the team 装船班 · 码头车间, Sam T.!" in transcript
    assert "Name: Sam T." in transcript
    assert "Your info has been deleted." in transcript
    assert "There is no such keyboard button." in transcript
    assert "Traceback" not in transcript


async def test_the_simulator_keeps_its_plant_between_sessions(tmp_path: Path) -> None:
    await run_script(tmp_path, [":as admin", "/start", ":quit"])
    again = await run_script(tmp_path, [":as admin", "/start", ":k1", ":quit"])
    assert again.count("3 个车间") == 1  # seeded once, not twice


def roster_line(transcript: str, key: str) -> str:
    """The line about `key` in the roster printed at start-up, before the first console line."""
    banner = transcript.split("\n> ", 1)[0]
    lines = [line for line in banner.splitlines() if line[3:].startswith(f"{key} ")]
    assert len(lines) == 1, banner
    return lines[0]


async def test_a_restart_keeps_who_has_joined_and_what_each_app_shows(tmp_path: Path) -> None:
    """Restarting the simulator is restarting the bot: people's Telegram apps stay as they were."""
    first = await run_script(
        tmp_path,
        [
            ":open",  # zhang joins 甲班 as temporary staff
            ":1",
            ":1",
            ":2",
            ":new bob en",  # someone added in this session
            ":open",
            ":as sam",  # sam stops halfway, at the name question
            ":open",
            ":3",
            ":quit",
        ],
    )
    assert "not joined yet" in roster_line(first, "zhang")
    assert "Try it: you are zhang" in first

    second = await run_script(
        tmp_path, [":who", ":as zhang", ":k1", ":as sam", ":1", ":as bob", ":1", ":quit"]
    )
    banner, *answers = second.split("\n> ")
    assert "Welcome back" in banner and "Try it" not in banner
    zhang = roster_line(second, "zhang")
    assert "joined 甲班 · 制盐一车间 as temporary staff" in zhang
    assert "not joined yet" not in zhang
    assert "leader of 甲班 · 制盐一车间" in roster_line(second, "leader")
    assert "not joined yet" in roster_line(second, "wing")
    assert "bob" in banner  # people added with :new come back too
    assert "── You are now sam" in banner  # whom the last session was acting as
    # Each answer is the console line, then what came back. The bot's wording is
    # not checked here, only that it answered, and to what.
    k1, sam_taps, bob_taps = (a for a in answers if a.startswith((":k1\n", ":1\n")))
    assert "\n🤖 " in k1 and "1003" in k1  # zhang's data, without a /start first
    assert "There is no such keyboard button" not in second
    assert "Sam Taylor" in sam_taps.split("\n", 1)[1]  # sam's name step, from the last session
    assert "bob" in bob_taps.split("\n", 1)[1]  # bob's language step, likewise
    assert "no button" not in second and "has no message with buttons" not in second
    assert "Traceback" not in second

    # What was said in the second session is kept as well, the old messages included.
    saved = chats.load(tmp_path / "sim-chats.json")
    assert saved is not None and saved.current == "bob"
    sam = next(p for p in saved.people if p.key == "sam")
    ids = [m["message_id"] for m in sam.messages]
    assert ids == sorted(set(ids)), "a restored chat numbers its new messages after the old ones"


# zhang, as a chat file written by hand would have him: a keyboard, no messages.
ZHANG = {
    "key": "zhang",
    "id": 1003,
    "first_name": "张",
    "last_name": "伟",
    "language_code": "zh-hans",
    "started": True,
    "blocked": False,
    "keyboard": {"keyboard": [["/help"]]},
    "last_message_id": 3,
    "messages": [],
}


def chat_file_with(*people: dict[str, object], version: int = chats.VERSION) -> bytes:
    data = {"format": chats.FORMAT, "version": version, "current": "zhang", "people": people}
    return json.dumps(data).encode()


async def test_a_chat_file_written_by_hand_is_read(tmp_path: Path) -> None:
    """The good twin of the damaged files below: what each of them breaks is all that is wrong."""
    await run_script(tmp_path, [":quit"])
    (tmp_path / "sim-chats.json").write_bytes(chat_file_with(ZHANG))
    transcript = await run_script(tmp_path, [":k1", ":quit"])
    assert "Ignored" not in transcript
    assert "[k1] /help" in transcript
    assert "There is no such keyboard button" not in transcript


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b"[]",
        chat_file_with(ZHANG, version=0),
        chat_file_with({}),
        chat_file_with(ZHANG | {"keyboard": {"keyboard": [[{"no_text": 1}]]}}),
        chat_file_with(ZHANG | {"last_message_id": 10**12}),
        chat_file_with(ZHANG, ZHANG | {"key": "zhang2"}),
    ],
    ids=[
        "not-json",
        "not-utf8",
        "not-an-object",
        "old-version",
        "no-fields",
        "bad-keyboard",
        "absurd-message-number",
        "same-person-twice",
    ],
)
async def test_an_unusable_chat_file_is_ignored_with_one_line(
    tmp_path: Path, content: bytes
) -> None:
    await run_script(tmp_path, [":quit"])  # a plant, so the file is not dropped as stale
    chat_file = tmp_path / "sim-chats.json"
    chat_file.write_bytes(content)
    transcript = await run_script(tmp_path, [":k1", ":quit"])
    notes = [line for line in transcript.splitlines() if "Ignored" in line]
    assert len(notes) == 1 and str(chat_file) in notes[0], transcript
    assert "There is no such keyboard button" in transcript  # the chats started empty
    assert "Traceback" not in transcript
    assert chats.load(chat_file) is not None  # and the session wrote a good file again


async def test_fresh_forgets_the_chats_with_the_plant(tmp_path: Path) -> None:
    """`python -m bot sim --fresh` starts over: old chats would show buttons of another plant."""
    script = tmp_path / "lines.txt"
    db = tmp_path / "data" / "sim.sqlite3"

    def session(*options: str) -> str:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot",
                "sim",
                "--db",
                str(db),
                "--script",
                str(script),
                *options,
            ],
            cwd=tmp_path,
            env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    out = io.StringIO()
    await simulate(
        Settings(),
        db_path=db,
        script=[":open", ":1", ":1", ":2", ":quit"],
        out=out,
        ticker=JumpTicker(),
    )
    assert (tmp_path / "data" / "sim-chats.json").exists()
    script.write_text(":k1\n:quit\n", encoding="utf-8")
    again = session("--fresh")
    assert "Try it: you are zhang" in again and "Welcome back" not in again
    assert "not joined yet" in roster_line(again, "zhang")
    assert "There is no such keyboard button" in again


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


def read_until(fd: int, needle: bytes, seen: bytes = b"") -> bytes:
    """Read `fd` until `needle` shows up; the deadline only keeps a broken test from hanging."""
    deadline = time.monotonic() + 60
    while needle not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError(f"{needle!r} never came; got {seen.decode(errors='replace')}")
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # a pty whose other end has closed
            chunk = b""
        if not chunk:
            raise AssertionError(f"{needle!r} never came; got {seen.decode(errors='replace')}")
        seen += chunk
    return seen


def test_ctrl_c_leaves_the_simulator_at_once_and_keeps_the_chats(tmp_path: Path) -> None:
    """Ctrl-C while the simulator waits for a line: no wait for Enter, no traceback."""
    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "sim", "--db", str(tmp_path / "sim.sqlite3")],
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "TERM": "dumb"},
        stdin=child,
        stdout=child,
        stderr=child,
        start_new_session=True,  # its own process group, as a job in a terminal has
    )
    os.close(child)
    try:
        seen = read_until(main, b"Send /start to begin.)")
        seen = read_until(main, b"> ", seen)  # waiting for a line
        os.killpg(process.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        seen = read_until(main, b"Bye!", seen)
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main)
    assert process.returncode == 0
    assert "Traceback" not in seen.decode(errors="replace")
    assert chats.load(tmp_path / "sim-chats.json") is not None


# A stand-in for the bot that dev.py runs: it stops on Ctrl-C only when the test says so.
COMMAND = """
import sys
try:
    print("ready", flush=True)  # inside the try: Ctrl-C may come as soon as this is out
    sys.stdin.read()
except KeyboardInterrupt:
    print("stopping", flush=True)
    sys.stdin.read()
    print("Bye!", flush=True)
"""
DEV = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import dev
dev.main = lambda argv: dev.call(sys.executable, "-c", {COMMAND!r})
sys.exit(dev.entry(sys.argv[1:]))
"""


def test_ctrl_c_in_dev_py_waits_for_the_bot_and_exits_quietly() -> None:
    """`python3 dev.py run`, then Ctrl-C: the bot stops in its own time, dev.py says nothing."""
    process = subprocess.Popen(
        [sys.executable, "-c", DEV, "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        seen = read_until(process.stdout.fileno(), b"ready\n")
        os.killpg(process.pid, signal.SIGINT)  # the terminal sends it to dev.py and the bot
        seen = read_until(process.stdout.fileno(), b"stopping\n", seen)
        assert process.poll() is None, "dev.py must wait for the bot, not kill it"
        out, err = process.communicate(b"", timeout=60)  # now the bot may finish
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert (seen + out).decode() == "ready\nstopping\nBye!\n"
    assert err == b"", err.decode(errors="replace")
    assert process.returncode == 130


async def test_pre_shift_study_on_time_late_and_absent(tmp_path: Path) -> None:
    """The issue's walk in the simulator: a leader starts it, zhang is on time, wing late, sam absent."""
    transcript = await run_script(
        tmp_path,
        clock=ShiftedClock(FakeClock(MORNING)),
        lines=[
            ":as zhang",
            ":open",
            ":1",  # 简体中文
            ":1",  # use the Telegram name
            ":1",  # regular staff
            ":as wing",
            ":open",
            ":2",  # 繁體中文
            ":1",
            ":1",
            ":as sam",
            ":open",
            ":3",  # English
            ":1",
            ":1",
            ":as leader",
            "/preshift",
            ":1",  # ▶️ start now
            ":as zhang",
            ":1",  # ▶️ start
            ":1",  # I've read the lesson
            ":1",  # three answers, right or wrong
            ":1",
            ":1",
            ":1",  # a face
            ":later 35",
            ":as wing",
            ":1",
            ":1",
            ":1",
            ":1",
            ":1",
            ":1",
            ":tomorrow",
            ":as leader",
            ":quit",
        ],
    )
    assert "今天的班前学习" in transcript  # zhang's session, in simplified Chinese
    assert "今天的班前學習" in transcript or "班前學習" in transcript  # wing's, traditional
    assert "(The plant's clock moves on 35 minutes" in transcript
    assert "算補學" in transcript  # wing finished after the window closed
    summary = transcript.rsplit("── You are now leader", 1)[1]
    assert "缺席" in summary and "Sam Taylor" in summary  # the summary names who missed it
    assert "Traceback" not in transcript


def wrong_on_purpose(out: io.StringIO, steps: list[str]) -> Iterator[str]:
    """Play `steps`; at each `:wrong`, read the question on screen and tap an option that is wrong.

    The console reads a script line by line, after the bot's replies to the line before are
    printed, so the script can look at the screen as a person would.
    """
    bank = Bank.load(SHIPPED_CONTENT)
    for step in steps:
        if step != ":wrong":
            yield step
            continue
        screen = out.getvalue().rsplit("❓ ", 1)[1]
        asked = screen.split("\n", 1)[0].split(" ", 1)[1]
        question = next(q for m in bank.modules for q in m.questions if q.ask["zh_Hans"] == asked)
        buttons = re.findall(r"\[(\d+)\] [A-D] ([^\[\n]+?)(?=\s{3}\[|\n|$)", screen)
        right = question.options[question.right].text["zh_Hans"]
        yield ":" + next(number for number, text in buttons if text.strip() != right)


async def test_a_scheduled_start_and_a_wrong_answer_that_comes_back(tmp_path: Path) -> None:
    """The leader sets a shift with taps; it starts by itself; tomorrow brings back what zhang got wrong."""
    out = io.StringIO()
    monday_nine = FakeClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))  # 09:00 in Shanghai
    steps = [
        ":as zhang",
        ":open",
        ":1",  # 简体中文
        ":1",  # use the Telegram name
        ":1",  # regular staff
        ":as leader",
        "/preshift",
        ":2",  # 🗓 shift schedule
        ":1",  # ➕ add a shift
        ":6",  # Saturday too
        ":7",  # and Sunday
        ":8",  # next
        ":11",  # 10 o'clock
        ":1",  # 10:00
        ":2",  # study opens 30 minutes before
        ":later 35",  # 09:35: the 09:30 start has fired by itself
        ":as zhang",
        ":1",  # ▶️ start
        ":1",  # I've read the lesson
        ":wrong",
        ":wrong",
        ":wrong",
        ":3",  # a face
        ":tomorrow",
        ":as zhang",
        ":1",  # ▶️ start
        ":1",  # I've read the lesson
        ":quit",
    ]
    await simulate(
        Settings(),
        db_path=tmp_path / "sim.sqlite3",
        script=wrong_on_purpose(out, steps),
        out=out,
        ticker=JumpTicker(),
        clock=ShiftedClock(monday_nine),
    )
    transcript = out.getvalue()
    assert "🗓 按班次自动开始。" in transcript  # the leader was told it started by itself
    assert transcript.count("❌ 不太对") == 3
    monday, tuesday = transcript.split("it is now Tue 03 Mar, 09:35", 1)
    assert "🔔 张伟，今天的班前学习" in tuesday  # Tuesday's start fired by itself too
    with sqlite3.connect(tmp_path / "sim.sqlite3") as db:
        wrong = {q for (q,) in db.execute("SELECT question_id FROM answers WHERE correct = 0")}
        (second,) = db.execute(
            "SELECT a.questions FROM attendance a JOIN study_sessions s ON s.id = a.session_id"
            " WHERE s.day = '2026-03-03' AND a.started_at IS NOT NULL"
        ).fetchone()
        waiting = {q for (q,) in db.execute("SELECT question_id FROM reviews")}
    assert len(wrong) == 3
    back = wrong & {q for q, _order in json.loads(second)}
    assert len(back) == 2  # two reviews a session, next to the day's new questions
    assert waiting == wrong  # none answered right yet: the third waits for another day
    asked_tuesday = tuesday.split("❓ 1/", 1)[1].split("\n", 1)[0].split(" ", 1)[1]
    bank = Bank.load(SHIPPED_CONTENT)
    first = next(q for m in bank.modules for q in m.questions if q.ask["zh_Hans"] == asked_tuesday)
    assert first.id in wrong  # and the first question on screen is one of them
    assert "Traceback" not in transcript


async def test_two_anonymous_messages_one_urgent_answered_and_answered_back(
    tmp_path: Path,
) -> None:
    """The issue's walk: zhang and sam raise messages, sam's is urgent and alerts the admin at
    once; the admin answers, sam is told, reads it with the reply key and answers back."""
    transcript = await run_script(
        tmp_path,
        [
            ":as admin",
            "/start",
            ":as zhang",
            ":open",
            ":1",  # 简体中文
            ":1",  # use the Telegram name
            ":1",  # regular staff
            "🔒 匿名反映",
            ":4",  # dormitory and canteen
            "宿舍三楼的热水坏了一个星期了",
            ":1",  # send
            ":as sam",
            ":open",
            ":3",  # English
            ":1",
            ":1",
            "🔒 Anonymous message",
            ":8",  # something else
            "There is a gas leak near pan 4, it smells very strong",
            ":2",  # tell me when there is an answer
            ":1",  # send
            ":as admin",
            ":1",  # 📥 open it, on the alert
            ":1",  # ✍️ answer
            "已经关闭阀门，维修工正在处理。谢谢提醒！",
            ":as sam",
            ":1",  # 🧾 open my reply key
            ":1",  # ✍️ add to it
            "Thank you, the smell is gone now",
            ":quit",
        ],
    )
    assert "Traceback" not in transcript
    before_admin = transcript.split("── You are now admin", 2)[2]
    assert "🚨" in before_admin and "There is a gas leak near pan 4" in before_admin
    assert "宿舍三楼" not in before_admin.split("已经关闭阀门")[0]  # not urgent: no alert for it
    sam_again = transcript.rsplit("── You are now sam", 1)[1]
    assert "An admin has answered your anonymous message" in sam_again
    assert "已经关闭阀门" in sam_again and "Added to your anonymous message" in sam_again


async def test_policy_questions_in_three_languages_a_guess_and_a_hand_off(tmp_path: Path) -> None:
    """Issue 8's walk: questions in simplified, traditional and English get their answers;
    a vague one gets "did you mean"; an unknown one is passed on, answered and listed."""
    transcript = await run_script(
        tmp_path,
        [
            ":as admin",
            "/start",
            ":as zhang",
            ":open",
            ":1",  # 简体中文
            ":1",
            ":1",
            "工资每个月几号发？",
            ":as wing",
            ":open",
            ":2",  # 繁體中文
            ":1",
            ":1",
            "年假有幾天",
            ":as sam",
            ":open",
            ":3",  # English
            ":1",
            ":1",
            "how many days of paid annual leave do I get",
            "overtime",
            "Where can I park my motorbike?",
            ":1",  # 🙋 ask the admins
            ":as admin",
            "/questions",
            ":1",  # sam's question
            ":1",  # ✍️ answer
            "摩托车请停在东门车棚。",
            ":as sam",
            ":as admin",
            "/gaps",
            ":quit",
        ],
    )
    assert "Traceback" not in transcript
    rest = transcript
    zhang = transcript.split("── You are now wing", 1)[0]
    assert "❓ 每个月几号发工资？" in zhang and "《中华人民共和国劳动法》第五十条" in zhang
    wing = rest.split("── You are now wing", 1)[1].split("── You are now sam", 1)[0]
    assert "❓ 帶薪年假有幾天？" in wing and "《職工帶薪年休假條例》" in wing
    sam = rest.split("── You are now sam", 1)[1].split("── You are now admin", 1)[0]
    assert "❓ How many days of paid annual leave do I get?" in sam
    assert "🤔 Did you mean one of these?" in sam  # "overtime" alone
    assert "I have no answer to that yet" in sam and "Passed on to the admins" in sam
    answered = rest.rsplit("── You are now sam", 1)[1]
    assert "An answer to your question" in answered and "摩托车请停在东门车棚。" in answered
    gaps = rest.rsplit("/gaps", 1)[1]
    assert "1 × Where can I park my motorbike?" in gaps


async def test_notices_to_one_team_and_to_everyone_read_corrected_and_recalled(
    tmp_path: Path,
) -> None:
    """Issue 9's walk: a notice to one team, another to everyone asking for "I have read
    it"; the admin sees the figures; one is corrected, the other recalled."""
    transcript = await run_script(
        tmp_path,
        [
            ":as admin",
            "/start",
            ":as sam",
            ":open",
            ":3",  # English
            ":1",
            ":1",
            ":as admin",
            "/announcements",
            ":1",  # ✍️ new notice
            "甲班：下午两点在3号盐池开会。",
            ":1",  # 👥 who gets it
            ":3",  # chosen teams
            ":1",  # 甲班, sam's team
            ":8",  # ✅ done
            ":8",  # 👁 preview
            ":1",  # ✅ yes, send it
            "/announcements",
            ":1",  # ✍️ new notice
            "周五食堂停业清洁。",
            ":2",  # ✅ ask for "I have read it"
            ":8",  # 👁 preview
            ":1",  # ✅ yes, send it
            ":as sam",
            ":1",  # ✅ I have read it
            ":as admin",
            "/announcements",
            ":2",  # the newest: the canteen
            ":2",  # ✏️ correct it everywhere
            "周六食堂停业清洁。",
            "/announcements",
            ":3",  # the first: the meeting
            ":2",  # 🗑 recall it everywhere
            ":1",  # yes, recall it
            ":quit",
        ],
    )
    assert "Traceback" not in transcript
    assert "已发给" in transcript  # the status message's result, in the admin's language
    sam = transcript.split("── You are now sam", 2)[2].split("── You are now admin", 1)[0]
    assert "周五食堂停业清洁。" in sam and "甲班：下午两点" in sam
    assert "Thank you: marked as read." in transcript
    assert "中有1人点了“我已读”" in transcript  # the status message follows the read
    assert "正在修改" in transcript and "正在从" in transcript
