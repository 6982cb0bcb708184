"""link.yaml: the station's link to its province hub (url, station id, token, hub name), in the
station folder, mode 600 from its first byte, written whole then renamed into place. The token
is never shown, logged or put in argv: pages show only that the link is set and to which hub."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from broadcast.errors import BroadcastError, InputError
from broadcast.i18n import _

LINK_FILE = "link.yaml"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class Link:
    url: str                # the hub's base URL, without a trailing slash
    station: str            # the station's id at the hub
    token: str              # its secret
    hub: str                # the hub's name, shown on the station

    def __repr__(self) -> str:               # never the token, even in a traceback
        return f"Link(url={self.url!r}, station={self.station!r}, hub={self.hub!r})"


def link_path(root: Path) -> Path:
    return Path(root) / LINK_FILE


def check_url(url: str) -> str:
    """The hub's base URL, checked: https, or http only to this machine (tests)."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BroadcastError(_("{url!r} is not a web address").format(url=url),
                             _("copy the hub's address from the province, e.g. https://hub.example.gov.vn"))
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise BroadcastError(_("{url}: the link to the province must be encrypted (https), not plain http").format(url=url),
                             _("use the https:// address the province gave; plain http would show the station's key "
                               "to anyone on the way"))
    if parts.query or parts.fragment:
        raise BroadcastError(_("{url!r} is not a web address").format(url=url),
                             _("give only the hub's address, without '?' or '#'"))
    return url


def read_link(root: Path) -> Link | None:
    """The link, or None when the station is not linked. A file others may read is refused."""
    path = link_path(root)
    if not path.exists():
        return None
    info = path.stat()
    if info.st_mode & 0o077:
        raise InputError(path, None, None,
                         _("other users can read the link file (mode {mode:o})").format(mode=stat.S_IMODE(info.st_mode)),
                         _("run: chmod 600 {path}").format(path=path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) and data.get(k)
                                             for k in ("url", "station", "token", "hub")):
        raise InputError(path, None, None, _("the link file is not valid"),
                         _("link the station again with a new code from the province (Cài đặt → Kết nối tỉnh)"))
    return Link(data["url"], data["station"], data["token"], data["hub"])


def write_link(root: Path, link: Link) -> Path:
    path = link_path(root)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as f:
            f.write("# Kết nối với hệ thống thông tin nguồn của tỉnh. Chỉ chủ máy đọc được (chmod 600).\n")
            yaml.safe_dump({"url": link.url, "station": link.station, "token": link.token, "hub": link.hub}, f,
                           allow_unicode=True, sort_keys=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def forget_link(root: Path) -> bool:
    """Remove link.yaml; True if there was one."""
    try:
        link_path(root).unlink()
    except FileNotFoundError:
        return False
    return True
