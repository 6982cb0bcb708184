"""Trang thông tin: the aired news, public and read-only (no sign-in) — an index, a page per item with
its audio, the MP3s and a podcast feed. `export` writes the same pages as static files for the
commune's website."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from broadcast import i18n, service
from broadcast import present as fmt
from broadcast.errors import BroadcastError
from broadcast.web.console import console

PATH = "/tin/"


@dataclass(frozen=True)
class EpisodeView:
    id: str
    title: str
    date: str
    paragraphs: tuple[str, ...]


def _views(episodes) -> list[EpisodeView]:
    return [EpisodeView(e.item.id, e.item.title, fmt.date(e.date.date()), e.item.paragraphs) for e in episodes]


def _context(station, base: str, static: str, suffix: str) -> dict:
    return {"station_name": station.name, "lang": i18n.language(), "base": base, "static": static, "suffix": suffix}


async def index(request: Request) -> Response:
    c = console(request)
    found = _views(await run_in_threadpool(service.publish.episodes, c.station))
    return c.templates.TemplateResponse(request, "public_index.html",
                                        {**_context(c.station, PATH, "/tinh/", ""), "episodes": found})


async def item(request: Request) -> Response:
    c = console(request)
    wanted = request.path_params["item_id"]
    found = [e for e in _views(await run_in_threadpool(service.publish.episodes, c.station)) if e.id == wanted]
    if not found:
        return Response(i18n._("Not found"), status_code=404)
    return c.templates.TemplateResponse(request, "public_item.html",
                                        {**_context(c.station, PATH, "/tinh/", ""), "e": found[0]})


async def audio(request: Request) -> Response:
    c = console(request)
    try:
        path = await c.worker.run("episode_file", c.station, request.path_params["item_id"])
    except BroadcastError:
        return Response(i18n._("Not found"), status_code=404)
    return FileResponse(path, media_type="audio/mpeg")


async def rss(request: Request) -> Response:
    c = console(request)
    base = public_base(c.station, request)
    found = await run_in_threadpool(service.publish.episodes, c.station)
    sizes = {e.item.id: _size(c.station, e) for e in found}
    text = await run_in_threadpool(service.publish.feed, c.station, base, sizes)
    return Response(text, media_type="application/rss+xml; charset=utf-8")


def public_base(station, request: Request) -> str:
    """The public pages' address: console.public_url, else the address this console listens on;
    never the request's Host header (anyone can send any)."""
    if station.console.public_url:
        return station.console.public_url.rstrip("/") + PATH
    host, port = request.scope.get("server") or ("localhost", None)
    return f"http://{host}{'' if port in (None, 80) else f':{port}'}{PATH}"


def _size(station, episode) -> int:
    cached = service.publish.audio_path(station, episode.item)
    return cached.stat().st_size if cached.exists() else 0


def export(station, templates, out: Path, base_url: str) -> list[Path]:
    """The website as static files in OUT (index.html, one page and one MP3 per item, rss.xml,
    console.css): copy them to the commune's website at BASE_URL."""
    import shutil

    out.mkdir(parents=True, exist_ok=True)
    found = service.publish.episodes(station)
    views = _views(found)
    context = _context(station, "", "", ".html")
    written = []

    def write(name: str, text: str) -> None:
        service.publish.write_file(out / name, text)
        written.append(out / name)

    env = templates.env
    write("index.html", env.get_template("public_index.html").render(**context, episodes=views))
    sizes = {}
    for episode, view in zip(found, views):
        write(f"{view.id}.html", env.get_template("public_item.html").render(**context, e=view))
        mp3 = service.publish.episode_audio(station, view.id)
        shutil.copyfile(mp3, out / f"{view.id}.mp3")
        sizes[view.id] = mp3.stat().st_size
        written.append(out / f"{view.id}.mp3")
    write("rss.xml", service.publish.feed(station, base_url, sizes))
    shutil.copyfile(Path(__file__).parent.parent / "static" / "console.css", out / "console.css")
    return written
