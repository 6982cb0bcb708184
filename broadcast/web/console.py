"""What every view shares: the station, the clock, the templates and the render worker of this
console process, and the one way a page is rendered (navigation by role, CSRF token, notices)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from broadcast.station.settings import Station
from broadcast.web.permissions import allowed
from broadcast.web.worker import RenderWorker

NAV = (("Tổng quan", "/", "view"), ("Tin bài", "/tin-bai", "view"), ("Lịch phát", "/lich-phat", "view"),
       ("Nhật ký phát", "/nhat-ky", "view"), ("Báo cáo", "/bao-cao", "view"), ("Cài đặt", "/cai-dat", "admin"))


@dataclass
class Console:
    station: Station
    now: Callable[[], dt.datetime]
    templates: Jinja2Templates
    stream_seconds: float = 600.0    # a live page's stream ends after this; the browser reconnects
    worker: RenderWorker = field(default_factory=RenderWorker)

    def render(self, request: Request, template: str, status_code: int = 200, **context) -> Response:
        session = getattr(request.state, "session", None)
        nav = [(label, href, href == "/" and request.url.path == "/" or href != "/" and
                request.url.path.startswith(href)) for label, href, need in NAV
               if session is not None and allowed(session.role, need)]
        base = {"station_name": self.station.name, "session": session, "nav": nav,
                "csrf_token": session.csrf if session else "",
                "can_emergency": session is not None and allowed(session.role, "emergency"),
                "notice": NOTICES.get(request.query_params.get("ok", ""), "")}
        return self.templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)


NOTICES = {"luu": "Đã lưu.", "gui-duyet": "Đã gửi duyệt.", "duyet": "Đã duyệt: tin sẽ được phát theo lịch.",
           "tra-lai": "Đã trả lại tin cho người viết.", "khan-cap": "Đang phát khẩn cấp.",
           "xoa": "Đã xóa tin (bản cũ vẫn giữ trong lịch sử).", "dang-xuat": "Đã đăng xuất.",
           "nguoi-dung": "Đã cập nhật người dùng.", "lich": "Đã thêm vào lịch.", "bo-lich": "Đã xóa khỏi lịch."}


def console(request: Request) -> Console:
    return request.app.state.console
