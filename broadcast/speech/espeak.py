"""espeak-ng through the libespeak-ng that the espeakng-loader wheel ships (ctypes)."""

from __future__ import annotations

import ctypes
import threading

import numpy as np

from broadcast.availability import Availability
from broadcast.errors import EngineError
from broadcast.i18n import _, known
from broadcast.sound.pcm import Speech
from broadcast.speech.base import Engine
from broadcast.station.settings import ESPEAK_VOICES

VOICES = ESPEAK_VOICES
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_RATE, _PITCH, _RANGE = 1, 3, 4
# Pitch range per voice (espeak-ng's default: 50): 100 stretches the tones, and the intelligibility
# meter heard fewer words wrong from the northern and southern voices (vi 81.9 -> 80.3 %, vi+f2
# 76.2 -> 74.2 %, south 88.5 -> 85.7 %) but more from the central one (90.1 -> 91.8 %): README,
# "The offline floor".
RANGES = {"vi": 100, "vi+f2": 100, "vi-VN-x-south": 100, "vi-VN-x-central": 50}
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)

# libespeak-ng holds global state (voice, parameters, callback): one caller at a time.
_LOCK = threading.Lock()


class _Library:
    """The loaded library, initialised once per process."""

    def __init__(self):
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                          ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        self.rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                               espeakng_loader.get_data_path().encode(), 0)
        if self.rate <= 0:
            raise EngineError(_("espeak-ng failed to initialise"), _("reinstall the espeakng-loader package"))
        self.chunks: list[bytes] = []
        self._callback = _CALLBACK(self._collect)   # keep a reference: C holds the pointer
        self.lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav, count, events) -> int:
        if count > 0:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        return 0


_library: _Library | None = None


def _get_library() -> _Library:
    global _library
    if _library is None:
        _library = _Library()
    return _library


class EspeakEngine(Engine):
    name = "espeak"

    def __init__(self, voice: str = "vi", rate: int = 150, pitch: int = 50):
        self.voice, self.rate, self.pitch = voice, rate, pitch

    def available(self) -> Availability:
        try:
            with _LOCK:
                _get_library()
        except (OSError, ImportError, EngineError) as exc:
            return Availability(False, _("libespeak-ng cannot be loaded: {exc}").format(exc=exc))
        return Availability(True)

    def voices(self) -> list[str]:
        return list(VOICES)

    def settings(self, voice: str | None = None) -> dict:
        voice = voice or self.voice
        return {"voice": voice, "rate": self.rate, "pitch": self.pitch, "range": RANGES.get(voice, 50), "version": 2}

    def synthesize(self, text: str, voice: str | None = None) -> Speech:
        voice = voice or self.voice
        if voice not in VOICES:
            raise EngineError(_("espeak: unknown voice {voice!r}").format(voice=voice), known(VOICES))
        data = text.encode("utf-8") + b"\0"
        with _LOCK:
            lib = _get_library()
            if lib.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise EngineError(_("espeak: voice {voice!r} not found in espeak-ng-data").format(voice=voice))
            lib.lib.espeak_SetParameter(_RATE, int(self.rate), 0)
            lib.lib.espeak_SetParameter(_PITCH, int(self.pitch), 0)
            lib.lib.espeak_SetParameter(_RANGE, RANGES[voice], 0)
            lib.lib.espeak_ng_SetRandSeed(ctypes.c_long(1))   # breath noise (vi+f2): seeded by the clock otherwise
            lib.chunks = []
            status = lib.lib.espeak_Synth(data, len(data), 0, 0, 0, _CHARS_UTF8, None, None)
            pcm, lib.chunks = b"".join(lib.chunks), []
        if status != 0:
            raise EngineError(_("espeak: synthesis failed (status {status})").format(status=status))
        return Speech(np.frombuffer(pcm, dtype=np.int16).copy(), lib.rate)


_PHONEMES_IPA = 0x02


def ipa_phonemes(text: str, voice: str = "vi") -> list[str]:
    """espeak-ng's IPA phonemes of TEXT, one string per clause (what piper voices expect)."""
    buffer = ctypes.create_string_buffer(text.encode("utf-8") + b"\0")
    pointer = ctypes.c_char_p(ctypes.addressof(buffer))
    clauses = []
    with _LOCK:
        lib = _get_library().lib
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise EngineError(_("espeak: voice {voice!r} not found in espeak-ng-data").format(voice=voice))
        while pointer.value:
            result = lib.espeak_TextToPhonemes(ctypes.byref(pointer), _CHARS_UTF8, _PHONEMES_IPA)
            if result:
                clauses.append(result.decode("utf-8").strip())
    return [c for c in clauses if c]
