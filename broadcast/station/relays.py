"""Relay sources ("tiếp sóng") named in station.yaml: the national and provincial streams a
slot may relay by name, e.g.

    relays:
      vov1: {name: "VOV1 – Thời sự", url: "https://…/vov1.aac"}
      tinh: {name: Đài tỉnh, url: "http://…/live.m3u8", buffer: 12}

A slot may also name a URL directly; `source_for` turns either into a RelaySource.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from broadcast import yamlfile
from broadcast.i18n import _, known

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
SCHEMES = ("http", "https")
BUFFER_DEFAULT, BUFFER_HLS = 1.0, 8.0     # seconds held ahead: a live HLS arrives a segment at a time


@dataclass(frozen=True)
class RelaySource:
    id: str                  # the name in station.yaml, or the URL itself when a slot names a URL
    name: str                # what the officer sees, e.g. "VOV1 – Thời sự"
    url: str
    buffer: float = BUFFER_DEFAULT
    line: int = 0

    @property
    def hls(self) -> bool:
        return urlsplit(self.url).path.lower().endswith((".m3u8", ".m3u"))

    @property
    def safe_url(self) -> str:
        """The address without a user or password (for logs and pages)."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path}"


def url_problem(url: str) -> str | None:
    """Why URL cannot be relayed, or None."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        return _("not a stream address: {value!r}").format(value=url)
    return None


def parse_relays(raw, located: yamlfile.Located) -> dict[str, RelaySource]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise located.error(("relays",), _("expected a mapping of source id to {name, url}"),
                            _("e.g. relays:\\n  vov1: {name: VOV1, url: https://…}"))
    out = {}
    for source_id, spec in raw.items():
        keys = ("relays", source_id)
        if not ID_PATTERN.match(str(source_id)):
            raise located.error(keys, _("relay source id {value!r} is not file-safe").format(value=source_id),
                                _("use e.g. vov1, dai-tinh"))
        if not isinstance(spec, dict):
            raise located.error(keys, _("expected {name, url}"))
        for key in spec:
            if key not in ("name", "url", "buffer"):
                raise located.error(keys + (key,), _("unknown field"), known(("name", "url", "buffer")))
        url = spec.get("url")
        if not isinstance(url, str) or not url.strip():
            raise located.error(keys + ("url",), _("missing stream address"),
                                _("give the address the station gave you, e.g. https://…/live.mp3 or …/index.m3u8"))
        problem = url_problem(url.strip())
        if problem:
            raise located.error(keys + ("url",), problem, _("the address starts with http:// or https://"))
        buffer = spec.get("buffer")
        if buffer is not None and (not isinstance(buffer, (int, float)) or isinstance(buffer, bool)
                                   or not math.isfinite(buffer) or not 0.2 <= buffer <= 60):
            raise located.error(keys + ("buffer",), _("{value} is out of range").format(value=buffer),
                                _("use a value from {low} to {high}").format(low=0.2, high=60))
        source = RelaySource(str(source_id), str(spec.get("name") or source_id), url.strip(), 0.0,
                             located.line(*keys) or 0)
        out[source.id] = _with_buffer(source, buffer)
    return out


def _with_buffer(source: RelaySource, buffer) -> RelaySource:
    seconds = float(buffer) if buffer is not None else (BUFFER_HLS if source.hls else BUFFER_DEFAULT)
    return RelaySource(source.id, source.name, source.url, seconds, source.line)


def is_url(value: str) -> bool:
    return "://" in value


def source_for(value: str, relays: dict[str, RelaySource]) -> RelaySource | None:
    """The source a slot names (an id from station.yaml, or a URL); None if the id is unknown."""
    if is_url(value):
        source = RelaySource(value, urlsplit(value).hostname or value, value)
        return _with_buffer(RelaySource(source.safe_url, source.name, value), None)
    return relays.get(value)
