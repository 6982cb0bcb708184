"""A tuned copy of espeak-ng's Vietnamese data, for bench/espeak_floor.py --data OUT.

espeak-ng's northern Vietnamese tones sit low and close together (level tone at 27 of 100, the
rising tones reach 50-60): TONES below raises the level tone and spreads the others. The phoneme
tables are compiled by espeak-ng's own compiler (espeak_ng_CompilePhonemeDataPath in the
libespeak-ng that the espeakng-loader wheel ships) from espeak-ng's sources of the same version;
every other file is the wheel's own. Measured, it did not lower the word error rate beyond what
pitch range 100 alone does at the station's rate (README, "The offline floor"), so broadcast does
not ship it.

    python bench/espeak_vi_data.py PHSOURCE OUT [--keep-tones]
PHSOURCE: espeak-ng's phsource/ at tag 1.52.0. --keep-tones compiles espeak-ng's own tones (the same
tables as the wheel's), for the flutter variants alone: OUT also gets the wheel's voice variants and
two of ours, voices/!v/noflutter and voices/!v/flutter128.
"""

from __future__ import annotations

import ctypes
import shutil
import sys
import tempfile
from pathlib import Path

import espeakng_loader

VERSION = "1.52.0"
# ph_vietnam, northern tones: (espeak-ng's line, ours); Tone(start, end, pitch envelope, amplitude
# envelope), pitch in 0-100 of the voice's range
TONES = (
    ("Tone(27, 25, envelope/p_level, NULL)", "Tone(45, 43, envelope/p_level, NULL)"),          # ngang
    ("Tone(20, 8, envelope/p_fall, NULL)", "Tone(30, 5, envelope/p_fall, NULL)"),              # huyền
    ("Tone(20, 50, envelope/p_rise, NULL)", "Tone(40, 85, envelope/p_rise, NULL)"),            # sắc
    ("Tone(10, 31, envelope/p_fallrise, NULL)", "Tone(5, 35, envelope/p_fallrise, NULL)"),     # hỏi
    ("Tone(34, 60,envelope/p_214, envelope/vi_5amp)", "Tone(35, 90,envelope/p_214, envelope/vi_5amp)"),  # ngã
    ("Tone(34, 10, envelope/p_512, envelope/vi_6amp)", "Tone(35, 0, envelope/p_512, envelope/vi_6amp)"),  # nặng
    ("Tone(30,  28, envelope/p_fall, NULL)", "Tone(45,  38, envelope/p_fall, NULL)"),          # ngang, clause end
)
FROM_WHEEL = ("intonations", "phondata", "phonindex", "vi_dict", "lang/aav/vi", "lang/aav/vi-VN-x-central",
              "lang/aav/vi-VN-x-south")


def build(phsource: Path, out: Path, tones: bool = True) -> None:
    wheel = Path(espeakng_loader.get_data_path())
    library = ctypes.CDLL(espeakng_loader.get_library_path())
    library.espeak_Info.restype = ctypes.c_char_p
    version = library.espeak_Info(None).decode()
    if version != VERSION:
        raise SystemExit(f"libespeak-ng is {version}, this data is for {VERSION}")
    with tempfile.TemporaryDirectory() as folder:
        source, work = Path(folder) / "phsource", Path(folder) / "data"
        shutil.copytree(phsource, source)
        text = (source / "ph_vietnam").read_text("utf-8")
        for theirs, ours in TONES if tones else ():
            if theirs not in text:
                raise SystemExit(f"ph_vietnam has no {theirs!r}: not espeak-ng {VERSION}'s source?")
            text = text.replace(theirs, ours)
        (source / "ph_vietnam").write_text(text, "utf-8")
        for name in FROM_WHEEL:
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(wheel / name, work / name)
        if library.espeak_Initialize(2, 0, str(wheel).encode(), 0) <= 0:
            raise SystemExit("libespeak-ng failed to initialise")
        status = library.espeak_ng_CompilePhonemeDataPath(ctypes.c_long(22050), str(source).encode(),
                                                          str(work).encode(), None, None)
        if status != 0:
            raise SystemExit(f"compiling the phoneme tables failed ({status})")
        if (work / "phondata").read_bytes() != (wheel / "phondata").read_bytes():
            raise SystemExit("the compiled phondata differs from the wheel's: the sources are not its version")
        (work / "phondata-manifest").unlink(missing_ok=True)
        shutil.copytree(wheel / "voices", work / "voices")
        for flutter in (0, 128):
            name = "noflutter" if flutter == 0 else f"flutter{flutter}"
            (work / "voices" / "!v" / name).write_text(f"language variant\nname {name}\nflutter {flutter}\n")
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(work, out)
    print(f"wrote {out}")


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]), "--keep-tones" not in sys.argv)
