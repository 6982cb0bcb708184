"""Tiếp sóng: the relay sources of station.yaml, and "Kiểm tra": connect to one and say what it
sends (format, bitrate) and how long that took, or why it cannot be relayed."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from broadcast import proc
from broadcast.errors import AudioError, BroadcastError
from broadcast.i18n import N_, _, known
from broadcast.playout.relaysource import check_http, ffmpeg_reason
from broadcast.station.relays import RelaySource
from broadcast.station.settings import Station

PROBE_SECONDS = 2            # of audio decoded to be sure it is audio
PROBE_TIMEOUT = 20.0
_STREAM = re.compile(r"Audio: ([\w-]+)[^,\n]*, (\d+) Hz, ([^,\n]+)(?:, \w+)?(?:, (\d+) kb/s)?")   # the input's
CHANNELS = {"mono": N_("mono"), "stereo": N_("stereo")}


@dataclass(frozen=True)
class SourceCheck:
    source: RelaySource
    ok: bool
    seconds: float           # how long the check took
    format: str = ""         # "MP3, 22050 Hz, mono"
    bitrate: str = ""        # "64 kb/s"
    reason: str = ""         # why not, in the officer's words

    @property
    def message(self) -> str:
        if self.ok:
            return _("connected in {seconds:.1f} s: {format}, {bitrate}").format(
                seconds=self.seconds, format=self.format, bitrate=self.bitrate or _("bitrate not stated"))
        return _("cannot relay ({seconds:.1f} s): {reason}").format(seconds=self.seconds, reason=self.reason)


def sources(station: Station) -> list[RelaySource]:
    return list(station.relays)


def check_source(station: Station, source_id: str) -> SourceCheck:
    """Connect to a source as the daemon would, decode a little, and say what came."""
    source = station.relay_sources().get(source_id)
    if source is None:
        raise BroadcastError(_("unknown relay source {value!r}").format(value=source_id),
                             known(sorted(station.relay_sources())))
    began = time.monotonic()
    why, _kind = check_http(source)
    if why is not None:
        return SourceCheck(source, False, time.monotonic() - began, reason=why)
    try:
        done = proc.run([proc.ffmpeg_exe(), "-hide_banner", "-nostdin", "-rw_timeout", "5000000", "-i", source.url,
                         "-t", str(PROBE_SECONDS), "-vn", "-f", "null", "-"], timeout=PROBE_TIMEOUT, what="ffmpeg")
    except AudioError as exc:
        return SourceCheck(source, False, time.monotonic() - began,
                           reason=ffmpeg_reason(exc.message.split(" | "), 1, False))
    found = _STREAM.search(done.stderr.decode("utf-8", "replace"))
    took = time.monotonic() - began
    if found is None:
        return SourceCheck(source, False, took, reason=_("the source sent nothing"))
    codec, rate, channels, kbps = found.groups()
    channels = channels.strip()
    shape = f"{codec.upper()}, {rate} Hz, {_(CHANNELS[channels]) if channels in CHANNELS else channels}"
    return SourceCheck(source, True, took, shape, f"{kbps} kb/s" if kbps else "")
