"""Approval ("Duyệt"): Nháp → Chờ duyệt ("Gửi duyệt") → Đã duyệt ("Duyệt"), or back to Nháp with
a comment ("Trả lại"). The state is written into the item's own front matter (the file stays
the source of truth and planning stays a function of the files); the approval names the
version it approved by hash, so any later edit sends the item back to Chờ duyệt."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from broadcast.errors import BroadcastError
from broadcast.i18n import N_, _, ngettext
from broadcast.news.scripts import Approval, NewsItem, Review
from broadcast.service.scripts import Draft, find, list_scripts, write_draft
from broadcast.service.users import list_users, log_action
from broadcast.station.settings import Station

WRITERS = {"editor", "approver", "admin"}
APPROVERS = {"approver", "admin"}


class ApprovalError(BroadcastError):
    """A step of the approval flow that is not allowed now."""


def pending_count(station: Station) -> int:
    """How many items wait for the leader's approval."""
    return sum(1 for item in list_scripts(station).items if status(station, item) == "pending")


def status(station: Station, item: NewsItem) -> str:
    """draft, pending or approved; with approval off every item counts as approved."""
    return item.status if station.approval.required else "approved"


def _may(station: Station, user: str, roles: set[str]) -> None:
    """Once the station has console users, USER must be one of them with one of ROLES."""
    known = list_users(station)
    if known and not any(u.name == user and u.role in roles and not u.disabled for u in known):
        raise ApprovalError(_("{user!r} may not do this").format(user=user),
                            _("it needs the role {roles} (see: broadcast users list)").format(
                                roles=_(" or ").join(sorted(roles))))


def _write(station: Station, item: NewsItem, draft: Draft, user: str, now: dt.datetime, action: str) -> NewsItem:
    saved = write_draft(station, draft, item.path)
    log_action(station, now, user, action, item.id, saved.approval_hash)
    return saved


def submit(station: Station, script_id: str, user: str, now: dt.datetime) -> NewsItem:
    _may(station, user, WRITERS)
    item = find(station, script_id)
    if item.is_approved:
        raise ApprovalError(_("{id}: the item is already approved").format(id=script_id),
                            _("editing the item sends it back to Awaiting approval"))
    _looked_at(item)
    if item.needs_recording:
        raise item.recording_error()
    review = Review("submitted", user, now.isoformat(timespec="seconds"))
    source = replace(item.source, reviewed=True) if item.source else None     # sending it is reading it
    return _write(station, item, replace(Draft.from_item(item), review=review, source=source), user, now, "item.submit")


def _looked_at(item: NewsItem) -> None:
    """An item from a scan goes for approval only once each line OCR may have garbled was looked at."""
    if item.source is not None and item.source.to_check:
        raise ApprovalError(
            ngettext("{id}: {count} paragraph from the scan has not been looked at yet",
                     "{id}: {count} paragraphs from the scan have not been looked at yet",
                     len(item.source.to_check)).format(id=item.id, count=len(item.source.to_check)),
            _("open the item, compare each marked paragraph with the page image, correct it and tick it as checked"))


def approve(station: Station, script_id: str, user: str, now: dt.datetime) -> NewsItem:
    _may(station, user, APPROVERS)
    item = find(station, script_id)
    if item.is_approved:
        return item
    _looked_at(item)
    if item.needs_recording:
        raise item.recording_error()
    author = item.written_by or (item.review.by if item.review else None)
    if author == user and not station.approval.self_approval:
        raise ApprovalError(_("{id}: {user} wrote this item and cannot approve it").format(id=script_id, user=user),
                            _("ask another approver, or the admin sets 'approval: self_approval: true'"))
    approved = Approval(user, now.isoformat(timespec="seconds"), item.approval_hash)
    return _write(station, item, replace(Draft.from_item(item), review=None, approved=approved), user, now,
                  "item.approve")


def send_back(station: Station, script_id: str, user: str, now: dt.datetime, comment: str) -> NewsItem:
    """Trả lại: back to Nháp with the approver's comment (an earlier approval is withdrawn)."""
    if not comment.strip():
        raise ApprovalError(_("returning an item needs a comment"), _("say what to change, so the writer knows"))
    _may(station, user, APPROVERS)
    item = find(station, script_id)
    review = Review("returned", user, now.isoformat(timespec="seconds"), comment.strip())
    return _write(station, item, replace(Draft.from_item(item), review=review, approved=None), user, now,
                  "item.return")


def reading_changed(station: Station, before, after, comment: str, user: str | None, now: dt.datetime) -> list[str]:
    """A station-wide reading changed (normalizers BEFORE and AFTER): every approved item whose spoken
    text it changes goes back to Chờ duyệt with COMMENT for the approver, since what airs is no longer
    what was approved. Returns their ids."""
    if not station.approval.required:
        return []
    from broadcast.service.scripts import list_scripts

    sent_back = []
    for item in list_scripts(station).items:
        if not item.is_approved or item.audio is not None:
            continue
        if all(before.normalize(text) == after.normalize(text) for text in (item.title, *item.paragraphs)):
            continue
        review = Review("submitted", user or "", now.isoformat(timespec="seconds"), comment)
        _write(station, item, replace(Draft.from_item(item), review=review, approved=None), user, now, "item.reading")
        sent_back.append(item.id)
    return sent_back
