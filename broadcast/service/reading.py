"""How a text will be read on air ("Xem cách đọc"): the normalizer's output and what it changed;
abbreviations it would spell out. Text only: no audio is imported here."""

from __future__ import annotations

import difflib
import re
import threading
from dataclasses import dataclass

from broadcast.errors import InputError
from broadcast.i18n import _
from broadcast.normalize import Normalizer
from broadcast.station.settings import Station


@dataclass(frozen=True)
class Change:
    written: str                     # as the officer wrote it
    spoken: str                      # as the announcer reads it


@dataclass(frozen=True)
class Segment:
    """A run of the spoken text; `written` is set where the normalizer changed the text."""

    spoken: str
    written: str | None = None


@dataclass(frozen=True)
class Reading:
    text: str
    spoken: str
    segments: tuple[Segment, ...]

    @property
    def changes(self) -> list[Change]:
        return [Change(s.written, s.spoken) for s in self.segments if s.written is not None]


_TOKEN = re.compile(r"\S+")
_PARAGRAPHS = re.compile(r"(\n[^\S\n]*\n\s*)")
MAX_PREVIEW = 50_000             # characters a preview reads (a 5,000-word item is about 30,000)
WINDOW = 200                     # written words lined up at a time: the alignment stays linear in the text


class Stopped(Exception):
    """The preview was stopped (its reader left)."""


def _check(stop: threading.Event | None) -> None:
    if stop is not None and stop.is_set():
        raise Stopped()


def segments(text: str, spoken: str, stop: threading.Event | None = None) -> tuple[Segment, ...]:
    """Line up written and spoken words; the differing runs are the normalizer's changes. The words
    are lined up a window at a time, each window ending at the last run both sides share (a
    whole-text diff is quadratic: 16 KB took seconds, 100 KB minutes)."""
    written_words, spoken_words = _TOKEN.findall(text), _TOKEN.findall(spoken)
    out: list[Segment] = []
    i = j = 0
    while i < len(written_words) or j < len(spoken_words):
        _check(stop)
        last = i + WINDOW >= len(written_words)
        a = written_words[i:i + WINDOW]
        b = spoken_words[j:] if last else spoken_words[j:j + 4 * WINDOW]     # room for "17/01/2024" -> 12 words
        ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if not last:
            anchor = max((k for k, op in enumerate(ops) if op[0] == "equal"), default=None)
            ops = ops[:anchor + 1] if anchor is not None else [("replace", 0, len(a), 0, min(len(a), len(b)))]
        for op, a1, a2, b1, b2 in ops:
            said = " ".join(b[b1:b2])
            if op == "equal":
                out.append(Segment(said))
            elif said:
                out.append(Segment(said, " ".join(a[a1:a2])))
        i, j = i + ops[-1][2], j + ops[-1][4]
        if last:
            break
    return tuple(out)


def normalizer(station: Station) -> Normalizer:
    return Normalizer.for_station(station.lexicon_path())


def preview_reading(station: Station, text: str, using: Normalizer | None = None,
                    stop: threading.Event | None = None) -> Reading:
    """TEXT as it will be read aloud, with what the normalizer changed: a paragraph at a time (as
    it airs), stopped between them once STOP is set (raises Stopped). Up to MAX_PREVIEW characters."""
    if len(text) > MAX_PREVIEW:
        raise InputError(_("Reading preview"), None, _("Text"),
                         _("the text is too long to preview ({count} characters; at most {most})").format(
                             count=f"{len(text):,}".replace(",", "."), most=f"{MAX_PREVIEW:,}".replace(",", ".")),
                         _("preview it a few paragraphs at a time"))
    reader = using or normalizer(station)
    spoken = []
    for block in _PARAGRAPHS.split(text):
        _check(stop)
        spoken.append(block if _PARAGRAPHS.fullmatch(block) else reader.normalize(block))
    spoken_text = "".join(spoken)
    return Reading(text, spoken_text, segments(text, spoken_text, stop))


def unknown_words(station: Station, text: str) -> list[tuple[int, str, str]]:
    """(line, word, how it is spelled) for every word of TEXT the lexicon does not know: it would
    be spelled letter by letter on air, so the officer can add a reading."""
    reader = normalizer(station)
    return [(number, written, said) for number, line in enumerate(text.splitlines(), start=1)
            for written, said in reader.explain(line).spelled]
