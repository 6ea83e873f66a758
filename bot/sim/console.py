"""`python -m bot sim`: chat with the real bot in a terminal, as any person in the plant.

The bot runs unchanged against the fake Telegram; this console plays the
people. Bot messages show with numbered buttons: type `:1` to tap button 1,
`:k1` for the first button of the keyboard under the chat, `:as leader` to
become someone else. Anything else you type is sent as a message.
"""

from __future__ import annotations

import asyncio
import codecs
import os
import sys
import threading
from collections.abc import AsyncIterator, Iterable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from bot.clock import ShiftedClock, Ticker
from bot.config import Settings
from bot.fake_telegram.fake import BotEvent, FakeTelegram, SimUser, StoredMessage
from bot.fake_telegram.users import Person, links_in, plain
from bot.services import Services
from bot.sim import chats
from bot.sim.demo import ADMIN_ID, PERSONAS, SEEDED_WORKERS, seed
from bot.sim.harness import Harness

HELP = """\
Console commands (anything else is sent to the bot as a message):
  :1, :2 …        tap that button on the newest message with buttons
  :k1, :k2 …      tap that button of the keyboard under the chat
  :open [LINK]    open an invite link, as scanning its QR code does (default: the latest, or 甲班's)
  :as NAME        act as another person          :who    the people, and where each stands
  :new NAME [LANG] a new person with that Telegram language (e.g. zh-hans, zh-tw, en)
  :sticker :photo :voice   send one of those instead of text
  :block :unblock          block or unblock the bot
  :later MINUTES  move the plant's clock on (pre-shift study closes, reminders go out)
  :tomorrow       move the plant's clock on to the same time tomorrow
  :help   this list          :quit   leave the simulator (Ctrl-C too)"""


FIRST_NEW_ID = 3005  # people added with :new; above the personas and the seeded workers


def full_name(user: SimUser) -> str:
    """张伟 and 王主任 are written together; Wing Chan is not."""
    if not user.last_name:
        return user.first_name
    joiner = " " if user.first_name.isascii() else ""
    return f"{user.first_name}{joiner}{user.last_name}"


async def standing(services: Services, telegram_id: int) -> str:
    """Where someone stands in the plant now, read from the bot's own records.

    Asked every time rather than remembered by the console: people join, move
    and leave during a session, and the database outlives the session.
    """
    member = await services.members.by_telegram_id(telegram_id)
    if member is None:
        if services.is_admin(telegram_id, None):
            return "has not opened the bot yet"
        return "not joined yet"
    parts = []
    # Admins from BOT_ADMINS say so in their description; this is for promoted ones.
    if telegram_id not in services.settings.admins and services.is_admin(telegram_id, member):
        parts.append("promoted to admin")
    led = await services.org.teams_led_by(member.id)
    if led:
        parts.append("leader of " + ", ".join(f"{t.name} · {t.workshop_name}" for t in led))
    if member.team_id is not None and member.team_id not in {t.id for t in led}:
        parts.append(f"joined {member.team_name} · {member.workshop_name}")
        if member.is_temporary:
            parts[-1] += " as temporary staff"
    return ", ".join(parts) if parts else "in no team"


class Console:
    def __init__(
        self, harness: Harness, files: Path, out: TextIO, chat_file: Path | None = None
    ) -> None:
        self.harness = harness
        self.files = files
        self.out = out
        self.chat_file = chat_file
        self.people: dict[str, Person] = {}
        self.current: Person | None = None
        self.last_link: str | None = None
        self._shown_keyboard: dict[int, list[str]] = {}
        self._shown_text: dict[tuple[int, int], str] = {}
        # The fake's last event when you stopped acting as each person: :as shows what changed since.
        self._left_at: dict[int, int] = {}
        self._save_failed = False
        harness.fake.subscribe(self._on_event)

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    # people

    def add(
        self, key: str, user_id: int, first: str, last: str | None, language: str | None
    ) -> Person:
        person = self.harness.person(user_id, first, last_name=last, language_code=language)
        self.people[key] = person
        return person

    async def who(self) -> None:
        for key, person in self.people.items():
            about = next((p.about for p in PERSONAS if p.key == key), "added with :new")
            status = await standing(self.harness.services, person.id)
            marker = "→" if person is self.current else " "
            self.say(f" {marker} {key:<8} {full_name(person.user)} — {about}; {status}")

    def _key_of(self, person: Person | None) -> str | None:
        return next((k for k, p in self.people.items() if p is person), None)

    # keeping each person's Telegram app between sessions

    def resume(self, saved: chats.SavedChats) -> str | None:
        """Put back everyone's chat as the last session left it; return whom it was acting as."""
        fake = self.harness.fake
        for person in saved.people:
            known = self.people.get(person.key)
            if known is None:
                if person.user_id in fake.users:
                    continue  # that id is someone else's now (the demo plant changed)
                self.add(
                    person.key,
                    person.user_id,
                    person.first_name,
                    person.last_name,
                    person.language_code,
                )
            elif known.id != person.user_id:
                continue
            chats.restore(fake, person)
        return saved.current if saved.current in self.people else None

    def save(self) -> None:
        """Write what each person's app shows; a failure is said once and play goes on."""
        if self.chat_file is None:
            return
        try:
            chats.save(self.chat_file, self.harness.fake, self.people, self._key_of(self.current))
        except OSError as err:
            if not self._save_failed:
                self.say(f"   (Cannot keep the chats in {self.chat_file}: {err.strerror or err})")
            self._save_failed = True

    # showing what the bot does

    def _on_event(self, event: BotEvent) -> None:
        if self.current is None or event.chat_id != self.current.id:
            if event.kind == "sent":
                key = next((k for k, p in self.people.items() if p.id == event.chat_id), None)
                if key is not None:
                    self.say(f"   📨 new message for {key} (type :as {key} to read it)")
                else:  # a seeded worker: someone you cannot act as
                    user = self.harness.fake.users.get(event.chat_id)
                    self.say(f"   📨 new message for {user.first_name if user else event.chat_id}")
            return
        if event.kind == "answered":
            if event.alert:
                self.say(f"   💬 {event.alert}")
            return
        if event.message is None or event.kind not in ("sent", "edited"):
            return
        self._show(event.message, edited=event.kind == "edited")

    def _show(self, message: StoredMessage, *, edited: bool) -> None:
        body = plain(message)
        key = (message.chat_id, message.message_id)
        if edited and self._shown_text.get(key) == body and not message.buttons:
            return  # only its buttons were taken away: nothing new to read
        self._shown_text[key] = body
        head = "✏️  (edited)" if edited else "🤖"
        self.say(f"{head} " + body.replace("\n", "\n   "))
        for link in links_in(body):
            self.last_link = link
        if "document" in message.media and message.file and message.file.body:
            path = self._save(
                message.media["document"].get("file_name") or message.file.file_id,
                message.file.body,
            )
            self.say(f"   📎 file saved: {path}")
        if message.buttons:
            labels = [f"[{i}] {b['text']}" for i, b in enumerate(message.buttons, start=1)]
            self.say("   " + "   ".join(labels))
        self._show_keyboard()

    def _changed_while_away(self, person: Person) -> list[StoredMessage]:
        """Messages in this person's chat sent or edited since you last acted as them (up to 3)."""
        since = self._left_at.get(person.id)
        if since is None:
            return []
        changed: dict[int, StoredMessage] = {}
        for event in self.harness.fake.events_since(since, person.id):
            if event.message is not None and event.kind in ("sent", "edited"):
                changed.pop(event.message.message_id, None)
                changed[event.message.message_id] = event.message
        return [m for m in changed.values() if not m.deleted][-3:]

    def _show_keyboard(self) -> None:
        """Show the keyboard under the chat when it is not the one shown last."""
        person = self._person()
        keyboard = person.keyboard
        if keyboard != self._shown_keyboard.get(person.id):
            self._shown_keyboard[person.id] = keyboard
            if keyboard:
                self.say(
                    "   ⌨  " + "   ".join(f"[k{i}] {b}" for i, b in enumerate(keyboard, start=1))
                )

    def _save(self, name: str, body: bytes) -> Path:
        self.files.mkdir(parents=True, exist_ok=True)
        path = self.files / Path(name).name
        path.write_bytes(body)
        return path

    # acting

    async def handle(self, line: str) -> bool:
        """Carry out one console line; False when it is time to leave."""
        line = line.strip()
        if not line:
            return True
        if not line.startswith(":"):
            await self._person().send(line)
            await self.harness.quiet()  # what the bot sends in the background lands first
            return True
        command, _, rest = line[1:].partition(" ")
        rest = rest.strip()
        if command in ("quit", "q", "exit"):
            return False
        if command == "help":
            self.say(HELP)
        elif command == "who":
            await self.who()
        elif command == "as":
            self._switch(rest)
        elif command == "new":
            await self._new(rest)
        elif command.isdigit():
            await self._tap(int(command))
            await self.harness.quiet()
        elif command.startswith("k") and command[1:].isdigit():
            await self._press(int(command[1:]))
        elif command == "open":
            await self._open(rest)
        elif command in ("later", "tomorrow"):
            await self._later(rest if command == "later" else str(24 * 60))
        elif command in ("sticker", "photo", "voice", "block", "unblock"):
            person = self._person()
            action = {
                "sticker": person.send_sticker,
                "photo": person.send_photo,
                "voice": person.send_voice,
                "block": person.block,
                "unblock": person.unblock,
            }[command]
            await action()
            if command in ("block", "unblock"):
                self.say(f"   ({person.name} has {command}ed the bot)")
        else:
            self.say(f"   Unknown console command :{command}. Type :help for the list.")
        return True

    def _person(self) -> Person:
        assert self.current is not None  # noqa: S101 - set before the first line
        return self.current

    def _switch(self, key: str) -> None:
        if key not in self.people:
            nobody = f"Nobody called {key!r}." if key else "Usage: :as NAME."
            self.say(f"   {nobody} Type :who for the list.")
            return
        if self.current is not None:
            self._left_at[self.current.id] = self.harness.fake.last_seq
        self.current = self.people[key]
        self.say(f"── You are now {key} ({full_name(self.current.user)}) ──")
        recent = self._changed_while_away(self.current) or self.current.bot_messages()[-1:]
        for message in recent:
            self._show(message, edited=False)
        if not recent:
            self._show_keyboard()
            self.say("   (No messages yet. Send /start to begin.)")

    async def _new(self, rest: str) -> None:
        parts = rest.split()
        if not parts or parts[0] in self.people:
            self.say("   Usage: :new NAME [LANGUAGE], with a name not taken yet.")
            return
        # Someone added in an earlier session may be in the database but no longer
        # in the chat file: a new person must not become them.
        taken = {p.id for p in self.people.values()} | set(self.harness.fake.users)
        user_id = FIRST_NEW_ID
        while user_id in taken or await self.harness.services.members.by_telegram_id(user_id):
            user_id += 1
        self.add(parts[0], user_id, parts[0], None, parts[1] if len(parts) > 1 else None)
        self._switch(parts[0])

    async def _later(self, minutes: str) -> None:
        """Move the plant's clock on, then let everything due by then happen."""
        if not minutes.isdigit() or not 0 < int(minutes) <= 7 * 24 * 60:
            self.say("   Usage: :later MINUTES (up to a week), or :tomorrow.")
            return
        clock = self.harness.services.clock
        if not isinstance(clock, ShiftedClock):
            self.say("   This simulator's clock cannot be moved.")
            return
        clock.shift(timedelta(minutes=int(minutes)))
        now = clock.now().astimezone(self.harness.services.settings.timezone)
        self.say(
            f"   (The plant's clock moves on {minutes} minutes: it is now {now:%a %d %b, %H:%M}.)"
        )
        await self.harness.tick()

    async def _tap(self, number: int) -> None:
        try:
            await self._person().tap(number)
        except AssertionError as err:
            self.say(f"   {err}")

    async def _press(self, number: int) -> None:
        keyboard = self._person().keyboard
        if not 1 <= number <= len(keyboard):
            self.say("   There is no such keyboard button.")
            return
        await self._person().send(keyboard[number - 1])

    async def _open(self, link: str) -> None:
        link = link or self.last_link or ""
        if not link.startswith("https://t.me/"):
            problem = (
                "Not an invite link: they start with https://t.me/." if link else "No link yet."
            )
            self.say(
                f"   {problem} An admin has one for each team under"
                " 🛠 Admin → 🏭 Workshops and teams → a team → 🔗 Invite QR code."
            )
            return
        self.say(f"   (opening {link})")
        await self._person().open_link(link)


async def lines_from(stream: TextIO, echo: TextIO | None) -> AsyncIterator[str]:
    """Lines typed at the terminal, read while the bot keeps running.

    A daemon thread of its own reads the raw file descriptor. Not
    asyncio.to_thread: asyncio.run joins its worker threads on the way out, so
    Ctrl-C would wait for Enter. Not `stream.readline`: a daemon thread blocked
    in it holds the stream's lock while Python shuts down, which is fatal.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    fd = stream.fileno()
    decoder = codecs.getincrementaldecoder(stream.encoding or "utf-8")(errors="replace")

    def hand_over(line: str | None) -> bool:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        except RuntimeError:  # the loop has closed: the simulator is over
            return False
        return True

    def read() -> None:
        pending = ""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            pending += decoder.decode(chunk, final=not chunk)
            *lines, pending = pending.split("\n")
            if not all(hand_over(line + "\n") for line in lines):
                return
            if not chunk:
                if pending:
                    hand_over(pending)
                hand_over(None)
                return

    threading.Thread(target=read, name="console-input", daemon=True).start()
    while True:
        if echo is None:
            print("> ", end="", flush=True)
        line = await queue.get()
        if line is None:
            return
        if echo is not None:
            print(f"> {line.rstrip()}", file=echo, flush=True)
        yield line


async def simulate(
    settings: Settings,
    *,
    db_path: Path,
    script: Iterable[str] | None = None,
    out: TextIO = sys.stdout,
    ticker: Ticker | None = None,
    clock: ShiftedClock | None = None,
) -> None:
    """Run the bot against the fake Telegram, seeded with the demo plant, and chat with it.

    Flood limits run in real time, as on Telegram, unless a test passes a virtual `ticker`;
    the plant's clock is the system's, unless a test passes its own.
    """
    settings = replace(settings, db_path=db_path, admins=settings.admins | {ADMIN_ID})
    chat_file = chats.forget_unless_plant_exists(db_path)
    fake = FakeTelegram() if ticker is None else FakeTelegram(clock=ticker.now)
    clock = clock or ShiftedClock()
    async with Harness(settings, clock=clock, fake=fake, ticker=ticker) as harness:
        link = await seed(harness.services)
        console = Console(harness, db_path.parent / "sim-files", out, chat_file)
        for persona in PERSONAS:
            console.add(
                persona.key,
                persona.user_id,
                persona.first_name,
                persona.last_name,
                persona.language_code,
            )
        # People the demo plant already has have opened the bot before.
        for user_id, name, _temporary in SEEDED_WORKERS:
            fake.add_user(user_id, name).started = True
        fake.users[PERSONAS[1].user_id].started = True
        console.last_link = link
        console.say("Shiftmate simulator: the real bot, a fake Telegram, a demo plant.")
        console.say(f"Plant: {db_path}   Chats: {chat_file}   Log: {db_path.with_suffix('.log')}")
        try:
            saved = chats.load(chat_file)
        except chats.ChatFileError as err:
            console.say(f"(Ignored {chat_file}: it {err}. Chats start empty.)")
            saved = None
        resumed = console.resume(saved) if saved is not None else None
        console.say(HELP)
        console.say("")
        zhang = PERSONAS[2]
        if saved is not None and saved.people:
            console.say("Welcome back: the plant and everyone's chats are as you left them.")
        elif await harness.services.members.by_telegram_id(zhang.user_id) is None:
            console.say(
                "Try it: you are zhang, a new worker. Type :open to scan 甲班's invite QR code."
            )
        else:
            console.say("Welcome back: the plant is as you left it.")
        await console.who()
        console._switch(resumed or zhang.key)
        source: AsyncIterator[str]
        if script is None:
            source = lines_from(sys.stdin, None if sys.stdin.isatty() else out)
        else:
            source = _scripted(script, out)
        try:
            async for line in source:
                if not await console.handle(line):
                    break
                console.save()  # after every line: a killed simulator loses nothing
        finally:
            console.save()  # Ctrl-C and crashes included
        console.say("Bye! Your simulated plant is kept in " + str(db_path))


async def _scripted(lines: Iterable[str], out: TextIO) -> AsyncIterator[str]:
    for line in lines:
        print(f"> {line.rstrip()}", file=out, flush=True)
        yield line
