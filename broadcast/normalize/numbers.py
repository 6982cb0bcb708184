"""Vietnamese number reading: cardinals, digits, decimals, ordinals, Roman numerals."""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
MONTHS = ("", "một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai")
ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _under_thousand(n: int, full: bool) -> list[str]:
    """Read 0 < n < 1000; `full` reads 'không trăm' / 'linh' as in a non-leading group."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += (["linh"] if words else []) + [DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, DIGITS[units]))
    return words


def _below_billion(n: int, full: bool) -> list[str]:
    words: list[str] = []
    for scale, name in ((1_000_000, "triệu"), (1000, "nghìn"), (1, "")):
        group, n = divmod(n, scale)
        if group:
            words += _under_thousand(group, full or bool(words))
            if name:
                words.append(name)
    return words


def cardinal(n: int) -> str:
    """2024 -> 'hai nghìn không trăm hai mươi tư' (the formal radio reading)."""
    if n < 0:
        return "âm " + cardinal(-n)
    if n == 0:
        return DIGITS[0]
    billions, rest = divmod(n, 1_000_000_000)
    words: list[str] = []
    if billions:
        words += cardinal(billions).split() + ["tỷ"]
    if rest:
        words += _below_billion(rest, bool(billions))
    return " ".join(words)


def digits(text: str) -> str:
    """'0912' -> 'không chín một hai'."""
    return " ".join(DIGITS[int(c)] for c in text if c.isdigit())


def integer(text: str) -> str:
    """Read an integer written with optional '.' thousands separators and leading zeros.

    Beyond 19 digits nobody reads a quantity: read it digit by digit (an ID, a serial).
    """
    plain = text.replace(".", "")
    return digits(plain) if len(plain) > 19 else cardinal(int(plain))


def decimal(text: str) -> str:
    """'1.234,56' -> cardinal part 'phẩy' fraction; a leading '-' reads 'âm'."""
    negative = text.startswith("-")
    whole, _sep, frac = text.lstrip("-").partition(",")
    spoken = integer(whole)
    if frac:
        spoken += " phẩy " + fraction(frac)
    return ("âm " if negative else "") + spoken


def fraction(frac: str) -> str:
    """The digits after the decimal comma as an announcer says them: two digits as a number
    (96,15 -> phẩy mười lăm), a leading zero or three digits and more one by one (0,05 -> phẩy không năm)."""
    return cardinal(int(frac)) if len(frac) == 2 and frac[0] != "0" else digits(frac)


def ordinal(n: int) -> str:
    """Ordinal after 'thứ': 1 -> nhất, 4 -> tư, else cardinal."""
    return {1: "nhất", 4: "tư"}.get(n, cardinal(n))


def month(n: int) -> str:
    return MONTHS[n]


def roman(text: str) -> int | None:
    """Value of a well-formed Roman numeral (any case), else None."""
    s = text.lower()
    if not s or any(c not in ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = ROMAN[c]
        total += -v if i + 1 < len(s) and ROMAN[s[i + 1]] > v else v
    return total if 0 < total < 4000 and _to_roman(total) == s else None


def _to_roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                       (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)
