"""How well villagers understand each voice: the word error rate that bench/intelligibility.py measured
(an offline speech recognizer's transcript of the voice reading commune news, against what an
announcer would say), shipped as a small data file, in plain words, and how to get a better voice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from broadcast.i18n import _

FIGURES = Path(__file__).with_name("intelligibility.yaml")


@dataclass(frozen=True)
class Measured:
    wer: float          # word error rate, 0..1 (a human announcer: about 0.1)
    sentences: int      # how many sentences it was measured on
    date: str           # when (yyyy-mm-dd)

    def words(self) -> str:
        """'80 % số từ bị nghe sai: rất khó nghe'."""
        return _("{percent:.0f} % of words misheard: {verdict}").format(percent=self.wer * 100,
                                                                         verdict=plain_words(self.wer))


def plain_words(wer: float) -> str:
    """The word error rate as the officer would say it."""
    if wer < 0.2:
        return _("easy to understand")
    if wer < 0.4:
        return _("understandable with effort")
    if wer < 0.65:
        return _("hard to understand")
    return _("very hard to understand")


def load_figures(path: Path | None = None) -> dict[str, Measured]:
    """{"engine:voice": Measured} from PATH (default: the file shipped with broadcast); empty when the
    bench has not written it."""
    path = path or FIGURES
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    sentences, date = int(data.get("sentences", 0)), str(data.get("date", ""))
    return {key: Measured(float(wer), sentences, date) for key, wer in (data.get("voices") or {}).items()}


def measured(engine: str, voice: str, figures: dict[str, Measured] | None = None) -> Measured | None:
    """The bench's figure for ENGINE's VOICE (a piper voice by its file name), or None if never measured."""
    figures = load_figures() if figures is None else figures
    return figures.get(f"{engine}:{Path(voice).stem if engine == 'piper' else voice}")


def better_voice_roads() -> list[str]:
    """The three roads to a voice villagers understand, in the officer's words."""
    return [_("An online voice service (Google, or a Vietnamese one): natural, needs the Internet when "
              "programs are prepared; add its key in Settings → Voices."),
            _("A voice file installed from a USB stick or a download (a piper voice): natural, works "
              "offline; add it in Settings → Voices."),
            _("Record an announcer: on the item's page, 'Record' and read the text shown; the recording "
              "airs instead of a machine voice.")]
