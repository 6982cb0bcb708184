"""Thư viện âm thanh: jingles and recordings the officer uploads. Each is checked by decoding it (not
by its name), brought to the station's loudness (mix.target_lufs, true peak under mix.true_peak)
and kept with its details; one can become the intro, outro, separator or music bed of every program.

Adding runs where the audio stack lives (the console's render worker); listing does not."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from broadcast.errors import InputError
from broadcast.files import atomic_path
from broadcast.i18n import N_, _, known
from broadcast.service.users import log_action
from broadcast.station.settings import STATION_FILE, Station, edit_station

FOLDER = Path("audio") / "thu-vien"
ROLES = {"intro": N_("Intro"), "outro": N_("Outro"), "separator": N_("Between items"), "bed": N_("Music bed")}


@dataclass(frozen=True)
class Recording:
    file: str                        # path in the station folder: audio/thu-vien/NAME.wav
    title: str                       # the uploaded file's name
    seconds: float
    lufs: float                      # after normalizing
    peak: float                      # dBTP after normalizing
    added: str                       # dd/mm/yyyy HH:MM
    by: str | None
    used_as: tuple[str, ...] = ()    # intro / outro / separator / bed


def recordings(station: Station) -> list[Recording]:
    """The library's recordings: each WAV in audio/thu-vien/ beside its details (.json). The details
    never name the file (a planted one could name any path): the WAV is the one beside them, and
    only if it really lies in the folder (no link out of it)."""
    folder = station.root / FOLDER
    found = []
    for meta in sorted(folder.glob("*.json")) if folder.exists() else []:
        if confined(station, meta.with_suffix(".wav").name) is None:
            continue
        try:
            data = json.loads(meta.read_text("utf-8"))
            data["file"] = (FOLDER / meta.with_suffix(".wav").name).as_posix()
            used = tuple(role for role in ROLES if getattr(station.mix, role) == data["file"])
            found.append(Recording(**{**data, "used_as": used}))
        except (ValueError, TypeError, OSError):
            continue                 # details that do not read: not listed (the file stays for the admin)
    return found


def confined(station: Station, name: str) -> Path | None:
    """The library's file NAME, resolved, if it is a regular file inside audio/thu-vien/ (links
    followed, then checked); None otherwise."""
    folder = (station.root / FOLDER).resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file():
        return None
    return path


def add(station: Station, data: bytes, original_name: str, by: str | None, now: dt.datetime) -> Recording:
    """Check, normalize and keep an uploaded recording (needs the audio stack: the render worker).
    Decoded and levelled a block at a time: a file at the length cap costs what a short one does."""
    from broadcast.service.uploads import decoded
    from broadcast.sound.level import level_raw

    stem = re.sub(r"[^a-z0-9-]+", "-", Path(original_name).stem.lower()).strip("-")[:40] or "am-thanh"
    target = station.root / FOLDER / f"{stem}-{now:%Y%m%d%H%M%S}.wav"
    with decoded(station, data, original_name, now) as raw:             # size and length caps, decode check
        done = level_raw(raw, target, station.mix.sample_rate, station.mix.target_lufs, station.mix.true_peak)
    recording = Recording(str(target.relative_to(station.root)), Path(original_name).name, round(done.seconds, 2),
                          round(done.loudness, 1), round(done.true_peak, 1), f"{now:%d/%m/%Y %H:%M}", by)
    meta = {k: v for k, v in asdict(recording).items() if k != "used_as"}
    with atomic_path(target.with_suffix(".json")) as tmp:
        tmp.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    log_action(station, now, by, "library.add", recording.file, recording.title)
    return recording


def use_as(station: Station, file: str, role: str, by: str | None, now: dt.datetime) -> Station:
    """Make the recording FILE the station's ROLE (intro, outro, separator, bed) in station.yaml."""
    if role not in ROLES:
        raise InputError(STATION_FILE, None, "mix", _("unknown value {value!r}").format(value=role), known(ROLES))
    if file not in {r.file for r in recordings(station)}:
        raise InputError(FOLDER, None, None, _("{path} not found").format(path=file))
    updated = edit_station(station, {("mix", role): file})
    log_action(station, now, by, "library.use", file, role)
    return updated


def to_item(station: Station, file: str, by: str | None, now: dt.datetime):
    """A news item that airs the recording FILE (a draft: the officer sets its title and topic and
    sends it for approval like any item)."""
    from broadcast.news.scripts import OPEN_ENDED
    from broadcast.service.scripts import Draft, save_script

    recording = next((r for r in recordings(station) if r.file == file), None)
    if recording is None:
        raise InputError(FOLDER, None, None, _("{path} not found").format(path=file))
    title = Path(recording.title).stem.replace("_", " ").replace("-", " ").strip() or _("Recording")
    item_id = f"ban-ghi-{Path(file).stem}"[:60]
    return save_script(station, Draft(item_id, title, "khac", now.date(), OPEN_ENDED, "", audio=file), by, now)
