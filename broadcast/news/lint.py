"""Script checks that need the station: validation plus reading-quality warnings."""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path

from broadcast.errors import InputError
from broadcast.i18n import _, ngettext
from broadcast.news.scripts import CheckResult, NewsItem, check_scripts
from broadcast.normalize import lost_diacritics
from broadcast.station.settings import Station


def diacritics_warnings(item: NewsItem) -> list[InputError]:
    """Lines that look like OCR output without accents: they would be read as nonsense."""
    st = os.stat(item.path)
    return list(_diacritics(item, st.st_ino, st.st_mtime_ns, st.st_size))


@functools.lru_cache(maxsize=4096)
def _diacritics(item: NewsItem, inode: int, mtime_ns: int, size: int) -> tuple[InputError, ...]:
    warnings = []
    lines = item.path.read_text("utf-8-sig").splitlines()
    for number, line in enumerate(lines[item.body_line - 1:], start=item.body_line):
        if lost_diacritics(line):
            warnings.append(InputError(item.path, number, _("body"), _("text looks like it lost its diacritics (dấu)"),
                                       _("retype the line with Vietnamese accents (Unikey, Telex)")))

    return tuple(warnings)


def check_news(station: Station, paths: list[Path]) -> CheckResult:
    return check_scripts(paths, station.topics, warn=diacritics_warnings)


EXPIRY_NOTICE_DAYS = 30          # warn this long before an item stops airing


def validity_warnings(items: list[NewsItem], today: dt.date) -> list[InputError]:
    """Items that no longer air (expired) or stop airing within EXPIRY_NOTICE_DAYS."""
    warnings = []
    for item in items:
        left = (item.valid_until - today).days
        if left < 0:
            problem = _("expired on {date}: it no longer airs").format(date=f"{item.valid_until:%d/%m/%Y}")
        elif left <= EXPIRY_NOTICE_DAYS:
            problem = ngettext("expires on {date}, in {count} day", "expires on {date}, in {count} days", left).format(
                date=f"{item.valid_until:%d/%m/%Y}", count=left)
        else:
            continue
        warnings.append(InputError(item.path, None, "valid_until", problem,
                                   _("extend valid_until if the news still holds, or delete the item")))
    return warnings
