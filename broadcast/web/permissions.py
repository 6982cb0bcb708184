"""What each role may do. Every route names one permission; the guard checks it."""

from __future__ import annotations

PERMISSIONS = {
    "view": {"viewer", "editor", "approver", "admin"},       # see every page
    "write": {"editor", "approver", "admin"},                # write items, queue them
    "approve": {"approver", "admin"},                        # approve or return items
    "emergency": {"editor", "approver", "admin"},            # Phát khẩn cấp
    "admin": {"admin"},                                      # users, settings
}
PUBLIC = "public"                                            # sign-in page, static files


def allowed(role: str | None, permission: str) -> bool:
    return permission == PUBLIC or (role is not None and role in PERMISSIONS[permission])
