"""How much a request may send: each route has its cap, checked while the body streams in, before
any parsing (a declared Content-Length over the cap is answered at once, nothing read; a chunked body
stops at the cap). The officer reads the file's size and the cap, in her words."""

from __future__ import annotations

from typing import Callable

from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.service.station import Station

KB, MB = 1024, 1024 * 1024
SIGN_IN = 16 * KB                # a name, a password and a token
FORM = 1 * MB                    # an item's text and fields (a 5,000-word item is about 40 KB)
PREVIEW = 256 * KB               # "Xem cách đọc": the text of one item
OTHER = 64 * KB                  # anything else, and any route the console does not have
FORM_SLACK = 64 * KB             # the form's other fields around an uploaded file
VOICE = 200 * MB + FORM_SLACK    # a piper voice (at most 200 MB) and its settings
DOCUMENT = 50 * MB + FORM_SLACK  # Nhập văn bản: a .docx, PDF, scan or photo (intake.limits.MAX_BYTES)
CAP = "broadcast.body_cap"       # the scope's key: the cap of the route the request reached

Cap = int | Callable[[Station], int]


def upload(station: Station) -> int:
    """An audio upload: console.upload_mb and the form around it."""
    return int(station.console.upload_mb * MB) + FORM_SLACK


def cap_of(cap: Cap, station: Station) -> int:
    return cap(station) if callable(cap) else cap


def megabytes(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",") + " MB"


class TooLarge(BroadcastError):
    """A body over its route's cap; SIZE is what it declared, or None (chunked: it went past the cap)."""

    def __init__(self, cap: int, size: int | None, upload: bool):
        if upload:
            what = _("The file is too large: {size}; the console takes at most {cap}")
            hint = _("choose a smaller file, or shorten or compress the recording (MP3) and send it again")
        else:
            what = _("What was sent is too large: {size}; at most {cap}")
            hint = _("shorten the text and send it again")
        allowed = cap - FORM_SLACK if upload else cap          # the officer's cap, without the form around it
        shown = megabytes(size) if size else _("more than {cap}").format(cap=megabytes(allowed))
        super().__init__(what.format(size=shown, cap=megabytes(allowed)), hint)
        self.cap, self.size = cap, size


def too_large_text(cap: int) -> str:
    """The browser's own message for a file over CAP, "{size}" left for its script to fill in."""
    return _("The file is too large: {size}; the console takes at most {cap}").format(size="{size}", cap=megabytes(cap))


def check_declared(scope, cap: int, is_upload: bool) -> None:
    """Refuse at once a body whose Content-Length is over CAP; remember CAP for the streaming check."""
    scope[CAP] = (cap, is_upload)
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                declared = int(value)
            except ValueError:
                declared = cap + 1
            if declared > cap:
                raise TooLarge(cap, declared, is_upload)


class BodyLimit:
    """ASGI middleware: a request's body stops at its route's cap (scope[CAP], set by the route's guard
    before anything reads the body; OTHER where none is set) as it streams in."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        received = 0

        async def limited():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                cap, is_upload = scope.get(CAP, (OTHER, False))
                if received > cap:
                    raise TooLarge(cap, None, is_upload)
            return message

        await self.app(scope, limited, send)
