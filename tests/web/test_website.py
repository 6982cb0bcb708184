"""Trang thông tin and podcast: approved items that aired, public and read-only; the feed parses with
a feed parser and every enclosure answers with the audio; the same as static files for the website."""

from __future__ import annotations

from urllib.parse import urlsplit

import feedparser
from starlette.testclient import TestClient

from tests.web.test_asrun_page import _log


def test_aired_items_are_published_with_a_podcast_feed(app, console_station, clock):
    _log(console_station, clock().date())          # tin-a aired in full; tin-b aired once, once missed
    public = TestClient(app)                          # nobody signed in
    index = public.get("/tin/")
    assert index.status_code == 200 and "Tin tin-a" in index.text and 'href="/tin/tin-a"' in index.text
    page = public.get("/tin/tin-a").text
    assert "Kính thưa bà con" in page and '<audio controls preload="none" src="/tin/tin-a.mp3"' in page
    feed = feedparser.parse(public.get("/tin/rss.xml").text)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.startswith("Đài") and feed.feed.language == "vi"
    assert sorted(e.title for e in feed.entries) == ["Tin tin-a", "Tin tin-b"]
    for entry in feed.entries:
        [enclosure] = entry.enclosures
        assert enclosure.type == "audio/mpeg"
        heard = public.get(urlsplit(enclosure.href).path)
        assert heard.status_code == 200 and heard.headers["content-type"] == "audio/mpeg"
        assert heard.content[:3] == b"ID3" or heard.content[0] == 0xFF
    assert public.get("/tin/khong-co").status_code == 404 and public.get("/tin/khong-co.mp3").status_code == 404
    assert public.get("/cai-dat", follow_redirects=False).status_code == 303       # the rest still needs sign-in


def test_static_export_for_the_communes_website(console_station, clock, tmp_path):
    from broadcast.cli import main

    _log(console_station, clock().date())
    out = tmp_path / "web"
    try:
        main(["-S", str(console_station), "publish", str(out), "--base-url", "https://xa.example.gov.vn/tin/"])
    except SystemExit as done:
        assert done.code == 0
    assert {p.name for p in out.iterdir()} >= {"index.html", "tin-a.html", "tin-a.mp3", "rss.xml", "console.css"}
    feed = feedparser.parse((out / "rss.xml").read_text("utf-8"))
    assert not feed.bozo and {e.enclosures[0].href for e in feed.entries} >= {"https://xa.example.gov.vn/tin/tin-a.mp3"}
    assert all(int(e.enclosures[0].length) > 1000 for e in feed.entries)
    assert 'href="tin-a.html"' in (out / "index.html").read_text("utf-8")


def test_an_items_public_date_is_when_its_text_first_aired_not_its_first_airing(app, console_station, clock):
    """tin-a aired two months ago in an older wording, and today as it reads now: the public page
    dates it today."""
    import datetime as dt

    from broadcast import service
    from broadcast.records import asrun
    from broadcast.records.asrun import AiredItem
    from broadcast.station import db

    station = service.station.open_station(console_station)
    current = service.scripts.read_script(station, "tin-a").item.content_hash
    today = clock().replace(hour=6, minute=0, second=0, microsecond=0)
    conn = db.connect(station.db_path)
    for when, content in ((today - dt.timedelta(days=60), "cu" * 8), (today, current)):
        row = asrun.begin(conn, occurrence=f"{when:%Y-%m-%d}/sang/thon-1", attempt=1, slot="sang", zone="thon-1",
                          output="pulse", scheduled=when, started=when, planned=60.0,
                          items=[AiredItem("tin-a", "Tin tin-a", "dich-vu-cong", content, "espeak", 50.0)], audio=None)
        asrun.finish(conn, row, "completed", when + dt.timedelta(minutes=1), 60.0)
    conn.close()
    page = TestClient(app).get("/tin/tin-a").text
    assert f"{today:%d/%m/%Y}" in page and f"{today - dt.timedelta(days=60):%d/%m/%Y}" not in page
