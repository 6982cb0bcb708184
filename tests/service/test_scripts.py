"""The news-item service as a front end calls it: list, read, save, history, delete, lint."""

from __future__ import annotations

import datetime as dt

import pytest

from broadcast import service
from broadcast.errors import InputError, ScriptErrors
from broadcast.service.scripts import Draft
from tests.conftest import write_script


def draft(**fields) -> Draft:
    base = dict(id="tin-moi", title="Tiêu đề: có dấu hai chấm", topic="dich-vu-cong",
                valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 12, 31),
                body="Kính thưa bà con.\n\nĐoạn thứ hai có 1.250 hồ sơ.")
    return Draft(**{**base, **fields})


def test_save_writes_a_file_that_reads_back_the_same(station_dir):
    station = service.station.open_station(station_dir)
    item = service.scripts.save_script(station, draft())
    assert item.path == station_dir / "scripts" / "tin-moi.md"
    again = service.scripts.read_script(station, "tin-moi").item
    assert (again.title, again.paragraphs) == ("Tiêu đề: có dấu hai chấm",
                                              ("Kính thưa bà con.", "Đoạn thứ hai có 1.250 hồ sơ."))
    assert [i.id for i in service.scripts.list_scripts(station).items] == ["tin-moi"]


def test_saving_again_keeps_the_previous_version_and_a_diff(station_dir):
    station = service.station.open_station(station_dir)
    service.scripts.save_script(station, draft())
    first = (station_dir / "scripts" / "tin-moi.md").read_text("utf-8")
    service.scripts.save_script(station, draft(body="Nội dung mới."))
    versions = service.scripts.history(station, "tin-moi")
    assert len(versions) == 1 and versions[0].path.read_text("utf-8") == first
    current, earlier = service.history.item_versions(station, "tin-moi")
    assert current.name == "" and earlier.name == versions[0].path.name
    assert ("ins", "Nội dung mới.") in current.changes
    assert any(kind == "del" and "Kính thưa bà con." in text for kind, text in current.changes)


def test_an_unchanged_save_adds_no_version(station_dir):
    station = service.station.open_station(station_dir)
    service.scripts.save_script(station, draft())
    service.scripts.save_script(station, draft())
    assert service.scripts.history(station, "tin-moi") == []


def test_a_bad_draft_is_refused_and_the_file_stays_as_it_was(station_dir):
    station = service.station.open_station(station_dir)
    service.scripts.save_script(station, draft())
    before = (station_dir / "scripts" / "tin-moi.md").read_bytes()
    with pytest.raises(ScriptErrors) as caught:
        service.scripts.save_script(station, draft(topic="khong-co", body="Khác."))
    assert caught.value.problems[0].field == "topic"
    assert (station_dir / "scripts" / "tin-moi.md").read_bytes() == before
    assert [p.name for p in (station_dir / "scripts").iterdir()] == ["tin-moi.md"]   # no temporary left


def test_a_hand_edited_file_keeps_its_name_when_saved(station_dir):
    write_script(station_dir / "scripts", "ten-tep", id="tin-tay")
    station = service.station.open_station(station_dir)
    item = service.scripts.save_script(station, draft(id="tin-tay"))
    assert item.path.name == "ten-tep.md"


def test_delete_moves_the_file_into_history(station_dir):
    station = service.station.open_station(station_dir)
    service.scripts.save_script(station, draft())
    service.scripts.delete_script(station, "tin-moi")
    assert not (station_dir / "scripts" / "tin-moi.md").exists()
    assert [v.deleted for v in service.scripts.history(station, "tin-moi")] == [True]
    with pytest.raises(InputError):
        service.scripts.read_script(station, "tin-moi")


def test_lint_reports_problems_and_lost_diacritics_with_file_and_line(station_dir):
    write_script(station_dir / "scripts", "khong-dau",
                 body="Thuc hien ke hoach cai cach hanh chinh cua xa trong nam nay.", approved=None)
    write_script(station_dir / "scripts", "sai", topic="khong-co")
    result = service.scripts.lint_scripts(service.station.open_station(station_dir))
    assert [(p.path.name, p.field) for p in result.problems] == [("sai.md", "topic")]
    assert [(w.path.name, w.line) for w in result.warnings] == [("khong-dau.md", 8)]
