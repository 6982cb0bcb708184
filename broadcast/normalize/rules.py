"""The reading rules: ordered regex passes that turn written text into spoken words.

Each pass replaces what it recognises with Vietnamese words (never digits), so a later
pass cannot read the same characters twice. The order matters: phone numbers and
document symbols before dates, dates before fractions, units before bare numbers.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from broadcast.normalize.lexicon import Lexicon, has_diacritics, is_syllable, spell
from broadcast.normalize.numbers import (
    cardinal,
    decimal,
    digits,
    integer,
    month,
    ordinal,
    roman,
)

INT = r"\d{1,3}(?:\.\d{3})+(?!\d)|\d+"
NUM = rf"(?:{INT})(?:,\d+)?"
# characters that may not precede a number of each kind
AFTER_CLOCK = r"\w:.,"
AFTER_CLOCK_OR_SLASH = r"\w:.,/"
AFTER_DATE = r"\d/.,-"
AFTER_DATE_PART = r"\d/.,"
AFTER_FRACTION = r"\w/.,"
AFTER_NUMBER = r"\w.,"
AFTER_SYMBOL = r"\w/.,-"
AFTER_WORD = r"\w"
NUM_REST = r"(?:\d{0,2}(?:\.\d{3})+(?!\d)|\d*)(?:,\d+)?"   # NUM after its first digit


def num(before: str) -> str:
    """NUM, not preceded by a character of the class BEFORE.

    Every number pattern starts by consuming a digit and checks what precedes it only then:
    Python's re scans for a pattern's first character quickly, but not past a leading
    look-behind (measured: 3.6x faster scans)."""
    return rf"\d(?<![{before}]\d){NUM_REST}"


def digits_from(before: str, more: str = "*") -> str:
    """One or more digits (\\d+ for MORE='*', \\d{1,2} for '?'), not after class BEFORE."""
    return rf"\d(?<![{before}]\d)\d{more}"
DATE_CONTEXT = r"(?:ngày|hôm|từ|đến|hết|trước|sau|sáng|chiều|tối|trưa|đêm|mùng|mồng|và|hoặc)"

UNITS = {  # written unit -> spoken; matched case-sensitively first, then lower-cased
    "km²": "ki lô mét vuông", "km2": "ki lô mét vuông", "m²": "mét vuông", "m2": "mét vuông",
    "cm²": "xăng ti mét vuông", "cm³": "xăng ti mét khối", "m³": "mét khối", "m3": "mét khối",
    "km": "ki lô mét", "cm": "xăng ti mét", "mm": "mi li mét", "m": "mét",
    "kg": "ki lô gam", "mg": "mi li gam", "g": "gam", "tấn": "tấn", "tạ": "tạ", "yến": "yến",
    "ml": "mi li lít", "l": "lít", "lít": "lít", "ha": "héc ta", "inch": "in",
    "gb": "gi ga bai", "Gb": "gi ga bai", "GB": "gi ga bai", "tb": "tê ra bai", "TB": "tê ra bai",
    "Mb": "mê ga bai", "MB": "mê ga bai", "mb": "mê ga bai", "kb": "ki lô bai", "KB": "ki lô bai",
    "°c": "độ xê", "°C": "độ xê", "°f": "độ ép", "°F": "độ ép", "°k": "độ ca", "°K": "độ ca", "°": "độ",
    "v": "vôn", "V": "vôn", "kw": "ki lô oát", "kW": "ki lô oát", "mV": "mi li vôn", "mA": "mi li am pe",
    "kwh": "ki lô oát giờ", "kWh": "ki lô oát giờ", "w": "oát", "W": "oát", "tw": "tê ra oát",
    "hz": "hẹc", "Hz": "hẹc", "ghz": "gi ga hẹc", "GHz": "gi ga hẹc", "Mhz": "mê ga hẹc",
    "MHz": "mê ga hẹc", "khz": "ki lô hẹc", "kHz": "ki lô hẹc", "hp": "mã lực",
    "h": "giờ", "min": "phút", "s": "giây", "ngày": "ngày", "giờ": "giờ", "tháng": "tháng",
    "người": "người", "hộ": "hộ",
}
CURRENCIES = {"đ": "đồng", "₫": "đồng", "đồng": "đồng", "$": "đô la", "€": "ơ rô",
              "¥": "yên nhật", "£": "bảng anh", "₹": "ru pi"}
CENTS = {"$", "€"}
ROMAN_KEYWORDS = (r"thế kỉ|thế kỷ|chương|phần|mục|đoạn|khoản|phụ lục|khóa|khoá|số|thứ|quý|tập|bài|"
                  r"kỳ|kì|lần|đợt|giai đoạn|đại hội|hội nghị|nhiệm kỳ|cấp|loại|hạng|vùng|năm")


def _unit_pattern(units) -> str:
    return "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))


UNIT_RE = _unit_pattern(UNITS)


def _unit(written: str) -> str:
    return UNITS.get(written) or UNITS.get(written.lower(), written)


def line_before(m: re.Match, chars: int) -> str:
    """Up to CHARS characters before the match, on its own line (the context of a reading)."""
    return m.string[max(0, m.start() - chars): m.start()].rpartition("\n")[2]


def _sub(pattern: str, repl: Callable[[re.Match], str], flags: int = 0):
    compiled = re.compile(pattern, flags)
    return lambda text: compiled.sub(repl, text)


# ---------------------------------------------------------------- cleaning
_QUOTES = re.compile(r"[“”„\"«»]")
_BULLET = re.compile(r"(?m)^[^\S\n]*[-+•*][^\S\n]+")
_DASH = re.compile(r"[^\S\n]+[–—][^\S\n]+")
_TIMES = re.compile(r"[x×](?=[ \t]*\d)")


def _times(m: re.Match) -> str:
    """'2x3', '3 x 4m' -> nhân (only after a digit, ², ³ or a lowercase unit)."""
    before = line_before(m, 3).rstrip(" \t")
    return " nhân " if before and (before[-1] in "²³" or before[-1].isdigit() or "a" <= before[-1] <= "z") \
        else m.group(0)


def clean(text: str) -> str:
    """Text may hold several lines; each pass keeps them apart (no pattern matches a newline)."""
    text = text.replace("\u00d0", "Đ").replace("\u0110", "Đ").replace("…", ".").replace("\u00a0", " ")
    text = _QUOTES.sub("", text)
    text = _BULLET.sub("", text)
    if "–" in text or "—" in text:
        text = _DASH.sub(", ", text)
    if "×" in text or "x" in text:
        text = _TIMES.sub(_times, text)
    return text


# ---------------------------------------------------------------- phone numbers
PHONE_CONTEXT = r"(?:điện thoại|ĐT|SĐT|đường dây nóng|hotline|Hotline|số máy|gọi|Zalo|fax|Fax)"


def _phone(m: re.Match) -> str:
    raw = m.group("num")
    prefix = ""
    if raw.startswith("+84"):
        prefix, raw = "cộng tám tư, ", raw[3:]
    groups = [g for g in re.split(r"[\s.()-]+", raw) if g]
    if len(groups) == 1 and len(groups[0]) >= 10:
        g = groups[0]
        groups = [g[:4], g[4:7], g[7:]]
    return m.group("pre") + prefix + ", ".join(digits(g) for g in groups)


_PHONE_NUMBER = r"(?:\+84|\(0\d{2,3}\)|0\d)(?:[ \t.-]?\d){7,10}"
_context_phones = re.compile(
    rf"(?P<pre>{PHONE_CONTEXT}:?[^\S\n]*)(?P<num>{_PHONE_NUMBER}|(?<=[: \t])1[089]00(?:[ \t.]?\d){{4,6}})(?![\d,])")
_bare_phones = re.compile(
    r"(?P<pre>)(?P<num>(?:\+(?<![\w.,]\+)84|\((?<![\w.,]\()0\d{2,3}\)|0(?<![\w.,]0)\d)(?:[ \t.-]?\d){7,10})(?![\d,])")


def phone_numbers(text: str) -> str:
    def read(m: re.Match) -> str:
        return _phone(m) if _phone_like(m) else m.group(0)

    return _bare_phones.sub(read, _context_phones.sub(read, text))


def _phone_like(m: re.Match) -> bool:
    n = sum(c.isdigit() for c in m.group("num"))
    return 8 <= n <= 12 and (n >= 10 or bool(m.group("pre").strip()))


def context_digits(text: str) -> str:
    """Short service numbers after a phone word: 'đường dây nóng 1022' -> digit by digit."""
    return re.sub(rf"({PHONE_CONTEXT}:?[^\S\n]+)(\d{{3,6}})(?![\d.,])",
                  lambda m: m.group(1) + digits(m.group(2)), text)


# ---------------------------------------------------------------- document symbols
def document_symbols(lexicon: Lexicon) -> Callable[[str], str]:
    part = r"[A-ZĐ][A-Za-zĐđƯư&]*"
    pattern = re.compile(rf"({digits_from(AFTER_SYMBOL)})(?:/(\d{{4}}))?([/-])({part}(?:[-/]{part})*)(?![\w/])")

    def read(m: re.Match) -> str:
        number, year, _kind, symbol = m.groups()
        parts = re.split(r"[-/]", symbol)
        doc_type = lexicon.document_types.get(parts[0])
        issuers = parts[1:] if doc_type else parts
        before = line_before(m, 40).lower()
        spoken = integer(number)
        if year:
            spoken += " năm " + cardinal(int(year))
        if doc_type and doc_type not in before and not re.search(r"số[^\S\n]*$", before):
            spoken = f"{doc_type} số {spoken}"
        if issuers:
            issuer = " của " + " ".join(lexicon.words.get(p) or spell(p) for p in issuers)
            after = m.string[m.end(): m.end() + len(issuer) + 1].split("\n")[0].lower()
            if not after.startswith(issuer.lower()):     # "32-CT/TU của Tỉnh ủy": say it once
                spoken += issuer
        return spoken

    return lambda text: pattern.sub(read, text)


# ---------------------------------------------------------------- dates
def _valid_date(d: int, m: int) -> bool:
    return 1 <= d <= 31 and 1 <= m <= 12


def _day_month(m: re.Match, day: str, mon: str, year: str | None = None) -> str:
    d, mo = int(day), int(mon)
    if not _valid_date(d, mo):
        return m.group(0)
    before = line_before(m, 6).lower()
    lead = "" if re.search(r"(ngày|mùng|mồng)[^\S\n]*$", before) else "ngày "
    spoken = f"{lead}{cardinal(d)} tháng {month(mo)}"
    return spoken + (f" năm {cardinal(int(year))}" if year else "")


full_dates = _sub(rf"({digits_from(AFTER_DATE, '?')})([/.-])(\d{{1,2}})\2(\d{{4}})(?![\d/]|[.,-]\d)",
                  lambda m: _day_month(m, m.group(1), m.group(3), m.group(4)))

day_ranges = _sub(r"(\d(?<=ngày \d)\d?)[^\S\n]*-[^\S\n]*(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])",
                  lambda m: (f"{cardinal(int(m.group(1)))} đến " + _day_month(m, m.group(2), m.group(3), m.group(4)))
                  if _valid_date(int(m.group(2)), int(m.group(3))) else m.group(0))


def _before(m: re.Match, pattern: str) -> re.Match | None:
    """The context word right before a match (looked up only where a number matched)."""
    return re.search(rf"(?i:{pattern})[^\S\n]+$", line_before(m, 12))


def _month_year(m: re.Match) -> str:
    mo, year = int(m.group(1)), int(m.group(2))
    if not 1 <= mo <= 12:
        return m.group(0)
    lead = "" if _before(m, "tháng") else "tháng "
    return f"{lead}{month(mo)} năm {cardinal(year)}"


month_years = _sub(rf"({digits_from(AFTER_DATE_PART, '?')})/(\d{{4}})(?![\d/])", _month_year)


def _short_date(m: re.Match) -> str:
    day, sep, mon = m.group(1), m.group(2), m.group(3)
    context = _before(m, DATE_CONTEXT)
    padded = (day.startswith("0") or mon.startswith("0")) and sep == "/"
    if not (context or padded) or not _valid_date(int(day), int(mon)):
        return m.group(0)
    spoken = _day_month(m, day, mon)
    return spoken.removeprefix("ngày ") if _before(m, "ngày|mùng|mồng") else spoken


short_dates = _sub(rf"({digits_from(AFTER_DATE_PART, '?')})([/-])(\d{{1,2}})(?![\d/]|[.,]\d)", _short_date)
month_words = _sub(r"([Tt](?i:háng))[^\S\n]+(\d{1,2})(?:[^\S\n]+(\d{4}))?(?![\d/.,])",
                   lambda m: (f"{m.group(1)} {month(int(m.group(2)))}" + (f" năm {cardinal(int(m.group(3)))}" if m.group(3) else ""))
                   if 1 <= int(m.group(2)) <= 12 else m.group(0))


# ---------------------------------------------------------------- times
def _clock(h: str, mi: str | None = None, s: str | None = None) -> str:
    spoken = f"{cardinal(int(h))} giờ"
    if mi and int(mi):
        spoken += f" {cardinal(int(mi))} phút"
    if s and int(s):
        spoken += f" {cardinal(int(s))} giây"
    return spoken


def _valid_clock(h: str, mi: str = "0", s: str | None = "0") -> bool:
    return int(h) <= 24 and int(mi) < 60 and int(s or 0) < 60


hm_times = _sub(rf"({digits_from(AFTER_CLOCK, '?')})[hgG](\d{{2}})(?:p|ph)?(?!\w)",
                lambda m: _clock(m.group(1), m.group(2)) if _valid_clock(m.group(1), m.group(2)) else m.group(0))
colon_times = _sub(rf"({digits_from(AFTER_CLOCK, '?')}):(\d{{2}})(?::(\d{{2}}))?(?![\d:])",
                   lambda m: _clock(*m.groups()) if _valid_clock(*m.groups()) else m.group(0))
hour_times = _sub(rf"({digits_from(AFTER_CLOCK_OR_SLASH, '?')})[hg](?!\w)",
                  lambda m: _clock(m.group(1)) if int(m.group(1)) <= 24 else m.group(0))
minute_seconds = _sub(rf"({digits_from(AFTER_CLOCK_OR_SLASH, '?')})p(?:(\d{{1,2}})s)?(?!\w)",
                      lambda m: f"{cardinal(int(m.group(1)))} phút"
                      + (f" {cardinal(int(m.group(2)))} giây" if m.group(2) and int(m.group(2)) else ""))
bare_seconds = _sub(rf"({digits_from(AFTER_CLOCK_OR_SLASH, '?')})s(?!\w)", lambda m: f"{cardinal(int(m.group(1)))} giây")


# ---------------------------------------------------------------- ranges
ranges = _sub(r"(\d(?<![\w/.,-]\d)[\w.,:%$€₫đ]*)[^\S\n]?[-–][^\S\n]?(\d[\w.,:%$€₫đ]*)(?![\w/-])",
              lambda m: f"{m.group(1)} đến {m.group(2)}")
spaced_ranges = _sub(r"(?<=\d)[^\S\n]+[-–][^\S\n]+(?=\d)", lambda m: " đến ")


# ---------------------------------------------------------------- money and shorthand amounts
SCALES = {"k": 1000, "tr": 1_000_000, "t": 1_000_000_000}


def _shorthand(m: re.Match) -> str:
    scale = SCALES[m.group(2)]
    value = int(m.group(1)) * scale + (int(m.group(3)) * scale // 10 if m.group(3) else 0)
    return cardinal(value)


shorthand_amounts = _sub(rf"({digits_from(AFTER_NUMBER)})(k|tr|t)(\d)?(?!\w)", _shorthand)
CURRENCY_RE = "|".join(re.escape(c) for c in sorted(CURRENCIES, key=len, reverse=True))


def _money(m: re.Match) -> str:
    amount, symbol, per = m.group(1), m.group(2), m.group(3)
    name = CURRENCIES[symbol]
    whole, _sep, frac = amount.partition(",")
    if symbol in CENTS and frac:
        cents = int(frac.ljust(2, "0")[:2])
        units = int(whole.replace(".", "") or 0)
        spoken = (f"{integer(whole)} {name} " if units else "") + (f"{cardinal(cents)} xu" if cents else "")
        spoken = spoken.strip() or f"không {name}"
    else:
        spoken = f"{decimal(amount)} {name}"
    if per:
        spoken += f" một {_unit(per)}" if (per in UNITS or per.lower() in UNITS) and per not in ("ngày", "giờ", "tháng", "h") \
            else f" trên {_unit(per) if per in ('h',) else per}"
    return spoken


money = _sub(rf"({num(AFTER_NUMBER)})[^\S\n]?({CURRENCY_RE})(?:/([^\W\d_]+))?(?![\w])", _money)


# ---------------------------------------------------------------- measures, percentages, fractions
def _measure_parts(amount: str, unit: str, per: str | None) -> str:
    spoken = f"{decimal(amount)} {_unit(unit)}"
    return spoken + (f" trên {_unit(per)}" if per else "")


def _measure(m: re.Match) -> str:
    return _measure_parts(*m.groups())


measures = _sub(rf"({num(AFTER_NUMBER)})({UNIT_RE})(?:/({UNIT_RE}))?(?![\w])", _measure)
spaced_measures = _sub(
    rf"({num(AFTER_NUMBER)})[^\S\n](?:((?:{_unit_pattern(u for u in UNITS if len(u) > 1 and u.isascii())}))"
    rf"(?:/({UNIT_RE}))?|({UNIT_RE})/({UNIT_RE}))(?![\w])",
    lambda m: _measure_parts(m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)))
percents = _sub(rf"({num(AFTER_NUMBER)})[^\S\n]?%", lambda m: f"{decimal(m.group(1))} phần trăm")


def _denominator(n: int) -> str:
    return "tư" if n == 4 else cardinal(n)


def _fraction(m: re.Match) -> str:
    first, second, den, unit = m.groups()
    whole, numerator = (first, second) if second else (None, first)
    if int(den) == 0:
        return m.group(0)
    before = line_before(m, 6).lower()
    if 1900 <= int(den) <= 2100 and not whole and re.search(r"số[^\S\n]*$", before):
        return f"{integer(numerator)} năm {cardinal(int(den))}"
    spoken = f"{cardinal(int(whole))} và " if whole else ""
    spoken += f"{cardinal(int(numerator))} phần {_denominator(int(den))}"
    return spoken + (f" {_unit(unit)}" if unit else "")


fractions = _sub(rf"({digits_from(AFTER_FRACTION)})(?:[^\S\n](\d+))?/(\d+)({UNIT_RE})?(?![\w/]|[.,]\d)", _fraction)


# ---------------------------------------------------------------- ordinals and Roman numerals
ordinals = _sub(r"([Tt](?<!\w[Tt])(?i:hứ))[^\S\n]+(\d+)(?![\w.,/])", lambda m: f"{m.group(1)} {ordinal(int(m.group(2)))}")


def _roman(m: re.Match) -> str:
    value = roman(m.group(2))
    keyword = m.group(1)
    if value is None or (keyword.lower().startswith("năm") and len(m.group(2)) < 2) or _after_word(m):
        return m.group(0)
    spoken = f"{keyword}{cardinal(value)}"
    return spoken + (f" năm {cardinal(int(m.group(3)))}" if m.group(3) else "")


def _after_word(m: re.Match) -> bool:
    """The match starts inside a word (checked here, not by a leading look-behind: see num())."""
    return m.start() > 0 and (m.string[m.start() - 1].isalnum() or m.string[m.start() - 1] == "_")


def case_variants(words) -> str:
    """An alternation of WORDS as written, Capitalized, Title Case and UPPER: literal first characters
    let re scan fast, where (?i:...) would not."""
    forms = {f for w in words for f in (w, w[:1].upper() + w[1:], w.title(), w.upper())}
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


romans = _sub(rf"((?:{case_variants(ROMAN_KEYWORDS.split('|'))})[^\S\n]+)([IVXLCDMivxlcdm]+)(?:/(\d{{4}}))?(?![\w])",
              _roman)
roman_headings = _sub(r"(?m)^([^\S\n]*)([IVXLC]+)([.)])(?=[^\S\n])",
                      lambda m: f"{m.group(1)}{cardinal(roman(m.group(2)))}{m.group(3)}" if roman(m.group(2)) else m.group(0))


# ---------------------------------------------------------------- plain numbers
negatives = _sub(r"(?<![\w)])-(?=\d)", lambda m: "âm ")
THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
NUMBERED = re.compile(r"(?:phiên bản|version|mục|tiểu mục|điểm|khoản|điều|chương|phần|bước|số hiệu)[^\S\n]*$",
                      re.IGNORECASE)


def _dotted(m: re.Match) -> str:
    """1.1 or 2.0.3 is read with "chấm"; 1.250 or 12.500 (groups of three) is a number with
    thousands separators, left to `numbers`, unless a section or version word comes before it."""
    text = m.group(0)
    if THOUSANDS.fullmatch(text) and not NUMBERED.search(m.string, max(0, m.start() - 24), m.start()):
        return text
    return " chấm ".join(cardinal(int(p)) for p in text.split("."))


dotted = _sub(rf"({digits_from(AFTER_NUMBER)})\.(\d+)(?:\.(\d+))*(?![\w]|[.,]\d)", _dotted)
numbers = _sub(rf"({num(AFTER_WORD)})(?![\w])", lambda m: decimal(m.group(1)))
leftover_digits = _sub(r"\d+", lambda m: " " + digits(m.group(0)) + " ")


# ---------------------------------------------------------------- words
def lexicon_words(lexicon: Lexicon) -> Callable[[str], str]:
    """Capitalised keys match exactly; lowercase keys in any of their usual casings."""
    exact = [k for k in lexicon.words if k != k.lower()]
    folded = {k.lower(): v for k, v in lexicon.words.items() if k == k.lower()}
    keys = "|".join(filter(None, (_unit_pattern(exact) if exact else "", case_variants(folded) if folded else "")))
    if not keys:
        return lambda text: text
    pattern = re.compile(rf"(?:{keys})(?![\w])")

    def read(m: re.Match) -> str:
        word = m.group(0)
        if _after_word(m):
            return word
        return lexicon.words.get(word) or folded.get(word.lower(), word)

    return lambda text: pattern.sub(read, text)


@lru_cache(maxsize=65536)
def _read_word(word: str) -> str:
    """Keep Vietnamese syllables; spell anything an engine would read in another language."""
    if is_syllable(word):
        return word.lower() if len(word) > 1 and word.isupper() else word
    if has_diacritics(word) and not word.isupper():
        return word
    return spell(word)


_WORD = re.compile(r"[^\W\d_]+")


_PLAIN: set[str] = set()      # tokens seen to be read as written (a set difference skips them in C)


def unknown_words(text: str) -> str:
    """Find the words first (fast); substitute only the few that change."""
    changes = {}
    for token in set(text.split()) - _PLAIN:
        plain = True
        for word in _WORD.findall(token):
            spoken = _read_word(word)
            if spoken != word:
                changes[word] = spoken
                plain = False
        if plain and len(_PLAIN) < 200_000:
            _PLAIN.add(token)
    if not changes:
        return text
    pattern = re.compile(rf"(?<!\w)(?:{_unit_pattern(changes)})(?!\w)")
    return pattern.sub(lambda m: changes[m.group(0)], text)


_SLASH = re.compile(r"/(?<=\w/)(?=\w)")
_HYPHEN = re.compile(r"-(?<=\w-)(?=\w)")
_BRACKETS = re.compile(r"[()\[\]{}]")
_LONE_DASH = re.compile(r"(?m)[ \t]+-+(?=[ \t]|$)")     # a dash left alone ("2021 -" at a line end)
_STRAY = re.compile(r"[*_#~^|<>\\/]")
_COMMAS = re.compile(r",(?:[^\S\n]*,)+")
_SPACE_BEFORE = re.compile(r"[ \t]+([,.;:!?])")
_LEADING_COMMA = re.compile(r"(?m)(^[^\S\n]*|[.!?][^\S\n]*),[^\S\n]*")
_SPACES = re.compile(r"[ \t]{2,}|\t")


def symbols(text: str) -> str:
    text = text.replace("%", " phần trăm").replace("&", " và ").replace("+", " cộng ")
    text = text.replace("=", " bằng ").replace("@", " a còng ")
    text = _SLASH.sub(" trên ", text)
    text = _HYPHEN.sub(" ", text)
    text = _BRACKETS.sub(", ", text)
    text = _STRAY.sub(" ", text)
    if " -" in text:
        text = _LONE_DASH.sub(" ", text)
    if ",," in text or ", ," in text:
        text = _COMMAS.sub(",", text)
    if any(c in text for c in (" ,", " .", " ;", " :", " !", " ?", "\t")):
        text = _SPACE_BEFORE.sub(r"\1", text)
    if "," in text:
        text = _LEADING_COMMA.sub(r"\1", text)
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return text.strip(" \t") if "\n" not in text else "\n".join(line.strip(" \t") for line in text.split("\n"))
