"""The one way the bot sends to many people: a persistent outbox, drained as fast as
Telegram allows and no faster.

A feature queues one row per recipient (`Sender.queue`), all in one transaction,
before the first send, and says how to carry a row out (`Sender.handle`: a
`perform` that makes the Telegram call, on the pacer's bulk lane). The sender
drains the rows:

* **Pace.** Every call goes through the pacer (`bot/pacing.py`) on the bulk lane:
  about 30 messages a second overall, one a second per chat, 20 a minute per group,
  and whatever a person is waiting for (a quiz answer, a question) goes first. A 429
  is a failure of pacing: the pacer stops all sending until Telegram's deadline, and
  the row keeps its place.
* **Failures.** 403 (blocked, account deleted): the row is `blocked` and the member
  marked unreachable; the rest go on. 5xx and time-outs: the row is tried again
  after 2, 4, 8 … seconds, up to 8 times. Any other refusal (400): `failed`, with
  Telegram's reason, and one log line.
* **Crash.** A row leaves `queued` only when Telegram has answered and the answer is
  written. After a hard kill, the rows still `queued` are sent on restart: nothing
  is lost, and the only messages sent twice are those Telegram had carried out but
  whose answer was not yet written: the requests on the wire at the kill (at most
  `IN_FLIGHT`, the rows handed to the pacer at once) and the answers waiting to be
  written (fewer than `WRITE_EVERY`, written 20 to a commit).
* **Progress.** The feature's `progress(ctx, ref)` is called at most every
  `PROGRESS_EVERY` while its batch is sent, and once when it is done.

Nothing here sleeps: retries are due times in the database, and the timed job
(`drain`, every 5 s, and after a restart) picks up whatever is due.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.context import Ctx
from bot.db.outbox import Item, Op, OutboxRepository, Recipient, State
from bot.delivery import mark_unreachable
from bot.feature import Feature
from bot.pacing import retry_after_seconds
from bot.services import Services

_LOGGER = logging.getLogger(__name__)

# Rows handed to the pacer at once. The pacer lets about 30 a second through; the rest
# wait in its bulk lane, so this only needs to cover a second of sending plus the
# round trips. It bounds the messages a hard kill can send twice.
IN_FLIGHT = 60
BACKOFF = (2, 4, 8, 16, 32, 60, 120, 300)  # seconds before each retry of a 5xx or time-out
PROGRESS_EVERY = timedelta(seconds=3)
# Answered rows written per commit. Each commit waits for the disk (synchronous=FULL);
# one per message, 30 a second, kept the database busy enough to slow every reply.
WRITE_EVERY = 20
TASK_PREFIX = "deliver-outbox"  # the simulator and tests wait for tasks named deliver-*

Perform = Callable[[Ctx, Item], Awaitable[int | None]]  # the call; a send's message id
Progress = Callable[[Ctx, int], Awaitable[None]]  # (ctx, ref): the batch moved on


@dataclass(frozen=True)
class Handler:
    perform: Perform
    progress: Progress | None = None


class Sender:
    """Drains the outbox. One per bot, made at start-up; `ctx.services.get(Sender)`."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.repo = OutboxRepository(services.db, services.clock)
        self._handlers: dict[str, Handler] = {}
        self._slots = asyncio.Semaphore(IN_FLIGHT)
        self._in_flight: dict[int, Item] = {}
        # Rows Telegram has answered for, their new state not yet written: written
        # WRITE_EVERY at a time (one commit each, not one per message), and never
        # fetched again meanwhile.
        self._unwritten: dict[int, tuple[State, int | None, str | None]] = {}
        self._drain: asyncio.Task[None] | None = None
        self._again = False
        self._reported: dict[tuple[str, int], datetime] = {}
        self._reporting: set[tuple[str, int]] = set()
        self._report_again: set[tuple[str, int]] = set()
        self.rate_limited = 0  # 429s that reached the sender: each one a failure of pacing

    def handle(self, kind: str, perform: Perform, progress: Progress | None = None) -> None:
        """How rows of `kind` are carried out, and whom to tell as they are."""
        self._handlers[kind] = Handler(perform, progress)

    async def queue(
        self,
        ctx: Ctx,
        kind: str,
        ref: int,
        op: Op,
        recipients: Sequence[Recipient],
        at: datetime | None = None,
    ) -> int:
        """Write one row per recipient in one transaction, then start sending."""
        count = await self.repo.enqueue(kind, ref, op, recipients, at)
        self.wake(ctx)
        return count

    def wake(self, ctx: Ctx) -> None:
        """Send whatever is due; a drain already running looks again before it stops."""
        if self._drain is not None and not self._drain.done():
            self._again = True
            return
        self._again = False
        self._drain = asyncio.get_running_loop().create_task(self._run(ctx), name=TASK_PREFIX)

    async def _run(self, ctx: Ctx) -> None:
        try:
            while True:
                await self._write()
                busy = [*self._in_flight, *self._unwritten]
                items = await self.repo.due(IN_FLIGHT * 2, skip=busy)
                if not items:
                    if self._in_flight:
                        await asyncio.gather(
                            *[
                                t
                                for t in asyncio.all_tasks()
                                if t.get_name() == f"{TASK_PREFIX}-row"
                            ]
                        )
                        continue
                    if self._again:
                        self._again = False
                        continue
                    return
                for item in items:
                    await self._slots.acquire()
                    self._in_flight[item.id] = item
                    asyncio.get_running_loop().create_task(
                        self._one(ctx, item), name=f"{TASK_PREFIX}-row"
                    )
        except Exception:
            _LOGGER.exception("The outbox stopped; the next timed run resumes it")

    async def _one(self, ctx: Ctx, item: Item) -> None:
        try:
            await self._carry_out(ctx, item)
        except Exception:
            _LOGGER.exception(
                "Outbox row %s (%s %s) could not be handled", item.id, item.kind, item.op
            )
        finally:
            del self._in_flight[item.id]
            self._slots.release()
        if len(self._unwritten) >= WRITE_EVERY:
            await self._write()
        await self._progress(ctx, item)

    def _finish(
        self, item: Item, state: State, message_id: int | None = None, error: str | None = None
    ) -> None:
        self._unwritten[item.id] = (state, message_id, error)

    async def _write(self) -> None:
        """Write the states of the rows answered since the last write, in one transaction."""
        if not self._unwritten:
            return
        done = dict(self._unwritten)
        await self.repo.finish_many(
            [(item_id, state, message, error) for item_id, (state, message, error) in done.items()]
        )
        for item_id in done:
            self._unwritten.pop(item_id, None)

    async def _carry_out(self, ctx: Ctx, item: Item) -> None:
        handler = self._handlers.get(item.kind)
        if handler is None:
            _LOGGER.error("Outbox row %s: nothing handles %r", item.id, item.kind)
            self._finish(item, State.FAILED, error=f"no handler for {item.kind}")
            return
        try:
            message_id = await handler.perform(ctx, item)
        except Forbidden as err:
            self._finish(item, State.BLOCKED, error=err.message)
            if item.member_id is not None:
                await mark_unreachable(self.services, item.chat_id, err.message)
        except RetryAfter as err:
            self.rate_limited += 1
            _LOGGER.warning("Outbox row %s got a 429 past the pacer: %s", item.id, err.message)
            await self.repo.retry(
                item.id, timedelta(seconds=retry_after_seconds(err.retry_after)), err.message
            )
        except BadRequest as err:
            if "not modified" in err.message:  # an edit that changes nothing is done
                self._finish(item, State.DONE, error=err.message)
                return
            _LOGGER.info(
                "Outbox row %s (%s %s to chat %s) refused: %s",
                item.id,
                item.kind,
                item.op,
                item.chat_id,
                err.message,
            )
            self._finish(item, State.FAILED, error=err.message)
        except NetworkError as err:  # 5xx, time-outs, connection errors
            if item.attempts + 1 >= len(BACKOFF):
                _LOGGER.warning(
                    "Outbox row %s failed after %s tries: %s", item.id, len(BACKOFF), err
                )
                self._finish(item, State.FAILED, error=str(err))
            else:
                await self.repo.retry(
                    item.id,
                    timedelta(seconds=BACKOFF[item.attempts]),
                    str(err) or type(err).__name__,
                )
        else:
            self._finish(item, State.DONE, message_id=message_id)

    async def _progress(self, ctx: Ctx, item: Item) -> None:
        """Tell the batch's feature, at most every PROGRESS_EVERY, and once at the end."""
        handler = self._handlers.get(item.kind)
        if handler is None or handler.progress is None:
            return
        key = (item.kind, item.ref)
        now = self.services.clock.now()
        last = self._reported.get(key)
        finished = not any((i.kind, i.ref) == key for i in self._in_flight.values())
        if finished:
            await self._write()
            finished = (await self.repo.tally(item.kind, item.ref, tuple(Op))).queued == 0
        if not finished and last is not None and now - last < PROGRESS_EVERY:
            return
        if key in self._reporting:  # one report at a time; the latest figures follow it
            self._report_again.add(key)
            return
        self._reporting.add(key)
        try:
            while True:
                self._reported[key] = self.services.clock.now()
                self._report_again.discard(key)
                await self._write()  # the figures include every answer so far
                try:
                    await handler.progress(ctx, item.ref)
                except Exception:
                    _LOGGER.exception("Progress of %s %s could not be shown", item.kind, item.ref)
                if key not in self._report_again:
                    break
        finally:
            self._reporting.discard(key)
        if finished:
            self._reported.pop(key, None)


async def drain(ctx: Ctx) -> None:
    """The timed run: after a restart, and for retries whose time has come."""
    ctx.services.get(Sender).wake(ctx)


OUTBOX = Feature(
    name="outbox",
    summary="the one bulk sender: a persistent outbox drained at Telegram's full rate",
    every=((5.0, drain),),
    provides=(Sender,),
)
