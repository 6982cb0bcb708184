"""The province console's users (roles quản trị tỉnh, biên tập tỉnh, xem), signing in (argon2
hashes, wrong passwords slow further tries as at the station), sessions and the audit log. Every
front end of the hub (the `broadcast hub user` commands, the console) calls these."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2.exceptions import InvalidHashError, VerificationError

from broadcast.hub import accounts
from broadcast.i18n import N_, _, known
from broadcast.service import throttle
from broadcast.service.users import MIN_PASSWORD, NAME, UserError, _dummy_hash, _hasher

ROLES = {"quan-tri-tinh": N_("Province admin"), "bien-tap-tinh": N_("Province editor"), "xem": N_("Viewer")}
SESSION_HOURS = 12
COOKIE = "broadcast_hub_session"


@dataclass(frozen=True)
class Session:
    user: str
    role: str
    csrf: str


def role_label(role: str) -> str:
    return _(ROLES[role]) if role in ROLES else role


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def list_users(hub) -> list[accounts.ConsoleUser]:
    with hub.connect() as conn:
        return accounts.users(conn)


def add_user(hub, name: str, role: str, password: str, now: dt.datetime, by: str | None = None):
    if not NAME.match(name):
        raise UserError(_("the user name {name!r} is not valid").format(name=name),
                        _("use lowercase letters without accents, digits, dots or hyphens, 2–32 characters (e.g. lan.vhxh)"))
    if role not in ROLES:
        raise UserError(_("there is no role {role!r}").format(role=role), known(ROLES))
    if len(password) < MIN_PASSWORD:
        raise UserError(_("the password is too short (at least {count} characters)").format(count=MIN_PASSWORD),
                        _("use a phrase that is easy to remember, e.g. loa-xa-minh-duc-2025"))
    with hub.connect() as conn:
        if accounts.user(conn, name):
            raise UserError(_("there is already a user {name!r}").format(name=name), _("choose another name"))
        accounts.insert_user(conn, name, role, _hasher.hash(password), now)
        accounts.record(conn, now, by, "user.add", name, role)
        return accounts.user(conn, name)


def set_password(hub, name: str, password: str, now: dt.datetime, by: str | None = None) -> None:
    """A new password for NAME; her sessions end (signed out everywhere)."""
    if len(password) < MIN_PASSWORD:
        raise UserError(_("the password is too short (at least {count} characters)").format(count=MIN_PASSWORD),
                        _("use a phrase that is easy to remember, e.g. loa-xa-minh-duc-2025"))
    with hub.connect() as conn:
        if accounts.user(conn, name) is None:
            raise UserError(_("there is no user {name!r}").format(name=name),
                            _("see the list: broadcast hub user list"))
        accounts.set_password_hash(conn, name, _hasher.hash(password))
        accounts.end_sessions_of(conn, name)
        accounts.record(conn, now, by, "user.password", name)


def _check(times: list[dt.datetime], free: int, now: dt.datetime) -> None:
    wait = throttle.wait_before_next_try(len(times), free)
    if times and wait and now < times[-1] + wait:
        raise throttle.Throttled(int((times[-1] + wait - now).total_seconds()) + 1)


def authenticate(hub, name: str, password: str, now: dt.datetime, address: str | None = None):
    """The user NAME if PASSWORD is right; wrong tries are counted per address and per name and slow
    later ones (service.throttle's rules); an unknown name takes as long as a wrong password."""
    since = now - throttle.WINDOW
    try:
        with hub.connect() as conn:            # the try counted as wrong first, committed: parallel tries count
            accounts.lock_sign_in(conn)
            if address:
                _check(accounts.failures(conn, since, address=address), throttle.ADDRESS_FREE, now)
            if not (address and accounts.known_address(conn, name, address)):
                _check(accounts.failures(conn, since, name=name), throttle.FREE_TRIES, now)
            reserved = accounts.add_failure(conn, name, address, now)
            user = accounts.user(conn, name)
    except throttle.Throttled as wait:
        raise UserError(_("too many wrong passwords; try again in {seconds} seconds").format(seconds=wait.seconds),
                        _("if you forgot the password, ask the admin to reset it")) from None
    known_user = user is not None and not user.disabled
    try:
        ok = _hasher.verify(user.password_hash if known_user else _dummy_hash(), password) and known_user
    except (VerificationError, InvalidHashError):
        ok = False
    with hub.connect() as conn:
        if ok:
            accounts.passed(conn, name, address, reserved, now)
        accounts.record(conn, now, name if ok else None, "sign-in" if ok else "sign-in.failed", None if ok else name)
    if not ok:
        raise UserError(_("wrong user name or password"), _("check the keyboard input (Unikey) and Caps Lock"))
    return user


def start_session(hub, user: str, now: dt.datetime) -> str:
    """A new session for USER; returns the cookie's token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    with hub.connect() as conn:
        accounts.insert_session(conn, _hash(token), user, secrets.token_urlsafe(32), now,
                                now + dt.timedelta(hours=SESSION_HOURS))
    return token


def load_session(hub, token: str | None, now: dt.datetime) -> Session | None:
    if not token:
        return None
    with hub.connect() as conn:
        row = accounts.session(conn, _hash(token))
        if row is None or row["expires_at"] < now:
            return None
        accounts.extend_session(conn, _hash(token), now + dt.timedelta(hours=SESSION_HOURS))
    return Session(row["name"], row["role"], row["csrf"])


def end_session(hub, token: str | None, now: dt.datetime, user: str) -> None:
    with hub.connect() as conn:
        if token:
            accounts.end_session(conn, _hash(token))
        accounts.record(conn, now, user, "sign-out")


def log_action(hub, now: dt.datetime, user: str | None, action: str, target: str | None = None,
               detail: str | None = None) -> None:
    with hub.connect() as conn:
        accounts.record(conn, now, user, action, target, detail)


def audit_log(hub, user: str | None = None, action: str | None = None, limit: int = 200):
    with hub.connect() as conn:
        return accounts.audit_rows(conn, user, action, limit)


def record(conn, now: dt.datetime, user: str | None, action: str, target: str | None = None,
           detail: str | None = None) -> None:
    """One audit row inside another action's transaction (so both happen or neither)."""
    accounts.record(conn, now, user, action, target, detail)
