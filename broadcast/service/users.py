"""Console users and their roles, signing in (argon2 hashes; wrong passwords slow further tries:
service.throttle), and the audit log every front end writes to."""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
from contextlib import closing
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from broadcast.errors import BroadcastError
from broadcast.i18n import N_, _, known
from broadcast.records import audit
from broadcast.service import throttle
from broadcast.station import db
from broadcast.station.settings import Station

ROLES = {"admin": N_("Admin"), "editor": N_("Editor"), "approver": N_("Approver"), "viewer": N_("Viewer")}   # shown with _()
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD = 8
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)   # argon2id, OWASP's profile:
# 19 MiB a sign-in instead of the library's 64 MiB, for a cheap station PC


class UserError(BroadcastError):
    """A user that cannot be created, changed or signed in."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    disabled: bool
    created_at: dt.datetime

    @property
    def role_label(self) -> str:
        return _(ROLES[self.role])


def _user(row) -> User:
    return User(row["name"], row["role"], bool(row["disabled"]), dt.datetime.fromisoformat(row["created_at"]))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(_("the password is too short (at least {count} characters)").format(count=MIN_PASSWORD),
                        _("use a phrase that is easy to remember, e.g. loa-xa-minh-duc-2025"))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(_("there is no role {role!r}").format(role=role), known(ROLES))


def list_users(station: Station) -> list[User]:
    with closing(db.connect(station.db_path)) as conn:
        return [_user(r) for r in conn.execute("SELECT * FROM users ORDER BY name")]


def add_user(station: Station, name: str, role: str, password: str, now: dt.datetime, by: str | None = None) -> User:
    if not NAME.match(name):
        raise UserError(_("the user name {name!r} is not valid").format(name=name),
                        _("use lowercase letters without accents, digits, dots or hyphens, 2–32 characters (e.g. lan.vhxh)"))
    _check_role(role)
    _check_password(password)
    with closing(db.connect(station.db_path)) as conn:
        if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise UserError(_("there is already a user {name!r}").format(name=name),
                            _("choose another name, or change the password with 'broadcast users passwd'"))
        conn.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                     (name, role, _hasher.hash(password), now.isoformat(timespec="seconds")))
        audit.record(conn, now, by, "user.add", name, role)
        return _user(conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone())


def _existing(conn, name: str):
    row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise UserError(_("there is no user {name!r}").format(name=name), _("see the list: broadcast users list"))
    return row


def remove_user(station: Station, name: str, now: dt.datetime, by: str | None = None) -> None:
    with closing(db.connect(station.db_path)) as conn:
        _existing(conn, name)
        conn.execute("DELETE FROM sessions WHERE user = ?", (name,))
        conn.execute("DELETE FROM users WHERE name = ?", (name,))
        audit.record(conn, now, by, "user.remove", name)


def set_password(station: Station, name: str, password: str, now: dt.datetime, by: str | None = None) -> None:
    _check_password(password)
    with closing(db.connect(station.db_path)) as conn:
        _existing(conn, name)
        conn.execute("UPDATE users SET password_hash = ? WHERE name = ?", (_hasher.hash(password), name))
        conn.execute("DELETE FROM sessions WHERE user = ?", (name,))       # signed out everywhere
        audit.record(conn, now, by, "user.password", name)


def set_role(station: Station, name: str, role: str, now: dt.datetime, by: str | None = None) -> None:
    _check_role(role)
    with closing(db.connect(station.db_path)) as conn:
        _existing(conn, name)
        conn.execute("UPDATE users SET role = ? WHERE name = ?", (role, name))
        audit.record(conn, now, by, "user.role", name, role)


def set_disabled(station: Station, name: str, disabled: bool, now: dt.datetime, by: str | None = None) -> None:
    with closing(db.connect(station.db_path)) as conn:
        _existing(conn, name)
        conn.execute("UPDATE users SET disabled = ? WHERE name = ?", (int(disabled), name))
        if disabled:
            conn.execute("DELETE FROM sessions WHERE user = ?", (name,))
        audit.record(conn, now, by, "user.disable" if disabled else "user.enable", name)


def authenticate(station: Station, name: str, password: str, now: dt.datetime, address: str | None = None) -> User:
    """The user NAME if PASSWORD is right. Wrong tries are counted per ADDRESS (the client's) and per
    name, and slow later ones (service.throttle); an unknown name takes as long as a wrong password."""
    with closing(db.connect(station.db_path)) as conn:
        try:
            reserved = throttle.reserve(conn, name, address, now)
        except throttle.Throttled as wait:
            raise UserError(_("too many wrong passwords; try again in {seconds} seconds").format(seconds=wait.seconds),
                            _("if you forgot the password, ask the admin to reset it")) from None
        row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        known = row is not None and not row["disabled"]
        try:
            ok = _hasher.verify(row["password_hash"] if known else _dummy_hash(), password) and known
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            audit.record(conn, now, None, "sign-in.failed", name)
            raise UserError(_("wrong user name or password"), _("check the keyboard input (Unikey) and Caps Lock"))
        throttle.passed(conn, name, address, reserved, now)
        if _hasher.check_needs_rehash(row["password_hash"]):
            conn.execute("UPDATE users SET password_hash = ? WHERE name = ?", (_hasher.hash(password), name))
        audit.record(conn, now, name, "sign-in")
        return _user(row)


@functools.cache
def _dummy_hash() -> str:
    """A hash checked for names that do not exist, so they answer as slowly as a wrong password."""
    return _hasher.hash(secrets.token_urlsafe(16))


def log_action(station: Station, now: dt.datetime, user: str | None, action: str, target: str | None = None,
               detail: str | None = None) -> None:
    """One audit row: the front ends call this after each change they make for a user."""
    with closing(db.connect(station.db_path)) as conn:
        audit.record(conn, now, user, action, target, detail)


def audit_log(station: Station, user: str | None = None, action: str | None = None, limit: int = 200):
    with closing(db.connect(station.db_path)) as conn:
        return audit.rows(conn, user, action, limit)
