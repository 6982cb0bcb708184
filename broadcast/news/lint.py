"""Script checks that need the station: validation plus reading-quality warnings."""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Callable

from broadcast.errors import InputError
from broadcast.i18n import _, known, ngettext
from broadcast.news.scripts import CheckResult, NewsItem, check_scripts
from broadcast.normalize import Normalizer, lines_without_diacritics
from broadcast.normalize.documents import block_start
from broadcast.normalize.tables import tables
from broadcast.station.settings import Station


def reading_warnings(normalizer: Normalizer) -> Callable[[NewsItem], list[InputError]]:
    """Lines that would be read badly: lost diacritics, a document's signature or recipient block
    (never aired), a table pasted from Word (read row by row), abbreviations with no reading
    (spelled letter by letter), names read by a worked-out approximation."""
    def warn(item: NewsItem) -> list[InputError]:
        st = os.stat(item.path)
        return list(_reading(item, normalizer, st.st_ino, st.st_mtime_ns, st.st_size))

    return warn


@functools.lru_cache(maxsize=4096)
def _reading(item: NewsItem, normalizer: Normalizer, inode: int, mtime_ns: int, size: int) -> tuple[InputError, ...]:
    lines = item.path.read_text("utf-8-sig").splitlines()[item.body_line - 1:]
    at = item.body_line
    warnings = []
    ocr = set(lines_without_diacritics(lines))              # a set: looked up once a line
    for index in sorted(ocr):
        warnings.append(InputError(item.path, at + index, _("body"), _("text looks like it lost its diacritics (dấu)"),
                                   _("retype the line with Vietnamese accents (Unikey, Telex)")))
    block = block_start(lines)
    if block is not None:
        warnings.append(InputError(item.path, at + block, _("body"),
                                   _("a document's signature or recipient block (Nơi nhận, KT., TM., Lưu): "
                                     "it is not read on air"),
                                   _("delete these lines from the news item")))
    found = tables(lines[:block])
    headers = {table.first for table in found if table.header}      # not read: its words are not warned about
    for table in found:
        warnings.append(InputError(item.path, at + table.first, _("body"),
                                   _("a table pasted from Word or a web page: each row is read as one sentence "
                                     "and its header row is not read"),
                                   _("listen to it, or write the table out as sentences")))
    for index, line in enumerate(lines[:block]):
        if index in ocr or index in headers:     # said once: the accents are the problem, not the words
            continue
        explained = normalizer.explain(line)
        for written, said in explained.approximated:
            warnings.append(InputError(item.path, at + index, written,
                                       _("a name read as Vietnamese syllables ({said}): check it by ear")
                                       .format(said=said),
                                       _("add a reading in Cài đặt, Cách đọc, or: broadcast lexicon add {written} \"…\"")
                                       .format(written=written)))
        for written, spelled in explained.spelled:
            warnings.append(InputError(item.path, at + index, written,
                                       _("no reading: it is spelled letter by letter ({spelled})").format(spelled=spelled),
                                       _("add a reading in Cài đặt, Cách đọc, or: broadcast lexicon add {written} \"…\"")
                                       .format(written=written)))
    return tuple(sorted(warnings, key=lambda w: w.line or 0))


def check_news(station: Station, paths: list[Path]) -> CheckResult:
    readings = reading_warnings(Normalizer.for_station(station.lexicon_path()))
    voices = functools.cache(_station_voices)        # the engines are loaded only for an item that names a voice

    def warn(item: NewsItem) -> list[InputError]:
        if item.language is not None:               # not Vietnamese, never read by a voice: nothing to warn of
            return []
        return readings(item) + (voice_warnings(item, voices(station)) if item.voice is not None else [])

    result = check_scripts(paths, station.topics, warn=warn)
    result.problems.extend(item.recording_error() for item in result.items if item.needs_recording)
    return result


def _station_voices(station: Station) -> frozenset[str]:
    from broadcast.speech.registry import build_engines

    return frozenset(v for engine in build_engines(station) for v in engine.voices())


def voice_warnings(item: NewsItem, voices: frozenset[str]) -> list[InputError]:
    """A voice no engine of the station has (it would be read by the engine's default voice)."""
    if item.voice is None or item.voice in voices:
        return []
    lines = item.path.read_text("utf-8-sig").splitlines()[:item.body_line]
    line = next((n for n, text in enumerate(lines, 1) if text.startswith("voice:")), None)
    return [InputError(item.path, line, "voice", _("no speech engine of this station has the voice {voice!r}: "
                                                   "it would be read in the engine's default voice")
                       .format(voice=item.voice), known(sorted(voices)))]


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
