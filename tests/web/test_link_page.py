"""Cài đặt → Kết nối tỉnh against the real hub (uvicorn + PostgreSQL): the admin links with the
province's address and code, the token never on a page or in the audit log; refused codes and
plain http said in Vietnamese; Tổng quan shows the link, and the hub down as the link's error
while the station keeps working."""

import datetime as dt
import stat

import pytest

from broadcast import service
from broadcast.link.client import LinkError
from broadcast.link.config import read_link
from broadcast.service import hub
from broadcast.service import link as link_service
from tests.link.conftest import HUB_NAME, hub_conn, now, served_hub  # noqa: F401 (fixtures)

LANGUAGE = "vi"


@pytest.fixture
def code(hub_conn):  # noqa: F811
    hub.add_commune(hub_conn, "xa-a", "Xã A", now())
    return hub.new_code(hub_conn, "xa-a", "quan-tri", now())


def test_the_admin_links_and_forgets(console_station, served_hub, code, as_role):  # noqa: F811
    client, token = as_role("admin")
    assert "Chưa kết nối với hệ thống của tỉnh." in client.get("/").text
    done = client.post("/cai-dat/ket-noi-tinh", data={"csrf_token": token, "action": "link", "url": served_hub.url,
                                                      "code": code}, follow_redirects=False)
    assert done.status_code == 303
    secret = read_link(console_station).token
    assert stat.S_IMODE((console_station / "link.yaml").stat().st_mode) == 0o600
    page = client.get("/cai-dat").text
    assert f"Đã kết nối với {HUB_NAME}" in page and secret not in page
    audit = client.get("/cai-dat", params={"thao-tac": "link.enrol"}).text
    assert "Kết nối với tỉnh" in audit and secret not in audit
    overview = client.get("/").text
    assert f"Đã kết nối với {HUB_NAME}" in overview and "liên lạc gần nhất chưa lần nào" in overview
    assert secret not in overview
    client.post("/cai-dat/ket-noi-tinh", data={"csrf_token": token, "action": "forget"})
    assert not (console_station / "link.yaml").exists()


def test_refusals_in_vietnamese(console_station, served_hub, code, as_role):  # noqa: F811
    client, token = as_role("admin")
    wrong = client.post("/cai-dat/ket-noi-tinh", data={"csrf_token": token, "url": served_hub.url, "code": "K7QM4XPA"})
    assert wrong.status_code == 400 and "không nhận mã" in wrong.text
    plain = client.post("/cai-dat/ket-noi-tinh", data={"csrf_token": token, "url": "http://hub.tinh.gov.vn",
                                                       "code": code})
    assert plain.status_code == 400 and "https" in plain.text and "mã hóa" in plain.text
    assert not (console_station / "link.yaml").exists()


def test_only_the_admin_links(console_station, served_hub, code, as_role):  # noqa: F811
    client, token = as_role("editor")
    refused = client.post("/cai-dat/ket-noi-tinh", data={"csrf_token": token, "url": served_hub.url, "code": code})
    assert refused.status_code == 403 and not (console_station / "link.yaml").exists()


def test_hub_down_shows_on_the_overview(console_station, served_hub, code, as_role):  # noqa: F811
    station = service.station.open_station(console_station)
    link_service.enrol(station, served_hub.url, code)
    loop = link_service.sync_loop(station)
    loop.cycle()
    client, _token = as_role("viewer")
    page = client.get("/").text
    assert f"liên lạc gần nhất {dt.datetime.now(station.tz):%d/%m/%Y}" in page
    served_hub.stop()
    with pytest.raises(LinkError) as down:
        loop.cycle()
    loop.record_failure(down.value, 1)
    page = client.get("/").text
    assert "Lỗi gần nhất: không liên lạc được với hệ thống của tỉnh" in page
    assert "vẫn phát theo lịch" in page
