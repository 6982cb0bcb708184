"""How it will sound: "Nghe thử" of an item, and a typed emergency text read aloud. Both render
exactly as the daemon's programs do (normalized, the station's engine chain, mixed and mastered);
a second request with nothing changed reuses the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from broadcast.errors import InputError
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


def emergency_text_audio(station: Station, text: str, now: dt.datetime) -> Path:
    """A short typed TEXT read aloud into audio/khan-cap/, ready for `playout.emergency`."""
    paragraphs = tuple(p.strip() for p in text.replace("\r", "").split("\n\n") if p.strip())
    if not paragraphs:
        raise InputError(_("Emergency broadcast"), None, _("Text"), _("nothing written"), _("type the text to air"))
    folder = station.emergency_dir
    item = NewsItem(id=f"khan-cap-{now:%Y%m%d-%H%M%S}", title=_("Urgent notice"), topic="khac",
                    valid_from=now.date(), valid_until=now.date(), paragraphs=paragraphs, path=folder,
                    body_line=1, priority="emergency")
    out = folder / f"{item.id}.wav"
    Renderer(station).render([item], out)
    return out
