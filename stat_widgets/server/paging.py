"""Opaque page tokens for ``GET /orders``.

A token is base64url (no padding) of a small JSON object ``{"s": seq, "d": "next" | "prev",
"m": mac}``: the keyset position, the direction to read from it, and a truncated HMAC so that a
tampered or forged token is refused (400 naming ``page``) rather than silently served. The HMAC
key is kept in the database, so tokens stay valid across restarts.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Literal

Direction = Literal["next", "prev"]
MAX_TOKEN_LENGTH = 200


class BadPageToken(ValueError):
    pass


@dataclass(frozen=True)
class PageToken:
    seq: int
    direction: Direction


class PageTokenCodec:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def _mac(self, seq: int, direction: str) -> str:
        message = f"{seq}:{direction}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:16]

    def encode(self, token: PageToken) -> str:
        data = {"s": token.seq, "d": token.direction, "m": self._mac(token.seq, token.direction)}
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, text: str) -> PageToken:
        invalid = BadPageToken("not a page token issued by this server; follow the links")
        if not text or len(text) > MAX_TOKEN_LENGTH:
            raise invalid
        try:
            data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        except (binascii.Error, ValueError) as exc:
            raise invalid from exc
        if not isinstance(data, dict) or set(data) != {"s", "d", "m"}:
            raise invalid
        seq, direction, mac = data["s"], data["d"], data["m"]
        if type(seq) is not int or not 0 <= seq < 2**63 or direction not in ("next", "prev"):
            raise invalid
        if not isinstance(mac, str) or not hmac.compare_digest(mac, self._mac(seq, direction)):
            raise invalid
        return PageToken(seq, direction)
