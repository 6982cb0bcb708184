"""What every view shares: the station, the clock, the templates and the render worker of this
console process, and the one way a page is rendered (navigation by role, CSRF token, notices)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from broadcast.errors import BroadcastError
from broadcast import service
from broadcast.i18n import N_, _, language
from broadcast.service.station import STATION_FILE, Station, load_station
from broadcast.web import limits
from broadcast.web.permissions import allowed
from broadcast.web.worker import RenderWorker

log = logging.getLogger(__name__)
IMPORTER = "broadcast.service.intake"

NAV = ((N_("Overview"), "/", "view"), (N_("News items"), "/tin-bai", "view"), (N_("Schedule"), "/lich-phat", "view"),
       (N_("As-run log"), "/nhat-ky", "view"), (N_("Audio"), "/thu-vien-am-thanh", "view"), (N_("Reports"), "/bao-cao", "view"),
       (N_("Settings"), "/cai-dat", "admin"))


@dataclass
class Console:
    loaded: Station
    now: Callable[[], dt.datetime]
    templates: Jinja2Templates
    stream_seconds: float = 600.0    # a live page's stream ends after this; the browser reconnects
    worker: RenderWorker = field(default_factory=RenderWorker)
    importer: RenderWorker = field(default_factory=lambda: RenderWorker(IMPORTER))   # Nhập văn bản: OCR takes a while
    tasks: set = field(default_factory=set)       # work started for a page that returned at once
    emergencies: dict = field(default_factory=dict)    # run id -> the emergency this console started
    _seen: tuple | None = None
    _pending: tuple = (None, 0)      # (the scripts folder's state, items waiting for approval)

    def pending(self) -> int:
        """Items waiting for approval, counted again only when a script file changed."""
        folder = self.station.scripts_dir
        try:
            seen = (folder.stat().st_mtime_ns, max((p.stat().st_mtime_ns for p in folder.glob("*.md")), default=0))
        except OSError:
            return 0
        if self._pending[0] != seen:
            self._pending = (seen, service.approval.pending_count(self.station))
        return self._pending[1]

    def __post_init__(self) -> None:
        self._seen = self._stat()           # as loaded: a change before the first page is read too

    def _stat(self) -> tuple | None:
        try:
            st = (self.loaded.root / STATION_FILE).stat()
            return st.st_mtime_ns, st.st_size
        except OSError:
            return None

    @property
    def station(self) -> Station:
        """The station's settings, read again when station.yaml changes (saved in Cài đặt or by hand);
        a file that no longer reads keeps the last good settings (and the error is logged)."""
        seen = self._stat()
        if seen != self._seen:
            if self._seen is not None:
                try:
                    self.loaded = load_station(self.loaded.root)
                except BroadcastError as exc:
                    log.error("station.yaml refused, the last good settings stay: %s", exc)
            self._seen = seen
        return self.loaded

    def render(self, request: Request, template: str, status_code: int = 200, **context) -> Response:
        session = getattr(request.state, "session", None)
        waiting = self.pending() if session is not None and allowed(session.role, "approve") else 0
        nav = [(_(label), href, href == "/" and request.url.path == "/" or href != "/" and
                request.url.path.startswith(href), waiting if href == "/tin-bai" else 0) for label, href, need in NAV
               if session is not None and allowed(session.role, need)]
        base = {"station_name": self.station.name, "session": session, "nav": nav, "lang": language(),

                "csrf_token": session.csrf if session else "",
                "can_emergency": session is not None and allowed(session.role, "emergency"),
                "upload_bytes": int(self.station.console.upload_mb * limits.MB),    # checked in the browser first
                "too_large": limits.too_large_text(int(self.station.console.upload_mb * limits.MB)),
                "notice": notice(request.query_params.get("ok")), "waiting": waiting}

        return self.templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)


NOTICES = {"luu": N_("Saved."), "gui-duyet": N_("Sent for approval."), "duyet": N_("Approved: the item will air as scheduled."),
           "tra-lai": N_("The item was returned to its writer."),
           "xoa": N_("The item was deleted (its old versions stay in the history)."), "dang-xuat": N_("Signed out."),
           "nguoi-dung": N_("User updated."), "lich": N_("Added to the schedule."), "bo-lich": N_("Removed from the schedule."),
           "thu-loa": N_("The test tone was played."),
           "thu-am": N_("The recording was cleaned and is now the item's audio."),
           "khoi-phuc": N_("The version was restored; the one it replaced stays in the history."),
           "cach-doc": N_("The reading was added: every news item is read that way from now on."),
           "nhap": N_("The chosen items were saved as drafts (Nháp).")}


def console(request: Request) -> Console:
    return request.app.state.console


def notice(code: str | None) -> str:
    """The line a page shows after ?ok=CODE (what was just done), in the officer's language."""
    return _(NOTICES[code]) if code in NOTICES else ""
