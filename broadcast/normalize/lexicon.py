"""The pronunciation lexicon (built-in YAML plus the station's), spelling and syllable checks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from broadcast import yamlfile
from broadcast.errors import InputError
from broadcast.i18n import _

LETTERS = {     # letter names as announcers spell an abbreviation (DGI: đê giê i), not phonics (dê gờ i)
    "a": "a", "ă": "á", "â": "ớ", "b": "bê", "c": "xê", "d": "đê", "đ": "đê", "e": "e", "ê": "ê",
    "f": "ép", "g": "giê", "h": "hát", "i": "i", "j": "gi", "k": "ca", "l": "e lờ", "m": "em", "n": "en",
    "o": "o", "ô": "ô", "ơ": "ơ", "p": "pê", "q": "quy", "r": "e rờ", "s": "ét", "t": "tê", "u": "u",
    "ư": "ư", "v": "vê", "w": "vê kép", "x": "ích", "y": "i", "z": "dét",
}
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
SYLLABLE = re.compile(
    r"^(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    r"(uyê|uya|oai|oay|oeo|uây|uôi|ươi|ươu|yêu|iêu|iê|yê|uô|ươ|ưa|ưi|ưu|ua|uơ|uâ|uê|uy|oa|oă|oe|"
    r"ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ui|[aăâeêioôơuưy])"
    r"(ng|nh|ch|[cmnpt])?$"
)


def strip_tones(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))


def is_syllable(word: str) -> bool:
    """True if WORD has the shape of one Vietnamese syllable (any case, any tone)."""
    return bool(SYLLABLE.match(strip_tones(word.lower())))


def has_diacritics(word: str) -> bool:
    return any(ord(c) > 127 for c in word)


def spell(token: str) -> str:
    """Spell letters with Vietnamese letter names; digits by digit name."""
    from broadcast.normalize.numbers import DIGITS

    names = []
    for c in strip_tones(token.lower()):
        if c.isdigit():
            names.append(DIGITS[int(c)])
        elif c in LETTERS:
            names.append(LETTERS[c])
    return " ".join(names)


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, str]
    document_types: dict[str, str]

    def merged(self, other: "Lexicon") -> "Lexicon":
        return Lexicon({**self.words, **other.words}, {**self.document_types, **other.document_types})


def _read(located: yamlfile.Located) -> Lexicon:
    data = located.data or {}
    # a file that is not a lexicon (a wrong path: /etc/shadow) is refused by its line, never quoted
    stray = next((key for key in data if key not in ("words", "document_types")), None) \
        if isinstance(data, dict) else ()
    if stray is not None:
        raise InputError(located.path, located.line(stray) if stray != () else 1, None,
                         _("this is not a lexicon: it must have only the sections 'words:' and 'document_types:'"),
                         _("check the file name given as 'lexicon:' in station.yaml"))
    sections = {}
    for section in ("words", "document_types"):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise located.error((section,), _("expected 'written: spoken' lines"))
        for key, value in entries.items():
            if not isinstance(value, str) or not value.strip():
                raise located.error((section, key), _("needs a spoken form"),
                                    _("write it as '{key}: cách đọc'").format(key=key))
        sections[section] = {unicodedata.normalize("NFC", str(k)): unicodedata.normalize("NFC", v)
                             for k, v in entries.items()}
    return Lexicon(sections["words"], sections["document_types"])


def from_text(text: str, path: Path) -> Lexicon:
    """A lexicon file's text (that is, or will be, at PATH), validated."""
    return _read(yamlfile.parse(text, path))


def builtin() -> Lexicon:
    text = resources.files("broadcast.normalize").joinpath("lexicon.yaml").read_text("utf-8")
    return _read(yamlfile.parse(text, Path("<built-in lexicon.yaml>")))


def load(station_lexicon: Path | None) -> Lexicon:
    """The built-in lexicon, overridden by the station's file when given."""
    base = builtin()
    if station_lexicon is None:
        return base
    return base.merged(_read(yamlfile.load(station_lexicon)))
