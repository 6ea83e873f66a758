"""Receipts and sealed notice targets: the two secrets of the anonymous thread.

A receipt (the 🧾 reply key) is 16 random bytes that travel only inside the
button in the worker's own chat; the database keeps a salted SHA-256 of them.
Checking a receipt takes the same steps whether the concern exists or not, and
compares digests in constant time, so a wrong key tells nothing.

A worker who wants to hear that a reply is waiting leaves their chat id with the
concern, sealed with AES-GCM under a key that is not in the database (a key file
beside it, see `Settings.seal_key_path`). Someone holding only the database
file cannot open it; the bot opens it once, to send the notice, and deletes it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_KEY_BYTES = 32
_NONCE_BYTES = 12
_CONTEXT = b"shiftmate reply notice"
_DUMMY_SALT = bytes(16)
_DUMMY_HASH = hashlib.sha256(b"no such concern").digest()


def new_receipt() -> tuple[str, bytes, bytes]:
    """(the key for the button, the salt, the digest for the database)."""
    key = secrets.token_bytes(16)
    salt = secrets.token_bytes(16)
    return _encode(key), salt, hashlib.sha256(salt + key).digest()


def receipt_matches(shown: str, stored: tuple[bytes, bytes] | None) -> bool:
    """Whether the key from a button opens the concern whose (salt, digest) is `stored`.

    The same work is done for a concern that does not exist and for a key that
    is not even well-formed, so neither answers faster.
    """
    salt, digest = stored if stored is not None else (_DUMMY_SALT, _DUMMY_HASH)
    key = _decode(shown)
    candidate = hashlib.sha256(salt + (key if key is not None else bytes(16))).digest()
    same = hmac.compare_digest(candidate, digest)
    return same and stored is not None and key is not None


def _encode(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode().rstrip("=")


def _decode(text: str) -> bytes | None:
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == 16 else None


class Sealer:
    """Seals a chat id so that only this bot, with its key file, can open it."""

    def __init__(self, key: bytes) -> None:
        if len(key) != _KEY_BYTES:
            raise ValueError("a seal key is 32 bytes")
        self._aead = AESGCM(key)

    @classmethod
    def from_file(cls, path: Path | None) -> Sealer:
        """The key in `path`, made (readable by the bot's user only) the first time.

        None keeps the key in memory only, as tests with an in-memory database do:
        targets sealed then cannot be opened after a restart.
        """
        if path is None:
            return cls(secrets.token_bytes(_KEY_BYTES))
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(secrets.token_bytes(_KEY_BYTES))
        return cls(path.read_bytes())

    def seal_target(self, chat_id: int, locale: str) -> bytes:
        """A chat and the language to write to it in, sealed (a new nonce every time)."""
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, f"{chat_id} {locale}".encode(), _CONTEXT)

    def unseal_target(self, sealed: bytes) -> tuple[int, str] | None:
        """(chat id, language), or None if sealed with another key or altered."""
        try:
            plain = self._aead.decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], _CONTEXT)
        except (InvalidTag, ValueError):
            return None
        chat, _, locale = plain.decode().partition(" ")
        return int(chat), locale
