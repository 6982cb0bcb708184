"""Signed requests (docs/hub.md, "Signing"): every station request carries its station id, the
time, a one-use nonce and an HMAC-SHA256 over the method, path, time, nonce and body hash,
keyed by the station's token. The token itself never travels after enrolment."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

HEADER = "Authorization"
SCHEME = "Broadcast"
MAX_SKEW = 300          # seconds a request's time may differ from the hub's clock
NONCE_BYTES = 16


@dataclass(frozen=True)
class Signed:
    """A parsed Authorization header."""

    station: str
    time: int
    nonce: str
    signature: str


def new_token() -> str:
    """A station's secret: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def _message(method: str, target: str, time: int, nonce: str, body: bytes) -> bytes:
    return "\n".join([method.upper(), target, str(time), nonce, hashlib.sha256(body).hexdigest()]).encode()


def signature(token: str, method: str, target: str, time: int, nonce: str, body: bytes) -> str:
    return hmac.new(token.encode(), _message(method, target, time, nonce, body), hashlib.sha256).hexdigest()


def header(station: str, token: str, method: str, target: str, time: int, body: bytes,
           nonce: str | None = None) -> str:
    """The Authorization header for one request. TARGET is the path with its query string."""
    nonce = nonce or secrets.token_hex(NONCE_BYTES)
    sig = signature(token, method, target, time, nonce, body)
    return f'{SCHEME} station="{station}", time="{time}", nonce="{nonce}", signature="{sig}"'


def parse(value: str | None) -> Signed | None:
    """The header's parts, or None when it is missing or malformed."""
    if not value or not value.startswith(SCHEME + " "):
        return None
    parts = {}
    for part in value[len(SCHEME) + 1:].split(","):
        key, sep, raw = part.strip().partition("=")
        if not sep or len(raw) < 2 or raw[0] != '"' or raw[-1] != '"':
            return None
        parts[key] = raw[1:-1]
    try:
        signed = Signed(parts["station"], int(parts["time"]), parts["nonce"], parts["signature"])
    except (KeyError, ValueError):
        return None
    if not (signed.station and 16 <= len(signed.nonce) <= 64 and len(signed.signature) == 64):
        return None
    return signed


def verify(signed: Signed, token: str, method: str, target: str, body: bytes) -> bool:
    """True when SIGNED was made with TOKEN over this request (constant-time compare)."""
    expected = signature(token, method, target, signed.time, signed.nonce, body)
    return hmac.compare_digest(expected, signed.signature)
