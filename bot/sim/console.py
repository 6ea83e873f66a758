"""`python -m bot sim`: chat with the real bot in a terminal, as any person in the plant.

The bot runs unchanged against the fake Telegram; this console plays the
people. Bot messages show with numbered buttons: type `:1` to tap button 1,
`:k1` for the first button of the keyboard under the chat, `:as leader` to
become someone else. Anything else you type is sent as a message.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.fake_telegram.fake import BotEvent, FakeTelegram, StoredMessage
from bot.fake_telegram.users import Person, links_in, plain
from bot.sim.demo import ADMIN_ID, PERSONAS, SEEDED_WORKERS, seed
from bot.sim.harness import Harness

HELP = """\
Console commands (anything else is sent to the bot as a message):
  :1, :2 …        tap that button on the newest message with buttons
  :k1, :k2 …      tap that button of the keyboard under the chat
  :open [LINK]    open an invite link, as scanning its QR code does (default: the last one shown)
  :as NAME        act as another person          :who    list the people
  :new NAME [LANG] a new person with that Telegram language (e.g. zh-hans, zh-tw, en)
  :sticker :photo :voice   send one of those instead of text
  :block :unblock          block or unblock the bot
  :help   this list          :quit   leave the simulator"""


class Console:
    def __init__(self, harness: Harness, files: Path, out: TextIO) -> None:
        self.harness = harness
        self.files = files
        self.out = out
        self.people: dict[str, Person] = {}
        self.current: Person | None = None
        self.last_link: str | None = None
        self._shown_keyboard: dict[int, list[str]] = {}
        self._shown_text: dict[tuple[int, int], str] = {}
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

    def who(self) -> None:
        for key, person in self.people.items():
            about = next((p.about for p in PERSONAS if p.key == key), "added in this session")
            marker = "→" if person is self.current else " "
            self.say(
                f" {marker} {key:<8} {person.user.first_name}{person.user.last_name or ''} — {about}"
            )

    # showing what the bot does

    def _name_of(self, chat_id: int) -> str:
        return next((k for k, p in self.people.items() if p.id == chat_id), str(chat_id))

    def _on_event(self, event: BotEvent) -> None:
        if self.current is None or event.chat_id != self.current.id:
            if event.kind == "sent":
                self.say(
                    f"   📨 new message for {self._name_of(event.chat_id)} (type :as {self._name_of(event.chat_id)} to read it)"
                )
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
        assert self.current is not None  # noqa: S101 - only shown for the current person
        keyboard = self.current.keyboard
        if keyboard != self._shown_keyboard.get(self.current.id):
            self._shown_keyboard[self.current.id] = keyboard
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
            return True
        command, _, rest = line[1:].partition(" ")
        rest = rest.strip()
        if command in ("quit", "q", "exit"):
            return False
        if command == "help":
            self.say(HELP)
        elif command == "who":
            self.who()
        elif command == "as":
            self._switch(rest)
        elif command == "new":
            self._new(rest)
        elif command.isdigit():
            await self._tap(int(command))
        elif command.startswith("k") and command[1:].isdigit():
            await self._press(int(command[1:]))
        elif command == "open":
            await self._open(rest)
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
            self.say(f"   Nobody called {key!r}. Type :who for the list.")
            return
        self.current = self.people[key]
        self.say(
            f"── You are now {key} ({self.current.user.first_name}{self.current.user.last_name or ''}) ──"
        )
        recent = self.current.bot_messages()[-1:]
        for message in recent:
            self._show(message, edited=False)
        if not recent:
            self.say("   (No messages yet. Send /start to begin.)")

    def _new(self, rest: str) -> None:
        parts = rest.split()
        if not parts or parts[0] in self.people:
            self.say("   Usage: :new NAME [LANGUAGE], with a name not taken yet.")
            return
        user_id = 3000 + len(self.people)
        self.add(parts[0], user_id, parts[0], None, parts[1] if len(parts) > 1 else None)
        self._switch(parts[0])

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
            self.say(
                "   No invite link yet. Ask the admin for one (🛠 Admin → a team → 🔗 Invite QR code)."
            )
            return
        self.say(f"   (opening {link})")
        await self._person().open_link(link)


async def lines_from(stream: TextIO, echo: TextIO | None) -> AsyncIterator[str]:
    """Lines typed at the terminal (read in a thread, so the bot keeps running meanwhile)."""
    while True:
        if echo is None:
            print("> ", end="", flush=True)
        line = await asyncio.to_thread(stream.readline)
        if not line:
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
) -> None:
    """Run the bot against the fake Telegram, seeded with the demo plant, and chat with it."""
    settings = replace(settings, db_path=db_path, admins=settings.admins | {ADMIN_ID})
    fake = FakeTelegram()
    async with Harness(settings, fake=fake) as harness:
        link = await seed(harness.services)
        console = Console(harness, db_path.parent / "sim-files", out)
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
        console.say(f"Data: {db_path}   Log: {db_path.with_suffix('.log')}")
        console.say(HELP)
        console.say("")
        console.say(
            "Try it: you are zhang, a new worker. Type :open to scan 甲班's invite QR code."
        )
        console.who()
        console._switch("zhang")
        source: AsyncIterator[str]
        if script is None:
            source = lines_from(sys.stdin, None if sys.stdin.isatty() else out)
        else:
            source = _scripted(script, out)
        async for line in source:
            if not await console.handle(line):
                break
        console.say("Bye! Your simulated plant is kept in " + str(db_path))


async def _scripted(lines: Iterable[str], out: TextIO) -> AsyncIterator[str]:
    for line in lines:
        print(f"> {line.rstrip()}", file=out, flush=True)
        yield line
