"""Administrative documents: symbols (384/QĐ-UBND, 59/2020/QH14, 27-NQ/TW) and the signature
and recipient block at a document's end, which is never read on air."""

from __future__ import annotations

import re
from typing import Callable

from broadcast.normalize.lexicon import Lexicon, spell
from broadcast.normalize.numbers import cardinal, integer

AFTER_SYMBOL = r"\w/.,-"
_PART = r"[A-ZĐ][A-ZĐƯ&]*(?:[a-z][A-ZĐ]*)?\d*"       # QĐ, TTg, CTr, QyĐ, QH14: never a word ("Khu")
_SEP = r"[^\S\n]*[-/][^\S\n]*"
NUMBERED_ISSUERS = {"QH": "Quốc hội khóa {n}",      # QH14: the 14th National Assembly
                    "UBTVQH": "Ủy ban Thường vụ Quốc hội khóa {n}"}
LEVELS = r"(?:tỉnh|huyện|xã|phường|thị xã|thị trấn|thành phố|đặc khu)\b"
# "của UBND tỉnh" soon after the symbol: the sentence names the issuer itself
_BARE_PROBE = re.compile(r"[A-ZĐ]/[A-ZĐ]|/[A-ZĐ][A-ZĐa-z]*-")
_ISSUER_FOLLOWS = re.compile(r"[^;!?\n]{0,45}?(?<!\w)của(?!\w)")


def _issuer(part: str, lexicon: Lexicon) -> str | None:
    """How an issuer part is read, or None when the lexicon does not say (never guess:
    TU is Tỉnh ủy in a province and Thành ủy in a city)."""
    letters, number = re.fullmatch(r"(\D+)(\d*)", part).groups()
    if number and letters in NUMBERED_ISSUERS:
        return NUMBERED_ISSUERS[letters].format(n=cardinal(int(number)))
    return lexicon.words.get(part)


def _split(symbol: str) -> list[str]:
    return [p for p in re.split(_SEP, symbol) if p]


def document_symbols(lexicon: Lexicon) -> Callable[[str], str]:
    numbered = re.compile(rf"(\d(?<![{AFTER_SYMBOL}]\d)\d*)([a-z](?=/))?(?:/(\d{{4}}))?{_SEP}({_PART}(?:{_SEP}{_PART})*)"
                          rf"(?![\w/])(?:[^\S\n]*-(?=[^\S\n]*$))?", re.MULTILINE)
    # "NQ/TW" at a line start (its number ended the line before) or "Số: /KH-UBND" (no number yet)
    bare = re.compile(rf"(?:^[^\S\n]*|(?<=/))({_PART}/{_PART}(?:{_SEP}{_PART})*|(?<=/){_PART}-{_PART})(?![\w/])")

    def issuers_said(parts: list[str], typed: bool, m: re.Match) -> str:
        """'của …' for the issuer parts the lexicon knows, unless the sentence says it. A symbol
        without a type (123/UBND-VP) is the issuer's letter: VP is only the drafting office."""
        tail = m.string[m.end():]
        if _ISSUER_FOLLOWS.match(tail) and not re.match(rf"[^\S\n]*{LEVELS}", tail):
            return ""
        known = [_issuer(p, lexicon) for p in (parts if typed else parts[:1])]
        said = [k for k in known if k]
        return " của " + " ".join(said) if said else ""

    def read(m: re.Match) -> str:
        number, letter, year, symbol = m.groups()
        parts = _split(symbol)
        first = re.sub(r"\d+$", "", parts[0])
        doc_type = lexicon.document_types.get(parts[0]) or (
            lexicon.document_types.get(first) if first in NUMBERED_ISSUERS else None)
        issuers = parts[1:] if doc_type and first not in NUMBERED_ISSUERS else parts
        written_before = m.string[max(0, m.start() - 40): m.start()].rpartition("\n")[2]
        before = written_before.lower()
        spoken = integer(number) + (" " + spell(letter) if letter else "")        # 25b/KH: hai mươi lăm bê
        if year:
            spoken += " năm " + cardinal(int(year))
        if not re.search(r"số[^\S\n]*:?[^\S\n]*$", before):          # 'Số: 16/CĐ-TW'
            spoken = "số " + spoken
            typed = written_before.rstrip().endswith(parts[0])     # 'NĐ 30/2020/NĐ-CP': the type is written first
            if doc_type and not before.rstrip().endswith(doc_type) and not typed:
                spoken = f"{doc_type} {spoken}"
        return spoken + issuers_said(issuers, doc_type is not None, m)

    def read_bare(m: re.Match) -> str:
        parts = _split(m.group(1))
        if parts[0] not in lexicon.document_types:
            return m.group(0)
        return issuers_said(parts[1:], True, m).lstrip()

    def apply(text: str) -> str:
        if "/" in text and ")" in text:
            text = RECIPIENT_MARKS.sub("", text)      # "(b/c)" after a recipient: not read
        text = numbered.sub(read, text)
        if not _BARE_PROBE.search(text):
            return text
        return "\n".join(bare.sub(read_bare, line) if _BARE_PROBE.search(line) else line for line in text.split("\n"))

    return apply


# ---------------------------------------------------------------- the signature and recipient block
_BLOCK_START = re.compile(
    r"^[^\S\n]*(?:[-*•+][^\S\n]*)?(?:\*\*)?(?:Nơi nhận[^\S\n]*:|Lưu[^\S\n]*:[^\S\n]*(?:VT|HS|VP)\b"
    r"|(?:KT|TM|TL|TUQ|Q)\.[^\S\n]*(?P<title>\w\w))")
RECIPIENT_MARKS = re.compile(r"\((?:b/c|t/h|p/h|đ/b|c/đ|c/d|t/b|đ/t|để b/c|để t/h)\)", re.IGNORECASE)


def _starts_block(line: str) -> bool:
    m = _BLOCK_START.match(line)
    if m is not None:
        return m.group("title") is None or m.group("title").isupper()     # "KT. CHỦ TỊCH", not "Q. lý"
    return RECIPIENT_MARKS.search(line) is not None


def block_start(lines: list[str]) -> int | None:
    """Index of the first line of a document's signature or recipient block ("Nơi nhận:",
    "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "Lưu: VT", "Sở Nội vụ (b/c);"), else None."""
    return next((i for i, line in enumerate(lines) if _starts_block(line)), None)
