"""Speech engines: real-time factor of each engine available here, and the time from
"network down" to fallback audio (target < 1 s, no hang).

- espeak-ng: the real engine.
- gTTS: against a local server speaking Google's protocol (tests/fake_gtts.py): shows our
  overhead (chunking, requests, decoding, checks), not Google's speed. The server's own
  time (making the MP3) is measured and subtracted.
- piper: the tiny test voice (tests/piper_model.py): onnxruntime plus our phonemes and
  ids; a real vi_VN voice is slower (its network is larger), so this is our overhead only.

Usage: python bench/engines_bench.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from broadcast.news.scripts import load_scripts  # noqa: E402
from broadcast.normalize import Normalizer  # noqa: E402
from broadcast.speech.cache import SpeechCache  # noqa: E402
from broadcast.speech.chain import SpeechService  # noqa: E402
from broadcast.speech.espeak import EspeakEngine  # noqa: E402
from broadcast.speech.gtts_engine import GttsEngine  # noqa: E402
from broadcast.speech.piper import PiperEngine  # noqa: E402
from tests import fake_gtts  # noqa: E402
from tests.fake_gtts import FakeGoogle  # noqa: E402
from tests.piper_model import write_tiny_voice  # noqa: E402
from tests.soundpath import DroppedSyn, free_port  # noqa: E402


def _texts() -> list[str]:
    normalizer = Normalizer.for_station()
    items = load_scripts([REPO / "scripts"])
    return [normalizer.normalize(p) for item in items for p in item.paragraphs]


def _rtf(engine, texts) -> tuple[float, float]:
    began = time.perf_counter()
    audio = sum(engine.synthesize(t).duration for t in texts)
    took = time.perf_counter() - began
    return took / audio, audio


def main() -> None:
    texts = _texts()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        rtf, audio = _rtf(EspeakEngine(), texts)
        print(f"espeak-ng: RTF {rtf:.4f} ({audio:.0f} s of speech)")

        server_time = [0.0]
        made = fake_gtts.mp3_for

        def timed(text):
            began = time.perf_counter()
            try:
                return made(text)
            finally:
                server_time[0] += time.perf_counter() - began

        fake_gtts.mp3_for = timed
        google = FakeGoogle()
        engine = GttsEngine(folder / "gtts", endpoint=google.url)
        began = time.perf_counter()
        audio = sum(engine.synthesize(t).duration for t in texts)
        took = time.perf_counter() - began
        google.close()
        print(f"gTTS (local server, {engine.requests_sent} requests): RTF {(took - server_time[0]) / audio:.4f} "
              f"for our side ({took:.1f} s in all, {server_time[0]:.1f} s making MP3s in the server)")
        warm = time.perf_counter()
        for t in texts:
            engine.synthesize(t)
        print(f"gTTS from the chunk cache: RTF {(time.perf_counter() - warm) / audio:.4f}")

        rtf, audio = _rtf(PiperEngine(write_tiny_voice(folder / "voice")), texts)
        print(f"piper (tiny test voice): RTF {rtf:.4f} ({audio:.0f} s of output)")

        hole = DroppedSyn()
        for label, url in (("connection refused", f"http://127.0.0.1:{free_port()}"),
                           ("no DNS name", "http://translate.google.invalid"),
                           ("packets dropped", hole.url)):
            service = SpeechService([GttsEngine(folder / f"g-{free_port()}", endpoint=url), EspeakEngine()],
                                    SpeechCache(folder / f"s-{free_port()}"))
            began = time.perf_counter()
            voiced = service.speak(texts[0])
            print(f"network down ({label}): fallback audio from {voiced.engine} after "
                  f"{1000 * (time.perf_counter() - began):.0f} ms (target < 1000 ms)")


if __name__ == "__main__":
    main()
