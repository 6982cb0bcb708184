"""How a text will be read on air ("Xem cách đọc"): the normalizer's output and what it changed;
abbreviations it would spell out. Text only: no audio is imported here."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

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


def segments(text: str, spoken: str) -> tuple[Segment, ...]:
    """Line up written and spoken words; the differing runs are the normalizer's changes."""
    written_words, spoken_words = _TOKEN.findall(text), _TOKEN.findall(spoken)
    matcher = difflib.SequenceMatcher(None, written_words, spoken_words, autojunk=False)
    out = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        said = " ".join(spoken_words[b1:b2])
        if op == "equal":
            out.append(Segment(said))
        elif said:
            out.append(Segment(said, " ".join(written_words[a1:a2])))
    return tuple(out)


def normalizer(station: Station) -> Normalizer:
    return Normalizer.for_station(station.lexicon_path())


def preview_reading(station: Station, text: str, using: Normalizer | None = None) -> Reading:
    """TEXT as it will be read aloud, with what the normalizer changed."""
    spoken = (using or normalizer(station)).normalize(text)
    return Reading(text, spoken, segments(text, spoken))


def unknown_words(station: Station, text: str) -> list[tuple[int, str, str]]:
    """(line, word, how it is spelled) for every word of TEXT the lexicon does not know: it would
    be spelled letter by letter on air, so the officer can add a reading."""
    reader = normalizer(station)
    return [(number, written, said) for number, line in enumerate(text.splitlines(), start=1)
            for written, said in reader.explain(line).spelled]
