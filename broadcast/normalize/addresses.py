"""Web addresses and e-mail read as people say them: "dichvucong.gov.vn" -> "dịch vụ công chấm
gốp chấm vê en"; no "hát tê tê pê ét", no raw dots or slashes."""

from __future__ import annotations

import re
from typing import Callable

from broadcast.normalize.lexicon import Lexicon, is_syllable, spell

# Labels people say as words. Place names are read with their tones.
KNOWN = {
    "www": "vê kép vê kép vê kép", "gov": "gốp", "vn": "vê en", "com": "com", "net": "nét", "org": "o rờ gờ",
    "edu": "e đu", "info": "in phô", "mail": "meo", "gmail": "gờ meo", "email": "i meo", "yahoo": "da hu",
    "zalo": "da lô", "facebook": "phây búc", "youtube": "diu túp", "google": "gu gồ", "outlook": "ao lúc",
    "dichvucong": "dịch vụ công", "congdichvucong": "cổng dịch vụ công", "chinhphu": "chính phủ",
    "baochinhphu": "báo chính phủ", "vneid": "vê en e ai đi", "quochoi": "quốc hội", "moj": "mô giê",
    "thanhhoa": "Thanh Hóa", "quangninh": "Quảng Ninh", "binhphuoc": "Bình Phước", "hanoi": "Hà Nội",
    "halong": "Hạ Long", "dongnai": "Đồng Nai", "nghean": "Nghệ An", "haiphong": "Hải Phòng",
    "hochiminhcity": "Hồ Chí Minh xi ti", "tphcm": "tê pê hồ chí minh", "hcmcity": "hát xê em xi ti",
    "ubnd": "u bê en đê", "hdnd": "hát đê en đê", "xa": "xã", "phuong": "phường", "tinh": "tỉnh",
    "tuyenquang": "Tuyên Quang", "laocai": "Lào Cai", "thainguyen": "Thái Nguyên", "phutho": "Phú Thọ",
    "bacninh": "Bắc Ninh", "hungyen": "Hưng Yên", "ninhbinh": "Ninh Bình", "hatinh": "Hà Tĩnh",
    "quangtri": "Quảng Trị", "hue": "Huế", "danang": "Đà Nẵng", "quangngai": "Quảng Ngãi",
    "gialai": "Gia Lai", "daklak": "Đắk Lắk", "khanhhoa": "Khánh Hòa", "lamdong": "Lâm Đồng",
    "tayninh": "Tây Ninh", "cantho": "Cần Thơ", "vinhlong": "Vĩnh Long", "dongthap": "Đồng Tháp",
    "camau": "Cà Mau", "angiang": "An Giang", "caobang": "Cao Bằng", "laichau": "Lai Châu",
    "dienbien": "Điện Biên", "langson": "Lạng Sơn", "sonla": "Sơn La",
}
SCHEME = r"(?:https?://)?"
LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
TLD = r"(?:vn|com|net|org|gov|edu|info|io)"
ADDRESS = re.compile(
    rf"(?<![\w@./])(?:(?P<user>[A-Za-z0-9._%+-]+)@|https?://)?(?P<host>(?:{LABEL}\.)+{TLD})(?![\w-])"
    rf"(?P<path>/[^\s,;)]*[^\s,;.)])?")


def _segments(label: str) -> list[str] | None:
    """LABEL cut into Vietnamese-shaped syllables (toneless), or None."""
    best: list[list[str] | None] = [None] * (len(label) + 1)
    best[0] = []
    for end in range(1, len(label) + 1):
        for start in range(max(0, end - 7), end):
            piece = label[start:end]
            if best[start] is not None and piece.isalpha() and is_syllable(piece) and (
                    best[end] is None or len(best[start]) + 1 < len(best[end])):
                best[end] = best[start] + [piece]
    return best[-1]


def read_label(label: str) -> str:
    lower = label.lower()
    if lower in KNOWN:
        return KNOWN[lower]
    for known in sorted(KNOWN, key=len, reverse=True):     # ubndxa -> u bê en đê xã
        if lower.startswith(known) and len(known) > 2 and lower[len(known):] in KNOWN:
            return f"{KNOWN[known]} {KNOWN[lower[len(known):]]}"
    pieces = _segments(lower) if lower.isalpha() else None
    if pieces and len(pieces) <= 4 and all(len(p) > 1 for p in pieces):
        return " ".join(pieces)
    return spell(lower)


def _read_part(part: str) -> str:
    words = [read_label(w) for w in re.split(r"[-_]", part) if w]
    return " gạch ".join(words)


def _address(m: re.Match) -> str:
    said = []
    if m.group("user"):
        said.append(" chấm ".join(_read_part(p) for p in m.group("user").split(".") if p) + " a còng")
    said.append(" chấm ".join(_read_part(p) for p in m.group("host").split(".")))
    return " ".join(said)          # a path (/p/home/dvc-trang-chu.html) cannot be taken down by ear: the site is said


_ANY = re.compile(rf"\.{TLD}(?![\w-])")


def web_addresses(lexicon: Lexicon) -> Callable[[str], str]:
    """The pass; an address the lexicon knows is read as it says."""
    def read(m: re.Match) -> str:
        address = m.group(0)
        return lexicon.words.get(address) or lexicon.words.get(address.lower()) or _address(m)

    def apply(text: str) -> str:          # line by line: most lines hold no address
        if not _ANY.search(text):
            return text
        return "\n".join(ADDRESS.sub(read, line) if _ANY.search(line) else line for line in text.split("\n"))

    return apply
