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
    r"(?:(?<![\w])(BKS|BS)[^\S\n]+)?"
    r"\d(?<![\w.,/-]\d)\d([A-Z]{1,2})(\d?)[^\S\n]*[-–.][^\S\n]*(\d{3})\.(\d{2}|xx)(?!\w|[.,]\d)"
    r"|\d(?<![\w.,/-]\d)\d([A-Z]{1,2})(\d?)[^\S\n]*-[^\S\n]*(\d{4,5})(?![\w.,])")


def _plate(m: re.Match) -> str:
    prefix, series, extra, first, last = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
    if series is None:
        prefix, series, extra, last = None, m.group(6), m.group(7), m.group(8)
    text = m.group(0)[len(prefix) if prefix else 0:].lstrip()
    head = " ".join(p for p in (digits(text[:2]), spell(series), digits(extra or "")) if p)
    if first:
        tail = digits(first) + ", " + (digits(last) if last != "xx" else "hai số cuối bị che")
    else:
        tail = digits(last)
    return ("biển số " if prefix == "BS" else "biển kiểm soát " if prefix else "") + f"{head}, {tail}"


def plates(text: str) -> str:
    """'29A-123.45' -> 'hai chín a, một hai ba, bốn năm' (plates are read digit by digit)."""
    return _PLATE.sub(_plate, text) if "-" in text or "." in text else text


# ---------------------------------------------------------------- flood alarm levels
_ALARM = re.compile(r"(?<![\w])BĐ(?:[^\S\n]*\)|[^\S\n]*)?(\d)(?:[^\S\n]*[-–][^\S\n]*(?:BĐ)?[^\S\n]*(\d))?(?!\w)")
_LEVEL_WORDS = re.compile(r"(?<!\w)((?:báo động|cấp|mức|loại|vòng|đợt)[^\S\n]+)(\d+)[^\S\n]*[-–][^\S\n]*\1(?=\d)",
                          re.IGNORECASE)


def alarm_levels(text: str) -> str:
    """'BĐ1', '(BĐ)1', 'BĐ1-BĐ2' -> báo động một (đến báo động hai); 'báo động 1- báo động 2',
    'cấp 8 - cấp 9' -> … đến …"""
    if "BĐ" in text:
        text = _ALARM.sub(lambda m: f"báo động {cardinal(int(m.group(1)))}"
                          + (f" đến báo động {cardinal(int(m.group(2)))}" if m.group(2) else ""), text)
    if "-" in text or "–" in text:
        text = _LEVEL_WORDS.sub(lambda m: f"{m.group(1)}{m.group(2)} đến {m.group(1)}", text)
    return text


# ---------------------------------------------------------------- weekdays
WEEKDAYS = {"2": "thứ Hai", "3": "thứ Ba", "4": "thứ Tư", "5": "thứ Năm", "6": "thứ Sáu", "7": "thứ Bảy",
            "CN": "Chủ nhật"}
_DAY = r"(?:T[2-7]|CN)"
_WEEKDAY_RUN = re.compile(rf"(?<![\w/.-])(T[2-7]|CN)((?:[^\S\n]*(?:[-–,]|và|đến)[^\S\n]*{_DAY})*)(?![\w/.-])")
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
_CODE = re.compile(r"(?<![\w.,/-])([A-ZĐ]{1,5})([^\S\n]?)(\d{1,6})(?![\w/]|[.,]\d|-\d)")


def codes(lexicon: Lexicon) -> Callable[[str], str]:
    """'ST25', 'OM 5451', 'hạng A1', 'QL51': the letters by their reading (the lexicon's, else letter
    names), the number as a number, four digits and more one by one (OM 5451: năm bốn năm một)."""
    def read(m: re.Match) -> str:
        letters, number = m.group(1), m.group(3)
        known = lexicon.words.get(letters)
        said = known or spell(letters)
        if not known and len(number) >= 4 and not number.endswith("00"):
            return f"{said} {digits(number)}"
        return f"{said} {cardinal(int(number))}"

    return lambda text: _CODE.sub(read, text)


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
_PLACE = re.compile(r"(?<![\w.])(TP|Tp|TX|Q|H|P|X|TT)\.[^\S\n]?(?=[A-ZĐ][a-zà-ỹđ]+(?:[^\S\n]|[,.;:)]|$))")


def place_prefixes(text: str) -> str:
    """'Q.Hải Châu' -> 'quận Hải Châu', 'TP.Biên Hòa' -> 'thành phố Biên Hòa' (not initials: 'H.A.P')."""
    return _PLACE.sub(lambda m: PLACE_PREFIXES[m.group(1)] + " ", text) if "." in text else text
