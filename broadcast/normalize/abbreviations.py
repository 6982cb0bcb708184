"""Abbreviations: the lexicon's readings, the ambiguous TT read by its neighbours, an
abbreviation in brackets after its own expansion, and anything else spelled with Vietnamese
letter names (the officer sees those with `normalize --explain` and adds a reading)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from broadcast.normalize.foreign import KNOWN, approximate, is_acronym
from broadcast.normalize.lexicon import Lexicon, has_diacritics, is_syllable, spell


def variants(word: str, mixed: bool = False) -> set[str]:
    """WORD as written, Capitalized, Title Case and UPPER; MIXED: for a phrase also any mix of
    those per word ("PAR Index")."""
    forms = {word, word[:1].upper() + word[1:], word.title(), word.upper()}
    parts = word.split(" ")
    if mixed and 1 < len(parts) <= 3:
        combos = [""]
        for part in parts:
            combos = [f"{c} {f}".lstrip() for c in combos for f in (part, part.capitalize(), part.upper())]
        forms |= set(combos)
    return forms


def alternation(keys) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


def after_word(m: re.Match) -> bool:
    """The match starts inside a word (checked here, not by a leading look-behind: see rules.num())."""
    return m.start() > 0 and (m.string[m.start() - 1].isalnum() or m.string[m.start() - 1] == "_")


# ---------------------------------------------------------------- TT by its neighbours
_STANDING = r"(?:HĐND|HDND|UBND|ĐU|Đảng ủy|Đảng uỷ|HĐ|MTTQ|UBMTTQ|Hội đồng|Huyện ủy|Tỉnh ủy|Thành ủy|BCH|Ban)"
_CENTRE = (r"(?:Y tế|Phục vụ|PVHCC|HCC|Hành chính|Văn hóa|Văn hoá|VH|VHTT|Dịch vụ|DVC|Giáo dục|GDNN|Bồi dưỡng|"
           r"Truyền thông|Chính trị|Học tập|Điều hành|Kiểm soát|Phát triển|Công nghệ|CNTT|Thể dục|Thể thao|"
           r"Quan trắc|Khuyến nông|Cung ứng|Trợ giúp|Giám định|Hội nghị|Lưu trữ|Nước sạch|Quỹ đất|Dạy nghề)")
_TABLE = r"(?:Nội dung|Tên|Họ|Nhiệm vụ|Đơn vị|Hoạt động|Chỉ tiêu|Công việc|Danh mục|Thời gian)"
_TT = re.compile(r"(?<![\w&/.-])TT(?![\w&/-])(\.?)")


def _tt(m: re.Match) -> str:
    """TT is thị trấn, Trung tâm, Truyền thanh, Thường trực or thứ tự: the neighbours say which;
    when they do not, the letters are read (never a guess)."""
    before = m.string[max(0, m.start() - 12): m.start()].rpartition("\n")[2]
    after = m.string[m.end(): m.end() + 24].partition("\n")[0]
    rest = after.lstrip(" \t")
    if re.search(r"Đài[^\S\n]*$", before):
        return "Truyền thanh"
    if re.match(_STANDING + r"(?!\w)", rest) or (m.group(1) and re.match(r"[A-ZĐ]{2}", rest)):
        return "Thường trực" + (" " if m.group(1) and not after.startswith((" ", "\t")) else "")
    if re.match(_CENTRE + r"(?!\w)", rest):
        return "Trung tâm"
    if not before.strip() and (not rest or re.match(_TABLE + r"(?!\w)|[|\t]", after.lstrip(" "))):
        return "Thứ tự"
    word = re.match(r"[^\W\d_]+", rest)
    if word and word.group(0)[:1].isupper() and not word.group(0).isupper() and is_syllable(word.group(0)):
        return "thị trấn"
    return m.group(0)


def ambiguous(text: str) -> str:
    return _TT.sub(_tt, text) if "TT" in text else text


# ---------------------------------------------------------------- "Ủy ban nhân dân (UBND)"
_BRACKETED = re.compile(r"[^\S\n]*\(([A-ZĐ][A-Za-zĐđ&-]*)\)")
_PUNCT = re.compile(r"[^\w\s]")


def _plain(text: str) -> list[str]:
    return _PUNCT.sub(" ", text.lower().replace("uỷ", "ủy")).split()


def repeated_expansions(lexicon: Lexicon) -> Callable[[str], str]:
    """An abbreviation in brackets right after its own expansion is not read again."""
    def read(m: re.Match) -> str:
        reading = lexicon.words.get(m.group(1))
        if not reading:
            return m.group(0)
        said = _plain(reading)
        before = _plain(m.string[max(0, m.start() - 4 * len(reading)): m.start()].rpartition("\n")[2])
        return "" if before[-len(said):] == said else m.group(0)

    return lambda text: _BRACKETED.sub(read, text) if "(" in text else text


# ---------------------------------------------------------------- the lexicon and the rest
_ATOMS = re.compile(r"[^\w]+")


def lexicon_words(lexicon: Lexicon) -> Callable[[str], str]:
    """Capitalised keys match exactly; lowercase keys in any of their usual casings. One
    alternation, longest first ("PAR Index" wins over "PAR"), built from the entries whose
    words all occur in the text: a short pattern scans far faster than the whole lexicon."""
    forms = {f: v for k, v in lexicon.words.items() if k == k.lower() for f in variants(k, mixed=True)}
    forms.update({k: v for k, v in lexicon.words.items() if k != k.lower()})
    atoms = {f: frozenset(a for a in _ATOMS.split(f) if a) for f in forms}

    @lru_cache(maxsize=256)
    def pattern(present: frozenset[str]) -> re.Pattern:
        return re.compile(rf"(?:{alternation(present)})(?:(?<=\W)|(?!\w))")     # "KT.CHỦ TỊCH": a key ending in "."

    def read(m: re.Match) -> str:
        return m.group(0) if after_word(m) else forms[m.group(0)]

    def apply(text: str) -> str:
        words = set(_ATOMS.split(text))
        present = frozenset(f for f, need in atoms.items() if need <= words)
        return pattern(present).sub(read, text) if present else text

    return apply


@lru_cache(maxsize=65536)
def read_word(word: str) -> str:
    """Keep Vietnamese syllables; read a name or foreign word as Vietnamese syllables (Kalmaegi ->
    Can-me-ghi); spell an acronym, or anything else an engine would read in another language."""
    if is_syllable(word):
        return word.lower() if len(word) > 1 and word.isupper() else word
    if has_diacritics(word) and not word.isupper():
        return word
    if not is_acronym(word):
        said = approximate(word)
        if said:
            return said
    return spell(word)


def known_name(word: str) -> bool:
    """A name or foreign word with the reading radio uses (Philippines, vaccine): nothing to check."""
    return not is_acronym(word) and word.lower() in KNOWN


def approximated(word: str, said: str) -> bool:
    """SAID is a syllable reading of a name or foreign word worked out here (not one radio uses,
    foreign.KNOWN), not a spelling letter by letter: worth the officer's ear."""
    return not is_acronym(word) and word.lower() not in KNOWN and approximate(word) == said


_WORD = re.compile(r"[^\W\d_]+")
_PLAIN_TOKENS: set[str] = set()      # tokens seen to be read as written (a set difference skips them in C)


def spelled(text: str) -> dict[str, str]:
    """The words of TEXT an engine would not read as Vietnamese, with their letter-by-letter reading."""
    changes = {}
    for token in set(text.split()) - _PLAIN_TOKENS:
        plain = True
        for word in _WORD.findall(token):
            spoken = read_word(word)
            if spoken != word:
                changes[word] = spoken
                plain = False
        if plain and len(_PLAIN_TOKENS) < 200_000:
            _PLAIN_TOKENS.add(token)
    return changes


def unknown_words(text: str) -> str:
    """Find the words first (fast); substitute only the few that change."""
    changes = spelled(text)
    if not changes:
        return text
    pattern = re.compile(rf"(?<!\w)(?:{alternation(changes)})(?!\w)")
    return pattern.sub(lambda m: changes[m.group(0)], text)
