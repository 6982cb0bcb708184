"""CSRF protection: every state-changing request carries the session's token, in the form
field `csrf_token` or the `X-CSRF-Token` header. Before sign-in, the sign-in form uses a
double-submit cookie instead."""

from __future__ import annotations

import hmac
import secrets

FIELD = "csrf_token"
HEADER = "x-csrf-token"
SIGN_IN_COOKIE = "broadcast_csrf"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def matches(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected, given)
