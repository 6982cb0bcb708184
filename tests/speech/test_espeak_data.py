"""broadcast's tuned copy of espeak-ng's Vietnamese data (tools/espeak_vi_data.py): libespeak-ng reads
it, and its tones are higher and wider than espeak-ng's own (what the intelligibility meter kept)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from broadcast.speech import espeak

# F0 (Hz) of a syllable read by a fresh process (libespeak-ng reads its data once): the median pitch
# by autocorrelation over 40 ms frames, voiced frames only
PITCH = """
import json, sys
import numpy as np
from broadcast.speech import espeak
if sys.argv[1] == "wheel":
    import espeakng_loader
    from pathlib import Path
    espeak.DATA = Path(espeakng_loader.get_data_path())
speech = espeak.EspeakEngine().synthesize(sys.argv[2])
x, rate, found = speech.samples.astype(float), speech.rate, []
for start in range(0, len(x) - 882, 441):
    frame = x[start:start + 882] - x[start:start + 882].mean()
    if np.sqrt((frame ** 2).mean()) < 500:
        continue
    ac = np.correlate(frame, frame, "full")[len(frame) - 1:]
    lo, hi = rate // 300, rate // 60
    lag = lo + int(np.argmax(ac[lo:hi]))
    if ac[lag] > 0.5 * ac[0]:
        found.append(rate / lag)
print(json.dumps({"tuned": espeak._get_library().tuned, "f0": float(np.median(found))}))
"""


def pitch(data: str, text: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PITCH, data, text], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def test_the_engine_reads_the_tuned_data_shipped_with_broadcast():
    assert (espeak.DATA / "phontab").exists() and (espeak.DATA / "lang" / "aav" / "vi").exists()
    assert espeak._get_library().tuned and espeak._get_library().version == espeak.DATA_VERSION
    assert espeak.EspeakEngine().settings()["tones"] == "broadcast-1"      # a new cache key: renders again


def test_the_level_tone_is_higher_than_espeak_ngs_own():
    ours, theirs = pitch("ours", "ba ba ba"), pitch("wheel", "ba ba ba")
    assert ours["tuned"] and theirs["tuned"]                      # both folders are read the same way
    assert ours["f0"] > theirs["f0"] * 1.15, (ours, theirs)
    assert np.isfinite(ours["f0"]) and 60 < theirs["f0"] < 300
