"""Approval through the service and the CLI: roles, self-approval, the audit log."""

from __future__ import annotations

import datetime as dt

import pytest

from broadcast import service
from broadcast.cli import main
from broadcast.service.approval import ApprovalError
from tests.conftest import write_script

LANGUAGE = "vi"                     # asserts the messages the officer reads

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def station(station_dir):
    write_script(station_dir / "scripts", "tin-a", approved=None, valid_until="2099-12-31")
    st = service.station.open_station(station_dir)
    for name, role in (("lan", "editor"), ("chu-tich", "approver"), ("xem", "viewer")):
        service.users.add_user(st, name, role, "mat-khau-dai-du", NOW)
    return st


def test_flow_with_roles_and_audit(station):
    assert service.approval.status(station, service.scripts.read_script(station, "tin-a").item) == "draft"
    with pytest.raises(ApprovalError):
        service.approval.submit(station, "tin-a", "xem", NOW)                # a viewer cannot
    service.approval.submit(station, "tin-a", "lan", NOW)
    with pytest.raises(ApprovalError):
        service.approval.approve(station, "tin-a", "lan", NOW)               # an editor cannot
    item = service.approval.approve(station, "tin-a", "chu-tich", NOW)
    assert item.is_approved and service.approval.status(station, item) == "approved"
    actions = [(a.user, a.action) for a in service.users.audit_log(station)]
    assert ("lan", "item.submit") in actions and ("chu-tich", "item.approve") in actions


def test_self_approval_only_when_the_station_allows_it(station, station_dir):
    service.scripts.save_script(station, service.scripts.Draft.from_item(
        service.scripts.read_script(station, "tin-a").item), by="chu-tich")
    with pytest.raises(ApprovalError, match="không tự duyệt"):
        service.approval.approve(station, "tin-a", "chu-tich", NOW)
    text = (station_dir / "station.yaml").read_text("utf-8").replace("self_approval: false", "self_approval: true")
    (station_dir / "station.yaml").write_text(text, "utf-8")
    allowing = service.station.open_station(station_dir)
    assert service.approval.approve(allowing, "tin-a", "chu-tich", NOW).is_approved


def test_approval_off_counts_every_item_approved(station_dir):
    write_script(station_dir / "scripts", "tin-b", approved=None)
    text = (station_dir / "station.yaml").read_text("utf-8").replace("required: true", "required: false")
    (station_dir / "station.yaml").write_text(text, "utf-8")
    st = service.station.open_station(station_dir)
    assert service.approval.status(st, service.scripts.read_script(st, "tin-b").item) == "approved"


def test_cli_shows_and_sets_the_status(station, capsys):
    root = str(station.root)
    with pytest.raises(SystemExit) as done:
        main(["-S", root, "items", "submit", "tin-a", "--by", "lan"])
    assert done.value.code == 0 and "tin-a: Chờ duyệt" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        main(["-S", root, "items", "approve", "tin-a", "--by", "lan"])
    assert done.value.code == 1 and "không có quyền" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["-S", root, "items", "approve", "tin-a", "--by", "chu-tich"])
    with pytest.raises(SystemExit):
        main(["-S", root, "items", "list"])
    assert "Đã duyệt" in capsys.readouterr().out
