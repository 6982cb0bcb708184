"""Cài đặt (quản trị): the station's details, users (add, role, reset password, disable) and the
audit log."""

from __future__ import annotations

import html
from dataclasses import replace

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from broadcast import present as fmt
from broadcast import service
from broadcast.errors import BroadcastError
from broadcast.i18n import _
from broadcast.service.conflicts import StaleEdit
from broadcast.service.settings import ENGINE_NAMES
from broadcast.service.users import ROLES
from broadcast.web.console import console


async def show(request: Request, error: str = "", checked: str = "", installed=None, relay_check=None) -> Response:
    c = console(request)
    admin = request.state.session.user
    conflict, yours, status = None, "", 200
    if request.method == "POST" and not error and request.url.path == "/cai-dat":
        data = await request.form()
        action, name = data.get("action"), str(data.get("name", "")).strip()
        try:
            if action == "station":
                info = service.settings.StationInfo(
                    *(str(data.get(key, "")) for key in ("name", "organisation", "place", "number", "signer",
                                                         "signer_title", "on_behalf")),
                    tuple(line.strip() for line in str(data.get("recipients", "")).splitlines() if line.strip()))
                try:
                    await run_in_threadpool(service.settings.update_station_info, c.station, info, admin, c.now(),
                                            data.get("version"))
                    return RedirectResponse("/cai-dat?ok=luu", 303)
                except StaleEdit as exc:    # changed elsewhere: the form shows theirs, hers beside it
                    conflict, yours, status = exc, service.settings.info_text(info), 409
            elif action == "add":
                await run_in_threadpool(service.users.add_user, c.station, name, str(data.get("role", "")),
                                        str(data.get("password", "")), c.now(), admin)
            elif action == "role":
                await run_in_threadpool(service.users.set_role, c.station, name, str(data.get("role", "")),
                                        c.now(), admin)
            elif action == "password":
                await run_in_threadpool(service.users.set_password, c.station, name, str(data.get("password", "")),
                                        c.now(), admin)
            elif action in ("disable", "enable"):
                await run_in_threadpool(service.users.set_disabled, c.station, name, action == "disable",
                                        c.now(), admin)
            if conflict is None:
                return RedirectResponse("/cai-dat?ok=nguoi-dung", 303)
        except BroadcastError as exc:
            error = fmt.error_text(exc)
    users = await run_in_threadpool(service.users.list_users, c.station)
    audit_user = request.query_params.get("nguoi") or None
    audit_action = request.query_params.get("thao-tac") or None
    audit = await run_in_threadpool(service.users.audit_log, c.station, audit_user, audit_action)
    info = service.settings.station_info(c.station)
    own = [e for e in await run_in_threadpool(service.lexicon.entries, c.station) if e.station]
    zones = [replace(z, output=service.records.without_password(z.output))          # a password is never shown (33.9)
             for z in await run_in_threadpool(service.station.zones, c.station)]
    voices = await run_in_threadpool(service.voices.list_voices, c.station,
                                     request.query_params.get("kiem-tra-mang") == "1")
    chain = list(c.station.speech.engines) + [""] * len(ENGINE_NAMES)
    return c.render(request, "settings.html", 400 if error else status, relays=service.relays.sources(c.station),
                    relay_check=relay_check, users=users, conflict=conflict, yours=yours,
                    version=service.settings.info_version(c.station), roles=fmt.choices(ROLES), info=info,
                    recipients="\n".join(info.recipients), own_readings=own, zones=zones,
                    audit_user=audit_user or "", audit_action=audit_action or "", audit_actions=fmt.choices(fmt.AUDIT),
                    engines=voices, chain=chain[:len(ENGINE_NAMES)], engine_names=ENGINE_NAMES,
                    piper_voice=c.station.speech.piper_voice or "",
                    piper_voices=service.voices.installed_piper_voices(c.station),
                    korvatts_voice=c.station.speech.korvatts_voice or "",
                    korvatts_voices=service.voices.installed_korvatts_voices(c.station),
                    keys=await run_in_threadpool(service.voices.key_status, c.station), checked=checked,
                    installed=installed,
                    samples=[f"{e.name}:{v}" for e in voices if e.available for v in e.voices],
                    voice_figures=[voice_figure(f) for f in service.voices.voice_figures(voices)],
                    better_voice=service.voices.better_voice(),
                    link=await run_in_threadpool(service.link.link_status, c.station),
                    error=error, audit=[(fmt.moment(a.at), a.user or "", fmt.audit_action(a.action), a.target or "",
                                            _(ROLES[a.detail]) if a.detail in ROLES else a.detail or "")
                                        for a in audit])


def voice_figure(figure) -> tuple[str, str, str]:
    """(voice, words misheard, in plain words) for the voices table."""
    label = f"{figure.engine}:{figure.voice}"
    if figure.measured is None:
        return label, _("not measured"), ""
    return label, f"{figure.measured.wer * 100:.0f} %", service.voices.plain_words(figure.measured.wer)


async def lexicon(request: Request) -> Response:
    """Cách đọc: add a reading to the station's lexicon ("VHTT" -> "văn hóa thông tin"), or remove one."""
    c = console(request)
    data = await request.form()
    written, spoken = str(data.get("written", "")), str(data.get("spoken", ""))
    try:
        who, now = request.state.session.user, c.now()
        if data.get("action") == "remove":
            await run_in_threadpool(service.lexicon.remove_entry, c.station, written, "words", None, who, now)
        else:
            await run_in_threadpool(service.lexicon.add_entry, c.station, written, spoken, "words",
                                    str(data.get("sample") or "") or None, who, now)
    except BroadcastError as exc:
        return await show(request, fmt.error_text(exc))
    return RedirectResponse("/cai-dat?ok=luu#cach-doc", 303)


async def try_reading(request: Request) -> Response:
    """The sample sentence read as if the reading were added (nothing saved): the live preview."""
    c = console(request)
    data = await request.form()
    sample = str(data.get("sample") or "") or str(data.get("written", ""))
    try:
        reading = await run_in_threadpool(service.lexicon.try_entry, c.station, str(data.get("written", "")),
                                          str(data.get("spoken", "")), sample)
    except BroadcastError as exc:
        return Response(f"<p class=\"field-error\">{html.escape(exc.message)}</p>", media_type="text/html")
    return c.render(request, "_reading.html", reading=reading)


async def test_output(request: Request) -> Response:
    """Phát tiếng thử: a short tone on one zone's output (played by the render worker)."""
    c = console(request)
    data = await request.form()
    try:
        await c.worker.run("test_tone", c.station, str(data.get("zone", "")), request.state.session.user, c.now())
    except BroadcastError as exc:
        return await show(request, fmt.error_text(exc))
    return RedirectResponse("/cai-dat?ok=thu-loa#cum-loa", 303)


VOICE_MB = 200                      # a piper voice is 20-120 MB


async def engines(request: Request) -> Response:
    """The order the speech engines are tried in, and the piper voice."""
    c = console(request)
    data = await request.form()
    try:
        await run_in_threadpool(service.voices.set_engines, c.station,
                                [str(data.get(f"engine-{n}", "")) for n in range(1, len(ENGINE_NAMES) + 1)],
                                str(data.get("piper_voice", "")), request.state.session.user, c.now(),
                                str(data.get("korvatts_voice", "")) if "korvatts_voice" in data else None)
    except BroadcastError as exc:
        return await show(request, fmt.error_text(exc))
    return RedirectResponse("/cai-dat?ok=luu#giong-doc", 303)


async def upload_voice(request: Request) -> Response:
    """A piper voice (.onnx and its .onnx.json), checked and installed by the render worker."""
    c = console(request)
    async with request.form() as data:
        model, config = data.get("model"), data.get("config")
        if not isinstance(model, UploadFile) or not isinstance(config, UploadFile) or not model.filename:
            return await show(request, _("choose both files of the voice: NAME.onnx and NAME.onnx.json"))
        if (model.size or 0) > VOICE_MB * 1024 * 1024:
            return await show(request, _("the voice file is larger than {mb} MB").format(mb=VOICE_MB))
        try:
            await c.worker.run("install_uploaded_voice", c.station, await model.read(), model.filename,
                               await config.read(), request.state.session.user, c.now())
        except BroadcastError as exc:
            return await show(request, fmt.error_text(exc))
    return RedirectResponse("/cai-dat?ok=luu#giong-doc", 303)


KORVATTS_MB = 1024                  # a korvatts model is about 400 MB


async def voice_key(request: Request) -> Response:
    """An online voice service's key: written to the keys file (mode 600), audited without the key,
    never shown again but for its last four characters."""
    c = console(request)
    data = await request.form()
    try:
        await run_in_threadpool(service.voices.set_key, c.station, str(data.get("engine", "")),
                                str(data.get("key", "")), request.state.session.user, c.now())
    except BroadcastError as exc:
        return await show(request, fmt.error_text(exc))
    return RedirectResponse("/cai-dat?ok=luu#khoa-giong", 303)


async def province_link(request: Request) -> Response:
    """Kết nối tỉnh: link with the province's address and one-time code, or forget the link. The
    token the hub answers goes into link.yaml (mode 600) only: never on a page or in the audit log."""
    c = console(request)
    data = await request.form()
    try:
        if data.get("action") == "forget":
            await run_in_threadpool(service.link.unlink, c.station, request.state.session.user, c.now())
        else:
            await run_in_threadpool(service.link.enrol, c.station, str(data.get("url", "")), str(data.get("code", "")),
                                    request.state.session.user, c.now())
    except BroadcastError as exc:
        return await show(request, fmt.error_text(exc))
    return RedirectResponse("/cai-dat?ok=luu#ket-noi-tinh", 303)


async def online_voice(request: Request) -> Response:
    """The voice and speed of one online service."""
    c = console(request)
    data = await request.form()
    try:
        await run_in_threadpool(service.voices.set_online_voice, c.station, str(data.get("engine", "")),
                                str(data.get("voice", "")), str(data.get("speed", "")), request.state.session.user,
                                c.now())
    except BroadcastError as exc:
        return await show(request, fmt.error_text(exc))
    return RedirectResponse("/cai-dat?ok=luu#khoa-giong", 303)


async def check_voice(request: Request) -> Response:
    """"Kiểm tra": a short sentence voiced by one engine in the render worker; the verdict in words."""
    c = console(request)
    data = await request.form()
    engine = str(data.get("engine", ""))
    try:
        result = await c.worker.run("check_voice", c.station, engine)
    except BroadcastError as exc:
        return await show(request, fmt.error_text(exc))
    return await show(request, checked=f"{engine}: {result.text}")


async def install_voice(request: Request) -> Response:
    """A korvatts model (zip) or a piper voice uploaded: saved to a scratch file, then checked and
    installed by the render worker (format, size, licence, a sentence voiced); its licence shown."""
    import shutil
    import tempfile
    from pathlib import Path

    c = console(request)
    async with request.form() as data:
        upload = data.get("voice")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await show(request, _("choose the voice file (.zip of a korvatts model)"))
        if (upload.size or 0) > KORVATTS_MB * 1024 * 1024:
            return await show(request, _("the voice file is larger than {mb} MB").format(mb=KORVATTS_MB))
        scratch = c.station.cache_dir / "tai-giong"
        scratch.mkdir(parents=True, exist_ok=True)
        suffix = ".zip" if upload.filename.lower().endswith(".zip") else Path(upload.filename).suffix[:8]
        with tempfile.NamedTemporaryFile(dir=scratch, suffix=suffix, delete=False) as out:
            await run_in_threadpool(shutil.copyfileobj, upload.file, out)
        try:
            installed = await c.worker.run("install_voice_file", c.station, out.name, request.state.session.user,
                                           c.now())
        except BroadcastError as exc:
            return await show(request, fmt.error_text(exc))
        finally:
            Path(out.name).unlink(missing_ok=True)
    return await show(request, installed=installed)


async def try_voice(request: Request) -> Response:
    """A sentence read by one engine and voice, as audio (the page's player asks for it)."""
    c = console(request)
    p = request.query_params
    try:
        path = await c.worker.run("voice_sample_file", c.station, p.get("giong", "espeak"), p.get("cau", ""))
    except BroadcastError as exc:
        return c.render(request, "error.html", 400, message=exc.message, hint=exc.hint or "")
    return FileResponse(path, media_type="audio/wav", headers={"cache-control": "no-cache"})


async def zone(request: Request) -> Response:
    """A zone's name, group and output (file:FOLDER, pulse[:SINK], icecast://host:port/mount)."""
    c = console(request)
    data = await request.form()
    try:
        await run_in_threadpool(service.week.edit_zone, c.station, str(data.get("zone", "")), str(data.get("name", "")),
                                str(data.get("group", "")), str(data.get("output", "")), request.state.session.user,
                                c.now())
    except BroadcastError as exc:
        return await show(request, fmt.error_text(exc))
    return RedirectResponse("/cai-dat?ok=luu#cum-loa", 303)


async def check_relay(request: Request) -> Response:
    """Tiếp sóng → Kiểm tra: connect to one source now and say what it sends, or why not."""
    c = console(request)
    data = await request.form()
    try:
        found = await run_in_threadpool(service.relays.check_source, c.station, str(data.get("source", "")))
    except BroadcastError as exc:
        return await show(request, fmt.error_text(exc))
    return await show(request, relay_check=found)
