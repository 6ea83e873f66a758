"""Checking Bot API calls against Telegram's machine-readable method and type list.

`botapi.json` is a compact copy of the Bot API description (methods, their
parameters, every type's fields; regenerate with `tools/compact_botapi.py`). The
fake server refuses what Telegram would refuse and a little more: an unknown
parameter or field is an error here, because in our own code it is always a bug.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_SCALARS = {"Integer", "String", "Boolean", "Float", "True", "InputFile"}
# python-telegram-bot's `Defaults` adds these to every message method, including
# the few that do not take them (editMessageReplyMarkup gets a parse_mode).
# Telegram ignores them there, so the fake drops them instead of refusing.
CLIENT_DEFAULTS = frozenset(
    {"parse_mode", "link_preview_options", "disable_notification", "protect_content"}
)


class ApiError(Exception):
    """An error answer, shaped as Telegram shapes them."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class Upload:
    """A file posted as a multipart part."""

    filename: str
    content_type: str
    body: bytes


class _Mismatch(Exception):
    """A value is not of the expected type; `path` says where."""

    def __init__(self, path: str, expected: str) -> None:
        super().__init__(f"{path}: expected {expected}")
        self.path = path
        self.expected = expected


class BotApiSpec:
    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self.methods: dict[str, dict[str, Any]] = data["methods"]
        self.types: dict[str, dict[str, Any]] = data["types"]
        # Telegram matches method names case-insensitively.
        self._by_lower: dict[str, str] = {name.lower(): name for name in self.methods}

    @classmethod
    @cache
    def bundled(cls) -> BotApiSpec:
        text = (
            resources.files("bot.fake_telegram").joinpath("botapi.json").read_text(encoding="utf-8")
        )
        return cls(json.loads(text))

    def method_name(self, name: str) -> str:
        try:
            return self._by_lower[name.lower()]
        except KeyError:
            raise ApiError(404, "Not Found") from None

    def check_call(self, method: str, raw: dict[str, Any], *, from_form: bool) -> dict[str, Any]:
        """Validate and decode one call's parameters.

        Form fields arrive as strings (objects JSON-encoded, as every client sends
        them); a JSON body arrives typed. Uploaded files arrive as `Upload`.
        """
        params: dict[str, dict[str, Any]] = self.methods[method]["params"]
        for name in raw:
            if name not in params and name not in CLIENT_DEFAULTS:
                raise bad_request(f'unknown parameter "{name}" for method {method}')
        decoded: dict[str, Any] = {}
        for name, info in params.items():
            if name not in raw:
                if info["required"]:
                    raise bad_request(f'parameter "{name}" is required')
                continue
            try:
                decoded[name] = self._value(raw[name], info["types"], name, from_form=from_form)
            except _Mismatch as err:
                raise bad_request(
                    f'parameter "{name}" is invalid: {err.path} must be {err.expected}'
                ) from None
        return decoded

    def check_object(self, type_name: str, value: Any, path: str = "") -> None:
        """Raise ValueError if `value` is not a valid `type_name` (used on our own answers)."""
        try:
            self._object(value, type_name, path or type_name)
        except _Mismatch as err:
            raise ValueError(f"{err.path} must be {err.expected}") from None

    def _value(self, value: Any, types: list[str], path: str, *, from_form: bool) -> Any:
        errors: list[_Mismatch] = []
        for type_name in types:
            try:
                return self._one(value, type_name, path, from_form=from_form)
            except _Mismatch as err:
                errors.append(err)
        if len(errors) == 1:
            raise errors[0]
        # Report the alternative that got furthest into the value.
        deepest = max(errors, key=lambda e: e.path.count(".") + e.path.count("["))
        if deepest.path != path:
            raise deepest
        raise _Mismatch(path, " or ".join(types))

    def _one(self, value: Any, type_name: str, path: str, *, from_form: bool) -> Any:
        if type_name.startswith("Array of "):
            if from_form and isinstance(value, str):
                value = _json_or_mismatch(value, path, type_name)
            if not isinstance(value, list):
                raise _Mismatch(path, type_name)
            inner = type_name.removeprefix("Array of ")
            return [
                self._one(item, inner, f"{path}[{i}]", from_form=False)
                for i, item in enumerate(value)
            ]
        if type_name in _SCALARS:
            return _scalar(value, type_name, path, from_form=from_form)
        if from_form and isinstance(value, str):
            value = _json_or_mismatch(value, path, type_name)
        self._object(value, type_name, path)
        return value

    def _object(self, value: Any, type_name: str, path: str) -> None:
        spec = self.types.get(type_name)
        if spec is None:
            raise _Mismatch(path, f"a known type, not {type_name}")
        if "subtypes" in spec:
            self._value(value, spec["subtypes"], path, from_form=False)
            return
        if not isinstance(value, dict):
            raise _Mismatch(path, f"a JSON object ({type_name})")
        fields: dict[str, dict[str, Any]] = spec["fields"]
        for key in value:
            if key not in fields:
                raise _Mismatch(f"{path}.{key}", f"a field of {type_name} (it has no such field)")
        for key, info in fields.items():
            if key in value:
                self._value(value[key], info["types"], f"{path}.{key}", from_form=False)
            elif info["required"]:
                raise _Mismatch(f"{path}.{key}", "present")


def _json_or_mismatch(text: str, path: str, expected: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise _Mismatch(path, f"JSON-serialized {expected}") from None


def _scalar(value: Any, type_name: str, path: str, *, from_form: bool) -> Any:
    if type_name == "InputFile":
        if isinstance(value, Upload):
            return value
        raise _Mismatch(path, "an uploaded file")
    if isinstance(value, Upload):
        raise _Mismatch(path, type_name)
    if from_form and isinstance(value, str):
        return _scalar_from_text(value, type_name, path)
    if type_name == "String" and isinstance(value, str):
        return value
    if type_name == "Integer" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if type_name == "Float" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if type_name == "Boolean" and isinstance(value, bool):
        return value
    if type_name == "True" and value is True:
        return value
    raise _Mismatch(path, type_name)


def _scalar_from_text(text: str, type_name: str, path: str) -> Any:
    if type_name == "String":
        return text
    if type_name == "Integer":
        try:
            return int(text)
        except ValueError:
            raise _Mismatch(path, type_name) from None
    if type_name == "Float":
        try:
            return float(text)
        except ValueError:
            raise _Mismatch(path, type_name) from None
    lowered = text.lower()
    if type_name == "Boolean" and lowered in ("true", "false", "1", "0"):
        return lowered in ("true", "1")
    if type_name == "True" and lowered in ("true", "1"):
        return True
    raise _Mismatch(path, type_name)
