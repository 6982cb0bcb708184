"""The station's details changed from the console: station.yaml keeps its comments, order and other
settings; a change that would not load is refused and leaves the file as it was."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from broadcast import service
from broadcast.errors import BroadcastError


def test_details_are_written_and_everything_else_kept(station_dir):
    station = service.station.open_station(station_dir)
    before = (station_dir / "station.yaml").read_text("utf-8")
    info = dataclasses.replace(service.settings.station_info(station), name="Đài truyền thanh xã Hòa Bình",
                               signer="Trần Thị Bình", recipients=("Sở Văn hóa, Thể thao và Du lịch tỉnh", "Lưu: VT"))
    now = dt.datetime(2026, 11, 23, 9, tzinfo=station.tz)
    updated = service.settings.update_station_info(station, info, "quantri", now)
    after = (station_dir / "station.yaml").read_text("utf-8")
    assert updated.name == "Đài truyền thanh xã Hòa Bình" and updated.report.signer == "Trần Thị Bình"
    assert updated.report.recipients == ("Sở Văn hóa, Thể thao và Du lịch tỉnh", "Lưu: VT")
    assert service.station.open_station(station_dir) == updated
    for kept in ("# Cấu hình đài truyền thanh", "# fallback chain", "approval:", "target_lufs: -16.0"):
        assert kept in after
    assert [line for line in before.splitlines() if line.startswith("  engines")] == \
        [line for line in after.splitlines() if line.startswith("  engines")]
    assert ("quantri", "settings.station") in [(a.user, a.action) for a in service.users.audit_log(updated)]


def test_an_empty_name_is_refused_and_the_file_is_untouched(station_dir):
    station = service.station.open_station(station_dir)
    before = (station_dir / "station.yaml").read_bytes()
    info = dataclasses.replace(service.settings.station_info(station), name="  ")
    with pytest.raises(BroadcastError, match="name"):
        service.settings.update_station_info(station, info, None, dt.datetime.now(station.tz))
    assert (station_dir / "station.yaml").read_bytes() == before


def test_nothing_but_the_changed_value_moves(station_dir):
    station = service.station.open_station(station_dir)
    before = (station_dir / "station.yaml").read_text("utf-8").splitlines()
    info = dataclasses.replace(service.settings.station_info(station), signer="Trần Văn Bình")
    service.settings.update_station_info(station, info, None, dt.datetime.now(station.tz))
    after = (station_dir / "station.yaml").read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and [b.strip() for _, b in changed] == ["signer: Trần Văn Bình"]
