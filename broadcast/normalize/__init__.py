"""Vietnamese reading normalizer: written administrative text -> what an announcer says."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from broadcast.normalize import rules
from broadcast.normalize.lexicon import Lexicon, load as load_lexicon, lost_diacritics


class Normalizer:
    """Holds the compiled passes for one lexicon; `normalize` is pure and thread-safe."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.passes = (
            rules.clean,
            rules.phone_numbers,
            rules.context_digits,
            rules.document_symbols(lexicon),
            rules.roman_headings,
            rules.romans,
            rules.full_dates,
            rules.day_ranges,
            rules.month_years,
            rules.short_dates,
            rules.month_words,
            rules.ranges,
            rules.spaced_ranges,
            rules.hm_times,
            rules.colon_times,
            rules.shorthand_amounts,
            rules.money,
            rules.percents,
            rules.fractions,
            rules.measures,
            rules.spaced_measures,
            rules.hour_times,
            rules.minute_seconds,
            rules.bare_seconds,
            rules.ordinals,
            rules.lexicon_words(lexicon),
            rules.negatives,
            rules.dotted,
            rules.numbers,
            rules.leftover_digits,
            rules.unknown_words,
            rules.symbols,
        )

    @classmethod
    def for_station(cls, station_lexicon: Path | None = None) -> "Normalizer":
        return cls(load_lexicon(station_lexicon))

    def normalize_line(self, line: str) -> str:
        text = unicodedata.normalize("NFC", line)
        for step in self.passes:
            text = step(text)
        return text

    def normalize(self, text: str) -> str:
        """Normalize each line on its own, so line structure (and headings) is kept."""
        return "\n".join(self.normalize_line(line) for line in text.split("\n"))


__all__ = ["Normalizer", "lost_diacritics"]
