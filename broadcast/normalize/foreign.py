"""Words in Latin letters that are not Vietnamese syllables and not acronyms: names of storms,
countries, places, medicines, products (Kalmaegi, Philippines, vaccine). A word written as
syllables is read as syllables: first the readings Vietnamese radio uses (Philippines ->
Phi-líp-pin), else a Vietnamese approximation syllable by syllable (Kalmaegi -> Can me ghi).
Only acronyms (written in capitals) are spelled with letter names."""

from __future__ import annotations

import re
from functools import lru_cache

from broadcast.normalize.lexicon import is_syllable

# How Vietnamese radio and the press say them (VOV, VTV, Thông tấn xã Việt Nam).
KNOWN = {
    # countries, places, peoples
    "philippines": "Phi-líp-pin", "malaysia": "Ma-lai-xi-a", "indonesia": "In-đô-nê-xi-a",
    "singapore": "Xin-ga-po", "thailand": "Thái Lan", "campuchia": "Cam-pu-chia", "myanmar": "Mi-an-ma",
    "luzon": "Lu-dôn", "mindanao": "Min-đa-nao", "hainan": "Hải Nam", "taiwan": "Đài Loan",
    "korea": "Hàn Quốc", "japan": "Nhật Bản", "china": "Trung Quốc", "australia": "Ô-xtrây-li-a",
    # storms of the western Pacific list that reach the East Sea
    "kalmaegi": "Can-me-ghi", "yagi": "Ya-ghi", "wipha": "Vi-pha", "nesat": "Nê-xát", "noru": "Nô-ru",
    "bualoi": "Bua-loi", "kajiki": "Ca-gi-ki", "ragasa": "Ra-ga-xa", "matmo": "Mát-mô", "fengshen": "Phung-sân",
    "doksuri": "Đốc-xu-ri", "talim": "Ta-lim", "saola": "Xao-la", "koinu": "Cô-i-nu", "trami": "Tra-mi",
    "noul": "Nô-un", "molave": "Mô-la-vê", "vamco": "Vàm Cỏ", "goni": "Gô-ni", "conson": "Côn Sơn",
    "haiyan": "Hai-yan", "rammasun": "Ra-ma-xun", "damrey": "Đam-rây", "mangkhut": "Măng-khụt",
    "sonca": "Sơn Ca", "kompasu": "Com-pa-xu", "lionrock": "Lai-ơn-rốc", "podul": "Pô-đun",
    "mitag": "Mi-tắc", "linfa": "Lin-pha", "nangka": "Nang-ca", "saudel": "Xau-đen", "etau": "E-tau",
    "krovanh": "Cờ-rô-vanh", "sinlaku": "Xin-la-cu", "hagupit": "Ha-gu-pít", "higos": "Hi-gốt",
    # health
    "vaccine": "vắc xin", "vacxin": "vắc xin", "virus": "vi rút", "rubella": "ru-bê-la", "dengue": "Đen-gơ",
    "enterovirus": "En-tê-rô vi rút", "adenovirus": "A-đê-nô vi rút", "influenza": "in-phlu-en-da",
    "omicron": "Ô-mi-crôn", "delta": "Đen-ta", "corona": "cô-rô-na", "coronavirus": "cô-rô-na vi rút",
    "insulin": "in-xu-lin", "paracetamol": "pa-ra-xê-ta-mol", "vitamin": "vi-ta-min", "oresol": "ô-rê-dôn",
    "cloramin": "clo-ra-min", "methanol": "mê-ta-nôn", "ethanol": "ê-ta-nôn",
    # farming
    "ure": "u-rê", "kali": "ka-li", "clorua": "clo-rua", "supe": "su-pe", "nilon": "ni-lông", "nylon": "ni-lông",
    "gram": "gam", "jasmine": "gia-xơ-min", "amylose": "a-mi-lô", "protein": "prô-tê-in", "glyphosate": "gly-phô-xát",
    "biogas": "bi-ô-ga", "diesel": "đi-ê-zen", "xăng": "xăng", "compost": "com-pốt",
    # technology, services, everyday words
    "camera": "ca-mê-ra", "passcode": "pát-cốt", "password": "mật khẩu", "google": "Gu-gồ", "play": "Plây",
    "store": "Xto", "iphone": "ai-phôn", "android": "an-đrô-ít", "visa": "vi-xa", "mooc": "moóc",
    "container": "công-ten-nơ", "taxi": "tắc-xi", "radio": "ra-đi-ô", "video": "vi-đê-ô", "clip": "clíp",
    "tivi": "ti-vi", "online": "trực tuyến", "livestream": "lai-xtrim", "link": "đường dẫn", "fanpage": "phan-pếch",
    "toyota": "Tô-y-ô-ta", "innova": "In-nô-va", "honda": "Hon-đa", "yamaha": "Ya-ma-ha", "samsung": "Xam-xung",
}

VOWELS = "aeiouy"
_PIECE = re.compile(r"[^aeiouy]*[aeiouy]+")
VOWEL_SOUNDS = {"ae": "e", "ai": "ai", "ao": "ao", "au": "au", "ea": "i", "ee": "i", "ei": "ây", "eu": "ơ",
                "ie": "i", "oa": "oa", "oe": "ô", "oi": "oi", "oo": "u", "ou": "u", "ue": "uê", "ui": "ui",
                "ay": "ây", "ey": "ây", "oy": "oi", "uy": "uy", "a": "a", "e": "e", "i": "i", "o": "ô", "u": "u",
                "y": "i"}
ONSETS = {"b": "b", "c": "c", "d": "đ", "f": "ph", "g": "g", "h": "h", "j": "gi", "k": "c", "l": "l", "m": "m",
          "n": "n", "p": "p", "q": "qu", "r": "r", "s": "x", "t": "t", "v": "v", "w": "u", "x": "x", "z": "d",
          "ch": "ch", "ph": "ph", "th": "th", "sh": "s", "kh": "kh", "gh": "gh", "tr": "tr", "qu": "qu", "gi": "gi",
          "ng": "ng", "nh": "nh", "": ""}
CODAS = {"": "", "c": "c", "k": "c", "ck": "c", "g": "c", "x": "c", "q": "c", "p": "p", "b": "p", "f": "p",
         "t": "t", "d": "t", "s": "t", "z": "t", "ss": "t", "st": "t", "ch": "ch", "m": "m", "n": "n", "l": "n",
         "ll": "n", "nd": "n", "nt": "n", "ns": "n", "ng": "ng", "nk": "ng", "nh": "nh", "r": "", "h": "",
         "w": "", "v": "", "j": ""}


def _onset(cluster: str, vowel: str) -> tuple[list[str], str]:
    """Vietnamese onset for CLUSTER before VOWEL; consonants no Vietnamese onset has become their
    own syllable with 'ơ' (Pling -> pơ linh)."""
    extra = []
    while len(cluster) > 1 and cluster not in ONSETS:
        extra.append(ONSETS.get(cluster[0], cluster[0]) + "ơ")
        cluster = cluster[1:]
    said = ONSETS.get(cluster, cluster)
    if said == "c" and vowel[:1] in "eiy":
        said = "k" if cluster == "k" else "x"
    if said == "g" and vowel[:1] in "eiy":
        said = "gh"
    if said == "gi" and vowel[:1] in "iy":
        said = "g"                               # 'ji' -> 'gi', not 'gii'
    return extra, said


def _syllables(word: str) -> list[str] | None:
    pieces = _PIECE.findall(word)
    tail = word[sum(len(p) for p in pieces):]
    if not pieces:
        return None
    split = []                                   # (onset, vowels, coda)
    for i, piece in enumerate(pieces):
        onset = re.match(r"[^aeiouy]*", piece).group(0)
        split.append([onset, piece[len(onset):], ""])
    for i in range(1, len(split)):               # a cluster between vowels: one consonant to each side
        onset = split[i][0]
        if len(onset) >= 2 and onset not in ("ch", "ph", "th", "sh", "kh", "gh", "tr", "qu"):
            split[i - 1][2], split[i][0] = onset[0], onset[1:]
    split[-1][2] = tail
    said = []
    for onset, vowels, coda in split:
        extra, start = _onset(onset, vowels)
        nucleus = VOWEL_SOUNDS.get(vowels) or "".join(VOWEL_SOUNDS.get(v, v) for v in vowels[:2])
        end = CODAS.get(coda, CODAS.get(coda[:1], ""))
        if nucleus.endswith(("i", "y", "u", "o")) and len(nucleus) > 1 and end:
            end = ""                             # Vietnamese 'ai', 'ao' take no final consonant
        if nucleus == "i" and end == "ng":
            end = "nh"
        syllable = start + nucleus + end
        said += extra + [syllable]
    return said if all(is_syllable(s) for s in said) else None


@lru_cache(maxsize=4096)
def approximate(word: str) -> str | None:
    """How a Latin-script word is read, or None if it has no vowel to read (an abbreviation)."""
    lower = word.lower()
    if lower in KNOWN:
        return KNOWN[lower]
    if len(word) > 24 or not any(v in lower for v in VOWELS) or not lower.isascii() or not lower.isalpha():
        return None                              # no name is that long: spelled (and no quadratic work)
    if len(word) < 4 and not (len(word) == 3 and word[0].isupper()):
        return None                              # 'utc', 'est': a short abbreviation, spelled
    from broadcast.normalize.addresses import _segments

    parts = _segments(lower)                     # 'Kinhtedothi': Vietnamese syllables run together
    if parts and len(parts) <= 4 and all(len(p) > 1 for p in parts):
        said = parts
    else:
        said = _syllables(lower)
        if said is None:
            return None
    text = "-".join(said) if len(said) > 1 else said[0]
    return text[:1].upper() + text[1:] if word[:1].isupper() else text


def is_acronym(word: str) -> bool:
    """DGI, UBND, VNeID, TTg: two capitals or more. Kalmaegi, vaccine: a name or a word."""
    return sum(c.isupper() for c in word) >= 2
