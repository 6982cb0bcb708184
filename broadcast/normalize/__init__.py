"""Vietnamese reading normalizer: written administrative text -> what an announcer says."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from broadcast.normalize import abbreviations, addresses, codes, documents, rules, tables
from broadcast.normalize.lexicon import Lexicon
from broadcast.normalize.lexicon import load as load_lexicon
from broadcast.normalize.ocr import lines_without_diacritics, lost_diacritics

_DIGIT = re.compile(r"\d")


class Normalizer:
    """Holds the compiled passes for one lexicon; `normalize` is pure and thread-safe."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        # (pass, reads digits): a pass that only reads numbers is skipped once no digit is left
        self.passes = (
            (tables.rows_as_sentences, False),
            (rules.clean, False),
            (addresses.web_addresses(lexicon), False),
            (rules.phone_numbers, True),
            (rules.context_digits, True),
            (codes.plates, True),
            (documents.document_symbols(lexicon), False),
            (abbreviations.repeated_expansions(lexicon), False),
            (abbreviations.ambiguous, False),
            (codes.alarm_levels, True),
            (codes.weekdays, True),
            (codes.coordinates, True),
            (codes.storm_names, False),
            (codes.place_prefixes, False),
            (codes.initials, False),
            (rules.roman_headings, False),
            (rules.romans, False),
            (rules.zero_minutes, True),
            (rules.time_ranges, True),
            (rules.date_ranges, True),
            (rules.full_dates, True),
            (rules.day_ranges, True),
            (rules.month_ranges, True),
            (rules.month_dash_years, True),
            (rules.month_years, True),
            (rules.short_dates, True),
            (rules.dotted_dates, True),
            (rules.month_words, True),
            (rules.rate_windows, True),
            (codes.codes(lexicon), True),
            (rules.dot_decimals, True),
            (rules.level_decimals, True),
            (rules.unit_ranges, True),
            (rules.ranges, True),
            (rules.spaced_ranges, True),
            (rules.comparisons, True),
            (rules.negatives, True),        # "-5%" -> "âm 5%": the number passes then read the rest
            (rules.hm_times, True),
            (rules.colon_times, True),
            (rules.shorthand_amounts, True),
            (rules.money, True),
            (rules.percents, True),
            (rules.counted_ratios, True),
            (rules.fractions, True),
            (rules.measures, True),
            (rules.spaced_measures, True),
            (rules.hour_times, True),
            (rules.minute_seconds, True),
            (rules.bare_seconds, True),
            (rules.ordinals, True),
            (rules.per_units, False),
            (abbreviations.lexicon_words(lexicon), False),
            (rules.dotted, True),
            (rules.numbers, True),
            (rules.leftover_digits, True),
            (abbreviations.unknown_words, False),
            (rules.symbols, False),
        )

    @classmethod
    def for_station(cls, station_lexicon: Path | None = None) -> "Normalizer":
        """The normalizer of a station's lexicon file, shared while the file is unchanged (it is
        pure, and compiling the passes is the costly part)."""
        return _shared(cls, station_lexicon, _stamp(station_lexicon))

    def normalize(self, text: str) -> str:
        """The spoken form of TEXT; lines stay lines (headings, one output line per input line).

        The whole text goes through each pass at once (no pattern matches across a newline):
        one scan per pass instead of one per line and pass."""
        text = unicodedata.normalize("NFC", text).replace("\r", "")
        digits = _DIGIT.search(text) is not None
        for step, reads_digits in self.passes:
            if reads_digits:
                if not digits:
                    continue
                text = step(text)
                digits = _DIGIT.search(text) is not None
            else:
                text = step(text)
        return text

    def normalize_line(self, line: str) -> str:
        return self.normalize(line.replace("\n", " "))

    def explain(self, text: str) -> "Explanation":
        """TEXT's spoken form and the words the lexicon did not know: acronyms spelled letter by letter
        on air (DGI -> đê giê i) and names read by an approximation (Kalmaegi -> Can-me-ghi): what
        the officer may want to add a reading for."""
        text = unicodedata.normalize("NFC", text).replace("\r", "")
        found: dict[str, str] = {}
        for step, _reads_digits in self.passes:
            if step is abbreviations.unknown_words:
                found = {w: said for w, said in abbreviations.spelled(text).items()
                         if said != w.lower() and len(w) > 1}
            text = step(text)
        names = {w: said for w, said in found.items() if abbreviations.approximated(w, said)}
        spelled = {w: said for w, said in found.items() if w not in names and not abbreviations.known_name(w)}
        return Explanation(text, tuple(sorted(spelled.items())), tuple(sorted(names.items())))


def _stamp(path: Path | None) -> tuple[int, int, int] | None:
    try:
        st = path.stat() if path is not None else None
    except OSError:
        return None                      # a missing file: load_lexicon says so
    return (st.st_ino, st.st_mtime_ns, st.st_size) if st else None


@functools.lru_cache(maxsize=8)
def _shared(cls: type, path: Path | None, stamp) -> Normalizer:
    return cls(load_lexicon(path))


@dataclass(frozen=True)
class Explanation:
    spoken: str
    spelled: tuple[tuple[str, str], ...]      # (written, letter by letter), sorted
    approximated: tuple[tuple[str, str], ...] = ()    # (name or foreign word, its syllable reading), sorted


__all__ = ["Explanation", "Normalizer", "lines_without_diacritics", "lost_diacritics"]
