"""The fake Telegram's HTTP face: `/bot<token>/<method>` and `/file/bot<token>/<path>`.

It binds to loopback only. The bot reaches it through `BOT_API_BASE_URL`, exactly
as it would reach a self-hosted Bot API server, so the real HTTP client,
polling loop and rate limiter all run.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

from bot.fake_telegram.fake import FakeTelegram
from bot.fake_telegram.spec import ApiError, Upload

_LOGGER = logging.getLogger(__name__)


class _MethodHandler(tornado.web.RequestHandler):
    fake: FakeTelegram

    def initialize(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self._task: asyncio.Task[Any] | None = None

    async def get(self, token: str, method: str) -> None:
        await self._answer(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._answer(token, method)

    def on_connection_close(self) -> None:
        # The client gave up (a time-out, or shutdown mid long-poll): stop waiting for it.
        if self._task is not None:
            self._task.cancel()

    async def _answer(self, token: str, method: str) -> None:
        try:
            params, from_form = self._params()
            self._task = asyncio.ensure_future(
                self.fake.call(token, method, params, from_form=from_form)
            )
            result = await self._task
            body: dict[str, Any] = {"ok": True, "result": result}
            self.set_status(200)
        except ApiError as err:
            body = err.payload()
            self.set_status(err.code)
        except asyncio.CancelledError:
            return
        except Exception:
            _LOGGER.exception("fake Bot API failed on %s", method)
            body = ApiError(500, "Internal Server Error").payload()
            self.set_status(500)
        self.set_header("Content-Type", "application/json")
        if not self.request.connection or self.request.connection.stream.closed():  # type: ignore[attr-defined]
            return
        self.finish(json.dumps(body, ensure_ascii=False))

    def _params(self) -> tuple[dict[str, Any], bool]:
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json"):
            try:
                data = json.loads(self.request.body or b"{}")
            except json.JSONDecodeError:
                raise ApiError(400, "Bad Request: can't parse JSON object") from None
            if not isinstance(data, dict):
                raise ApiError(400, "Bad Request: can't parse JSON object")
            return data, False
        params: dict[str, Any] = {
            key: values[-1].decode("utf-8") for key, values in self.request.arguments.items()
        }
        for key, files in self.request.files.items():
            part = files[-1]
            params[key] = Upload(part.filename, part.content_type, part.body)
        # Multipart clients may name an uploaded part and refer to it as attach://name.
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                attached = params.pop(value.removeprefix("attach://"), None)
                if isinstance(attached, Upload):
                    params[key] = attached
        return params, True


class _FileHandler(tornado.web.RequestHandler):
    def initialize(self, fake: FakeTelegram) -> None:
        self.fake = fake

    def get(self, token: str, path: str) -> None:
        stored = self.fake.file_by_path(path) if token == self.fake.token else None
        if stored is None or stored.body is None:
            self.set_status(404)
            self.finish(json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}))
            return
        self.set_header("Content-Type", stored.mime_type or "application/octet-stream")
        self.finish(stored.body)


class FakeBotApiServer:
    """Runs a `FakeTelegram` behind an HTTP server on 127.0.0.1 (port 0 picks a free one)."""

    def __init__(self, fake: FakeTelegram, *, port: int = 0) -> None:
        self.fake = fake
        self._port = port
        self._server: tornado.httpserver.HTTPServer | None = None
        self.port: int | None = None

    @property
    def base_url(self) -> str:
        """What to put in BOT_API_BASE_URL."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        args = {"fake": self.fake}
        app = tornado.web.Application(
            [
                (r"/bot([^/]+)/([A-Za-z]+)", _MethodHandler, args),
                (r"/file/bot([^/]+)/(.+)", _FileHandler, args),
            ]
        )
        sockets = tornado.netutil.bind_sockets(self._port, "127.0.0.1", family=socket.AF_INET)
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=60 * 1024 * 1024)
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        await self.fake.close()
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None
