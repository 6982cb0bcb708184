"""The console and the stations' API in one app: a code made on the console page enrols a station
(signed protocol v1 from then on); its heartbeat makes it online, its as-run rows count in the week
and in Báo cáo tỉnh, a bulletin sent on the console reaches it and its receipts show on the page."""

from __future__ import annotations

import datetime as dt
import re

from starlette.testclient import TestClient

from broadcast.service import hub_console
from broadcast.web.hub.pages import console_app
from tests.hub.conftest import Station, asrun_row, enrolment, heartbeat_json
from tests.web.hub.conftest import NAMES, csrf_of, sign_in


def test_a_station_enrolled_from_the_console_reports_and_airs(hub, users):
    app = console_app(hub, lambda: dt.datetime.now(dt.timezone.utc))
    with TestClient(app) as admin:
        assert sign_in(admin, NAMES["quan-tri-tinh"]).status_code == 303
        token = csrf_of(admin.get("/xa-phuong").text)
        page = admin.post("/xa-phuong/moi", data={"csrf_token": token, "name": "Xã Tân Lập", "group": "Cụm Bắc"})
        code = re.search(r'id="ma-lien-ket"[^>]*>([A-Z0-9]{8})<', page.text).group(1)
        reply = admin.post("/api/v1/enrol", json=enrolment(code, "Xã Tân Lập"))
        assert reply.status_code == 201 and reply.json()["station"] == "xa-tan-lap"
        station = Station(admin, "xa-tan-lap", reply.json()["token"])
        assert station.post("/api/v1/heartbeat", heartbeat_json()).status_code == 200
        rows = [asrun_row("r1"), asrun_row("r2", "missed")]
        assert station.post("/api/v1/asrun", {"rows": rows}).json()["stored"] == 2

        listing = admin.get("/xa-phuong?trang-thai=truc-tuyen").text
        assert "Xã Tân Lập" in listing and "Cụm Bắc" in listing
        week = admin.get("/xa-phuong/xa-tan-lap?tuan=2026-12-01").text
        assert "Thứ Ba 01/12/2026" in week and "06:00" in week and "Bị lỡ" in week and "Tin A" in week

        token = csrf_of(admin.get("/tin-cua-tinh/moi").text)
        now = dt.datetime.now(hub.tz)
        sent = admin.post("/tin-cua-tinh/moi", data={
            "csrf_token": token, "title": "Lịch cắt điện", "kind": "text", "text": "Kính thưa bà con, ngày mai cắt điện.",
            "priority": "priority", "target": "all", "zones": "named", "zone_names": "thon-1",
            "valid_from": now.strftime("%Y-%m-%dT%H:%M"),
            "valid_until": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}, follow_redirects=False)
        bulletin = sent.headers["location"].split("/")[-1].split("?")[0]
        [delivered] = station.get("/api/v1/bulletins?after=0&wait=0").json()["bulletins"]
        assert (delivered["id"], delivered["priority"], delivered["zones"]) == (bulletin, "priority", ["thon-1"])
        at = dt.datetime.now(dt.timezone.utc).isoformat()
        receipts = [{"bulletin": bulletin, "zone": "thon-1", "state": state, "at": at} for state in ("received", "aired")]
        assert station.post("/api/v1/receipts", {"receipts": receipts}).status_code == 200
        status = admin.get(f"/tin-cua-tinh/{bulletin}/tinh-trang").text
        assert 'data-station="xa-tan-lap" data-state="aired"' in status and "Đã phát tại 1 trên 1" in status

    report = hub_console.build_report(hub, "2026-12")
    [line] = report.communes
    assert (line.station, line.scheduled, line.aired, line.missed, line.seconds) == ("xa-tan-lap", 2, 1, 1, 1197.0)
    assert [(t.code, t.airings) for t in report.topics] == [("dich-vu-cong", 1)]
    assert [(b.title, b.addressed, b.aired) for b in report.bulletins] == [("Lịch cắt điện", 1, 1)]
