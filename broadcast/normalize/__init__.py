"""Vietnamese reading normalizer: written administrative text -> what an announcer says."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from broadcast.normalize import rules
from broadcast.normalize.lexicon import Lexicon, lost_diacritics
from broadcast.normalize.lexicon import load as load_lexicon

_DIGIT = re.compile(r"\d")


class Normalizer:
    """Holds the compiled passes for one lexicon; `normalize` is pure and thread-safe."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        # (pass, reads digits): a pass that only reads numbers is skipped once no digit is left
        self.passes = (
            (rules.clean, False),
            (rules.phone_numbers, True),
            (rules.context_digits, True),
            (rules.document_symbols(lexicon), True),
            (rules.roman_headings, False),
            (rules.romans, False),
            (rules.full_dates, True),
            (rules.day_ranges, True),
            (rules.month_years, True),
            (rules.short_dates, True),
            (rules.month_words, True),
            (rules.ranges, True),
            (rules.spaced_ranges, True),
            (rules.negatives, True),        # "-5%" -> "âm 5%": the number passes then read the rest
            (rules.hm_times, True),
            (rules.colon_times, True),
            (rules.shorthand_amounts, True),
            (rules.money, True),
            (rules.percents, True),
            (rules.fractions, True),
            (rules.measures, True),
            (rules.spaced_measures, True),
            (rules.hour_times, True),
            (rules.minute_seconds, True),
            (rules.bare_seconds, True),
            (rules.ordinals, True),
            (rules.lexicon_words(lexicon), False),
            (rules.dotted, True),
            (rules.numbers, True),
            (rules.leftover_digits, True),
            (rules.unknown_words, False),
            (rules.symbols, False),
        )

    @classmethod
    def for_station(cls, station_lexicon: Path | None = None) -> "Normalizer":
        return cls(load_lexicon(station_lexicon))

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


__all__ = ["Normalizer", "lost_diacritics"]
