"""The commune's website and podcast: every approved item that has aired, as a web page (title,
date, text, audio player) and as an episode of an RSS 2.0 feed with the podcast namespaces. Served
read-only by the console at /tin/ (no sign-in), or written as static files into a folder for the
commune's website (`broadcast publish`).

Listing reads the as-run log and the scripts; the MP3 of an episode is rendered where the audio
stack lives (the render worker, or the CLI) and kept in the cache."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from broadcast.files import atomic_path
from broadcast.news.scripts import NewsItem
from broadcast.records import asrun
from broadcast.service.approval import status
from broadcast.service.scripts import list_scripts
from broadcast.station import db
from broadcast.station.settings import Station

AUDIO = Path("website")                          # under the station's cache: one MP3 per episode


@dataclass(frozen=True)
class Episode:
    item: NewsItem
    first_aired: dt.datetime
    airings: int
    published: dt.datetime | None = None     # when the text shown first aired (an edited item: its new text)

    @property
    def date(self) -> dt.datetime:
        """The episode's public date: when its text was published, not when it first aired."""
        return self.published or self.first_aired


def episodes(station: Station) -> list[Episode]:
    """Approved items that aired in full at least once, newest first."""
    with closing(db.connect(station.db_path)) as conn:
        rows = asrun.rows(conn, status=("completed", "fallback"))
    items = {i.id: i for i in list_scripts(station).items}
    first: dict[str, dt.datetime] = {}
    published: dict[str, dt.datetime] = {}
    count: dict[str, int] = {}
    for row in rows:
        for aired in row.items:
            when = (row.started or row.scheduled).astimezone(station.tz)
            first[aired.script] = min(first.get(aired.script, when), when)
            count[aired.script] = count.get(aired.script, 0) + 1
            if aired.script in items and aired.content_hash == items[aired.script].content_hash:
                published[aired.script] = min(published.get(aired.script, when), when)
    found = [Episode(items[s], when, count[s], published.get(s)) for s, when in first.items()
             if s in items and status(station, items[s]) == "approved"]
    return sorted(found, key=lambda e: e.date, reverse=True)


def episode_audio(station: Station, item_id: str) -> Path:
    """The episode's MP3 (64 kbit/s mono), rendered as it airs; needs the audio stack."""
    from broadcast.render.bulletin import Renderer

    episode = next((e for e in episodes(station) if e.item.id == item_id), None)
    if episode is None:
        from broadcast.errors import InputError
        from broadcast.i18n import _

        raise InputError(station.scripts_dir, None, "id", _("no published item {id!r}").format(id=item_id),
                         _("only approved items that have aired are published"))
    out = audio_path(station, episode.item)
    if not out.exists():
        Renderer(station).render([episode.item], out)
    return out


def audio_path(station: Station, item: NewsItem) -> Path:
    """Where an episode's MP3 is kept (a new version of the item is a new file)."""
    return station.cache_dir / AUDIO / f"{item.id}-{item.content_hash[:12]}.mp3"


def feed(station: Station, base_url: str, sizes: dict[str, int]) -> str:
    """RSS 2.0 with itunes and podcast namespaces; SIZES: bytes of each episode's MP3 (0 if unknown)."""
    base = base_url.rstrip("/")
    entries = []
    for e in episodes(station):
        url = f"{base}/{e.item.id}.mp3"
        entries.append(
            "<item>"
            f"<title>{escape(e.item.title)}</title>"
            f"<link>{escape(base)}/{e.item.id}</link>"
            f"<guid isPermaLink=\"false\">{escape(e.item.id)}-{e.item.content_hash[:12]}</guid>"
            f"<pubDate>{format_datetime(e.date)}</pubDate>"
            f"<description>{escape(' '.join(e.item.paragraphs))}</description>"
            f"<enclosure url=\"{escape(url)}\" length=\"{sizes.get(e.item.id, 0)}\" type=\"audio/mpeg\"/>"
            "<itunes:explicit>false</itunes:explicit>"
            "</item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
            'xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:atom="http://www.w3.org/2005/Atom">'
            "<channel>"
            f"<title>{escape(station.name)}</title>"
            f"<link>{escape(base)}/</link>"
            f"<atom:link href=\"{escape(base)}/rss.xml\" rel=\"self\" type=\"application/rss+xml\"/>"
            f"<description>{escape(station.name)} – {escape(station.organisation)}</description>"
            "<language>vi</language>"
            f"<itunes:author>{escape(station.organisation)}</itunes:author>"
            "<itunes:explicit>false</itunes:explicit>"
            "<podcast:locked>no</podcast:locked>"
            + "".join(entries) + "</channel></rss>\n")



def write_file(path: Path, text: str) -> None:
    """One page of the exported website, written whole or not at all."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, "utf-8")
