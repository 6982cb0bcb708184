"""How it will sound: "Nghe thử" of an item, and a typed emergency text read aloud. Both render
exactly as the daemon's programs do (normalized, the station's engine chain, mixed and mastered);
a second request with nothing changed reuses the file."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path

from broadcast.errors import BroadcastError, InputError
from broadcast.i18n import _
from broadcast.news.scripts import NewsItem
from broadcast.render.bulletin import Renderer, RenderResult
from broadcast.service.scripts import find
from broadcast.station.settings import Station

PREVIEWS = Path("preview")                      # under the station's cache


def listen(station: Station, item: NewsItem) -> RenderResult:
    """ITEM alone, as it will air, in the cache."""
    return Renderer(station).render([item], station.cache_dir / PREVIEWS / f"{item.id}.wav")


def listen_file(station: Station, item_id: str) -> Path:
    """The file of `listen` for the item ITEM_ID (a plain path: it crosses to the console's process)."""
    return listen(station, find(station, item_id)).path


def listen_stream(station: Station, item_id: str, stream: Path, progress: Path | None = None) -> Path | None:
    """"Nghe thử" of ITEM_ID that starts at once: the finished file when nothing needs rendering;
    else None, once its audio has gone into STREAM (a WAV written as it renders, which the
    console sends on as it grows). PROGRESS, when given, is told how far the render has got
    (service.progress: each text voiced, then "done" once the whole file is written)."""
    from broadcast.render.progressive import stream_preview
    from broadcast.service.progress import Teller

    teller = Teller(progress)
    try:
        item = find(station, item_id)
        renderer = Renderer(station)
        ready = renderer.ready([item])
        if ready is not None:
            teller.finished(_seconds(ready))
            return ready
        renderer.progress = lambda done, total: teller.voiced(done, total, renderer.voiced)
        with open(stream, "wb") as sink:
            result = stream_preview(renderer, item, station.cache_dir / PREVIEWS / f"{item.id}.wav", sink)
    except BroadcastError as exc:
        teller.failed(exc)
        raise
    teller.finished(result.duration)
    return None


def _seconds(path: Path) -> float:
    import wave

    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def emergency_text_audio(station: Station, text: str, now: dt.datetime) -> Path:
    """A short typed TEXT read aloud into its own new file in audio/khan-cap/, ready for
    `playout.emergency` (two officers preparing in the same second never share a file)."""
    paragraphs = tuple(p.strip() for p in text.replace("\r", "").split("\n\n") if p.strip())
    if not paragraphs:
        raise InputError(_("Emergency broadcast"), None, _("Text"), _("nothing written"), _("type the text to air"))
    folder = station.emergency_dir
    item = NewsItem(id=f"khan-cap-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(6)}", title="Thông báo khẩn", topic="khac",   # read on air: Vietnamese
                    valid_from=now.date(), valid_until=now.date(), paragraphs=paragraphs, path=folder,
                    body_line=1, priority="emergency")
    out = folder / f"{item.id}.wav"
    Renderer(station).render([item], out)
    return out


TONE_SECONDS = 1.5


def test_tone(station: Station, zone_id: str, by: str | None, now: dt.datetime) -> float:
    """Play a short tone (1 kHz, -18 dBFS) on ZONE_ID's output, to check the loudspeakers are wired;
    returns the seconds played. Audited with BY."""
    import threading
    import wave

    import numpy as np

    from broadcast.errors import AudioError
    from broadcast.playout.outputs import make_player
    from broadcast.service.station import zones
    from broadcast.service.users import log_action

    zone = next((z for z in zones(station) if z.id == zone_id), None)
    if zone is None:
        raise InputError("schedules", None, "zones", _("unknown zone {value!r}").format(value=zone_id))
    player = make_player(zone.output, station, realtime=True)
    ok = player.available()
    if not ok:
        raise AudioError(_("The output {name} cannot be used").format(name=zone.output), ok.reason)
    rate = 22050
    t = np.arange(int(TONE_SECONDS * rate)) / rate
    ramp = np.minimum(1.0, np.minimum(t, TONE_SECONDS - t) / 0.05)
    samples = (0.125 * np.sin(2 * np.pi * 1000 * t) * ramp * 32767).astype("<i2")
    path = station.cache_dir / "tmp" / "tieng-thu.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    log_action(station, now, by, "output.test", zone.id, zone.output)
    try:
        result = player.play(path, TONE_SECONDS, threading.Event(), label=f"tieng-thu-{zone.id}")
    finally:
        player.close()
    if not result.completed:
        raise AudioError(_("The test tone did not play: {reason}").format(reason=result.error))
    return result.played


def install_uploaded_voice(station: Station, model: bytes, model_name: str, config: bytes,
                           by: str | None, now: dt.datetime) -> str:
    """A piper voice uploaded from the console (MODEL.onnx and MODEL.onnx.json): checked by loading it
    and reading a sentence, then installed in voices/; returns its path in the station folder."""
    import tempfile

    from broadcast.service.users import log_action
    from broadcast.service.voices import add_voice

    stem = re.sub(r"[^\w.-]+", "_", Path(model_name).name.removesuffix(".onnx")) or "giong"
    with tempfile.TemporaryDirectory(dir=station.cache_dir if station.cache_dir.exists() else None) as folder:
        source = Path(folder) / f"{stem}.onnx"
        source.write_bytes(model)
        source.with_name(f"{stem}.onnx.json").write_bytes(config)
        installed = add_voice(station, source)
    log_action(station, now, by, "voices.add", str(installed))
    return str(installed)


def check_voice(station: Station, engine: str):
    """"Kiểm tra" of one engine, here where the speech engines are loaded."""
    from broadcast.service.voices import check_voice

    return check_voice(station, engine)


def install_voice_file(station: Station, path: str, by: str | None, now: dt.datetime) -> dict:
    """An uploaded voice file (korvatts zip) checked and installed: what the page shows of it."""
    from broadcast.service.voices import install_voice_file

    done = install_voice_file(station, Path(path), by, now)
    return {"engine": done.engine, "path": str(done.path.relative_to(station.root)), "voices": list(done.voices),
            "licence": done.licence}


def voice_sample_file(station: Station, engine_voice: str, text: str) -> Path:
    """TEXT read by ENGINE[:VOICE] (the console's "Thử giọng"), in the cache."""
    from broadcast.service.voices import sample_voice

    name = re.sub(r"[^\w.-]+", "_", engine_voice)
    return sample_voice(station, engine_voice, text or "Kính thưa bà con nhân dân.",
                        station.cache_dir / PREVIEWS / f"thu-giong-{name}.wav").path


def add_recording(station: Station, data: bytes, name: str, by: str | None, now: dt.datetime):
    """Thư viện âm thanh: an upload checked and normalized here, where the audio stack is loaded."""
    from broadcast.service.library import add

    return add(station, data, name, by, now)


def record_item(station: Station, item_id: str, source: Path, name: str, by: str | None, now: dt.datetime):
    """Thu âm: the reading in SOURCE cleaned and made the item's audio, here with the audio stack."""
    from broadcast.service.recording import record_item as record

    return record(station, item_id, source, name, by, now)


def episode_file(station: Station, item_id: str) -> Path:
    """The website's MP3 of a published item (rendered here, with the audio stack)."""
    from broadcast.service.publish import episode_audio

    return episode_audio(station, item_id)
