"""Gửi duyệt, Duyệt, Trả lại: the approval steps of one item."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from broadcast import service
from broadcast.web.console import console


async def _step(request: Request, action: str, notice: str, *args) -> Response:
    c = console(request)
    item_id = request.path_params["item_id"]
    user = request.state.session.user
    fn = {"submit": service.approval.submit, "approve": service.approval.approve,
          "return": service.approval.send_back}[action]
    await run_in_threadpool(fn, c.station, item_id, user, c.now(), *args)
    return RedirectResponse(f"/tin-bai/{item_id}?ok={notice}", 303)


async def submit(request: Request) -> Response:
    return await _step(request, "submit", "gui-duyet")


async def approve(request: Request) -> Response:
    return await _step(request, "approve", "duyet")


async def send_back(request: Request) -> Response:
    form = await request.form()
    return await _step(request, "return", "tra-lai", str(form.get("comment", "")))
