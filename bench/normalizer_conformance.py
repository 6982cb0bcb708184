"""Score the normalizer on the NeMo Vietnamese TN cases (../shared/conformance/nemo-vi-tn).

Prints the pass rate per file and overall, exact and with documented equivalences,
then every remaining failure. Usage: python bench/normalizer_conformance.py [DIR]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from broadcast.normalize import Normalizer
from broadcast.normalize.lexicon import is_syllable, spell

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "tests" / "normalize" / "data" / "nemo-vi-tn"   # a copy of ../shared/conformance

def _latin_words(text: str) -> str:
    return re.sub(r"\b[a-z]+\b", lambda m: m.group(0) if is_syllable(m.group(0)) else spell(m.group(0)), text)


_TENS = "(?:hai|ba|bốn|năm|sáu|bảy|tám|chín) mươi|mười"
_UNITS = "một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|tám|chín"
_TWO_DIGITS = re.compile(rf"\bphẩy ({_TENS})(?: ({_UNITS}))?\b")
_DIGIT_WORDS = {w: d for d, w in enumerate("không một hai ba bốn năm sáu bảy tám chín".split())}
_DIGIT_WORDS.update({"mốt": 1, "tư": 4, "lăm": 5})
_DIGIT_NAMES = "không một hai ba bốn năm sáu bảy tám chín".split()


def _two_digit_decimals(text: str) -> str:
    """'phẩy mười lăm' -> 'phẩy một năm': a two-digit decimal part read as a number, as digits."""
    def digits(m: re.Match) -> str:
        tens = 1 if m.group(1) == "mười" else _DIGIT_WORDS[m.group(1).split()[0]]
        unit = _DIGIT_WORDS[m.group(2)] if m.group(2) else 0
        return f"phẩy {_DIGIT_NAMES[tens]} {_DIGIT_NAMES[unit]}"
    return _TWO_DIGITS.sub(digits, text)


# Documented equivalences: both readings are correct Vietnamese; they differ by convention.
EQUIVALENCES = (
    (None, _two_digit_decimals, "two decimals read as a number (96,15 = chín mươi sáu phẩy mười lăm, as announcers "
     "say it) = digit by digit (phẩy một năm)"),
    (r"\bkhông trăm linh (\w+ (?:nghìn|triệu|tỷ))", r"\1", "formal 'không trăm linh' in a non-final group (1.001.001)"),
    (r"\bkhông trăm (?=\w)", "", "formal 'không trăm' in a zero hundreds group (2024 = hai nghìn [không trăm] hai mươi tư)"),
    (r"\blẻ\b", "linh", "'lẻ' = 'linh' (105 = một trăm lẻ/linh năm)"),
    (r"\bngàn\b", "nghìn", "'ngàn' (southern) = 'nghìn'"),
    (r"\btỉ\b", "tỷ", "'tỉ' = 'tỷ' (spelling variant)"),
    (r"\b(đồng|đô la|ơ rô|yên nhật|bảng anh) trên\b", r"\1 một",
     "per unit after money: 'đồng trên ngày' = 'đồng một ngày' (NeMo itself writes 'đồng một ki lô gam'; "
     "we read every per-unit slash one way)"),
    (None, _latin_words,
     "Latin letters left as written (GMT, độ c) = their Vietnamese letter names (giê em tê, độ xê): "
     "what a Vietnamese voice says for them"),
)

# Deliberate differences: NeMo leaves these for the engine, which would read them in English.
REASONS = (
    (r"(?i)\b(gmt|utc|cst|pst|est|jst)\b", "time-zone letters are spelled with Vietnamese letter names; NeMo keeps Latin letters an engine reads in English"),
    (r"(?i)\bthứ\s+[ivxlc]+\b", "a Roman numeral after 'thứ' is an ordinal as an Arabic one is (Đợt thứ I = thứ "
     "nhất, like thứ 1); NeMo reads it 'thứ một'"),
    (r"°", "degree letters are read by their Vietnamese names (độ xê), not left as a bare Latin letter"),
    (r"(?i)\d\s*tb\b", "TB is read 'tê ra bai' (as NeMo itself does in the money cases), not the English 'terabyte'"),
    (r"inch", "'inch' is read 'in', a Vietnamese syllable; the English word would switch the engine's language"),
    (r"₹", "'rupee' respelled 'ru pi' so the engine stays in Vietnamese"),
    (r"\d\s*\w*\s+x\s+\d", "'x' between dimensions is read 'nhân'; a bare 'x' would be read as the letter"),
)


def reason(written: str) -> str:
    return next((why for pattern, why in REASONS if re.search(pattern, written)), "not yet handled")


def canon(text: str, equivalences: bool) -> str:
    text = re.sub(r"[,.;:!?]", " ", text.lower())
    if equivalences:
        for pattern, repl, _ in EQUIVALENCES:
            text = repl(text) if pattern is None else re.sub(pattern, repl, text)
    return " ".join(text.split())


def failures(paths: list[Path], normalizer: Normalizer) -> tuple[int, int, list[tuple[str, str, str, str]]]:
    """(cases, exact passes, failures with the equivalences) over the case files PATHS."""
    total = exact = 0
    failed = []
    for path in paths:
        for written, spoken in (line.split("~", 1) for line in path.read_text("utf-8").splitlines() if "~" in line):
            got = normalizer.normalize(written)
            total += 1
            exact += canon(got, False) == canon(spoken, False)
            if canon(got, True) != canon(spoken, True):
                failed.append((path.name, written, spoken, got))
    return total, exact, failed


def score(folder: Path) -> int:
    normalizer = Normalizer.for_station()
    print(f"{'file':32} {'cases':>5} {'exact':>7} {'equiv':>7}")
    paths = sorted(folder.glob("*.txt"))
    for path in paths:
        total, exact, failed = failures([path], normalizer)
        print(f"{path.name:32} {total:5} {100 * exact / total:6.1f}% {100 * (total - len(failed)) / total:6.1f}%")
    total, exact, failed = failures(paths, normalizer)
    print(f"{'overall':32} {total:5} {100 * exact / total:6.1f}% {100 * (total - len(failed)) / total:6.1f}%")
    print("\nequivalences applied:")
    for _, _, why in EQUIVALENCES:
        print(f"  - {why}")
    print(f"\n{len(failed)} remaining failures (file | written | expected | ours | reason):")
    for name, written, spoken, got in failed:
        print(f"  {name} | {written} | {spoken} | {got} | {reason(written)}")
    return 0


if __name__ == "__main__":
    sys.exit(score(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR))
