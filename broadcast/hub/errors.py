"""The hub's refusals. Each has a KIND (English, for the station's code: docs/hub.md) and an HTTP
status; the message is the catalog's (Vietnamese at the hub and the station)."""

from __future__ import annotations

from broadcast.errors import BroadcastError


class HubError(BroadcastError):
    status = 400
    kind = "bad-request"

    def __init__(self, message: str, hint: str | None = None, kind: str | None = None, **extra):
        super().__init__(message, hint)
        if kind:
            self.kind = kind
        self.extra = extra              # more fields for the JSON reply (hub_time for `clock`)


class AuthError(HubError):
    """A station request that is not signed right: kind unknown, revoked, clock, replay or forged."""

    status = 401


class CodeError(HubError):
    """An enrolment code that is unknown, used or expired."""

    status = 403
    kind = "code"


class NotFound(HubError):
    """No such thing, or not addressed to the station that asks (the same answer, on purpose)."""

    status = 404
    kind = "not-found"


class Conflict(HubError):
    """A thing with that id exists already."""

    status = 409
    kind = "exists"


class TooLarge(HubError):
    status = 413
    kind = "too-large"
