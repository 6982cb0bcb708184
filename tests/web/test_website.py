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
