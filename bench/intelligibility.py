"""The intelligibility meter: how much of each voice an offline Vietnamese speech recognizer understands.

Each sentence of bench/intelligibility.yaml (commune news across genres, with how an announcer reads
it) goes through our normalizer, is read by every engine and voice available here, resampled to
16 kHz mono 16-bit without dither (a polyphase filter, rounded: the same input gives the same
samples, so the same transcript; with dither it would not), and transcribed by viet-asr (bench/test extra only: its model's
licence is not stated; never a dependency of the station). Word error rate = (substituted + deleted
+ inserted words) / words heard, per voice and per sentence; real-time factor of each engine
(synthesis time / audio length) and of the recognizer.

Usage: python bench/intelligibility.py [--twice] [--sentences N] [--voices espeak:vi ...] [--piper V.onnx]
                                       [--json out/intelligibility.json] [--write-figures] [-S STATION]
--twice measures again in a fresh process and compares every transcript: espeak-ng's pitch flutter
carries over from one synthesis to the next inside a process, so the meter always starts from a
fresh process and reads the voices and sentences in the same order.
--write-figures writes the per-voice figures into broadcast/speech/intelligibility.yaml, which
`broadcast voices` and Cài đặt show.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import yaml
from scipy.signal import resample_poly

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from broadcast.normalize import Normalizer  # noqa: E402
from broadcast.sound.pcm import Speech  # noqa: E402
from broadcast.speech.intelligibility import FIGURES, plain_words  # noqa: E402

SENTENCES = Path(__file__).with_name("intelligibility.yaml")
RATE = 16000
ASR = "viet-asr 0.1.0.dev11"


@dataclass(frozen=True)
class Sentence:
    genre: str
    text: str       # as written
    heard: str      # as an announcer reads it


def load_sentences(path: Path = SENTENCES) -> list[Sentence]:
    return [Sentence(**entry) for entry in yaml.safe_load(path.read_text("utf-8"))]


_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Lower-case words without punctuation (the recognizer writes neither case nor punctuation)."""
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def word_errors(reference: list[str], hypothesis: list[str]) -> int:
    """Substitutions + deletions + insertions turning REFERENCE into HYPOTHESIS (Levenshtein on words)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def to_16k(speech: Speech) -> np.ndarray:
    """SPEECH as 16 kHz mono int16: polyphase resampling and rounding, no dither (deterministic)."""
    samples = speech.samples.astype(np.float64)
    if samples.ndim == 2:
        samples = samples.mean(axis=1)
    if speech.rate != RATE:
        common = math.gcd(RATE, speech.rate)
        samples = resample_poly(samples, RATE // common, speech.rate // common)
    return np.clip(np.round(samples), -32768, 32767).astype(np.int16)


class Recognizer:
    """viet-asr's offline recognizer, built once."""

    def __init__(self):
        import vietasr

        self.pipeline = vietasr.Pipeline.new().add("vietasr").build()

    def transcribe(self, samples: np.ndarray) -> str:
        return self.pipeline.transcribe(samples, float(RATE)).text


@dataclass
class Heard:
    sentence: int           # index in the sentence list
    transcript: str
    errors: int
    words: int
    audio: float            # seconds
    synthesis: float        # seconds to synthesize
    recognition: float      # seconds to transcribe


@dataclass
class VoiceResult:
    engine: str
    voice: str
    heard: list[Heard] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.engine}:{self.voice}"

    @property
    def wer(self) -> float:
        return sum(h.errors for h in self.heard) / sum(h.words for h in self.heard)

    @property
    def rtf(self) -> float:
        return sum(h.synthesis for h in self.heard) / sum(h.audio for h in self.heard)

    @property
    def asr_rtf(self) -> float:
        return sum(h.recognition for h in self.heard) / sum(h.audio for h in self.heard)


def measure(speak: Callable[[str], Speech], sentences: list[Sentence], normalizer: Normalizer,
            recognizer: Recognizer) -> list[Heard]:
    """Every sentence normalized, read by SPEAK, and transcribed."""
    out = []
    for index, sentence in enumerate(sentences):
        text = normalizer.normalize(sentence.text)
        began = time.perf_counter()
        speech = speak(text)
        synthesized = time.perf_counter()
        transcript = recognizer.transcribe(to_16k(speech))
        recognized = time.perf_counter()
        reference = words(sentence.heard)
        out.append(Heard(index, transcript, word_errors(reference, words(transcript)), len(reference),
                         len(speech.samples) / speech.rate, synthesized - began, recognized - synthesized))
    return out


def engines_here(station) -> tuple[list[tuple[str, str, Callable[[str], Speech]]], list[tuple[str, str]]]:
    """([(engine, voice, speak)] for every voice usable here, [(engine, why not)] for the rest)."""
    from broadcast.speech.registry import all_engines

    usable, missing = [], []
    for engine in all_engines(station):
        availability = engine.check()
        if not availability:
            missing.append((engine.name, availability.reason))
            continue
        for voice in engine.voices():
            usable.append((engine.name, voice, lambda text, e=engine, v=voice: e.synthesize(text, v)))
    return usable, missing


def run(station, sentences: list[Sentence], recognizer: Recognizer,
        only: list[str] | None = None) -> tuple[list[VoiceResult], list[tuple[str, str]]]:
    from broadcast.errors import EngineError

    normalizer = Normalizer.for_station(station.root / "lexicon.yaml")
    usable, missing = engines_here(station)
    results = []
    for engine, voice, speak in usable:
        if only and f"{engine}:{voice}" not in only:
            continue
        try:
            results.append(VoiceResult(engine, voice, measure(speak, sentences, normalizer, recognizer)))
        except EngineError as exc:
            missing.append((f"{engine}:{voice}", exc.message))
    return results, missing


def table(results: list[VoiceResult], missing: list[tuple[str, str]]) -> str:
    lines = [f"{'voice':28} {'WER':>6} {'words':>6} {'synth RTF':>10} {'ASR RTF':>8}  in plain words"]
    for r in sorted(results, key=lambda r: r.wer):
        lines.append(f"{r.key:28} {r.wer * 100:5.1f}% {sum(h.words for h in r.heard):6} {r.rtf:10.4f} "
                     f"{r.asr_rtf:8.3f}  {plain_words(r.wer)}")
    lines += [f"{name:28} not available here: {why}" for name, why in missing]
    return "\n".join(lines)


def per_sentence(results: list[VoiceResult], sentences: list[Sentence]) -> str:
    lines = ["WER per sentence (%): " + " | ".join(r.key for r in results)]
    for i, sentence in enumerate(sentences):
        cells = " ".join(f"{r.heard[i].errors / r.heard[i].words * 100:5.0f}" for r in results)
        lines.append(f"{i + 1:3} {sentence.genre:9} {cells}  {sentence.text[:60]}")
    return "\n".join(lines)


def write_figures(results: list[VoiceResult], sentences: int, path: Path = FIGURES) -> None:
    header = ("# Written by `python bench/intelligibility.py --write-figures`: the word error rate of each voice\n"
              f"# ({ASR} transcribing commune news read by the voice; a human announcer: about 0.1).\n"
              "# `broadcast voices` and Cài đặt → Giọng đọc show these. Do not edit by hand.\n")
    data = {"date": dt.date.today().isoformat(), "sentences": sentences, "meter": ASR,
            "voices": {r.key: round(r.wer, 3) for r in sorted(results, key=lambda r: r.key)}}
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def report(sentences: list[Sentence], results: list[VoiceResult], missing: list[tuple[str, str]]) -> dict:
    """Everything measured, as JSON-ready data."""
    return {"sentences": [asdict(s) for s in sentences], "missing": missing,
            "voices": [{"key": r.key, "wer": r.wer, "rtf": r.rtf, "asr_rtf": r.asr_rtf,
                        "heard": [asdict(h) for h in r.heard]} for r in results]}


def again_in_a_fresh_process(args) -> dict:
    """The same measurement by a new process (as the next run of the meter would make it)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "again.json"
        command = [sys.executable, __file__, "-S", str(args.station), "--sentences", str(args.sentences), "--json", str(out)]
        command += ["--piper", str(args.piper)] if args.piper else []
        subprocess.run(command + (["--voices", *args.voices] if args.voices else []), check=True,
                       stdout=subprocess.DEVNULL)
        return json.loads(out.read_text("utf-8"))


def compare(first: dict, second: dict) -> list[str]:
    lines = []
    for a, b in zip(first["voices"], second["voices"]):
        same = [h["transcript"] for h in a["heard"]] == [h["transcript"] for h in b["heard"]]
        lines.append(f"twice in a row: {a['key']:28} WER {a['wer'] * 100:5.1f}% then {b['wer'] * 100:5.1f}%, "
                     f"transcripts {'identical' if same else 'DIFFERENT'}")
    return lines


def main() -> None:
    from broadcast.station.settings import load_station

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-S", "--station", type=Path, default=REPO)
    parser.add_argument("--sentences", type=int, default=0, help="only the first N sentences")
    parser.add_argument("--voices", nargs="*", help="only these voices (engine:voice)")
    parser.add_argument("--piper", type=Path, help="also measure this piper voice (VOICE.onnx beside VOICE.onnx.json)")
    parser.add_argument("--twice", action="store_true", help="measure again in a fresh process and compare")
    parser.add_argument("--json", type=Path, help="write every transcript and figure here")
    parser.add_argument("--write-figures", action="store_true", help=f"write {FIGURES.relative_to(REPO)}")
    args = parser.parse_args()
    if args.write_figures and (args.sentences or args.voices):
        parser.error("--write-figures measures every sentence and voice: drop --sentences and --voices")
    sentences = load_sentences()[: args.sentences or None]
    station = load_station(args.station.resolve())
    if args.piper:
        station = replace(station, speech=replace(station.speech, piper_voice=str(args.piper.resolve())))
    results, missing = run(station, sentences, Recognizer(), args.voices)
    measured = report(sentences, results, missing)
    print(f"{len(sentences)} sentences, {sum(len(words(s.heard)) for s in sentences)} words, {ASR}")
    print(table(results, missing))
    print(per_sentence(results, sentences))
    if args.twice:
        print("\n".join(compare(measured, again_in_a_fresh_process(args))))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(measured, ensure_ascii=False, indent=1), "utf-8")
    if args.write_figures:
        write_figures(results, len(sentences))
        print(f"wrote {FIGURES.relative_to(REPO)}")


if __name__ == "__main__":
    main()
