"""Approval ("Duyệt"): Nháp → Chờ duyệt ("Gửi duyệt") → Đã duyệt ("Duyệt"), or back to Nháp with
a comment ("Trả lại"). The state is written into the item's own front matter (the file stays
the source of truth and planning stays a function of the files); the approval names the
version it approved by hash, so any later edit sends the item back to Chờ duyệt."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from broadcast.errors import BroadcastError
from broadcast.news.scripts import Approval, NewsItem, Review
from broadcast.service.scripts import Draft, find, write_draft
from broadcast.station.settings import Station

LABELS = {"draft": "Nháp", "pending": "Chờ duyệt", "approved": "Đã duyệt"}


class ApprovalError(BroadcastError):
    """A step of the approval flow that is not allowed now."""


def status(station: Station, item: NewsItem) -> str:
    """draft, pending or approved; with approval off every item counts as approved."""
    return item.status if station.approval.required else "approved"


def submit(station: Station, script_id: str, user: str, now: dt.datetime) -> NewsItem:
    item = find(station, script_id)
    if item.is_approved:
        raise ApprovalError(f"{script_id}: tin đã được duyệt", "sửa tin thì tin tự về Chờ duyệt")
    review = Review("submitted", user, now.isoformat(timespec="seconds"))
    return write_draft(station, replace(Draft.from_item(item), review=review), item.path)


def approve(station: Station, script_id: str, user: str, now: dt.datetime) -> NewsItem:
    item = find(station, script_id)
    if item.is_approved:
        return item
    author = item.written_by or (item.review.by if item.review else None)
    if author == user and not station.approval.self_approval:
        raise ApprovalError(f"{script_id}: {user} là người viết tin này, không tự duyệt được",
                            "nhờ người duyệt khác, hoặc quản trị bật 'approval: self_approval: true'")
    approved = Approval(user, now.isoformat(timespec="seconds"), item.approval_hash)
    return write_draft(station, replace(Draft.from_item(item), review=None, approved=approved), item.path)


def send_back(station: Station, script_id: str, user: str, now: dt.datetime, comment: str) -> NewsItem:
    """Trả lại: back to Nháp with the approver's comment (an earlier approval is withdrawn)."""
    if not comment.strip():
        raise ApprovalError("trả lại cần có nhận xét", "ghi rõ cần sửa gì để người viết biết")
    item = find(station, script_id)
    review = Review("returned", user, now.isoformat(timespec="seconds"), comment.strip())
    return write_draft(station, replace(Draft.from_item(item), review=review, approved=None), item.path)
