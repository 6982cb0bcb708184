"""Codes people write with letters and digits together, each read the way it is said on air:
vehicle plates (29A-123.45), flood alarm levels (BĐ1-BĐ2 -> báo động một đến báo động hai),
weekdays (T2–T7, CN), varieties and classes (ST25, OM 5451, hạng A1), coordinates (16,5°N),
storm names written in capitals (bão YAGI)."""

from __future__ import annotations

import re
from typing import Callable

from broadcast.normalize.lexicon import Lexicon, spell
from broadcast.normalize.numbers import cardinal, decimal, digits

# ---------------------------------------------------------------- vehicle plates
_PLATE = re.compile(
    r"\d(?<![\w.,/-]\d)\d([A-Z]{1,2})(\d?)[^\S\n]*[-–.][^\S\n]*(\d{3})\.(\d{2}|xx)(?!\w|[.,]\d)"
    r"|\d(?<![\w.,/-]\d)\d([A-Z]{1,2})(\d?)[^\S\n]*-[^\S\n]*(\d{4,5})(?![\w.,])")


_PLATE_WORD = re.compile(r"(?<!\w)(BKS|BS)[^\S\n]+$")


def _plate(m: re.Match) -> str:
    series, extra, first, last = m.group(1), m.group(2), m.group(3), m.group(4)
    if series is None:
        series, extra, last = m.group(5), m.group(6), m.group(7)
    head = " ".join(p for p in (digits(m.group(0)[:2]), spell(series), digits(extra or "")) if p)
    if first:
        tail = digits(first) + ", " + (digits(last) if last != "xx" else "hai số cuối bị che")
    else:
        tail = digits(last)
    return f"{head}, {tail}"


def _plates(text: str) -> str:
    out, at = [], 0
    for m in _PLATE.finditer(text):
        word = _PLATE_WORD.search(text, max(at, m.start() - 6), m.start())
        start = word.start() if word else m.start()
        said = ("biển số " if word.group(1) == "BS" else "biển kiểm soát ") if word else ""  # BS alone: bác sĩ
        out += [text[at:start], said + _plate(m)]
        at = m.end()
    return "".join(out) + text[at:] if out else text


def plates(text: str) -> str:
    """'29A-123.45' -> 'hai chín a, một hai ba, bốn năm' (plates are read digit by digit)."""
    return _plates(text) if "-" in text or "." in text else text


# ---------------------------------------------------------------- flood alarm levels
_ALARM = re.compile(r"(?<![\w])BĐ(?:[^\S\n]*\)|[^\S\n]*)?(\d)(?:[^\S\n]*[-–][^\S\n]*(?:BĐ)?[^\S\n]*(\d))?(?!\w)")
_LEVEL_WORDS = re.compile(r"[-–][^\S\n]*((?i:báo động|cấp|mức|loại|vòng|đợt)[^\S\n]+)(?=\d)")


def _level_range(m: re.Match) -> str:
    """'cấp 8 - cấp 9': the same word before the first number (looked up only where a dash matched)."""
    before = m.string[max(0, m.start() - len(m.group(1)) - 8): m.start()].lower()
    same = re.search(rf"{re.escape(m.group(1).lower())}\d+[^\S\n]*$", before)
    return f" đến {m.group(1)}" if same else m.group(0)


def alarm_levels(text: str) -> str:
    """'BĐ1', '(BĐ)1', 'BĐ1-BĐ2' -> báo động một (đến báo động hai); 'báo động 1- báo động 2',
    'cấp 8 - cấp 9' -> … đến …"""
    if "BĐ" in text:
        text = _ALARM.sub(lambda m: f"báo động {cardinal(int(m.group(1)))}"
                          + (f" đến báo động {cardinal(int(m.group(2)))}" if m.group(2) else ""), text)
    if "-" in text or "–" in text:
        text = _LEVEL_WORDS.sub(_level_range, text)
    return text


# ---------------------------------------------------------------- weekdays
WEEKDAYS = {"2": "thứ Hai", "3": "thứ Ba", "4": "thứ Tư", "5": "thứ Năm", "6": "thứ Sáu", "7": "thứ Bảy",
            "CN": "Chủ nhật"}
_DAY = r"(?:T[2-7]|CN)"
_WEEKDAY_RUN = re.compile(rf"(T[2-7]|CN)(?<![\w/.-]..)((?:[^\S\n]*(?:[-–,]|và|đến)[^\S\n]*{_DAY})*)(?![\w/.-])")
_RUN_SEP = re.compile(rf"([^\S\n]*(?:[-–,]|và|đến)[^\S\n]*)({_DAY})")


def _day(code: str) -> str:
    return WEEKDAYS[code if code == "CN" else code[1]]


def _weekday_run(m: re.Match) -> str:
    first, rest = m.group(1), m.group(2)
    if first == "CN" and not rest:
        return m.group(0)          # CN alone is also công nhân, công nghệ: only a run of days says which
    said = _day(first)
    for sep, code in _RUN_SEP.findall(rest):
        word = sep.strip()
        said += {"-": " đến ", "–": " đến ", ",": ", "}.get(word, f" {word} ") + _day(code)
    return said


def weekdays(text: str) -> str:
    """'T2–T7 và CN' -> 'thứ Hai đến thứ Bảy và Chủ nhật'; 'T2/2025' (a month) is left to the dates."""
    return _WEEKDAY_RUN.sub(_weekday_run, text) if "T" in text or "CN" in text else text


# ---------------------------------------------------------------- varieties, classes, models
_CODE = re.compile(r"\d(?:(?<=[A-ZĐ]\d)|(?<=[A-ZĐ][^\S\n]\d))\d{0,5}[A-Z]?(?![\w/]|[.,]\d|-\d)")
_CODE_LETTERS = re.compile(r"(?<![\w.,/-])[A-ZĐ]{1,5}[^\S\n]?$")


def codes(lexicon: Lexicon) -> Callable[[str], str]:
    """'ST25', 'OM 5451', 'hạng A1', 'QL51': the letters by their reading (the lexicon's, else letter
    names), the number as a number, four digits and more one by one (OM 5451: năm bốn năm một)."""
    def read(letters: str, number: str) -> str:
        if number[-1].isalpha():                     # 'QL1A', 'QL 14B': a road and its branch
            return f"{read(letters, number[:-1])} {spell(number[-1])}"
        known = lexicon.words.get(letters)
        if known and known[:1].isupper() and len(number) >= 3:
            known = None               # 'VN 121', a variety: the letters, not 'Việt Nam'
        said = known or spell(letters)
        if not known and len(number) >= 4 and not number.endswith("00"):
            return f"{said} {digits(number)}"
        return f"{said} {cardinal(int(number))}"

    def apply(text: str) -> str:          # from the digits (a fast scan), the letters looked up before them
        out, at = [], 0
        for m in _CODE.finditer(text):
            letters = _CODE_LETTERS.search(text, max(at, m.start() - 6), m.start())
            if letters:
                out += [text[at:letters.start()], read(letters.group(0).rstrip(), m.group(0))]
                at = m.end()
        return "".join(out) + text[at:] if out else text

    return apply


# ---------------------------------------------------------------- coordinates
_HEMISPHERES = {"N": "vĩ Bắc", "S": "vĩ Nam", "E": "kinh Đông", "W": "kinh Tây", "B": "vĩ Bắc", "Đ": "kinh Đông",
                "T": "kinh Tây"}
_COORD = re.compile(r"(\d(?<![\w.,]\d)\d*(?:,\d+)?)[^\S\n]*°[^\S\n]*([NSEWBĐT])(?!\w)"
                    r"(?:[^\S\n]*[-–/;,][^\S\n]*(?=\d))?")


def coordinates(text: str) -> str:
    """'16,5°N-112,0°E' -> 'mười sáu phẩy năm độ vĩ Bắc, một trăm mười hai phẩy không độ kinh Đông'."""
    if "°" not in text:
        return text
    return _COORD.sub(lambda m: f"{decimal(m.group(1))} độ {_HEMISPHERES[m.group(2)]}"
                      + (", " if m.group(0)[-1] not in "NSEWBĐT" else ""), text)


# ---------------------------------------------------------------- storm names in capitals
_STORM = re.compile(r"(?<!\w)((?:[Bb]ão|[Ss]iêu bão|BÃO)(?:[^\S\n]+số[^\S\n]+\d+)?[^\S\n]*\(?[^\S\n]*)([A-Z]{3,})(?![\w])")


def storm_names(text: str) -> str:
    """'bão YAGI' -> 'bão Yagi': a storm's name is a name, read as syllables, not spelled as an acronym."""
    return _STORM.sub(lambda m: m.group(1) + m.group(2).capitalize(), text) if "ão" in text or "ÃO" in text else text


# ---------------------------------------------------------------- 'Q.Hải Châu', 'H.Long Thành'
PLACE_PREFIXES = {"TP": "thành phố", "Tp": "thành phố", "TX": "thị xã", "Q": "quận", "H": "huyện", "P": "phường",
                  "X": "xã", "TT": "thị trấn"}
_PLACE = re.compile(r"\.[^\S\n]?(?=[A-ZĐ][a-zà-ỹđ]+(?:[^\S\n]|[,.;:)]|$))", re.MULTILINE)
_PLACE_BEFORE = re.compile(r"(?<![\w.])(?:TP|Tp|TX|TT|Q|H|P|X)$")


def place_prefixes(text: str) -> str:
    """'Q.Hải Châu' -> 'quận Hải Châu', 'TP.Biên Hòa' -> 'thành phố Biên Hòa' (not initials: 'H.A.P')."""
    if "." not in text:
        return text
    out, at = [], 0
    for m in _PLACE.finditer(text):
        prefix = _PLACE_BEFORE.search(text, max(at, m.start() - 3), m.start())
        if prefix:
            out += [text[at:prefix.start()], PLACE_PREFIXES[prefix.group(0)] + " "]
            at = m.end()
    return "".join(out) + text[at:] if out else text


# ---------------------------------------------------------------- initials
_INITIALS = re.compile(r"([A-ZĐ])\.([A-ZĐ])(?:\.([A-ZĐ]))?(?:\.([A-ZĐ]))?\.?(?![\w])")


def initials(text: str) -> str:
    """'ông H.A.P', 'tài xế L.C.M.' -> the letters by name (hát, a, pê): the dots are not pauses."""
    if "." not in text:
        return text
    return _INITIALS.sub(lambda m: m.group(0) if m.start() and (m.string[m.start() - 1].isalnum()
                                                                or m.string[m.start() - 1] == ".")
                         else ", ".join(spell(c) for c in m.groups() if c), text)
