"""Text that lost its diacritics (OCR of a scanned plan, a keyboard without Unikey): read
aloud it is nonsense, so the lint flags every such line before it airs."""

from __future__ import annotations

import re

from broadcast.normalize.lexicon import has_diacritics, is_syllable, strip_tones

_TOKEN = re.compile(r"[^\s.,;:!?()\"'“”‘’*\[\]/-]+")
_OCR_HEADING = re.compile(r"^[^\S\n]*(?=[IVXl1|]*[IVX])(?=[IVXl1|]*[1l|])[IVXl1|]{2,}\.")    # "I1I." for "III."


def _impossible(word: str) -> bool:
    """A word no Vietnamese text contains: toneless with a stop ending (cach, muc, thuc), a vowel
    pair with a tone where none can be (truyén), digits or capitals inside (x4, PiCH, DPep)."""
    if any(c.isdigit() for c in word):
        return any(c.isalpha() for c in word)
    if word.isupper() or not word.isalpha():
        return False
    if any(c.isupper() for c in word[1:]):
        return True
    low = word.lower()
    if not is_syllable(low):
        return True
    bare = strip_tones(low)
    return not _has_tone(low) and bool(re.search(r"(?:c|ch|p|t)$", bare)) or _bad_vowels(low)


def _has_tone(word: str) -> bool:
    return strip_tones(word) != word


def _bad_vowels(word: str) -> bool:
    base = strip_tones(word)
    return bool(re.search(r"uye(?!ê)|ii|ee(?!o)|aa|oo(?!ng|c)|uu", base)) and "uyê" not in base


_VOWELS = set("aăâeêioôơuưy" "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def _words(line: str) -> list[str]:
    """The words of LINE; an upper-case token counts when it is a heading's word (NOI DUNG),
    not an abbreviation (UBND)."""
    return [t for t in _TOKEN.findall(line) if any(c in _VOWELS for c in t.lower())
            and (not t.isupper() or is_syllable(t.lower()))]


def _measure(line: str) -> tuple[int, int, int]:
    """(words, words without any diacritic, impossible words) of LINE; tokens without a vowel
    (tx, b/c, đ/c) are abbreviations, not words."""
    words = _words(line)
    bare = sum(1 for w in words if not has_diacritics(w))
    impossible = sum(1 for w in words if _impossible(w))
    return len(words), bare, impossible


def lost_diacritics(line: str) -> bool:
    """LINE on its own looks like Vietnamese that lost its accents."""
    return _lost(line, _measure(line))


def _lost(line: str, measured: tuple[int, int, int]) -> bool:
    if _OCR_HEADING.match(line):
        return True
    words, bare, impossible = measured
    if words == 0:
        return False
    share = bare / words
    return ((impossible >= 1 and share >= 0.5) or (words >= 5 and share >= 0.75)
            or (impossible >= 2 and impossible / words >= 0.3))


def lines_without_diacritics(lines: list[str]) -> list[int]:
    """Indexes of LINES to flag. When most of the text lost its accents, short lines that say
    too little on their own ("Xa.", "- Luu: VT.") are flagged with the rest."""
    measured = [_measure(line) for line in lines]                  # once a line: the costly part
    flagged = [i for i, (line, m) in enumerate(zip(lines, measured)) if _lost(line, m)]
    total = sum(w for w, _b, _i in measured)
    bare = sum(b for _w, b, _i in measured)
    if total >= 12 and bare / total >= 0.6:
        flagged = sorted(set(flagged) | {i for i, (w, b, _i) in enumerate(measured) if w and b / w >= 0.5})
    return flagged
