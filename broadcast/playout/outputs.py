"""Which Player serves an output spec: pulse[:SINK], file:FOLDER, icecast://host:port/mount."""

from __future__ import annotations

from pathlib import Path

from broadcast.errors import AudioError
from broadcast.i18n import _
from broadcast.playout.icecast import IcecastPlayer, read_password
from broadcast.playout.output import Player
from broadcast.playout.players import FileSink, PulsePlayer


def make_player(spec: str, station, realtime: bool) -> Player:
    """The player for one output spec of STATION's schedule."""
    scheme = spec.split(":", 1)[0]
    settings = station.playout
    if scheme == "pulse":
        client = {"auto": None, "pacat": True, "ffmpeg": False}[settings.pulse_client]
        return PulsePlayer(spec, settings.pulse_server, client)
    if scheme == "file":
        folder = Path(spec.partition(":")[2] or "out/sink")
        return FileSink(spec, folder if folder.is_absolute() else station.root / folder, realtime)
    if scheme == "icecast":
        keepalive = station.path(settings.standby) if settings.icecast_keepalive == "standby" else None
        return IcecastPlayer(spec, read_password(settings.icecast_password_file, settings.icecast_password_env,
                                                 station.root),
                             settings.icecast_bitrate, keepalive, station.name)
    raise AudioError(_("unknown output {value!r}").format(value=spec),
                     _("use pulse, pulse:SINK, file:FOLDER or icecast://host:port/mount"))

