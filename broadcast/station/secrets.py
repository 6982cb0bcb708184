"""The station's keys for online voice services, in one file only the station's owner can read
(`secrets.yaml` in the station folder, mode 600). A key is never put in argv, a log, the audit
log, an error message or a page: pages show only that it is set and its last four characters."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from broadcast.errors import InputError
from broadcast.i18n import _

SECRETS_FILE = "secrets.yaml"
KEY_ENGINES = ("fpt", "viettel", "google")        # engines that need a key
SHOWN = 4                                          # characters of a key a page may show


def secrets_path(root: Path) -> Path:
    return Path(root) / SECRETS_FILE


def _check_mode(path: Path) -> None:
    info = path.stat()
    if info.st_mode & 0o077:
        raise InputError(path, None, None,
                         _("other users can read the keys file (mode {mode:o})").format(mode=stat.S_IMODE(info.st_mode)),
                         _("run: chmod 600 {path}").format(path=path))
    if info.st_uid != os.geteuid():
        raise InputError(path, None, None, _("the keys file belongs to another user"),
                         _("run as the station's user: chown $(id -un) {path}; chmod 600 {path}").format(path=path))


def read_keys(root: Path) -> dict[str, str]:
    """ENGINE -> key; {} when there is no file. A file others may read is refused."""
    path = secrets_path(root)
    if not path.exists():
        return {}
    _check_mode(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        raise InputError(path, None, None, _("the keys file is not valid"),
                         _("enter the keys again in Cài đặt → Giọng đọc, or 'broadcast voices key ENGINE'")) from None
    if not isinstance(data, dict):
        raise InputError(path, 1, None, _("expected a mapping of settings"))
    return {str(k): str(v) for k, v in data.items() if k in KEY_ENGINES and v}


def read_key(root: Path, engine: str) -> str | None:
    return read_keys(root).get(engine)


def write_key(root: Path, engine: str, key: str) -> None:
    """Set (or, with an empty KEY, remove) ENGINE's key: the file is written whole, mode 600 from
    its first byte, then renamed into place."""
    if engine not in KEY_ENGINES:
        raise InputError(SECRETS_FILE, None, engine, _("this engine needs no key"),
                         _("keys are for: {names}").format(names=", ".join(KEY_ENGINES)))
    key = key.strip()
    if any(c.isspace() for c in key) or len(key) > 4096:
        raise InputError(SECRETS_FILE, None, engine, _("a key is one word, without spaces"),
                         _("copy the key again from the service's console"))
    keys = read_keys(root)
    if key:
        keys[engine] = key
    else:
        keys.pop(engine, None)
    path = secrets_path(root)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as f:
            f.write("# Khóa dịch vụ giọng đọc trực tuyến. Chỉ chủ máy đọc được (chmod 600).\n")
            yaml.safe_dump(keys, f, allow_unicode=True, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def shown(key: str | None) -> str:
    """What a page may show of KEY: its last four characters (none of a short key)."""
    if not key:
        return ""
    return "…" + key[-SHOWN:] if len(key) >= 3 * SHOWN else "…"
