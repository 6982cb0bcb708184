"""The offline floor: which espeak-ng settings make its Vietnamese easier to understand, with the
intelligibility meter (bench/intelligibility.py) as judge, on espeak-ng's northern voice `vi`.

Each variant changes one thing from espeak-ng's defaults (rate 150, pitch 50, range 50, no extra
word gap, the wheel's espeak-ng-data; --data DIR reads a tuned copy instead, such as one built by
bench/espeak_vi_data.py): speaking rate, pitch range (which also stretches the tones), gap
between words, a voice variant (klatt synthesis, a female voice), longer pauses between phrases
(each clause synthesized alone, silence between), pitch flutter. Each variant is measured in a
fresh process: libespeak-ng reads its data once, and its pitch flutter carries over from one
synthesis to the next, so a process's history changes the audio (from a fresh process the same
sentences always give the same audio).

Usage: python bench/espeak_floor.py [--only NAME ...] [--data DIR] [--voice vi] [--sentences N]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import intelligibility as meter  # noqa: E402

from broadcast.normalize import Normalizer  # noqa: E402
from broadcast.sound.pcm import Speech  # noqa: E402
from broadcast.speech import espeak  # noqa: E402

_RATE, _PITCH, _RANGE, _WORDGAP = 1, 3, 4, 7
BASE = {"voice": "vi", "rate": 150, "pitch": 50, "range": 50, "wordgap": 0, "pause": 0}
VARIANTS = {
    "default": {},
    "rate 130": {"rate": 130},
    "rate 170": {"rate": 170},
    "range 75": {"range": 75},
    "range 100": {"range": 100},
    "range 25": {"range": 25},
    "pitch 35": {"pitch": 35},
    "pitch 65": {"pitch": 65},
    "word gap 30 ms": {"wordgap": 3},
    "klatt": {"voice": "vi+klatt"},
    "klatt4": {"voice": "vi+klatt4"},
    "female f2": {"voice": "vi+f2"},
    "female f2 + range 100": {"voice": "vi+f2", "range": 100},
    "female f3 + range 100": {"voice": "vi+f3", "range": 100},
    "male m3": {"voice": "vi+m3"},
    "phrase pauses 300 ms": {"pause": 0.3},
    "rate 130 + range 100": {"rate": 130, "range": 100},
    "rate 140 + range 100": {"rate": 140, "range": 100},
    "no flutter": {"voice": "vi+noflutter"},       # these need --data with voices/!v/noflutter, ...
    "flutter x2": {"voice": "vi+flutter128"},
}
_CLAUSE = re.compile(r"(?<=[,;:.!?])\s+")


def speaker(voice: str, rate: int, pitch: int, range: int, wordgap: int, pause: float):
    def synth(text: str) -> Speech:
        data = text.encode("utf-8") + b"\0"
        with espeak._LOCK:
            lib = espeak._get_library()
            if lib.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise SystemExit(f"no espeak voice {voice}")
            for parameter, value in ((_RATE, rate), (_PITCH, pitch), (_RANGE, range), (_WORDGAP, wordgap)):
                lib.lib.espeak_SetParameter(parameter, int(value), 0)
            lib.chunks = []
            lib.lib.espeak_Synth(data, len(data), 0, 0, 0, 1, None, None)
            pcm, lib.chunks = b"".join(lib.chunks), []
        return Speech(np.frombuffer(pcm, dtype=np.int16).copy(), lib.rate)

    def speak(text: str) -> Speech:
        if not pause:
            return synth(text)
        parts = [synth(clause) for clause in _CLAUSE.split(text) if clause.strip()]
        gap = np.zeros(int(pause * parts[0].rate), dtype=np.int16)
        joined = [x for part in parts for x in (part.samples, gap)][:-1]
        return Speech(np.concatenate(joined), parts[0].rate)

    return speak


def use_data(folder: Path) -> None:
    """Make libespeak-ng read FOLDER instead of the wheel's espeak-ng-data (before its first use)."""
    import espeakng_loader

    espeakng_loader.get_data_path = lambda: str(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(VARIANTS))
    parser.add_argument("--data", type=Path, help="a tuned espeak-ng-data folder")
    parser.add_argument("--voice", default="vi")
    parser.add_argument("--sentences", type=int, default=0)
    parser.add_argument("--child", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return measure_variant(args)
    print(f"{args.sentences or len(meter.load_sentences())} sentences; data: {args.data or 'espeak-ng (wheel)'}; "
          f"voice {args.voice}", flush=True)
    for name in args.only or VARIANTS:
        command = [sys.executable, __file__, "--child", name, "--voice", args.voice, "--sentences", str(args.sentences)]
        subprocess.run(command + (["--data", str(args.data)] if args.data else []), check=True)


def measure_variant(args) -> None:
    if args.data:
        use_data(args.data.resolve())
    sentences = meter.load_sentences()[: args.sentences or None]
    normalizer, recognizer = Normalizer.for_station(meter.REPO / "lexicon.yaml"), meter.Recognizer()
    settings = {**BASE, "voice": args.voice, **VARIANTS[args.child]}
    result = meter.VoiceResult("espeak", args.child, meter.measure(speaker(**settings), sentences, normalizer, recognizer))
    print(f"{args.child:22} WER {result.wer * 100:5.1f}%  synth RTF {result.rtf:.4f}  "
          f"audio {sum(h.audio for h in result.heard):6.1f} s", flush=True)


if __name__ == "__main__":
    main()
